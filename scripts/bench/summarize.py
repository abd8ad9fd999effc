#!/usr/bin/env python3
"""Prints a Markdown summary of a bench-results/<timestamp>/ folder written by run.py,
and saves it there as summary.md.

Ratios are peer / Lumen for times and memory, and Lumen / peer for GFLOP/s, so
in every column a ratio above 1 means Lumen is faster (or smaller).

    python3 scripts/bench/summarize.py bench-results/20261121-190000
"""
import json
import os
import statistics
import sys

PEERS = (("torch", "PyTorch"), ("ort", "ONNX Runtime"))
MODEL_NAMES = {"zerodce": "Zero-DCE", "zerodcepp": "Zero-DCE++ (scale 12)", "sci": "SCI"}
TILED_SIZE = "6000x4000"
MEMORY_TARGET_MIB = 2048
CONV_TARGET_GFLOPS = 100


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def cell(record, key, reference=None, digits=0):
    """`value (value / reference x)`, or why there is no value."""
    if record is None:
        return "not run"
    if "skipped" in record:
        return "skipped*"
    if "error" in record or key not in record:
        return "failed†"
    value = record[key]
    text = "%.*f" % (digits, value)
    if reference is not None and reference.get(key):
        text += " (%.2fx)" % (value / reference[key])
    return text


def inference_table(records):
    """Rows per model x size x threads; the ratios compare each peer with Lumen."""
    by_key = {(r["model"], r["size"], r["threads"], r["engine"]): r for r in records}
    configurations = sorted({(r["model"], r["size"], r["threads"]) for r in records},
                            key=lambda c: (list(MODEL_NAMES).index(c[0]), int(c[1].split("x")[0]), c[2]))
    lines = ["| model | size | threads | Lumen ms | PyTorch ms (x) | ORT ms (x) | Lumen MiB | PyTorch MiB (x) | ORT MiB (x) |",
             "| --- | --- | --: | --: | --: | --: | --: | --: | --: |"]
    notes = {}
    for model, size, threads in configurations:
        lumen = by_key.get((model, size, threads, "lumen"))
        usable = lumen if lumen and "median_ms" in lumen else None
        peers = [by_key.get((model, size, threads, engine)) for engine, _ in PEERS]
        times = [cell(p, "median_ms", usable) for p in peers]
        memory = [cell(p, "peak_rss_mb", usable) for p in peers]
        tiled = " (tiles %d)" % lumen["tile_size"] if usable and lumen.get("tile_size") else ""
        lines.append("| %s | %s | %d | %s%s | %s | %s | %s | %s | %s |" % (
            MODEL_NAMES.get(model, model), size, threads, cell(lumen, "median_ms"), tiled, times[0], times[1],
            cell(lumen, "peak_rss_mb"), memory[0], memory[1]))
        for record in [lumen] + peers:
            for mark, key in (("*", "skipped"), ("†", "error")):
                if record and key in record:
                    notes.setdefault("%s %s %s %s: %s" % (mark, record["engine"], model, size, record[key]), None)
    return lines + [""] + ["- " + note for note in notes]


def conv_table(records):
    """Rows per shape, a forward and a backward column per thread count: `Lumen / PyTorch (x)`."""
    by_key = {(r["h"], r["w"], r["inC"], r["outC"], r["threads"], r["engine"]): r for r in records if "h" in r}
    shapes = sorted({k[:4] for k in by_key}, key=lambda k: (k[0], k[2], k[3]))
    thread_counts = sorted({k[4] for k in by_key})
    header = "| H x W | inC->outC |" + "".join(" fwd %dt | bwd %dt |" % (t, t) for t in thread_counts)
    lines = [header, "| --- | --- |" + " --: | --: |" * len(thread_counts)]
    for h, w, c_in, c_out in shapes:
        cells = []
        for threads in thread_counts:
            lumen = by_key.get((h, w, c_in, c_out, threads, "lumen"))
            torch = by_key.get((h, w, c_in, c_out, threads, "torch"))
            for key in ("forward_gflops", "backward_gflops"):
                value = cell(lumen, key, digits=1) + " / " + cell(torch, key, digits=1)
                if lumen and torch and key in lumen and torch.get(key):
                    value += " (%.2fx)" % (lumen[key] / torch[key])
                cells.append(value)
        lines.append("| %dx%d | %d->%d | %s |" % (h, w, c_in, c_out, " | ".join(cells)))
    failed = [r for r in records if "error" in r]
    return lines + ["", *("- %s, %s threads: %s" % (r["engine"], r["threads"], r["error"]) for r in failed)]


