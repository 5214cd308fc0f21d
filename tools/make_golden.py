"""Writes Tests/ModelTests/golden/small.json from the PyTorch reference model (llm.c's test_gpt2 style).

Usage (needs PyTorch; the test that reads the file does not):
    bench-work/torch-venv/bin/python3 tools/make_golden.py

A small configuration of tools/torch_reference.py's GNNLSTM (width 8, embed 16, hidden 8),
a batch of 2 windows of 6 frames, labels, the outputs, the loss and every parameter's gradient,
then the losses of 4 Adam steps (lr 1e-3, with PyTorch's second LSTM bias folded into the first and
frozen, as biomech keeps one). Parameters and gradients use biomech's layout: the two
PyTorch LSTM biases are one (their sum; both have the same gradient).
"""
import json, os, sys
import torch, torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import GNNLSTM  # noqa: E402

torch.manual_seed(1234)
torch.set_num_threads(1)
B, T = 2, 6
m = GNNLSTM(classes=5, width=8, embed=16, hidden=8)
x = torch.randn(B, T, 33, 3)
yf, ya, ye, yr = torch.rand(B), torch.rand(B, 6), torch.randint(0, 5, (B,)), torch.rand(B)

def loss_of(outputs):
    f, a, e, r = outputs
    return ((f - yf) ** 2).mean() + ((a - ya) ** 2).mean() + nn.functional.cross_entropy(e, ye) + ((r - yr) ** 2).mean()

def ours(tensors):
    """PyTorch state_dict-shaped tensors -> biomech's names (one LSTM bias)."""
    out = {}
    for name, t in tensors.items():
        if ".bias_hh_" in name:
            continue
        if ".bias_ih_" in name:
            out[name.replace("bias_ih_", "bias_")] = t + tensors[name.replace("bias_ih", "bias_hh")] if "grad" not in name else t
        else:
            out[name] = t
    return {k: v.detach().reshape(-1).tolist() for k, v in out.items()}

params = dict(m.named_parameters())
outputs = m(x)
loss = loss_of(outputs)
loss.backward()
weights = ours({k: v for k, v in params.items()})
grads = {}
for k, v in params.items():
    if ".bias_hh_" in k:
        continue
    grads[k.replace("bias_ih_", "bias_")] = v.grad.detach().reshape(-1).tolist()

# biomech keeps one LSTM bias per gate; PyTorch's two would each take an Adam step (twice the
# movement). Fold bias_hh into bias_ih and freeze it, so both train the same model.
with torch.no_grad():
    for name, p in m.lstm.named_parameters():
        if name.startswith("bias_hh"):
            getattr(m.lstm, name.replace("bias_hh", "bias_ih")).add_(p)
            p.zero_()
            p.requires_grad_(False)
opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], 1e-3)
m.zero_grad()
losses = []
for _ in range(4):
    l = loss_of(m(x))
    losses.append(l.item())
    opt.zero_grad(); l.backward(); opt.step()

f, a, e, r = outputs
golden = {
    "config": {"width": 8, "embed": 16, "hidden": 8, "classes": 5, "batch": B, "time": T},
    "x": x.reshape(-1).tolist(),
    "labels": {"form": (yf * 100).tolist(), "angles": (ya * 180).reshape(-1).tolist(), "exercise": ye.tolist(), "risk": (yr * 100).tolist()},
    "outputs": torch.cat([f[:, None], a, e, r[:, None]], 1).detach().reshape(-1).tolist(),
    "loss": loss.item(),
    "params": weights,
    "grads": grads,
    "adam_losses": losses,
    "torch": torch.__version__,
}
path = os.path.join(os.path.dirname(__file__), "../Tests/ModelTests/golden/small.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as fh:
    json.dump(golden, fh)
print("wrote", path, "loss", loss.item(), "adam", losses)
