"""Submissions are data: only regular files of bounded size reach nbgrader.

nbgrader reads a submission's notebooks and ``timestamp.txt`` and copies its other files,
following links. Before it touches a student's folder, :func:`check_submission` moves every
entry that is not a regular file or folder (a link, a FIFO, a device, a socket) or that is
too large into ``refused/STUDENT/ASSIGNMENT/`` beside ``submitted/``, with a logged reason:
nothing is lost, and nbgrader never follows it. A notebook moved away scores 0 for that
student alone.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 20 * 2**20
log = logging.getLogger("rnncourse.grading")


def refusal(entry: os.DirEntry) -> str | None:
    """Why ``entry`` may not be read, or None."""
    info = entry.stat(follow_symlinks=False)
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a link, FIFO, device or socket)"
    if info.st_size > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES} bytes"
    return None


def refused_entries(folder: Path) -> list[tuple[Path, str]]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            reason = refusal(entry)
            if reason:
                found.append((Path(entry.path), reason))
            elif entry.is_dir(follow_symlinks=False):
                found += refused_entries(Path(entry.path))
    return found


def quarantine(submission: Path, quarantine_root: Path) -> list[Path]:
    """Move the refused entries of ``submission`` under ``quarantine_root``; return their new paths."""
    moved = []
    for path, reason in refused_entries(submission):
        target = quarantine_root / path.relative_to(submission)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        log.warning("Refused %s: %s; moved to %s", path, reason, target)
        moved.append(target)
    return moved
