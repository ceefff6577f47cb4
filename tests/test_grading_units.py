"""Each grading component on its own, in process, on small notebooks (nbgrader's own style)."""

from __future__ import annotations

import errno
import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from rnncourse.assignments import grade_id
from rnncourse.grading import limits, remote, seccomp, wire
from rnncourse.grading import sandbox as sandbox_module
from rnncourse.grading import sealed as sealed_module
from rnncourse.grading.cells import RepairGradedCells
from rnncourse.grading.feedback import RedactFeedback
from rnncourse.grading.intake import MAX_FILE_BYTES, take_in
from rnncourse.grading.remote import LearnerError, LearnerObject, Session, make_error
from rnncourse.grading.sandbox import PACKAGE_DIR, Limits, Sandbox, bwrap_command
from rnncourse.grading.sealed import SealedExecute, defined_names, role


def round_trip(value):
    handles = []
    body = wire.dumps({"ok": wire.encode(value, lambda obj: handles.append(obj) or {"id": len(handles), "type": "X"})})
    return wire.decode_reply(body, lambda number, name: ("handle", number, name), make_error)[1]


# ---------------------------------------------------------------- wire


def test_plain_data_arrives_as_equal_plain_copies():
    value = {
        "a": [1, 2.5, None, True],
        3: ("x", b"raw", complex(1, 2)),
        "nan": float("inf"),
        "size": torch.Size([2, 3]),
        "device": torch.device("cpu"),
        "dtype": torch.float64,
    }
    assert round_trip(value) == value
    assert type(round_trip({"t": (1,)})["t"]) is tuple


def test_tensors_and_arrays_arrive_as_copies_with_dtype_shape_device_and_grad_flag():
    tensor = (torch.arange(6, dtype=torch.float64).reshape(2, 3) * 2).requires_grad_()
    got = round_trip(
        [
            tensor,
            torch.ones(2, dtype=torch.bfloat16),
            torch.empty(4, 5, device="meta"),
            np.arange(4, dtype=np.int32).reshape(2, 2),
            np.float32(1.5),
        ]
    )
    assert torch.equal(got[0].detach(), tensor.detach()) and got[0].requires_grad and got[0].grad_fn is None
    assert got[1].dtype == torch.bfloat16 and got[1].tolist() == [1.0, 1.0]
    assert got[2].device.type == "meta" and got[2].shape == (4, 5)
    assert got[3].dtype == np.int32 and got[3].tolist() == [[0, 1], [2, 3]]
    assert type(got[4]) is np.float32 and got[4] == 1.5


def test_subclasses_arrive_as_their_plain_base_type():
    class Rigged(dict):
        def __eq__(self, other):
            return True

    class RiggedTensor(torch.Tensor):
        def __eq__(self, other):
            return True

    got = round_trip([Rigged(a=1), torch.zeros(2).as_subclass(RiggedTensor)])
    assert type(got[0]) is dict and got[0] != {"a": 2}
    assert type(got[1]) is torch.Tensor and not torch.equal(got[1], torch.ones(2))


def test_objects_that_are_not_data_arrive_as_handles():
    assert round_trip([torch.nn.Linear(2, 2)]) == [("handle", 1, "X")]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"ok": 1, "err": 2}',
        b'{"ok": {"t": "pickle", "data": "gASV"}}',
        b'{"ok": {"t": "tensor", "dtype": "float32", "shape": [3], "device": "cpu", "data": "AAAA"}}',
        b'{"ok": {"t": "tensor", "dtype": "object", "shape": [1], "device": "cpu", "data": ""}}',
        b'{"ok": {"t": "ndarray", "dtype": "|O", "shape": [1], "data": ""}}',
        b'{"ok": ' + b"[" * 100 + b"]" * 100 + b"}",
    ],
)
def test_malformed_replies_are_refused(body):
    with pytest.raises(wire.WireError):
        wire.decode_reply(body, lambda *a: None, make_error)


def test_a_frame_over_the_limit_is_refused_before_it_is_read():
    read, write = os.pipe()
    wire.write_frame(write, b"x" * 100)
    with pytest.raises(wire.WireError, match="over the limit"):
        wire.read_frame(read, limit=10, deadline=time.monotonic() + 1)
    os.close(read), os.close(write)


# ---------------------------------------------------------------- remote


