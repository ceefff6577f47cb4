"""The code behind a name: the definitions in a learner's cells that a graded name needs.

Grading runs only this code. A learner's cells are read, in notebook order, as Python (an
IPython line magic or shell line becomes the call IPython would make, and is an expression like
any other); ``%%time``, ``%%timeit`` and ``%%capture`` cells, and ``%time`` lines, are read as
the Python they wrap, and other cell magics are not Python. Of each cell, only the
**definitions** at its top level count:

- ``def`` and ``class`` statements (with their decorators);
- ``import`` and ``from ... import`` statements (not ``import *``); a ``from __future__`` import
  applies to the whole program, as IPython applies it to every later cell;
- assignments whose every target is a plain name (``x = ...``, ``a, b = ...``, ``x: int = ...``,
  ``x += ...``);
- ``if`` and ``try`` statements that hold only definitions (``try: import tqdm`` with an
  ``except ImportError:`` fallback, a device chosen by ``if``/``else``).

Everything else (expressions, prints, plots, loops, ``if`` blocks, stores into attributes or
items) is the learner's workbench: it never runs when grading. The code behind a name is the last
definition that binds it (for a name without a rule, every definition of it, in order, so that
one that raises leaves the value before it) and, transitively, the definitions of the global names that code reads:
names read when a statement runs (a right-hand side, a decorator, a default, a class body) come
from the definitions before it; names read inside a function come from the last definitions in
the notebook, as when the function is called after every cell has run.
"""

from __future__ import annotations

import ast
import bisect
import symtable
from dataclasses import dataclass, field

from IPython.core.inputtransformer2 import TransformerManager

WRAPPING_MAGICS = ("time", "timeit", "capture")  # cell magics whose body is Python run in the notebook
MAX_CELL_CHARS = 50_000  # longer cells are not read
MAX_ESCAPE_WORK = 500_000  # IPython reads a cell once per magic or shell line: lines x characters
IMMEDIATE_SCOPES = ("listcomp", "setcomp", "dictcomp", "genexpr")  # run when the statement runs


@dataclass
class Definition:
    """One top-level definition: where it is, what it binds, and the global names it reads."""

    node: ast.stmt
    cell: int  # index of the learner cell it came from
    binds: set[str]
    reads_now: set[str] = field(default_factory=set)  # when the statement runs
    reads_later: set[str] = field(default_factory=set)  # when a function it defines is called


def python_of(source: str) -> ast.Module | None:
    """A learner cell as the Python IPython would run, or None where it is not Python."""
    if len(source) > MAX_CELL_CHARS:
        return None
    first, _, body = source.lstrip().partition("\n")
    if first.startswith("%%"):
        magic = first[2:].split(maxsplit=1)
        return python_of(body) if magic and magic[0] in WRAPPING_MAGICS else None
    escapes = sum(line.lstrip()[:1] in ("%", "!", "?") for line in source.splitlines())
    if escapes * len(source) > MAX_ESCAPE_WORK:
        return None
    try:  # what IPython runs: prompts stripped, magics and shell lines as calls
        tree = ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # anything IPython cannot turn into Python is not Python
        return None
    body = []
    for node in tree.body:
        wrapped = _timed(node)
        body += wrapped.body if wrapped is not None else [node]
    tree.body = body
    return tree


