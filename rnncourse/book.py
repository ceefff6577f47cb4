"""Build the course website with Jupyter Book, strictly: any cell error or warning fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STRICT_FLAGS = ["-W", "-n", "--keep-going"]


def build_book(root: Path, output: Path | None = None) -> subprocess.CompletedProcess:
    """Build the book whose ``_config.yml`` is in ``root`` into ``output/_build`` (default: ``root``).

    Returns the finished ``jupyter-book build`` with its log.
    """
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    where = ["--path-output", str(output)] if output is not None else []
    return subprocess.run(
        [str(jupyter_book), "build", str(root), *STRICT_FLAGS, *where], capture_output=True, text=True, cwd=root
    )
