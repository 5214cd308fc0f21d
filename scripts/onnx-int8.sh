#!/usr/bin/env bash
# make onnx-int8: exports CKPT to ONNX, quantizes it with onnxruntime's quantize_dynamic, and compares
# float32 and INT8 on each test split (the four metrics, beside biomech-train evaluate's), then file
# size and onnxruntime latency per window on one thread. Results: OUT/summary.md and OUT/summary.json.
#   scripts/onnx-int8.sh BIN CKPT OUT SPLIT...
set -euo pipefail
[[ $# -ge 4 ]] || { echo "usage: $0 BIN CKPT OUT SPLIT..." >&2; exit 2; }
bin=$1 ckpt=$2 out=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
python="${BIOMECH_ONNX_PYTHON:-$root/.onnx/venv/bin/python}"
tool=("$python" "$root/tools/onnx_evaluate.py")
[[ -f "$ckpt" ]] || { echo "onnx-int8: no checkpoint $ckpt (make demo first, or give ONNX_CKPT=...)" >&2; exit 2; }
for split in "$@"; do
  [[ -f "$split/index.json" ]] || { echo "onnx-int8: no $split/index.json (make demo first, or give ONNX_SPLITS=...)" >&2; exit 2; }
done
mkdir -p "$out"
"$bin/biomech-train" export --format onnx --ckpt "$ckpt" --out "$out/model.onnx"
"${tool[@]}" quantize "$out/model.onnx" "$out/model.int8.onnx"
names=()
for split in "$@"; do
  name="$(basename "$(dirname "$split")")-$(basename "$split")"
  names+=("$name")
  echo "onnx-int8: $split"
  "$bin/biomech-train" evaluate --ckpt "$ckpt" --shards "$split" --threads 1 --json "$out/$name.swift.json" >/dev/null
  "${tool[@]}" evaluate "$out/model.onnx" "$split" --json "$out/$name.float.json" >/dev/null
  "${tool[@]}" evaluate "$out/model.int8.onnx" "$split" --json "$out/$name.int8.json" >/dev/null
done
echo "onnx-int8: latency per window, 1 thread (5 s each)"
"${tool[@]}" latency "$out/model.onnx" --json "$out/latency.float.json" >/dev/null
"${tool[@]}" latency "$out/model.int8.onnx" --json "$out/latency.int8.json" >/dev/null
"${tool[@]}" table "$out" "${names[@]}"
echo "onnx-int8: wrote $out/summary.md and $out/summary.json"
