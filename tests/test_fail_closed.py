"""Grading fails closed: an unsafe setup stops `nbgrader autograde` before anything is graded."""

import subprocess

import pytest

from conftest import ASSIGNMENTS
from rnncourse.grading.trial import TrialCourse, make_submission
from rnncourse.nbgrader_command import BIN, NBGRADER, nbgrader_env

pytestmark = pytest.mark.autograde

HELLO = ASSIGNMENTS["01_one_hot_hello"]
ENV = nbgrader_env()
BROKEN_CONFIGS = {
    "syntax_error": lambda text: "c = get_config(\n" + text,
    "raises_midway": lambda text: text.replace("c.SealedExecute.cell_timeout", "raise RuntimeError('x')\nc.X", 1),
    "missing": None,
}


@pytest.fixture(scope="module")
def course(root, tmp_path_factory):
    course = TrialCourse(root, tmp_path_factory.mktemp("fail-closed"), [HELLO])
    course.submit_notebook("alice", HELLO.name, make_submission(HELLO))
    return course


def autograde(course, env=ENV):
    return subprocess.run(
        [*NBGRADER, "autograde", HELLO.name], cwd=course.path, env=env, capture_output=True, text=True
    )


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


UNSEALING = {
    "json_config": (
        "nbgrader_config.json",
        '{"Autograde": {"autograde_preprocessors": ["nbgrader.preprocessors.Execute"]}}',
    ),
    "command_line": (None, "--Autograde.sanitize_preprocessors=['nbgrader.preprocessors.ClearOutput']"),
}


@pytest.mark.parametrize("way", sorted(UNSEALING))
def test_grading_refuses_when_the_steps_in_force_are_not_the_sealed_ones(course, way):
    """Whatever loads after the course config (a JSON config, an option) cannot swap the sealed steps out."""
    file, value = UNSEALING[way]
    if file:
        (course.path / file).write_text(value)
    try:
        result = subprocess.run(
            [*NBGRADER, "autograde", HELLO.name, *([] if file else [value])],
            cwd=course.path,
            env=ENV,
            capture_output=True,
            text=True,
        )
    finally:
        if file:
            (course.path / file).unlink()
    assert result.returncode != 0
    assert "Grading refused: the autograde steps in force are not the sealed ones" in result.stderr
    assert not (course.path / "autograded").exists()


def test_autograde_without_bwrap_stops_before_anything_runs(course):
    result = autograde(course, {**ENV, "PATH": str(BIN)})  # this environment's tools, nothing from /usr/bin
    assert result.returncode != 0
    assert "apt-get install bubblewrap" in result.stderr
    assert not (course.path / "autograded").exists()


def test_the_intact_config_grades(course):
    result = autograde(course)
    assert result.returncode == 0, result.stderr[-3000:]
    assert course.scores() == {("alice", HELLO.name): HELLO.points}
