#!/usr/bin/env bash
# Puts what the Pose module and its tests need into .mediapipe/ (ignored by git), and is a no-op when
# all is there: the pinned wheels, libmediapipe.so (0.10.35), the pose .task bundle (built from the
# 0.10.14 models), the reference Python MediaPipe (a venv with 0.10.14), the Sports2D demo video
# (jumping jacks) and the sit-ups clip of the aipose sdist (the demo's second real clip).
# Every file is checked against the sha256 pinned here; docs/EXTRACT.md says where each comes from.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="${MEDIAPIPE_DIR:-$root/.mediapipe}"
mkdir -p "$dir/wheels" "$dir/lib"

WHEEL_35=mediapipe-0.10.35-py3-none-manylinux_2_28_x86_64.whl
WHEEL_14=mediapipe-0.10.14-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
WHEEL_S2D=sports2d-0.8.34-py3-none-any.whl
# An sdist: pip would build its metadata (a minute and a half); its PyPI file URL is permanent, so curl it.
SDIST_AIPOSE=aipose-3.2.0.tar.gz
URL_AIPOSE=https://files.pythonhosted.org/packages/f5/52/b61766228ebd4e882b336b53d45b72f82d3b0e5bca87d4876182d8f08b6e/$SDIST_AIPOSE
declare -A SHA=(
  [$WHEEL_35]=db9a579df48cffe9570cd3e93f6a5d2dd089a1103b846c60c5b5de8a21c38db0
  [$WHEEL_14]=a807328339e7356fda0bb14df12fedbf1d33bdf81649c5f8666b0026b1cc30b4
  [$WHEEL_S2D]=733b6db70742636ae9c35d870c22bd416582f579abd5881bee93a14bb0e2655d
  [libmediapipe.so]=7ba887d5e09d87440b3713816ec02897d6a849eadf2325c9aabe3707cbdac86b
  [pose_landmarker_full.task]=9a865a2144af704926b7640c16db675d8b51c225dede4b0e6017730c812aeb67
  [demo.mp4]=d9a66417185647b112304b57093f0c180f37a768e6a14daca75ca541f3b78039
  [$SDIST_AIPOSE]=60f0ba5093e4f45e504c2decedd44176c6016d59d27c0e6d959a80363fa36c7c
  [situps.mp4]=ee7fc2b453f67e9ff3d728062414fe181087908aca0a6846851fc1d9647b6527
)
# What the reference venv holds besides the 0.10.14 wheel (installed with --no-deps: its declared
# jax, sounddevice and opencv-contrib are not needed to run the pose landmarker).
REFERENCE_PACKAGES=(absl-py==2.5.1 attrs==26.1.0 flatbuffers==25.12.19 numpy==1.26.4 protobuf==4.25.5
  opencv-python-headless==4.10.0.84 matplotlib==3.9.2)
SCHEMA_PACKAGES=(jsonschema==4.23.0 jsonschema-specifications==2024.10.1 referencing==0.35.1 rpds-py==0.22.3 attrs==26.1.0)
# 0.10.35's Python Tasks API only needs these (not its declared sounddevice; headless OpenCV for opencv-contrib).
REFERENCE_35_PACKAGES=(absl-py==2.5.1 certifi==2026.10.19.post1 flatbuffers==25.12.19 numpy==1.26.4
  opencv-python-headless==4.10.0.84 matplotlib==3.9.2)

fail() { echo "setup-mediapipe: $*" >&2; exit 2; }
# check FILE KEY: the file's sha256 is the pinned one.
check() {
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$actual" == "${SHA[$2]}" ]] || fail "$1 has sha256 $actual, expected ${SHA[$2]} (delete it and run make setup again)"
}

# The reference venv first: its pip downloads the wheels (Debian's python3 has no pip of its own).
venv="$dir/venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import mediapipe, cv2, numpy" 2>/dev/null; then
  echo "setup-mediapipe: creating the reference venv $venv"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv" || fail "cannot create a venv (install python3-venv)"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)

