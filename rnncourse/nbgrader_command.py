"""Run this environment's ``nbgrader`` command line, the way an instructor does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
NBGRADER = [sys.executable, "-m", "nbgrader"]  # this environment's nbgrader, wherever its scripts are


class NbgraderFailed(RuntimeError):
    """An nbgrader command exited with an error; the message ends with its output."""


def nbgrader_env() -> dict[str, str]:
    """os.environ with this environment's scripts first on PATH (nbgrader runs ``alembic``)."""
    return {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}


def nbgrader(*args: str, cwd: Path, check: bool = True, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in the course folder ``cwd``; with ``check``, raise when it fails.

    ``timeout`` (seconds) raises subprocess.TimeoutExpired when the command runs longer.
    """
    result = subprocess.run(
        [*NBGRADER, *args], cwd=cwd, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise NbgraderFailed(f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result
