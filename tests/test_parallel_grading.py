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
    out = capsys.readouterr().out
    assert status == 0, out
    progress = [line for line in out.splitlines() if line.startswith("[")]
    assert all(line.startswith(f"[{n}/{len(CLASS)}, ") and " s] graded " in line for n, line in enumerate(progress, 1))
    assert sorted(line.split("] graded ")[1].split()[0] for line in progress) == sorted(CLASS)
    table = out.split(f"{HELLO.name}: {len(CLASS)} of {len(CLASS)} graded\n")[1].splitlines()
    assert {row.split()[0]: row.split()[1] for row in table[1:]} == {
        student: f"{KINDS[kind][1]:g}/{HELLO.points:g}" for student, kind in CLASS.items()
    }

    assert course.scores() == {(student, HELLO.name): KINDS[kind][1] for student, kind in CLASS.items()}
    assert course.gradebook_integrity() == "ok"
    with sqlite3.connect(course.path / "gradebook.db") as db:
        rows = db.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall()
    assert dict(rows) == {student: 1 for student in CLASS}


def test_a_broken_submission_costs_only_its_student_and_the_table_reads_the_gradebook(root, tmp_path, capsys):
    course = TrialCourse(root, tmp_path / "course", [HELLO])
    course.submit_notebook("correct0", HELLO.name, KINDS["correct"][0])
    course.submit_notebook("wrong0", HELLO.name, KINDS["wrong"][0])
    course.submit("broken0", HELLO.name, {HELLO.notebook("exercises").name: "{not a notebook"})
    status = main(
        ["autograde", HELLO.name, "--jobs", "1", "--root", str(course.path), "--sandbox-uid", str(PARALLEL_TEST_UID)]
    )
    out = capsys.readouterr().out
    assert status == 1, out
    rows = {row.split()[0]: row for row in out.split("graded\n")[1].split("\n\n")[0].splitlines()[1:]}
    assert rows["correct0"].split()[1] == f"{HELLO.points:g}/{HELLO.points:g}"
    assert rows["wrong0"].split()[1] == f"{HELLO.points - 5:g}/{HELLO.points:g}"
    assert "not graded" in rows["broken0"]
    assert "the shard grading broken0, correct0, wrong0 exited with 1" in out
