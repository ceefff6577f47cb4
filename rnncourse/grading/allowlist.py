"""What the code behind a rule-bound name may use: an allowlist, stated in the task text.

A source notebook marks a graded name's solution cell with ``{"rnncourse": {"allow": RULE}}``;
grading then reads the code behind that name (:mod:`rnncourse.grading.behind`) before running
it, and a test of the name fails with one line naming the first use outside the rule. Such code
may use:

- Python's statements and expressions, except ``global``, ``async``/``await``, ``yield`` and
  ``match``, and ``except ... as NAME`` (functions, classes, loops, ``if``, ``with``, ``try``,
  comprehensions, lambdas are fine);
- the library functions and classes the rule lists, reached by their dotted names, never a
  library or module as a value (``act = torch.tanh`` is fine, ``lib = torch`` is not);
- the rule's builtins (by default the basic ones and every exception class that ``except Exception``
  catches), and its own names, arguments and local variables;
- attributes its own code defines (methods, class attributes, ``self.name = ...``, names
  registered as parameters); public ones (no leading ``_``) on any object, private ones only on
  ``self``; public attributes of tensors, modules, parameters, devices, dtypes, shapes and
  Python's containers and strings; any public attribute of a method's ``self`` (also inside a
  function or lambda nested in that method); ``super().__init__``; never a dunder, and never an
  attribute of frames, generators, code objects or tracebacks, whatever the code defines;
- ``getattr(self, NAME)`` and ``setattr(self, NAME, value)`` where NAME is a string or f-string
  that starts with a letter;
- ``from __future__ import ...`` and, in annotations, ``typing``'s names;
- changes (stores, ``del``) only to ``self`` and to a function's local variables.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import types
import typing
from dataclasses import dataclass

import torch

from rnncourse.grading.behind import Definition

NOT_ALLOWED = (ast.Global, ast.AsyncFunctionDef, ast.Await, ast.Yield, ast.YieldFrom, ast.AsyncFor, ast.AsyncWith)
NOT_ALLOWED += (ast.Match,)
# fmt: off
BASIC_BUILTINS = frozenset((
    "range", "len", "enumerate", "zip", "reversed", "sorted", "list", "tuple", "dict", "set", "frozenset", "int",
    "float", "bool", "str", "isinstance", "min", "max", "sum", "abs", "round", "all", "any", "map", "filter", "iter",
    "next", "divmod", "pow", "print", "super", "staticmethod", "classmethod", "property",
))
# fmt: on
# Python's exceptions that ``except Exception`` catches: raising or catching one reaches nothing else.
BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, Exception)
)
LIBRARY_ROOTS = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "math": "math"}
VALUE_TYPES = (torch.Tensor, torch.nn.Module, torch.nn.Parameter, torch.device, torch.dtype, torch.Size)
VALUE_TYPES += (list, dict, tuple, set, str, int, float)
PUBLIC_ATTRIBUTES = frozenset(name for kind in VALUE_TYPES for name in dir(kind) if not name.startswith("_"))
# What leads from a value to the interpreter's state: never readable, even where the code defines the name.
INTROSPECTION = frozenset(
    name
    for kind in (
        types.FrameType,
        types.GeneratorType,
        types.CoroutineType,
        types.AsyncGeneratorType,
        types.CodeType,
        types.TracebackType,
        types.FunctionType,
        types.CellType,
    )
    for name in dir(kind)
    if not name.startswith("_") and not callable(getattr(kind, name))
)
TYPING_NAMES = frozenset(name for name in typing.__all__ if name[:1].isupper())


@functools.cache
def _value(path: str) -> object:
    """The object a dotted path names, imported from the grader's own copy of the library."""
    module, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class Rule:
    """An allowlist: library objects by dotted name (``math.*``: any public name of math), and builtins."""

    name: str
    objects: frozenset[str]
    hint: str  # where the task text states the rule
    builtins: frozenset[str] = BASIC_BUILTINS | BUILTIN_EXCEPTIONS

    def allows(self, path: str) -> bool:
        """Whether ``path`` is listed, or is a public name under a listed ``module.*`` that is not a module."""
        if path in self.objects:
            return True
        module, _, attribute = path.rpartition(".")
        if f"{module}.*" not in self.objects or attribute.startswith("_"):
            return False
        try:
            return not isinstance(_value(path), types.ModuleType)
        except (AttributeError, ImportError):
            return False

    def modules(self) -> set[str]:
        """Dotted names that lead to allowed objects (``torch.nn`` for ``torch.nn.Parameter``)."""
        parts = [path.split(".") for path in self.objects]
        return {".".join(p[:k]) for p in parts for k in range(1, len(p))}


def _torch(*names: str) -> set[str]:
    return {f"torch.{name}" for name in names}


