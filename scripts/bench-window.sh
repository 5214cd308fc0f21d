#!/usr/bin/env bash
# Windowing throughput: biomech-window on 1,000 synthetic sequences of 150 frames (biomech-synth --seed 42), with
# --jobs 1 and with every core, against a NumPy loop doing the array part of the same work in one process
# (tools/window_reference.py: fill gaps, cut, drop, normalize, save; no labels, so it does less). Prints sequences/s
# of each and the ratios. Usage: bash scripts/bench-window.sh BIN_DIR [WORK]
set -euo pipefail
bin=$(cd "${1:?usage: bash scripts/bench-window.sh BIN_DIR [WORK]}" && pwd)
mkdir -p "${2:-bench-work/window}"
work=$(cd "${2:-bench-work/window}" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
py=.mediapipe/venv/bin/python   # NumPy from make setup
[[ -x "$py" ]] || { echo "bench-window: $py is missing (make setup)" >&2; exit 1; }

if [[ ! -f "$work/synth/synth-42-000999.json" ]]; then
  rm -rf "$work/synth"
  "$bin/biomech-synth" --out "$work/synth" --count 1000 --frames 150 --seed 42 >/dev/null 2>&1
fi
cores=$(nproc)
run() {  # NAME COMMAND...: "start end" wall-clock seconds to WORK/NAME.seconds
  local name=$1 start=$EPOCHREALTIME
  shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" || { tail -n 20 "$work/$name.err" >&2; echo "bench-window: $name failed" >&2; exit 1; }
  echo "$start $EPOCHREALTIME" >"$work/$name.seconds"
}
# Warm the page cache for all three.
cat "$work"/synth/*.npy >/dev/null
run jobs1 "$bin/biomech-window" --sequences "$work/synth" --out "$work/shards-1" --jobs 1
run jobsN "$bin/biomech-window" --sequences "$work/synth" --out "$work/shards-n" --jobs "$cores"
run numpy "$py" tools/window_reference.py "$work/synth" "$work/numpy"

python3 - "$work" "$cores" <<'PY'
import json, os, sys
sys.path.insert(0, "scripts/bench")
from results import record
work, cores = sys.argv[1], int(sys.argv[2])
def seconds(name):
    start, end = (float(x) for x in open(os.path.join(work, name + ".seconds")).read().split())
    return end - start
ref = json.loads(open(os.path.join(work, "numpy.out")).read().strip().splitlines()[-1])
windows = 0
for split in ("train", "val", "test"):
    windows += json.load(open(os.path.join(work, "shards-1", split, "index.json")))["windows"]
rows = [("biomech-window --jobs 1", seconds("jobs1")), (f"biomech-window --jobs {cores}", seconds("jobsN")),
        ("NumPy loop, no labels (process wall)", seconds("numpy")), ("NumPy loop, no labels (after imports)", ref["seconds"])]
print(f"{'tool':40} {'seconds':>8} {'sequences/s':>12}")
for name, s in rows:
    print(f"{name:40} {s:8.2f} {1000 / s:12.0f}")
print(f"windows: biomech-window {windows}, NumPy {ref['windows']} (biomech also drops windows with too much missing)")
print(f"window: biomech-window --jobs 1 vs the NumPy loop (process wall; NumPy computes no labels): {seconds('numpy') / seconds('jobs1'):.2f}x")
print(f"window: biomech-window --jobs {cores} vs --jobs 1: {seconds('jobs1') / seconds('jobsN'):.2f}x")
record("window", "sequences/s, --jobs 1 (biomech also labels)", seconds("numpy") / seconds("jobs1"), "x", "a NumPy loop doing only the arrays")
record("window", f"--jobs {cores} against --jobs 1", seconds("jobs1") / seconds("jobsN"), "x", "biomech-window --jobs 1")
PY
