#!/usr/bin/env bash
# The bf16 table of issue 16: a training step's time and peak tensor memory in
# float32 and in bf16 mixed precision (`lumen bench train --precision`, official
# batch and size), and the validation loss after the same steps of the same run in
# each precision (`lumen train --precision`): Zero-DCE on photos (its zero-reference
# loss on ../shared/data/test/sci/easy), the gain U-Net on photos darkened on the fly
# (L1 on held-out pairs made by `lumen synth`, as in the README's supervised section).
#
#     bash scripts/bench-bf16.sh
#
# Environment: LUMEN (the binary, default the release build), EPOCHS_ZERO_DCE (5, of
# 400 photos), EPOCHS_GAIN_UNET (10, of the 181 normally exposed photos), SIZE (128),
# PYTHON (one with NumPy and Pillow, for select-normal-scenes.py; default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
lumen=${LUMEN:-.build/release/lumen}
size=${SIZE:-128}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() {  # MODEL PRECISION -> "seconds peak_mib"
    "$lumen" bench train --model "$1" --precision "$2" --repeats 3 --json \
        | python3 -c 'import json, sys; r = json.loads(sys.stdin.read()); print("%.3f %.0f" % (r["seconds_per_step"], r["peak_tensor_mib"]))'
}
final_validation() {  # RUN -> the last validation loss
    python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1] + "/losses.jsonl") if l.strip()]
print("%.5f" % [r for r in rows if r["phase"] == "validation"][-1]["total"])' "$1"
}

mkdir -p "$work/photos"
mapfile -t photos < <(find ../shared/data/train-unpaired -maxdepth 1 -type f -name '*.jpg' | sort)
cp "${photos[@]:0:400}" "$work/photos/"
"${PYTHON:-python3}" scripts/select-normal-scenes.py ../shared/data/train-unpaired "$work/normal" >/dev/null
"$lumen" synth --in "$work/normal/validation" --out "$work/pairs" --seed 1 --count-per-image 2 >/dev/null 2>&1
for precision in fp32 bf16; do
    "$lumen" train zero-dce --data "$work/photos" --validate ../shared/data/test/sci/easy --epochs "${EPOCHS_ZERO_DCE:-5}" \
        --batch-size 8 --size "$size" --precision "$precision" --out "$work/zero-dce-$precision" >/dev/null 2>&1
    "$lumen" train gain-unet --synthesize "$work/normal/train" --validate "$work/pairs" --epochs "${EPOCHS_GAIN_UNET:-10}" \
        --batch-size 8 --size "$size" --precision "$precision" --out "$work/gain-unet-$precision" >/dev/null 2>&1
done

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) threads"
echo
echo "| model | precision | s per step | peak tensor memory (MiB) | validation loss after training | vs fp32 |"
echo "|---|---|---|---|---|---|"
for model in zero-dce gain-unet; do
    reference=$(final_validation "$work/$model-fp32")
    for precision in fp32 bf16; do
        read -r seconds peak <<< "$(step "$model" "$precision")"
        loss=$(final_validation "$work/$model-$precision")
        change=$(python3 -c "print('%+.2f %%' % (100 * ($loss - $reference) / $reference))")
        echo "| $model | $precision | $seconds | $peak | $loss | $change |"
    done
done
