"""Build the course website with Jupyter Book, strictly: any cell error or warning fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRICT_FLAGS = ["-W", "-n", "--keep-going"]


def build_book(root: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build`` on ``root``; return the finished process with its log."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(jupyter_book), "build", str(root), *STRICT_FLAGS],
        capture_output=True, text=True, cwd=root,
    )


if __name__ == "__main__":
    result = build_book()
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    sys.exit(result.returncode)
