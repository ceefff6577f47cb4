"""What an instructor's console shows while nbgrader grades: one line per student, nothing false.

:func:`configure_console` (called by the course's ``nbgrader_config.py``) makes ``nbgrader
autograde``:

- log one line per student as they finish: score out of total, time, and the first failing test
  with its one-line message (:func:`student_line`);
- escape every terminal control character in its log (student ids, grade ids, learner errors):
  a submission cannot move the cursor, recolour or rewrite the console;
- leave out exactly two warnings known to be false on every honest submission: nbgrader's
  "checksum has changed" for a test cell whose released copy differs from its source only by the
  hidden tests that the release removed, and SQLAlchemy's "not in session" note on the new
  submission rows that nbgrader adds to the session right after.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
import time
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.utils import compute_checksum, is_grade, is_solution
from sqlalchemy.exc import SAWarning

from rnncourse.assignments import grade_id

MESSAGE_CHARS = 160  # of a failing test's message on the console
LINE_PREFIX = "graded "  # starts every per-student line; the parallel runner counts them
CHECKSUM_WARNING = "Attribute '%s' for cell %s has changed! (should be: %s, got: %s)"
LINE_PATTERN = re.compile(rf"{LINE_PREFIX}(\S+) (\S+): (.*)$")
SESSION_WARNING = (
    r"Object of type <Submitted(Assignment|Notebook)> not in session, add operation along '\w+\.submissions'"
)


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control, format or separator character written as a Python escape.

    ``newlines=True`` keeps line breaks (a traceback's), escaping every other control character.
    """
    return "".join(
        ch
        if (newlines and ch == "\n") or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")
        else ascii(ch)[1:-1]
        for ch in str(text)
    )


@dataclass
class StudentResult:
    """One student's graded assignment, read from the gradebook and the autograded notebook."""

    student: str
    score: float | None = None  # None: not graded
    max_score: float = 0.0
    failing: list[tuple[str, str]] = field(default_factory=list)  # (test cell, one-line message)
    seconds: float | None = None
    earlier: bool = False  # graded by an earlier run, not this one (nbgrader skips an unchanged submission)

    @property
    def first_failing(self) -> str:
        if not self.failing:
            return ""
        name, message = self.failing[0]
        return f"{name}: {message}" if message else name


def first_line(output) -> str:
    """An error output as ``Name: message``, first line only, escaped and cut to MESSAGE_CHARS."""
    lines = str(output.get("evalue", "")).strip().splitlines()
    text = printable(f"{output.get('ename', 'Error')}: {lines[0] if lines else ''}".rstrip(": "))
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


def student_result(root: Path, db_url: str, assignment: str, student: str) -> StudentResult:
    """``student``'s result for ``assignment`` in the gradebook at ``db_url`` (course folder ``root``).

    Not graded (score None) unless autograded/ holds the student's notebooks and the gradebook
    their submission (nbgrader removes the notebooks of a student it failed to grade).
    """
    result = StudentResult(student)
    notebooks = sorted((Path(root) / "autograded" / student / assignment).glob("*.ipynb"))
    if not notebooks:
        return result
    with Gradebook(db_url) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return result
        grades = {(g.notebook.name, g.name): g for nb in submission.notebooks for g in nb.grades}
        result.score, result.max_score = submission.score, submission.max_score
        for path in notebooks:
            for cell in nbformat.read(path, as_version=4).cells:
                grade = grades.get((path.stem, grade_id(cell)))
                if grade is None or not is_grade(cell) or is_solution(cell) or grade.score >= grade.max_score:
                    continue
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                result.failing.append((printable(grade.name), first_line(errors[0]) if errors else ""))
    return result


def student_line(assignment: str, result: StudentResult) -> str:
    """The console's line for one finished student."""
    head = f"{LINE_PREFIX}{printable(result.student)} {printable(assignment)}: "
    if result.score is None:
        return head + "not graded (see the errors above)"
    line = f"{head}{result.score:g}/{result.max_score:g}"
    if result.seconds is not None:
        line += f" in {result.seconds:.1f} s"
    if result.failing:
        line += f"; {len(result.failing)} test(s) failed, first {result.first_failing}"
    return line


class EscapeControl(logging.Filter):
    """Write every record's message with its control characters escaped (line breaks kept)."""

    def filter(self, record):
        record.msg, record.args = printable(record.getMessage(), newlines=True), ()
        return True


class KnownFalseChecksum(logging.Filter):
    """Drop nbgrader's checksum warning for an untouched test cell that had hidden tests.

    ``pairs``: (source checksum, released checksum) of every such cell; the warning names both.
    """

    def __init__(self, pairs: set[tuple[str, str]]):
        super().__init__()
        self.pairs = pairs

    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        return not (record.msg == CHECKSUM_WARNING and len(args) == 4 and (args[2], args[3]) in self.pairs)


def released_checksums(source_directory: Path) -> set[tuple[str, str]]:
    """(source checksum, checksum once hidden tests are cleared) of every test cell with hidden tests."""
    clear = ClearHiddenTests()
    pairs = set()
    for path in sorted(Path(source_directory).glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if is_grade(cell) and clear.begin_test_delimeter in cell.source:
                released, _ = clear.preprocess_cell(copy.deepcopy(cell), {}, 0)
                pairs.add((compute_checksum(cell), compute_checksum(released)))
    return pairs


def _talking_start(start):
    @functools.wraps(start)
    def start_and_talk(self):
        source = Path(self.coursedir.root) / self.coursedir.source_directory
        self.log.addFilter(KnownFalseChecksum(released_checksums(source)))  # reads the arguments: first
        self.log.addFilter(EscapeControl())
        return start(self)

    start_and_talk.talks = True
    return start_and_talk


def _timed_init_assignment(init_assignment):
    @functools.wraps(init_assignment)
    def init_assignment_timed(self, assignment_id, student_id):
        self._rnncourse_started = time.monotonic()
        return init_assignment(self, assignment_id, student_id)

    init_assignment_timed.talks = True
    return init_assignment_timed


def _reporting_set_permissions(set_permissions):
    @functools.wraps(set_permissions)
    def set_permissions_and_report(self, assignment_id, student_id):
        set_permissions(self, assignment_id, student_id)
        result = student_result(self.coursedir.root, self.coursedir.db_url, assignment_id, student_id)
        result.seconds = time.monotonic() - getattr(self, "_rnncourse_started", time.monotonic())
        self.log.info("%s", student_line(assignment_id, result))

    set_permissions_and_report.talks = True
    return set_permissions_and_report


def configure_console(c) -> None:
    """A talking, escaped and honest console for ``nbgrader autograde`` (``c``: the nbgrader config)."""
    for name, wrap in [
        ("start", _talking_start),
        ("init_assignment", _timed_init_assignment),
        ("set_permissions", _reporting_set_permissions),
    ]:
        if not getattr(getattr(Autograde, name), "talks", False):
            setattr(Autograde, name, wrap(getattr(Autograde, name)))
    warnings.filterwarnings("ignore", message=SESSION_WARNING, category=SAWarning)
