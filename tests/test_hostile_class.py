"""A hostile and broken class, autograded with the plain `nbgrader autograde` at the course root.

Every attack below targets assignment 01 (13 points). Each attacker's solutions are blank
unless said otherwise, so an attack that fails scores what an honest blank scores: 0.
Attacks that crash the kernel sit after a correct `build_vocab` (3 points), so the test
also proves that points earned before the crash are kept.
"""

import copy
import csv
import hashlib
import socket
import sqlite3
import subprocess
import threading

import nbformat
import psutil
import pytest

from nbgrader_cli import ENV, BIN
from rnncourse.grading.submissions import make_submission, reference_answers

ASSIGNMENT = "01_one_hot_hello"
HOSTILE_UID = 63000  # the sandbox user of this class alone: other tests grade at the same time
NOTEBOOK = "one_hot_hello.ipynb"
BLANK = make_submission(ASSIGNMENT, blank=True)
CORRECT = make_submission(ASSIGNMENT)
BUILD_VOCAB_ONLY = make_submission(ASSIGNMENT, {name: "raise NotImplementedError()" for name in
                                                reference_answers(ASSIGNMENT) if name != "build_vocab"})


def with_answer(base, grade_id, code):
    notebook = copy.deepcopy(base)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = code
    return notebook


def edit_cells(base, edit):
    notebook = copy.deepcopy(base)
    notebook.cells = edit(notebook.cells)
    return notebook


def is_test(cell):
    return cell.metadata.get("nbgrader", {}).get("grade", False)


def retag(cell):
    cell = copy.deepcopy(cell)
    if is_test(cell):
        cell.metadata.nbgrader.grade_id = "test_" + cell.metadata.nbgrader.grade_id + "_renamed"
    return cell


def hostile_class(course, port):
    """student -> (files in the submission folder, expected score)."""
    solutions = course / "solutions" / ASSIGNMENT / NOTEBOOK
    gradebook = course / "gradebook.db"
    victim = course / "submitted" / "honest" / ASSIGNMENT / NOTEBOOK
    crash_after_vocab = lambda code: with_answer(BUILD_VOCAB_ONLY, "one_hot", code)  # noqa: E731
    return {
        "honest": ({NOTEBOOK: CORRECT}, 13),
        "blank": ({NOTEBOOK: BLANK}, 0),
        "edits_tests": ({NOTEBOOK: edit_cells(BLANK, lambda cells: [
            nbformat.v4.new_code_cell("pass", metadata=c.metadata) if is_test(c) else c for c in cells])}, 0),
        "deletes_tests": ({NOTEBOOK: edit_cells(BLANK, lambda cells: [c for c in cells if not is_test(c)])}, 0),
        "duplicates_tests": ({NOTEBOOK: edit_cells(CORRECT, lambda cells: cells + [c for c in cells if is_test(c)])}, 13),
        "renames_grade_ids": ({NOTEBOOK: edit_cells(BLANK, lambda cells: [retag(c) for c in cells])}, 0),
        "patches_comparisons": ({NOTEBOOK: with_answer(BLANK, "build_vocab", (
            "import builtins, numpy, torch\n"
            "builtins.type = lambda obj: dict\n"
            "numpy.array_equal = numpy.allclose = torch.allclose = lambda *a, **k: True\n"
            "class AlwaysEqual(dict):\n    def __eq__(self, other): return True\n"
            "def build_vocab(words):\n    return AlwaysEqual()\n"))}, 0),
        "always_equal_tensor": ({NOTEBOOK: with_answer(BLANK, "hello_batch", (
            "class Same(torch.Tensor):\n    def __eq__(self, other): return True\n"
            "    def tolist(self): return [[[1, 0, 0, 0]]]\n"
            "def hello_batch():\n    return torch.zeros(3, 5, 4).as_subclass(Same)\n"))}, 0),
        "shadows_numpy": ({NOTEBOOK: CORRECT, "numpy.py": "raise SystemExit('shadowed')\n",
                           "torch.py": "raise SystemExit('shadowed')\n"}, 13),
        "writes_everywhere": ({NOTEBOOK: with_answer(BLANK, "build_vocab", (
            "import pathlib\n"
            f"for target in [{str(gradebook)!r}, {str(solutions)!r}, {str(victim)!r}, '/root/owned', '/tmp/owned']:\n"
            "    try:\n        pathlib.Path(target).write_text('owned')\n"
            "    except OSError as error:\n        print('blocked:', target, error)\n"))}, 0),
        "reads_solutions": ({NOTEBOOK: with_answer(BLANK, "build_vocab", (
            f"try:\n    print(open({str(solutions)!r}).read())\nexcept OSError as error:\n    print('blocked:', error)\n"))}, 0),
        "uses_network": ({NOTEBOOK: with_answer(BLANK, "build_vocab", (
            "import socket\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'stolen')\n"
            "except OSError as error:\n    print('blocked:', error)\n"))}, 0),
        "infinite_loop": ({NOTEBOOK: crash_after_vocab("while True:\n    pass\n")}, 3),
        "unstoppable_loop": ({NOTEBOOK: crash_after_vocab(
            "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except BaseException:\n        pass\n")}, 3),
        "memory_hog": ({NOTEBOOK: crash_after_vocab("hog = [bytearray(10**8) for _ in range(1000)]\n")}, 3),
        "process_flood": ({NOTEBOOK: crash_after_vocab(
            "import subprocess\nchildren = [subprocess.Popen(['sleep', '600']) for _ in range(500)]\n")}, 3),
        "exits": ({NOTEBOOK: crash_after_vocab("import os\nos._exit(0)\n")}, 3),
        "kills_parent": ({NOTEBOOK: crash_after_vocab("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n")}, 3),
        "huge_output": ({NOTEBOOK: crash_after_vocab("print('x' * 10**8)\nfor _ in range(10**5):\n    print('y' * 100)\n")}, 3),
        "invalid_json": ({NOTEBOOK: "{ this is not a notebook"}, 0),
        "renamed_notebook": ({"my_homework.ipynb": CORRECT}, 0),
    }