def test_a_learner_exception_keeps_its_builtin_kind_and_message():
    error = make_error(["NotEnoughWords", "ValueError", "Exception", "BaseException", "object"], "need a word", "trace")
    assert isinstance(error, ValueError) and isinstance(error, LearnerError)
    assert type(error).__name__ == "NotEnoughWords" and str(error) == "need a word"
    assert not isinstance(make_error(["KeyboardInterrupt", "BaseException"], "", ""), KeyboardInterrupt)


def test_an_error_stands_only_at_the_top_of_an_error_reply_and_error_names_are_bounded():
    raised = wire.encode_error(ValueError("x"), "")
    for body in (
        wire.dumps({"ok": [raised]}),
        wire.dumps({"err": {"t": "tuple", "v": [raised]}}),
        wire.dumps({"err": 1}),
    ):
        with pytest.raises(wire.WireError):
            wire.decode_reply(body, lambda number, name: None, make_error)
    classes = remote.ErrorClasses()
    for number in range(remote.MAX_ERROR_CLASSES + 100):
        error = classes([f"Made{number}", "ValueError"], "", "")
    assert isinstance(error, ValueError) and len(classes.classes) <= remote.MAX_ERROR_CLASSES + 1
    # One notebook's table never changes what the next notebook's errors are called.
    assert type(remote.ErrorClasses()([f"Made{number}", "ValueError"], "", "")).__name__ == f"Made{number}"


def test_a_learners_stop_iteration_cannot_quietly_end_a_loop_in_a_test():
    error = make_error(["StopIteration", "Exception", "BaseException", "object"], "", "")

    def learner_call(_):
        raise error

    assert not isinstance(error, StopIteration)
    with pytest.raises(LearnerError):
        all(map(learner_call, [1, 2]))  # a StopIteration would have made this True


def test_a_handle_refuses_comparison_and_truth_but_reports_its_class_name():
    handle = LearnerObject(session=None, handle=1, type_name="ScratchRNN")
    with pytest.raises(TypeError):
        handle == 1  # noqa: B015
    with pytest.raises(TypeError):
        bool(handle)
    assert handle.__class__.__name__ == "ScratchRNN"
    assert not isinstance(handle, torch.nn.Module)


class AnswersEverything:
    """A session whose learner answers every request with a zero tensor, and that records the requests."""

    def __init__(self):
        self.asked = []

    def ask(self, message):
        self.asked.append(message)
        return torch.zeros(())


def test_a_handle_lends_libraries_none_of_the_learners_protocol_hooks():
    session = AnswersEverything()
    handle = LearnerObject(session=session, handle=1, type_name="Zero")
    assert not torch.overrides.is_tensor_like(handle)
    with pytest.raises(TypeError):
        torch.allclose(torch.zeros(()), handle)
    assert np.asarray(handle).dtype == object  # no __array_interface__ pointer into the grader's memory
    with pytest.raises(AttributeError):
        handle.__torch_function__  # noqa: B018
    assert not [m for m in session.asked if m[0] == "getattr" and m[2].startswith("__")]
    handle.shape  # noqa: B018
    assert session.asked[-1] == ("getattr", 1, "shape")  # plain attributes are still forwarded


# ---------------------------------------------------------------- cells and roles


def nbgrader_cell(cell, grade_id, *, grade=False, solution=False, locked=False, points=0, tags=(), allow=None):
    cell.metadata["nbgrader"] = {
        "grade_id": grade_id,
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "schema_version": 3,
        **({"points": points} if grade else {}),
    }
    if tags:
        cell.metadata["tags"] = list(tags)
    if allow:
        cell.metadata["rnncourse"] = {"allow": allow}
    return cell


def source_notebook():
    return new_notebook(
        cells=[
            nbgrader_cell(new_code_cell("import math"), "imports", locked=True),
            nbgrader_cell(
                new_code_cell(
                    "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION\nLIMIT = 10"
                ),
                "square",
                solution=True,
                allow="from_scratch",  # the helper below runs beside it: its code must keep to a rule
            ),
            nbgrader_cell(new_code_cell("def probe(f):\n    return f(3)"), "probe", locked=True, tags=["learner-side"]),
            nbgrader_cell(
                new_code_cell(
                    "assert square(2) == 4, 'square(2): expected 4'\n### BEGIN HIDDEN TESTS\n"
                    "assert probe(square) == 9 and math.isclose(LIMIT, 10), 'square(3): expected 9'\n"
                    "### END HIDDEN TESTS"
                ),
                "test_square",
                grade=True,
                locked=True,
                points=2,
            ),
        ]
    )


