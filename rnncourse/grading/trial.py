"""A throwaway copy of a course, graded with the plain nbgrader command line, and submissions
made as a learner would make them: what the tests and the benchmarks grade."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.utils import is_solution

from rnncourse.assignments import Assignment, grade_id
from rnncourse.nbgrader_command import nbgrader


def make_submission(
    assignment: Assignment, answers: dict[str, str] | None = None, *, blank: bool = False
) -> nbformat.NotebookNode:
    """The released notebook filled in as a learner would.

    Every solution cell gets the reference answer, except those named in ``answers``, which
    get the given code; ``blank=True`` leaves every stub as released.
    """
    notebook = nbformat.read(assignment.notebook("exercises"), as_version=4)
    if blank:
        return notebook
    filled = assignment.reference_answers() | (answers or {})
    for cell in notebook.cells:
        if is_solution(cell) and grade_id(cell) in filled:
            cell.source = filled[grade_id(cell)]
    return notebook


class TrialCourse:
    """The course config and solutions of ``root`` copied to ``folder``, with ``assignments`` generated."""

    def __init__(self, root: Path, folder: Path, assignments: list[Assignment], config: str | None = None):
        """``config``: the text of another ``nbgrader_config.py`` (default: the course's own)."""
        self.path = Path(folder)
        self.path.mkdir(parents=True, exist_ok=True)
        if config is None:
            shutil.copy(root / "nbgrader_config.py", self.path)
        else:
            (self.path / "nbgrader_config.py").write_text(config)
        shutil.copytree(root / "solutions", self.path / "solutions")
        self.assignments = {a.name: Assignment(self.path, a.name) for a in assignments}
        for name in self.assignments:
            self.nbgrader("generate_assignment", name, "--force")

    def enroll(self, *students: str) -> None:
        """Add ``students`` to the gradebook, as an instructor does before grading."""
        with Gradebook(f"sqlite:///{self.path / 'gradebook.db'}") as gradebook:
            for student in students:
                gradebook.update_or_create_student(student)

    def submit(self, student: str, assignment: str, files: dict[str, object]) -> None:
        """Put ``files`` (notebooks, or text) in ``submitted/STUDENT/ASSIGNMENT``; autograde enrolls the student."""
        folder = self.path / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=bool(files))
        for name, content in files.items():
            (folder / name).write_text(content if isinstance(content, str) else nbformat.writes(content))

    def submit_notebook(self, student: str, assignment: str, notebook) -> None:
        """Submit ``notebook`` under the released notebook's file name."""
        self.submit(student, assignment, {self.assignments[assignment].notebook("exercises").name: notebook})

    def nbgrader(self, *args: str, check: bool = True, timeout: float | None = None):
        return nbgrader(*args, cwd=self.path, check=check, timeout=timeout)

    def scores(self) -> dict[tuple[str, str], float]:
        """(student, assignment) -> raw score, from ``nbgrader export``."""
        self.nbgrader("export")
        with open(self.path / "grades.csv", newline="") as f:
            return {(row["student_id"], row["assignment"]): float(row["raw_score"]) for row in csv.DictReader(f)}

    def gradebook_integrity(self) -> str:
        with sqlite3.connect(self.path / "gradebook.db") as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0]

    def graded_notebook(self, student: str, assignment: str) -> nbformat.NotebookNode:
        (path,) = (self.path / "autograded" / student / assignment).glob("*.ipynb")
        return nbformat.read(path, as_version=4)
