"""The graded notebooks: interface, generated release, validation."""

import json

import nbformat
import pytest

from nbgrader_cli import nbgrader
from rnncourse.grading.submissions import ASSIGNMENTS, grade_id, notebook_path

INTERFACE = {
    "01_one_hot_hello": ["build_vocab", "one_hot", "encode", "decode", "hello_batch"],
    "02_rnn_from_scratch": ["rnn_cell", "rnn_layer", "ScratchRNN", "count_parameters"],
    "03_torch_rnn": ["rnn_shapes", "sine_sequence", "pick_device", "run_rnn",
                     "SequenceClassifier", "CharRNN", "train_hihello"],
}
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION")


def nbgrader_cells(assignment, folder="solutions"):
    notebook = nbformat.read(notebook_path(folder, assignment), as_version=4)
    return [cell for cell in notebook.cells if "nbgrader" in cell.metadata]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_graded_name_has_its_solution_cell_and_tests(assignment):
    cells = nbgrader_cells(assignment)
    solutions = [grade_id(c) for c in cells if c.metadata["nbgrader"].get("solution")]
    tests = [grade_id(c) for c in cells if c.metadata["nbgrader"].get("grade")]
    assert solutions == INTERFACE[assignment]
    for name in INTERFACE[assignment]:
        assert any(t == f"test_{name}" or t.startswith(f"test_{name}_") for t in tests), f"no test cell for {name}"
    for cell in cells:
        if cell.metadata["nbgrader"].get("grade"):
            assert cell.metadata["nbgrader"]["locked"], f"{grade_id(cell)} must be locked"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_notebook_is_worth_at_least_ten_points(assignment):
    points = sum(c.metadata["nbgrader"].get("points", 0) for c in nbgrader_cells(assignment))
    assert points >= 10


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_are_exactly_what_nbgrader_generates(assignment, root, tmp_path):
    nbgrader("generate_assignment", assignment, "--no-db", "--force",
             f"--CourseDirectory.release_directory={tmp_path}", cwd=root)
    (generated_path,) = (tmp_path / assignment).glob("*.ipynb")
    generated = json.loads(generated_path.read_text())
    released = json.loads(notebook_path("exercises", assignment).read_text())
    assert generated == released, (
        f"exercises/{assignment} is out of date: run `nbgrader generate_assignment {assignment} --force --no-db`"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebooks_hold_no_solution_or_hidden_test(assignment):
    text = notebook_path("exercises", assignment).read_text()
    for marker in HIDDEN_MARKERS:
        assert marker not in text
    assert text.count("raise NotImplementedError()") >= len(INTERFACE[assignment])


def test_released_notebooks_need_only_torch_numpy_matplotlib():
    allowed = {"math", "numpy", "torch", "matplotlib", "tqdm", "itertools", "random", "ast", "functools"}
    for assignment in ASSIGNMENTS:
        notebook = nbformat.read(notebook_path("exercises", assignment), as_version=4)
        for cell in (c for c in notebook.cells if c.cell_type == "code"):
            for line in cell.source.splitlines():
                words = line.strip().split()
                if words[:1] in (["import"], ["from"]):
                    assert words[1].split(".")[0] in allowed, f"{assignment} imports {words[1]}"


def test_solutions_pass_every_test_and_blank_exercises_fail_every_test(root):
    solutions = [str(notebook_path("solutions", a)) for a in ASSIGNMENTS]
    result = nbgrader("validate", *solutions, cwd=root)
    assert result.stdout.count("Success! Your notebook passes all the tests.") == len(ASSIGNMENTS), result.stdout
    exercises = [str(notebook_path("exercises", a)) for a in ASSIGNMENTS]
    result = nbgrader("validate", "--invert", *exercises, cwd=root)
    assert result.stdout.count("Success! The notebook does not pass any tests.") == len(ASSIGNMENTS), result.stdout
