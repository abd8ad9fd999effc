#!/usr/bin/env python3
"""Selects images from a folder by their mean brightness and links them into a new
folder, for training on one exposure range (the multi-exposure sequences of
../shared/data/train-unpaired/ run from very dark to over-exposed).

    ~/.cache/lumen-peers/venv/bin/python scripts/select-by-exposure.py \
        ../shared/data/train-unpaired runs/train-dark --max-mean 0.25

Brightness is the mean of R, G and B in [0, 1] on the image scaled down to at
most 128 pixels a side. Prints the histogram of means and how many were chosen.
Needs numpy and Pillow (scripts/setup-peers.sh installs them).
"""
import argparse
import os
import pathlib

import numpy as np
from PIL import Image


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--min-mean", type=float, default=0.0)
    parser.add_argument("--max-mean", type=float, default=1.0)
    args = parser.parse_args()
    source, target = pathlib.Path(args.source).resolve(), pathlib.Path(args.target)
    target.mkdir(parents=True, exist_ok=True)
    means = {}
    for path in sorted(source.iterdir()):
        if path.suffix.lower() not in {".png", ".jpg", ".jpeg"}:
            continue
        with Image.open(path) as image:
            image.thumbnail((128, 128))
            means[path] = float(np.asarray(image.convert("RGB"), dtype=np.float64).mean() / 255)
    counts, edges = np.histogram(list(means.values()), bins=10, range=(0, 1))
    for count, low in zip(counts, edges):
        print(f"mean {low:.1f}-{low + 0.1:.1f}: {count}")
    chosen = [p for p, m in means.items() if args.min_mean <= m < args.max_mean]
    for path in chosen:
        link = target / path.name
        if not link.exists():
            os.symlink(path, link)
    print(f"{len(chosen)} of {len(means)} images with mean in [{args.min_mean}, {args.max_mean}) linked into {target}")


if __name__ == "__main__":
    main()
