#!/usr/bin/env bash
# The README's main command: installs what is missing, builds `lumen` in release
# mode and runs the main job on the bundled sample photo. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product lumen
mkdir -p demo-output
.build/release/lumen demo Resources/samples/astronaut.jpg -o demo-output/astronaut-demo.png
