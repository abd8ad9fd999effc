#!/usr/bin/env bash
# The README's main command: installs what is missing, builds `lumen` in release
# mode and enhances the bundled low-light sample photo with the bundled default
# model (Lumen-trained Zero-DCE++). Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product lumen
mkdir -p demo-output
.build/release/lumen enhance Resources/samples/astronaut-dark.jpg -o demo-output/astronaut-enhanced.png
echo "demo: wrote demo-output/astronaut-enhanced.png (input: Resources/samples/astronaut-dark.jpg)"
