"""The grading configuration every course in this environment gets, and its safety checks.

:func:`configure_grading` is applied twice: by the environment's own nbgrader config
(``{sys.prefix}/etc/jupyter/nbgrader_config.py``, installed with this package), which nbgrader
loads before any course's, and again by the course's ``nbgrader_config.py``. So if a course
config fails to load, the sealed steps are still the ones in use, and they refuse to grade
(fail closed): the course config's last line sets ``SealedExecute.course_config_loaded``.

nbgrader reads a submission's files (a re-grade compares timestamps) before any of its hooks
run, and ignores a hook that fails. So :func:`configure_grading` makes nbgrader's
``Autograde.init_notebooks``, its first step, start with :func:`check_grading`: refuse unless the
course config loaded, bubblewrap is there and the steps in force are exactly the sealed ones, all
enabled (whatever a JSON config or the command line said), then take in ``submitted/``.
``GenerateFeedback`` likewise refuses unless its redacting steps are in force.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from nbconvert.exporters import HTMLExporter, NotebookExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde, GenerateFeedback
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
from rnncourse.grading.feedback import TEMPLATE, TEMPLATES, RedactFeedback
from rnncourse.grading.intake import NBGRADER_FILES, take_in
from rnncourse.grading.limits import make_cgroup, remove_stale_cgroups
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
    sealed = _steps_in_force(
        autograde, {"sanitize_preprocessors": SANITIZE_STEPS, "autograde_preprocessors": AUTOGRADE_STEPS}
    )
    if not sealed or autograde.exporter_class is not NotebookExporter:
        raise GradingRefused(
            "Grading refused: the autograde steps in force are not the sealed ones (an nbgrader_config.json, "
            "a command-line option or a hook changed, disabled or added to them). Nothing was graded."
        )
    if os.geteuid() == 0:
        remove_stale_cgroups()
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


def check_feedback(feedback: GenerateFeedback) -> None:
    """Refuse to write feedback unless the redacting steps are the ones in force."""
    if not _steps_in_force(feedback, {"preprocessors": FEEDBACK_STEPS}) or feedback.exporter_class is not HTMLExporter:
        raise GradingRefused(
            "Feedback refused: the feedback steps in force are not the redacting ones (an nbgrader_config.json, "
            "a command-line option or a hook changed, disabled or added to them). No feedback was written."
        )


def _steps_in_force(converter, required: dict[str, list]) -> bool:
    """The converter runs exactly the ``required`` steps, none switched on or off, and its exporter adds none."""
    if converter.pre_convert_hook or converter.post_convert_hook:
        return False
    exporter = converter.exporter_class(parent=converter, config=converter.config)
    if exporter.preprocessors or exporter.default_preprocessors:
        return False
    return all(
        getattr(converter, name) == steps
        and all(step(parent=converter).enabled == step.class_traits()["enabled"].default() for step in steps)
        for name, steps in required.items()
    )


def _checked_first(init_notebooks, check):
    @functools.wraps(init_notebooks)
    def init_notebooks_when_safe(self):
        check(self)
        return init_notebooks(self)

    init_notebooks_when_safe.checked = True
    return init_notebooks_when_safe


# Cells are repaired against the source notebook before anything runs.
SANITIZE_STEPS = [ClearOutput, RepairGradedCells, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
AUTOGRADE_STEPS = [SealedExecute, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
FEEDBACK_STEPS = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]


def configure_grading(c) -> None:
    """Sealed autograding, submission intake and redacted feedback, in nbgrader config ``c``."""
    for converter, check in [(Autograde, check_grading), (GenerateFeedback, check_feedback)]:
        if not getattr(converter.init_notebooks, "checked", False):
            converter.init_notebooks = _checked_first(converter.init_notebooks, check)
    c.Autograde.sanitize_preprocessors = list(SANITIZE_STEPS)
    c.Autograde.autograde_preprocessors = list(AUTOGRADE_STEPS)
    c.GenerateFeedback.preprocessors = list(FEEDBACK_STEPS)
    c.HTMLExporter.template_name = TEMPLATE  # the course's feedback page (rnncourse/grading/feedback.py)
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    # Collect only notebooks; check_grading sets aside anything else before autograde reads it.
    c.CourseDirectory.include = ["*.ipynb", *NBGRADER_FILES]