def test_names_and_roles_come_from_the_source_notebook():
    cells = source_notebook().cells
    assert [role(c) for c in cells] == ["setup", "learner", "learner-side", "test"]
    assert defined_names(cells[1].source) == {"square", "LIMIT"} and defined_names("x = (") == set()


@pytest.fixture
def course(tmp_path):
    (tmp_path / "source" / "a1").mkdir(parents=True)
    nbformat.write(source_notebook(), tmp_path / "source" / "a1" / "n.ipynb")
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.SealedExecute.course_config_loaded = True
    return config, {"nbgrader": {"assignment": "a1", "notebook": "n"}}


def submission(answer: str, extra_cells=()):
    notebook = source_notebook()
    notebook.cells[1].source = answer
    notebook.cells[3].source = "pass  # tampered"
    notebook.cells += list(extra_cells)
    return notebook


def test_repair_strips_tampered_and_duplicated_cells_and_restores_deleted_ones(course):
    config, resources = course
    notebook = submission("def square(x): return x * x")
    copies = [nbformat.from_dict(json.loads(json.dumps(notebook.cells[3]))) for _ in range(2)]
    notebook.cells = [notebook.cells[0], notebook.cells[1], *copies]  # the helper cell deleted, the test doubled
    repaired, _ = RepairGradedCells(config=config).preprocess(notebook, resources)
    ids = [grade_id(c) for c in repaired.cells]
    assert ids == ["imports", "square", "probe", "test_square", None]


def run_sealed(course, notebook, sent=None):
    """Grade ``notebook``; ``sent`` collects every request to the sandbox and every job's program."""
    config, resources = course
    if sent is not None:
        request, start_job = Sandbox.request, Sandbox.start_job

        def spy(self, message, *args):
            sent.append(repr(message))
            return request(self, message, *args)

        def spy_job(self, setup, helpers, program, *args):
            sent.append(f"job: {program}")
            return start_job(self, setup, helpers, program, *args)

        Sandbox.request, Sandbox.start_job = spy, spy_job
    try:
        return SealedExecute(config=config).preprocess(notebook, resources)[0]
    finally:
        if sent is not None:
            Sandbox.request, Sandbox.start_job = request, start_job


def test_sealed_tests_run_from_the_source_and_never_send_test_code_to_the_sandbox(course):
    sent = []
    graded = run_sealed(course, submission("def square(x):\n    return x * x\nLIMIT = 10"), sent)
    assert graded.cells[3].outputs == []  # passed, though the submission replaced the test with `pass`
    assert not [message for message in sent if "assert" in message or "expected" in message]
    assert any("'get', 'square'" in message for message in sent)


def test_a_wrong_answer_fails_with_the_tests_message_and_the_learners_error_is_reported(course):
    graded = run_sealed(course, submission("def square(x):\n    return x + x\nLIMIT = 10"))
    (error,) = graded.cells[3].outputs  # a hidden check: what the learner's code gave is not quoted
    assert (error.ename, error.evalue) == (
        "AssertionError",
        "a hidden check failed (AssertionError); what your code gave is not shown for hidden tests",
    )
    graded = run_sealed(course, submission("def square(x):\n    raise ValueError('no')"))
    error = graded.cells[3].outputs[-1]
    assert error.ename == "ValueError" and any("Your code raised" in line for line in error.traceback)


def test_each_definition_runs_as_its_own_cell_and_one_that_raised_is_named_in_the_failure(course):
    graded = run_sealed(course, submission("LIMIT = int('ten')\ndef square(x):\n    return x * x"))
    (error,) = graded.cells[3].outputs  # square(2) passed: the definition after the one that raised exists
    assert error.evalue.startswith("a hidden check failed (NameError)")
    assert error.evalue.endswith(
        "(while grading ran your definitions, one raised ValueError: invalid literal for int() with base 10: 'ten')"
    )


def test_a_name_only_a_test_cell_defines_is_explained():
    grader = SealedExecute()
    grader.test_names, grader.raised = {"vocab"}, []
    note = grader.note(AssertionError("f(): expected 1, got an error, NameError: name 'vocab' is not defined"))
    assert note == " (vocab is defined by a test cell, which grading runs apart from your code: define it yourself)"
    assert grader.note(NameError("name 'other' is not defined")) == ""


