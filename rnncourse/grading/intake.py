"""Submissions are data: only regular notebook files of bounded size reach nbgrader.

nbgrader reads a submission's notebooks and ``timestamp.txt`` and copies its other files,
following links, and it reads folder names as glob patterns (a student folder named ``*``
matches every classmate). Before it touches a student's folder, :func:`check_submission` in
:mod:`rnncourse.grading.config` calls :func:`take_in` on the whole of ``submitted/``, which moves
into ``refused/`` beside it, with a logged reason:

- every student or assignment folder whose name is not a plain id (:data:`PLAIN_NAME`: no glob
  characters, separators, spaces or leading dot), or that is not a real folder;
- every entry of an assignment folder that is not a regular ``*.ipynb`` file,
  ``timestamp.txt`` or ``submission_secret.txt`` of bounded size (a link, a FIFO, a device,
  a socket, a subfolder, any other file).

Nothing is lost, and nbgrader never follows it. A notebook moved away scores 0 for that
student alone.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

MAX_FILE_BYTES = 20 * 2**20
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")  # written by `nbgrader submit`
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")  # a student id or an assignment name
log = logging.getLogger("rnncourse.grading")


def refusal(entry: os.DirEntry) -> str | None:
    """Why ``entry`` may not be read, or None."""
    info = entry.stat(follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a link, folder, FIFO, device or socket)"
    if not (entry.name.endswith(".ipynb") or entry.name in NBGRADER_FILES):
        return "not a notebook"
    if info.st_size > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES} bytes"
    return None


def free_path(path: Path) -> Path:
    """``path``, or ``path.1``, ``path.2``, ... : the first that does not exist yet."""
    candidate, number = path, 0
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.name}.{number}")
    return candidate


def set_aside(path: Path, folder: Path, reason: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = free_path(folder / path.name)
    os.rename(path, target)
    log.warning("Refused %s: %s; moved to %s", ascii(str(path)), reason, ascii(str(target)))
    return target


def quarantine(submission: Path, quarantine_root: Path) -> list[Path]:
    """Move the refused entries of ``submission`` under ``quarantine_root``; return their new paths."""
    with os.scandir(submission) as entries:
        refused = [(Path(e.path), reason) for e in entries if (reason := refusal(e))]
    return [set_aside(path, quarantine_root, reason) for path, reason in refused]


def _folders(parent: Path, refused: Path, kind: str) -> tuple[list[Path], list[Path]]:
    """The plain-named real folders in ``parent``, and what was set aside instead."""
    kept, moved = [], []
    with os.scandir(parent) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not entry.is_dir(follow_symlinks=False):
                moved.append(set_aside(Path(entry.path), refused, f"a {kind} that is not a real folder"))
            elif not PLAIN_NAME.fullmatch(entry.name):
                moved.append(set_aside(Path(entry.path), refused, f"a {kind} folder whose name is not a plain id"))
            else:
                kept.append(Path(entry.path))
    return kept, moved


def take_in(submitted: Path, refused_root: Path) -> list[Path]:
    """Set aside everything in ``submitted`` that nbgrader must not read; return the new paths."""
    students, moved = _folders(submitted, refused_root, "student")
    for student in students:
        assignments, refused = _folders(student, refused_root / student.name, "assignment")
        moved += refused
        for folder in assignments:
            moved += quarantine(folder, refused_root / student.name / folder.name)
    return moved
