#!/usr/bin/env bash
# Training throughput, side by side in one run and on the same threads:
#   biomech-train bench (random windows, the model alone), biomech-train fit (real shards: sampler, prefetch,
#   augmentation, validation excluded) and PyTorch on the same model (tools/torch_reference.py);
# and fit's peak memory on a shard folder with 10x the shards of another.
# Usage: bash scripts/bench-train.sh BIN_DIR [THREADS] [WORK]
set -euo pipefail
bin=$(cd "${1:?usage: bench-train.sh BIN_DIR [THREADS] [WORK]}" && pwd)
threads=${2:-2}
mkdir -p "${3:-bench-work/train}"
work=$(cd "${3:-bench-work/train}" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ref=tools/torch_reference.py
venv=bench-work/torch-venv

# biomech-train chooses and checks OpenBLAS's kernels itself (docs/MODEL.md, "Kernel selection"):
# measured with OPENBLAS_CORETYPE removed (its own choice) and, when the environment sets it, as set.
env_core="${OPENBLAS_CORETYPE:-}"
auto_core=$(env -u OPENBLAS_CORETYPE "$bin/biomech-train" kernels --json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['core'])")
echo "OpenBLAS core: $auto_core by biomech's own choice${env_core:+; the environment sets OPENBLAS_CORETYPE=$env_core}"
python3 scripts/bench/results.py fact openblas_core_train "$auto_core${env_core:+ (environment: $env_core)}"

# Two shard folders of 64-window shards from the same generator: N sequences and 10N.
shards() {  # NAME COUNT
  [[ -f "$work/$1/train/index.json" ]] && return
  rm -rf "$work/$1" "$work/$1-seq"
  "$bin/biomech-synth" --out "$work/$1-seq" --count "$2" --frames 150 --seed 7 >/dev/null 2>&1
  "$bin/biomech-window" --sequences "$work/$1-seq" --out "$work/$1" --shard-size 64 >/dev/null 2>&1
  rm -rf "$work/$1-seq"
}
shards small 200
shards large 2000

# fit for one epoch with its memory sampled: prints "samples/s peak_RSS_kB peak_private_kB shards".
fit() {  # NAME
  rm -rf "$work/run-$1"
  "$bin/biomech-train" fit --synthetic "$work/$1" --out "$work/run-$1" --epochs 1 --threads "$threads" \
    --checkpoint-every 1000000 >"$work/fit-$1.log" 2>&1 &
  local pid=$! hwm=0 anon=0 line
  while kill -0 "$pid" 2>/dev/null; do
    while read -r line; do
      case $line in
        VmHWM:*) hwm=$(awk '{print $2}' <<<"$line") ;;
        RssAnon:*) a=$(awk '{print $2}' <<<"$line"); (( a > anon )) && anon=$a ;;
      esac
    done </proc/"$pid"/status 2>/dev/null || true
    sleep 0.2
  done
  wait "$pid" || { tail -n 20 "$work/fit-$1.log" >&2; echo "bench-train: fit on $1 failed" >&2; exit 1; }
  local sps count
  sps=$(awk -F, 'NR == 2 { print $10 }' "$work/run-$1/history.csv")
  count=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['shards']))" "$work/$1/train/index.json")
  echo "$sps $hwm $anon $count"
}
# prints "samples/s self_check_ms core"; with "auto", OPENBLAS_CORETYPE removed.
bench() {
  local out
  if [[ $1 == auto ]]; then out=$(env -u OPENBLAS_CORETYPE "$bin/biomech-train" bench --threads "$threads" --seconds 10 2>/dev/null)
  else out=$("$bin/biomech-train" bench --threads "$threads" --seconds 10 2>/dev/null); fi
  local sps ms core
  sps=$(tail -1 <<<"$out" | sed 's/.*samples_per_s=\([0-9.]*\).*/\1/')
  ms=$(grep -o 'self_check_ms=[0-9.]*' <<<"$out" | cut -d= -f2)
  core=$(grep -o 'blas_core=[A-Za-z0-9_]*' <<<"$out" | cut -d= -f2)
  echo "$sps $ms $core"
}

# fit runs in the environment as given, so its comparison is with the bench under the same kernels.
same=auto; [[ -n $env_core ]] && same=env
read -r bench_auto check_ms _ < <(bench auto)
bench_env=""; [[ -n $env_core ]] && read -r bench_env _ _ < <(bench env)
bench1=$([[ $same == env ]] && echo "$bench_env" || echo "$bench_auto")
read -r fit_sps large_hwm large_anon large_shards < <(fit large)
read -r bench2 _ _ < <(bench $same)
read -r _ small_hwm small_anon small_shards < <(fit small)