def test_only_the_code_behind_the_names_runs_and_learner_cells_keep_no_outputs(course):
    sent = []
    workbench = nbformat.v4.new_code_cell(
        "from IPython.display import HTML, display\ndisplay(HTML('<script>alert(1)</script>'))\nprint('hello')\n"
        "%timeit square(2)\n!ls\nsquare = None"  # a rebinding after the tests has not run when they run
    )
    answer = "def square(x):\n    return x * x\nprint('exploring')\nLIMIT = 10\nUNUSED = 1 / 0"
    graded = run_sealed(course, submission(answer, [workbench]), sent)
    assert graded.cells[3].outputs == [] and graded.cells[-1].outputs == [] and graded.cells[1].outputs == []
    (job,) = [message for message in sent if message.startswith("job: ")]
    assert "def square" in job and "LIMIT = 10" in job and "print" not in job and "UNUSED" not in job


# ---------------------------------------------------------------- feedback


def test_feedback_redacts_hidden_tests_learner_outputs_and_active_content():
    test = nbgrader_cell(
        new_code_cell("assert True\n### BEGIN HIDDEN TESTS\nassert secret()\n### END HIDDEN TESTS"),
        "t",
        grade=True,
        locked=True,
        points=1,
    )
    test.outputs = [
        new_output("error", ename="AssertionError", evalue="checked x", traceback=["assert secret()"]),
        new_output("display_data", data={"text/html": "<script>x</script>", "text/plain": "ok"}),
    ]
    learner = new_code_cell("print(In)")
    learner.outputs = [new_output("stream", name="stdout", text="assert secret()")]
    notebook = new_notebook(cells=[test, learner, new_markdown_cell("<script>alert(1)</script>")])
    redacted, _ = RedactFeedback().preprocess(notebook, {})
    assert "secret" not in json.dumps(redacted)
    assert redacted.cells[0].outputs[1].data == {"text/plain": "ok"}
    assert redacted.cells[1].outputs == []
    assert redacted.cells[2].source == "```text\n<script>alert(1)</script>\n```"


def test_a_learners_markdown_reaches_feedback_as_plain_text_whatever_its_fences():
    markdown = "[click](javascript:alert(1)) $\\href{javascript:x}{y}$\n```\n<b>\n````\n![a](attachment:p.png)"
    cell = new_markdown_cell(markdown)
    cell.attachments = {"p.png": {"image/png": "x"}}
    redacted, _ = RedactFeedback().preprocess(new_notebook(cells=[cell]), {})
    fence = "`````"  # longer than the longest backtick run inside
    assert redacted.cells[0].source == f"{fence}text\n{markdown}\n{fence}" and redacted.cells[0].attachments == {}


# ---------------------------------------------------------------- intake and sandbox


def test_intake_sets_aside_links_fifos_oversized_and_non_notebook_files(tmp_path):
    folder = tmp_path / "submitted" / "s" / "a"
    folder.mkdir(parents=True)
    (folder / "ok.ipynb").write_text("{}")
    (folder / "link.ipynb").symlink_to("/etc/passwd")
    os.mkfifo(folder / "timestamp.txt")
    (folder / "big.ipynb").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    (folder / "numpy.py").write_text("")
    (folder / ("x" * 249 + ".ipynb")).symlink_to("/etc/passwd")
    moved = take_in(tmp_path / "submitted", tmp_path / "refused")
    assert sorted(p.name for p in moved)[:4] == ["big.ipynb", "link.ipynb", "numpy.py", "timestamp.txt"]
    assert len(moved) == 5 and [p.name for p in folder.iterdir()] == ["ok.ipynb"]
    (run,) = (tmp_path / "refused").iterdir()
    assert (run / "s" / "a" / "link.ipynb").is_symlink()


def test_each_intake_run_sets_aside_into_a_fresh_folder_that_holds_no_link(tmp_path):
    """A link a learner left in refused/ by an earlier run never redirects a later move."""
    submitted, refused = tmp_path / "submitted", tmp_path / "refused"
    (submitted / "evil" / "a").mkdir(parents=True)
    (submitted / "evil" / "a" / "nbgrader_config.json").write_text("{}")
    (refused / "old-run" / "evil").mkdir(parents=True)
    (refused / "old-run" / "evil" / "a").symlink_to(tmp_path)
    (moved,) = take_in(submitted, refused)
    assert moved.parent.parent.parent.parent == refused and moved.parent.parent.parent.name != "old-run"
    assert not (tmp_path / "nbgrader_config.json").exists()
    (refused / "new").symlink_to(tmp_path)
    (submitted / "evil" / "a" / "again.txt").write_text("")
    with pytest.raises(OSError):
        take_in(submitted, refused / "new")


