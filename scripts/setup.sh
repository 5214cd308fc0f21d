#!/usr/bin/env bash
# Installs what biomech needs, and is a no-op when all is there:
# the given Debian packages (apt-get as root, or through sudo), then NumPy (pip) for the tests.
set -euo pipefail
missing=()
for package in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all $# Debian packages present"
else
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "setup: need root or sudo to install: ${missing[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The tests read every .npy file back with numpy's np.load.
if ! python3 -c "import numpy" 2>/dev/null; then
  echo "setup: installing numpy (pip)"
  python3 -m pip install --quiet numpy || { echo "setup: cannot install numpy with pip" >&2; exit 2; }
fi
