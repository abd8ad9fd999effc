#!/usr/bin/env python3
"""OpenCV dnn_superres's ESPCN output, for Lumen's conformance test of the `.pb` import.

Runs cv2.dnn_superres (opencv-contrib) with OpenCV's ESPCN_x{2,3,4}.pb from
../shared/fixtures/restoration/weights/opencv-espcn/ on Set5's bird.png and writes
bird_x{s}.png into OUTDIR (default .build/conformance/opencv-superres). The outputs are
made at test time and never committed (they come from third-party weights).

    bash scripts/setup-conformance.sh          # .build/conformance-venv with opencv-contrib
    .build/conformance-venv/bin/python scripts/reference-opencv-superres.py
"""
import pathlib
import sys

import cv2

root = pathlib.Path(__file__).resolve().parent.parent
shared = root.parent / "shared"
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / ".build/conformance/opencv-superres"
out.mkdir(parents=True, exist_ok=True)
image = cv2.imread(str(shared / "data/restoration/sr-test/Set5/bird.png"), cv2.IMREAD_COLOR)
cv2.setNumThreads(1)
# The generic resize, as Lumen reproduces it: IPP's variant (in some builds only) rounds differently.
cv2.ipp.setUseIPP(False)
for scale in (2, 3, 4):
    sr = cv2.dnn_superres.DnnSuperResImpl_create()
    sr.readModel(str(shared / f"fixtures/restoration/weights/opencv-espcn/ESPCN_x{scale}.pb"))
    sr.setModel("espcn", scale)
    result = sr.upsample(image)
    target = out / f"bird_x{scale}.png"
    cv2.imwrite(str(target), result)
    print(f"{target}: {result.shape[1]}x{result.shape[0]}")
