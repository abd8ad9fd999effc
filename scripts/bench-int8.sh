#!/usr/bin/env bash
# The int8 speed table of issue 16: the official Zero-DCE in Lumen float, Lumen int8
# (8-bit weights on 7-bit activations on the AVX2 kernels, 8-bit pairs on AVX-512
# VNNI where the CPU has it: what `lumen quantize` makes by default on each),
# ONNX Runtime float and ONNX Runtime int8 (quantize_static: QDQ, per-channel,
# reduce_range, the same calibration photos), at 600x400 and 1200x900 on 1 and 2
# threads, medians of 5 runs from one run of this script.
#
#     bash scripts/bench-int8.sh
#
# Environment: LUMEN (the binary, default the release build), PYTHON (with
# onnxruntime, default the peers' venv of scripts/setup-peers.sh), CALIBRATION
# (photos, default ../shared/data/train-unpaired) and CALIBRATION_IMAGES (16).
set -euo pipefail
cd "$(dirname "$0")/.."
lumen=${LUMEN:-.build/release/lumen}
python=${PYTHON:-$HOME/.cache/lumen-peers/venv/bin/python}
official=../shared/fixtures/official-weights/zero-dce-epoch99.pth
calibration=${CALIBRATION:-../shared/data/train-unpaired}
count=${CALIBRATION_IMAGES:-16}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/photos"
mapfile -t photos < <(find "$calibration" -maxdepth 1 -type f -name '*.jpg' | sort)
step=$(( ${#photos[@]} / count > 0 ? ${#photos[@]} / count : 1 ))
for ((i = 0; i < ${#photos[@]} && i / step < count; i += step)); do cp "${photos[$i]}" "$work/photos/"; done

"$lumen" export zero-dce --weights "$official" -o "$work/zero-dce.onnx" >/dev/null
"$lumen" quantize zero-dce --weights "$official" --calibrate "$work/photos" --activation-bits 7 -o "$work/int8-avx2.safetensors" >/dev/null 2>&1
"$lumen" quantize zero-dce --weights "$official" --calibrate "$work/photos" --activation-bits 8 -o "$work/int8-vnni.safetensors" >/dev/null 2>&1
"$python" scripts/onnxruntime-int8.py "$work/zero-dce.onnx" "$work/photos" "$count" "$work" 2>/dev/null > "$work/ort.jsonl"

# Milliseconds per image: bench ENVIRONMENT WEIGHTS SIZE THREADS.
bench() {
    env $1 "$lumen" bench model --model zero-dce --weights "$2" --size "$3" --threads "$4" --tile-size 0 --repeats 5 --json \
        | python3 -c 'import json, sys; print(round(json.loads(sys.stdin.read())["median_ms"]))'
}
ort() {
    python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("engine") == sys.argv[2] and r["size"] == sys.argv[3] and r["threads"] == int(sys.argv[4]): print(round(r["median_ms"]))' \
        "$work/ort.jsonl" "$1" "$2" "$3"
}
vnni=$(grep -qw avx512_vnni /proc/cpuinfo && echo yes || echo no)
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), AVX-512 VNNI: $vnni; ms per image, median of 5"
echo "| size | threads | Lumen float AVX2 | Lumen int8 AVX2 | Lumen float AVX-512 | Lumen int8 VNNI | ORT float | ORT int8 | int8 AVX2 / float AVX2 | best Lumen int8 / ORT int8 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for size in 600x400 1200x900; do
    for threads in 1 2; do
        fa=$(bench LUMEN_ISA=avx2 "$official" $size $threads)
        qa=$(bench LUMEN_INT8_ISA=avx2 "$work/int8-avx2.safetensors" $size $threads)
        fx="-" qv="-" best=$qa
        if [ "$vnni" = yes ]; then
            fx=$(bench LUMEN_ISA=avx512 "$official" $size $threads)
            qv=$(bench LUMEN_INT8_ISA=avx512-vnni "$work/int8-vnni.safetensors" $size $threads)
            best=$(( qv < qa ? qv : qa ))
        fi
        of=$(ort onnxruntime-float $size $threads) oq=$(ort onnxruntime-int8 $size $threads)
        echo "| $size | $threads | $fa | $qa | $fx | $qv | $of | $oq | $(python3 -c "print(f'{$fa/$qa:.2f}x')") | $(python3 -c "print(f'{$oq/$best:.2f}x')") |"
    done
done
python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["kind"] == "quality":
        print("ORT int8 against ORT float on the calibration photos: PSNR %.2f dB mean, %.2f dB worst" % (r["psnr_mean"], r["psnr_worst"]))' "$work/ort.jsonl"
