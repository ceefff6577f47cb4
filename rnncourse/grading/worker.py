"""The sandbox side of sealed grading: a warm process that forks one fresh job per graded name.

Started by :class:`rnncourse.grading.sandbox.Sandbox` inside bubblewrap as
``python -I worker.py CONTROL_IN CONTROL_OUT JOB_IN,JOB_OUT ...``. The first process (the
zygote) imports what notebooks use, says it is ready, and never runs learner code. On its
control pipes it answers:

- ``("prepare", sources)``: import the modules the course's locked cells import;
- ``("job", k, setup, helpers, program)``: fork job ``k``, which keeps only its own pipes
  (``JOB_IN``/``JOB_OUT`` number ``k``), runs the setup cells, then the learner's ``program``
  (the code behind the names its tests use, one cell per definition), then the ``learner-side``
  helper cells in a namespace of their own (:class:`HelperNamespace`), replies whether a course
  cell failed and what the program's cells raised (one line each), and serves requests until
  its pipe closes;
- ``("end",)``: kill every process in the sandbox but itself, and reap them.

A job answers ``("get", name)``, ``("get_helper", name)``, ``("getattr", h, name)``,
``("call", h, args, kwargs)``, ``("iter", h)``, ``("next", h)``, ``("len", h)`` and
``("getitem", h, key)`` with the result as plain data, or as a handle number for anything that is
not data. The zygote is not dumpable, so a job cannot trace it or read its memory, and a job's
pipes are never used again: nothing a job leaves behind reaches the next one.

Everything a job does runs beside learner code, which can change any of it; the grader therefore
treats every reply as untrusted data (see :mod:`rnncourse.grading.wire`).
"""

import ast
import ctypes
import importlib
import os
import pickle
import signal
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `python -I` leaves the package out

from rnncourse.grading import wire

MAX_ITEMS = 100_000
MAX_OUTPUT_CHARS = 1_000_000
PR_SET_DUMPABLE = 4


class HelperNamespace(dict):
    """The globals of the course's locked cells in a job.

    Setup and ``learner-side`` cells run here as well as in the learner's namespace, so a
    helper's own names (``rnn_gradients``, ``torch``) are the course's, whatever the learner
    binds. A name the helpers do not define, such as a graded function, is the learner's;
    builtins and dunder names are never taken from the learner.
    """

    def __init__(self, learner: dict):
        super().__init__(__name__="__main__", __builtins__=__builtins__)
        self.learner = learner

    def __missing__(self, name):
        if name.startswith("__") or name in vars(__import__("builtins")):
            raise KeyError(name)
        return self.learner[name]


