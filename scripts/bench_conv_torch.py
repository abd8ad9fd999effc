#!/usr/bin/env python3
"""PyTorch reference timings for the convolution shapes of `lumen bench`.

Times `torch.nn.functional.conv2d` (3x3, padding 1, stride 1, with bias) forward,
and backward for the input and weight gradients, on the CPU; prints one JSON line
per (shape, thread count) with GFLOP/s counted like ConvolutionBenchmark.swift:
forward = 2 * N * outC * H * W * inC * k * k, backward = twice that.

    python3 scripts/bench_conv_torch.py [--threads 1 2] [--repeats 5]
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

CHANNELS = [(3, 32), (32, 32), (64, 32), (64, 24), (32, 3), (3, 3)]
SIZES = [(400, 600), (900, 1200)]  # (H, W): 600x400 and 1200x900 photos


def median_seconds(body, warmup, repeats):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def measure(in_channels, out_channels, height, width, warmup, repeats, kernel=3):
    generator = torch.Generator().manual_seed(7)
    x = torch.rand(1, in_channels, height, width, generator=generator) * 2 - 1
    weight = (torch.rand(out_channels, in_channels, kernel, kernel, generator=generator) - 0.5) * 0.2
    bias = (torch.rand(out_channels, generator=generator) - 0.5) * 0.2
    with torch.no_grad():
        forward = median_seconds(lambda: F.conv2d(x, weight, bias, padding=kernel // 2), warmup, repeats)

    x.requires_grad_(True)
    weight.requires_grad_(True)
    output = F.conv2d(x, weight, None, padding=kernel // 2)
    seed = torch.rand(output.shape, generator=generator) * 2 - 1

    def backward():
        torch.autograd.grad(output, (x, weight), seed, retain_graph=True)

    backward_seconds = median_seconds(backward, warmup, repeats)
    flops = 2.0 * out_channels * height * width * in_channels * kernel * kernel
    return flops / forward / 1e9, 2 * flops / backward_seconds / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    for height, width in SIZES:
        for in_channels, out_channels in CHANNELS:
            for threads in arguments.threads:
                torch.set_num_threads(threads)
                forward, backward = measure(in_channels, out_channels, height, width,
                                            arguments.warmup, arguments.repeats)
                print(json.dumps({
                    "engine": "torch", "version": torch.__version__,
                    "inC": in_channels, "outC": out_channels, "h": height, "w": width,
                    "threads": threads,
                    "forward_gflops": round(forward, 1), "backward_gflops": round(backward, 1),
                }), flush=True)


if __name__ == "__main__":
    main()
