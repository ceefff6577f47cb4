"""The trusted source notebook's cells, and a submission's nbgrader cells made to match them."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_locked, is_solution

from rnncourse.assignments import grade_id

ROLE_CHECKS = (is_grade, is_solution, is_locked)


def source_cells(config, resources) -> list:
    """The nbgrader cells of the source notebook that ``resources`` (nbgrader's) belong to."""
    info = resources["nbgrader"]
    coursedir = CourseDirectory(config=config)
    path = (
        Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"])) / f"{info['notebook']}.ipynb"
    )
    return [cell for cell in nbformat.read(path, as_version=4).cells if grade_id(cell)]


class RepairGradedCells(NbGraderPreprocessor):
    """Make the submission's nbgrader cells match the source notebook's, one for one.

    A cell whose grade_id is unknown, repeated, or whose role (grade, solution, locked) or
    type differs from the source loses its nbgrader metadata: it stays in the notebook as
    an ordinary learner cell that can neither earn nor cost points. Every other cell gets the
    source cell's nbgrader metadata (and keeps only its checksum), so no field a submission
    carries (points as text, an unknown schema) reaches nbgrader's validators. Every source cell that
    is then missing (a deleted test, say) is put back after the cell that precedes it in
    the source; nbgrader's OverwriteCells then restores the content of every locked cell.
    (OverwriteCells' own ``add_missing_cells`` puts back only graded cells, with a note
    prepended to their code; sealed grading also needs the setup and helper cells.)
    """

    def preprocess(self, nb, resources):
        source = source_cells(self.config, resources)
        by_id = {grade_id(c): c for c in source}
        seen = set()
        for cell in nb.cells:
            if "nbgrader" not in cell.metadata:
                continue
            original = by_id.get(grade_id(cell))
            if (
                original is None
                or grade_id(cell) in seen
                or cell.cell_type != original.cell_type
                or any(check(cell) != check(original) for check in ROLE_CHECKS)
            ):
                self.log.warning("Ignoring a tampered or duplicated nbgrader cell: %r", str(grade_id(cell))[:80])
                del cell.metadata["nbgrader"]
                continue
            # Normalised from the source: no field a submission carries can trip nbgrader's validators.
            checksum = cell.metadata["nbgrader"].get("checksum")
            cell.metadata["nbgrader"] = copy.deepcopy(original.metadata["nbgrader"])
            if isinstance(checksum, str) and len(checksum) <= 128:
                cell.metadata["nbgrader"]["checksum"] = checksum
            seen.add(grade_id(cell))

        for position, original in enumerate(source):
            if grade_id(original) in seen:
                continue
            self.log.warning("Putting back missing nbgrader cell: %s", grade_id(original))
            restored = copy.deepcopy(original)
            if is_solution(restored):
                restored.source = "raise NotImplementedError()"
            previous = {grade_id(c) for c in source[:position]}
            anchor = max((i for i, c in enumerate(nb.cells) if grade_id(c) in previous), default=-1)
            nb.cells.insert(anchor + 1, restored)
            seen.add(grade_id(original))
        return nb, resources
