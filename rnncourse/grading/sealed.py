"""Sealed execution: nbgrader's Execute step, with verdicts computed where learner code never runs.

Each cell's role comes from the trusted source notebook (matched by grade_id), never from the
submission:

- test cells (``grade``) run here, in the grader, on the source notebook's text: their outputs,
  and so their score, come from this process only;
- setup cells (locked code cells that are neither graded nor solutions) run here and in every
  fresh job of the sandbox, so the learner's code and the tests see the same imports;
- cells tagged ``learner-side`` (locked helpers such as a gradient check) run only in the jobs,
  in a helpers' namespace of their own;
- solution cells and anything the learner added are read, never run as they stand: what is graded
  is the code behind each name (:mod:`rnncourse.grading.behind`).

A test cell reaches the learner's code only through the names that the source notebook's
solution and learner-side cells define. For each test cell, a fresh job of the sandbox runs the
setup cells, the code behind the learner names the cell uses (from the learner cells above it),
and the learner-side helpers; consecutive test cells that need the same code share a job. A name
whose solution cell carries ``{"rnncourse": {"allow": RULE}}`` is checked against that allowlist
(:mod:`rnncourse.grading.allowlist`) before any of its code runs: its tests fail with one line
naming the first use outside the rule. Helpers run only beside names that passed their rule.
``In`` holds the learner's cells as IPython's input history would.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import signal
import threading
import time
import traceback
import warnings

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_locked, is_solution
from traitlets import Bool, Integer

from rnncourse.assignments import grade_id
from rnncourse.grading.allowlist import RULES, Refused, check
from rnncourse.grading.behind import code_behind, definitions, program
from rnncourse.grading.cells import source_cells
from rnncourse.grading.remote import LearnerError, Session
from rnncourse.grading.sandbox import SANDBOX_UID, SANDBOX_USERS, SPARES, Limits, SandboxStopped

TEST_FILE = "<test cell>"
LEARNER_SIDE_TAG = "learner-side"
MAX_CELL_CHARS = 50_000  # of one learner cell, as the tests see it in In
MAX_HISTORY_CHARS = 500_000  # of all of In: tests parse it in the grader
TEST_GRACE_SECONDS = 5  # past a cell's deadline before a test still running in the grader is stopped


class TestTimeout(Exception):
    """A test cell ran in the grader past its cell's deadline."""


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


REPORT = re.compile(r"(?P<call>.*?): expected (?P<expected>.*?), got (?P<got>.*)\. Hint: (?P<hint>.*)", re.S)
RAISED = re.compile(r"an error, (?P<kind>[A-Za-z_]\w{0,59}):")


def hidden_lines(source: str) -> set[int]:
    """The line numbers of a test cell's hidden part."""
    hidden, inside = set(), False
    for number, line in enumerate(source.splitlines(), 1):
        if "### BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "### END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            hidden.add(number)
    return hidden


