"""Repair a submission's nbgrader cells before grading, so no notebook can break the batch."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

ROLE_FLAGS = ("grade", "solution", "locked")
GUARD_CALL = "__rnn_basics_guard__()  # restores the modules the tests use\n"


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


class RepairGradedCells(NbGraderPreprocessor):
    """Make the submission's nbgrader cells match the source notebook's, one for one.

    A cell whose grade_id is unknown, repeated, or whose role (grade, solution, locked) or
    type differs from the source loses its nbgrader metadata: it stays in the notebook as
    an ordinary cell that can neither earn nor cost points. Every source cell that is then
    missing (a deleted test, say) is put back after the cell that precedes it in the
    source; nbgrader's OverwriteCells then restores the content of every locked cell.
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        source_path = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"])) \
            / f"{info['notebook']}.ipynb"
        source = [c for c in nbformat.read(source_path, as_version=4).cells if _nbgrader(c)]
        by_id = {_nbgrader(c)["grade_id"]: c for c in source}

        seen = set()
        for cell in nb.cells:
            meta = _nbgrader(cell)
            if not meta:
                continue
            original = by_id.get(meta.get("grade_id"))
            if (original is None or meta["grade_id"] in seen or cell.cell_type != original.cell_type
                    or any(bool(meta.get(f)) != bool(_nbgrader(original).get(f)) for f in ROLE_FLAGS)):
                self.log.warning("Ignoring a tampered or duplicated nbgrader cell: %s", meta.get("grade_id"))
                del cell.metadata["nbgrader"]
                continue
            seen.add(meta["grade_id"])

        for position, original in enumerate(source):
            grade_id = _nbgrader(original)["grade_id"]
            if grade_id in seen:
                continue
            self.log.warning("Putting back missing nbgrader cell: %s", grade_id)
            restored = copy.deepcopy(original)
            if _nbgrader(restored).get("solution"):
                restored.source = "raise NotImplementedError()"
            previous = [_nbgrader(c)["grade_id"] for c in source[:position]]
            anchor = max((i for i, c in enumerate(nb.cells) if _nbgrader(c).get("grade_id") in previous), default=-1)
            nb.cells.insert(anchor + 1, restored)
            seen.add(grade_id)
        return nb, resources


class GuardTestCells(NbGraderPreprocessor):
    """Start every test cell with a call that restores the modules a submission may have patched."""

    def preprocess_cell(self, cell, resources, index):
        if _nbgrader(cell).get("grade") and cell.cell_type == "code" and not cell.source.startswith(GUARD_CALL):
            cell.source = GUARD_CALL + cell.source
        return cell, resources
