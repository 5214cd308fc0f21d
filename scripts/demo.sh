#!/usr/bin/env bash
# make demo: the pipeline on built-in data. Until later stages exist: fetch, catalog and synth.
# Fetch:
# a local HTTP server (with an injected dropped connection) serves a small dataset of generated
# exercise videos; biomech-fetch downloads, resumes, verifies and unpacks it, then a re-run
# shows that nothing is downloaded twice.
set -euo pipefail
bin=${1:?usage: demo.sh BIN_DIR}
root=data/demo
rm -rf "$root"
mkdir -p "$root/www" "$root/src/videos/squat" "$root/src/videos/lunge" "$root/manifests"

echo "== generating demo videos with ffmpeg"
for i in 1 2; do
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=320x240:rate=30" -t $((i + 1)) -pix_fmt yuv420p "$root/src/videos/squat/squat_00$i.mp4"
  ffmpeg -loglevel error -f lavfi -i "testsrc=size=320x240:rate=30" -t $((i + 1)) -pix_fmt yuv420p "$root/src/videos/lunge/lunge_00$i.mp4"
done
printf 'video,exercise,quality\nsquat_001.mp4,squat,good\nsquat_002.mp4,squat,poor\nlunge_001.mp4,lunge,good\nlunge_002.mp4,lunge,fair\n' > "$root/src/labels.csv"
bsdtar -czf "$root/www/demo-videos.tar.gz" -C "$root/src" .
sha=$(sha256sum "$root/www/demo-videos.tar.gz" | cut -d' ' -f1)

python3 Tests/TestSupport/fixture_server.py --root "$root/www" --port 0 > "$root/server.port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do grep -q PORT "$root/server.port" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$root/server.port")

cat > "$root/manifests/demo-videos.yaml" <<YAML
name: demo-videos
title: Demo exercise videos (generated)
homepage: http://127.0.0.1:$port/
license: "generated test patterns, public domain"
commercial_use: true
access: http
files:
  # The first request is cut off halfway: the fetch resumes it with a Range request.
  - url: http://127.0.0.1:$port/drop/1/demo-videos.tar.gz
    sha256: $sha
# biomech-catalog: the folder under videos/ names the exercise.
labels:
  exercise:
    - regex: "^videos/(?<label>[^/]+)/"
YAML
cat > "$root/manifests/demo-manual.yaml" <<YAML
name: demo-manual
title: A dataset you must request by hand
homepage: https://example.org
license: "research only"
commercial_use: false
access: manual
manual:
  form: https://example.org/request-form
  instructions: |
    Fill in the form; the authors mail you a link to clips.zip.
  expect:
    - path: clips.zip
YAML

echo "== biomech-fetch (first run)"
"$bin/biomech-fetch" --manifests "$root/manifests" --out "$root/raw" --retry-delay 0.2
echo
echo "== biomech-fetch (second run: nothing to do)"
"$bin/biomech-fetch" --manifests "$root/manifests" --out "$root/raw"
echo
echo "== what is on disk"
find "$root/raw/demo-videos/files" -type f | sort
echo
echo "== receipt: $root/raw/demo-videos/FETCHED.json"
head -30 "$root/raw/demo-videos/FETCHED.json"

echo
echo "== biomech-catalog: probe, label and split the fetched videos into $root/catalog.sqlite"
catalog=("$bin/biomech-catalog")
"${catalog[@]}" scan --db "$root/catalog.sqlite" --data "$root/raw" --manifests "$root/manifests"
"${catalog[@]}" stats --db "$root/catalog.sqlite"
echo
"${catalog[@]}" query --db "$root/catalog.sqlite" \
  "SELECT path, codec, width, height, ROUND(fps, 1) AS fps, frame_count, exercise, exercise_source, split FROM videos ORDER BY path"
echo
"${catalog[@]}" query --db "$root/catalog.sqlite" "SELECT * FROM problems"
"${catalog[@]}" report --db "$root/catalog.sqlite" --out "$root/cards"
echo "look at: $root/cards/demo-videos.md (and its two charts); sqlite3 -readonly $root/catalog.sqlite"

echo
echo "== biomech-synth: 100 synthetic sequences with exact labels, and a contact sheet"
"$bin/biomech-synth" --out "$root/synthetic" --count 100 --seed 42 --preview
echo "look at: $root/synthetic/preview.png"
