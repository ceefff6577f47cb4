"""`nbgrader zip_collect` files the downloads of Canvas, Moodle and Blackboard under the right students."""

import io
import zipfile

import nbformat
import pytest

from conftest import ASSIGNMENTS
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

HELLO = ASSIGNMENTS["01_one_hot_hello"]
ROSTER = "id,first_name,last_name,email\n{ids[0]},Alice,Lee,alice@example.org\n{ids[1]},Bob,Ng,bob@example.org\n"


def notebook_for(name: str) -> str:
    """A submission whose first cell says whose it is."""
    notebook = make_submission(HELLO)
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell(f"Handed in by {name}"))
    return nbformat.writes(notebook)


def learners_archive(inside: str) -> bytes:
    """A zip a learner uploaded, holding a notebook named as a classmate's."""
    uploaded = io.BytesIO()
    with zipfile.ZipFile(uploaded, "w") as archive:
        archive.writestr(inside, notebook_for("mallory"))
    return uploaded.getvalue()


def collect(root, tmp_path, lms: str, download: dict[str, str | bytes], ids: tuple[str, str]) -> TrialCourse:
    """Import the roster, put ``download`` in an LMS archive and run zip_collect with ``lms`` set."""
    config = (root / "nbgrader_config.py").read_text()
    assert 'c.LmsCollector.lms = "plain"' in config
    course = TrialCourse(root, tmp_path / lms, [HELLO], config=config.replace('lms = "plain"', f'lms = "{lms}"'))
    (course.path / "roster.csv").write_text(ROSTER.format(ids=ids))
    course.nbgrader("db", "student", "import", "roster.csv")
    archive = course.path / "downloaded" / HELLO.name / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / f"{lms}_download.zip", "w") as lms_zip:
        for name, content in download.items():
            lms_zip.writestr(name, content)
    course.nbgrader("zip_collect", HELLO.name)
    return course


def filed(course: TrialCourse) -> dict[str, str]:
    """student id -> who handed in the notebook filed under that id."""
    submitted = course.path / "submitted"
    notebooks = sorted(submitted.rglob("*.ipynb"))
    assert all(p.relative_to(submitted).parts[1:] == (HELLO.name, "one_hot_hello.ipynb") for p in notebooks)
    return {p.parts[-3]: nbformat.read(p, as_version=4).cells[0].source for p in notebooks}


def test_canvas_files_by_user_id_and_drops_the_suffix_of_a_second_upload(root, tmp_path):
    course = collect(
        root,
        tmp_path,
        "canvas",
        {
            "leealice_123456_7890123_one_hot_hello.ipynb": notebook_for("alice"),
            "ngbob_LATE_234567_7890124_one_hot_hello-1.ipynb": notebook_for("bob"),
            "ngbob_LATE_234567_7890124_notes.txt": "not a notebook",
            "malloryeve_345678_7890125_extra.zip": learners_archive("leealice_123456_1_one_hot_hello.ipynb"),
        },
        ids=("123456", "234567"),
    )
    assert filed(course) == {"123456": "Handed in by alice", "234567": "Handed in by bob"}
    course.nbgrader("autograde", HELLO.name)
    assert course.scores() == {("123456", HELLO.name): HELLO.points, ("234567", HELLO.name): HELLO.points}


def test_moodle_files_by_the_roster_name_with_or_without_a_folder_per_submission(root, tmp_path):
    course = collect(
        root,
        tmp_path,
        "moodle",
        {
            "Alice Lee_1001_assignsubmission_file_one_hot_hello.ipynb": notebook_for("alice"),
            "Bob Ng_1002_assignsubmission_file_/one_hot_hello.ipynb": notebook_for("bob"),
            "Dan Stranger_1003_assignsubmission_file_one_hot_hello.ipynb": notebook_for("dan"),
            "Eve Mallory_1004_assignsubmission_file_extra.zip": learners_archive(
                "Alice Lee_1001_assignsubmission_file_one_hot_hello.ipynb"
            ),
        },
        ids=("alee", "bng"),
    )
    assert filed(course) == {"alee": "Handed in by alice", "bng": "Handed in by bob"}


def test_blackboard_files_by_username_and_keeps_the_latest_attempt_with_its_time(root, tmp_path):
    course = collect(
        root,
        tmp_path,
        "blackboard",
        {
            "Exercise 1_alice.lee_attempt_2026-12-01-09-00-00_one_hot_hello.ipynb": notebook_for("alice, first try"),
            "Exercise 1_alice.lee_attempt_2026-12-01-17-05-09_one_hot_hello.ipynb": notebook_for("alice"),
            "Exercise 1_alice.lee_attempt_2026-12-01-17-05-09.txt": "Name: Alice Lee",
            "Exercise 1_bob_attempt_2026-12-02-08-00-00_one_hot_hello.ipynb": notebook_for("bob"),
            "Exercise 1_eve_attempt_2026-12-02-08-00-00_extra.zip": learners_archive(
                "Exercise 1_bob_attempt_2026-12-03-00-00-00_one_hot_hello.ipynb"
            ),
        },
        ids=("alice.lee", "bob"),
    )
    assert filed(course) == {"alice.lee": "Handed in by alice", "bob": "Handed in by bob"}
    timestamp = course.path / "submitted" / "alice.lee" / HELLO.name / "timestamp.txt"
    assert timestamp.read_text().startswith("2026-12-01 17:05:09")
