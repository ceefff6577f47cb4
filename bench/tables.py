"""Where each benchmark records its table: ``bench/<script>.md``, the one copy, stamped with the machine."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

import torch


def machine() -> str:
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU"
    return (
        f"{os.cpu_count()} CPU cores, {platform.system()} {platform.machine()}, Python {sys.version.split()[0]}, "
        f"torch {torch.__version__}, {gpu}"
    )


def record(script: str, table: str) -> None:
    """Print ``table`` and write it, with the date and the machine, beside ``script``."""
    text = f"{table.rstrip()}\n\nMeasured on {datetime.date.today()}: {machine()}.\n"
    Path(script).with_suffix(".md").write_text(text)
    print(text)
