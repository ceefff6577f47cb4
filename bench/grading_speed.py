"""What `nbgrader autograde` costs: the course's sealed configuration (one process, and on
every core with `rnncourse autograde --jobs`), plain nbgrader (no sandbox: for comparison
only), and two floors: start a Jupyter kernel and import torch in it (what plain nbgrader must
do per notebook), and start one sealed sandbox.

Each configuration grades two classes (SMALL and LARGE students, every assignment, half the
notebooks correct and half blank). The difference gives the cost of one more notebook; the
rest is what one `nbgrader autograde` run pays once (starting Python, importing nbgrader and
torch, opening the gradebook). A class of CLASS students pays the second once per assignment.

Run: .venv/bin/python bench/grading_speed.py [SMALL LARGE]  (default 2 8; writes bench/grading_speed.md)
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
from tables import record

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
Autograde.init_notebooks = Autograde.init_notebooks.__wrapped__  # no intake, no sealed checks
"""


def make_class(folder: Path, students: int, config: str | None) -> TrialCourse:
    """A course with ``students`` learners, every other one submitting blank notebooks."""
    course = TrialCourse(ROOT, folder, ASSIGNMENTS, config)
    for s in range(students):
        for assignment in ASSIGNMENTS:
            course.submit_notebook(f"student{s:03d}", assignment.name, make_submission(assignment, blank=s % 2 == 1))
    return course


def autograde_seconds(course: TrialCourse) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        course.nbgrader("autograde", assignment.name)
    return time.perf_counter() - start


def parallel_seconds(course: TrialCourse, jobs: int) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        autograde_parallel(course.path, assignment.name, jobs)
    return time.perf_counter() - start


def split_cost(seconds: dict[int, float]) -> tuple[float, float]:
    """(seconds per notebook, seconds per autograde run) from the times of two class sizes."""
    (small, t_small), (large, t_large) = sorted(seconds.items())
    per_notebook = (t_large - t_small) / ((large - small) * len(ASSIGNMENTS))
    return per_notebook, (t_small - per_notebook * small * len(ASSIGNMENTS)) / len(ASSIGNMENTS)


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


CLASS = 60


def main():
    small, large = (int(n) for n in sys.argv[1:3]) if len(sys.argv) > 2 else (2, 8)
    jobs = os.cpu_count() or 1
    measured = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, config in [("sealed", None), ("plain", PLAIN_CONFIG)]:
            measured[name] = split_cost(
                {n: autograde_seconds(make_class(Path(tmp) / f"{name}{n}", n, config)) for n in (small, large)}
            )
        sharded = parallel_seconds(make_class(Path(tmp) / "sharded", large, None), jobs)
    floor, sandbox = floor_seconds(), sandbox_start_seconds()
    rows = [
        f"Classes of {small} and {large} students x {len(ASSIGNMENTS)} assignments, half correct, half blank.",
        "",
        f"| grading | s per notebook | vs floor | s per autograde run | s per notebook, class of {CLASS} |",
        "|---|---|---|---|---|",
    ]
    for name, label in [("sealed", "course config (sealed), one process"), ("plain", "plain nbgrader (no sandbox)")]:
        per_notebook, per_run = measured[name]
        rows.append(
            f"| {label} | {per_notebook:.2f} | {per_notebook / floor:.2f}x | {per_run:.1f} "
            f"| {per_notebook + per_run / CLASS:.2f} |"
        )
    rows += [
        f"| course config, {jobs} shards at once, class of {large} (wall clock / notebooks) "
        f"| {sharded / (large * len(ASSIGNMENTS)):.2f} | | | |",
        f"| floor: start a kernel, import torch | {floor:.2f} | 1.00x | | |",
        f"| start one sealed sandbox (bubblewrap, import torch) | {sandbox:.2f} | {sandbox / floor:.2f}x | | |",
    ]
    record(__file__, "\n".join(rows))


if __name__ == "__main__":
    main()
