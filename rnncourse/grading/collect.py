"""``nbgrader zip_collect`` for the downloads of Canvas, Moodle and Blackboard.

``nbgrader_config.py`` makes :class:`LmsCollector` the collector and names the LMS
(``c.LmsCollector.lms``). Each LMS names the files of its "download all submissions" archive
its own way; :data:`PATTERNS` reads each one, anchored at the top of the download
(``downloaded/ASSIGNMENT/extracted/[ARCHIVE/]``): an archive a learner uploaded is unpacked one
folder deeper, and what it holds never counts as anyone's submission.

- ``plain``: ``<student_id>_<notebook>.ipynb``, as a script or a shared folder makes them.
- ``canvas``: ``<name>[_late]_<user id>_<submission id>_<notebook>[-N].ipynb``; the student id
  is Canvas's user id (the ``ID`` column of its gradebook export), and ``-N``, which Canvas adds
  to a file handed in again, is dropped.
- ``moodle``: ``<full name>_<participant id>_assignsubmission_file_[/]<notebook>.ipynb``, with or
  without a folder per submission. Moodle's participant id changes from one assignment to the
  next, so the learner is found by full name among the students of the gradebook
  (``nbgrader db student import``).
- ``blackboard``: ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<notebook>.ipynb``; the
  student id is the Blackboard username, and the attempt's time becomes the submission's.

A file that no pattern reads, or a Moodle name that no student has, is skipped with a warning
that says so, and nothing is filed under a wrong id.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Enum, default

STUDENT_ID = r"(?P<student_id>[A-Za-z0-9][A-Za-z0-9_.@+-]*)"
PATTERNS = {
    "plain": r"(?P<student_id>[A-Za-z0-9-]+)_(?P<file_id>[^/]+\.ipynb)",
    "canvas": r"[^/_]+(?:_(?i:late))?_(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb",
    "moodle": r"(?P<full_name>[^/_]+)_\d+_assignsubmission_file_/?(?P<file_id>[^/]+\.ipynb)",
    "blackboard": rf"[^/]*_{STUDENT_ID}_attempt_(?P<timestamp>[\d-]+)_(?P<file_id>[^/]+\.ipynb)",
}
ATTEMPT_TIME = re.compile(r"(\d{4}-\d\d-\d\d)-(\d\d)-(\d\d)-(\d\d)")


class LmsCollector(FileNameCollectorPlugin):
    """Files each notebook of an LMS download under the student it belongs to."""

    lms = Enum(list(PATTERNS), default_value="plain", help="Which LMS made the download.").tag(config=True)

    @default("named_regexp")
    def _pattern(self) -> str:
        downloaded = Path(self.parent.coursedir.root) / "downloaded"
        return re.escape(str(downloaded)) + r"/[^/]+/extracted/(?:[^/]+/)?" + PATTERNS[self.lms] + "$"

    def collect(self, submitted_file: str) -> dict | None:
        info = super().collect(submitted_file)
        if not info:
            return info
        if info.get("timestamp"):
            info["timestamp"] = ATTEMPT_TIME.sub(r"\1 \2:\3:\4", info["timestamp"])
        if "full_name" in info:
            info["student_id"] = self.student_named(info.pop("full_name"), submitted_file)
            if info["student_id"] is None:
                return None
        if not info.get("file_id", "").endswith(".ipynb"):
            info["file_id"] += ".ipynb"
        return info

    def student_named(self, full_name: str, submitted_file: str) -> str | None:
        """The id of the one student in the gradebook whose first and last names make ``full_name``."""
        with Gradebook(self.parent.coursedir.db_url) as gradebook:
            ids = [s.id for s in gradebook.students if f"{s.first_name} {s.last_name}".split() == full_name.split()]
        if len(ids) != 1:
            self.log.warning(
                "Skipped %s: %s students of the gradebook are named %r (import the class with "
                "`nbgrader db student import`)",
                submitted_file,
                len(ids) or "no",
                full_name,
            )
            return None
        return ids[0]
