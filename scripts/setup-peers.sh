#!/usr/bin/env bash
# Installs the benchmark and reference peers described in ../shared/tools/peers/README.md
# (PyTorch, ONNX Runtime, OpenCV, scikit-image). Not needed to build or test Lumen.
# Idempotent: apt packages are checked with `dpkg -s` and each venv with an import
# test, so a second run does no network work.
#
#   venv        Debian's python3 with --system-site-packages: Debian's torch 1.13,
#               OpenCV and Pillow, plus onnxruntime, onnx and scikit-image from PyPI.
#   venv-torch  a modern CPU torch from a wheel in $LUMEN_WHEELS (default /opt/wheels),
#               plus opencv-contrib-python-headless 4.14 (dnn_superres; OpenCV 5 cannot read .pb), onnxruntime and onnx. Skipped when no
#               torch wheel is there: PyPI's default torch pulls gigabytes of CUDA.
#
# Location: $LUMEN_PEERS_DIR, default ~/.cache/lumen-peers.
set -euo pipefail

peers_dir="${LUMEN_PEERS_DIR:-$HOME/.cache/lumen-peers}"
wheels_dir="${LUMEN_WHEELS:-/opt/wheels}"
# Debian's python, not a pyenv shim: only it sees the apt-installed torch and cv2.
system_python=/usr/bin/python3

apt_packages=(python3-torch python3-opencv python3-pil python3-venv python3-pip)

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "peers: apt installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "peers: apt packages already installed (${apt_packages[*]})"
fi

mkdir -p "$peers_dir"

# Checks and the summary read package metadata instead of importing: importing torch
# twice costs seconds, and a second run should be instant.
has_modules() { # python module...
    local python=$1; shift
    "$python" -c 'import importlib.util, sys
sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)' "$@" 2>/dev/null
}
version_of() { # python distribution
    "$1" -c 'import importlib.metadata, sys; print(importlib.metadata.version(sys.argv[1]))' "$2" 2>/dev/null || true
}

# --- venv: Debian torch 1.13 + ONNX Runtime + scikit-image --------------------------
venv="$peers_dir/venv"
venv_modules='torch cv2 PIL numpy onnxruntime onnx skimage'
if [ -x "$venv/bin/python" ] && has_modules "$venv/bin/python" $venv_modules; then
    echo "peers: $venv already complete"
else
    echo "peers: creating $venv"
    "$system_python" -m venv --system-site-packages "$venv"
    # Pin numpy to Debian's: a numpy 2 inside the venv would shadow the system one
    # and break Debian's torch and cv2, which are built against numpy 1.x.
    system_numpy=$("$system_python" -c 'import numpy; print(numpy.__version__)')
    constraints="$venv/numpy-constraint.txt"
    echo "numpy==$system_numpy" >"$constraints"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        --constraint "$constraints" onnxruntime onnx scikit-image
    "$venv/bin/python" -c "import ${venv_modules// /, }"
fi

# --- venv-torch: modern CPU torch from a local wheel --------------------------------
venv_torch="$peers_dir/venv-torch"
python_tag=$("$system_python" -c 'import sys; print(f"cp{sys.version_info.major}{sys.version_info.minor}")')
wheel=$(ls "$wheels_dir"/torch-*-"$python_tag"-*linux*_x86_64.whl 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$wheel" ]; then
    echo "peers: no torch wheel for $python_tag in $wheels_dir; skipping $venv_torch"
else
    wheel_version=$(basename "$wheel" | cut -d- -f2)
    if [ -x "$venv_torch/bin/python" ] && has_modules "$venv_torch/bin/python" cv2 onnxruntime onnx \
        && "$venv_torch/bin/python" -c "import cv2; cv2.dnn_superres; assert cv2.__version__ == '4.14.0'" >/dev/null 2>&1 \
        && [ "$(version_of "$venv_torch/bin/python" torch)" = "$wheel_version" ]; then
        echo "peers: $venv_torch already complete"
    else
        echo "peers: creating $venv_torch from $(basename "$wheel")"
        # Afresh: opencv-contrib and a plain opencv wheel of an older venv would both own cv2/.
        rm -rf "$venv_torch"
        "$system_python" -m venv "$venv_torch"
        # The wheel by path, so a newer CUDA build on PyPI cannot win the resolution;
        # its dependencies (sympy, networkx, ...) come from PyPI.
        "$venv_torch/bin/pip" install --quiet --disable-pip-version-check \
            "$wheel" numpy opencv-contrib-python-headless==4.14.0.94 onnxruntime onnx
        "$venv_torch/bin/python" -c 'import torch, cv2, onnxruntime, onnx; cv2.dnn_superres'
    fi
fi

# --- summary -------------------------------------------------------------------------
report='import importlib.metadata as metadata, sys
def version(*names):
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    if names[0] == "opencv":  # Debian ships cv2 without distribution metadata
        import cv2
        return cv2.__version__ + " (Debian)"
    return None
found = {label: version(*names) for label, names in [
    ("torch", ["torch"]), ("opencv", ["opencv", "opencv-contrib-python-headless", "opencv-python-headless"]),
    ("numpy", ["numpy"]), ("onnxruntime", ["onnxruntime"]), ("onnx", ["onnx"]),
    ("scikit-image", ["scikit-image"]), ("pillow", ["pillow"])]}
print(f"  {sys.executable} (python {sys.version.split()[0]}): "
      + ", ".join(f"{k} {v}" for k, v in found.items() if v))'
echo "peers: ready"
"$venv/bin/python" -c "$report"
if [ -x "$venv_torch/bin/python" ]; then "$venv_torch/bin/python" -c "$report"; fi
