"""What a learner sees in their own Jupyter: each failing test as one line, and a last cell with the score so far."""

import re
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.utils import is_grade

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.trial import make_submission
from rnncourse.score_cell import SOURCE
from test_grading_pipeline import TIME_MAJOR_ENCODE

HELLO = ASSIGNMENTS["01_one_hot_hello"]


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=list(ASSIGNMENTS))
def test_every_notebook_ends_with_the_score_cell_outside_grading(assignment, folder):
    last = assignment.cells(folder)[-1]
    assert (last.cell_type, last.source) == ("code", SOURCE)
    assert "nbgrader" not in last.metadata, "an ordinary cell: grading reads it for definitions and never runs it"


def run_through_nbconvert(notebook, folder, assignment=HELLO):
    """Execute ``notebook`` as nbconvert does, errors and all; return the executed notebook."""
    path = folder / assignment.notebook("exercises").name
    nbformat.write(notebook, path)
    nbconvert = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--inplace"]
    subprocess.run([*nbconvert, str(path)], check=True, capture_output=True, cwd=folder, timeout=600)
    return nbformat.read(path, as_version=4)


def text_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_the_score_table_names_each_graded_name_with_its_points_and_first_failure(tmp_path):
    broken = make_submission(HELLO, {"encode": TIME_MAJOR_ENCODE})
    blank_decode = make_submission(HELLO, blank=True).cells
    for i, cell in enumerate(broken.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "decode":
            broken.cells[i] = blank_decode[i]
    executed = run_through_nbconvert(broken, tmp_path)
    table = text_of(executed.cells[-1]).splitlines()
    rows = {line.split()[0]: line.split(maxsplit=2)[1:] for line in table[3:-2]}
    assert list(rows) == HELLO.graded_names
    assert rows["build_vocab"] == ["3/3", "passed"]
    assert rows["one_hot"] == ["3/3", "passed"]
    assert rows["encode"][0] == "0/3" and rows["encode"][1].startswith(
        "test_encode: encode(['hello', 'eolll', 'lleel'], vocab): expected shape (3, 5, 4), got (5, 3, 4). Hint:"
    )
    assert rows["decode"][0] == "0/2" and "not written yet" in rows["decode"][1]
    assert rows["hello_batch"][0] == "0/2" and rows["hello_batch"][1].startswith("test_hello_batch: hello_batch()")
    assert table[0] == f"Visible tests: 6 of {HELLO.points:g} points so far."
    assert table[-1].startswith("The grader also runs hidden tests")


def test_a_finished_notebook_scores_every_visible_point_and_its_try_it_cell_runs(tmp_path):
    executed = run_through_nbconvert(make_submission(HELLO), tmp_path)
    total = f"{HELLO.points:g}"
    assert text_of(executed.cells[-1]).splitlines()[0] == f"Visible tests: {total} of {total} points so far."
    (try_it,) = [c for c in executed.cells if c.get("id") == "try-it-code"]
    assert text_of(try_it).startswith("torch.Size([3, 5, 2]) torch.Size([1, 3, 2])")


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=list(ASSIGNMENTS))
def test_a_failing_visible_test_shows_its_line_and_no_frame_of_course_code(assignment, tmp_path):
    blank = nbformat.read(assignment.notebook("exercises"), as_version=4)
    blank.cells.append(nbformat.v4.new_code_cell('assert 1 + 1 == 3, "my own check"', id="own-check"))
    executed = run_through_nbconvert(blank, tmp_path, assignment)
    tests = [c for c in executed.cells if is_grade(c)]
    assert tests
    for test in tests:
        (error,) = [o for o in test.outputs if o.output_type == "error"]
        assert error.traceback == [f"AssertionError: {error.evalue}"] and " Hint: " in error.evalue, (
            grade_id(test),
            error,
        )
    (own,) = executed.cells[-1].outputs  # the learner's own assertion keeps its traceback: it is theirs to read
    plain = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(own.traceback))
    assert own.evalue == "my own check" and "----> 1 assert 1 + 1 == 3" in plain
    (helpers,) = [c for c in executed.cells if grade_id(c) == "test_helpers"]
    assert helpers.metadata.jupyter.source_hidden and helpers.metadata.cellView == "form"  # Jupyter and Colab
    assert helpers.source.startswith("# @title ")


COLAB_MESSAGE = '''
import json, os


def blocking_request(kind, timeout_sec=None):
    """As Colab's front end answers: the notebook it holds, never a file in the kernel's folder."""
    assert kind == "get_ipynb"
    with open(os.environ["HELD_NOTEBOOK"], encoding="utf-8") as f:
        return {"ipynb": json.load(f)}
'''


def test_in_colab_the_score_cell_reads_the_notebook_the_front_end_holds(tmp_path, monkeypatch):
    colab = tmp_path / "stand-in" / "google" / "colab"
    colab.mkdir(parents=True)
    (colab / "_message.py").write_text(COLAB_MESSAGE)
    held = tmp_path / "held.ipynb"
    nbformat.write(make_submission(HELLO), held)
    kernel_folder = tmp_path / "content"  # where Colab's kernel runs: no notebook file in it
    kernel_folder.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "stand-in"))
    monkeypatch.setenv("HELD_NOTEBOOK", str(held))
    notebook = nbformat.read(held, as_version=4)
    NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(kernel_folder)}}).execute()
    total = f"{HELLO.points:g}"
    assert text_of(notebook.cells[-1]).splitlines()[0] == f"Visible tests: {total} of {total} points so far."
