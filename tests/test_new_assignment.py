"""A new assignment is three files: its solution notebook, its book page and its line in _toc.yml.

Everything else (the release, the checks, the graded names and points, grading) follows from
the registry in rnncourse.assignments, as this throwaway fourth assignment shows.
"""

import shutil

import nbformat
import pytest

from conftest import ASSIGNMENTS
from course import tree_digest
from rnncourse.assignments import by_name
from rnncourse.cli import main
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

NAME = "04_running_sum"
AUTHORED = [f"solutions/{NAME}/running_sum.ipynb", f"book/exercises/{NAME}.md", "_toc.yml"]
SOLUTION = '''def running_sum(x):
    """The sum of every step so far.

    x: (T, B)
    returns: (T, B), row t holds x[0] + ... + x[t]
    """
    ### BEGIN SOLUTION
    return x.cumsum(0)
    ### END SOLUTION
'''
TESTS = """x = torch.arange(6.0).reshape(3, 2)
assert torch.equal(running_sum(x), torch.tensor([[0.0, 1.0], [2.0, 4.0], [6.0, 9.0]])), "running_sum: wrong sums"
### BEGIN HIDDEN TESTS
assert running_sum(torch.ones(5, 1))[-1].item() == 5.0, "running_sum: the last row is the total"
### END HIDDEN TESTS
"""


def nbgrader_cell(cell, grade_id, *, solution=False, grade=False, points=0):
    cell.metadata["nbgrader"] = {
        "grade_id": grade_id,
        "solution": solution,
        "grade": grade,
        "locked": not solution,
        "schema_version": 3,
        "points": points,
    }
    return cell


def new_assignment(course):
    """Write the three files an author writes, the way an author would."""
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Running sums\n\nAdd up a sequence step by step."),
        nbgrader_cell(nbformat.v4.new_code_cell("import torch"), "setup"),
        nbgrader_cell(nbformat.v4.new_code_cell(SOLUTION), "running_sum", solution=True),
        nbgrader_cell(nbformat.v4.new_code_cell(TESTS), "test_running_sum", grade=True, points=2),
    ]
    (course / "solutions" / NAME).mkdir()
    nbformat.write(notebook, course / AUTHORED[0])
    (course / AUTHORED[1]).write_text(
        "# Exercise 4: running sums\n\n- **Points**: 2\n- **Time**: about 10 minutes\n"
        f"- **Hand in**: `running_sum.ipynb`, under exactly that name\n\n```{{exercise-links}} {NAME}\n```\n\n"
        "## Tasks\n\n1. `running_sum(x)`: the sums of a sequence, step by step.\n"
    )
    toc = (course / "_toc.yml").read_text()
    last = f"          - file: book/exercises/{list(ASSIGNMENTS)[-1]}\n"
    (course / "_toc.yml").write_text(toc.replace(last, last + f"          - file: book/exercises/{NAME}\n"))


@pytest.fixture
def course(root, tmp_path):
    """A copy of the course's sources, releases, book pages and configuration."""
    course = tmp_path / "course"
    for name in ["solutions", "exercises", "book"]:
        shutil.copytree(root / name, course / name)
    for name in ["_toc.yml", "_config.yml", "nbgrader_config.py"]:
        shutil.copy(root / name, course / name)
    return course


def test_a_new_assignment_takes_three_files_and_one_command(course, tmp_path, capsys):
    before = tree_digest(course)
    new_assignment(course)
    assert main(["check", "--root", str(course)]) == 1
    assert f"{NAME}: exercises/{NAME} does not hold exactly one notebook" in capsys.readouterr().out

    assert main(["exercises", "--root", str(course)]) == 0
    assert main(["check", "--root", str(course)]) == 0, capsys.readouterr().out
    after = tree_digest(course)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed == {*AUTHORED, f"exercises/{NAME}/running_sum.ipynb"}

    assignment = by_name(course)[NAME]
    assert (assignment.graded_names, assignment.points) == (["running_sum"], 2)
    graded = TrialCourse(course, tmp_path / "graded", [assignment])
    graded.submit_notebook("alice", NAME, make_submission(assignment))
    graded.submit_notebook("bob", NAME, make_submission(assignment, blank=True))
    graded.nbgrader("autograde", NAME)
    assert graded.scores() == {("alice", NAME): 2.0, ("bob", NAME): 0.0}


def test_check_names_each_missing_piece(course, capsys):
    new_assignment(course)
    main(["exercises", "--root", str(course)])
    (course / AUTHORED[1]).unlink()
    (course / "_toc.yml").write_text(
        (course / "_toc.yml").read_text().replace(f"          - file: book/exercises/{NAME}\n", "")
    )
    assert main(["check", "--root", str(course)]) == 1
    out = capsys.readouterr().out
    assert f"{NAME}: no book page book/exercises/{NAME}.md" in out
    assert f"{NAME}: _toc.yml does not list book/exercises/{NAME}" in out
