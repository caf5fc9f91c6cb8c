"""Makes test/golden/optimizer-steps.json: five steps of Nadam, Adamax and Lion in float64.

Run once with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 test/golden/make_optimizer_goldens.py > test/golden/optimizer-steps.json

The updates are Keras 3's formulas (keras/src/optimizers/{nadam,adamax,lion}.py) in float64
torch tensors, on a fixed parameter and gradient schedule (the one of
src/optimizers/optimizer-test-util.ts). PyTorch 1.13's own optimizers are not Keras's:
  - torch.optim.NAdam's momentum schedule is b1 (1 - 0.5 * 0.96 ** (0.004 t)) (momentum_decay
    0.004; Keras: 0.96 ** t), and its next-step product counts mu_t twice (mu_product * mu *
    mu_next; Keras: u_product * u_next);
  - torch.optim.Adamax adds eps to |g| inside the max (into the norm it keeps); Keras adds it to
    the norm in the denominator;
  - PyTorch 1.13 has no Lion.
so each is written out here; stderr reports how far torch.optim's versions land from Keras's
with the same hyperparameters (momentum_decay 1 for NAdam, which removes the first difference).
"""
import json
import math
import sys

import torch

torch.set_default_dtype(torch.float64)
START = [0.5, -1.25, 2, 0.125, -0.75]
STEPS = 5


def grad_at(t):
    return torch.tensor(
        [math.sin(1.7 * (i + 1) + 0.9 * t) * (0 if (i == 3 and t == 1) else 1 + i) for i in range(len(START))]
    )


def nadam(lr, b1, b2, eps):
    p, m, v, prod = torch.tensor(START), torch.zeros(5), torch.zeros(5), 1.0
    out = []
    for t in range(1, STEPS + 1):
        g = grad_at(t - 1)
        prod = prod * b1 * (1 - 0.5 * 0.96**t)
        u, u_next = b1 * (1 - 0.5 * 0.96**t), b1 * (1 - 0.5 * 0.96 ** (t + 1))
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        m_hat = u_next * m / (1 - prod * u_next) + (1 - u) * g / (1 - prod)
        p -= m_hat * lr / (torch.sqrt(v / (1 - b2**t)) + eps)
        out.append(p.tolist())
    return out


def adamax(lr, b1, b2, eps):
    p, m, u = torch.tensor(START), torch.zeros(5), torch.zeros(5)
    out = []
    for t in range(1, STEPS + 1):
        g = grad_at(t - 1)
        m += (g - m) * (1 - b1)
        u = torch.maximum(b2 * u, g.abs())
        p -= lr * m / ((1 - b1**t) * (u + eps))
        out.append(p.tolist())
    return out


def lion(lr, b1, b2):
    p, m = torch.tensor(START), torch.zeros(5)
    out = []
    for t in range(1, STEPS + 1):
        g = grad_at(t - 1)
        p -= lr * torch.sign(m * b1 + g * (1 - b1))
        m = m * b2 + g * (1 - b2)
        out.append(p.tolist())
    return out


def torch_optim(make):
    p = torch.tensor(START, requires_grad=True)
    opt = make([p])
    for t in range(STEPS):
        p.grad = grad_at(t)
        opt.step()
    return p.detach().tolist()


def main():
    runs = []
    for h in [dict(lr=0.001, b1=0.9, b2=0.999, eps=1e-7), dict(lr=0.01, b1=0.8, b2=0.5, eps=1e-7)]:
        config = {"learningRate": h["lr"], "beta1": h["b1"], "beta2": h["b2"], "epsilon": h["eps"]}
        runs.append({"className": "Nadam", "config": config, "params": nadam(**h)})
        runs.append({"className": "Adamax", "config": config, "params": adamax(**h)})
        ours = {"NAdam": runs[-2]["params"][-1], "Adamax": runs[-1]["params"][-1]}
        theirs = {
            "NAdam": torch_optim(
                lambda ps: torch.optim.NAdam(ps, lr=h["lr"], betas=(h["b1"], h["b2"]), eps=h["eps"], momentum_decay=1.0)
            ),
            "Adamax": torch_optim(lambda ps: torch.optim.Adamax(ps, lr=h["lr"], betas=(h["b1"], h["b2"]), eps=h["eps"])),
        }
        for name in ours:
            diff = max(abs(a - b) for a, b in zip(ours[name], theirs[name]))
            print(f"torch.optim.{name} {h}: max |diff| from Keras's after {STEPS} steps {diff:.3g}", file=sys.stderr)
    for h in [dict(lr=0.001, b1=0.9, b2=0.99), dict(lr=0.01, b1=0.8, b2=0.5)]:
        config = {"learningRate": h["lr"], "beta1": h["b1"], "beta2": h["b2"]}
        runs.append({"className": "Lion", "config": config, "params": lion(**h)})
    out = {
        "description": "Parameters after each of 5 steps of Keras 3's Nadam, Adamax and Lion in float64, "
        "from START with gradAt(t) (src/optimizers/optimizer-test-util.ts).",
        "torch": torch.__version__,
        "runs": runs,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
