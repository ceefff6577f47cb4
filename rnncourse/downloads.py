"""Chapter downloads that run on their own: the course's helpers travel inside the notebook.

A chapter imports drawing and table helpers from ``rnncourse``. Its ``.ipynb`` download
starts with one extra cell that defines exactly those modules, and the course modules
they import, from their source. The notebook then runs in any Jupyter or Colab that has
the learners' packages, without the course repository and without a network.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterable
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

PACKAGE = "rnncourse"
PACKAGE_DIR = Path(__file__).parent
HEADER = "# The course's helpers that this chapter imports, defined here from their source so that"

CELL_TEMPLATE = """{header}
# the notebook runs without a copy of the course repository: {names}.
import linecache
import sys
import types

for _name, _source in {{
{sources}}}.items():
    linecache.cache[f"<{{_name}}>"] = (len(_source), None, _source.splitlines(True), f"<{{_name}}>")  # for inspect
    _module = sys.modules[_name] = types.ModuleType(_name)
    _module.__package__ = _name if _name == "{package}" else _name.rpartition(".")[0]
    exec(compile(_source, f"<{{_name}}>", "exec"), _module.__dict__)
    if _name != "{package}":
        setattr(sys.modules[_module.__package__], _name.rpartition(".")[2], _module)
del _name, _source, _module
"""


def module_path(name: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The source file of the course module ``name`` (e.g. ``rnncourse.figures``), if it exists."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    folder = package_dir.joinpath(*parts[1:])
    candidates = [folder / "__init__.py", *([folder.with_suffix(".py")] if parts[1:] else [])]
    return next((path for path in candidates if path.is_file()), None)


def imported_modules(code: str, importer: str | None = None, package_dir: Path = PACKAGE_DIR) -> set[str]:
    """The course modules that ``code`` imports; relative imports are read from the module ``importer``."""
    package = None
    if importer:
        package = importer if module_path(importer, package_dir).name == "__init__.py" else importer.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}  # `from rnncourse import figures`
    return {name for name in found if module_path(name, package_dir)}


def carried_modules(code_cells: Iterable[str], package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The course modules that the cells need, each after its package and the modules it imports."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if "." in name:
            visit(name.rpartition(".")[0])
        for dependency in sorted(imported_modules(module_path(name, package_dir).read_text(), name, package_dir)):
            visit(dependency)
        order.append(name)

    to_python = TransformerManager().transform_cell  # magics and shell lines become plain Python
    for code in code_cells:
        for name in sorted(imported_modules(to_python(code), package_dir=package_dir)):
            visit(name)
    return order


def _literal(source: str) -> str:
    """``source`` as a readable raw triple-quoted string, or as repr() where that would change it."""
    for quote in ("'''", '"""'):
        literal = f"r{quote}{source}{quote}"
        if quote not in source:
            try:
                if ast.literal_eval(literal) == source:
                    return literal
            except SyntaxError:
                pass
    return repr(source)


def carried_helpers_cell(modules: list[str], package_dir: Path = PACKAGE_DIR) -> str:
    """The first cell of a chapter download: it defines ``modules`` from their source, in order."""
    sources = "".join(f'    "{name}": {_literal(module_path(name, package_dir).read_text())},\n' for name in modules)
    return CELL_TEMPLATE.format(header=HEADER, names=", ".join(modules), sources=sources, package=PACKAGE)


def carry_helpers(path: Path, package_dir: Path = PACKAGE_DIR) -> bool:
    """Make the notebook at ``path`` carry the current source of the course modules it imports.

    A cell carried by an earlier build is replaced. Returns whether the notebook needs any.
    """
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if not (c.cell_type == "code" and c.source.startswith(HEADER))]
    modules = carried_modules([c.source for c in cells if c.cell_type == "code"], package_dir)
    if modules:
        cell = nbformat.v4.new_code_cell(carried_helpers_cell(modules, package_dir))
        cell.metadata["jupyter"] = {"source_hidden": True}  # JupyterLab shows it folded
        cells.insert(0, cell)
    if [c.source for c in cells] != [c.source for c in notebook.cells]:
        notebook.cells = cells
        nbformat.write(notebook, path)
    return bool(modules)
