"""Feedback for learners that never shows a hidden test."""

from __future__ import annotations

from nbgrader.preprocessors import ClearHiddenTests


class RedactHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from feedback, and the tracebacks that would quote them.

    A test cell with hidden tests keeps its visible part; its error output is cut down to
    the one-line assertion message (``AssertionError: ...``), so the hidden code that
    raised it is not quoted.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        had_hidden = self.begin_test_delimeter in cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had_hidden and cell.cell_type == "code":
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
