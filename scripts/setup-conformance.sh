#!/usr/bin/env bash
# The Python tools of the conformance tests that compare with a peer at test time:
# OpenCV's dnn_superres (opencv-contrib) for the ESPCN `.pb` import, and ONNX Runtime
# with the onnx checker for `lumen export`'s graphs. Installs them
# into .build/conformance-venv (pip from PyPI) and writes the reference outputs
# into .build/conformance/. Idempotent: an existing venv that imports cv2.dnn_superres
# of the pinned OpenCV and the pinned ONNX packages is kept, and outputs are only made
# when missing.
#
# OpenCV is pinned to 4.x: OpenCV 5 (on PyPI since late 2026) reads every dnn model as
# ONNX, so dnn_superres can no longer load the TensorFlow `.pb` files.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/conformance-venv
opencv=opencv-contrib-python-headless==4.14.0.94
onnx_packages=(onnxruntime==1.32.0 onnx==1.23.2)
if ! "$venv/bin/python" -c "import cv2, onnx, onnxruntime; cv2.dnn_superres; assert cv2.__version__ == '4.14.0'
assert onnxruntime.__version__ == '1.32.0' and onnx.__version__ == '1.23.2'" >/dev/null 2>&1; then
    if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
        if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$opencv" "${onnx_packages[@]}"
    rm -rf .build/conformance
fi
echo "conformance: $("$venv/bin/python" -c "import cv2, onnxruntime; print('opencv', cv2.__version__, 'onnxruntime', onnxruntime.__version__)")"
if [ ! -f .build/conformance/opencv-superres/bird_x4.png ]; then
    "$venv/bin/python" scripts/reference-opencv-superres.py
fi
