"""The grading configuration every course in this environment gets, and its safety checks.

:func:`configure_grading` is applied twice: by the environment's own nbgrader config
(``{sys.prefix}/etc/jupyter/nbgrader_config.py``, installed with this package), which nbgrader
loads before any course's, and again by the course's ``nbgrader_config.py``. So if a course
config fails to load, the sealed steps are still the ones in use, and they refuse to grade
(fail closed): the course config's last line sets ``SealedExecute.course_config_loaded``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from rnncourse.grading.cells import RepairGradedCells
from rnncourse.grading.feedback import RedactFeedback
from rnncourse.grading.intake import NBGRADER_FILES, take_in
from rnncourse.grading.sandbox import MISSING_BWRAP
from rnncourse.grading.sealed import GradingRefused, SealedExecute

REFUSED_DIRECTORY = "refused"
_course_config_loaded = False


def mark_course_config_loaded(c) -> None:
    """The last line of a course's nbgrader_config.py: everything above it loaded."""
    global _course_config_loaded
    _course_config_loaded = True
    c.SealedExecute.course_config_loaded = True


def check_submission(assignment: str, student: str, notebooks: list[str]) -> None:
    """nbgrader's pre-convert hook: stop if grading is unsafe, then take in ``submitted/``.

    It runs before each student's folder is read. ``student`` and ``assignment`` are nbgrader's
    patterns (``*`` for all), and ``notebooks`` come from a glob that a folder's name can steer,
    so the whole of ``submitted/`` is taken in (:func:`rnncourse.grading.intake.take_in`).
    """
    if not _course_config_loaded:
        raise GradingRefused(
            "Grading refused: the course's nbgrader_config.py did not load completely "
            "(see the error above). Nothing was graded."
        )
    if shutil.which("bwrap") is None:
        raise GradingRefused(MISSING_BWRAP + " Nothing was graded.")
    submitted = Path(notebooks[0]).parents[2]  # submitted/STUDENT/ASSIGNMENT/NAME.ipynb
    take_in(submitted, submitted.parent / REFUSED_DIRECTORY)


def configure_grading(c) -> None:
    """Sealed autograding, submission intake and redacted feedback, in nbgrader config ``c``."""
    c.Autograde.pre_convert_hook = check_submission
    # Cells are repaired against the source notebook before anything runs.
    c.Autograde.sanitize_preprocessors = [
        ClearOutput,
        RepairGradedCells,
        OverwriteKernelspec,
        OverwriteCells,
        CheckCellMetadata,
    ]
    c.Autograde.autograde_preprocessors = [
        SealedExecute,
        ClearMetadataPreprocessor,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]
    # Collect only notebooks; check_submission sets aside anything else before autograde reads it.
    c.CourseDirectory.include = ["*.ipynb", *NBGRADER_FILES]
