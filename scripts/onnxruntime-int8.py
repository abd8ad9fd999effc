#!/usr/bin/env python3
"""ONNX Runtime's int8 peer for the speed table of issue 16.

    PYTHON scripts/onnxruntime-int8.py FLOAT.onnx PHOTOS_DIR CALIBRATION_COUNT OUT_DIR

quantises FLOAT.onnx with onnxruntime.quantization.quantize_static (QDQ, per-channel
int8 weights with reduce_range, uint8 activations, MinMax calibration on the first
CALIBRATION_COUNT photos of PHOTOS_DIR, as Lumen calibrates), then prints one JSON
line per (model, size, threads): the median of 5 runs in milliseconds, for the
float and the int8 model, at 600x400 and 1200x900, on 1 and 2 threads. It also
prints the int8 model's PSNR against the float model on the calibration photos.
"""
import json
import os
import statistics
import sys
import time

import cv2
import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

float_path, photos_dir, count, out_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = sorted(n for n in os.listdir(photos_dir) if n.lower().endswith((".jpg", ".png")))
step = max(1, len(names) // count)
photos = []
for name in names[::step][:count]:
    image = cv2.imread(os.path.join(photos_dir, name), cv2.IMREAD_COLOR)[:, :, ::-1]
    photos.append((image.astype(np.float32) / 255).transpose(2, 0, 1)[None].copy())


class Photos(CalibrationDataReader):
    def __init__(self):
        self.items = iter(photos)

    def get_next(self):
        item = next(self.items, None)
        return None if item is None else {"input": item}


int8_path = os.path.join(out_dir, "int8.onnx")
quantize_static(float_path, int8_path, Photos(), quant_format=QuantFormat.QDQ, per_channel=True,
                reduce_range=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


float_one, int8_one = session(float_path, 1), session(int8_path, 1)
psnrs = []
for x in photos:
    a, b = float_one.run(None, {"input": x})[0], int8_one.run(None, {"input": x})[0]
    mse = float(np.mean((a.astype(np.float64) - b) ** 2))
    psnrs.append(10 * np.log10(1 / mse) if mse > 0 else float("inf"))
print(json.dumps({"kind": "quality", "psnr_mean": statistics.mean(psnrs), "psnr_worst": min(psnrs)}))

rng = np.random.default_rng(1)
for width, height in [(600, 400), (1200, 900)]:
    x = rng.random((1, 3, height, width), dtype=np.float32)
    for threads in [1, 2]:
        for label, path in [("float", float_path), ("int8", int8_path)]:
            s = session(path, threads)
            s.run(None, {"input": x})
            times = []
            for _ in range(5):
                start = time.perf_counter()
                s.run(None, {"input": x})
                times.append(1000 * (time.perf_counter() - start))
            print(json.dumps({"kind": "speed", "engine": "onnxruntime-" + label, "size": f"{width}x{height}",
                              "threads": threads, "median_ms": statistics.median(times)}), flush=True)