def targets(infer, conv):
    """Plain-text verdicts on the three performance targets."""
    out = []
    for threads in sorted({r["threads"] for r in conv if "forward_gflops" in r}):
        forward = [r["forward_gflops"] / threads for r in conv
                   if r["engine"] == "lumen" and r["threads"] == threads and "forward_gflops" in r]
        if forward:
            out.append("- Forward conv with %d thread(s), GFLOP/s per core (target %d): best %.1f, median %.1f "
                       "over %d shapes." % (threads, CONV_TARGET_GFLOPS, max(forward), statistics.median(forward),
                                            len(forward)))
    by_key = {(r["model"], r["size"], r["threads"], r["engine"]): r for r in infer}
    slower = []
    compared = 0
    for (model, size, threads, engine), lumen in by_key.items():
        if engine != "lumen" or "median_ms" not in lumen:
            continue
        for peer, name in PEERS:
            other = by_key.get((model, size, threads, peer))
            if other and "median_ms" in other:
                compared += 1
                if other["median_ms"] < lumen["median_ms"]:
                    slower.append("%s %s %dt vs %s (%.2fx)" % (MODEL_NAMES[model], size, threads, name,
                                                                other["median_ms"] / lumen["median_ms"]))
    out.append("- Faster than both peers: Lumen is slower in %d of %d comparisons%s" % (
        len(slower), compared, (": " + "; ".join(slower)) if slower else "."))
    big = [r for r in infer if r["engine"] == "lumen" and r["size"] == TILED_SIZE and "peak_rss_mb" in r]
    if big:
        worst = max(big, key=lambda r: r["peak_rss_mb"])
        out.append("- Peak memory at %s (target <= %d MiB): at most %.0f MiB (%s, %d threads)%s." % (
            TILED_SIZE, MEMORY_TARGET_MIB, worst["peak_rss_mb"], MODEL_NAMES[worst["model"]], worst["threads"],
            "" if worst["peak_rss_mb"] <= MEMORY_TARGET_MIB else " -- target missed"))
    return out


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "machine.json")) as f:
        machine = json.load(f)
    infer = read_lines(os.path.join(folder, "infer.jsonl"))
    conv = read_lines(os.path.join(folder, "conv.jsonl"))
    simd = ", ".join("%s %s" % (k, "yes" if v else "no") for k, v in machine["simd"].items())
    text = ["## Lumen benchmark, %s" % machine["date"], "",
            "%s, %d cores, %.0f GiB; %s. PyTorch %s, ONNX Runtime %s. Load average at start %.1f%s." % (
                machine["cpu"], machine["cores"], machine["memory_gib"], simd, machine["torch"],
                machine["onnxruntime"], machine["loadavg_1m"], " (--quick)" if machine.get("quick") else ""),
            "", "### Inference: median ms per image and peak MiB (ratio peer / Lumen: > 1 means Lumen is faster)", "",
            *inference_table(infer), "", "### Convolution 3x3 pad 1, GFLOP/s, Lumen / PyTorch (ratio: > 1 means Lumen is faster)", "",
            *conv_table(conv), "", "### Targets", "", *targets(infer, conv)]
    summary = "\n".join(text) + "\n"
    with open(os.path.join(folder, "summary.md"), "w") as f:
        f.write(summary)
    print(summary)


if __name__ == "__main__":
    main()
