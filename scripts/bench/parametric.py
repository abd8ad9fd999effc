#!/usr/bin/env python3
"""The parametric enhancer's look-up-table path in PyTorch, timed like `lumen bench parametric`.

Same architecture as Lumen's ParametricEnhancer (random convolutions, zero head), same
stages, same image (an 8-bit RGB uniform-noise image, or a photo with --image):

  predict  uint8 HWC -> float NCHW in [0, 1], adaptive_avg_pool2d to 64x64, the network,
           the three bounded scalars
  lut      the curve at the 256 code values, rounded to uint8
  apply    the table indexed by every sample: `lut.index_select(0, img.view(-1).int())`,
           the fastest of the indexing forms tried (`lut[img.long()]` and
           `torch.take` were 3-4x slower here)
  enhance  the three in a row

Prints one line per stage (median of --repeats after --warmup runs), or JSON lines with
--json. With --lumen, runs `lumen bench parametric` with the same size, threads and
repeats right after and prints both side by side:

    ~/.cache/lumen-peers/venv-torch/bin/python scripts/bench/parametric.py \\
        --lumen .build/release/lumen [--size 1920x1080] [--threads 2] [--repeats 9]
"""
import argparse
import json
import os
import subprocess
import time

import torch
import torch.nn.functional as F
from torch import nn

THUMBNAIL = 64


class ParametricEnhancer(nn.Module):
    """3x3 stride-2 convolutions 3 -> w -> 2w -> 4w with ReLU, global mean, linear head to 3."""

    def __init__(self, width=8):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(2 * width, 4 * width, 3, stride=2, padding=1)
        self.head = nn.Linear(4 * width, 3)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, thumbnail):
        features = F.relu(self.conv3(F.relu(self.conv2(F.relu(self.conv1(thumbnail)))))).mean((2, 3))
        a, b, c = torch.tanh(self.head(features)).unbind(1)
        return torch.stack([2 ** (2 * a), 2 ** b, 0.25 * c], 1)


def predict(model, image):
    x = image.permute(2, 0, 1).unsqueeze(0).float().div_(255)
    return model(F.adaptive_avg_pool2d(x, THUMBNAIL))[0]


def lookup_table(curve):
    gamma, contrast, brightness = curve.tolist()
    x = torch.arange(256, dtype=torch.float32).div_(255).clamp_(1e-6, 1)
    y = ((x ** gamma - 0.5) * contrast + 0.5 + brightness).clamp_(0, 1)
    return (y * 255).round_().to(torch.uint8)


def apply(table, image):
    return table.index_select(0, image.reshape(-1).int()).view(image.shape)


def timed(body, warmup, repeats):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)


def median(values):
    return (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2


def load_image(args):
    if args.image:
        import cv2
        return torch.from_numpy(cv2.imread(args.image, cv2.IMREAD_COLOR)[:, :, ::-1].copy())
    width, height = map(int, args.size.lower().split("x"))
    generator = torch.Generator().manual_seed(1)
    return torch.randint(0, 256, (height, width, 3), dtype=torch.uint8, generator=generator)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--image", help="a photo instead of the synthetic image, at its own size")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--lumen", help="path of the lumen binary to run on the same configuration")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = ParametricEnhancer().eval()
    image = load_image(args)
    size = f"{image.shape[1]}x{image.shape[0]}"
    with torch.inference_mode():
        curve = predict(model, image)
        table = lookup_table(curve)
        stages = {
            "predict": lambda: predict(model, image),
            "lut": lambda: lookup_table(curve),
            "apply": lambda: apply(table, image),
            "enhance": lambda: apply(lookup_table(predict(model, image)), image),
        }
        records = []
        for name, body in stages.items():
            times = timed(body, args.warmup, args.repeats)
            records.append({"kind": "parametric", "engine": "torch", "engine_version": torch.__version__, "op": name,
                            "size": size, "bit_depth": 8, "threads": args.threads,
                            "median_ms": round(median(times), 3), "min_ms": round(times[0], 3), "n": len(times)})

    if args.lumen:
        command = [args.lumen, "bench", "parametric", "--threads", str(args.threads), "--warmup", str(args.warmup),
                   "--repeats", str(args.repeats), "--json"]
        command += ["--image", args.image] if args.image else ["--size", args.size]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        lumen = {r["op"]: r for r in map(json.loads, output.splitlines())}
        print(f"| stage | image | threads | Lumen ms | PyTorch {torch.__version__} ms | PyTorch / Lumen |")
        print("| --- | --- | --: | --: | --: | --: |")
        for r in records:
            ours, theirs = lumen[r["op"]]["median_ms"], r["median_ms"]
            print(f"| {r['op']} | {size} 8-bit | {args.threads} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.1f}x |")
    elif args.json:
        for r in records:
            print(json.dumps(r, sort_keys=True))
    else:
        for r in records:
            print(f"{r['op']} {size} 8-bit, {args.threads} thread(s): {r['median_ms']:.3f} ms (median of {r['n']})")


if __name__ == "__main__":
    main()