# fmt: off
FROM_SCRATCH = Rule("from_scratch", hint='see "What your code may use" in the task: only that runs when grading.',
                    objects=frozenset({"math.*", *_torch(
    "tanh", "relu", "sigmoid", "exp", "log", "sqrt", "zeros", "zeros_like", "ones", "ones_like", "empty", "empty_like",
    "full", "full_like", "tensor", "as_tensor", "arange", "randn", "rand", "stack", "cat", "matmul", "mm", "bmm",
    "addmm", "einsum", "transpose", "reshape", "unsqueeze", "squeeze", "flip", "split", "chunk", "unbind", "where",
    "clamp", "maximum", "minimum", "no_grad", "Tensor", "Size", "device", "dtype", "float16", "float32", "float64",
    "float", "double", "int64", "long", "bool", "is_tensor", "get_default_dtype",
    "nn.Module", "nn.Parameter", "nn.ParameterList", "nn.ParameterDict", "nn.ModuleList", "nn.ModuleDict", "nn.init.*",
    "nn.functional.linear", "nn.functional.relu", "nn.functional.tanh", "nn.functional.sigmoid",
)}))
DEVICE_CHECKS = Rule("device_checks", hint="call only the checks that pick_device's task lists, inside pick_device.",
                     objects=frozenset(_torch(
    "cuda.is_available", "cuda.device_count", "backends.cuda.is_built", "backends.mps.is_available",
    "backends.mps.is_built", "mps.is_available", "accelerator.is_available", "accelerator.current_accelerator",
    "device",
)))
# fmt: on
RULES = {rule.name: rule for rule in (FROM_SCRATCH, DEVICE_CHECKS)}


class Refused(Exception):
    """The first use outside the rule, as one line."""


