"""Grading fails closed: an unsafe setup stops `nbgrader autograde` before anything is graded."""

import subprocess

import pytest

from course import Course
from nbgrader_cli import BIN, ENV
from rnncourse.grading.submissions import make_submission

ASSIGNMENT = "01_one_hot_hello"
BROKEN_CONFIGS = {
    "syntax_error": lambda text: "c = get_config(\n" + text,
    "raises_midway": lambda text: text.replace("c.SealedExecute.cell_timeout", "raise RuntimeError('x')\nc.X", 1),
    "missing": None,
}


@pytest.fixture(scope="module")
def course(root, tmp_path_factory):
    course = Course(root, tmp_path_factory.mktemp("fail-closed"), (ASSIGNMENT,))
    course.submit("alice", ASSIGNMENT, {"one_hot_hello.ipynb": make_submission(ASSIGNMENT)})
    return course


def autograde(course, env=ENV):
    return subprocess.run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT], cwd=course.path, env=env,
                          capture_output=True, text=True)


@pytest.mark.parametrize("broken", sorted(BROKEN_CONFIGS))
def test_a_broken_course_config_stops_grading_before_anything_runs(course, broken):
    config = course.path / "nbgrader_config.py"
    original = config.read_text()
    try:
        if BROKEN_CONFIGS[broken] is None:
            config.unlink()
        else:
            config.write_text(BROKEN_CONFIGS[broken](original))
        result = autograde(course)
    finally:
        config.write_text(original)
    assert result.returncode != 0
    assert "Grading refused: the course's nbgrader_config.py did not load completely" in result.stderr
    assert not (course.path / "autograded").exists()


def test_autograde_without_bwrap_stops_before_anything_runs(course):
    result = autograde(course, {**ENV, "PATH": str(BIN)})  # this environment's tools, nothing from /usr/bin
    assert result.returncode != 0
    assert "apt-get install bubblewrap" in result.stderr
    assert not (course.path / "autograded").exists()


def test_the_intact_config_grades(course):
    result = autograde(course)
    assert result.returncode == 0, result.stderr[-3000:]
    assert course.scores() == {("alice", ASSIGNMENT): 13.0}