def failed_in_hidden_part(error: BaseException, source: str) -> bool:
    """Whether the test cell's statement that failed is one of its hidden lines."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == TEST_FILE]
    return bool(frames) and frames[0].lineno in hidden_lines(source)


def without_learner_text(error: BaseException) -> str:
    """A hidden test's failure, told without anything the learner's code produced from its inputs."""
    match = REPORT.fullmatch(str(error))
    if isinstance(error, LearnerError) or match is None:
        return f"a hidden check failed ({type(error).__name__}); what your code gave is not shown for hidden tests"
    kind = RAISED.match(match["got"])
    gave = f"your code raised {kind['kind']}" if kind else "what your code gave is not shown for hidden tests"
    return f"{match['call']}: expected {match['expected']}; {gave}. Hint: {match['hint']}"


def _test_traceback(error: BaseException, source: str, note: str = "") -> list[str]:
    """The test cell's own frames and the error (and ``note``); a learner error adds the learner's frames."""
    lines = source.splitlines()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == TEST_FILE]
    trace = [f"Test cell, line {f.lineno}: {lines[f.lineno - 1].strip()}" for f in frames if 0 < f.lineno <= len(lines)]
    if isinstance(error, LearnerError) and error.learner_traceback:
        trace.append("Your code raised:\n" + error.learner_traceback.rstrip())
    return [*trace, f"{type(error).__name__}: {error}{note}"]


class SealedExecute(NbGraderPreprocessor):
    """Runs a submission for ``nbgrader autograde``; replaces nbgrader's Execute."""

    course_config_loaded = Bool(False, config=True, help="Set by the last line of the course's nbgrader_config.py.")
    cell_timeout = Integer(120, config=True, help="Seconds one cell may run.")
    notebook_timeout = Integer(900, config=True, help="Seconds a whole notebook may run.")
    start_timeout = Integer(60, config=True, help="Seconds the sandbox may take to start.")
    memory_bytes = Integer(Limits.memory_bytes, config=True, help="Memory of the sandbox.")
    cpu_seconds = Integer(Limits.cpu_seconds, config=True, help="CPU seconds of the sandbox.")
    max_processes = Integer(Limits.max_processes, config=True, help="Processes and threads of the sandbox.")
    max_file_bytes = Integer(Limits.max_file_bytes, config=True, help="Largest file the sandbox may write.")
    tmpfs_bytes = Integer(Limits.tmpfs_bytes, config=True, help="Size of the sandbox's /tmp.")
    shm_bytes = Integer(Limits.shm_bytes, config=True, help="Size of the sandbox's /dev/shm.")
    reply_bytes = Integer(Limits.reply_bytes, config=True, help="Largest reply the grader reads from the sandbox.")
    expose_gpu = Bool(False, config=True, help="Let the sandbox use the host's NVIDIA GPUs (/dev/nvidia*).")
    sandbox_uid = Integer(
        SANDBOX_UID,
        config=True,
        help=f"As root, each sandbox leases one of this user id and the {SANDBOX_USERS - 1} below it, machine-wide.",
    )
    spare_sandboxes = Integer(
        2, config=True, help=f"Sandboxes started ahead for the next notebooks (at most {SPARES.MAX_SPARES})."
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
            self.shm_bytes,
        )

    def preprocess(self, nb, resources):
        if not self.course_config_loaded:
            raise GradingRefused(
                "Grading refused: the course's nbgrader_config.py did not load completely "
                "(see the error above). Nothing was graded."
            )
        source = source_cells(self.config, resources)
        self.setup = [c.source for c in source if role(c) == "setup"]
        self.helpers = [c.source for c in source if role(c) == "learner-side"]
        self.learner_names = set().union(*(defined_names(c.source) for c in source if role(c) == "learner"))
        self.helper_names = set().union(*map(defined_names, self.helpers))
        self.test_names = set().union(*(defined_names(c.source) for c in source if role(c) == "test"))
        self.test_names -= self.learner_names
        self.rules = {
            name: RULES[cell.metadata["rnncourse"]["allow"]]
            for cell in source
            if role(cell) == "learner" and "allow" in cell.metadata.get("rnncourse", {})
            for name in defined_names(cell.source)
        }
        by_id = {grade_id(cell): cell for cell in source}
        start = time.monotonic()
        sandbox = SPARES.take(self.limits(), self.sandbox_uid)
        try:
            sandbox.wait_ready(start + self.start_timeout)
            sandbox.prepare([*self.setup, *self.helpers], start + self.start_timeout)
        except SandboxStopped as stopped:
            sandbox.kill()
            self.log.error("The sandbox did not start: %s", stopped)
            raise
        SPARES.refill(self.limits(), self.sandbox_uid, self.spare_sandboxes)
        self.session, self.history, self.job = Session(sandbox, self.cell_timeout), [""], None
        self.read_cells: dict[str, list] = {}  # each learner cell is read once per notebook
        self.raised: list[str] = []  # what the current job's definitions raised
        self.namespace = {"__name__": "__main__", "In": self.history}
        notebook_deadline = start + self.notebook_timeout
        try:
            for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
                source_cell = by_id.get(grade_id(cell))
                self.session.deadline = min(time.monotonic() + self.cell_timeout, notebook_deadline)
                cell.execution_count = count + 1
                cell.outputs = self.run_cell(role(source_cell), cell, source_cell)
        finally:
            sandbox.kill()
        return nb, resources

    def run_cell(self, kind: str, cell, source_cell) -> list:
        if self.session.sandbox.dead:
            return [_error("NotRun", f"not run: the notebook stopped earlier: {self.session.sandbox.dead}")]
        if kind == "learner":  # read, not run: only the code behind the graded names runs
            readable = len(cell.source) <= MAX_CELL_CHARS
            readable = readable and sum(map(len, self.history)) + len(cell.source) <= MAX_HISTORY_CHARS
            self.history.append(cell.source if readable else f"%% a cell of {len(cell.source)} characters")
            return []
        if kind == "test":
            return self.run_test(source_cell.source)
        return self.run_test(source_cell.source, learner=False) if kind == "setup" else []

    def job_for(self, names: set[str], helpers: bool) -> str | None:
        """Start (or keep) the job for a test cell that uses ``names``; a refusal, as one line, or None."""
        found = definitions(self.history[1:], self.read_cells)
        for name in sorted(names & self.rules.keys()):
            try:
                check(name, self.rules[name], code_behind([name], found))
            except Refused as refused:
                return f"the code behind {name}: {refused}. Hint: {self.rules[name].hint}"
        if (helpers or names & self.rules.keys()) and not names <= self.rules.keys():
            # The source notebook's mistake: unchecked code would run beside checked code and the helpers.
            return "a test of a name with a rule may use only names with rules"
        code = program(code_behind(sorted(names), found, every=not names & self.rules.keys()))
        key = (tuple(code), helpers)
        if self.job != key or self.session.sandbox.job_dead:
            self.job = key
            status, reply = self.session.start_job(self.setup, self.helpers if helpers else [], code)
            reply = reply if status == "ok" and type(reply) is dict else {}
            raised = reply.get("raised")
            self.raised = [line for line in raised if type(line) is str][:3] if type(raised) is list else []
            if reply.get("course_failed"):
                return "a course cell failed beside your code: see the error above"
        return None

    def note(self, error: Exception) -> str:
        """What the learner needs besides the test's line: a definition that raised, a test cell's name."""
        missing = re.search(r"(?:NameError: )?name '(\w+)' is not defined", str(error))
        if missing and missing.group(1) in self.test_names:
            name = missing.group(1)
            return f" ({name} is defined by a test cell, which grading runs apart from your code: define it yourself)"
        if self.raised:
            return f" (while grading ran your definitions, one raised {self.raised[0]})"
        return ""

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

    def run_test(self, code: str, learner: bool = True) -> list:
        """Run trusted code in the grader's namespace; outputs come from here only."""
        stdout = io.StringIO()
        try:
            compiled = compile(code, TEST_FILE, "exec")
            used = used_names(code)
            names, helpers = (used & self.learner_names, used & self.helper_names) if learner else (set(), set())
            if names or helpers:
                refused = self.job_for(names, bool(helpers))
                if refused is not None:
                    return [_error("RuleError", refused)]
                for name in sorted(names | helpers):
                    status, value = self.session.request(("get_helper" if name in helpers else "get", name))
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
            if self.session.sandbox.dead:
                return [_error("KernelStopped", f"the notebook stopped: {stopped}")]
            kind = "TimeoutError" if "time limit" in str(stopped) else "KernelStopped"
            return [_error(kind, f"your code stopped: {stopped}")]
        except TestTimeout:
            # The test may have stopped in the middle of a request: that job cannot be trusted to be in step.
            self.session.sandbox.end_job()
            self.job = None
            return [_error("TimeoutError", "the test ran past its cell's time limit and was stopped")]
        except Exception as error:
            outputs = (
                [new_output("stream", name="stdout", text=stdout.getvalue()[:100_000])] if stdout.getvalue() else []
            )
            note = self.note(error) if learner else ""
            if failed_in_hidden_part(error, code):  # the learner's code saw hidden inputs: quote none of its text
                message = without_learner_text(error) + note
                return [*outputs, _error(type(error).__name__, message, [f"{type(error).__name__}: {message}"])]
            message = str(error)[:4000] + note
            return [*outputs, _error(type(error).__name__, message, _test_traceback(error, code, note))]
        return [new_output("stream", name="stdout", text=stdout.getvalue()[:100_000])] if stdout.getvalue() else []
