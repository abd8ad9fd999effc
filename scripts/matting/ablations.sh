#!/usr/bin/env bash
# Issue 14's ablations of the low-light matting pipeline (README, "Low-light
# matting"): the pipeline, then the same without the edge term, without staging,
# and trained on the seed's degradation instead of Lumen's, each scored on the
# held-out dark composites of both degradations.
#
# Every run has the same budget, a third of the seed's 60 epochs (20 epochs of
# 50 steps, about 15 minutes each on 2 cores), and starts, as the shipped
# low-light model did, from the bundled plain weights with the bundled Zero-DCE++
# as its front end. Finished runs and data sets are kept: a second call only
# scores them again. Usage: scripts/matting/ablations.sh [RUNS_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-runs/matting-ablations}
lumen=${LUMEN:-.build/release/lumen}
photos=../shared/data/train-unpaired
mkdir -p "$runs"

synth() { # name seed count size split degradation
    [ -f "$runs/$1/parameters.json" ] && return
    "$lumen" synth-matting --photos "$photos" --out "$runs/$1" --seed "$2" --count "$3" --size "$4" \
        --split "$5" --degradation "$6"
}
synth train-lumen 12 400 192 train lumen
synth train-seed 12 400 192 train seed
synth test-lumen 11 100 320 test lumen
synth test-seed 11 100 320 test seed

# The bundled plain model, as a file for --init.
python3 scripts/extract-weights.py Sources/Lumen/BundledWeights/MattingUNet+Bundled.swift "$runs/plain.safetensors"

# The seed's three stages, each a third as long.
cat > "$runs/short-plan.json" <<'EOF'
{"stages": [
  {"name": "head", "epochs": 3, "learningRate": 1e-4, "train": ["head", "frontEnd"]},
  {"name": "late encoder", "epochs": 7, "learningRate": 5e-5,
   "freeze": ["encoder.stem", "encoder.stage1", "encoder.stage2", "encoder.stage3"]},
  {"name": "all", "epochs": 10, "learningRate": 1e-5, "freeze": ["frontEnd"]}
]}
EOF

train() { # name data extra-flags...
    local name=$1 data=$2; shift 2
    [ -f "$runs/$name/matting-unet.safetensors" ] && return
    "$lumen" train matting-unet --mattes "$runs/$data" --front-end zero-dce-pp --init "$runs/plain.safetensors" \
        --size 160 --batch-size 8 --seed 1 --out "$runs/$name" "$@"
}
train pipeline train-lumen --stages "$runs/short-plan.json"
train no-edge train-lumen --stages "$runs/short-plan.json" --edge-weight 0
# Without staging: everything, the front end included, trains for the same 20
# epochs at the first stage's rate.
train no-stages train-lumen --stages none --epochs 20 --lr 1e-4
train seed-degradation train-seed --stages "$runs/short-plan.json"

methods=matting-unet:$runs/plain.safetensors
for name in pipeline no-edge no-stages seed-degradation; do
    methods+=,matting-unet:$runs/$name/matting-unet.safetensors
done
for test in test-lumen test-seed; do
    "$lumen" eval --task matting --data "$runs/$test/image" --reference "$runs/$test/alpha" \
        --trimaps "$runs/$test/trimap" --methods "$methods" --out "$runs/eval-$test"
done
echo "ablations: summaries in $runs/eval-test-lumen/summary.md and $runs/eval-test-seed/summary.md"
