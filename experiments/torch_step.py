#!/usr/bin/env python3
"""One backprop training step of the same networks as `credit bench`, in PyTorch on the CPU (Debian's
python3-torch), for the peer columns of experiments/bench-conv.sh. Synthetic data in memory, float32,
relu, softmax + cross-entropy, plain SGD; prints one JSON line per (network, batch, threads).

Networks mirror credit's presets (see `credit networks`): lenet, conv (nodepert), pepita-conv, or fc:W1,W2.
Padding SAME for stride 2 follows TensorFlow (extra pixel bottom/right) via an explicit pad.
"""
import argparse, json, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class SamePad(nn.Module):
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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--network", default="lenet")
    p.add_argument("--input", default="1x28x28")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--steps", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    c, h, _ = (int(v) for v in a.input.split("x"))
    net = network(a.network, c, h, 10)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    data = [(torch.rand(a.batch, c, h, h), torch.randint(0, 10, (a.batch,))) for _ in range(8)]

    def step(i):
        x, y = data[i % len(data)]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x), y).backward()
        opt.step()

    for i in range(a.warmup):
        step(i)
    rates, cpu_rates = [], []
    for r in range(a.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(a.steps):
            step(i)
        rates.append(a.steps * a.batch / (time.perf_counter() - t0))
        cpu_rates.append(a.steps * a.batch / max(time.process_time() - c0, 1e-9))
    # per_cpu_s: samples per second of process CPU time (all threads), as credit bench's samples/cpu-s column:
    # the steadier figure on a loaded machine, where the wall clock also counts time spent waiting for a core
    print(json.dumps({"peer": "pytorch " + torch.__version__, "network": a.network, "input": a.input,
                      "batch": a.batch, "threads": a.threads, "median": statistics.median(rates),
                      "min": min(rates), "max": max(rates), "per_cpu_s": statistics.median(cpu_rates)}))


if __name__ == "__main__":
    main()
