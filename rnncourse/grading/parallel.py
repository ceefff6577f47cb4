"""Autograde one assignment several students at a time.

nbgrader grades one notebook after another. This runs the plain command once per
student, ``nbgrader autograde ASSIGNMENT --student=ID``, on ``--jobs`` workers at once.
Each worker's sandbox runs as its own unprivileged user, so process limits do not
add up across workers, and the gradebook is opened with a long lock timeout
(``nbgrader_config.py``), so concurrent writers wait for each other instead of failing.

    python -m rnncourse.grading.parallel 01_one_hot_hello --jobs 4
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rnncourse.grading.cli import NBGRADER, nbgrader_env
from rnncourse.grading.sandbox import SANDBOX_UID


def students_with_submissions(root: Path, assignment: str) -> list[str]:
    return sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment}") if p.is_dir())


def autograde_parallel(root: Path, assignment: str, jobs: int,
                       base_uid: int = SANDBOX_UID) -> dict[str, subprocess.CompletedProcess]:
    """Grade every submitted student of ``assignment``; return each student's nbgrader run.

    Worker ``k`` runs its sandboxes as user ``base_uid - k``.
    """
    slots = queue.Queue()
    for slot in range(jobs):
        slots.put(slot)
    env = nbgrader_env()

    def grade(student: str) -> subprocess.CompletedProcess:
        slot = slots.get()
        try:
            return subprocess.run(
                [str(NBGRADER), "autograde", assignment, f"--student={student}",
                 f"--SealedExecute.sandbox_uid={base_uid - slot}"],
                cwd=root, env=env, capture_output=True, text=True)
        finally:
            slots.put(slot)

    students = students_with_submissions(root, assignment)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(zip(students, pool.map(grade, students)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    runs = autograde_parallel(args.root, args.assignment, args.jobs)
    for student, run in runs.items():
        print(f"{student}: {'graded' if run.returncode == 0 else 'FAILED'}")
        if run.returncode != 0:
            print("  " + "\n  ".join(run.stderr.strip().splitlines()[-5:]))
    return 0 if all(run.returncode == 0 for run in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
