"""Learner submissions made from the course's own notebooks, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import nbformat

from rnncourse.site import ROOT

ASSIGNMENTS = ("01_one_hot_hello", "02_rnn_from_scratch", "03_torch_rnn")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def notebook_path(folder: str, assignment: str, root: Path = ROOT) -> Path:
    """The one notebook of ``assignment`` under ``folder`` ("solutions" or "exercises")."""
    (path,) = (root / folder / assignment).glob("*.ipynb")
    return path


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def reference_answers(assignment: str, root: Path = ROOT) -> dict[str, str]:
    """Each solution cell's code with the solution markers removed, by grade_id."""
    source = nbformat.read(notebook_path("solutions", assignment, root), as_version=4)
    return {
        grade_id(cell): "\n".join(
            line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS
        )
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def make_submission(assignment: str, answers: dict[str, str] | None = None, *, blank: bool = False,
                    root: Path = ROOT) -> nbformat.NotebookNode:
    """The released notebook filled in as a learner would.

    Every solution cell gets the reference answer, except those named in ``answers``,
    which get the given code; ``blank=True`` leaves every stub as released.
    """
    notebook = nbformat.read(notebook_path("exercises", assignment, root), as_version=4)
    if blank:
        return notebook
    filled = reference_answers(assignment, root) | (answers or {})
    for cell in notebook.cells:
        if grade_id(cell) in filled and cell.metadata["nbgrader"].get("solution"):
            cell.source = filled[grade_id(cell)]
    return notebook
