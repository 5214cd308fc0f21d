#!/usr/bin/env bash
# make demo: the whole pipeline on two real clips of people exercising (docs/DEMO.md).
#   fetch (from a mirror on 127.0.0.1) -> catalog -> extract (MediaPipe) -> synth -> window -> train
#   (pretrain, then fine-tune on the 70/30 real/synthetic mix) -> analyze -> where everything is.
# Each step leaves a stamp when it has finished; a re-run reuses finished steps whose settings are
# the same, and redoes a step (and every step after it) otherwise. make demo-clean starts over.
#
# usage: demo.sh BIN_DIR. Sizes and places come from the environment (the tests run it small):
#   DEMO_DATA (data/demo), DEMO_RUNS (runs/demo), DEMO_REPORTS (reports/demo), DEMO_SYNTH (1000),
#   DEMO_PRETRAIN_EPOCHS (10), DEMO_FINETUNE_EPOCHS (20), DEMO_THREADS (all cores).
set -euo pipefail
bin=${1:?usage: demo.sh BIN_DIR}
bin=$(cd "$bin" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
export BIOMECH_MEDIAPIPE_DIR=${BIOMECH_MEDIAPIPE_DIR:-$repo/.mediapipe}
media=$BIOMECH_MEDIAPIPE_DIR
data=${DEMO_DATA:-data/demo}
runs=${DEMO_RUNS:-runs/demo}
reports=${DEMO_REPORTS:-reports/demo}
synth_count=${DEMO_SYNTH:-1000}
pretrain_epochs=${DEMO_PRETRAIN_EPOCHS:-10}
finetune_epochs=${DEMO_FINETUNE_EPOCHS:-20}
threads=${DEMO_THREADS:-$(nproc)}
catalog=$data/catalog.sqlite

# The demo archive's pinned checksum (scripts/demo/demo-people.yaml): the archive is rebuilt from the
# clips make setup unpacked, byte for byte the same, and checked against this before it is served.
ARCHIVE_SHA256=18a8f27ec532f2fbb29b881168bb22d572c0f6d8f3dde162c858b527305fbb78
# Clip in .mediapipe/ -> its path in the archive. The names decide the catalog's split (a hash of the
# name): the sit-ups land in train, the jumping jacks in test (docs/DEMO.md).
CLIPS=(demo.mp4:videos/jumping_jack/jumping_jacks_sports2d.mp4 situps.mp4:videos/situp/aipose_situps.mp4)
DEMO_VIDEO=videos/jumping_jack/jumping_jacks_sports2d.mp4

fail() { echo "make demo: $*" >&2; exit 1; }
started=$SECONDS
summary=()
redo=0
version=$("$bin/biomech-fetch" --version)
# step N NAME TITLE SETTINGS FUNCTION OUTPUT...: runs FUNCTION unless N's stamp holds the same SETTINGS,
# every OUTPUT exists and no earlier step was redone; the stamp is written only when FUNCTION succeeded.
step() {
  local n=$1 name=$2 title=$3 settings="biomech $version${4:+, $4}" run=$5 stamp="$data/.steps/$1-$2" output missing=0
  shift 5
  for output in "$@"; do [[ -e $output ]] || missing=1; done
  echo
  echo "== [$n/8] $title"
  if [[ $redo == 0 && $missing == 0 && -f $stamp && "$(cat "$stamp")" == "$settings" ]]; then
    echo "done already ($settings): reusing it (make demo-clean starts over)"
    summary+=("$(printf '%-9s reused' "$name")")
    return
  fi
  redo=1
  rm -f "$stamp"
  local t0=$SECONDS
  "$run"
  mkdir -p "$data/.steps"
  printf '%s' "$settings" > "$stamp.tmp" && mv "$stamp.tmp" "$stamp"
  summary+=("$(printf '%-9s %4d s' "$name" $((SECONDS - t0)))")
}

# 1. The mirror: a deterministic archive of the clips, served by a loopback HTTP server for biomech-fetch.
build_archive() {
  local src=$data/mirror/src out=$data/mirror/www/demo-people.tar.gz files=(CREDITS.md)
  rm -rf "$data/mirror"
  mkdir -p "$src" "$data/mirror/www"
  cp "$repo/scripts/demo/CREDITS.md" "$src/CREDITS.md"
  for clip in "${CLIPS[@]}"; do
    local from=$media/${clip%%:*} to=${clip#*:}
    [[ -f $from ]] || fail "$from is missing: run make setup (it unpacks the demo clips from their PyPI packages)"
    mkdir -p "$src/$(dirname "$to")"
    cp "$from" "$src/$to"
    files+=("$to")
  done
  chmod 644 "${files[@]/#/$src/}"
  touch -h -d '2026-01-01 00:00:00 UTC' "${files[@]/#/$src/}"
  bsdtar --format ustar --uid 0 --gid 0 --uname root --gname root -cf - -C "$src" "${files[@]}" | gzip -n -6 > "$out.tmp"
  mv "$out.tmp" "$out"
  local sha
  sha=$(sha256sum "$out" | cut -d' ' -f1)
  [[ $sha == "$ARCHIVE_SHA256" ]] || fail "$out has sha256 $sha, but scripts/demo.sh pins $ARCHIVE_SHA256 (a changed clip, or another bsdtar or gzip)"
  echo "mirror: $out (${#CLIPS[@]} clips, sha256 $sha, as pinned)"
}

fetch() {
  rm -rf "$data/raw" "$data/manifests"
  build_archive
  python3 "$repo/Tests/TestSupport/fixture_server.py" --root "$data/mirror/www" --port 0 > "$data/mirror/server.port" &
  local server=$!
  trap "kill $server 2>/dev/null" EXIT
  for _ in $(seq 100); do grep -q PORT "$data/mirror/server.port" 2>/dev/null && break; sleep 0.1; done
  local port
  port=$(awk '/PORT/ {print $2}' "$data/mirror/server.port")
  [[ -n $port ]] || fail "the mirror server did not start (see $data/mirror/server.port)"
  echo "mirror: serving $data/mirror/www on http://127.0.0.1:$port/"
  mkdir -p "$data/manifests"
  sed -e "s|@MIRROR@|http://127.0.0.1:$port|" -e "s|@SHA256@|$ARCHIVE_SHA256|" "$repo/scripts/demo/demo-people.yaml" \
    > "$data/manifests/demo-people.yaml"
  "$bin/biomech-fetch" --manifests "$data/manifests" --out "$data/raw" --retry-delay 0.2
  kill $server 2>/dev/null; wait $server 2>/dev/null || true
  trap - EXIT
  echo "fetched:"; (cd "$data/raw/demo-people/files" && find . -type f | sort | sed 's|^\./|  |')
}

catalog_step() {
  rm -f "$catalog" "$catalog-wal" "$catalog-shm"
  "$bin/biomech-catalog" scan --db "$catalog" --data "$data/raw" --manifests "$data/manifests"
  "$bin/biomech-catalog" stats --db "$catalog"
  "$bin/biomech-catalog" query --db "$catalog" \
    "SELECT id, path, codec, width, height, ROUND(fps, 1) AS fps, frame_count, exercise, exercise_source, split FROM videos ORDER BY id"
  "$bin/biomech-catalog" report --db "$catalog" --out "$data/cards"
}

extract() {
  rm -rf "$data/landmarks"
  "$bin/biomech-extract" --db "$catalog" --data "$data/raw" --out "$data/landmarks" --jobs "$threads"
}

synth() {
  rm -rf "$data/synthetic"
  "$bin/biomech-synth" --out "$data/synthetic" --count "$synth_count" --seed 42 --jobs "$threads" --preview
}

window() {
  rm -rf "$data/shards"
  "$bin/biomech-window" --db "$catalog" --landmarks "$data/landmarks" --out "$data/shards/real"
  "$bin/biomech-window" --sequences "$data/synthetic" --out "$data/shards/synthetic"
}

# Prints the test figures of a run's metrics.json (or an evaluate --json file) as one table row each.
figures() {
  python3 - "$@" <<'PY'
import json, sys
def f(v, scale=1, fmt="%.2f"):
    return "n/a" if v is None else fmt % (v * scale)
print("%-34s %8s %11s %9s %9s %9s" % ("checkpoint on test split", "windows", "angle MAE", "form MAE", "exercise", "risk MAE"))
for spec in sys.argv[1:]:
    label, path, key = spec.split("|")
    m = json.load(open(path))
    for k in key.split("."):
        m = m.get(k) if k else m
    if m is None:
        print("%-34s %8s" % (label, "none")); continue
    print("%-34s %8d %11s %9s %9s %9s" % (label, m["windows"], f(m.get("angle_mae_deg")), f(m.get("form_mae")),
          f(m.get("exercise_accuracy"), 100, "%.1f%%"), f(m.get("risk_mae"))))
PY
}

train() {
  rm -rf "$runs"
  mkdir -p "$runs"
  echo "-- pretraining on synthetic windows: $pretrain_epochs epochs"
  "$bin/biomech-train" fit --synthetic "$data/shards/synthetic" --out "$runs/pretrain" --epochs "$pretrain_epochs" \
    --cosine --warmup 100 --patience 10 --threads "$threads"
  echo "-- fine-tuning on the 70/30 real/synthetic mix: up to $finetune_epochs epochs (passes over the real training windows)"
  "$bin/biomech-train" fit --synthetic "$data/shards/synthetic" --real "$data/shards/real" --ratio 0.7 \
    --init "$runs/pretrain/best.ckpt" --lr 1e-4 --epochs "$finetune_epochs" --patience 10 --out "$runs/finetune" --threads "$threads"
  "$bin/biomech-train" history "$runs/pretrain" "$runs/finetune" --out "$runs/history.png" \
    --title "make demo: pretraining on synthetic windows, then fine-tuning on the 70/30 mix"
  local real_test=()
  if [[ $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["windows"])' "$data/shards/real/test/index.json") -gt 0 ]]; then
    "$bin/biomech-train" evaluate --ckpt "$runs/pretrain/best.ckpt" --shards "$data/shards/real/test" \
      --json "$runs/pretrain/real-test-metrics.json" --threads "$threads" > /dev/null
    real_test=("pretrained, real test|$runs/pretrain/real-test-metrics.json|")
  fi
  echo
  figures "pretrained, synthetic test|$runs/pretrain/metrics.json|test.synthetic" "${real_test[@]}" \
    "fine-tuned, synthetic test|$runs/finetune/metrics.json|test.synthetic" "fine-tuned, real test|$runs/finetune/metrics.json|test.real" \
    | tee "$runs/test-figures.txt"
}

analyze() {
  rm -rf "$reports"
  mkdir -p "$reports"
  local video=$data/raw/demo-people/files/$DEMO_VIDEO exercise
  exercise=$(sqlite3 -readonly "$catalog" "SELECT exercise FROM videos WHERE dataset = 'demo-people' AND path = '$DEMO_VIDEO'")
  [[ -n $exercise ]] || fail "$catalog has no exercise for $DEMO_VIDEO"
  echo "analysing $video as $exercise (its label in the catalog); the model's own guess is in the report"
  "$bin/biomech-analyze" --model "$runs/finetune/best.ckpt" --source "$video" --exercise "$exercise" \
    --json "$reports/report.json" --output "$reports/annotated.mp4" --summary "$reports/summary.png"
}

step 1 fetch "Fetch: the demo clips from a mirror on 127.0.0.1 (resuming a dropped connection)" "archive $ARCHIVE_SHA256" fetch \
  "$data/raw/demo-people/files/$DEMO_VIDEO"
step 2 catalog "Catalog: probe, label and split what was fetched into $catalog" "" catalog_step "$catalog"
step 3 extract "Extract: MediaPipe Pose landmarks of every catalogued video" "" extract "$data/landmarks"
step 4 synth "Synth: $synth_count synthetic sequences with exact labels" "count $synth_count, seed 42" synth "$data/synthetic"
step 5 window "Window: real and synthetic sequences into .npy shards" "" window "$data/shards/real" "$data/shards/synthetic"
step 6 train "Train: pretrain on synthetic, fine-tune on the 70/30 real/synthetic mix" \
  "pretrain $pretrain_epochs epochs, fine-tune $finetune_epochs, $threads threads" train \
  "$runs/finetune/best.ckpt" "$runs/history.png" "$runs/test-figures.txt"
step 7 analyze "Analyze: the jumping-jacks clip (held out in the test split)" "" analyze \
  "$reports/report.json" "$reports/annotated.mp4" "$reports/summary.png"

echo
echo "== [8/8] Where everything is"
cat <<EOF
  catalog            $catalog   (sqlite3 -readonly $catalog; dataset card: $data/cards/demo-people.md)
  landmarks          $data/landmarks/demo-people/
  synthetic          $data/synthetic/   (contact sheet: $data/synthetic/preview.png)
  shards             $data/shards/real/  $data/shards/synthetic/   (biomech-window stats DIR)
  training           $runs/history.png   ($runs/pretrain/, $runs/finetune/: best.ckpt, metrics.json, history.csv)
  report             $reports/report.json   (docs/REPORT.md)
  annotated video    $reports/annotated.mp4
  summary picture    $reports/summary.png
EOF
echo
echo "-- test-split figures ($runs/test-figures.txt)"
cat "$runs/test-figures.txt"
echo
echo "-- the report, in short"
python3 - "$reports/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ex, risk = r["exercise_type"], r["risk_assessment"]
model = ex["model"]
print(f"  exercise {ex['name']} ({ex['source']}; the model says {model['name']} at {model['confidence'] * 100:.0f}%)")
print(f"  reps {r['reps']['count']} on the {r['reps']['main_joint']} angle; overall score {r['overall_score']:.0f}")
print(f"  risk {risk['level']} ({risk['score']:.0f}: model {risk['model_score']:.0f}, torque {risk['torque_score']:.0f}); "
      f"concerns: {', '.join(c['id'] for c in risk['concerns']) or 'none'}")
PY
echo
echo "-- three sqlite3 queries that trace a window back to its video"
queries=(
  "SELECT dataset, path, split, COUNT(*) AS windows, MIN(start_s) AS first_s, MAX(end_s) AS last_s FROM window_sources GROUP BY dataset, path, split;"
  "SELECT folder, split, shard, row, path, start_frame, frames, ROUND(start_s, 2) AS start_s, ROUND(end_s, 2) AS end_s, exercise FROM window_sources WHERE split = 'test' ORDER BY shard, row LIMIT 3;"
  "SELECT w.split, w.shard, w.row, s.path AS landmarks, v.path AS video, v.sha256, s.backend, ROUND(s.detected_fraction, 3) AS detected FROM windows w JOIN sequences s ON s.video_id = w.video_id JOIN videos v ON v.id = w.video_id WHERE w.split = 'test' AND w.row = 0;"
)
for q in "${queries[@]}"; do
  echo "\$ sqlite3 -readonly -header -column $catalog \"$q\""
  sqlite3 -readonly -header -column "$catalog" "$q"
  echo
done
echo "-- steps"
printf '  %s\n' "${summary[@]}"
echo "make demo: done in $((SECONDS - started)) s"
