#!/usr/bin/env bash
# Installs the system libraries that building and testing Lumen needs on Debian 12
# (Swift 6.3 itself is expected on PATH). Idempotent: packages already present are
# detected with `dpkg -s`, so a second run does no apt work at all.
# Python peers for benchmarks are installed separately by scripts/setup-peers.sh.
set -euo pipefail

# unzip: scripts/fuzz.sh takes the pickles out of zip checkpoints for its seeds.
packages=(pkg-config libopenblas-dev libpng-dev libjpeg62-turbo-dev libtiff-dev libwebp-dev unzip)

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

missing=()
for package in "${packages[@]}"; do
    if dpkg -s "$package" >/dev/null 2>&1; then
        echo "setup: $package already installed"
    else
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! pkg-config --exists openblas; then
    echo "setup: pkg-config cannot find openblas after installing libopenblas-dev" >&2
    exit 1
fi
echo "setup: openblas $(pkg-config --modversion openblas) via pkg-config"

if command -v swift >/dev/null 2>&1; then
    echo "setup: $(swift --version 2>/dev/null | head -n 1)"
else
    echo "setup: warning: swift not on PATH (Lumen needs Swift 6.3)" >&2
fi
echo "setup: done"
