"""``nbgrader export``: the totals nbgrader writes, plus every test cell's points and a file for an LMS.

The course's ``nbgrader_config.py`` makes this the export plugin. It writes nbgrader's
``grades.csv`` (or ``--to``) with the same columns, and beside it:

- ``grades_by_question.csv``: one row per student, assignment and test cell (``question``),
  with its points and the most it could earn;
- ``lms_grades.csv``: one row per student (``Student ID``, ``Last Name``, ``First Name``,
  ``Email``) and one column per assignment, headed ``NAME (MAX points)``, the score or empty when
  nothing was graded: the shape a gradebook's CSV import maps by a user column.

Cells are written with Python's csv module (quoted where needed), and a cell that a spreadsheet
would read as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage return first) starts with ``'``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

QUESTION_FILE = "grades_by_question.csv"
LMS_FILE = "lms_grades.csv"
TOTALS_COLUMNS = [  # nbgrader's own grades.csv
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """``value`` as a CSV cell that no spreadsheet evaluates."""
    text = "" if value is None else f"{value:g}" if isinstance(value, (int, float)) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path, rows: list[list]) -> None:
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([[cell_text(v) for v in row] for row in rows])


class CourseExport(ExportPlugin):
    """nbgrader's CSV of totals, quoted, and beside it the per-question and LMS files."""

    def export(self, gradebook: Gradebook) -> None:
        totals_path = Path(self.to or "grades.csv")
        names = [str(a) for a in self.assignment] or [a.name for a in gradebook.assignments]
        wanted = set(map(str, self.student))
        students = sorted((s for s in gradebook.students if not wanted or s.id in wanted), key=lambda s: s.id)
        assignments = [gradebook.find_assignment(name) for name in names]
        totals = [TOTALS_COLUMNS]
        questions = [["student_id", "assignment", "notebook", "question", "score", "max_score"]]
        lms = [
            [
                "Student ID",
                "Last Name",
                "First Name",
                "Email",
                *(f"{a.name} ({a.max_score:g} points)" for a in assignments),
            ]
        ]
        for student in students:
            person = [student.id, student.last_name, student.first_name, student.email]
            scores = []
            for assignment in assignments:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    totals.append(
                        [assignment.name, assignment.duedate, "", *person, 0.0, 0.0, 0.0, assignment.max_score]
                    )
                    scores.append(None)
                    continue
                penalty = submission.late_submission_penalty or 0.0
                score = max(0.0, submission.score - penalty)
                totals.append(
                    [
                        assignment.name,
                        assignment.duedate,
                        submission.timestamp,
                        *person,
                        submission.score,
                        penalty,
                        score,
                        assignment.max_score,
                    ]
                )
                scores.append(score)
                for notebook in submission.notebooks:
                    for grade in sorted(notebook.grades, key=lambda g: g.name):
                        questions.append(
                            [student.id, assignment.name, notebook.name, grade.name, grade.score, grade.max_score]
                        )
            lms.append([*person, *scores])
        write_csv(totals_path, totals)
        write_csv(totals_path.parent / QUESTION_FILE, questions)
        write_csv(totals_path.parent / LMS_FILE, lms)
        self.log.info(
            "Exported totals to %s, every test cell's points to %s and an LMS gradebook to %s",
            totals_path,
            QUESTION_FILE,
            LMS_FILE,
        )
