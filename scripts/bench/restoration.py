#!/usr/bin/env python3
"""Restoration models against PyTorch, ONNX Runtime and OpenCV dnn, in the same run.

For each configuration and thread count: `lumen bench restore --json` (a subprocess),
then the same architecture in PyTorch (random weights, inference mode), the same
module exported to ONNX and run by ONNX Runtime, and for ESPCN OpenCV's `ESPCN_x3.pb`
through `cv2.dnn` (the network alone, as Lumen is timed; `dnn_superres.upsample`,
which adds the colour conversion, is recorded too). Medians of --repeats runs after
one warm-up; prints a Markdown table with Lumen's speed-up over each peer (peer ms /
Lumen ms: above 1 means Lumen is faster) and writes the JSON lines beside it.

Configurations (the issue's): ESPCN ×3 producing 1920x1080 (input 640x360, Lumen's
Y-only ESPCN), DnCNN on 1200x900 as published (17 x 64, KAIR's dncnn_25.pth) and as
Lumen ships it (10 x 32).

    bash scripts/setup-peers.sh     # venv-torch: torch 2.x, onnxruntime, opencv-contrib
    ~/.cache/lumen-peers/venv-torch/bin/python scripts/bench/restoration.py --lumen .build/release/lumen
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
WEIGHTS = os.path.join(SHARED, "fixtures", "restoration", "weights")


class ESPCN(nn.Module):
    """Lumen's Y-only ESPCN (OpenCV's architecture): ReLU, PixelShuffle, tanh, clip."""

    def __init__(self, scale):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 5, padding=2)
        self.conv2 = nn.Conv2d(64, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, scale * scale, 3, padding=1)
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        x = torch.relu(self.conv2(torch.relu(self.conv1(x))))
        return torch.clamp(torch.tanh(self.shuffle(self.conv3(x))), 0, 1)


class DnCNN(nn.Module):
    """KAIR's batch-norm-merged DnCNN: x - model(x)."""

    def __init__(self, depth, features):
        super().__init__()
        layers = []
        for i in range(depth):
            layers.append(nn.Conv2d(1 if i == 0 else features, 1 if i == depth - 1 else features, 3, padding=1))
            if i < depth - 1:
                layers.append(nn.ReLU(inplace=True))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return x - self.model(x)


CONFIGS = [
    # name, torch module, lumen arguments, input (w, h), OpenCV .pb or None
    ("espcn x3 -> 1920x1080", lambda: ESPCN(3), ["--model", "espcn", "--scale", "3"], (640, 360),
     os.path.join(WEIGHTS, "opencv-espcn", "ESPCN_x3.pb")),
    ("dncnn 17x64 1200x900", lambda: DnCNN(17, 64), ["--model", "dncnn", "--weights", os.path.join(WEIGHTS, "kair", "dncnn_25.pth")],
     (1200, 900), None),
    ("dncnn 10x32 1200x900", lambda: DnCNN(10, 32), ["--model", "dncnn"], (1200, 900), None),
]


def cpu_name():
    try:
        with open("/proc/cpuinfo") as handle:
            return next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def timed(body, repeats):
    body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lumen", default=os.path.join(ROOT, ".build", "release", "lumen"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", help="run configurations whose name contains this")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-results", "restoration-"
                                                      + datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")))
    args = parser.parse_args()
    import cv2
    import onnxruntime as ort
    os.makedirs(args.out, exist_ok=True)
    lines, rows = [], []
    for name, make, lumen_args, (width, height), pb in CONFIGS:
        if args.only and args.only not in name:
            continue
        torch.manual_seed(0)
        module = make().eval()
        x = torch.rand(1, 1, height, width)
        onnx_path = os.path.join(tempfile.mkdtemp(), "model.onnx")
        torch.onnx.export(module, x, onnx_path, input_names=["x"], output_names=["y"], opset_version=17, dynamo=False)
        for threads in [int(t) for t in args.threads.split(",")]:
            result = {"config": name, "threads": threads, "cpu": cpu_name()}
            lumen = subprocess.run([args.lumen, "bench", "restore", *lumen_args, "--size", f"{width}x{height}",
                                    "--threads", str(threads), "--repeats", str(args.repeats), "--json"],
                                   capture_output=True, text=True, check=True)
            record = json.loads(lumen.stdout.strip().splitlines()[-1])
            result["lumen_ms"], result["isa"] = record["median_ms"], record["isa"]
            torch.set_num_threads(threads)
            with torch.inference_mode():
                result["torch_ms"] = timed(lambda: module(x), args.repeats)
            options = ort.SessionOptions()
            options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
            session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
            feed = {"x": x.numpy()}
            result["ort_ms"] = timed(lambda: session.run(None, feed), args.repeats)
            if pb:
                cv2.setNumThreads(threads)
                sr = cv2.dnn_superres.DnnSuperResImpl_create()  # registers its DepthToSpace layer with the importer
                sr.readModel(pb)
                sr.setModel("espcn", 3)
                net = cv2.dnn.readNetFromTensorflow(pb)
                blob = np.random.default_rng(0).random((1, 1, height, width), dtype=np.float32)

                def forward():
                    net.setInput(blob)
                    net.forward()
                result["opencv_dnn_ms"] = timed(forward, args.repeats)
                photo = np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)
                result["opencv_upsample_ms"] = timed(lambda: sr.upsample(photo), args.repeats)
            lines.append(result)
            peers = [("PyTorch", "torch_ms"), ("ONNX Runtime", "ort_ms"), ("OpenCV dnn", "opencv_dnn_ms")]
            rows.append([name, str(threads), f"{result['lumen_ms']:.0f}"]
                        + [f"{result[key]:.0f} ({result[key] / result['lumen_ms']:.2f}x)" if key in result else "–" for _, key in peers])
            print(json.dumps(result), file=sys.stderr)
    with open(os.path.join(args.out, "restoration.jsonl"), "w") as handle:
        handle.writelines(json.dumps(line) + "\n" for line in lines)
    header = ["configuration", "threads", "Lumen ms", "PyTorch ms (speed-up)", "ONNX Runtime ms (speed-up)", "OpenCV dnn ms (speed-up)"]
    table = "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows])
    with open(os.path.join(args.out, "summary.md"), "w") as handle:
        handle.write(table + "\n")
    print(table)
    print(f"{cpu_name()}; torch {torch.__version__}, onnxruntime {ort.__version__}, opencv {cv2.__version__}; results in {args.out}")


if __name__ == "__main__":
    main()