# PyTorch in a venv of its own, tried in this order: a local CPU wheel (pip's find-links, as on the
# development machines), PyTorch's own CPU index (small), PyPI's build (large: it pulls CUDA libraries).
if [[ ! -x "$venv/bin/python3" ]] || ! "$venv/bin/python3" -c "import torch, numpy" 2>/dev/null; then
  python3 -m venv "$venv"
  echo "bench-train: installing PyTorch 2.13.0 into $venv (log: bench-work/torch-install.log)"
  { "$venv/bin/pip" install --quiet "torch==2.13.0+cpu" \
      || "$venv/bin/pip" install --quiet --timeout 20 --retries 0 --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0" \
      || "$venv/bin/pip" install --quiet "torch==2.13.0"
    "$venv/bin/pip" install --quiet numpy==2.4.6; } >bench-work/torch-install.log 2>&1 || true   # numpy: torch warns without it
fi
torch=""
if "$venv/bin/python3" -c "import torch" 2>/dev/null; then
  torch=$("$venv/bin/python3" "$ref" bench "$threads" | tail -1 | sed 's/.*samples_per_s \([0-9.]*\).*/\1/')
  python3 scripts/bench/results.py fact torch "$("$venv/bin/python3" -c 'import torch; print(torch.__version__)')"
else
  echo "bench-train: PyTorch could not be installed (bench-work/torch-install.log): no comparison with it" >&2
fi

python3 - "$threads" "$bench1" "$bench2" "$fit_sps" "$torch" "$small_shards" "$small_hwm" "$small_anon" \
  "$large_shards" "$large_hwm" "$large_anon" "$bench_auto" "$bench_env" "$auto_core" "$env_core" "$check_ms" <<'PY'
import sys
sys.path.insert(0, "scripts/bench")
from results import missing, record
threads, b1, b2, fit, torch = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
small, large = [int(v) for v in sys.argv[6:9]], [int(v) for v in sys.argv[9:12]]
auto, env, auto_core, env_core, check_ms = float(sys.argv[12]), sys.argv[13], sys.argv[14], sys.argv[15], float(sys.argv[16])
print(f"kernels: {auto_core} by biomech's choice: {auto:.1f} samples/s" + (f"; OPENBLAS_CORETYPE={env_core} as set: {float(env):.1f}" if env else ""))
print(f"self-check before the first step: {check_ms:.1f} ms")
if torch:
    record("train", f"training samples/s, {auto_core} kernels by biomech's own choice", auto / float(torch), "x",
           "PyTorch, the same model", ">= 1.0", auto / float(torch) >= 1.0)
    if env:
        record("train", f"  the same with OPENBLAS_CORETYPE={env_core} from the environment", float(env) / float(torch), "x", "PyTorch, the same model")
record("train", "BLAS self-check before the first step", check_ms, "ms", "", "milliseconds (< 50)", check_ms < 50)
bench = (b1 + b2) / 2
print(f"training samples/s on {threads} threads:")
print(f"  biomech-train bench   {b1:7.1f} before fit, {b2:7.1f} after (mean {bench:.1f})")
print(f"  biomech-train fit     {fit:7.1f} (one epoch over real shards; validation excluded)")
if torch:
    print(f"  PyTorch, same model   {float(torch):7.1f} (tools/torch_reference.py)")
print(f"ratio fit / bench: {fit / bench:.2f} (goal >= 0.95)")
if torch:
    print(f"ratio fit / PyTorch: {fit / float(torch):.2f}; bench / PyTorch: {bench / float(torch):.2f} (goal >= 1.0)")
mib = lambda kb: f"{kb / 1024:.1f} MiB"
print("fit peak memory (one epoch; VmHWM counts mapped shard pages too, private = RssAnon sampled):")
for name, (n, hwm, anon) in (("small", small), ("large", large)):
    print(f"  {n:4d} train shards: peak RSS {mib(hwm)}, peak private {mib(anon)}")
print(f"memory with {large[0] / small[0]:.1f}x the shards: peak private x{large[2] / small[2]:.2f}, peak RSS x{large[1] / small[1]:.2f}")
if torch:
    record("train", f"training samples/s, {threads} threads (biomech-train bench)", bench / float(torch), "x",
           "PyTorch, the same model (tools/torch_reference.py)", ">= 1.0", bench / float(torch) >= 1.0)
    record("train", f"  the same for one fit epoch over shards", fit / float(torch), "x", "PyTorch, the same model")
else:
    missing("train", f"training samples/s, {threads} threads, against PyTorch",
            "PyTorch could not be installed (bench-work/torch-install.log)")
record("train", "fit epoch against biomech-train bench (data pipeline overhead)", fit / bench, "x", "biomech-train bench", ">= 0.95", fit / bench >= 0.95)
record("train", f"fit peak private memory, {large[0] / small[0]:.0f}x the shards", large[2] / small[2], "x", "the smaller folder",
       "flat (<= 1.05)", large[2] / small[2] <= 1.05)
PY
