"""nbgrader configuration: the repository root is the course directory.

Grading is sealed (rnncourse/grading/): every submission runs in a bubblewrap sandbox that
only answers calls, and the test cells run in the grader, where learner code never runs.
The book's "For instructors" page explains the design and its limits.
"""

from pathlib import Path

from rnncourse.grading.config import configure_grading, mark_course_config_loaded
from rnncourse.grading.console import configure_console

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)
configure_grading(c)
configure_console(c)  # one line per graded student, escaped; known-false warnings left out

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "rnn-basics"
c.CourseDirectory.source_directory = "solutions"  # notebooks with solutions and hidden tests
c.CourseDirectory.release_directory = "exercises"  # what learners receive, generated from solutions/
# Writers wait up to two minutes for the gradebook's lock (see rnncourse/grading/parallel.py).
c.CourseDirectory.db_url = f"sqlite:///{c.CourseDirectory.root}/gradebook.db?timeout=120"

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Limits of one submission's sandbox. A cell that runs longer than cell_timeout is interrupted
# and its tests score 0; the rest of the notebook still runs.
c.SealedExecute.cell_timeout = 120
c.SealedExecute.notebook_timeout = 900
c.SealedExecute.memory_bytes = 2 * 2**30
c.SealedExecute.cpu_seconds = 600
c.SealedExecute.max_processes = 256
c.SealedExecute.tmpfs_bytes = 256 * 2**20
# On a host with an NVIDIA GPU, this lets submissions use it (see the instructor page for the risk):
# c.SealedExecute.expose_gpu = True

# `nbgrader export`: grades.csv, and beside it grades_by_question.csv and lms_grades.csv.
c.ExportApp.plugin_class = "rnncourse.grading.export.CourseExport"

# `nbgrader zip_collect`: the LMS whose download it files, "plain" (<student_id>_<notebook>.ipynb), "canvas",
# "moodle" or "blackboard" (rnncourse/grading/collect.py reads each one's names; the instructor page says which
# id each gives). Only files at the top of a download (downloaded/ASSIGNMENT/extracted/[ARCHIVE/]) count: an
# archive that a learner uploaded is unpacked one folder deeper, and what it holds never counts as anyone's.
c.ZipCollectApp.collector_plugin = "rnncourse.grading.collect.LmsCollector"
c.LmsCollector.lms = "plain"

mark_course_config_loaded(c)  # keep last: grading refuses to start if anything above failed
