#!/usr/bin/env bash
# Speed and peak memory of `lumen matte` (README, "Low-light matting"): both
# bundled models at 1920x1080 and 6000x4000 (24 MP), 1 and 2 threads, with the
# tile sizes given. Prints a Markdown table of the median wall time of REPS runs
# and the largest peak resident memory. Make the photos first, e.g. by resizing
# a real one; release build. Usage:
#   scripts/matting/matte-speed.sh PHOTO [REPS] [TILES] [THREADS]   (defaults: 3, "512 1024 0", "1 2")
set -euo pipefail
cd "$(dirname "$0")/../.."
photo=$1 reps=${2:-3} tiles=${3:-512 1024 0} threads=${4:-1 2}
lumen=${LUMEN:-.build/release/lumen}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| photo | model | threads | tile | seconds (median of $reps) | peak memory |"
echo "| --- | --- | --: | --: | --: | --: |"
for mode in off on; do
    for tile in $tiles; do
        for n in $threads; do
            times=() peak=0
            for _ in $(seq "$reps"); do
                /usr/bin/time -f "%e %M" -o "$out/time" "$lumen" matte "$photo" -o "$out/alpha.png" \
                    --low-light "$mode" --tile-size "$tile" --threads "$n" > /dev/null 2>&1
                read -r seconds kb < "$out/time"
                times+=("$seconds")
                (( kb > peak )) && peak=$kb
            done
            median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
            model=$([ "$mode" = on ] && echo "low light (zero-dce-pp front end)" || echo plain)
            echo "| $(basename "$photo") | $model | $n | $([ "$tile" = 0 ] && echo whole || echo "$tile") | $median | $(awk "BEGIN {printf \"%.2f GB\", $peak / 1048576}") |"
        done
    done
done
