"""Learner answers in many styles, graded with plain nbgrader in a throwaway course.

tests/corpus/<assignment>/<name>.py holds answers for one graded name, each under a
``# correct: ...`` or ``# mistake: ...`` line. Correct answers must earn every point of
their name; mistakes must lose points there, and their first failing test must explain
itself in one line: what was expected, what the code gave, and a hint. A mistake whose
next line is ``# says: TEXT`` must have TEXT in that line.
"""

import ast
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

CORPUS = Path(__file__).parent / "corpus"
CORPUS_ASSIGNMENTS = sorted(folder.name for folder in CORPUS.iterdir() if folder.is_dir())
SECTION = re.compile(r"^# (correct|mistake): (.+)$", re.MULTILINE)
SAYS = re.compile(r"# says: (.+)")
# Seconds a cell may run when grading an assignment whose corpus holds endless loops (the default is 120).
CELL_SECONDS = {"01_one_hot_hello": 30}
# How a failing test's line says what the code gave (a hidden test's line never quotes it).
GAVE = (", got ", "; your code raised ", "; what your code gave is not shown for hidden tests")


@dataclass(frozen=True)
class Answer:
    assignment: str
    name: str
    correct: bool
    title: str
    code: str
    says: str = ""

    def __str__(self):
        return f"{self.name}: {'correct' if self.correct else 'mistake'}: {self.title}"


def read_corpus(assignment: str) -> list[Answer]:
    answers = []
    for path in sorted((CORPUS / assignment).glob("*.py")):
        parts = SECTION.split(path.read_text())
        for kind, title, code in zip(parts[1::3], parts[2::3], parts[3::3]):
            says = SAYS.match(code.strip())
            correct, says = kind == "correct", says[1] if says else ""
            answers.append(Answer(assignment, path.stem, correct, title.strip(), code.strip() + "\n", says))
    return answers


@cache
def uses(code: str) -> frozenset[str]:
    """Every name the code reads (calls to other graded names among them)."""
    return frozenset(node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name))


@cache
def names_tested_with(assignment: str, name: str) -> frozenset[str]:
    """The other graded names that the tests of ``name`` call (a test may build its model with one)."""
    graded = ASSIGNMENTS[assignment]
    tests = [c.source for c in graded.cells() if c.cell_type == "code" and belongs_to(name, grade_id(c) or "")]
    return frozenset().union(*map(uses, tests)) & set(graded.graded_names) - {name}


def relies_on(answer: Answer, notebook: dict[str, Answer], references: dict[str, str]) -> set[str]:
    """The graded names answer's code or tests reach, directly or through the code that fills their cells."""
    reached = set(names_tested_with(answer.assignment, answer.name))
    todo = [answer.name, *reached]
    while todo:
        name = todo.pop()
        code = notebook[name].code if name in notebook else references[name]
        for used in uses(code) & references.keys() - reached - {answer.name}:
            reached.add(used)
            todo.append(used)
    return reached


def fits(answer: Answer, notebook: dict[str, Answer], references: dict[str, str]) -> bool:
    """Whether answer can join the notebook: a free cell, and no answer there relying on a mistake."""
    if answer.name in notebook:
        return False
    trial = notebook | {answer.name: answer}
    return all(
        trial[name].correct for other in trial.values() for name in relies_on(other, trial, references) if name in trial
    )


def first_fit(answers: list[Answer], references: dict[str, str]) -> list[dict[str, Answer]]:
    """Each answer in the first notebook it fits, or a new one; empty cells get the reference answer."""
    notebooks: list[dict[str, Answer]] = []
    for answer in answers:
        notebook = next((n for n in notebooks if fits(answer, n, references)), None)
        if notebook is None:
            notebook = {}
            notebooks.append(notebook)
        notebook[answer.name] = answer
    return notebooks


def pack(answers: list[Answer], references: dict[str, str], tries: int = 50) -> list[dict[str, Answer]]:
    """The answers in few notebooks (grading costs seconds per notebook): the best of a few fixed orders."""
    orders = [random.Random(seed).sample(answers, len(answers)) for seed in range(tries)]
    return min((first_fit(order, references) for order in orders), key=len)


def belongs_to(name: str, test_id: str) -> bool:
    return test_id == f"test_{name}" or test_id.startswith(f"test_{name}_")


