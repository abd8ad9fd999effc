#!/usr/bin/env python3
"""Runs Lumen and its peers (PyTorch, ONNX Runtime) on the same configurations, one
right after the other, and writes JSON lines to bench-results/<timestamp>/.

Every configuration runs in its own process (so peak memory is per configuration),
under a time limit and an address-space limit, and a failure is recorded, not fatal:

  infer.jsonl   `lumen bench model` and the peers' `bench_infer.py`, per model x size x threads
  conv.jsonl    `lumen bench conv` and `scripts/bench_conv_torch.py`, per shape x threads
  machine.json  CPU, cores, flags, memory, versions, date

Only the Python standard library is used; the peers run in their own virtual
environments (`scripts/setup-peers.sh`). Usually started by `scripts/bench.sh`.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
PEERS = os.path.join(SHARED, "tools", "peers")
WEIGHTS = os.path.join(SHARED, "fixtures", "official-weights")
PEERS_DIR = os.environ.get("LUMEN_PEERS_DIR", os.path.expanduser("~/.cache/lumen-peers"))

# Peer name -> (Lumen name, official weights, Zero-DCE++ scale); SCI uses the "medium" weights, as bench_infer.py.
MODELS = {
    "zerodce": ("zero-dce", "zero-dce-epoch99.pth", None),
    "zerodcepp": ("zero-dce-pp", "zero-dce-pp-epoch99.pth", 12),
    "sci": ("sci", "sci-medium.pt", None),
}
# Whole-image peers that cannot fit in this machine's memory: Zero-DCE keeps seven
# 32-channel float maps of the full image (3 GB each at 24 MP) plus the concatenations.
TOO_BIG = {("zerodce", "6000x4000"): "whole-image Zero-DCE at 24 MP needs ~27 GB (seven 3 GB feature maps "
                                     "plus concatenations); not run on a 24 GiB machine"}


def runs_for(size, model, quick):
    """(warm-up runs, timed runs): fewer for big images, where one run takes minutes for Zero-DCE."""
    if quick:
        return 1, 2
    if size == "6000x4000":
        return (0, 1) if model == "zerodce" else (1, 3)
    return (1, 3) if size == "1200x900" else (1, 5)


def loadavg():
    return round(os.getloadavg()[0], 2)


def run_json(command, timeout, memory_gb, env=None):
    """Runs `command`; returns (JSON lines on stdout, error text or None)."""
    def limit():
        size = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, preexec_fn=limit,
                              env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return [], "timed out after %d s" % timeout
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return lines, "exit %d: %s" % (done.returncode, tail[:200])
    return lines, None


def machine(args):
    """What the results were measured on."""
    info = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "platform": platform.platform(), "cores": os.cpu_count(), "loadavg_1m": loadavg()}
    with open("/proc/cpuinfo") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    info["cpu"] = fields.get("model name\t", "").strip()
    flags = set(fields.get("flags\t\t", "").split())
    info["simd"] = {name: name in flags for name in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl")}
    with open("/proc/meminfo") as f:
        info["memory_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
    versions = subprocess.run([args.torch_python, "-c", "import torch, onnxruntime; "
                               "print(torch.__version__, onnxruntime.__version__)"],
                              capture_output=True, text=True).stdout.split()
    info["torch"], info["onnxruntime"] = (versions + ["?", "?"])[:2]
    info["swift"] = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip()
    # Others may be editing the tree: record what was built.
    git = ["git", "-C", ROOT]
    info["commit"] = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    info["modified"] = subprocess.run(git + ["status", "--short", "--untracked-files=no"],
                                      capture_output=True, text=True).stdout.split("\n")[:-1]
    info["quick"] = args.quick
    return info


def export_onnx(args):
    """Exports the peers' ONNX graphs once (legacy TorchScript exporter, so Debian's torch 1.13)."""
    if os.path.exists(os.path.join(args.onnx_dir, "zerodcepp_s12_ftz.onnx")):
        return
    print("exporting ONNX graphs to %s" % args.onnx_dir, file=sys.stderr)
    subprocess.run([args.export_python, os.path.join(PEERS, "export_onnx.py"), "--dir", args.onnx_dir],
                   check=True, stdout=subprocess.DEVNULL)


def infer(args, out):
    """Lumen, PyTorch and ONNX Runtime on each model x size x threads, one after the other."""
    for model in args.models:
        lumen_model, weights, scale = MODELS[model]
        for size in args.sizes:
            warmup, repeats = runs_for(size, model, args.quick)
            for threads in args.threads:
                base = {"model": model, "size": size, "threads": threads}
                lumen = [args.lumen, "bench", "model", "--model", lumen_model, "--size", size,
                         "--threads", str(threads), "--warmup", str(warmup), "--repeats", str(repeats),
                         "--weights", os.path.join(WEIGHTS, weights), "--json"]
                if scale:
                    lumen += ["--scale", str(scale)]
                commands = [("lumen", lumen)]
                for engine in ("torch", "ort"):
                    commands.append((engine, [args.torch_python, os.path.join(PEERS, "bench_infer.py"),
                                              "--engine", engine, "--model", model, "--scale", str(scale or 1),
                                              "--size", size, "--threads", str(threads), "--warmup", str(warmup),
                                              "--runs", str(repeats), "--onnx-dir", args.onnx_dir]))
                for engine, command in commands:
                    record = dict(base, engine=engine, loadavg_1m_start=loadavg())
                    if engine != "lumen" and (model, size) in TOO_BIG:
                        record["skipped"] = TOO_BIG[(model, size)]
                    else:
                        started = time.time()
                        lines, error = run_json(command, args.timeout, args.memory_gb)
                        if lines:
                            record.update({k: v for k, v in lines[-1].items() if k not in base and k != "engine"})
                            # The peers call their whole-process peak `peak_rss_mb_self`.
                            record["peak_rss_mb"] = record.get("peak_rss_mb", record.get("peak_rss_mb_self"))
                        if error:
                            record["error"] = error
                        record["process_s"] = round(time.time() - started, 1)
                    out.write(json.dumps(record) + "\n")
                    out.flush()
                    print(summary_line(record), file=sys.stderr, flush=True)


def summary_line(record):
    """One line of progress on stderr."""
    if "skipped" in record or "error" in record:
        return "%(engine)-5s %(model)-9s %(size)-9s t%(threads)d  " % record + record.get("skipped", record.get("error"))
    return "%(engine)-5s %(model)-9s %(size)-9s t%(threads)d  %(median_ms)10.1f ms  %(peak_rss_mb).0f MiB" % record


def conv(args, out):
    """Lumen's and PyTorch's convolution GFLOP/s at the same shapes, per thread count."""
    repeats = "1" if args.quick else "5"
    for threads in args.threads:
        for engine, command in (
                ("lumen", [args.lumen, "bench", "conv", "--threads", str(threads), "--repeats", repeats, "--json"]),
                ("torch", [args.torch_python, os.path.join(ROOT, "scripts", "bench_conv_torch.py"),
                           "--threads", str(threads), "--repeats", repeats])):
            print("conv  %s, %d thread(s)" % (engine, threads), file=sys.stderr, flush=True)
            lines, error = run_json(command, args.timeout, args.memory_gb)
            for line in lines:
                out.write(json.dumps(dict(line, engine=engine)) + "\n")
            if error:
                out.write(json.dumps({"engine": engine, "threads": threads, "error": error}) + "\n")
            out.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lumen", default=os.path.join(ROOT, ".build-bench", "release", "lumen"))
    parser.add_argument("--torch-python", default=os.path.join(PEERS_DIR, "venv-torch", "bin", "python"),
                        help="Python with torch 2.x and onnxruntime (runs the peers)")
    parser.add_argument("--export-python", default=os.path.join(PEERS_DIR, "venv", "bin", "python"),
                        help="Python whose torch has the legacy ONNX exporter (Debian's 1.13)")
    parser.add_argument("--onnx-dir", default="/tmp/lumen-peers-onnx")
    parser.add_argument("--out", help="results folder (default: bench-results/<UTC timestamp>)")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--sizes", nargs="+", default=["600x400", "1200x900", "6000x4000"])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--timeout", type=int, default=900, help="seconds per process")
    parser.add_argument("--memory-gb", type=float, default=16, help="address-space limit per process")
    parser.add_argument("--no-conv", action="store_true", help="skip the convolution table")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 600x400 and 1200x900 only, 2 timed runs, conv with 1 run")
    args = parser.parse_args()
    if args.quick and "6000x4000" in args.sizes:
        args.sizes.remove("6000x4000")
    folder = args.out or os.path.join(ROOT, "bench-results", time.strftime("%Y%m%d-%H%M%S", time.gmtime()))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "machine.json"), "w") as f:
        json.dump(machine(args), f, indent=1)
    export_onnx(args)
    with open(os.path.join(folder, "infer.jsonl"), "a") as out:
        infer(args, out)
    if not args.no_conv:
        with open(os.path.join(folder, "conv.jsonl"), "a") as out:
            conv(args, out)
    print(folder)


if __name__ == "__main__":
    main()
