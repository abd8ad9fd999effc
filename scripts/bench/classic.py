#!/usr/bin/env python3
"""Classical methods and metrics: Lumen against OpenCV on the same photos, in one run.

Makes the peers' benchmark photo (bench_common.test_image: a real low-light photo
resized to each size) as a PNG, times OpenCV with ../shared/tools/peers/bench_classic.py
and Lumen with `lumen bench classic` on that same file, for 1 and 2 threads, then
times every metric with `lumen bench metrics` at the first size. Prints a Markdown
table of medians and ratios (OpenCV ms / Lumen ms: above 1 means Lumen is faster)
and writes the JSON lines to bench-results/<timestamp>-classic/.

    python3 scripts/bench/classic.py --lumen .build-bench/release/lumen [--sizes 1200x900,6000x4000]

Run by scripts/bench-classic.sh, which builds Lumen and sets up the peers first.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PEERS = os.path.normpath(os.path.join(ROOT, "..", "shared", "tools", "peers"))
PEERS_DIR = os.environ.get("LUMEN_PEERS_DIR", os.path.expanduser("~/.cache/lumen-peers"))
PYTHON = os.path.join(PEERS_DIR, "venv-torch", "bin", "python")
# OpenCV op name in bench_classic.py -> Lumen method name.
OPS = {"equalizeHist_Y": "equalize", "CLAHE_L_clip2_8x8": "clahe", "gamma_LUT_2.2": "gamma", "grayworld_numpy": "gray-world"}


def lines(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lumen", required=True)
    parser.add_argument("--sizes", default="1200x900,6000x4000")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    folder = os.path.join(ROOT, "bench-results", datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ") + "-classic")
    os.makedirs(folder, exist_ok=True)
    sizes = args.sizes.split(",")
    images = {}
    for size in sizes:
        width, height = map(int, size.split("x"))
        path = os.path.join(folder, f"photo-{size}.png")
        subprocess.run([PYTHON, "-c", f"import sys, cv2; sys.path.insert(0, {PEERS!r}); import bench_common as C; "
                        f"cv2.imwrite({path!r}, C.test_image({width}, {height})[:, :, ::-1])"], check=True)
        images[size] = path
    records = []
    for threads in args.threads.split(","):
        records += lines([PYTHON, os.path.join(PEERS, "bench_classic.py"), "--threads", threads,
                          "--sizes", args.sizes, "--runs", str(args.repeats)])
        for size in sizes:
            records += lines([args.lumen, "bench", "classic", "--image", images[size], "--methods", ",".join(OPS.values()),
                              "--threads", threads, "--repeats", str(args.repeats), "--json"])
    metrics = lines([args.lumen, "bench", "metrics", "--image", images[sizes[0]], "--threads", "1", "--json"])
    with open(os.path.join(folder, "classic.jsonl"), "w") as out:
        for record in records + metrics:
            out.write(json.dumps(record) + "\n")

    def median(engine, op, size, threads):
        for r in records:
            is_lumen = r.get("engine") == "lumen"
            if is_lumen == (engine == "lumen") and r["op"] == op and r["size"] == size and int(r["threads"]) == int(threads):
                return r["median_ms"]
        return None

    opencv_version = next((r["engine_version"] for r in records if "engine_version" in r), "opencv")
    print(f"| method | size | threads | Lumen ms | OpenCV ms ({opencv_version}) | OpenCV / Lumen |")
    print("| --- | --- | --: | --: | --: | --: |")
    for opencv_op, lumen_op in OPS.items():
        for size in sizes:
            for threads in args.threads.split(","):
                ours, theirs = median("lumen", lumen_op, size, threads), median("opencv", opencv_op, size, threads)
                ratio = f"{theirs / ours:.2f}x" if ours and theirs else "–"
                print(f"| {lumen_op} | {size} | {threads} | {ours:.2f} | {theirs:.2f} | {ratio} |")
    print()
    print(f"| metric | Lumen ms per {sizes[0]} image (1 thread) |")
    print("| --- | --: |")
    for r in metrics:
        print(f"| {r['metric']} | {r['median_ms']:.1f} |")
    print(f"\nresults: {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
