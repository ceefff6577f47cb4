"""Autograde one assignment on every core.

nbgrader grades one notebook after another. This splits the students with a submission
into ``--jobs`` shards and runs the plain ``nbgrader autograde ASSIGNMENT`` once per shard,
all at once, each leaving out the other shards' students
(``--CourseDirectory.student_id_exclude``). Each shard's sandboxes run as a user of their
own when grading as root, so process limits do not add up across shards, and the gradebook
is opened with a long lock timeout (``nbgrader_config.py``), so concurrent writers wait for
each other instead of failing. ``rnncourse autograde NAME --jobs N`` runs it.

Progress comes from the line each shard logs per finished student (:mod:`.console`); every
score reported at the end is read from the gradebook, so a shard that breaks costs only the
students it had not finished.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from rnncourse.grading.config import REFUSED_DIRECTORY
from rnncourse.grading.console import LINE_PATTERN, StudentResult, printable, student_result
from rnncourse.grading.intake import take_in
from rnncourse.grading.sandbox import SANDBOX_UID, SANDBOX_USERS
from rnncourse.nbgrader_command import NBGRADER, nbgrader_env

LOG_TAIL_LINES = 20  # of a failed shard's log, kept for the report


@dataclass
class Shard:
    students: list[str]
    returncode: int | None = None
    log_tail: deque = field(default_factory=lambda: deque(maxlen=LOG_TAIL_LINES))  # escaped lines


@dataclass
class ParallelRun:
    """What one parallel autograde did: each shard's run, and each student's result from the gradebook."""

    shards: list[Shard]
    results: dict[str, StudentResult]

    @property
    def ok(self) -> bool:
        return all(s.returncode == 0 for s in self.shards) and all(r.score is not None for r in self.results.values())


def students_with_submissions(root: Path, assignment: str) -> list[str]:
    return sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment}"))


def gradebook_url(root: Path) -> str:
    """The gradebook that the course's ``nbgrader_config.py`` names."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return CourseDirectory(config=config, root=str(root)).db_url


def autograde_parallel(
    root: Path,
    assignment: str,
    jobs: int,
    base_uid: int = SANDBOX_UID,
    progress: Callable[[int, int, float, str], None] | None = None,
) -> ParallelRun:
    """Grade every submitted student of ``assignment`` over ``jobs`` shards.

    ``progress(done, total, elapsed_seconds, line)`` is called (one call at a time) with each
    student's escaped line as their shard logs it. Shard ``k``'s sandboxes run as the users
    counting down from ``base_uid - k * SANDBOX_USERS``.
    """
    take_in(root / "submitted", root / REFUSED_DIRECTORY)  # only plain ids are split into shards
    students = students_with_submissions(root, assignment)
    shards = [Shard(students[k::jobs]) for k in range(jobs) if students[k::jobs]]
    env, started, reported, lock = nbgrader_env(), time.monotonic(), set(), threading.Lock()

    def grade(k: int) -> None:
        shard = shards[k]
        others = ",".join(s for s in students if s not in shard.students)
        with subprocess.Popen(
            [
                *NBGRADER,
                "autograde",
                assignment,
                f"--SealedExecute.sandbox_uid={base_uid - k * SANDBOX_USERS}",
                f"--CourseDirectory.student_id_exclude={others}",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        ) as run:
            for raw in run.stdout:
                line = printable(raw.rstrip("\n"))
                shard.log_tail.append(line)
                found = LINE_PATTERN.search(line)
                if found and found.group(1) in shard.students:
                    with lock:
                        reported.add(found.group(1))
                        if progress is not None:
                            progress(len(reported), len(students), time.monotonic() - started, found.group(0))
        shard.returncode = run.returncode

    with ThreadPoolExecutor(max_workers=max(len(shards), 1)) as pool:
        list(pool.map(grade, range(len(shards))))
    url = gradebook_url(root)
    results = {s: student_result(root, url, assignment, s) for s in students}
    for student in set(students) - reported:
        results[student].earlier = True
    return ParallelRun(shards, results)
