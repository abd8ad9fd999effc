# Sourced by the bench scripts. `closeness LUMEN WEIGHTS INPUTS REFERENCES WORK`
# enhances INPUTS with the Zero-DCE WEIGHTS into WORK (emptied first) and prints the
# mean PSNR and SSIM of the outputs against the same-named PNGs in REFERENCES, as
# "PSNR SSIM" ("inf" when every output is identical to its reference).
closeness() {
    local lumen=$1 weights=$2 inputs=$3 references=$4 work=$5
    rm -rf "$work" && "$lumen" enhance "$inputs" -o "$work" --model zero-dce --weights "$weights" --format png >/dev/null 2>&1
    for image in "$work"/*.png; do
        "$lumen" metrics "$image" "$references/$(basename "$image")" --metrics psnr,ssim --json
    done | python3 -c '
import json, statistics, sys
rows = [json.loads(line) for line in sys.stdin if line.strip()]
psnr = [r["psnr"] for r in rows]
print("inf" if None in psnr else "%.2f" % statistics.mean(psnr), "%.3f" % statistics.mean(r["ssim"] for r in rows))'
}
