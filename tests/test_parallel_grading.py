"""Grading students in parallel loses and corrupts nothing."""

import sqlite3

import pytest

from conftest import ASSIGNMENTS
from rnncourse.cli import main
from rnncourse.grading.trial import TrialCourse, make_submission
from test_grading_pipeline import TIME_MAJOR_ENCODE

pytestmark = pytest.mark.autograde

HELLO = ASSIGNMENTS["01_one_hot_hello"]
KINDS = {
    "correct": (make_submission(HELLO), HELLO.points),
    "wrong": (make_submission(HELLO, {"encode": TIME_MAJOR_ENCODE}), HELLO.points - 5),
    "blank": (make_submission(HELLO, blank=True), 0.0),
}
PARALLEL_TEST_UID = 64000  # users of their own: other tests grade at the same time
CLASS = {f"{kind}{i}": kind for i in range(2) for kind in KINDS}


def test_parallel_autograde_gives_every_student_exactly_one_correct_row(root, tmp_path, capsys):
    course = TrialCourse(root, tmp_path / "course", [HELLO])
    for student, kind in CLASS.items():
        course.nbgrader("db", "student", "add", student)
        course.submit_notebook(student, HELLO.name, KINDS[kind][0])
    status = main(
        ["autograde", HELLO.name, "--jobs", "3", "--root", str(course.path), "--sandbox-uid", str(PARALLEL_TEST_UID)]
    )
    assert status == 0, capsys.readouterr().out
    assert capsys.readouterr().out.splitlines() == [f"{student}: graded" for student in sorted(CLASS)]

    assert course.scores() == {(student, HELLO.name): KINDS[kind][1] for student, kind in CLASS.items()}
    assert course.gradebook_integrity() == "ok"
    with sqlite3.connect(course.path / "gradebook.db") as db:
        rows = db.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall()
    assert dict(rows) == {student: 1 for student in CLASS}
