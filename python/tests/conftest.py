"""Shared helpers: the repository root and the quotasim command built by cargo."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli() -> str:
    """Path of the quotasim command: $QUOTASIM_BIN, else target/{release,debug}."""
    env = os.environ.get("QUOTASIM_BIN")
    if env:
        return env
    for profile in ("debug", "release"):
        p = ROOT / "target" / profile / "quotasim"
        if p.is_file():
            return str(p)
    found = shutil.which("quotasim")
    if found:
        return found
    pytest.fail("the quotasim command is not built: run `cargo build` first (scripts/test.sh does)")
