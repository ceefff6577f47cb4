"""What a sealed test cell holds when it uses a learner's name: data, a handle, or an error.

Data (numbers, strings, containers, arrays, tensors, devices) arrives as a fresh copy built
by :mod:`rnncourse.grading.wire`, so none of the learner's classes or methods comes with it.
Anything else stays in the sandbox and arrives as a :class:`LearnerObject` handle, which
forwards attribute access, calls, iteration, ``len`` and indexing, and refuses everything
else (comparison, truth value, hashing): a test must ask for data. Dunder attributes are
never forwarded: libraries look up protocol hooks on objects (``__torch_function__``,
``__array_interface__``, ``__deepcopy__``), and a learner's hook must not answer for the grader. An exception raised by
the learner's code arrives as a :class:`LearnerError` of the same builtin kind.
"""

from __future__ import annotations

import builtins
import re

from rnncourse.grading.sandbox import Sandbox

# Builtin exception classes a learner's exception may arrive as (by its first such ancestor).
# Never StopIteration: raised in the grader, it would quietly end a map() or a loop in a test.
MAPPED_ERRORS = frozenset(
    {
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "ImportError",
        "IndexError",
        "KeyError",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "RecursionError",
        "RuntimeError",
        "TimeoutError",
        "TypeError",
        "UnboundLocalError",
        "ValueError",
        "ZeroDivisionError",
    }
)


class LearnerError(Exception):
    """Raised by the learner's code; ``learner_traceback`` is the learner's own frames."""

    learner_traceback = ""


MAX_ERROR_CLASSES = 256  # distinct learner exception names kept per notebook; past that, the builtin's name


class ErrorClasses:
    """Makes a learner's exception from its reply; each notebook's session has its own table of classes."""

    def __init__(self):
        self.classes: dict[tuple[str, type], type] = {}

    def __call__(self, mro: list[str], message: str, trace: str) -> LearnerError:
        name = mro[0] if mro and re.fullmatch(r"[A-Za-z_]\w{0,59}", mro[0]) else "Exception"
        base = next((getattr(builtins, n) for n in mro if n in MAPPED_ERRORS), Exception)
        key = (name, base)
        if key not in self.classes and len(self.classes) >= MAX_ERROR_CLASSES:
            key = (base.__name__, base)
        if key not in self.classes:
            bases = (LearnerError,) if base is Exception else (base, LearnerError)
            self.classes[key] = type(key[0], bases, {"__module__": "learner"})
        error = self.classes[key](message)
        error.learner_traceback = trace
        return error


def make_error(mro: list[str], message: str, trace: str) -> LearnerError:
    """A learner's exception, with classes of its own (what one call decodes outside any session)."""
    return ErrorClasses()(mro, message, trace)


class LearnerObject:
    """A handle on an object that lives in the sandbox."""

    _is_learner_handle = True
    __slots__ = ("_handle", "_session", "_type")

    def __init__(self, session: Session, handle: int, type_name: str):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", type_name)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(f"a learner's object does not lend the grader its {name}")
        return self._session.ask(("getattr", self._handle, name))

    def __call__(self, *args, **kwargs):
        return self._session.ask(("call", self._handle, args, kwargs))

    def __iter__(self):
        items = self._session.ask(("iter", self._handle))
        return iter(items if isinstance(items, list) else [])

    def __next__(self):
        return self._session.ask(("next", self._handle))

    def __len__(self):
        size = self._session.ask(("len", self._handle))
        if type(size) is not int or size < 0:
            raise TypeError("the learner's len() did not return a non-negative int")
        return size

    def __getitem__(self, key):
        return self._session.ask(("getitem", self._handle, key))

    @property
    def __class__(self):
        """A stand-in class with the learner's class name: ``x.__class__.__name__`` works."""
        name = self._type if re.fullmatch(r"[A-Za-z_]\w{0,59}", self._type) else "object"
        return type(name, (LearnerObject,), {"__slots__": ()})

    def __repr__(self):
        return f"<learner's {self._type} object>"

    def _refuse(self, *args):
        raise TypeError("a test cannot compare or test the truth of a learner's object; ask it for data")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = _refuse
    __hash__ = None


class Session:
    """The grader's connection to one notebook's sandbox, with the current deadline."""

    def __init__(self, sandbox: Sandbox, limit_seconds: int = 120):
        self.sandbox, self.deadline, self.make_error = sandbox, None, ErrorClasses()
        self.limit_seconds = limit_seconds

    def ran_out_of_time(self) -> LearnerError:
        return self.make_error(
            ["TimeoutError"],
            f"the code ran past its {self.limit_seconds}-second limit and was stopped: look for a loop that never ends",
            "",
        )

    def make_handle(self, handle: int, type_name: str) -> LearnerObject:
        return LearnerObject(self, handle, type_name)

    def start_job(self, setup: list[str], helpers: list[str], program: list[str]):
        """A fresh process for the learner's ``program``; the status and value of its first reply."""
        return self.sandbox.start_job(setup, helpers, program, self.deadline, self.make_handle, self.make_error)

    def request(self, message: tuple):
        status, value = self.sandbox.request(message, self.deadline, self.make_handle, self.make_error)
        if self.sandbox.interrupted:  # what the code raised when it was interrupted is not its answer
            self.sandbox.interrupted = False
            return "err", self.ran_out_of_time()
        return status, value

    def ask(self, message: tuple):
        """The value of a request, or the learner's exception raised here."""
        status, value = self.request(message)
        if status == "err":
            raise value
        return value
