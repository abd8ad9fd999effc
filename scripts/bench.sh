#!/usr/bin/env bash
# Lumen against PyTorch 2.x and ONNX Runtime on this machine: builds `lumen` (release,
# scratch folder .build-bench), makes sure the peers exist (scripts/setup-peers.sh),
# runs every model x size x thread count and the convolution table
# (scripts/bench/run.py), then prints a Markdown summary (scripts/bench/summarize.py).
# Results: bench-results/<UTC timestamp>/{machine.json,infer.jsonl,conv.jsonl,summary.md}.
#
#   bash scripts/bench.sh            # full run, about 30 minutes on 2 cores
#   bash scripts/bench.sh --quick    # smoke run: small sizes, few repeats
#   bash scripts/bench.sh --models sci --sizes 600x400 --threads 1 --no-conv
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --scratch-path .build-bench --product lumen
peers_dir="${LUMEN_PEERS_DIR:-$HOME/.cache/lumen-peers}"
if [ ! -x "$peers_dir/venv-torch/bin/python" ] || [ ! -x "$peers_dir/venv/bin/python" ]; then
    bash scripts/setup-peers.sh
fi

folder="$(python3 scripts/bench/run.py --lumen .build-bench/release/lumen "$@" | tail -n 1)"
python3 scripts/bench/summarize.py "$folder"
