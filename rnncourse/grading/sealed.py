"""Sealed execution: nbgrader's Execute step, with verdicts computed where learner code never runs.

Each cell's role comes from the trusted source notebook (matched by grade_id), never from the
submission:

- test cells (``grade``) run here, in the grader, on the source notebook's text: their outputs,
  and so their score, come from this process only;
- setup cells (locked code cells that are neither graded nor solutions) run in both places, so
  the learner's code and the tests see the same imports;
- cells tagged ``learner-side`` (locked helpers such as a gradient check) run only in the sandbox;
  there, setup and learner-side cells also run in a helpers' namespace of their own, and tests
  fetch learner-side names from it, so rebinding a helper's name changes nothing;
- solution cells and anything the learner added run only in the sandbox.

A test cell reaches the learner's code only through the names that solution and learner-side
cells of the source notebook define: each such name the cell uses is fetched from the sandbox
first (a learner-side name from the helpers' namespace), as data or as a handle
(:mod:`rnncourse.grading.remote`). ``In`` holds the code run on the learner's side so far, as
IPython's input history does, so source rules can parse it.
"""

from __future__ import annotations

import ast
import contextlib
import io
import signal
import threading
import time
import traceback
import warnings

from IPython.core.inputtransformer2 import TransformerManager
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_locked, is_solution
from traitlets import Bool, Integer

from rnncourse.assignments import grade_id
from rnncourse.grading.cells import source_cells
from rnncourse.grading.remote import LearnerError, Session
from rnncourse.grading.sandbox import SANDBOX_UID, SANDBOX_USERS, SPARES, Limits, SandboxStopped

TEST_FILE = "<test cell>"
LEARNER_SIDE_TAG = "learner-side"
OUTPUT_MIMES = ("text/plain", "image/png", "image/jpeg")  # nothing active reaches a notebook
MAX_CELL_CHARS = 50_000  # of one learner cell, as the tests see it in In
MAX_HISTORY_CHARS = 500_000  # of all of In: tests parse it in the grader
TEST_GRACE_SECONDS = 5  # past a cell's deadline before a test still running in the grader is stopped
# What lets code reach past its own namespace: to a course helper's globals, code or frames.
REACHING_NAMES = {"gc", "ctypes", "inspect", "exec", "eval", "compile", "globals", "locals", "vars", "__import__"}
REACHING_NAMES |= {"importlib", "f_globals", "f_locals", "f_back", "tb_frame", "gi_frame", "cr_frame", "__dict__"}
REACHING_NAMES |= {"__globals__", "__code__", "__closure__", "__subclasses__", "__getattribute__", "__setattr__"}
REACHING_NAMES |= {"__builtins__", "run_cell_magic", "_getframe", "settrace", "setprofile"}


class TestTimeout(Exception):
    """A test cell ran in the grader past its cell's deadline."""


def reaching_uses(source: str) -> set[str]:
    """The means in a learner's cell of reaching past its own namespace (``gc``, frames, ``exec``, cell magics)."""
    if len(source) > MAX_CELL_CHARS:
        return {"a cell too long for the grader to read"}
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return {"code the grader cannot read"}
    words = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    words |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    words |= {
        part
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
        for part in a.name.split(".")
    }
    words |= {
        part for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module for part in n.module.split(".")
    }
    return words & REACHING_NAMES


def distrusted(name: str, reasons: set[str]):
    """Stands for a course helper that the learner's code could have reached: calling it fails the test."""

    def refuse(*args, **kwargs):
        raise RuntimeError(
            f"{name} is a course helper that runs beside your code, and your code reaches past its own namespace "
            f"({', '.join(sorted(reasons))}): remove that and the test can run"
        )

    return refuse


class GradingRefused(SystemExit):
    """Stops the whole nbgrader command before anything is graded."""


