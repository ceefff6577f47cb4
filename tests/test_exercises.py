"""The graded notebooks: their interface, their generated release, and their validation."""

import nbformat
import pytest

from conftest import ASSIGNMENTS, ROOT
from rnncourse.nbgrader_command import nbgrader
from rnncourse.release import book_problems, release_problems, source_problems

# The names learners write, in order: a renamed or dropped graded name breaks released work.
# A new assignment adds nothing here.
RELEASED_INTERFACE = {
    "01_one_hot_hello": ["build_vocab", "one_hot", "encode", "decode", "hello_batch"],
    "02_rnn_from_scratch": ["rnn_cell", "rnn_layer", "ScratchRNN", "count_parameters"],
    "03_torch_rnn": [
        "rnn_shapes",
        "sine_sequence",
        "pick_device",
        "run_rnn",
        "SequenceClassifier",
        "CharRNN",
        "train_hihello",
    ],
    "04_char_model": [
        "encode_text",
        "bptt_batches",
        "CharModel",
        "train_epoch",
        "perplexity",
        "sample",
        "train_char_model",
    ],
}
# What a learner's own Jupyter or Colab has: the standard library's few, IPython (every kernel), the course's three.
ALLOWED_IMPORTS = {"math", "numpy", "torch", "matplotlib", "tqdm", "itertools", "random", "ast", "functools", "IPython"}


@pytest.mark.parametrize("name", RELEASED_INTERFACE)
def test_a_released_assignment_keeps_its_graded_names(name):
    assert name in ASSIGNMENTS, f"{name} was released to learners: keep its folder in solutions/"
    assert ASSIGNMENTS[name].graded_names == RELEASED_INTERFACE[name]


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=ASSIGNMENTS)
def test_each_graded_name_has_a_docstring_and_locked_tests(assignment):
    assert source_problems(assignment) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=ASSIGNMENTS)
def test_each_notebook_is_worth_at_least_ten_points(assignment):
    assert assignment.points >= 10


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=ASSIGNMENTS)
def test_exercises_are_exactly_what_nbgrader_generates_and_hold_no_solution(assignment):
    assert release_problems(assignment) == []


def test_every_assignment_has_its_book_page_and_table_of_contents_line():
    assert book_problems(ROOT) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=ASSIGNMENTS)
def test_released_notebooks_need_only_torch_numpy_matplotlib(assignment):
    notebook = nbformat.read(assignment.notebook("exercises"), as_version=4)
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        for line in cell.source.splitlines():
            words = line.strip().split()
            if words[:1] in (["import"], ["from"]):
                assert words[1].split(".")[0] in ALLOWED_IMPORTS, f"{assignment.name} imports {words[1]}"


def test_solutions_pass_every_test_and_blank_exercises_fail_every_test():
    solutions = [str(a.notebook("solutions")) for a in ASSIGNMENTS.values()]
    result = nbgrader("validate", *solutions, cwd=ROOT)
    assert result.stdout.count("Success! Your notebook passes all the tests.") == len(ASSIGNMENTS), result.stdout
    exercises = [str(a.notebook("exercises")) for a in ASSIGNMENTS.values()]
    result = nbgrader("validate", "--invert", *exercises, cwd=ROOT)
    assert result.stdout.count("Success! The notebook does not pass any tests.") == len(ASSIGNMENTS), result.stdout
