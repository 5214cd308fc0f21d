"""biomech's GNN-LSTM in PyTorch, written from docs/MODEL.md: the project's own reference.

A graph network over the 33-landmark skeleton (bias after Â), a frame embedding, a 2-layer bidirectional
LSTM, the mean and the maximum over time (concatenated), and four linear heads; tensor names and layouts
are those of biomech's safetensors export. The ReLU layers are He-initialised with zero biases, as
biomech's Trainer does; the heads and the LSTM keep PyTorch's default. PyTorch keeps two LSTM biases per
gate where biomech keeps one (their sum). The golden generator (tools/make_golden.py) and
scripts/bench-train.sh use it.

    python3 tools/torch_reference.py bench [THREADS=2] [SECONDS=10]

trains fp32 on batches of 16 random 60-frame windows (Adam, lr 1e-3, the multi-task loss; 3 warm-up
steps, then as many as fit in SECONDS). Last line: "params N samples_per_s X".
"""
import sys
import time

import torch, torch.nn as nn

EDGES = [(0,1),(1,2),(2,3),(3,7),(0,4),(4,5),(5,6),(6,8),(9,10),(11,12),(11,13),(13,15),(15,17),(15,19),
         (15,21),(17,19),(12,14),(14,16),(16,18),(16,20),(16,22),(18,20),(11,23),(12,24),(23,24),(23,25),
         (24,26),(25,27),(26,28),(27,29),(28,30),(29,31),(30,32),(27,31),(28,32)]
BRIDGES = [(0,9),(0,10),(0,11),(0,12)]   # nose to mouth and shoulders: one connected graph (docs/LABELS.md)

def adjacency(v=33):
    """D^-1/2 (A + I) D^-1/2 over the skeleton graph."""
    a = torch.eye(v)
    for i, j in EDGES + BRIDGES:
        a[i, j] = a[j, i] = 1
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None, :]

class GNNLSTM(nn.Module):
    def __init__(self, classes=5, width=64, embed=256, hidden=256):
        super().__init__()
        self.register_buffer("A", adjacency(), persistent=False)
        self.gcn = nn.ModuleList([nn.Linear(3, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.embed = nn.Linear(33 * width, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.form, self.angles = nn.Linear(4 * hidden, 1), nn.Linear(4 * hidden, 6)
        self.exercise, self.risk = nn.Linear(4 * hidden, classes), nn.Linear(4 * hidden, 1)
        for layer in list(self.gcn) + [self.embed]:
            nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)

    def forward(self, x):                       # x: [B, T, V, 3]
        b, t = x.shape[:2]
        h = x
        for layer in self.gcn:                  # H' = ReLU(Â H W + b): the bias is added after Â
            h = torch.relu(torch.einsum("vw,btwc->btvc", self.A, nn.functional.linear(h, layer.weight)) + layer.bias)
        h = torch.relu(self.embed(h.reshape(b, t, -1)))
        h, _ = self.lstm(h)
        z = torch.cat([h.mean(1), h.max(1).values], 1)
        return self.form(z).squeeze(1), self.angles(z), self.exercise(z), self.risk(z).squeeze(1)


def bench(threads=2, seconds=10.0):
    """Training samples/s on random data; prints "params N samples_per_s X" (N: one LSTM bias per gate)."""
    torch.set_num_threads(threads)
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
    if len(sys.argv) < 2 or sys.argv[1] != "bench":
        print("usage: torch_reference.py bench [THREADS=2] [SECONDS=10]", file=sys.stderr)
        sys.exit(2)
    bench(int(sys.argv[2]) if len(sys.argv) > 2 else 2, float(sys.argv[3]) if len(sys.argv) > 3 else 10.0)
