#!/usr/bin/env bash
# Install what the tests need and run the whole suite: .venv/ with statusledger and the exact
# test and lint toolchain of tests/constraints.txt (tooling/bootstrap.sh), Debian's headless
# Chromium and its driver for the browser tests, trang (turns the RFC 4287 RELAX NG schema in
# ../shared into the XML form lxml validates feeds with). README.md names this script; .ci/run
# calls it. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tooling/bootstrap.sh test
export PATH="$PWD/.venv/bin:$PATH"
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
  || ! command -v trang >/dev/null 2>&1; then
  # shellcheck source=/dev/null
  source tooling/bootstrap.sh --functions-only
  apt_install chromium chromium-driver trang
fi
.venv/bin/ruff check tooling tests
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
