"""PyTorch's training throughput on biomech's model (tools/torch_model.py), the reference of `make bench`.

Usage: python3 tools/torch_bench.py [THREADS=2] [SECONDS=10]
fp32, batch 16 of random 60-frame windows, Adam (lr 1e-3), the multi-task loss; 3 warm-up steps, then
as many steps as fit in SECONDS. Last line: "params N samples_per_s X" (N counts one LSTM bias per gate,
as biomech keeps them).
"""
import os, sys, time
import torch, torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_model import GNNLSTM  # noqa: E402

def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    torch.manual_seed(0)
    m = GNNLSTM()
    n = sum(p.numel() for p in m.parameters()) - 2 * 2 * 4 * 256   # torch's second LSTM bias per gate
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    b = 16
    x = torch.randn(b, 60, 33, 3)
    yf, ya, ye, yr = torch.rand(b), torch.rand(b, 6), torch.randint(0, 5, (b,)), torch.rand(b)

    def step():
        f, a, e, r = m(x)
        loss = ((f - yf) ** 2).mean() + ((a - ya) ** 2).mean() + nn.functional.cross_entropy(e, ye) + ((r - yr) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    start, k = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        step()
        k += 1
    print(f"params {n} samples_per_s {k * b / (time.perf_counter() - start):.1f}")

if __name__ == "__main__":
    main()
