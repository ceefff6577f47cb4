"""Run the nbgrader command line the way an instructor does."""

import subprocess
from pathlib import Path

from rnncourse.grading.cli import BIN, NBGRADER, nbgrader_env

ENV = nbgrader_env()


def nbgrader(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``cwd`` with this environment's nbgrader; fail loudly on error."""
    result = subprocess.run([str(NBGRADER), *args], cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result
