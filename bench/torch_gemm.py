#!/usr/bin/env python3
"""PyTorch reference for the GEMM workloads of bench/workloads/gemm.ts; prints JSON on stdout.

`npm run bench` runs this with Debian's /usr/bin/python3 and passes the shapes, thread counts and
timing settings. Alone, it times the three default shapes at 1 and 2 threads:

    /usr/bin/python3 bench/torch_gemm.py [--threads 1,2] [--quick]

Timing follows bench/timing.ts: warm-up, then trials of back-to-back calls, median time per call.
Threads: Debian's torch does its GEMMs in OpenBLAS (pthreads build), whose thread pool ignores
torch.set_num_threads, so both are set.
"""

import argparse
import ctypes
import json
import os
import statistics
import sys
import time

DEFAULT_SPECS = [
    {"id": "gemm-128x784x512", "m": 128, "k": 784, "n": 512, "transA": False},
    {"id": "gemm-784x128x512-tA", "m": 784, "k": 128, "n": 512, "transA": True},
    {"id": "gemm-1024", "m": 1024, "k": 1024, "n": 1024, "transA": False},
]
FULL_TIMING = {"warmupMs": 300, "trialMs": 250, "trials": 7, "budgetMs": 4000}
QUICK_TIMING = {"warmupMs": 100, "trialMs": 100, "trials": 5, "budgetMs": 1500}


def load_openblas():
    """The OpenBLAS torch runs on, if any: the copy already mapped into this process (dlopen of
    the same path returns that instance, so thread counts and the core name are torch's own).
    Call after `import torch`. None when torch's BLAS is not OpenBLAS (e.g. Debian's reference
    libblas3, which is what python3-torch gets unless libopenblas0-pthread is installed)."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            paths = [line.split()[-1] for line in maps if "openblas" in line and ".so" in line]
    except OSError:
        pass
    for name in [p for p in paths if "libopenblas" in p.rsplit("/", 1)[-1]] or ["libopenblas.so.0"]:
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


def torch_blas_library():
    """The BLAS shared library torch has loaded (its path), for the header."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "/libblas.so" in path or "openblas" in path or "libmkl" in path:
                    return os.path.realpath(path)
    except OSError:
        pass
    return "unknown"


def set_threads(torch, blas, n):
    torch.set_num_threads(n)
    if blas is not None:
        blas.openblas_set_num_threads(n)


def measure(step, t):
    """Same procedure as measure() in bench/timing.ts; times in ms."""
    w0 = time.perf_counter()
    step()
    first = (time.perf_counter() - w0) * 1e3
    calls, elapsed = 1, first
    while first < t["warmupMs"] and (calls < 2 or elapsed < t["warmupMs"]):
        step()
        calls += 1
        elapsed = (time.perf_counter() - w0) * 1e3
    estimate = max((elapsed - first) / (calls - 1) if calls > 1 else first, 1e-3)
    calls_per_trial = max(1, round(t["trialMs"] / estimate))
    trials = max(2, min(t["trials"], int(t["budgetMs"] // (estimate * calls_per_trial))))

    per_call = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(trials):
        s = time.perf_counter()
        for _ in range(calls_per_trial):
            step()
        per_call.append((time.perf_counter() - s) * 1e3 / calls_per_trial)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    return {
        "msPerCall": statistics.median(per_call),
        "msMin": min(per_call),
        "msMax": max(per_call),
        "trials": trials,
        "callsPerTrial": calls_per_trial,
        "cpuPerWall": cpu / wall,
    }


def gemm_step(torch, spec):
    m, n, k = spec["m"], spec["n"], spec["k"]
    g = torch.Generator().manual_seed(1)
    a = torch.rand((k, m) if spec["transA"] else (m, k), generator=g) * 2 - 1
    b = torch.rand((k, n), generator=g) * 2 - 1
    c = torch.empty((m, n))
    # out= writes into a preallocated C, as our backends' gemm does; a.t() is a view, so BLAS
    # sees a transposed operand, not a copy.
    lhs = a.t() if spec["transA"] else a
    return lambda: torch.mm(lhs, b, out=c)


def print_results(torch, blas, results):
    """Prints the JSON both torch scripts hand to bench/torch.ts: results plus what ran them."""
    capability = next(
        (line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines() if "CPU capability" in line),
        "unknown",
    )
    blas_info = (
        f"{blas.openblas_get_config().decode()} (core {blas.openblas_get_corename().decode()})"
        if blas is not None
        else f"{torch_blas_library()}, not OpenBLAS (only torch.set_num_threads applies)"
    )
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "python": sys.version.split()[0],
                "cpuCapability": capability,
                "blas": blas_info,
                "openblasCore": blas.openblas_get_corename().decode() if blas is not None else None,
                "coretypeEnv": os.environ.get("OPENBLAS_CORETYPE"),
                "results": results,
            }
        )
    )
    return 0


def script_args(doc, specs, timing="JSON of bench/timing.ts's TimingOptions", data_dir=None, quick=False):
    """The command line the bench's torch scripts share: --specs (`specs` says what it holds; it is
    required unless the script has defaults, i.e. `quick`), --threads, --timing, and --data-dir
    (default `data_dir`) and --quick where the script takes them. Returns (args, thread counts)."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0])
    p.add_argument("--specs", required=not quick, help=specs)
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--timing", help=timing)
    if quick:
        p.add_argument("--quick", action="store_true")
    if data_dir:
        p.add_argument("--data-dir", default=data_dir, help="folder with the MNIST IDX files")
    args = p.parse_args()
    return args, [int(x) for x in args.threads.split(",") if x]


def run_specs(torch, blas, threads, specs, run):
    """Runs run(spec, n_threads) (a dict of figures) for every spec at every thread count, and prints
    the results the bench reads; returns the exit code."""
    results = []
    for n_threads in threads:
        set_threads(torch, blas, n_threads)
        for spec in specs:
            results.append({"id": spec["id"], "threads": n_threads, **run(spec, n_threads)})
    return print_results(torch, blas, results)


def import_torch():
    """torch, or None once the error line the bench reads is printed (the script then exits 2)."""
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"error": f"torch not importable: {e}"}))
        return None
    return torch


def main():
    args, threads = script_args(__doc__, "JSON list of {id, m, n, k, transA}", quick=True)
    torch = import_torch()
    if torch is None:
        return 2

    specs = json.loads(args.specs) if args.specs else DEFAULT_SPECS
    timing = json.loads(args.timing) if args.timing else QUICK_TIMING if args.quick else FULL_TIMING
    blas = load_openblas()

    torch.set_grad_enabled(False)
    return run_specs(torch, blas, threads, specs, lambda spec, _: measure(gemm_step(torch, spec), timing))


if __name__ == "__main__":
    sys.exit(main())
