"""`nbgrader export` writes every test cell's points and a file an LMS gradebook imports."""

import csv

import pytest

from conftest import ASSIGNMENTS
from rnncourse.grading.export import LMS_FILE, QUESTION_FILE
from rnncourse.grading.trial import TrialCourse, make_submission
from test_grading_pipeline import TIME_MAJOR_ENCODE

pytestmark = pytest.mark.autograde

HELLO = ASSIGNMENTS["01_one_hot_hello"]


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_export_writes_points_per_test_cell_and_an_lms_gradebook(root, tmp_path):
    course = TrialCourse(root, tmp_path / "course", [HELLO])
    course.nbgrader("db", "student", "add", "alice", "--first-name=Alice", "--last-name=Lee, Jr.")
    course.nbgrader("db", "student", "add", "bob", "--first-name=Bob", "--last-name=Ng")
    course.nbgrader("db", "student", "add", "mallory", '--first-name==HYPERLINK("x")', "--last-name=M")
    course.submit_notebook("alice", HELLO.name, make_submission(HELLO))
    course.submit_notebook("bob", HELLO.name, make_submission(HELLO, {"encode": TIME_MAJOR_ENCODE}))
    course.nbgrader("autograde", HELLO.name)
    course.nbgrader("export")

    assert course.scores() == {
        ("alice", HELLO.name): HELLO.points,
        ("bob", HELLO.name): HELLO.points - 5,
        ("mallory", HELLO.name): 0.0,
    }
    questions = rows(course.path / QUESTION_FILE)
    bob = {row["question"]: float(row["score"]) for row in questions if row["student_id"] == "bob"}
    assert bob["test_encode"] == 0 and bob["test_build_vocab"] == 2 and sum(bob.values()) == HELLO.points - 5
    alice = [row for row in questions if row["student_id"] == "alice"]
    assert all(row["score"] == row["max_score"] for row in alice)
    assert sum(float(row["max_score"]) for row in alice) == HELLO.points

    lms = rows(course.path / LMS_FILE)
    column = f"{HELLO.name} ({HELLO.points:g} points)"
    assert [(r["Student ID"], r["Last Name"], r[column]) for r in lms] == [
        ("alice", "Lee, Jr.", f"{HELLO.points:g}"),
        ("bob", "Ng", f"{HELLO.points - 5:g}"),
        ("mallory", "M", ""),
    ]
    assert lms[2]["First Name"] == '\'=HYPERLINK("x")'
