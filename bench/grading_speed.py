"""Seconds per submitted notebook through `nbgrader autograde`: the course's sealed
configuration (one process, and on every core with `rnncourse autograde --jobs`), plain
nbgrader (no sandbox: for comparison only), and two floors: start a Jupyter kernel and import
torch in it (what plain nbgrader must do per notebook), and start one sealed sandbox.

Run: .venv/bin/python bench/grading_speed.py [STUDENTS]  (default 4 students x 3 assignments)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from rnncourse.assignments import assignments
from rnncourse.grading.parallel import autograde_parallel
from rnncourse.grading.sandbox import Limits, Sandbox
from rnncourse.grading.trial import TrialCourse, make_submission

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = assignments(ROOT)
PLAIN_CONFIG = """
from nbgrader.converters import Autograde, GenerateFeedback
c = get_config()
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.Execute.timeout = 120
# nbgrader's own defaults, undoing the sealed grading this environment applies to every course
for cls, name in [(Autograde, "sanitize_preprocessors"), (Autograde, "autograde_preprocessors"),
                  (GenerateFeedback, "preprocessors")]:
    setattr(getattr(c, cls.__name__), name, cls.class_traits()[name].default())
c.Autograde.pre_convert_hook = None
"""


def make_class(folder: Path, students: int, config: str | None) -> TrialCourse:
    """A course with ``students`` learners, every other one submitting blank notebooks."""
    course = TrialCourse(ROOT, folder, ASSIGNMENTS, config)
    for s in range(students):
        for assignment in ASSIGNMENTS:
            course.submit_notebook(f"student{s:03d}", assignment.name, make_submission(assignment, blank=s % 2 == 1))
    return course


def seconds_per_notebook(course: TrialCourse, students: int) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        course.nbgrader("autograde", assignment.name)
    return (time.perf_counter() - start) / (students * len(ASSIGNMENTS))


def seconds_per_notebook_parallel(course: TrialCourse, students: int, jobs: int) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        autograde_parallel(course.path, assignment.name, jobs)
    return (time.perf_counter() - start) / (students * len(ASSIGNMENTS))


def floor_seconds(repeats: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        km, kc = start_new_kernel(kernel_name="python3")
        kc.execute_interactive("import torch", timeout=120)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return (time.perf_counter() - start) / repeats


def sandbox_start_seconds(repeats: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        sandbox = Sandbox(Limits())
        sandbox.wait_ready(time.monotonic() + 120)
        sandbox.kill()
    return (time.perf_counter() - start) / repeats


def main():
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    with tempfile.TemporaryDirectory() as tmp:
        sealed = make_class(Path(tmp) / "sealed", students, None)
        sharded = make_class(Path(tmp) / "parallel", students, None)
        plain = make_class(Path(tmp) / "plain", students, PLAIN_CONFIG)
        sandboxed = seconds_per_notebook(sealed, students)
        jobs = os.cpu_count() or 1
        parallel = seconds_per_notebook_parallel(sharded, students, jobs)
        plain = seconds_per_notebook(plain, students)
    floor, sandbox = floor_seconds(), sandbox_start_seconds()
    print(f"{students} students x {len(ASSIGNMENTS)} assignments, half correct, half blank\n")
    print("| grading | seconds per notebook | vs floor |\n|---|---|---|")
    for name, value in [
        ("course config (sealed), one process", sandboxed),
        (f"course config, {jobs} shards at once (wall clock / notebooks)", parallel),
        ("plain nbgrader (no sandbox)", plain),
        ("floor: start a kernel, import torch", floor),
        ("start one sealed sandbox (bubblewrap, import torch)", sandbox),
    ]:
        print(f"| {name} | {value:.2f} | {value / floor:.2f}x |")


if __name__ == "__main__":
    main()
