#!/usr/bin/env bash
# The distillation table of issue 16: a Zero-DCE student of width W (default 16)
# trained by `lumen distill` on the official Zero-DCE's outputs plus its own
# zero-reference losses, against the same student trained alone for the same steps
# (`--distillation-weight 0`: same seed, initialisation and data order), on the
# test sets: exposure and colour error, NIQE (`lumen eval`), and PSNR / SSIM
# against the teacher's output; with parameters and milliseconds per 600x400 image.
#
#     bash scripts/bench-distillation.sh [WIDTH]
#
# Environment: LUMEN (the binary, default the release build), TRAIN (photos,
# default ../shared/data/train-unpaired), TRAIN_IMAGES (400), EPOCHS (5), SIZE (128),
# WEIGHT (the distillation weight, default lumen's), TESTS (test folders, default
# ../shared/data/test/dicm and ../shared/data/test/sci/easy).
set -euo pipefail
cd "$(dirname "$0")/.."
lumen=${LUMEN:-.build/release/lumen}
width=${1:-16}
train=${TRAIN:-../shared/data/train-unpaired}
read -r -a tests <<< "${TESTS:-../shared/data/test/dicm ../shared/data/test/sci/easy}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/train"
# An array rather than `| head`, whose early exit would fail the pipeline under pipefail.
mapfile -t photos < <(find "$train" -maxdepth 1 -type f -name '*.jpg' | sort)
cp "${photos[@]:0:${TRAIN_IMAGES:-400}}" "$work/train/"
weight=()
[ -z "${WEIGHT:-}" ] || weight=(--distillation-weight "$WEIGHT")
common=(--teacher zero-dce --student-width "$width" --data "$work/train" --epochs "${EPOCHS:-5}" --batch-size 8 --size "${SIZE:-128}")
"$lumen" distill "${common[@]}" "${weight[@]}" --out "$work/distilled" >/dev/null 2>&1
"$lumen" distill "${common[@]}" --distillation-weight 0 --out "$work/alone" >/dev/null 2>&1
distilled=$work/distilled/zero-dce.safetensors alone=$work/alone/zero-dce.safetensors

source scripts/bench/closeness.sh
# Mean PSNR / SSIM of WEIGHTS' outputs on TEST against the teacher's (in $work/teacher).
to_teacher() {
    local both
    both=$(closeness "$lumen" "$1" "$2" "$work/teacher" "$work/out")
    echo "${both/ / / }"
}
# Milliseconds per 600x400 image with WEIGHTS (bundled when empty), one thread, median of 5.
speed() {
    local weights=()
    [ -z "$1" ] || weights=(--weights "$1")
    "$lumen" bench model --model zero-dce "${weights[@]}" --size 600x400 --threads 1 --repeats 5 --json \
        | python3 -c 'import json, sys; print(round(json.loads(sys.stdin.read())["median_ms"], 1))'
}
parameters() {
    python3 - "$1" <<'PY'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
total = 0
for key, entry in header.items():
    if key != "__metadata__":
        count = 1
        for d in entry["shape"]:
            count *= d
        total += count
print(total)
PY
}

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); ${EPOCHS:-5} epochs of ${TRAIN_IMAGES:-400} photos, batch 8, ${SIZE:-128}x${SIZE:-128}"
echo "student: $(parameters "$distilled") parameters, $(speed "$distilled") ms per 600x400 image (1 thread); teacher: 79416 parameters, $(speed "") ms"
echo
echo "| test set | model | exposure error | colour error | NIQE | PSNR / SSIM vs teacher |"
echo "|---|---|---|---|---|---|"
for test in "${tests[@]}"; do
    set_name=${test#../shared/data/test/}
    rm -rf "$work/teacher" "$work/eval"
    "$lumen" enhance "$test" -o "$work/teacher" --model zero-dce --format png >/dev/null 2>&1
    "$lumen" eval --data "$test" --methods "zero-dce,zero-dce:$distilled,zero-dce:$alone" \
        --metrics exposure-error,color-error,niqe --out "$work/eval" >/dev/null 2>&1
    close_distilled=$(to_teacher "$distilled" "$test") close_alone=$(to_teacher "$alone" "$test")
    python3 - "$work/eval/summary.json" "$set_name" "$close_distilled" "$close_alone" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
labels = ["input", "teacher (zero-dce)", "student with teacher", "student alone"]
closeness = ["", "", sys.argv[3], sys.argv[4]]
for row, label, close in zip(summary["methods"], labels, closeness):
    m = row["means"]
    print(f"| {sys.argv[2]} | {label} | {m['exposure-error']:.4f} | {m['color-error']:.4f} | {m['niqe']:.2f} | {close} |")
PY
done
