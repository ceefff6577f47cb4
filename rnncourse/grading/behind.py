"""The code behind a name: the definitions in a learner's cells that a graded name needs.

Grading runs only this code. A learner's cells are read, in notebook order, as Python (an
IPython line magic or shell line becomes the call IPython would make, and is an expression like
any other); ``%%time``, ``%%timeit`` and ``%%capture`` cells are read as the Python they wrap,
and other cell magics are not Python. Of each cell, only the **definitions** at its top level
count:

- ``def`` and ``class`` statements (with their decorators);
- ``import`` and ``from ... import`` statements (not ``import *``);
- assignments whose every target is a plain name (``x = ...``, ``a, b = ...``, ``x: int = ...``,
  ``x += ...``).

Everything else (expressions, prints, plots, loops, ``if`` blocks, stores into attributes or
items) is the learner's workbench: it never runs when grading. The code behind a name is the last
definition that binds it and, transitively, the definitions of the global names that code reads:
names read when a statement runs (a right-hand side, a decorator, a default, a class body) come
from the definitions before it; names read inside a function come from the last definitions in
the notebook, as when the function is called after every cell has run.
"""

from __future__ import annotations

import ast
import symtable
from dataclasses import dataclass, field

from IPython.core.inputtransformer2 import TransformerManager

WRAPPING_MAGICS = ("time", "timeit", "capture")  # cell magics whose body is Python run in the notebook
MAX_CELL_CHARS = 50_000  # longer cells are not read
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
    try:  # what IPython runs: prompts stripped, magics and shell lines as calls
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def bound_names(node: ast.stmt) -> set[str] | None:
    """The names a top-level statement binds, or None if it is not a definition."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if any(alias.name == "*" for alias in node.names):
            return None
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
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


def definitions(cells: list[str]) -> list[Definition]:
    """Every top-level definition in ``cells`` (learner cells, in notebook order)."""
    found = []
    for index, source in enumerate(cells):
        tree = python_of(source)
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
            found.append(Definition(node, index, binds, reads[0], reads[1] - reads[0]))
    return found


def code_behind(names, found: list[Definition]) -> list[Definition]:
    """The definitions behind ``names``, in notebook order."""
    chosen: dict[int, Definition] = {}
    pending = [(name, len(found)) for name in names]
    while pending:
        name, before = pending.pop()
        index = next((i for i in reversed(range(before)) if name in found[i].binds), None)
        if index is None or index in chosen:
            continue
        chosen[index] = found[index]
        pending += [(n, index) for n in found[index].reads_now]
        pending += [(n, len(found)) for n in found[index].reads_later]
    return [chosen[i] for i in sorted(chosen)]


def program(chosen: list[Definition]) -> str:
    """The source that grading runs for these definitions."""
    return ast.unparse(ast.Module(body=[d.node for d in chosen], type_ignores=[])) + "\n"
