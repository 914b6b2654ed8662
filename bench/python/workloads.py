"""PyTorch side of Incipit's comparison harness (bench/compare).

Runs the same four workloads as org.incipit.bench.Compare, on command, so the Java harness can
alternate between the two engines in one run. Protocol (one line each way):
  stdin:  "<workload> <iterations>"      e.g. "mlp 20"
  stdout: "<seconds per iteration, space separated>"
"quit" ends; "rss" answers the peak resident set size in bytes (VmHWM). Shapes match Compare.java.
"""
import os
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("INCIPIT_BENCH_THREADS", "2")))
torch.manual_seed(0)


def sgemm(n):
    a = torch.randn(n, n)
    b = torch.randn(n, n)

    def step():
        torch.mm(a, b)

    return step


def mlp(batch=128):
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512),
                                torch.nn.ReLU(), torch.nn.Linear(512, 10))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    return step


class Block(torch.nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(d)
        self.wq = torch.nn.Linear(d, d)
        self.wk = torch.nn.Linear(d, d)
        self.wv = torch.nn.Linear(d, d)
        self.wo = torch.nn.Linear(d, d)
        self.ln2 = torch.nn.LayerNorm(d)
        self.fc = torch.nn.Linear(d, 4 * d)
        self.proj = torch.nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, c = x.shape
        h = self.ln1(x)
        q, k, v = (w(h).view(b, t, self.heads, c // self.heads).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        att = (q @ k.transpose(-2, -1)) / (c // self.heads) ** 0.5
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        att = torch.softmax(att.masked_fill(mask, float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.wo(y)
        return x + self.proj(torch.nn.functional.gelu(self.fc(self.ln2(x))))


class Gpt(torch.nn.Module):
    def __init__(self, vocab=256, context=64, layers=2, d=128, heads=4):
        super().__init__()
        self.wte = torch.nn.Embedding(vocab, d)
        self.wpe = torch.nn.Embedding(context, d)
        self.blocks = torch.nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = torch.nn.LayerNorm(d)

    def forward(self, idx):
        t = idx.shape[1]
        h = self.wte(idx) + self.wpe(torch.arange(t))
        for b in self.blocks:
            h = b(h)
        return self.ln_f(h) @ self.wte.weight.t()


def gpt(context=64, layers=2, d=128):
    model = Gpt(context=context, layers=layers, d=d)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    idx = torch.randint(0, 256, (16, context))
    tgt = torch.randint(0, 256, (16, context))

    def step():
        opt.zero_grad(set_to_none=True)
        logits = model(idx)
        torch.nn.functional.cross_entropy(logits.view(-1, 256), tgt.view(-1)).backward()
        opt.step()

    return step


def op_chain(backward):
    a = torch.ones(1, requires_grad=True)
    b = torch.ones(1)

    def step():
        x = a
        for _ in range(1000):  # chained, so no op can be dropped as dead code
            x = x + b
        if backward:
            x.backward()
            a.grad = None

    return step  # time per iteration / 1000 = time per recorded op (forward, or forward + backward)


WORKLOADS = {"sgemm128": lambda: sgemm(128), "sgemm1024": lambda: sgemm(1024), "mlp": mlp,
             "mlp512": lambda: mlp(512), "gpt": gpt, "gpt-large": lambda: gpt(context=128, layers=4, d=256),
             "op": lambda: op_chain(False), "op-backward": lambda: op_chain(True)}


def peak_rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def main():
    steps = {}
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        if parts[0] == "rss":
            print(peak_rss(), flush=True)
            continue
        name, n = parts[0], int(parts[1])
        if name not in steps:
            steps[name] = WORKLOADS[name]()
        step = steps[name]
        times = []
        for _ in range(n):
            t = time.perf_counter()
            step()
            times.append(time.perf_counter() - t)
        print(" ".join(repr(x) for x in times), flush=True)


if __name__ == "__main__":
    main()
