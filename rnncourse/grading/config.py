"""The grading configuration every course in this environment gets, and its safety checks.

:func:`configure_grading` is applied twice: by the environment's own nbgrader config
(``{sys.prefix}/etc/jupyter/nbgrader_config.py``, installed with this package), which nbgrader
loads before any course's, and again by the course's ``nbgrader_config.py``. So if a course
config fails to load, the sealed steps are still the ones in use, and they refuse to grade
(fail closed): the course config's last line sets ``SealedExecute.course_config_loaded``.

nbgrader reads a submission's files (a re-grade compares timestamps) before any of its hooks
run, and ignores a hook that fails. So :func:`configure_grading` makes nbgrader's
``Autograde.init_notebooks``, its first step, start with :func:`check_grading`: refuse unless the
course config loaded, bubblewrap is there and the configuration in force is the sealed one
(whatever a JSON config or the command line said), then take in ``submitted/``.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde
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
from rnncourse.grading.limits import make_cgroup
from rnncourse.grading.sandbox import MISSING_BWRAP
from rnncourse.grading.sealed import GradingRefused, SealedExecute

REFUSED_DIRECTORY = "refused"
_course_config_loaded = False


def mark_course_config_loaded(c) -> None:
    """The last line of a course's nbgrader_config.py: everything above it loaded."""
    global _course_config_loaded
    _course_config_loaded = True
    c.SealedExecute.course_config_loaded = True


def check_grading(autograde: Autograde) -> None:
    """Refuse to grade unless it is safe (GradingRefused), then take in ``submitted/``."""
    if not _course_config_loaded:
        raise GradingRefused(
            "Grading refused: the course's nbgrader_config.py did not load completely "
            "(see the error above). Nothing was graded."
        )
    if shutil.which("bwrap") is None:
        raise GradingRefused(MISSING_BWRAP + " Nothing was graded.")
    in_force = (autograde.sanitize_preprocessors, autograde.autograde_preprocessors)
    if in_force != (SANITIZE_STEPS, AUTOGRADE_STEPS) or autograde.pre_convert_hook or autograde.post_convert_hook:
        raise GradingRefused(
            "Grading refused: the autograde steps in force are not the sealed ones (an nbgrader_config.json, "
            "a command-line option or a hook changed them). Nothing was graded."
        )
    if os.geteuid() == 0:
        probe = make_cgroup(2**30, 16)
        if probe is None:
            raise GradingRefused(
                "Grading refused: as root, every sandbox needs a cgroup for its memory and processes, and none "
                "could be created under /sys/fs/cgroup. Nothing was graded."
            )
        probe.remove()
    root = Path(autograde.coursedir.root)
    try:
        take_in(root / autograde.coursedir.submitted_directory, root / REFUSED_DIRECTORY)
    except OSError as error:
        raise GradingRefused(
            f"Grading refused: a submission could not be set aside ({error}). Nothing was graded."
        ) from None


def _checked_first(init_notebooks):
    @functools.wraps(init_notebooks)
    def init_notebooks_when_safe(self):
        check_grading(self)
        return init_notebooks(self)

    init_notebooks_when_safe.checks_grading = True
    return init_notebooks_when_safe


# Cells are repaired against the source notebook before anything runs.
SANITIZE_STEPS = [ClearOutput, RepairGradedCells, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
AUTOGRADE_STEPS = [SealedExecute, ClearMetadataPreprocessor, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def configure_grading(c) -> None:
    """Sealed autograding, submission intake and redacted feedback, in nbgrader config ``c``."""
    if not getattr(Autograde.init_notebooks, "checks_grading", False):
        Autograde.init_notebooks = _checked_first(Autograde.init_notebooks)
    c.Autograde.sanitize_preprocessors = list(SANITIZE_STEPS)
    c.Autograde.autograde_preprocessors = list(AUTOGRADE_STEPS)
    c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]
    # Collect only notebooks; check_grading sets aside anything else before autograde reads it.
    c.CourseDirectory.include = ["*.ipynb", *NBGRADER_FILES]
