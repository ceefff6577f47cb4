"""nbgrader configuration: the repository root is the course directory."""

from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    GetGrades, IgnorePattern, LimitOutput, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades)

from rnncourse.grading.cleaning import GuardTestCells, RepairGradedCells
from rnncourse.grading.execute import SandboxedExecute
from rnncourse.grading.feedback import RedactHiddenTests
from rnncourse.grading.sandbox import stop_autograde_without_sandbox

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "rnn-basics"
c.CourseDirectory.source_directory = "solutions"   # notebooks with solutions and hidden tests
c.CourseDirectory.release_directory = "exercises"  # what learners receive, generated from solutions/
# Writers wait up to two minutes for the gradebook's lock (see rnncourse/grading/parallel.py).
c.CourseDirectory.db_url = f"sqlite:///{c.CourseDirectory.root}/gradebook.db?timeout=120"

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Autograding runs every submission in a bubblewrap sandbox (rnncourse/grading/sandbox.py):
# no network, only its own folder writable, limits on memory, CPU, processes and file size.
# Without bubblewrap, autograding stops before running anything. To grade trusted notebooks
# on a machine without it (macOS, say), and only then, uncomment:
# c.SandboxedKernelManager.allow_unsandboxed = True
stop_autograde_without_sandbox(c.SandboxedKernelManager.get("allow_unsandboxed", False))
c.SandboxedKernelManager.course_root = c.CourseDirectory.root
c.SandboxedKernelManager.memory_bytes = 2 * 2**30
c.SandboxedKernelManager.cpu_seconds = 600
c.SandboxedKernelManager.max_processes = 256
c.SandboxedExecute.max_output_chars = 1_000_000

# Take only notebooks from a submission: a stray numpy.py or .so cannot shadow a module.
# `ignore` applies when autograde copies a submission, `include` when collecting one.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "__pycache__", "feedback",
                            "*.py", "*.pyc", "*.so", "*.pyd", "*.pth", "*.egg-link"]
c.CourseDirectory.include = ["*.ipynb", "timestamp.txt"]

# Repair tampered, duplicated or deleted nbgrader cells before anything runs, then guard the tests.
c.Autograde.sanitize_preprocessors = [ClearOutput, RepairGradedCells, DeduplicateIds, OverwriteKernelspec,
                                      OverwriteCells, GuardTestCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]

# A cell that runs longer than this is stopped and scores 0; the rest of the notebook still runs.
c.Execute.timeout = 120

# nbgrader fails any test cell that writes to stderr. Warnings and progress bars are not mistakes:
# remove them before grading so that they cost no points.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(\w*Warning: |\d+%\|)"

# Feedback shows learners their visible tests and messages, never a hidden test or its traceback.
c.GenerateFeedback.preprocessors = [GetGrades, RedactHiddenTests, CSSHTMLHeaderPreprocessor]

# `nbgrader zip_collect`: an LMS archive names each file <student_id>_<original file name>.
c.FileNameCollectorPlugin.named_regexp = r"(?:.*[/\\])?(?P<student_id>[A-Za-z0-9-]+)_(?P<file_id>[^/\\]+\.ipynb)$"
