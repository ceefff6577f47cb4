"""nbgrader configuration: the repository root is the course directory."""

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from rnncourse.grading.feedback import RedactHiddenTests

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "rnn-basics"
c.CourseDirectory.source_directory = "solutions"   # notebooks with solutions and hidden tests
c.CourseDirectory.release_directory = "exercises"  # what learners receive, generated from solutions/

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

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
