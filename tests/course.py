"""A real nbgrader course in a temporary folder, driven with the plain command line."""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
from pathlib import Path

import nbformat

from nbgrader_cli import nbgrader


class Course:
    """A copy of this course's config and solutions, with assignments generated and a class enrolled."""

    def __init__(self, root: Path, folder: Path, assignments: tuple[str, ...]):
        self.path = folder
        shutil.copy(root / "nbgrader_config.py", folder)
        shutil.copytree(root / "solutions", folder / "solutions")
        for assignment in assignments:
            nbgrader("generate_assignment", assignment, "--force", cwd=folder)

    def submit(self, student: str, assignment: str, files: dict[str, object]) -> None:
        """Put ``files`` (notebooks, or text) in ``submitted/STUDENT/ASSIGNMENT``; autograde enrolls the student."""
        folder = self.path / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=bool(files))
        for name, content in files.items():
            (folder / name).write_text(content if isinstance(content, str) else nbformat.writes(content))

    def nbgrader(self, *args: str, check: bool = True):
        return nbgrader(*args, cwd=self.path, check=check)

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


def tree_digest(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` (links not followed) and its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def outputs_by_grade_id(notebook) -> dict[str, list]:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c.get("outputs", []) for c in notebook.cells}


def error_names(outputs) -> list[str]:
    return [o.ename for o in outputs if o.output_type == "error"]
