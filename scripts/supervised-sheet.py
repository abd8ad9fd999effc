#!/usr/bin/env python3
"""Draws held-out pairs side by side: the input, methods from a `lumen eval` report,
and the target, as docs/supervised-held-out.jpg in the README.

    ~/.cache/lumen-peers/venv/bin/python scripts/supervised-sheet.py \
        runs/synthetic-validation runs/eval-synthetic docs/supervised-held-out.jpg

Shows the 1st, 10th, 22nd and 41st pair by sorted name. Needs Pillow.
"""
import argparse
import os

from PIL import Image, ImageDraw

METHODS = ["auto-levels", "zero-dce-pp", "parametric", "gain-unet"]
SIDE, LABEL = 220, 22


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", help="folder with low/ and high/")
    parser.add_argument("report", help="a lumen eval --out folder (its images/METHOD/ folders)")
    parser.add_argument("output")
    args = parser.parse_args()
    names = sorted(os.listdir(os.path.join(args.pairs, "low")))
    chosen = [names[i] for i in (0, 9, 21, 40) if i < len(names)]
    columns = [("input", os.path.join(args.pairs, "low"))]
    columns += [(method, os.path.join(args.report, "images", method)) for method in METHODS]
    columns += [("target", os.path.join(args.pairs, "high"))]
    sheet = Image.new("RGB", (SIDE * len(columns), LABEL + SIDE * len(chosen)), "white")
    draw = ImageDraw.Draw(sheet)
    for column, (label, folder) in enumerate(columns):
        draw.text((column * SIDE + 6, 5), label, fill="black")
        for row, name in enumerate(chosen):
            with Image.open(os.path.join(folder, name)) as image:
                sheet.paste(image.convert("RGB").resize((SIDE, SIDE), Image.LANCZOS), (column * SIDE, LABEL + row * SIDE))
    sheet.save(args.output, quality=85)
    print(f"{len(chosen)} pairs x {len(columns)} columns -> {args.output}")


if __name__ == "__main__":
    main()
