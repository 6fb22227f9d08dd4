#!/usr/bin/env bash
# Install what the tests need (Debian's Chromium for the browser tests, the test extras) and
# run the whole suite. README.md names this script; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's headless Chromium and its driver for the browser tests; trang turns the RFC 4287
# RELAX NG schema (compact syntax, in ../shared) into the XML form lxml validates feeds with.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
  || ! command -v trang >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium chromium-driver trang
fi
python3 -m pip install -q -e '.[test]'
python3 -m ruff check tooling tests
python3 -m mypy
python3 -m pytest -q "$@"
