#!/usr/bin/env bash
# Inference latency per 60-frame window at batch 1 on one thread, side by side in one run:
# biomech's own inference path (biomech-train bench --inference) against onnxruntime 1.30 running
# the exported model, float32 and INT8 (quantize_dynamic). The model is a freshly initialised one of
# the production size: latency does not depend on the weights' values.
# Usage: bash scripts/bench-onnx.sh BIN_DIR [WORK]
set -euo pipefail
bin=$(cd "${1:?usage: bench-onnx.sh BIN_DIR [WORK]}" && pwd)
mkdir -p "${2:-bench-work/onnx}"
work=$(cd "${2:-bench-work/onnx}" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python="${BIOMECH_ONNX_PYTHON:-.onnx/venv/bin/python}"
[[ -x "$python" ]] || { echo "bench-onnx: no $python (make setup)" >&2; exit 2; }
# biomech's own kernel choice (docs/MODEL.md, "Kernel selection"): OPENBLAS_CORETYPE removed.
unset OPENBLAS_CORETYPE
core=$("$bin/biomech-train" kernels --json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['core'])")
echo "OpenBLAS core: $core (biomech's choice)"

"$bin/biomech-train" init --out "$work/model.ckpt" --seed 3 >/dev/null
"$bin/biomech-train" export --format onnx --ckpt "$work/model.ckpt" --out "$work/model.onnx" >/dev/null
"$python" tools/onnx_evaluate.py quantize "$work/model.onnx" "$work/model.int8.onnx" >/dev/null
swift1=$("$bin/biomech-train" bench --inference --threads 1 --seconds 5 | tail -1)
"$python" tools/onnx_evaluate.py latency "$work/model.onnx" --json "$work/float.json" >/dev/null
"$python" tools/onnx_evaluate.py latency "$work/model.int8.onnx" --json "$work/int8.json" >/dev/null
swift2=$("$bin/biomech-train" bench --inference --threads 1 --seconds 5 | tail -1)

python3 scripts/bench/results.py fact openblas_core_onnx "$core"
python3 scripts/bench/results.py fact onnxruntime "$("$python" -c 'import onnxruntime; print(onnxruntime.__version__)')"
python3 - "$swift1" "$swift2" "$work/float.json" "$work/int8.json" <<'PY'
import json, re, sys
sys.path.insert(0, "scripts/bench")
from results import record
def ms(line):
    return float(re.search(r"ms_per_window=([0-9.]+)", line).group(1))
swift = (ms(sys.argv[1]) + ms(sys.argv[2])) / 2
f, q = (json.load(open(p)) for p in sys.argv[3:5])
print("inference latency per window (batch 1, T 60, 1 thread, median ms):")
print(f"  biomech InferenceModel     {swift:6.2f}  ({ms(sys.argv[1]):.2f} before, {ms(sys.argv[2]):.2f} after onnxruntime)")
print(f"  onnxruntime float32        {f['median_ms']:6.2f}  ({f['bytes'] / 1e6:.2f} MB)")
print(f"  onnxruntime INT8           {q['median_ms']:6.2f}  ({q['bytes'] / 1e6:.2f} MB)")
print(f"ratio onnxruntime float32 / biomech: {f['median_ms'] / swift:.2f} (above 1: biomech is faster)")
print(f"ratio INT8 / float32 in onnxruntime: {q['median_ms'] / f['median_ms']:.2f}")
record("onnx", "inference latency, one window, batch 1, 1 thread", f["median_ms"] / swift, "x", "onnxruntime float32 on the export")
record("onnx", "  INT8 against float32, both in onnxruntime", f["median_ms"] / q["median_ms"], "x", "onnxruntime float32")
PY
