"""The nbgrader command of this environment, and an environment in which it finds its helpers."""

import os
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
NBGRADER = BIN / "nbgrader"


def nbgrader_env() -> dict[str, str]:
    """os.environ with this environment's scripts first on PATH (nbgrader runs `alembic`)."""
    return {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
