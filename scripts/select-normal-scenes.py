#!/usr/bin/env python3
"""Chooses one normally exposed photo per scene of a multi-exposure folder and splits
the scenes into training and held-out validation, for supervised training on pairs
synthesised from them (lumen synth, lumen train --synthesize).

    ~/.cache/lumen-peers/venv/bin/python scripts/select-normal-scenes.py \
        ../shared/data/train-unpaired runs/normal

../shared/data/train-unpaired/ holds multi-exposure sequences: 1.jpg, 2.jpg, ... in
numeric order run through one scene at several exposures, then the next scene.

1. Scenes. Each image is reduced to a 32x32 gray thumbnail whose pixels are replaced
   by their ranks, a signature that does not change when the exposure does. A new
   scene starts where the signature's correlation with the previous image's falls
   below --same-scene (0.5): frames of one scene correlate at 0.9-1.0, except the
   darkest, noisy ones (0.6-0.8); different scenes mostly below 0.4.
2. Exposure. On a 64x64 thumbnail: the mean of R, G and B in [0, 1], and the
   fraction of clipped pixels (any channel >= 250 or all channels <= 5). A frame is
   normally exposed if its mean is within --mean-range (0.3-0.7) and at most
   --max-clipped (10%) of its pixels are clipped (bright skies clip; 5% rejected
   83 of the 245 scenes, 10% rejects 35); each scene contributes its frame
   with the smallest |mean - 0.5| + clipped fraction, or none.
3. Split. Every --validation-every-th scene (7) is held out: its chosen frame goes to
   TARGET/validation/, the others' to TARGET/train/, so no validation scene has any
   frame, at any exposure, in training. The folder also repeats some views under
   distant numbers (1003.jpg is 1100.jpg): a validation pick whose signature
   correlates at --duplicate (0.95) or more with any frame of a training scene is
   left out of both splits.

Writes symbolic links (replacing those of an earlier run) and TARGET/scenes.csv (scene,
first and last image, chosen image, its mean and clipped fraction, split), and prints
a summary. Needs numpy and Pillow (scripts/setup-peers.sh installs them).
"""
import argparse
import csv
import pathlib
import re

import numpy as np
from PIL import Image


def measure(path):
    """(rank signature, mean, clipped fraction) of one image."""
    with Image.open(path) as image:
        image.draft("RGB", (128, 128))
        rgb = image.convert("RGB")
        small = np.asarray(rgb.resize((64, 64), Image.BILINEAR), dtype=np.float64) / 255
        gray = np.asarray(rgb.resize((32, 32), Image.BILINEAR).convert("L"), dtype=np.float64).ravel()
    ranks = np.argsort(np.argsort(gray, kind="stable"), kind="stable").astype(np.float64)
    signature = (ranks - ranks.mean()) / ranks.std()
    clipped = ((small >= 250 / 255).any(axis=2) | (small <= 5 / 255).all(axis=2)).mean()
    return signature, float(small.mean()), float(clipped)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--same-scene", type=float, default=0.5)
    parser.add_argument("--mean-range", type=float, nargs=2, default=(0.3, 0.7))
    parser.add_argument("--max-clipped", type=float, default=0.1)
    parser.add_argument("--validation-every", type=int, default=7)
    parser.add_argument("--duplicate", type=float, default=0.95)
    args = parser.parse_args()
    source, target = pathlib.Path(args.source).resolve(), pathlib.Path(args.target)

    paths = [p for p in source.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"}]
    paths.sort(key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.stem)])
    measured = [measure(p) for p in paths]

    scenes, previous = [], None
    for path, (signature, mean, clipped) in zip(paths, measured):
        same = previous is not None and float(signature @ previous) / signature.size >= args.same_scene
        if not same:
            scenes.append([])
        scenes[-1].append((path, mean, clipped, signature))
        previous = signature
    held_out = lambda index: index % args.validation_every == args.validation_every - 1
    training_signatures = np.array([f[3] for index, frames in enumerate(scenes) if not held_out(index) for f in frames])

    for split in ("train", "validation"):
        folder = target / split
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if old.is_symlink():
                old.unlink()
    rows, chosen = [], {"train": [], "validation": []}
    low, high = args.mean_range
    duplicates = 0
    for index, frames in enumerate(scenes):
        split = "validation" if held_out(index) else "train"
        usable = [f for f in frames if low <= f[1] <= high and f[2] <= args.max_clipped]
        best = min(usable, key=lambda f: abs(f[1] - 0.5) + f[2]) if usable else None
        if best and split == "validation":
            if float((training_signatures @ best[3]).max()) / best[3].size >= args.duplicate:
                split, duplicates = "duplicate", duplicates + 1
        if best and split != "duplicate":
            (target / split / best[0].name).symlink_to(best[0])
            chosen[split].append(best)
        rows.append([index, frames[0][0].name, frames[-1][0].name, len(frames),
                     best[0].name if best else "", f"{best[1]:.3f}" if best else "", f"{best[2]:.4f}" if best else "",
                     split if best else "none"])
    with open(target / "scenes.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["scene", "first", "last", "frames", "chosen", "mean", "clipped", "split"])
        writer.writerows(rows)

    lengths = np.bincount([len(s) for s in scenes])
    print(f"{len(paths)} images in {len(scenes)} scenes; frames per scene: "
          + ", ".join(f"{n}: {c}" for n, c in enumerate(lengths) if c))
    print(f"{sum(1 for r in rows if r[-1] == 'none')} scenes without a normally exposed frame, "
          f"{duplicates} held-out picks left out as duplicates of training frames")
    for split, frames in chosen.items():
        means = np.array([f[1] for f in frames])
        print(f"{split}: {len(frames)} images, mean brightness {means.mean():.3f} "
              f"({means.min():.3f}-{means.max():.3f}), clipped at most {max(f[2] for f in frames):.2%}")


if __name__ == "__main__":
    main()