def _quote(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return f"`{text if len(text) <= 70 else text[:67] + '...'}`"


def _chain(node: ast.Attribute) -> tuple[ast.AST, list[str]]:
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return node, names[::-1]


def _literal_name(node: ast.AST) -> bool:
    """A string or f-string that starts with a letter: a name that is never private or a dunder."""
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value[:1].isalpha()


class _Checker(ast.NodeVisitor):
    def __init__(self, rule: Rule, own: set[str], roots: dict[str, str], own_attributes: set[str]):
        self.rule, self.own, self.roots, self.own_attributes = rule, own, roots, own_attributes
        self.scopes: list[tuple[set[str], str | None]] = []  # (locals, name of self) of each function
        self.in_annotation = False

    def refuse(self, node: ast.AST, why: str):
        raise Refused(f"{_quote(node)} {why}")

    def local(self, name: str) -> bool:
        return any(name in names for names, _ in self.scopes)

    def self_name(self) -> str | None:
        return self.scopes[-1][1] if self.scopes else None

    def generic_visit(self, node):
        if isinstance(node, NOT_ALLOWED):
            self.refuse(node, f"is a {type(node).__name__} statement, which the rule does not allow")
        super().generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        if node.name:  # a caught error's attributes (AttributeError.obj, say) carry out what library code found
            self.refuse(node.type or node, f"binds the caught error as {node.name}, which the rule does not allow")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef):
        if getattr(node, "type_params", None):
            self.refuse(node, "has type parameters, which the rule does not allow")
        for child in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(child)
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef):
                self.function(statement, in_class=True)
            else:
                self.visit(statement)

    def annotation(self, node: ast.AST | None):
        """Annotations run when the function is defined: checked like any code, with typing's names."""
        if node is not None:
            self.in_annotation, before = True, self.in_annotation
            try:
                self.visit(node)
            finally:
                self.in_annotation = before

    def visit_FunctionDef(self, node: ast.FunctionDef):
        self.function(node, in_class=False)

    def visit_Lambda(self, node: ast.Lambda):
        self.function(node, in_class=False)

    def function(self, node, in_class: bool):
        if getattr(node, "type_params", None):
            self.refuse(node, "has type parameters, which the rule does not allow")
        for child in [*getattr(node, "decorator_list", []), *node.args.defaults, *node.args.kw_defaults]:
            if child is not None:
                self.visit(child)
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
        for argument in every:
            self.annotation(argument.annotation if argument is not None else None)
        self.annotation(getattr(node, "returns", None))
        names = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        body = node.body if isinstance(node.body, list) else [node.body]
        for statement in body:
            for inner in ast.walk(statement):
                if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
                    names.add(inner.id)
                elif isinstance(inner, (ast.ExceptHandler, ast.FunctionDef, ast.ClassDef)) and inner.name:
                    names.add(inner.name)  # a caught error, a nested function or class
                elif isinstance(inner, (ast.Import, ast.ImportFrom)):
                    names |= {(a.asname or a.name).split(".")[0] for a in inner.names}
        positional = [*arguments.posonlyargs, *arguments.args]
        static = any(_quote(d) == "`staticmethod`" for d in getattr(node, "decorator_list", []))
        if in_class:
            me = positional[0].arg if positional and not static else None
        else:  # a nested function or lambda sees its method's self, unless it binds that name itself
            me = self.self_name()
            me = None if me in names else me
        self.scopes.append((names, me))
        for statement in body:
            self.visit(statement)
        self.scopes.pop()

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name == "typing":
                continue  # its names are allowed in annotations only
            if alias.name not in self.rule.modules() and not self.rule.allows(alias.name):
                self.refuse(node, f"imports {alias.name}, which the rule does not list")

    def visit_ImportFrom(self, node):
        if node.module == "__future__" or (node.module == "typing" and not node.level):
            if node.module == "typing" and any(a.name not in TYPING_NAMES for a in node.names):
                self.refuse(node, "imports from typing what is not a type: typing gives only annotations")
            return
        for alias in node.names:
            path = f"{node.module}.{alias.name}"
            if node.level or (path not in self.rule.modules() and not self.rule.allows(path)):
                self.refuse(node, f"imports {path}, which the rule does not list")

    def visit_Name(self, node: ast.Name):
        if not isinstance(node.ctx, ast.Load) or self.local(node.id) or node.id in self.own - set(self.roots):
            return
        if self.in_annotation and self.roots.get(node.id) in {"typing", *(f"typing.{n}" for n in TYPING_NAMES)}:
            return  # typing, or a type from it, in an annotation
        if node.id in self.roots and not self.rule.allows(self.roots[node.id]):
            self.refuse(node, "uses a library as a value: use its functions by their dotted names")
        if node.id in self.roots:
            return  # an allowed function or class, imported by name
        if node.id not in self.rule.builtins:
            self.refuse(node, f"uses {node.id}, which the rule does not allow")

    def visit_Attribute(self, node: ast.Attribute):
        root, names = _chain(node)
        typing_name = isinstance(root, ast.Name) and self.roots.get(root.id) == "typing" and names[0] in TYPING_NAMES
        if self.in_annotation and typing_name and len(names) == 1:
            return
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.store(node, root)
        if isinstance(root, ast.Name) and root.id in self.roots and not self.local(root.id):
            path = self.roots[root.id]
            if self.rule.allows(path):  # an allowed object imported by name: its attributes, as any object's
                self.attributes(node, names, on_self=False)
                return
            for index, name in enumerate(names):
                path = f"{path}.{name}"
                if self.rule.allows(path):
                    self.attributes(node, names[index + 1 :], on_self=False)
                    return
                if path not in self.rule.modules():
                    self.refuse(node, f"uses {path}, which the rule does not list")
            self.refuse(node, "uses a module as a value: use its functions by their dotted names")
        if isinstance(root, ast.Call) and _quote(root.func) == "`super`" and names[:1] == ["__init__"]:
            names = names[1:]
        on_self = isinstance(root, ast.Name) and root.id == self.self_name()
        self.attributes(node, names, on_self)
        self.visit(root)

    def attributes(self, node: ast.AST, names: list[str], on_self: bool):
        for index, name in enumerate(names):
            first_on_self = on_self and index == 0
            public = not name.startswith("_") and (first_on_self or name in PUBLIC_ATTRIBUTES)
            own = name in self.own_attributes and (first_on_self or not name.startswith("_"))
            dunder = name.startswith("__") and name.endswith("__")
            if dunder or name in INTROSPECTION or not (public or own):
                self.refuse(node, f"reads the attribute {name}, which the rule does not allow here")

    def store(self, node: ast.AST, root: ast.AST):
        if not (isinstance(root, ast.Name) and self.local(root.id)):
            self.refuse(node, "changes something this code did not create: change only self and local variables")

    def visit_Subscript(self, node: ast.Subscript):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            self.store(node, root)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in ("getattr", "setattr") and not self.local(node.func.id):
            me = self.self_name()
            if not (
                len(node.args) >= 2
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == me
                and me is not None
                and _literal_name(node.args[1])
            ):
                self.refuse(
                    node,
                    f"uses {node.func.id}, allowed only as {node.func.id}(self, NAME, ...) with NAME a string or "
                    'f-string that starts with a letter, such as f"weight_ih_l{k}"',
                )
            for child in [*node.args[1:], *node.keywords]:
                self.visit(child)
            return
        self.generic_visit(node)


def check(name: str, rule: Rule, chosen: list[Definition]) -> None:
    """Raise :class:`Refused` at the first use outside ``rule`` in the code behind ``name``."""
    if not any(name in d.binds for d in chosen):
        return  # nothing to check: the tests say that the name is not defined
    own = set().union(*(d.binds for d in chosen))
    roots = {n: p for n, p in LIBRARY_ROOTS.items() if n not in own}
    own_attributes = set()
    for definition in chosen:
        for node in ast.walk(definition.node):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = (alias.asname or alias.name).split(".")[0]
                    full = alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
                    if isinstance(node, ast.Import) and alias.asname is None:
                        full = alias.name.split(".")[0]
                    roots[bound] = full
            elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
                own_attributes.add(node.attr)
            elif isinstance(node, ast.ClassDef):
                own_attributes |= {n for child in node.body for n in _bound(child)}
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("register_parameter", "register_buffer")
                and node.args
                and _literal_name(node.args[0])
            ):
                own_attributes.add(_literal_text(node.args[0]))
    checker = _Checker(rule, own, roots, own_attributes)
    for definition in chosen:
        checker.visit(definition.node)


def _bound(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.JoinedStr):
        node = node.values[0]
    return node.value
