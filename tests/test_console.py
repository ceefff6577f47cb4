"""What an instructor's console shows: a line per student, escaped, no known-false warning, clear errors."""

import shutil
import subprocess
import sys

import pytest

from conftest import ASSIGNMENTS
from rnncourse.cli import main
from rnncourse.grading.trial import TrialCourse, make_submission

HELLO = ASSIGNMENTS["01_one_hot_hello"]
ESCAPE_ENCODE = """
def encode(words, vocab):
    raise ValueError("\\x1b[2J\\x1b]0;owned\\x07 cleared your screen")
"""


def test_help_imports_neither_nbgrader_nor_torch():
    probe = (
        "import sys\nfrom rnncourse.cli import main\n"
        "try:\n    main(['autograde', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({'torch', 'nbgrader', 'nbconvert'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "--jobs N" in result.stdout and "grade in N shards at once" in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


@pytest.fixture
def bare_course(root, tmp_path):
    """The course's config and sources, with nothing submitted."""
    shutil.copy(root / "nbgrader_config.py", tmp_path)
    shutil.copytree(root / "solutions", tmp_path / "solutions")
    return tmp_path


def test_autograde_of_an_unknown_assignment_names_the_known_ones_and_exits_2(bare_course, capsys):
    assert main(["autograde", "04_nope", "--root", str(bare_course)]) == 2
    error = capsys.readouterr().err
    assert "no assignment named '04_nope'" in error and ", ".join(ASSIGNMENTS) in error


def test_autograde_with_nothing_submitted_says_so_and_exits_1(bare_course, capsys):
    assert main(["autograde", HELLO.name, "--root", str(bare_course)]) == 1
    assert f"nothing submitted for {HELLO.name}" in capsys.readouterr().err


def test_a_folder_without_a_course_config_is_refused(tmp_path, capsys):
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "has no nbgrader_config.py" in capsys.readouterr().err


@pytest.mark.autograde
def test_nbgrader_autograde_logs_each_student_escaped_and_no_known_false_warning(root, tmp_path):
    course = TrialCourse(root, tmp_path / "course", [HELLO])
    course.submit_notebook("alice", HELLO.name, make_submission(HELLO))
    course.submit_notebook("bob", HELLO.name, make_submission(HELLO, {"encode": ESCAPE_ENCODE}))
    log = course.nbgrader("autograde", HELLO.name).stderr
    lines = [line.split("] ", 1)[1] for line in log.splitlines() if "] graded " in line]
    assert lines[0].startswith(f"graded alice {HELLO.name}: {HELLO.points:g}/{HELLO.points:g} in ")
    assert lines[1].startswith(f"graded bob {HELLO.name}: {HELLO.points - 5:g}/{HELLO.points:g} in ")
    assert "3 test(s) failed, first test_encode: AssertionError: encode(" in lines[1]
    assert "\x1b" not in log and "\x07" not in log
    assert "\\x1b[2J" in log  # the learner's message, shown escaped
    assert "'checksum'" not in log and "SAWarning" not in log, log