def test_intake_sets_aside_folders_whose_names_nbgrader_would_read_as_patterns(tmp_path):
    submitted = tmp_path / "submitted"
    for student in ["alice", "*", "[ab]", ".hidden", "two words", "-rf", "a,b", "line\nbreak", "zed\r01,,bob"]:
        (submitted / student / "01_one_hot_hello").mkdir(parents=True)
        (submitted / student / "01_one_hot_hello" / "one_hot_hello.ipynb").write_text("{}")
    (submitted / "alice" / "0?_one_hot_hello").mkdir()
    (submitted / "bob").symlink_to(submitted / "alice")
    (submitted / "notes.txt").write_text("")
    moved = take_in(submitted, tmp_path / "refused")
    assert [p.name for p in submitted.iterdir()] == ["alice"]
    assert [p.name for p in (submitted / "alice").iterdir()] == ["01_one_hot_hello"]
    (run,) = (tmp_path / "refused").iterdir()
    assert len(moved) == 11 and all(p.parent in (run, run / "alice") for p in moved)
    assert (run / "bob").is_symlink() and (run / "*" / "01_one_hot_hello").is_dir()


def test_the_sandbox_sees_no_host_folder_but_usr_python_and_writes_only_two_capped_tmpfs():
    command = bwrap_command(Limits(), 65534, (3, 4), [(5, 6)])
    binds = [command[i + 1] for i, arg in enumerate(command) if arg in ("--ro-bind", "--bind", "--dev-bind")]
    assert "/" not in binds and "--bind" not in command
    python = {str(p) for p in (Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve())}
    assert set(binds) <= {"/usr", "/etc/ld.so.cache", str(PACKAGE_DIR), *python}
    tmpfs = [command[i - 4 : i + 2] for i, arg in enumerate(command) if arg == "--tmpfs"]
    assert tmpfs == [
        ["--perms", "1777", "--size", str(Limits.tmpfs_bytes), "--tmpfs", "/tmp"],
        ["--perms", "1777", "--size", str(Limits.shm_bytes), "--tmpfs", "/dev/shm"],
    ]
    assert command[-2:] == ["3,4", "5,6"] and "--remount-ro" in command
    assert "--unshare-net" in command and "--die-with-parent" in command


@pytest.mark.parametrize("expose", [False, True])
def test_gpu_devices_enter_the_sandbox_only_when_the_switch_is_on(monkeypatch, expose):
    monkeypatch.setattr(sandbox_module, "_gpu_devices", lambda: ["/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm"])
    command = bwrap_command(Limits(expose_gpu=expose), 65534, (3, 4), [])
    device_binds = [command[i + 1] for i, arg in enumerate(command) if arg == "--dev-bind"]
    assert device_binds == (["/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm"] if expose else [])
    assert SealedExecute(expose_gpu=expose).limits().expose_gpu is expose


@pytest.fixture
def sandbox():
    """A started sandbox and a session on it; each test starts its own jobs."""
    started = Sandbox(Limits(expose_gpu=True))
    try:
        started.wait_ready(time.monotonic() + 120)
        session = Session(started, limit_seconds=3)
        session.deadline = time.monotonic() + 60
        yield session
    finally:
        started.kill()


def job(session, program: str, helpers=()):
    session.deadline = time.monotonic() + 60
    assert session.start_job(["import torch"], list(helpers), [program]) == (
        "ok",
        {"course_failed": False, "raised": []},
    )


def test_a_sandbox_with_the_gpu_switch_on_sees_exactly_the_hosts_gpus(sandbox):
    """On a host without an NVIDIA GPU (CI) the sandbox sees none and picks the CPU; on one with a GPU, CUDA."""
    job(sandbox, "import glob\ngpus = sorted(glob.glob('/dev/nvidia*'))\ncuda = torch.cuda.is_available()\n")
    assert sandbox.ask(("get", "gpus")) == sandbox_module._gpu_devices()
    assert sandbox.ask(("get", "cuda")) == torch.cuda.is_available()


