"""Run the nbgrader command line the way an instructor does."""

import subprocess
import sys
from pathlib import Path


def nbgrader(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``cwd`` with this environment's nbgrader; fail loudly on error."""
    result = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), *args],
                            cwd=cwd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result
