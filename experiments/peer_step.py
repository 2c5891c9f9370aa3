#!/usr/bin/env python3
"""One backprop training step of the same networks as `credit bench`, in a peer framework on the CPU, for the
peer columns of experiments/bench-peers.sh: PyTorch (Debian's python3-torch; every network) or NumPy (Debian's
python3-numpy; fully connected networks). Synthetic data in memory, float32, ReLU, softmax + cross-entropy,
plain SGD; prints one JSON line per (peer, network, batch, threads).

Networks mirror credit's presets (see `credit networks`): lenet, conv (nodepert), pepita-conv, or fc:W1,W2.
Padding SAME for stride 2 follows TensorFlow (extra pixel bottom/right) via an explicit pad.

Both peers get exactly --threads threads: the BLAS and OpenMP pools are sized by environment variables set
before either library is imported (Debian's torch links the pthreads OpenBLAS, whose pool
torch.set_num_threads does not resize: without OPENBLAS_NUM_THREADS its "1 thread" step used both cores).
"""
import argparse, json, os, statistics, sys, time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--peer", choices=["pytorch", "numpy"], default="pytorch")
    p.add_argument("--network", default="lenet")
    p.add_argument("--input", default="1x28x28")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--warmup-seconds", type=float, default=15.0, help="cut the warm-up short after this long")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--steps", type=int, default=10)
    return p.parse_args()


ARGS = parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (after the thread variables, on purpose)

if ARGS.peer == "pytorch":
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
else:
    nn = None


class SamePad(nn.Module if nn else object):
    """TensorFlow SAME padding for a k x k kernel with stride s on even inputs."""
    def __init__(self, k, s):
        super().__init__()
        self.k, self.s = k, s

    def forward(self, x):
        h = x.shape[-1]
        out = (h + self.s - 1) // self.s
        total = max((out - 1) * self.s + self.k - h, 0)
        return F.pad(x, (total // 2, total - total // 2, total // 2, total - total // 2))


def conv_same(cin, cout, k, s):
    return nn.Sequential(SamePad(k, s), nn.Conv2d(cin, cout, k, s))


def network(name, c, h, classes):
    if name == "lenet":
        side = ((h // 2) - 4) // 2
        return nn.Sequential(nn.Conv2d(c, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(16 * side * side, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                             nn.Linear(84, classes))
    if name == "conv":
        return nn.Sequential(conv_same(c, 32, 3, 1), nn.ReLU(), conv_same(32, 32, 3, 2), nn.ReLU(),
                             conv_same(32, 32, 3, 1), nn.ReLU(), nn.Flatten(),
                             nn.Linear(32 * (h // 2) * (h // 2), classes))
    if name == "pepita-conv":
        side = (h - 4) // 2
        return nn.Sequential(nn.Conv2d(c, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(32 * side * side, classes))
    if name.startswith("fc:"):
        layers, n = [nn.Flatten()], c * h * h
        for w in [int(v) for v in name[3:].split(",")]:
            layers += [nn.Linear(n, w), nn.ReLU()]
            n = w
        return nn.Sequential(*layers, nn.Linear(n, classes))
    raise SystemExit("unknown network " + name)


def time_steps(step, batch, a):
    """Median samples/s over timed blocks, and samples per second of process CPU time (all threads), as
    credit bench's samples/cpu-s column: the steadier figure on a loaded machine."""
    end = time.perf_counter() + a.warmup_seconds
    for i in range(a.warmup):
        if time.perf_counter() >= end:
            break
        step(i)
    rates, cpu_rates = [], []
    for _ in range(a.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(a.steps):
            step(i)
        rates.append(a.steps * batch / (time.perf_counter() - t0))
        cpu_rates.append(a.steps * batch / max(time.process_time() - c0, 1e-9))
    return {"median": statistics.median(rates), "min": min(rates), "max": max(rates),
            "per_cpu_s": statistics.median(cpu_rates)}


def torch_step(a, c, h):
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = network(a.network, c, h, 10)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    data = [(torch.rand(a.batch, c, h, h), torch.randint(0, 10, (a.batch,))) for _ in range(8)]

    def step(i):
        x, y = data[i % len(data)]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x), y).backward()
        opt.step()
    return "pytorch " + torch.__version__, step


def numpy_step(a, c, h):
    """The fc step written the way a NumPy user writes it: products by the BLAS, the rest as array expressions
    (in place where it is natural), He-uniform weights, zero biases."""
    if not a.network.startswith("fc:"):
        sys.exit("numpy peer: fully connected networks only (fc:W1,W2), got " + a.network)
    rng = np.random.default_rng(1)
    sizes = [c * h * h] + [int(v) for v in a.network[3:].split(",")] + [10]
    ws = [rng.uniform(-1, 1, (m, n)).astype(np.float32) * np.float32(np.sqrt(6.0 / m)) for m, n in zip(sizes, sizes[1:])]
    bs = [np.zeros(n, np.float32) for n in sizes[1:]]
    lr = np.float32(0.01)
    data = [(rng.random((a.batch, sizes[0]), dtype=np.float32),
             np.eye(10, dtype=np.float32)[rng.integers(0, 10, a.batch)]) for _ in range(8)]

    def step(i):
        x, y = data[i % len(data)]
        hs = [x]
        for w, b in zip(ws[:-1], bs[:-1]):
            z = hs[-1] @ w
            z += b
            np.maximum(z, 0, out=z)
            hs.append(z)
        z = hs[-1] @ ws[-1]
        z += bs[-1]
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        d = (z - y) / np.float32(a.batch)          # ∂(mean CE)/∂z
        for l in range(len(ws) - 1, -1, -1):
            gw = hs[l].T @ d
            gb = d.sum(axis=0)
            if l > 0:
                d = d @ ws[l].T
                d *= hs[l] > 0
            ws[l] -= lr * gw
            bs[l] -= lr * gb
    return "numpy " + np.__version__, step


def main():
    a = ARGS
    c, h, _ = (int(v) for v in a.input.split("x"))
    peer, step = (torch_step if a.peer == "pytorch" else numpy_step)(a, c, h)
    result = {"peer": peer, "network": a.network, "input": a.input, "batch": a.batch, "threads": a.threads}
    result.update(time_steps(step, a.batch, a))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