def test_only_tmp_and_dev_shm_are_writable_and_each_has_its_size(sandbox):
    job(
        sandbox,
        "import os\ndef write(path, size):\n    try:\n        with open(path, 'wb') as f:\n"
        "            f.write(b'x' * size)\n        return 'written'\n    except OSError as e:\n"
        "        return e.strerror\n",
    )
    write = sandbox.ask(("get", "write"))
    assert write("/tmp/a", 1000) == write("/dev/shm/a", 1000) == "written"
    assert {write(path, 10) for path in ("/a", "/dev/a", "/usr/a", "/proc/a", "/opt/a")} <= {
        "Read-only file system",
        "Permission denied",
        "No such file or directory",
    }
    assert write("/dev/shm/big", Limits.shm_bytes + 2**20) == "No space left on device"


def test_key_rings_and_tracing_are_refused_by_the_seccomp_filter(sandbox):
    """Key rings are per user, not per namespace: a submission could leave data for the next one."""
    job(
        sandbox,
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\ndef call(number, *args):\n"
        "    return libc.syscall(number, *args), ctypes.get_errno()\n",
    )
    call = sandbox.ask(("get", "call"))
    numbers = seccomp.TABLES[platform.machine()][1]
    for name in ("add_key", "keyctl", "request_key", "ptrace", "process_vm_readv", "bpf"):
        assert call(numbers[name], 0, 0, 0, 0) == (-1, errno.EPERM), name


def test_each_job_is_fresh_and_a_job_that_runs_too_long_ends_alone(sandbox):
    job(sandbox, "state = {'n': 1}\ndef spin():\n    while True:\n        pass\n")
    spin = sandbox.ask(("get", "spin"))
    sandbox.deadline = time.monotonic() + 1
    with pytest.raises(TimeoutError, match="3-second limit"):
        spin()
    job(sandbox, "import os\nalive = len([p for p in os.listdir('/proc') if p.isdigit()])\n")
    assert sandbox.ask(("get", "alive")) <= 3  # bubblewrap's init, the zygote and this job
    with pytest.raises(NameError):
        sandbox.ask(("get", "state"))
    assert sandbox.sandbox.dead is None


def test_every_live_sandbox_leases_a_user_of_its_own_machine_wide(monkeypatch, tmp_path):
    """Two graders at once never hand two sandboxes the same user, so no per-user limit counts two of them."""
    folder = tmp_path / "leases"
    monkeypatch.setattr(sandbox_module, "LEASE_DIR", str(folder))
    monkeypatch.setattr(sandbox_module, "SANDBOX_USERS", 3)
    monkeypatch.setattr(os, "lstat", lambda path: os.stat_result((0o40700, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
    leases = [sandbox_module.UserLease(1000) for _ in range(3)]
    assert sorted(lease.uid for lease in leases) == [998, 999, 1000]
    with pytest.raises(sandbox_module.SandboxUnavailable):
        sandbox_module.UserLease(1000)
    leases[1].release()
    assert sandbox_module.UserLease(1000).uid == leases[1].uid


def test_cgroups_never_reuse_a_name_and_stale_ones_are_swept(monkeypatch, tmp_path):
    """A grader's pid comes back after a reboot or a long class: old cgroups must neither block nor pile up."""
    monkeypatch.setattr(limits, "CGROUP_ROOT", tmp_path)  # cgroup v1's layout, as plain folders
    for controller in ("memory", "pids"):
        (tmp_path / controller).mkdir()
        (tmp_path / controller / f"{limits.PREFIX}{os.getpid()}-0").mkdir()  # what this pid once left
        (tmp_path / controller / f"{limits.PREFIX}999999999-0").mkdir()  # a grader that is gone
    fresh = limits.make_cgroup(2**30, 16)
    assert fresh is not None and all(folder.is_dir() for folder in fresh.dirs)
    assert limits.remove_stale_cgroups() == 2
    assert sorted(p.name for p in (tmp_path / "memory").iterdir()) == sorted(
        [f"{limits.PREFIX}{os.getpid()}-0", fresh.dirs[0].name]
    )


def test_a_test_cell_still_running_in_the_grader_past_its_deadline_is_stopped():
    """Tests read learner data in the grader; one that runs on past its cell's limit ends that job."""

    class Sandbox:
        dead = job_dead = None
        ended = False

        def end_job(self):
            self.ended = True

    execute = SealedExecute()
    execute.namespace, execute.learner_names, execute.helper_names = {}, set(), set()
    execute.session = Session(Sandbox())
    execute.session.deadline = time.monotonic() - sealed_module.TEST_GRACE_SECONDS + 0.2
    (error,) = execute.run_test("while True:\n    pass\n")
    assert error.ename == "TimeoutError" and execute.session.sandbox.ended
