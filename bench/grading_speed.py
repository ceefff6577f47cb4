"""Seconds per submitted notebook through `nbgrader autograde`: the course's sealed
configuration (one process, and on every core with rnncourse.grading.parallel), plain
nbgrader (no sandbox: for comparison only), and two floors: start a Jupyter kernel and import
torch in it (what plain nbgrader must do per notebook), and start one sealed sandbox.

Run: .venv/bin/python bench/grading_speed.py [STUDENTS]  (default 4 students x 3 assignments)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

from rnncourse.grading.cli import NBGRADER, nbgrader_env
from rnncourse.grading.parallel import autograde_parallel
from rnncourse.grading.sandbox import Limits, Sandbox
from rnncourse.grading.submissions import ASSIGNMENTS, make_submission, notebook_path
from rnncourse.site import ROOT

ENV = nbgrader_env()
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


def make_class(course: Path, students: int, config: str | None) -> None:
    course.mkdir()
    shutil.copytree(ROOT / "solutions", course / "solutions")
    if config is None:
        shutil.copy(ROOT / "nbgrader_config.py", course)
    else:
        (course / "nbgrader_config.py").write_text(config)
    for assignment in ASSIGNMENTS:
        subprocess.run([NBGRADER, "generate_assignment", assignment, "--force"], cwd=course, env=ENV,
                       check=True, capture_output=True)
    kinds = [lambda a: make_submission(a), lambda a: make_submission(a, blank=True)]
    for s in range(students):
        for assignment in ASSIGNMENTS:
            folder = course / "submitted" / f"student{s:03d}" / assignment
            folder.mkdir(parents=True)
            nbformat.write(kinds[s % len(kinds)](assignment), folder / notebook_path("exercises", assignment).name)


def seconds_per_notebook(course: Path, students: int) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        subprocess.run([NBGRADER, "autograde", assignment], cwd=course, env=ENV, capture_output=True)
    return (time.perf_counter() - start) / (students * len(ASSIGNMENTS))


def seconds_per_notebook_parallel(course: Path, students: int, jobs: int) -> float:
    start = time.perf_counter()
    for assignment in ASSIGNMENTS:
        autograde_parallel(course, assignment, jobs)
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
        make_class(Path(tmp) / "sandboxed", students, None)
        make_class(Path(tmp) / "parallel", students, None)
        make_class(Path(tmp) / "plain", students, PLAIN_CONFIG)
        sandboxed = seconds_per_notebook(Path(tmp) / "sandboxed", students)
        jobs = os.cpu_count() or 1
        parallel = seconds_per_notebook_parallel(Path(tmp) / "parallel", students, jobs)
        plain = seconds_per_notebook(Path(tmp) / "plain", students)
    floor, sandbox = floor_seconds(), sandbox_start_seconds()
    print(f"{students} students x {len(ASSIGNMENTS)} assignments, half correct, half blank\n")
    print("| grading | seconds per notebook | vs floor |\n|---|---|---|")
    for name, value in [("course config (sealed), one process", sandboxed),
                        (f"course config, {jobs} shards at once (wall clock / notebooks)", parallel),
                        ("plain nbgrader (no sandbox)", plain),
                        ("floor: start a kernel, import torch", floor),
                        ("start one sealed sandbox (bubblewrap, import torch)", sandbox)]:
        print(f"| {name} | {value:.2f} | {value / floor:.2f}x |")


if __name__ == "__main__":
    main()
