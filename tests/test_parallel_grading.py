"""Grading students in parallel loses and corrupts nothing."""

import csv
import shutil
import sqlite3

import nbformat

from nbgrader_cli import nbgrader
from rnncourse.grading.parallel import autograde_parallel
from rnncourse.grading.submissions import make_submission
from test_grading_pipeline import TIME_MAJOR_ENCODE

ASSIGNMENT = "01_one_hot_hello"
KINDS = {"correct": (make_submission(ASSIGNMENT), 13.0),
         "wrong": (make_submission(ASSIGNMENT, {"encode": TIME_MAJOR_ENCODE}), 8.0),
         "blank": (make_submission(ASSIGNMENT, blank=True), 0.0)}
PARALLEL_TEST_UID = 64000  # users of their own: other tests grade at the same time
CLASS = {f"{kind}{i}": kind for i in range(2) for kind in KINDS}


def test_parallel_autograde_gives_every_student_exactly_one_correct_row(root, tmp_path):
    shutil.copy(root / "nbgrader_config.py", tmp_path)
    shutil.copytree(root / "solutions", tmp_path / "solutions")
    nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=tmp_path)
    for student, kind in CLASS.items():
        nbgrader("db", "student", "add", student, cwd=tmp_path)
        folder = tmp_path / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(KINDS[kind][0], folder / "one_hot_hello.ipynb")

    runs = autograde_parallel(tmp_path, ASSIGNMENT, jobs=3, base_uid=PARALLEL_TEST_UID)
    assert {s: r.returncode for s, r in runs.items()} == {s: 0 for s in CLASS}, \
        [r.stderr[-2000:] for r in runs.values() if r.returncode]

    nbgrader("export", cwd=tmp_path)
    with open(tmp_path / "grades.csv", newline="") as f:
        scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    assert scores == {student: KINDS[kind][1] for student, kind in CLASS.items()}
    with sqlite3.connect(tmp_path / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall()
    assert dict(rows) == {student: 1 for student in CLASS}
