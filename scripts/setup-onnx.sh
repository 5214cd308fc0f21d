#!/usr/bin/env bash
# Puts the ONNX tools into .onnx/venv (ignored by git), and is a no-op when they are there: onnx
# (check_model), onnxruntime (parity tests, INT8 quantization, latency) and their dependencies,
# every version pinned. Separate from .mediapipe/venv, whose MediaPipe 0.10.14 needs numpy 1.x.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="${BIOMECH_ONNX_VENV:-$root/.onnx/venv}"
PACKAGES=(onnx==1.23.1 onnxruntime==1.30.0 numpy==2.4.6 protobuf==7.36.2 ml_dtypes==0.7.0
  flatbuffers==25.12.19 packaging==26.4 typing_extensions==4.16.0)
probe='import onnx, onnxruntime, numpy; assert (onnx.__version__, onnxruntime.__version__) == ("1.23.1", "1.30.0")'
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c "$probe" 2>/dev/null; then
  echo "setup-onnx: $venv ready"
  exit 0
fi
echo "setup-onnx: creating $venv (onnx 1.23.1, onnxruntime 1.30.0)"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
/usr/bin/python3 -m venv "$venv" || { echo "setup-onnx: cannot create a venv (install python3-venv)" >&2; exit 2; }
"$venv/bin/python" -m pip --disable-pip-version-check --quiet install "${PACKAGES[@]}" \
  || { echo "setup-onnx: cannot install ${PACKAGES[*]} from PyPI" >&2; exit 2; }
"$venv/bin/python" -c "$probe" || { echo "setup-onnx: $venv does not import onnx and onnxruntime" >&2; exit 2; }
echo "setup-onnx: $venv ready"