def defined_names(source: str) -> set[str]:
    """Top-level names a cell binds: functions, classes, assignments, imports."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def used_names(source: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}


def role(source_cell) -> str:
    if source_cell is None or source_cell.cell_type != "code":
        return "learner"
    if is_grade(source_cell):
        return "test"
    if is_solution(source_cell):
        return "learner"
    if LEARNER_SIDE_TAG in source_cell.metadata.get("tags", []):
        return "learner-side"
    return "setup" if is_locked(source_cell) else "learner"


def _error(ename: str, evalue: str, trace: list[str] | None = None):
    return new_output("error", ename=ename, evalue=evalue, traceback=trace or [f"{ename}: {evalue}"])


def _test_traceback(error: BaseException, source: str) -> list[str]:
    """The test cell's own frames and the error; a learner error adds the learner's frames."""
    lines = source.splitlines()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == TEST_FILE]
    trace = [f"Test cell, line {f.lineno}: {lines[f.lineno - 1].strip()}" for f in frames if 0 < f.lineno <= len(lines)]
    if isinstance(error, LearnerError) and error.learner_traceback:
        trace.append("Your code raised:\n" + error.learner_traceback.rstrip())
    return [*trace, f"{type(error).__name__}: {error}"]


class SealedExecute(NbGraderPreprocessor):
    """Runs a submission for ``nbgrader autograde``; replaces nbgrader's Execute."""

    course_config_loaded = Bool(False, config=True, help="Set by the last line of the course's nbgrader_config.py.")
    cell_timeout = Integer(120, config=True, help="Seconds one cell may run.")
    notebook_timeout = Integer(900, config=True, help="Seconds a whole notebook may run.")
    start_timeout = Integer(60, config=True, help="Seconds the sandbox may take to start.")
    max_output_bytes = Integer(1_000_000, config=True, help="Output kept from the learner's cells, per notebook.")
    memory_bytes = Integer(Limits.memory_bytes, config=True, help="Memory of the sandbox.")
    cpu_seconds = Integer(Limits.cpu_seconds, config=True, help="CPU seconds of the sandbox.")
    max_processes = Integer(Limits.max_processes, config=True, help="Processes and threads of the sandbox.")
    max_file_bytes = Integer(Limits.max_file_bytes, config=True, help="Largest file the sandbox may write.")
    tmpfs_bytes = Integer(Limits.tmpfs_bytes, config=True, help="Size of the sandbox's /tmp.")
    reply_bytes = Integer(Limits.reply_bytes, config=True, help="Largest reply the grader reads from the sandbox.")
    expose_gpu = Bool(False, config=True, help="Let the sandbox use the host's NVIDIA GPUs (/dev/nvidia*).")
    sandbox_uid = Integer(
        SANDBOX_UID,
        config=True,
        help=f"As root, sandboxes run as this user and the {SANDBOX_USERS - 1} ids below it, one per live sandbox.",
    )
    spare_sandboxes = Integer(
        2, config=True, help=f"Sandboxes started ahead for the next notebooks (at most {SANDBOX_USERS - 1})."
    )

    def limits(self) -> Limits:
        return Limits(
            self.memory_bytes,
            self.cpu_seconds,
            self.max_processes,
            self.max_file_bytes,
            self.tmpfs_bytes,
            self.reply_bytes,
            self.expose_gpu,
        )

    def preprocess(self, nb, resources):
        if not self.course_config_loaded:
            raise GradingRefused(
                "Grading refused: the course's nbgrader_config.py did not load completely "
                "(see the error above). Nothing was graded."
            )
        source = {grade_id(cell): cell for cell in source_cells(self.config, resources)}
        fetch = {}  # name -> the request that fetches it from the sandbox
        for kind, request in (("learner", "get"), ("learner-side", "get_helper")):
            fetch |= dict.fromkeys(
                set().union(*(defined_names(c.source) for c in source.values() if role(c) == kind)), request
            )
        start = time.monotonic()
        sandbox = SPARES.take(self.limits(), self.sandbox_uid)
        try:
            sandbox.wait_ready(start + self.start_timeout)
        except SandboxStopped as stopped:
            self.log.error("The sandbox did not start: %s", stopped)
            raise
        SPARES.refill(self.limits(), self.sandbox_uid, self.spare_sandboxes)
        self.session, self.history, self.output_left = Session(sandbox), [""], self.max_output_bytes
        self.reaching: set[str] = set()  # what the learner's cells use that could reach the course's helpers
        self.namespace = {"__name__": "__main__", "In": self.history}
        notebook_deadline = start + self.notebook_timeout
        try:
            for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
                source_cell = source.get(grade_id(cell))
                self.session.deadline = min(time.monotonic() + self.cell_timeout, notebook_deadline)
                cell.execution_count = count + 1
                cell.outputs = self.run_cell(role(source_cell), cell, source_cell, fetch)
        finally:
            sandbox.kill()
        return nb, resources

    def run_cell(self, kind: str, cell, source_cell, fetch: dict[str, str]) -> list:
        if self.session.sandbox.dead:
            return [_error("NotRun", f"not run: the notebook stopped earlier: {self.session.sandbox.dead}")]
        if kind == "test":
            return self.run_test(source_cell.source, fetch)
        if kind == "learner":
            self.reaching |= reaching_uses(cell.source)
            return self.run_learner(cell.source)
        # A course cell's outputs on the learner's side are the learner's to shape (a hook could print
        # what hidden tests passed in): only the fact that it failed there is shown.
        outputs = [
            _error(out.ename, "this course cell failed on your side of the grader: see your own cells")
            for out in self.run_learner(source_cell.source) + self.run_helper(source_cell.source)
            if out.output_type == "error"
        ][:1]
        return outputs + self.run_test(source_cell.source, {}) if kind == "setup" else outputs

    def run_helper(self, code: str) -> list:
        """Run a locked cell of the course in the sandbox's helpers' namespace (its outputs are the learner's)."""
        try:
            self.session.request(("run_helper", code))
        except SandboxStopped as stopped:
            return [_error("KernelStopped", f"the notebook stopped: {stopped}")]
        return []

    def run_learner(self, code: str) -> list:
        # Tests parse In in the grader: a cell too long to read is kept as one that is not Python.
        readable = len(code) <= MAX_CELL_CHARS and sum(map(len, self.history)) + len(code) <= MAX_HISTORY_CHARS
        self.history.append(code if readable else f"%% a cell of {len(code)} characters, too long for the grader")
        try:
            status, reply = self.session.request(("run", code))
        except SandboxStopped as stopped:
            self.log.error("Grading stopped early: %s", stopped)
            return [_error("KernelStopped", f"the notebook stopped: {stopped}")]
        if status != "ok" or type(reply) is not list:
            return [_error("ProtocolError", "the sandbox sent something that is not a cell's outputs")]
        return [out for item in reply[:1000] if (out := self.learner_output(item)) is not None]

    def learner_output(self, item):
        """One output from the sandbox, checked and counted against the notebook's budget."""
        if type(item) is not dict:
            return None
        size = sum(len(v) for v in item.values() if isinstance(v, str)) + sum(
            len(v) for v in (item.get("data") or {}).values() if isinstance(v, str)
        )
        if size > self.output_left:
            if self.output_left > 0:
                self.output_left = 0
                return new_output("stream", name="stdout", text="[more output was dropped: over the grader's limit]\n")
            return None
        self.output_left -= size
        kind = item.get("type")
        if kind == "stream" and item.get("name") in ("stdout", "stderr") and isinstance(item.get("text"), str):
            return new_output("stream", name=item["name"], text=item["text"])
        if kind == "display" and type(item.get("data")) is dict:
            data = {m: v for m, v in item["data"].items() if m in OUTPUT_MIMES and isinstance(v, str)}
            return new_output("display_data", data=data) if data else None
        if kind == "error" and all(isinstance(item.get(k), str) for k in ("ename", "evalue", "traceback")):
            return _error(item["ename"][:100], item["evalue"], item["traceback"].splitlines())
        return None

    @contextlib.contextmanager
    def test_deadline(self):
        """Stop a test cell that runs in the grader past its cell's deadline (and a grace period)."""
        if threading.current_thread() is not threading.main_thread() or self.session.deadline is None:
            yield
            return

        def stop(signum, frame):
            raise TestTimeout

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, max(self.session.deadline - time.monotonic(), 0) + TEST_GRACE_SECONDS)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def run_test(self, code: str, fetch: dict[str, str]) -> list:
        """Run trusted code in the grader's namespace; outputs come from here only."""
        stdout = io.StringIO()
        try:
            compiled = compile(code, TEST_FILE, "exec")
            for name in sorted(used_names(code) & fetch.keys()):
                if fetch[name] == "get_helper" and self.reaching:
                    self.namespace[name] = distrusted(name, self.reaching)
                    continue
                status, value = self.session.request((fetch[name], name))
                if status == "ok":
                    self.namespace[name] = value
                else:
                    self.namespace.pop(name, None)
            with (
                contextlib.redirect_stdout(stdout),
                contextlib.redirect_stderr(stdout),
                warnings.catch_warnings(),
                self.test_deadline(),
            ):
                warnings.simplefilter("ignore")
                exec(compiled, self.namespace)
        except SandboxStopped as stopped:
            return [_error("KernelStopped", f"the notebook stopped: {stopped}")]
        except TestTimeout:
            # The test may have stopped in the middle of a request: the sandbox cannot be trusted to be in step.
            self.session.sandbox.kill("a test ran past its cell's time limit")
            return [
                _error("TimeoutError", "the test ran past its cell's time limit; the rest of the notebook is not run")
            ]
        except Exception as error:
            outputs = (
                [new_output("stream", name="stdout", text=stdout.getvalue()[:100_000])] if stdout.getvalue() else []
            )
            return [*outputs, _error(type(error).__name__, str(error)[:4000], _test_traceback(error, code))]
        return [new_output("stream", name="stdout", text=stdout.getvalue()[:100_000])] if stdout.getvalue() else []