def tree_digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(root, tmp_path_factory):
    course = tmp_path_factory.mktemp("hostile")
    subprocess.run(["cp", "-r", str(root / "nbgrader_config.py"), str(root / "solutions"), str(course)], check=True)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    connections, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connections.append(listener.accept())
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    students = hostile_class(course, listener.getsockname()[1])

    def nbgrader(*args, timeout=900):
        return subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=ENV, capture_output=True,
                              text=True, timeout=timeout)

    assert nbgrader("generate_assignment", ASSIGNMENT, "--force").returncode == 0
    for student, (files, _) in students.items():
        assert nbgrader("db", "student", "add", student).returncode == 0
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, content in files.items():
            text = content if isinstance(content, str) else nbformat.writes(content)
            (folder / name).write_text(text)
    before = {"solutions": tree_digest(course / "solutions"), "submitted": tree_digest(course / "submitted")}
    result = nbgrader("autograde", ASSIGNMENT, "--Execute.timeout=10",
                      f"--SealedExecute.sandbox_uid={HOSTILE_UID}")
    stop.set()
    listener.close()
    survivors = [p.info for p in psutil.process_iter(["pid", "uids", "cmdline"]) if p.info["uids"].real == HOSTILE_UID]
    assert nbgrader("export").returncode == 0
    with sqlite3.connect(course / "gradebook.db") as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    with open(course / "grades.csv", newline="") as f:
        scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    return {"course": course, "students": students, "result": result, "before": before, "scores": scores,
            "connections": connections, "survivors": survivors, "integrity": integrity}


def test_every_student_gets_the_exact_score(graded):
    expected = {student: float(score) for student, (_, score) in graded["students"].items()}
    assert graded["scores"] == expected


def test_no_attacker_beats_an_honest_blank(graded):
    blank = graded["scores"]["blank"]
    for student, score in graded["scores"].items():
        if student not in ("honest", "duplicates_tests", "shadows_numpy") and graded["students"][student][1] == 0:
            assert score <= blank, student


def test_course_files_are_untouched(graded):
    course = graded["course"]
    assert tree_digest(course / "solutions") == graded["before"]["solutions"]
    assert tree_digest(course / "submitted") == graded["before"]["submitted"]
    assert graded["integrity"] == "ok"
    assert not (course.parent / "owned").exists()


def test_no_network_connection_left_the_sandbox(graded):
    assert graded["connections"] == []


def test_no_submission_process_survives(graded):
    assert graded["survivors"] == []


def test_broken_notebooks_fail_alone_with_a_reason(graded):
    log = graded["result"].stdout + graded["result"].stderr
    assert "invalid_json" in log
    assert "renamed_notebook" in log or "my_homework" in log


def outputs_by_grade_id(graded, student):
    path = graded["course"] / "autograded" / student / ASSIGNMENT / NOTEBOOK
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c.get("outputs", [])
            for c in nbformat.read(path, as_version=4).cells}


def test_a_timed_out_cell_is_interrupted_and_the_notebook_goes_on(graded):
    outputs = outputs_by_grade_id(graded, "infinite_loop")
    assert [o.ename for o in outputs["one_hot"] if o.output_type == "error"][0] == "KeyboardInterrupt"
    assert [o.ename for o in outputs["test_decode"] if o.output_type == "error"] == ["NameError"]


def test_a_dead_kernel_marks_the_rest_not_run(graded):
    outputs = outputs_by_grade_id(graded, "exits")
    assert [o.ename for o in outputs["one_hot"] if o.output_type == "error"] == ["KernelStopped"]
    assert [o.ename for o in outputs["test_hello_batch"] if o.output_type == "error"] == ["NotRun"]


def test_stray_module_files_are_not_copied_for_grading(graded):
    folder = graded["course"] / "autograded" / "shadows_numpy" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [NOTEBOOK]


def test_huge_output_is_cut(graded):
    path = graded["course"] / "autograded" / "huge_output" / ASSIGNMENT / NOTEBOOK
    assert path.stat().st_size < 3_000_000
