"""Feedback for learners that never shows a hidden test and carries nothing active.

The page is the course's own template (``templates/rnncourse_feedback``): a table of each graded
name's points and first failure at the top, setup cells folded away, messages that wrap, and
nothing loaded from anywhere (no MathJax, no scripts).
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.utils import is_grade, is_locked, is_solution

from rnncourse.score_cell import SOURCE as SCORE_CELL

SAFE_MIMES = ("text/plain", "image/png", "image/jpeg")
TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "rnncourse_feedback"


def as_plain_text(markdown: str) -> str:
    """Markdown that shows ``markdown`` verbatim: a code fence longer than any backtick run inside."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", markdown)), default=0))
    return f"{fence}text\n{markdown}\n{fence}"


def owner(test: str, names: list[str]) -> str:
    """The graded name a test cell belongs to: ``test_NAME`` or ``test_NAME_...``, the longest such name."""
    matches = [n for n in names if test == f"test_{n}" or test.startswith(f"test_{n}_")]
    return max(matches, key=len, default=test)


def score_rows(cells) -> list[dict]:
    """Per graded name: its points, the most it could earn, its first failing line and its first test cell."""
    names = [c.metadata.nbgrader["grade_id"] for c in cells if is_solution(c) and c.cell_type == "code"]
    rows = {name: {"name": name, "score": 0.0, "points": 0.0, "failure": "", "anchor": ""} for name in names}
    for cell in cells:
        if not is_grade(cell) or not cell.metadata.nbgrader.get("points"):
            continue
        grade = cell.metadata.nbgrader
        row = rows.setdefault(owner(grade["grade_id"], names), {"name": grade["grade_id"], "score": 0.0, "points": 0.0})
        row["score"] += grade.get("score") or 0.0
        row["points"] += grade["points"]
        row["anchor"] = row.get("anchor") or f"cell-{grade['grade_id']}"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors and not row.get("failure"):
            row["failure"] = f"{grade['grade_id']}: {errors[0].ename}: {errors[0].evalue}"
    return [row for row in rows.values() if row["points"]]


class RedactFeedback(ClearHiddenTests):
    """Remove hidden tests, what could quote them, and anything active, from feedback.

    - hidden-test regions are removed; a test cell that had some keeps its error as the one
      assertion line (``AssertionError: ...``), so the hidden code that raised it is not quoted;
    - the outputs of every cell but the tests are removed: the learner has their own already,
      and any cell run on the learner's side could echo what hidden tests passed in;
    - outputs keep only plain text and images, and the learner's Markdown is shown as a block of
      plain text (no HTML, link, image or math), so no script or other active content reaches
      the feedback page;
    - the course's setup cells and the score cell are marked ``course_role: setup`` (the page
      folds them away), and ``resources["course_scores"]`` holds :func:`score_rows`.
    """

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        resources["course_scores"] = score_rows(nb.cells)
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        had_hidden = self.begin_test_delimeter in cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type == "markdown" and not is_locked(cell):
            cell.source, cell.attachments = as_plain_text(cell.source), {}
        if cell.cell_type != "code":
            return cell, resources
        cell.metadata.pop("course_role", None)
        if (is_locked(cell) and not is_grade(cell) and not is_solution(cell)) or cell.source == SCORE_CELL:
            cell.metadata["course_role"] = "setup"
        if not is_grade(cell):
            cell.outputs = []
        for output in cell.outputs:
            if "data" in output:
                output.data = {mime: value for mime, value in output.data.items() if mime in SAFE_MIMES}
            if output.output_type == "error" and had_hidden:
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