def imported_modules(source: str) -> list[str]:
    """The modules a course cell imports."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    return names + [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level]


def load(body: bytes, handles: dict):
    unpickler = pickle.Unpickler(__import__("io").BytesIO(body))
    unpickler.persistent_load = lambda pid: handles[pid[1]]
    return unpickler.load()


class Zygote:
    def __init__(self, control: tuple[int, int], jobs: list[tuple[int, int]]):
        import numpy  # noqa: F401  (imported once here, so that every job starts warm)
        import torch  # noqa: F401
        from IPython.core.interactiveshell import InteractiveShell

        self.control, self.jobs, self.children = control, jobs, []
        self.shell_class = InteractiveShell
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt is meant for the job that runs
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)

    def prepare(self, sources: list[str]) -> None:
        for source in sources:
            for module in imported_modules(source):
                try:
                    importlib.import_module(module)
                except Exception:
                    pass  # the cell itself will say so, in the job

    def fork(self, k: int, setup: list[str], helpers: list[str], program: list[str]) -> int:
        pid = os.fork()
        if pid == 0:
            try:
                for fd in [*self.control, *(fd for j, pair in enumerate(self.jobs) if j > k for fd in pair)]:
                    os.close(fd)  # earlier jobs' pipes are closed already, here and in the zygote
                signal.signal(signal.SIGINT, signal.default_int_handler)
                Job(*self.jobs[k], self.shell_class).serve(setup, helpers, program)
            finally:
                os._exit(0)
        for fd in self.jobs[k]:  # the job holds its pipes alone: when it ends, the grader reads the end
            os.close(fd)
        self.children.append(pid)
        return pid

    def end(self) -> None:
        """Kill every process of the sandbox that this one may signal (all but itself and bubblewrap's init)."""
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
        self.children = []

    def serve(self) -> None:
        request_fd, reply_fd = self.control
        wire.write_frame(reply_fd, wire.dumps({"ready": True}))
        while True:
            try:
                op, *args = load(wire.read_frame(request_fd, limit=1 << 32), {})
            except EOFError:
                return
            if op == "prepare":
                self.prepare(*args)
            elif op == "job":
                self.fork(*args)
            elif op == "end":
                self.end()
            wire.write_frame(reply_fd, wire.dumps({"ok": op}))


class Job:
    """One fresh process: the setup cells, the code behind some names, the helpers; then requests."""

    def __init__(self, request_fd: int, reply_fd: int, shell_class):
        self.request_fd, self.reply_fd = request_fd, reply_fd
        self.handles: dict[int, object] = {}
        self.shell = shell_class.instance(colors="NoColor")
        self.shell._showtraceback = self._record_traceback
        self._traceback: list[str] = []
        self.helpers = HelperNamespace(self.shell.user_ns)

    def _record_traceback(self, etype, evalue, stb):
        self._traceback = list(stb)

    def handle(self, obj) -> dict:
        number = len(self.handles) + 1
        self.handles[number] = obj
        return {"id": number, "type": type(obj).__name__}

    def run(self, source: str) -> list[dict]:
        from IPython.utils.capture import capture_output

        self._traceback = []
        with capture_output() as captured:
            result = self.shell.run_cell(source, store_history=False)
        outputs = []
        for name, text in (("stdout", captured.stdout), ("stderr", captured.stderr)):
            if text:
                outputs.append({"type": "stream", "name": name, "text": text[:MAX_OUTPUT_CHARS]})
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            outputs.append(
                {
                    "type": "error",
                    "ename": type(error).__name__,
                    "evalue": str(error)[: wire.MAX_TEXT],
                    "traceback": "\n".join(self._traceback)[-wire.MAX_TEXT :],
                }
            )
        return outputs

    def serve(self, setup: list[str], helpers: list[str], program: list[str]) -> None:
        failed = any(out["type"] == "error" for source in setup for out in self.run(source))
        raised = []  # what the learner's definitions raised, as one line each; what they print is theirs
        for source in program:
            raised += [f"{out['ename']}: {out['evalue']}"[:300] for out in self.run(source) if out["type"] == "error"]
        for source in [*setup, *helpers]:
            try:
                exec(compile(source, "<course cell>", "exec"), self.helpers)
            except BaseException:
                failed = True
        first = {"course_failed": failed, "raised": raised[:3]}
        wire.write_frame(self.reply_fd, wire.dumps({"ok": wire.encode(first, self.handle)}))
        while True:
            try:
                body = wire.read_frame(self.request_fd, limit=1 << 32)
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
            try:
                value = self.answer(load(body, self.handles))
            except BaseException as error:  # the learner's error, reported as data
                trace = "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
                reply = {"err": wire.encode_error(error, trace)}
            else:
                reply = self.encode_result(value)
            wire.write_frame(self.reply_fd, wire.dumps(reply))

    def answer(self, request):
        op, *args = request
        if op in ("get", "get_helper"):
            (name,) = args
            namespace = self.shell.user_ns if op == "get" else self.helpers
            if name not in namespace:
                raise NameError(f"name {name!r} is not defined")
            return namespace[name]
        target = self.handles[args[0]]
        if op == "getattr":
            return getattr(target, args[1])
        if op == "call":
            return target(*args[1], **args[2])
        if op == "iter":
            items = []
            for item in target:
                items.append(item)
                if len(items) > MAX_ITEMS:
                    raise ValueError(f"more than {MAX_ITEMS} items")
            return items
        if op == "next":
            return next(target)
        if op == "len":
            return len(target)
        if op == "getitem":
            return target[args[1]]
        raise ValueError(f"unknown request {op!r}")

    def encode_result(self, value) -> dict:
        """The reply for a value; a value that cannot be sent is not the learner's exception."""
        try:
            return {"ok": wire.encode(value, self.handle)}
        except BaseException as error:
            unsendable = RuntimeError(f"the value your code returned cannot be sent to the grader: {error}")
            return {"err": {**wire.encode_error(unsendable, ""), "mro": ["UnsendableValue"]}}


def pipes(argument: str) -> tuple[int, int]:
    request_fd, reply_fd = argument.split(",")
    return int(request_fd), int(reply_fd)


if __name__ == "__main__":
    Zygote(pipes(sys.argv[1]), [pipes(arg) for arg in sys.argv[2:]]).serve()
    os._exit(0)
