"""The sandbox side of sealed grading: runs the learner's cells and answers calls.

Started by :class:`rnncourse.grading.sandbox.Sandbox` inside bubblewrap as
``python -I worker.py REQUEST_FD REPLY_FD``. It imports what notebooks use, says it is ready,
then serves requests one at a time:

- ``("run", source)``: run a notebook cell in the learner's namespace, reply with its outputs;
- ``("run_helper", source)``: run a locked cell of the course (setup, ``learner-side``) in the
  helpers' namespace, whose own names the learner's bindings cannot replace (see
  :class:`HelperNamespace`);
- ``("get", name)``, ``("get_helper", name)``, ``("getattr", h, name)``, ``("call", h, args, kwargs)``, ``("iter", h)``,
  ``("next", h)``, ``("len", h)``, ``("getitem", h, key)``: work on the learner's objects and reply
  with the result as plain data, or as a handle number for anything that is not data.

Everything here runs beside learner code, which can change any of it; the grader therefore
treats every reply as untrusted data (see :mod:`rnncourse.grading.wire`).
"""

import os
import pickle
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `python -I` leaves the package out

from rnncourse.grading import wire

MAX_ITEMS = 100_000
MAX_OUTPUT_CHARS = 1_000_000


class HelperNamespace(dict):
    """The globals of the course's locked cells in the sandbox.

    Setup and ``learner-side`` cells run here as well as in the learner's namespace, so a
    helper's own names (``rnn_gradients``, ``torch``) are the course's, whatever the learner
    rebinds. A name the helpers do not define, such as a graded function, is the learner's;
    builtins and dunder names are never taken from the learner.
    """

    def __init__(self, learner: dict):
        super().__init__(__name__="__main__", __builtins__=__builtins__)
        self.learner = learner

    def __missing__(self, name):
        if name.startswith("__") or name in vars(__import__("builtins")):
            raise KeyError(name)
        return self.learner[name]


class Worker:
    def __init__(self, request_fd: int, reply_fd: int):
        import numpy  # noqa: F401  (imported up front so that a notebook's first cell is fast)
        import torch  # noqa: F401
        from IPython.core.interactiveshell import InteractiveShell

        self.request_fd, self.reply_fd = request_fd, reply_fd
        self.handles: dict[int, object] = {}
        self.shell = InteractiveShell.instance(colors="NoColor")
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
            result = self.shell.run_cell(source, store_history=True)
        outputs = []
        for name, text in (("stdout", captured.stdout), ("stderr", captured.stderr)):
            if text:
                outputs.append({"type": "stream", "name": name, "text": text[:MAX_OUTPUT_CHARS]})
        for shown in captured.outputs:
            data = {mime: value for mime, value in shown.data.items() if isinstance(value, str)}
            outputs.append({"type": "display", "data": data})
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

    def run_helper(self, source: str) -> list[dict]:
        """Run a locked cell of the course in the helpers' namespace; its outputs are dropped."""
        exec(compile(source, "<course cell>", "exec"), self.helpers)
        return []

    def answer(self, request):
        op, *args = request
        if op == "run":
            return self.run(*args)
        if op == "run_helper":
            return self.run_helper(*args)
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

    def load(self, body: bytes):
        unpickler = pickle.Unpickler(__import__("io").BytesIO(body))
        unpickler.persistent_load = lambda pid: self.handles[pid[1]]
        return unpickler.load()

    def serve(self) -> None:
        wire.write_frame(self.reply_fd, wire.dumps({"ready": True}))
        while True:
            try:
                body = wire.read_frame(self.request_fd, limit=1 << 32)
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
            try:
                value = self.answer(self.load(body))
            except BaseException as error:  # the learner's error, reported as data
                trace = "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
                reply = {"err": wire.encode_error(error, trace)}
            else:
                reply = self.encode_result(value)
            wire.write_frame(self.reply_fd, wire.dumps(reply))

    def encode_result(self, value) -> dict:
        """The reply for a value; a value that cannot be sent is not the learner's exception."""
        try:
            return {"ok": wire.encode(value, self.handle)}
        except BaseException as error:
            unsendable = RuntimeError(f"the value your code returned cannot be sent to the grader: {error}")
            return {"err": {**wire.encode_error(unsendable, ""), "mro": ["UnsendableValue"]}}


if __name__ == "__main__":
    Worker(int(sys.argv[1]), int(sys.argv[2])).serve()
    os._exit(0)
