#!/usr/bin/env bash
# Training throughput, side by side: biomech-train bench vs the PyTorch reference (../shared/bench/torch_ref.py),
# same machine, same thread count. Prints both and the ratio.
set -euo pipefail
bin=${1:?usage: bench-train.sh BIN_DIR [THREADS]}
threads=${2:-2}
ref=../shared/bench/torch_ref.py
venv=bench-work/torch-venv

# Debian's OpenBLAS picks its kernels from CPUID; some VMs report a CPU it maps to an old SSE3 core
# (Prescott) although AVX-512 is there. Name the core when the flags say so (override by setting it).
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi
echo "OpenBLAS core: ${OPENBLAS_CORETYPE:-auto-detected}"

report=$("$bin/biomech-train" bench --threads "$threads" --seconds 10)
ours=$(tail -1 <<<"$report")
head -n -1 <<<"$report"
echo "biomech-train: $ours"

if [[ ! -f "$ref" ]]; then echo "no $ref: PyTorch comparison skipped"; exit 0; fi
if [[ ! -x "$venv/bin/python3" ]] || ! "$venv/bin/python3" -c "import torch" 2>/dev/null; then
  python3 -m venv "$venv"
  # A local CPU wheel (pip's find-links) when the machine has one; PyPI otherwise.
  "$venv/bin/pip" install --quiet "torch==2.13.0+cpu" 2>/dev/null || "$venv/bin/pip" install --quiet "torch==2.13.0" \
    || { echo "PyTorch could not be installed: comparison skipped"; exit 0; }
fi
theirs=$("$venv/bin/python3" "$ref" "$threads" | tail -1)
echo "PyTorch:       $theirs"
python3 - "$ours" "$theirs" <<'PY'
import sys
ours = float(sys.argv[1].split("samples_per_s=")[1].split()[0])
theirs = float(sys.argv[2].split("samples_per_s")[1].split()[0])
print(f"ratio biomech/PyTorch training samples per second: {ours / theirs:.2f} (goal >= 1.0)")
PY
