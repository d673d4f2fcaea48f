#!/usr/bin/env bash
# Sets up the Python side in .venv: the pinned test requirements (maturin, pandas,
# pyarrow, pytest, Ray, SALib, mypy) and the quotasim package built from ./python by maturin.
# Safe to run again: pip skips what is installed; the package is rebuilt (cargo makes
# that quick when nothing changed).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
    echo "error: $python is required (Python 3.9 or later) for the Python package and its tests" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r python/requirements-ci.txt
# pip is silent while maturin compiles the engine: say so first (QUOTASIM_PIP_VERBOSE=1
# shows cargo's own progress).
echo "setup: building the quotasim Python package (the Rust engine: 2-3 minutes the first time on 2 cores, seconds after)" >&2
if [ "${QUOTASIM_PIP_VERBOSE:-}" = 1 ]; then
    .venv/bin/python -m pip install -v --disable-pip-version-check ./python
else
    .venv/bin/python -m pip install --quiet --disable-pip-version-check ./python
fi
