#!/usr/bin/env bash
# Make .venv/ in the repository and install statusledger into it, from the exact versions in
# tests/constraints.txt. Works as root or as a user with sudo, with Debian's Python (which
# refuses `pip install` outside a virtual environment, PEP 668) or any Python >= 3.11 on PATH.
#   bash tooling/bootstrap.sh          statusledger and its runtime dependencies
#   bash tooling/bootstrap.sh test     and the test and lint toolchain
set -euo pipefail

# apt-get, with sudo unless root, waiting (up to 10 minutes) for a lock another process holds.
apt_install() {
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  local try
  for try in $(seq 1 60); do
    if $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update \
      && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        -o DPkg::Lock::Timeout=600 "$@"; then
      return 0
    fi
    echo "apt-get failed (another process may hold its lock); trying again in 10 s ($try/60)" >&2
    sleep 10
  done
  return 1
}

# The first Python >= 3.11 on PATH.
find_python() {
  local candidate
  for candidate in python3 python3.14 python3.13 python3.12 python3.11 python; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

# Sourced with --functions-only (tests/run.sh), it only defines apt_install and find_python.
[ "${1:-}" = --functions-only ] && return 0
cd "$(dirname "$0")/.."
extras=""; [ "${1:-}" = test ] && extras="[test]"

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import pip' 2>/dev/null; then
  # A .venv that is not a virtual environment (no pyvenv.cfg) is the user's: never delete it.
  if [ -e .venv ] && [ ! -f .venv/pyvenv.cfg ]; then
    echo "bootstrap: .venv exists but is not a virtual environment; move it away first" >&2
    exit 1
  fi
  python=$(find_python) || { apt_install python3 python3-venv; python=$(find_python); }
  rm -rf .venv
  if ! "$python" -m venv .venv >/dev/null 2>&1; then
    # Debian splits venv's pip bootstrap into python3-venv (python3.X-venv).
    rm -rf .venv
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${version}-venv" || apt_install python3-venv
    "$python" -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -c tests/constraints.txt -e ".${extras}"