ANSWERS = [answer for assignment in CORPUS_ASSIGNMENTS for answer in read_corpus(assignment)]


def learner(index: int) -> str:
    return f"learner{index:02d}"


@pytest.fixture(scope="module")
def graded(root, tmp_path_factory):
    """{answer: (points earned on its name, points possible, error outputs of its name's failing tests)}."""
    notebooks_of = {
        name: pack([a for a in ANSWERS if a.assignment == name], ASSIGNMENTS[name].reference_answers())
        for name in CORPUS_ASSIGNMENTS
    }
    course = TrialCourse(root, tmp_path_factory.mktemp("corpus"), [ASSIGNMENTS[name] for name in CORPUS_ASSIGNMENTS])
    for assignment, notebooks in notebooks_of.items():
        for index, answers in enumerate(notebooks):
            notebook = make_submission(ASSIGNMENTS[assignment], {name: answer.code for name, answer in answers.items()})
            # The closing demo cell trains the model again and grades nothing: these learners deleted it.
            notebook.cells = [c for c in notebook.cells if c.cell_type == "markdown" or "nbgrader" in c.metadata]
            course.submit_notebook(learner(index), assignment, notebook)
        limit = [f"--SealedExecute.cell_timeout={CELL_SECONDS[assignment]}"] if assignment in CELL_SECONDS else []
        course.nbgrader("autograde", assignment, *limit)

    results = {}
    with Gradebook(f"sqlite:///{course.path / 'gradebook.db'}") as gradebook:
        for assignment, notebooks in notebooks_of.items():
            name = ASSIGNMENTS[assignment].notebook("exercises").stem
            for index, answers in enumerate(notebooks):
                grades = gradebook.find_submission_notebook(name, assignment, learner(index)).grades
                autograded = course.graded_notebook(learner(index), assignment)
                errors = {
                    grade_id(c): [o for o in c.outputs if o.output_type == "error"]
                    for c in autograded.cells
                    if c.cell_type == "code" and grade_id(c)
                }
                for answer in answers.values():
                    mine = [g for g in grades if belongs_to(answer.name, g.name)]
                    results[answer] = (
                        sum(g.score for g in mine),
                        sum(g.max_score for g in mine),
                        [output for g in mine for output in errors.get(g.name, [])],
                    )
    return results


def test_the_corpus_covers_the_course_assignments():
    assert set(CORPUS_ASSIGNMENTS) <= set(ASSIGNMENTS)
    assert {"01_one_hot_hello", "02_rnn_from_scratch", "03_torch_rnn"} <= set(CORPUS_ASSIGNMENTS)


@pytest.mark.parametrize("assignment", CORPUS_ASSIGNMENTS)
def test_the_corpus_holds_two_correct_answers_and_three_mistakes_for_every_graded_name(assignment):
    for name in ASSIGNMENTS[assignment].graded_names:
        answers = [a for a in ANSWERS if a.assignment == assignment and a.name == name]
        assert sum(a.correct for a in answers) >= 2, f"{name}: fewer than two correct answers"
        assert sum(not a.correct for a in answers) >= 3, f"{name}: fewer than three mistakes"


@pytest.mark.parametrize("answer", [a for a in ANSWERS if a.correct], ids=str)
def test_a_correct_answer_in_another_style_earns_every_point(answer, graded):
    earned, possible, errors = graded[answer]
    assert possible > 0
    assert earned == possible, [f"{e.ename}: {e.evalue}" for e in errors]


@pytest.mark.parametrize("answer", [a for a in ANSWERS if not a.correct], ids=str)
def test_a_mistake_loses_points_and_says_why_in_one_line(answer, graded):
    earned, possible, errors = graded[answer]
    assert earned < possible
    first = errors[0]
    assert first.ename in ("AssertionError", "RuleError"), f"{first.ename}: {first.evalue}"
    assert "\n" not in first.evalue
    if first.ename == "RuleError":  # the grader's one line on code outside the task's allowlist
        assert first.evalue.startswith("the code behind ") and ". Hint: " in first.evalue, first.evalue
    else:
        assert ": expected " in first.evalue and ". Hint: " in first.evalue, first.evalue
        assert any(part in first.evalue for part in GAVE), first.evalue
    assert answer.says in first.evalue, first.evalue
