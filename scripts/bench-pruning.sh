#!/usr/bin/env bash
# The Zero-DCE pruning table of issue 16: for each sparsity, the official checkpoint
# without its dead filters (`lumen prune`), then without that fraction of the weakest
# filters by L1 norm, fine-tuned with Zero-DCE's own losses (`lumen train --init`) and,
# separately, distilled from the official model (`lumen distill --init`, same steps);
# its parameters, GFLOP per megapixel, milliseconds per 600x400 image (`lumen bench
# model`, one thread, median of 5) and PSNR / SSIM of its output against the official
# model's on the DICM test photos.
#
#     bash scripts/bench-pruning.sh [SPARSITY ...]      # default 0 0.3 0.5 0.7
#
# Environment: LUMEN (the binary, default the release build), TRAIN (photos to
# fine-tune on, default ../shared/data/train-unpaired), TRAIN_IMAGES (how many of
# them, 400), EPOCHS (2), TEST (../shared/data/test/dicm), TEST_IMAGES (16).
set -euo pipefail
cd "$(dirname "$0")/.."
lumen=${LUMEN:-.build/release/lumen}
official=../shared/fixtures/official-weights/zero-dce-epoch99.pth
train=${TRAIN:-../shared/data/train-unpaired}
test=${TEST:-../shared/data/test/dicm}
sparsities=("$@")
[ ${#sparsities[@]} -gt 0 ] || sparsities=(0 0.3 0.5 0.7)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/train" "$work/test" "$work/official"
# Arrays rather than `| head`, whose early exit would fail the pipeline under pipefail.
mapfile -t photos < <(find "$train" -maxdepth 1 -type f -name '*.jpg' | sort)
cp "${photos[@]:0:${TRAIN_IMAGES:-400}}" "$work/train/"
mapfile -t photos < <(find "$test" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' \) | sort)
cp "${photos[@]:0:${TEST_IMAGES:-16}}" "$work/test/"
"$lumen" enhance "$work/test" -o "$work/official" --model zero-dce --weights "$official" --format png >/dev/null 2>&1

source scripts/bench/closeness.sh
# The mean PSNR and SSIM of WEIGHTS' outputs against the official model's.
quality() { closeness "$lumen" "$1" "$work/test" "$work/official" "$work/out"; }
# Milliseconds per 600x400 image with WEIGHTS, one thread, median of 5.
speed() {
    "$lumen" bench model --model zero-dce --weights "$1" --size 600x400 --threads 1 --repeats 5 --json \
        | python3 -c 'import json, sys; print(round(json.loads(sys.stdin.read())["median_ms"], 1))'
}

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); fine-tuned ${EPOCHS:-2} epochs of ${TRAIN_IMAGES:-400} photos, batch 8, 128x128"
echo "| sparsity | filters conv1-6 | parameters | GFLOP/MP | ms 600x400 (1 thread) | PSNR / SSIM vs official, pruned | after fine-tuning | after distillation |"
echo "|---|---|---|---|---|---|---|---|"
echo "| official | 32 each | 79416 | 158.4 | $(speed "$official") | | | |"
for sparsity in "${sparsities[@]}"; do
    pruned="$work/pruned-$sparsity.safetensors"
    report=$("$lumen" prune zero-dce --weights "$official" -o "$pruned" --sparsity "$sparsity")
    before=$(quality "$pruned") after="" distilled=""
    weights=$pruned
    if [ "$sparsity" != 0 ]; then
        "$lumen" train zero-dce --init "$pruned" --data "$work/train" --out "$work/run-$sparsity" \
            --epochs "${EPOCHS:-2}" --batch-size 8 --size 128 >/dev/null 2>&1
        weights="$work/run-$sparsity/zero-dce.safetensors"
        after=$(quality "$weights")
        "$lumen" distill --teacher zero-dce --teacher-weights "$official" --init "$pruned" --data "$work/train" \
            --out "$work/distill-$sparsity" --epochs "${EPOCHS:-2}" --batch-size 8 --size 128 >/dev/null 2>&1
        distilled=$(quality "$work/distill-$sparsity/zero-dce.safetensors")
    fi
    filters=$(echo "$report" | sed -n 's/^conv[0-9]: 32 -> \([0-9]*\) filters.*/\1/p' | paste -sd/)
    parameters=$(echo "$report" | sed -n 's/.*-> \([0-9]*\) parameters.*/\1/p')
    gflop=$(echo "$report" | sed -n 's/.*-> \([0-9.]*\) GFLOP per megapixel/\1/p')
    echo "| $sparsity | $filters | $parameters | $gflop | $(speed "$weights") | ${before/ / \/ } | ${after/ / \/ } | ${distilled/ / \/ } |"
done