def _timed(node: ast.stmt) -> ast.Module | None:
    """The statement that a ``%time`` line runs, as Python, or None."""
    call = node.value if isinstance(node, ast.Expr) else None
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "run_line_magic"
        and len(call.args) == 2
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)
        and call.args[0].value == "time"
    ):
        return None
    try:
        return ast.parse(call.args[1].value)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def bound_names(node: ast.stmt) -> set[str] | None:
    """The names a top-level statement binds, or None if it is not a definition."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.ImportFrom) and node.module == "__future__":
        return set()
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if any(alias.name == "*" for alias in node.names):
            return None
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, ast.Pass):
        return set()
    if isinstance(node, (ast.If, ast.Try)):
        blocks = [node.body, node.orelse]
        if isinstance(node, ast.Try):
            blocks += [node.finalbody, *(handler.body for handler in node.handlers)]
        names = {handler.name for handler in getattr(node, "handlers", []) if handler.name}
        for statement in (s for block in blocks for s in block):
            inner = bound_names(statement)
            if inner is None:
                return None
            names |= inner
        return names or None
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif (isinstance(node, ast.AnnAssign) and node.value is not None) or isinstance(node, ast.AugAssign):
        targets = [node.target]
    else:
        return None
    names: set[str] = set()
    for target in targets:
        pending = [target]
        while pending:
            item = pending.pop()
            if isinstance(item, ast.Name):
                names.add(item.id)
            elif isinstance(item, (ast.Tuple, ast.List)):
                pending += item.elts
            elif isinstance(item, ast.Starred):
                pending.append(item.value)
            else:
                return None  # an attribute or item store: not a definition
    return names


def _reads(table: symtable.SymbolTable, runs_now: bool, found: tuple[set[str], set[str]]) -> None:
    """Add the global names ``table`` reads to ``found``: (read when the statement runs, read later)."""
    for symbol in table.get_symbols():
        if symbol.is_referenced() and (table.get_type() == "module" or symbol.is_global()):
            found[0 if runs_now else 1].add(symbol.get_name())
    for child in table.get_children():
        immediate = child.get_type() == "class" or child.get_name().strip("<>") in IMMEDIATE_SCOPES
        _reads(child, runs_now and immediate, found)


def _cell_definitions(source: str) -> list[tuple[ast.stmt, set[str], set[str], set[str]]]:
    """(node, binds, reads now, reads later) of each top-level definition of one cell."""
    tree, found = python_of(source), []
    for node in tree.body if tree is not None else []:
        binds = bound_names(node)
        if binds is None:
            continue
        try:
            table = symtable.symtable(ast.unparse(node), "<definition>", "exec")
        except (SyntaxError, ValueError, RecursionError):
            continue
        reads: tuple[set[str], set[str]] = (set(), set())
        _reads(table, True, reads)
        if isinstance(node, ast.AugAssign):
            reads[0].add(node.target.id)
        found.append((node, binds, reads[0], reads[1] - reads[0]))
    return found


def definitions(cells: list[str], cache: dict[str, list] | None = None) -> list[Definition]:
    """Every top-level definition in ``cells`` (learner cells, in notebook order).

    ``cache`` (source -> what it defines) lets a grader read each cell once per notebook.
    """
    cache = {} if cache is None else cache
    found = []
    for index, source in enumerate(cells):
        if source not in cache:
            cache[source] = _cell_definitions(source)
        found += [Definition(node, index, *rest) for node, *rest in cache[source]]
    return found


def _future(definition: Definition) -> bool:
    return isinstance(definition.node, ast.ImportFrom) and definition.node.module == "__future__"


def code_behind(names, found: list[Definition], every: bool = False) -> list[Definition]:
    """The definitions behind ``names``, in notebook order (and every ``from __future__`` import).

    ``every``: also each earlier definition of every name, as Jupyter ran them all: where a later
    one raises, the name keeps the value the one before gave it.
    """
    where: dict[str, list[int]] = {}
    for index, definition in enumerate(found):
        for name in definition.binds:
            where.setdefault(name, []).append(index)
    chosen = {i: d for i, d in enumerate(found) if _future(d)} if names else {}
    pending, seen = [(name, len(found)) for name in names], set()
    while pending:
        name, before = pending.pop()
        if (name, before) in seen:
            continue
        seen.add((name, before))
        places = where.get(name, [])
        position = bisect.bisect_left(places, before)
        if not position or places[position - 1] in chosen:
            continue
        for index in places[:position] if every else [places[position - 1]]:
            if index not in chosen:
                chosen[index] = found[index]
                pending += [(n, index) for n in found[index].reads_now]
                pending += [(n, len(found)) for n in found[index].reads_later]
    return [chosen[i] for i in sorted(chosen)]


def program(chosen: list[Definition]) -> list[str]:
    """What grading runs for these definitions: one cell each, ``from __future__`` imports first.

    Each runs as a cell of its own, as in the learner's notebook: one that raises leaves the
    others defined.
    """
    ordered = [d.node for d in chosen if _future(d)] + [d.node for d in chosen if not _future(d)]
    return [ast.unparse(node) + "\n" for node in ordered]
