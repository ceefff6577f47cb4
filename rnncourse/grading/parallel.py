"""Autograde one assignment on every core.

nbgrader grades one notebook after another. This splits the students with a submission
into ``--jobs`` shards and runs the plain ``nbgrader autograde ASSIGNMENT`` once per shard,
all at once, each leaving out the other shards' students
(``--CourseDirectory.student_id_exclude``). Each shard's sandboxes run as a user of their
own when grading as root, so process limits do not add up across shards, and the gradebook
is opened with a long lock timeout (``nbgrader_config.py``), so concurrent writers wait for
each other instead of failing. ``rnncourse autograde NAME --jobs N`` runs it.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rnncourse.grading.config import REFUSED_DIRECTORY
from rnncourse.grading.intake import take_in
from rnncourse.grading.sandbox import SANDBOX_UID, SANDBOX_USERS
from rnncourse.nbgrader_command import NBGRADER, nbgrader_env


def students_with_submissions(root: Path, assignment: str) -> list[str]:
    return sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment}"))


def autograde_parallel(
    root: Path, assignment: str, jobs: int, base_uid: int = SANDBOX_UID
) -> dict[str, subprocess.CompletedProcess]:
    """Grade every submitted student of ``assignment``; return each student's nbgrader run.

    Shard ``k``'s sandboxes run as the users counting down from ``base_uid - k * SANDBOX_USERS``.
    """
    take_in(root / "submitted", root / REFUSED_DIRECTORY)  # only plain ids are split into shards
    students = students_with_submissions(root, assignment)
    shards = [students[k::jobs] for k in range(jobs) if students[k::jobs]]
    env = nbgrader_env()

    def grade(k: int) -> subprocess.CompletedProcess:
        others = ",".join(s for s in students if s not in shards[k])
        return subprocess.run(
            [
                *NBGRADER,
                "autograde",
                assignment,
                f"--SealedExecute.sandbox_uid={base_uid - k * SANDBOX_USERS}",
                f"--CourseDirectory.student_id_exclude={others}",
            ],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )

    with ThreadPoolExecutor(max_workers=max(len(shards), 1)) as pool:
        runs = list(pool.map(grade, range(len(shards))))
    return {student: run for shard, run in zip(shards, runs) for student in shard}
