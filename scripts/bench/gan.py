#!/usr/bin/env python3
"""One GAN training step, Lumen against PyTorch in the same run.

The step is gan-paired's (`lumen bench train --model gan-paired`): the ResNet generator
(base width 32, 6 residual blocks, instance norm, reflection padding, one tanh) and the
conditional PatchGAN (base 32, 3 stride-2 layers, instance norm, 6 input channels);
the generator is updated on L1 + 0.5 (1 - SSIM) + 0.01 LSGAN with the discriminator
frozen, then the discriminator on LSGAN against the detached output; Adam (0.5, 0.999)
for each. Batch 4 at 128x128 as the issue asks. For each thread count: `lumen bench
train --json` (a subprocess) and the same step in PyTorch; medians of --repeats steps
after one warm-up; prints a Markdown table with Lumen's speed-up (PyTorch s / Lumen s:
above 1 means Lumen is faster).

    bash scripts/setup-peers.sh
    ~/.cache/lumen-peers/venv-torch/bin/python scripts/bench/gan.py --lumen .build/release/lumen
"""
import argparse
import json
import os
import subprocess
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from restoration import cpu_name, timed  # noqa: E402  (the bench scripts' shared helpers)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3), nn.InstanceNorm2d(channels), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(channels, channels, 3), nn.InstanceNorm2d(channels))

    def forward(self, x):
        return x + self.body(x)


def resnet_generator(base=32, blocks=6):
    layers = [nn.ReflectionPad2d(3), nn.Conv2d(3, base, 7), nn.InstanceNorm2d(base), nn.ReLU(True)]
    for level in range(2):
        layers += [nn.Conv2d(base << level, base << (level + 1), 3, stride=2, padding=1),
                   nn.InstanceNorm2d(base << (level + 1)), nn.ReLU(True)]
    layers += [ResidualBlock(base * 4) for _ in range(blocks)]
    for level in range(2):
        layers += [nn.ConvTranspose2d(base << (2 - level), base << (1 - level), 3, stride=2, padding=1, output_padding=1),
                   nn.InstanceNorm2d(base << (1 - level)), nn.ReLU(True)]
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(base, 3, 7), nn.Tanh()]
    return nn.Sequential(*layers)


def patch_discriminator(channels=6, base=32, stages=3):
    widths = [channels] + [base << min(i, 3) for i in range(stages + 1)] + [1]
    layers = []
    for index in range(len(widths) - 1):
        layers.append(nn.Conv2d(widths[index], widths[index + 1], 4, stride=2 if index < stages else 1, padding=1))
        if index < len(widths) - 2:
            if index > 0:
                layers.append(nn.InstanceNorm2d(widths[index + 1]))
            layers.append(nn.LeakyReLU(0.2, True))
    return nn.Sequential(*layers)


def ssim_loss(x, y):
    taps = torch.exp(-((torch.arange(11, dtype=torch.float32) - 5) ** 2) / (2 * 1.5 ** 2))
    taps = taps / taps.sum()
    channels = x.shape[1]
    stacked = torch.cat([x, y, x * x, y * y, x * y], 1)
    groups = 5 * channels
    local = F.conv2d(F.conv2d(stacked, taps.view(1, 1, 1, 11).repeat(groups, 1, 1, 1), groups=groups),
                     taps.view(1, 1, 11, 1).repeat(groups, 1, 1, 1), groups=groups)
    mx, my, xx, yy, xy = local.split(channels, 1)
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    ssim = ((2 * mx * my + c1) * (2 * (xy - mx * my) + c2)) / ((mx * mx + my * my + c1) * (xx - mx * mx + yy - my * my + c2))
    return 1 - ssim.mean()


def pytorch_step_seconds(batch, size, repeats):
    torch.manual_seed(1)
    generator, discriminator = resnet_generator(), patch_discriminator()
    g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    low = torch.rand(batch, 3, size, size) * 0.5
    high = (low * 2).clamp(0, 1)

    def step():
        fake = (generator(low * 2 - 1) + 1) * 0.5
        for p in discriminator.parameters():
            p.requires_grad_(False)
        g_opt.zero_grad()
        adversarial = ((discriminator(torch.cat([low, fake], 1)) - 1) ** 2).mean()
        (F.l1_loss(fake, high) + 0.5 * ssim_loss(fake, high) + 0.01 * adversarial).backward()
        g_opt.step()
        for p in discriminator.parameters():
            p.requires_grad_(True)
        d_opt.zero_grad()
        real_out = discriminator(torch.cat([low, high], 1))
        fake_out = discriminator(torch.cat([low, fake.detach()], 1))
        ((real_out - 1) ** 2).mean().add((fake_out ** 2).mean()).backward()
        d_opt.step()

    return timed(step, repeats) / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lumen", default=os.path.join(ROOT, ".build", "release", "lumen"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--size", type=int, default=128)
    args = parser.parse_args()
    print(f"CPU: {cpu_name()}; torch {torch.__version__}; batch {args.batch} at {args.size}x{args.size}\n")
    print("| threads | Lumen s/step | PyTorch s/step | Lumen speed-up |")
    print("|---|---|---|---|")
    for threads in [int(t) for t in args.threads.split(",")]:
        lumen = json.loads(subprocess.run(
            [args.lumen, "bench", "train", "--model", "gan-paired", "--batch", str(args.batch),
             "--size", f"{args.size}x{args.size}", "--repeats", str(args.repeats), "--threads", str(threads), "--json"],
            check=True, capture_output=True, text=True).stdout)["seconds_per_step"]
        torch.set_num_threads(threads)
        peer = pytorch_step_seconds(args.batch, args.size, args.repeats)
        print(f"| {threads} | {lumen:.3f} | {peer:.3f} | {peer / lumen:.2f}x |")


if __name__ == "__main__":
    main()
