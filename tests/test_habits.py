"""Honest habits cost nothing: correct notebooks with the extra cells learners write score in full.

What is graded is the code behind each name; the rest of a notebook is the learner's workbench.
Every assignment's reference answers are submitted with the cells the chapters invite and
learners add on their own (magics, shell lines, imports, prints, plots, timing, errors while
exploring, a cell run twice, cells out of order, names rebound after their tests), and each
notebook must score exactly what the reference scores, graded with the plain `nbgrader autograde`.
"""

from __future__ import annotations

import nbformat
import pytest
from nbgrader.utils import is_grade, is_solution

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

HABIT_UID = 62600  # sandbox users from here down: other tests grade at the same time
WORKBENCH = [  # cells a learner adds between the tasks; none of them defines a graded name
    "%time total = sum(range(10))",
    "%timeit -n 1 -r 1 sum(range(10))",
    "%%time\nfor _ in range(3):\n    pass",
    "!echo exploring",
    "files = !ls\nprint(files[:3])",
    "import sys\nprint(sys.version)",
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()",
    "%load_ext autoreload\n%autoreload 2",
    "%%capture\nprint('quiet')",
    "%who",
    "len?",
    "%pip --version",
    "import time\nstart = time.perf_counter()\nprint(f'{time.perf_counter() - start:.3f} s')",
    "import gc, inspect\ngc.collect()\nprint(inspect.signature(print))",
    "getattr(__builtins__, 'print')('a dynamic lookup, outside any graded name')",
    "1 / 0  # an error while exploring",
    "%%bash\necho a shell cell",
]


def learner_answers(assignment) -> list[tuple[str, str]]:
    """(grade_id, reference answer) of each solution cell, in notebook order."""
    answers = assignment.reference_answers()
    cells = [c for c in nbformat.read(assignment.notebook("exercises"), as_version=4).cells if is_solution(c)]
    return [(grade_id(c), answers[grade_id(c)]) for c in cells]


def indent(code: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else line for line in code.splitlines())


def with_cells(assignment, after: dict[str, list[str]], answers: dict[str, str] | None = None, end=(), first=()):
    """The reference submission, with new code cells first, after the named cells and at the end."""
    notebook = make_submission(assignment, answers)
    notebook.cells[:0] = [nbformat.v4.new_code_cell(s) for s in first]
    for anchor, sources in after.items():
        (index,) = [i for i, cell in enumerate(notebook.cells) if grade_id(cell) == anchor]
        notebook.cells[index + 1 : index + 1] = [nbformat.v4.new_code_cell(s) for s in sources]
    notebook.cells += [nbformat.v4.new_code_cell(s) for s in end]
    return notebook


def habits(assignment) -> dict[str, nbformat.NotebookNode]:
    answers = learner_answers(assignment)
    names = [name for name, _ in answers]
    ruled = {grade_id(c) for c in assignment.cells() if "allow" in c.metadata.get("rnncourse", {})}
    tests = [grade_id(c) for c in assignment.cells() if is_grade(c)]
    return {
        "workbench_after_every_task": with_cells(assignment, {name: WORKBENCH for name in names}),
        "workbench_after_every_test": with_cells(assignment, {test: WORKBENCH[:6] for test in tests}),
        "answers_inside_magics": make_submission(
            assignment,
            {name: f"%%time\n{code}" if k % 2 else f"%%capture\n{code}" for k, (name, code) in enumerate(answers)},
        ),
        "each_answer_run_twice": with_cells(assignment, {name: [code] for name, code in answers}),
        "answers_then_exploration": make_submission(
            assignment, {name: f"{code}\nprint('trying it')\n{name}\n" for name, code in answers}
        ),
        "answers_inside_if_and_try_blocks": make_submission(
            assignment,
            {
                name: f"if True:\n{indent(code)}" if k % 2 else f"try:\n{indent(code)}\nexcept ImportError:\n    pass"
                for k, (name, code) in enumerate(answers)
            },
        ),
        "future_annotations_first": with_cells(assignment, {}, first=["from __future__ import annotations"]),
        # A rebinding that failed while exploring leaves the value before it, as in Jupyter (names without a rule).
        "a_failed_rebinding_after_each_answer": with_cells(
            assignment, {name: [f"{name} = {name}_draft  # a NameError"] for name in names if name not in ruled}
        ),
        # Every graded name rebound at the end: those cells run after every test, in the notebook too.
        "names_rebound_after_the_tests": with_cells(assignment, {}, end=[f"{name} = None" for name in names]),
    }


@pytest.fixture(scope="module", params=list(ASSIGNMENTS), ids=str)
def graded(request, root, tmp_path_factory):
    assignment = ASSIGNMENTS[request.param]
    students = habits(assignment)
    course = TrialCourse(root, tmp_path_factory.mktemp(assignment.name), [assignment])
    for student, notebook in students.items():
        course.submit_notebook(student, assignment.name, notebook)
    course.nbgrader("autograde", assignment.name, f"--SealedExecute.sandbox_uid={HABIT_UID}")
    return assignment, course, students


def test_every_honest_habit_scores_exactly_the_reference(graded):
    assignment, course, students = graded
    scores = {student: score for (student, _), score in course.scores().items()}
    assert scores == dict.fromkeys(students, float(assignment.points))
