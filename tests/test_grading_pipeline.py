"""The instructor's path, end to end, with plain nbgrader commands in a throwaway course."""

import csv
import io
import zipfile

import nbformat
import pytest

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

TIME_MAJOR_ENCODE = """
def encode(words, vocab):
    return np.stack([one_hot([vocab[ch] for ch in word], len(vocab)) for word in words], axis=1)
"""
LAYER_RETURNS_H0 = """
def rnn_layer(x, h0, W_ih, W_hh, b_ih, b_hh):
    h, states = h0, []
    for x_t in x:
        h = rnn_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return torch.stack(states), h0
"""
WARNS = """
import warnings

def rnn_shapes(batch_size, seq_len, input_size, hidden_size, num_layers=1, bidirectional=False, batch_first=False):
    warnings.warn("this only warns", UserWarning)
    d = 2 if bidirectional else 1
    out = (batch_size, seq_len, d * hidden_size) if batch_first else (seq_len, batch_size, d * hidden_size)
    return out, (d * num_layers, batch_size, hidden_size)
"""

HELLO, SCRATCH, TORCH = (ASSIGNMENTS[name] for name in ("01_one_hot_hello", "02_rnn_from_scratch", "03_torch_rnn"))

# student: {assignment: notebook}; erin's work arrives through an LMS download instead.
CLASS = {
    "alice": {a.name: make_submission(a) for a in ASSIGNMENTS.values()},
    "bob": {
        HELLO.name: make_submission(HELLO, {"encode": TIME_MAJOR_ENCODE}),
        SCRATCH.name: make_submission(SCRATCH, {"rnn_layer": LAYER_RETURNS_H0}),
    },
    "carol": {HELLO.name: make_submission(HELLO, blank=True)},
    "dora": {TORCH.name: make_submission(TORCH, {"rnn_shapes": WARNS})},
}
EXPECTED_SCORES = {
    **{("alice", a.name): a.points for a in ASSIGNMENTS.values()},
    ("bob", HELLO.name): HELLO.points - 5,  # encode's two tests and hello_batch fail: 2 + 1 + 2
    ("bob", SCRATCH.name): SCRATCH.points - 3,  # rnn_layer fails
    ("carol", HELLO.name): 0.0,
    ("dora", TORCH.name): TORCH.points,  # a warning on stderr costs nothing
    ("erin", HELLO.name): HELLO.points,
}


@pytest.fixture(scope="module")
def course(root, tmp_path_factory):
    """A course directory graded from start to finish; returns its path."""
    course = TrialCourse(root, tmp_path_factory.mktemp("course"), list(ASSIGNMENTS.values()))
    for student in (*CLASS, "erin"):
        course.nbgrader("db", "student", "add", student, f"--first-name={student.title()}", "--last-name=Test")
    for student, work in CLASS.items():
        for assignment, notebook in work.items():
            course.submit_notebook(student, assignment, notebook)
    archive = course.path / "downloaded" / HELLO.name / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "lms_download.zip", "w") as lms_zip:
        lms_zip.writestr("erin_one_hot_hello.ipynb", nbformat.writes(make_submission(HELLO)))
        uploaded = io.BytesIO()  # an archive erin uploaded, holding a notebook named as frank's
        with zipfile.ZipFile(uploaded, "w") as erins_zip:
            erins_zip.writestr("frank_one_hot_hello.ipynb", nbformat.writes(make_submission(HELLO)))
        lms_zip.writestr("erin_extra.zip", uploaded.getvalue())
    course.nbgrader("zip_collect", HELLO.name)
    for assignment in ASSIGNMENTS:
        course.nbgrader("autograde", assignment)
        course.nbgrader("generate_feedback", assignment)
    course.nbgrader("export")
    return course.path


def test_exported_grades_are_exact(course):
    with open(course / "grades.csv", newline="") as f:
        scores = {(r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(f)}
    nothing_submitted = {key: 0.0 for key in scores if key not in EXPECTED_SCORES}
    assert scores == EXPECTED_SCORES | nothing_submitted
    assert len(scores) == 5 * len(ASSIGNMENTS)


def test_zip_collect_files_a_download_under_its_student_and_nothing_from_a_learners_own_archive(course):
    assert (course / "submitted" / "erin" / "01_one_hot_hello" / "one_hot_hello.ipynb").is_file()
    assert not (course / "submitted" / "frank").exists()


def test_a_failing_visible_test_says_expected_given_and_hint(course):
    graded = nbformat.read(course / "autograded" / "bob" / "01_one_hot_hello" / "one_hot_hello.ipynb", as_version=4)
    (cell,) = [c for c in graded.cells if grade_id(c) == "test_encode"]
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    assert error.evalue == (
        "encode(['hello', 'eolll', 'lleel'], vocab): expected shape (3, 5, 4), got (5, 3, 4). "
        "Hint: did you stack time-major? Stack one (seq, vocab) array per word."
    )


def test_feedback_never_shows_hidden_tests(course, root):
    pages = list((course / "feedback").rglob("*.html"))
    assert len(pages) == len(EXPECTED_SCORES)
    hidden_lines = [line for a in ASSIGNMENTS.values() for line in a.hidden_test_lines()]
    assert hidden_lines
    for page in pages:
        html = page.read_text()
        assert "HIDDEN TESTS" not in html
        leaked = [line for line in hidden_lines if line in html or line.replace('"', "&quot;") in html]
        assert not leaked, f"{page.relative_to(course)} shows hidden test code: {leaked[:2]}"
