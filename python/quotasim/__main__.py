"""The ``quotasim`` command from a pip install.

The command is the Rust binary of the quotasim repository (crates/quotasim-cli), not
part of this Python package. This entry point runs it where it is installed (the
``QUOTASIM_BIN`` environment variable, else the first ``quotasim`` on ``PATH`` that is
not this script), and otherwise says how to get it.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import List, Optional

HOW = """quotasim: the quotasim command is not installed.
The command (run, sweep, calibrate, report.html, the dashboard) is the Rust binary of the
quotasim repository; the Python package calls the same engine but does not include it.
To get it, in a checkout of the repository:
    cargo install --locked --path crates/quotasim-cli     # installs ~/.cargo/bin/quotasim
or  scripts/run.sh                                        # builds target/release/quotasim
or set QUOTASIM_BIN to the binary's path. From Python, quotasim.run(), sweep(), compare(),
calibrate(), solve() and scenario_text() do the command's work."""


def _is_python_launcher(path: str) -> bool:
    """Whether ``path`` is a pip-made launcher script (this entry point), not the binary."""
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:
        return True
    return head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0].lower()


def find() -> Optional[str]:
    """The quotasim binary: QUOTASIM_BIN, else the first on PATH that is not a launcher."""
    given = os.environ.get("QUOTASIM_BIN")
    if given:
        return given if os.access(given, os.X_OK) else None
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        found = shutil.which("quotasim", path=folder) if folder else None
        if found and not _is_python_launcher(found):
            return found
    return None


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    binary = find()
    if binary is None:
        print(HOW, file=sys.stderr)
        return 1
    os.execv(binary, [binary, *args])
    return 0  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
