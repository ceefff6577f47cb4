"""The graded notebooks: their interface, their generated release, and their validation."""

import ast
import sys

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

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
# What a learner's Jupyter or Colab has besides the standard library: IPython (every kernel), the course's packages.
ALLOWED_IMPORTS = {"numpy", "torch", "matplotlib", "tqdm", "IPython"}


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
    """Besides the standard library; an import tried under ``except ImportError`` is optional."""
    notebook = nbformat.read(assignment.notebook("exercises"), as_version=4)
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        tree = ast.parse(TransformerManager().transform_cell(cell.source))
        optional = {
            id(node)
            for attempt in ast.walk(tree)
            if isinstance(attempt, ast.Try) and any(_catches_import_error(h) for h in attempt.handlers)
            for statement in attempt.body
            for node in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in optional:
                for name in [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]:
                    top = (name or "").split(".")[0]
                    assert top in ALLOWED_IMPORTS | sys.stdlib_module_names, f"{assignment.name} imports {name}"


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(kind, ast.Name) and kind.id in ("ImportError", "ModuleNotFoundError") for kind in kinds)


def test_solutions_pass_every_test_and_blank_exercises_fail_every_test():
    solutions = [str(a.notebook("solutions")) for a in ASSIGNMENTS.values()]
    result = nbgrader("validate", *solutions, cwd=ROOT)
    assert result.stdout.count("Success! Your notebook passes all the tests.") == len(ASSIGNMENTS), result.stdout
    exercises = [str(a.notebook("exercises")) for a in ASSIGNMENTS.values()]
    result = nbgrader("validate", "--invert", *exercises, cwd=ROOT)
    assert result.stdout.count("Success! The notebook does not pass any tests.") == len(ASSIGNMENTS), result.stdout
