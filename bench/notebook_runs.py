"""How long a learner's full run of each assignment takes: its solution notebook, every cell, top to bottom.

Run: .venv/bin/python bench/notebook_runs.py [ASSIGNMENT ...]  (default: every assignment; writes
bench/notebook_runs.md). Each notebook runs with nbconvert in a fresh kernel, in a copy of its folder, as
`jupyter nbconvert --execute` runs it; the slowest test cell is set against nbgrader validate's 30-second
limit per cell, which a learner's Validate button applies.
"""

from __future__ import annotations

import datetime
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

from rnncourse.assignments import by_name, grade_id
from tables import record

ASSIGNMENTS = by_name(Path(__file__).resolve().parents[1])
VALIDATE_CELL_SECONDS = 30  # nbgrader's Execute.timeout default, which this course keeps


def seconds(cell) -> float:
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    return (datetime.datetime.fromisoformat(end) - datetime.datetime.fromisoformat(start)).total_seconds()


def run(assignment) -> tuple[float, str, float]:
    """Wall-clock seconds of the whole run, and the slowest test cell with its seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / assignment.name
        shutil.copytree(assignment.notebook("solutions").parent, folder)
        path = folder / assignment.notebook("solutions").name
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(
            notebook, {"metadata": {"path": str(folder)}}
        )
        total = time.perf_counter() - start
    tests = [
        (grade_id(c), seconds(c))
        for c in notebook.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    ]
    slowest = max(tests, key=lambda test: test[1])
    return total, *slowest


def main():
    names = sys.argv[1:] or list(ASSIGNMENTS)
    lines = [
        f"| assignment | full run (s) | slowest test cell | its seconds (limit {VALIDATE_CELL_SECONDS}) |",
        "|---|---|---|---|",
    ]
    for name in names:
        total, test, slowest = run(ASSIGNMENTS[name])
        lines.append(f"| {name} | {total:.1f} | `{test}` | {slowest:.1f} |")
    record(__file__, "\n".join(lines))


if __name__ == "__main__":
    main()
