#!/usr/bin/env python3
"""Evidence for the default model: enhances the test sets with each candidate
weights and reports mean brightness and the zero-reference exposure and colour
losses per set, as a Markdown table, plus side-by-side grids of test/sci/medium
per candidate and all of them stacked in comparison.jpg.

    ~/.cache/lumen-peers/venv/bin/python scripts/compare-weights.py [--out compare-output]
    # other candidates instead of the default ones, e.g. a GAN against the default model:
    ... scripts/compare-weights.py --candidate "zero-dce-pp (bundled)=--model zero-dce-pp" \
        --candidate "enlighten-gan=--model enlighten-gan --weights runs/eg/enlighten-gan.safetensors"

Needs numpy and Pillow (scripts/setup-peers.sh installs them) and a release
build of lumen (swift build -c release --product lumen).
"""
import argparse
import pathlib
import subprocess
import tempfile

import numpy as np
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
WEIGHTS = SHARED / "fixtures" / "official-weights"
SETS = ["test/sci/easy", "test/sci/medium", "test/sci/difficult", "test/dicm"]
CANDIDATES = [
    ("Lumen zero-dce-pp (bundled)", ["--model", "zero-dce-pp"]),
    ("Lumen zero-dce (bundled)", ["--model", "zero-dce"]),
    ("Lumen sci (bundled)", ["--model", "sci"]),
    ("official zero-dce-pp", ["--model", "zero-dce-pp", "--weights", str(WEIGHTS / "zero-dce-pp-epoch99.pth")]),
    ("official zero-dce", ["--model", "zero-dce", "--weights", str(WEIGHTS / "zero-dce-epoch99.pth")]),
    ("official sci-medium", ["--model", "sci", "--weights", str(WEIGHTS / "sci-medium.pt")]),
]


def scores(rgb):
    """Mean brightness, exposure loss (16x16 patches towards 0.6) and colour loss of an HxWx3 image in [0, 1]."""
    gray = rgb.mean(axis=2)
    h, w = gray.shape[0] // 16 * 16, gray.shape[1] // 16 * 16
    patches = gray[:h, :w].reshape(h // 16, 16, w // 16, 16).mean(axis=(1, 3))
    r, g, b = rgb.reshape(-1, 3).mean(axis=0)
    colour = np.sqrt((r - g) ** 4 + (r - b) ** 4 + (b - g) ** 4)
    return rgb.mean(), ((patches - 0.6) ** 2).mean(), colour


def grid_name(name):
    return name.replace(' ', '_').replace('(', '').replace(')', '')


def write_comparison(out, names):
    """Stacks the test/sci/medium grids of every candidate, each under its name, as
    comparison.jpg (the README's docs/default-weights-comparison.jpg)."""
    from PIL import ImageDraw
    grids = [Image.open(out / f"{grid_name(name)}.png").convert("RGB") for name in names]
    label = 24
    sheet = Image.new("RGB", (grids[0].width, sum(g.height + label for g in grids)), "white")
    draw, y = ImageDraw.Draw(sheet), 0
    for name, grid in zip(names, grids):
        draw.text((6, y + 6), name, fill="black")
        sheet.paste(grid, (0, y + label))
        y += grid.height + label
    sheet.save(out / "comparison.jpg", quality=82)


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="compare-output")
    parser.add_argument("--lumen", default=str(ROOT / ".build" / "release" / "lumen"))
    parser.add_argument("--candidate", action="append", default=[],
                        help="LABEL=FLAGS for lumen enhance, repeatable; replaces the default candidates")
    args = parser.parse_args()
    candidates = [(label, flags.split()) for label, flags in (c.split("=", 1) for c in args.candidate)] or CANDIDATES
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, flags in [("input", None)] + candidates:
        for subset in SETS:
            folder = SHARED / "data" / subset
            inputs = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".png", ".jpg", ".jpeg"})
            if flags is None:
                outputs = inputs
            else:
                target = pathlib.Path(tempfile.mkdtemp(prefix="lumen-compare-"))
                subprocess.run([args.lumen, "enhance", str(folder), "-o", str(target)] + flags, check=True,
                               stderr=subprocess.DEVNULL)
                outputs = [target / (p.stem + ".png") for p in inputs]
            values = np.array([scores(load(p)) for p in outputs])
            rows.append((name, subset, len(outputs), *values.mean(axis=0)))
            if subset == "test/sci/medium":
                grid = np.concatenate([np.asarray(Image.open(p).convert("RGB").resize((200, 133))) for p in outputs[:4]], axis=1)
                Image.fromarray(grid).save(out / f"{grid_name(name)}.png")
    write_comparison(out, ["input"] + [name for name, _ in candidates])
    print("| weights | set | images | mean brightness | exposure loss | colour loss |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, subset, count, brightness, exposure, colour in rows:
        print(f"| {name} | {subset.removeprefix('test/')} | {count} | {brightness:.3f} | {exposure:.4f} | {colour:.4f} |")


if __name__ == "__main__":
    main()
