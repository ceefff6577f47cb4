"""The course's assignments, read from ``solutions/``: the one list that tools and tests share.

An assignment is a folder ``solutions/NN_name/`` holding one notebook (nbgrader's source).
nbgrader releases it into ``exercises/NN_name/``, and the book presents it on the page
``book/exercises/NN_name.md``, listed in ``_toc.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.utils import is_grade, is_solution

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


@dataclass(frozen=True)
class Assignment:
    """One assignment of the course rooted at ``root``, named by its folder (nbgrader's id)."""

    root: Path
    name: str

    def notebook(self, folder: str = "solutions") -> Path:
        """The assignment's one notebook under ``folder`` ("solutions" or "exercises")."""
        (path,) = (self.root / folder / self.name).glob("*.ipynb")
        return path

    @property
    def page(self) -> Path:
        """The book page that introduces the exercise."""
        return self.root / "book" / "exercises" / f"{self.name}.md"

    def cells(self, folder: str = "solutions") -> list:
        return nbformat.read(self.notebook(folder), as_version=4).cells

    @property
    def graded_names(self) -> list[str]:
        """The names learners write: the grade_ids of the solution cells, in order."""
        return [grade_id(cell) for cell in self.cells() if is_solution(cell)]

    @property
    def points(self) -> float:
        return sum(cell.metadata["nbgrader"].get("points", 0) for cell in self.cells() if is_grade(cell))

    def reference_answers(self) -> dict[str, str]:
        """Each solution cell's code without the solution markers, by grade_id."""
        return {
            grade_id(cell): "\n".join(line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS)
            for cell in self.cells()
            if is_solution(cell)
        }

    def hidden_test_lines(self, shortest: int = 26) -> list[str]:
        """The stripped lines between hidden-test markers that are at least ``shortest`` long."""
        lines, hidden = [], False
        for cell in self.cells():
            for line in cell.source.splitlines():
                if "### BEGIN HIDDEN TESTS" in line or "### END HIDDEN TESTS" in line:
                    hidden = "BEGIN" in line
                elif hidden and len(line.strip()) >= shortest:
                    lines.append(line.strip())
        return lines


def assignments(root: Path) -> list[Assignment]:
    """Every assignment of the course at ``root``, in folder order."""
    return [
        Assignment(Path(root), folder.name)
        for folder in sorted((Path(root) / "solutions").iterdir())
        if folder.is_dir() and any(folder.glob("*.ipynb"))
    ]


def by_name(root: Path) -> dict[str, Assignment]:
    return {assignment.name: assignment for assignment in assignments(root)}