for spec in mediapipe==0.10.35:$WHEEL_35 mediapipe==0.10.14:$WHEEL_14 sports2d==0.8.34:$WHEEL_S2D; do
  requirement=${spec%%:*} wheel=${spec#*:}
  if [[ ! -f "$dir/wheels/$wheel" ]]; then
    echo "setup-mediapipe: downloading $wheel"
    "${pip[@]}" download --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform any \
      -d "$dir/wheels" "$requirement" || fail "cannot download $requirement from PyPI"
    [[ -f "$dir/wheels/$wheel" ]] || fail "pip did not fetch $wheel for $requirement"
  fi
  check "$dir/wheels/$wheel" "$wheel"
done

if ! "$venv/bin/python" -c "import mediapipe, cv2, numpy" 2>/dev/null; then
  echo "setup-mediapipe: installing mediapipe 0.10.14 into the reference venv"
  "${pip[@]}" install "${REFERENCE_PACKAGES[@]}" || fail "cannot install ${REFERENCE_PACKAGES[*]}"
  "${pip[@]}" install --no-deps "$dir/wheels/$WHEEL_14" || fail "cannot install $WHEEL_14"
fi
# The analysis tests validate reports against docs/REPORT.md's JSON Schema with the jsonschema package.
if ! "$venv/bin/python" -c "import jsonschema" 2>/dev/null; then
  echo "setup-mediapipe: installing jsonschema into the reference venv"
  "${pip[@]}" install "${SCHEMA_PACKAGES[@]}" || fail "cannot install ${SCHEMA_PACKAGES[*]}"
fi

venv35="$dir/venv35"
if [[ ! -x "$venv35/bin/python" ]] || ! "$venv35/bin/python" -c "import mediapipe, cv2, numpy, matplotlib" 2>/dev/null; then
  echo "setup-mediapipe: creating the 0.10.35 reference venv $venv35"
  rm -rf "$venv35"
  /usr/bin/python3 -m venv "$venv35" || fail "cannot create a venv (install python3-venv)"
  "$venv35/bin/python" -m pip --disable-pip-version-check --quiet install "${REFERENCE_35_PACKAGES[@]}" \
    || fail "cannot install ${REFERENCE_35_PACKAGES[*]}"
  "$venv35/bin/python" -m pip --disable-pip-version-check --quiet install --no-deps "$dir/wheels/$WHEEL_35" \
    || fail "cannot install $WHEEL_35"
fi

if [[ ! -f "$dir/lib/libmediapipe.so" ]]; then
  echo "setup-mediapipe: unpacking libmediapipe.so"
  unzip -q -o -j "$dir/wheels/$WHEEL_35" mediapipe/tasks/c/libmediapipe.so -d "$dir/lib.tmp"
  mv "$dir/lib.tmp/libmediapipe.so" "$dir/lib/libmediapipe.so" && rmdir "$dir/lib.tmp"
fi
check "$dir/lib/libmediapipe.so" libmediapipe.so

if [[ ! -f "$dir/pose_landmarker_full.task" ]]; then
  echo "setup-mediapipe: building pose_landmarker_full.task"
  "$venv/bin/python" "$root/tools/make_pose_bundle.py" "$dir/wheels/$WHEEL_14" "$dir/pose_landmarker_full.task.tmp"
  mv "$dir/pose_landmarker_full.task.tmp" "$dir/pose_landmarker_full.task"
fi
check "$dir/pose_landmarker_full.task" pose_landmarker_full.task

if [[ ! -f "$dir/demo.mp4" ]]; then
  echo "setup-mediapipe: unpacking the Sports2D demo video"
  unzip -q -o -j "$dir/wheels/$WHEEL_S2D" Sports2D/Demo/demo.mp4 -d "$dir/demo.tmp"
  mv "$dir/demo.tmp/demo.mp4" "$dir/demo.mp4" && rmdir "$dir/demo.tmp"
fi
check "$dir/demo.mp4" demo.mp4

# Pexels video 6739975 (Mikhail Nilov): a woman doing sit-ups with a ball, 25 fps, 527 frames.
if [[ ! -f "$dir/situps.mp4" ]]; then
  if [[ ! -f "$dir/wheels/$SDIST_AIPOSE" ]]; then
    echo "setup-mediapipe: downloading $SDIST_AIPOSE (71 MB) for its sit-ups clip"
    curl -fsSL --retry 3 -o "$dir/wheels/$SDIST_AIPOSE.tmp" "$URL_AIPOSE" || fail "cannot download $URL_AIPOSE"
    mv "$dir/wheels/$SDIST_AIPOSE.tmp" "$dir/wheels/$SDIST_AIPOSE"
  fi
  check "$dir/wheels/$SDIST_AIPOSE" "$SDIST_AIPOSE"
  echo "setup-mediapipe: unpacking the aipose sit-ups clip"
  mkdir -p "$dir/situps.tmp"
  tar -xzf "$dir/wheels/$SDIST_AIPOSE" -C "$dir/situps.tmp" --strip-components 1 aipose-3.2.0/video.mp4
  mv "$dir/situps.tmp/video.mp4" "$dir/situps.mp4" && rmdir "$dir/situps.tmp"
fi
check "$dir/situps.mp4" situps.mp4
echo "setup-mediapipe: $dir ready"
