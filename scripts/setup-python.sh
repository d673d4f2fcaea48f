#!/usr/bin/env bash
# Sets up the Python side in .venv: the pinned test requirements (maturin, pandas,
# pyarrow, pytest, Ray, SALib) and the quotasim package built from ./python by maturin.
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
.venv/bin/python -m pip install --quiet --disable-pip-version-check ./python
