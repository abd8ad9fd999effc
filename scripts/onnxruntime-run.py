#!/usr/bin/env python3
"""Runs an ONNX model Lumen exported in ONNX Runtime, for the export conformance tests.

    .build/conformance-venv/bin/python scripts/onnxruntime-run.py MODEL.onnx INPUT OUT.f32 [unoptimized]

checks the model with onnx.checker (full check, with shape inference), runs INPUT as
`input`, checks that the input twice over as one batch gives the output twice over
(where the batch is dynamic), and writes `output` as little-endian float32, row-major,
after a line-free header of its shape (`N C H W` as four int32).

With `unoptimized`, ONNX Runtime's graph optimisations are off, so that the graph's
own semantics run: its QDQ fusions replace Quantize/DequantizeLinear pairs with its
own int8 kernels and their own rounding.

INPUT is a photo (8- or 16-bit PNG, scaled to [0, 1], as [1, 3, H, W]) or, for models
that take other channels (the Y-only ESPCN, the gray DnCNN), a `.f32` file in the
output's format.
"""
import sys

import cv2
import numpy as np
import onnx
import onnxruntime

model_path, photo_path, out_path = sys.argv[1:4]
options = onnxruntime.SessionOptions()
if sys.argv[4:] == ["unoptimized"]:
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
onnx.checker.check_model(onnx.load(model_path), full_check=True)
if photo_path.endswith(".f32"):
    raw = np.fromfile(photo_path, dtype="<f4")
    x = raw[4:].reshape(raw[:4].view("<i4")).copy()
else:
    photo = cv2.imread(photo_path, cv2.IMREAD_UNCHANGED)
    scale = 65535.0 if photo.dtype == np.uint16 else 255.0
    x = (photo[:, :, ::-1].astype(np.float32) / scale).transpose(2, 0, 1)[None].copy()
session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
y = session.run(["output"], {"input": x})[0]
if not isinstance(session.get_inputs()[0].shape[0], int):  # a dynamic batch (PyTorch's exports fix it at 1)
    pair = session.run(["output"], {"input": np.concatenate([x, x])})[0]
    assert np.array_equal(pair, np.concatenate([y, y])), "the input twice as one batch differs from it once"
with open(out_path, "wb") as out:
    out.write(np.array(y.shape, dtype="<i4").tobytes())
    out.write(y.astype("<f4").tobytes())
print(f"onnxruntime {onnxruntime.__version__}: {model_path} {list(x.shape)} -> {list(y.shape)}")
