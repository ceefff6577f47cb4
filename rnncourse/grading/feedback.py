"""Feedback for learners that never shows a hidden test and carries nothing active."""

from __future__ import annotations

import re

from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.utils import is_grade, is_locked

SAFE_MIMES = ("text/plain", "image/png", "image/jpeg")


def as_plain_text(markdown: str) -> str:
    """Markdown that shows ``markdown`` verbatim: a code fence longer than any backtick run inside."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", markdown)), default=0))
    return f"{fence}text\n{markdown}\n{fence}"


class RedactFeedback(ClearHiddenTests):
    """Remove hidden tests, what could quote them, and anything active, from feedback.

    - hidden-test regions are removed; a test cell that had some keeps its error as the one
      assertion line (``AssertionError: ...``), so the hidden code that raised it is not quoted;
    - the outputs of every cell but the tests are removed: the learner has their own already,
      and any cell run on the learner's side could echo what hidden tests passed in;
    - outputs keep only plain text and images, and the learner's Markdown is shown as a block of
      plain text (no HTML, link, image or math), so no script or other active content reaches
      the feedback page.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        had_hidden = self.begin_test_delimeter in cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type == "markdown" and not is_locked(cell):
            cell.source, cell.attachments = as_plain_text(cell.source), {}
        if cell.cell_type != "code":
            return cell, resources
        if not is_grade(cell):
            cell.outputs = []
        for output in cell.outputs:
            if "data" in output:
                output.data = {mime: value for mime, value in output.data.items() if mime in SAFE_MIMES}
            if output.output_type == "error" and had_hidden:
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
