#!/usr/bin/env python3
"""PyTorch side of the speedrun workload (bench/workloads/speedrun.ts); prints JSON on stdout.

`npm run bench` runs this with Debian's /usr/bin/python3 and passes the recipe (the `speedrun`
train preset turned into numbers by speedrun.ts), the thread counts and the seed. Per thread
count it trains the recipe once from a fresh model on the 60,000 MNIST training images and
reports the training wall time (first step to last, as `train` reports its own) and the test
accuracy on the 10,000 test images.

The network and the training follow what `mnist-lab train` builds for the recipe:
[Conv2d(f, 3x3, padding 1, no bias) -> BatchNorm2d -> ReLU] x blockConvs -> MaxPool 2 per
block, Flatten, Dropout, Linear(10) (NCHW here); Keras's initialisers (Glorot uniform kernels,
zero biases, BN gamma 1 / beta 0), BatchNormalization momentum 0.9 and epsilon 1e-3 (torch's
momentum 0.1 and eps 1e-3), AdamW (betas 0.9 / 0.999, eps 1e-7, decoupled weight decay on every
variable, as Keras applies it), Keras's CosineDecay with linear warm-up from 0 evaluated at the
step count before each step, softmax cross-entropy with label smoothing, a fresh shuffle every
epoch, batches gathered by index.
"""

import json
import math
import os
import sys
import time

sys.dont_write_bytecode = True
from torch_gemm import import_torch, load_openblas, run_specs, script_args  # noqa: E402
from torch_train import DATA_DIR, read_idx  # noqa: E402


def dataset(torch, data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(torch, os.path.join(data_dir, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(torch, os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte")).long()
    return images.float().div_(255).unsqueeze(1), labels


def build(torch, r):
    nn = torch.nn
    layers, channels, size = [], 1, 28
    for filters in r["filters"]:
        for _ in range(r["blockConvs"]):
            conv = nn.Conv2d(channels, filters, 3, padding=1, bias=False)
            nn.init.xavier_uniform_(conv.weight)
            layers += [conv, nn.BatchNorm2d(filters, eps=1e-3, momentum=0.1), nn.ReLU()]
            channels = filters
        layers.append(nn.MaxPool2d(2))
        size //= 2
    layers.append(nn.Flatten())
    if r["dropout"] > 0:
        layers.append(nn.Dropout(r["dropout"]))
    head = nn.Linear(channels * size * size, 10)
    nn.init.xavier_uniform_(head.weight)
    nn.init.zeros_(head.bias)
    layers.append(head)
    return nn.Sequential(*layers)


def learning_rate(r, step, steps_per_epoch):
    """Keras CosineDecay(initial 0, warmup_target lr, warmup_steps, decay_steps, alpha) at `step`."""
    warmup = round(r["warmupEpochs"] * steps_per_epoch)
    decay = max(1, r["epochs"] * steps_per_epoch - warmup)
    if step < warmup:
        return r["lr"] * step / warmup
    t = min(step - warmup, decay) / decay
    return r["lr"] * ((1 - r["alpha"]) * 0.5 * (1 + math.cos(math.pi * t)) + r["alpha"])


def speedrun(torch, r, seed, train, test):
    torch.manual_seed(seed)
    x, y = train
    n, bs = x.shape[0], r["batchSize"]
    steps_per_epoch = math.ceil(n / bs)
    net = build(torch, r)
    opt = torch.optim.AdamW(
        net.parameters(), lr=0.0, betas=(0.9, 0.999), eps=1e-7, weight_decay=r["weightDecay"]
    )
    # torch's AdamW multiplies the decay by the group's lr, as Keras's does: p -= lr * wd * p.
    cpu0, wall0 = time.process_time(), time.perf_counter()
    step = 0
    net.train()
    for _ in range(r["epochs"]):
        order = torch.randperm(n)
        for start in range(0, n, bs):
            idx = order[start : start + bs]
            for group in opt.param_groups:
                group["lr"] = learning_rate(r, step, steps_per_epoch)
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(
                net(x[idx]), y[idx], label_smoothing=r["labelSmoothing"]
            )
            loss.backward()
            opt.step()
            step += 1
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    net.eval()
    with torch.no_grad():
        xt, yt = test
        correct = sum(
            (net(xt[i : i + 1000]).argmax(1) == yt[i : i + 1000]).sum().item()
            for i in range(0, xt.shape[0], 1000)
        )
    return {
        "msPerCall": wall * 1e3,
        "msMin": wall * 1e3,
        "msMax": wall * 1e3,
        "trials": 1,
        "callsPerTrial": 1,
        "cpuPerWall": cpu / wall,
        "accuracy": correct / xt.shape[0],
        "finalLoss": loss.item(),
    }


def main():
    args, threads = script_args(
        __doc__, "JSON list of {id, recipe, seed}", timing="ignored: a speedrun is timed once", data_dir=DATA_DIR
    )
    torch = import_torch()
    if torch is None:
        return 2

    specs = json.loads(args.specs)
    try:
        train = dataset(torch, args.data_dir, "train")
        test = dataset(torch, args.data_dir, "test")
    except (OSError, ValueError) as e:
        print(json.dumps({"error": f"MNIST not readable: {e}"}))
        return 2
    blas = load_openblas()

    return run_specs(
        torch, blas, threads, specs, lambda spec, _: speedrun(torch, spec["recipe"], spec["seed"], train, test)
    )


if __name__ == "__main__":
    sys.exit(main())
