#!/usr/bin/env bash
# Classical methods and metrics: Lumen against OpenCV on this machine (see
# scripts/bench/classic.py). Builds `lumen` (release, scratch folder .build-bench),
# sets up the peers if needed, prints Markdown tables.
#
#   bash scripts/bench-classic.sh [--sizes 1200x900,6000x4000] [--threads 1,2]
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --scratch-path .build-bench --product lumen
peers_dir="${LUMEN_PEERS_DIR:-$HOME/.cache/lumen-peers}"
if [ ! -x "$peers_dir/venv-torch/bin/python" ]; then
    bash scripts/setup-peers.sh
fi
python3 scripts/bench/classic.py --lumen .build-bench/release/lumen "$@"
