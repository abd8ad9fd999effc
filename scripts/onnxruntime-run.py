#!/usr/bin/env python3
"""Runs an ONNX model Lumen exported in ONNX Runtime, for the export conformance tests.

    .build/conformance-venv/bin/python scripts/onnxruntime-run.py MODEL.onnx PHOTO.png OUT.f32

checks the model with onnx.checker (full check, with shape inference), runs the photo
(8- or 16-bit PNG, scaled to [0, 1]) as `input` [1, 3, H, W], checks that a batch of
two of it gives the same result twice (where the batch is dynamic), and writes `output` as
little-endian float32, row-major, after a line-free header of its shape
(`N C H W` as four int32).
"""
import sys

import cv2
import numpy as np
import onnx
import onnxruntime

model_path, photo_path, out_path = sys.argv[1:4]
onnx.checker.check_model(onnx.load(model_path), full_check=True)
photo = cv2.imread(photo_path, cv2.IMREAD_UNCHANGED)
scale = 65535.0 if photo.dtype == np.uint16 else 255.0
x = (photo[:, :, ::-1].astype(np.float32) / scale).transpose(2, 0, 1)[None].copy()
session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
y = session.run(["output"], {"input": x})[0]
if not isinstance(session.get_inputs()[0].shape[0], int):  # a dynamic batch (PyTorch's exports fix it at 1)
    pair = session.run(["output"], {"input": np.concatenate([x, x])})[0]
    assert np.array_equal(pair[0], y[0]) and np.array_equal(pair[1], y[0]), "a batch of two differs from one"
with open(out_path, "wb") as out:
    out.write(np.array(y.shape, dtype="<i4").tobytes())
    out.write(y.astype("<f4").tobytes())
print(f"onnxruntime {onnxruntime.__version__}: {model_path} {list(x.shape)} -> {list(y.shape)}")
