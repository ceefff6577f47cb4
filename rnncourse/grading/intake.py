"""Submissions are data: only regular notebook files of bounded size reach nbgrader.

nbgrader reads a submission's notebooks and ``timestamp.txt`` (a re-grade compares timestamps
before any hook runs) and copies its other files, following links, and it reads folder names as
glob patterns (a student folder named ``*`` matches every classmate). So before ``nbgrader
autograde`` reads anything, :func:`take_in` goes over the whole of ``submitted/`` and moves into
a fresh folder ``refused/<run>/``, with a logged reason:

- every student or assignment folder whose name is not a plain id (:data:`PLAIN_NAME`: no glob
  characters, commas, separators, spaces, control characters or leading dot), or that is not a
  real folder;
- every entry of an assignment folder that is not a regular ``*.ipynb`` file,
  ``timestamp.txt`` or ``submission_secret.txt`` of bounded size (a link, a FIFO, a device,
  a socket, a subfolder, any other file).

Nothing is lost, and nbgrader never follows it. A notebook moved away scores 0 for that
student alone. (A hard link is a regular file: refusing it would refuse the classmate's copy
too, so it is graded as what it is, a copy.) Each run's ``refused/<run>/`` is new and checked
to hold no link, so nothing a student placed there in an earlier run can redirect a later move.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import stat
from pathlib import Path

MAX_FILE_BYTES = 20 * 2**20
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")  # written by `nbgrader submit`
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")  # a student id or an assignment name
KEPT_NAME_CHARS = 120  # of a refused entry's name, so that a suffix still fits the file system's limit
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


class RefusedFolder:
    """``refused/<run>/``, made fresh on the first move, where one run sets entries aside."""

    def __init__(self, refused_root: Path):
        self.root, self._run = refused_root, None

    def folder(self, *parts: str) -> Path:
        """The run's folder for ``parts`` (a student, an assignment); every component a real folder."""
        if self._run is None:
            if self.root.is_symlink():
                raise OSError(f"{self.root} is a link")
            self.root.mkdir(exist_ok=True)
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            self._run = self.root / f"{stamp}-{os.getpid()}"
            self._run.mkdir()  # never an existing path
        folder = self._run
        for part in parts:
            folder = folder / part
            folder.mkdir(exist_ok=True)
            if folder.is_symlink() or not folder.is_dir():
                raise OSError(f"{folder} is not a real folder")
        return folder

    def set_aside(self, path: Path, reason: str, *parts: str) -> Path:
        folder = self.folder(*parts)
        name, number = path.name[:KEPT_NAME_CHARS], 0
        target = folder / name
        while os.path.lexists(target):
            number += 1
            target = folder / f"{name}.{number}"
        os.rename(path, target)
        log.warning("Refused %s: %s; moved to %s", ascii(str(path)), reason, ascii(str(target)))
        return target


def quarantine(submission: Path, refused: RefusedFolder, *parts: str) -> list[Path]:
    """Set aside the refused entries of the assignment folder ``submission``; return their new paths."""
    with os.scandir(submission) as entries:
        found = [(Path(e.path), reason) for e in entries if (reason := refusal(e))]
    return [refused.set_aside(path, reason, *parts) for path, reason in found]


def _folders(parent: Path, refused: RefusedFolder, kind: str, *parts: str) -> tuple[list[Path], list[Path]]:
    """The plain-named real folders in ``parent``, and what was set aside instead."""
    kept, moved = [], []
    with os.scandir(parent) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not entry.is_dir(follow_symlinks=False):
                moved.append(refused.set_aside(Path(entry.path), f"a {kind} that is not a real folder", *parts))
            elif not PLAIN_NAME.fullmatch(entry.name):
                moved.append(
                    refused.set_aside(Path(entry.path), f"a {kind} folder whose name is not a plain id", *parts)
                )
            else:
                kept.append(Path(entry.path))
    return kept, moved


def take_in(submitted: Path, refused_root: Path) -> list[Path]:
    """Set aside everything in ``submitted`` that nbgrader must not read; return the new paths."""
    if not submitted.is_dir():
        return []
    refused = RefusedFolder(refused_root)
    students, moved = _folders(submitted, refused, "student")
    for student in students:
        assignments, refused_here = _folders(student, refused, "assignment", student.name)
        moved += refused_here
        for folder in assignments:
            moved += quarantine(folder, refused, student.name, folder.name)
    return moved
