"""Every download runs on its own: the notebooks the website offers, executed as they are in a fresh
environment that has only the learners' packages, with no course repository and no network.

That environment is a venv whose site-packages links to this environment's copies of those
packages and of what they need (nothing is downloaded); ``rnncourse`` is not among them. Its
kernel runs under bubblewrap in a network namespace of its own and talks over Unix sockets.
"""

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbgrader.utils import is_grade, is_solution
from packaging.requirements import Requirement
from test_exercises import ALLOWED_IMPORTS

from conftest import ASSIGNMENTS
from rnncourse.assignments import grade_id
from rnncourse.downloads import HEADER, carried_modules, carry_helpers
from test_book import CHAPTERS

# The packages of a learner's own Jupyter or Colab: the third-party names that released notebooks may import.
LEARNER_PACKAGES = sorted(
    metadata.packages_distributions()[name][0] for name in ALLOWED_IMPORTS - sys.stdlib_module_names - {"IPython"}
)

KERNEL_NAME = "learner"
KERNEL_PACKAGES = ["ipykernel"]  # what any Jupyter or Colab runs a notebook with


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution_closure(names) -> list[metadata.Distribution]:
    """The installed distributions ``names`` and everything they require (extras left out)."""
    found, todo = {}, [_canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = metadata.distribution(name)
        for line in found[name].requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_canonical(requirement.name))
    return list(found.values())


def create_learner_env(folder: Path, packages) -> Path:
    """A venv in ``folder`` holding ``packages`` (distribution names) and their requirements; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    (site_packages,) = folder.glob("lib/python*/site-packages")
    for distribution in distribution_closure([*packages, *KERNEL_PACKAGES]):
        root = Path(distribution.locate_file(""))
        tops = {Path(f).parts[0] for f in distribution.files or [] if not str(f).startswith("..")}
        for top in tops - {"__pycache__"}:
            if (root / top).exists() and not (site_packages / top).exists():
                (site_packages / top).symlink_to(root / top)
    return folder / "bin" / "python"


def learner_kernel(python: Path, folder: Path) -> KernelManager:
    """A kernel of ``python`` with no network, reached over Unix sockets in ``folder``."""
    assert shutil.which("bwrap"), "the learner kernel runs under bubblewrap (`make system` installs it)"
    sandbox = ["bwrap", "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"]
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [*sandbox, str(python), "-I", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Learner",
                "language": "python",
                "env": {"PYTHONNOUSERSITE": "1", "MPLBACKEND": "agg"},
            }
        )
    )
    manager = KernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=str(folder / "kernel"))
    manager.kernel_spec_manager.kernel_dirs = [str(folder / "kernels")]
    return manager


@pytest.fixture(scope="module")
def learner_python(tmp_path_factory):
    return create_learner_env(tmp_path_factory.mktemp("learner") / "venv", LEARNER_PACKAGES)


def execute(notebook, python, folder, allow_errors=False):
    """Run ``notebook`` top to bottom in a kernel of ``python`` (cwd ``folder``); the errors its cells raised.

    With ``allow_errors`` every cell runs, as "Run All" does in Jupyter, whatever an earlier one raised.
    """
    folder.mkdir(exist_ok=True)
    kernel = learner_kernel(python, folder)
    NotebookClient(
        notebook, km=kernel, timeout=300, allow_errors=allow_errors, resources={"metadata": {"path": str(folder)}}
    ).execute()
    return [f"{o.ename}: {o.evalue}" for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]


def downloaded(site, page, selector):
    """The notebook that the link ``selector`` on the website's ``page`` downloads."""
    html = site / "book" / f"{page}.html"
    (href,) = {a["href"] for a in BeautifulSoup(html.read_text(), "html.parser").select(selector)}
    return nbformat.read(html.parent / href, as_version=4)


def test_the_learner_environment_has_the_learners_packages_and_not_the_course(learner_python):
    imports = "; ".join(f"import {name}" for name in ["numpy", "torch", "matplotlib", "ipykernel"])
    assert subprocess.run([learner_python, "-I", "-c", imports]).returncode == 0
    found = subprocess.run([learner_python, "-I", "-c", "import rnncourse"], capture_output=True, text=True)
    assert "No module named 'rnncourse'" in found.stderr, "the learners' environment must not hold the course"


@pytest.mark.book
@pytest.mark.parametrize("page", CHAPTERS)
def test_a_chapter_download_runs_alone(site, page, learner_python, tmp_path):
    notebook = downloaded(site, page, "a[href$='.ipynb'][href*='_sources']")
    errors = execute(notebook, learner_python, tmp_path)
    assert errors == [], f"{page}.ipynb, run alone with {LEARNER_PACKAGES}, raised {errors}; hint: rnncourse.downloads"


@pytest.mark.book
@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=ASSIGNMENTS)
def test_an_exercise_download_runs_alone_blank_and_answered(site, assignment, learner_python, tmp_path):
    selector = "a.exercise-download"
    blank = downloaded(site, f"exercises/{assignment.name}", selector)
    execute(blank, learner_python, tmp_path / "blank", allow_errors=True)
    stopped = [
        grade_id(cell) or cell.source.splitlines()[0]
        for cell in blank.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
        and output.ename != "NotImplementedError"  # what a blank raises
        and not (is_grade(cell) or is_solution(cell))
    ]
    assert stopped == [], f"the blank {assignment.name} download fails other than at its blanks and tests: {stopped}"
    answered = downloaded(site, f"exercises/{assignment.name}", selector)
    answers = assignment.reference_answers()
    for cell in filter(is_solution, answered.cells):
        cell.source = answers[grade_id(cell)]
    errors = execute(answered, learner_python, tmp_path / "answered")
    assert errors == [], f"{assignment.name} with the reference answers, run alone, raised {errors}"


@pytest.fixture
def course_package(tmp_path):
    """A small ``rnncourse`` of its own: ``plots`` imports ``.style``, which imports ``rnncourse.colors``."""
    package = tmp_path / "rnncourse"
    package.mkdir()
    (package / "__init__.py").write_text('"""A course."""\n')
    (package / "colors.py").write_text('RED = "#c0392b"\n')
    (package / "style.py").write_text("from rnncourse.colors import RED\n\nLINE = {'color': RED}\n")
    (package / "plots.py").write_text("from . import style\n\n\ndef line():\n    return style.LINE\n")
    (package / "unused.py").write_text("raise ImportError('never carried')\n")
    return package


def test_a_download_carries_the_modules_it_imports_and_theirs(course_package, tmp_path):
    cells = ["%matplotlib inline\nfrom rnncourse.plots import line", "!echo no import here\nprint(line())"]
    assert carried_modules(cells, course_package) == [
        "rnncourse",
        "rnncourse.colors",
        "rnncourse.style",
        "rnncourse.plots",
    ]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path)
    assert carry_helpers(path, course_package)
    (course_package / "colors.py").write_text('RED = "#c0392b"  # edited\n')
    assert carry_helpers(path, course_package), "a rebuild carries the helpers' current source"
    notebook = nbformat.read(path, as_version=4)
    assert [c.source.startswith(HEADER) for c in notebook.cells] == [True, False, False], "one carried cell, once"
    assert "# edited" in notebook.cells[0].source
    script = notebook.cells[0].source + "\nfrom rnncourse.plots import line\nprint(line())\n"
    ran = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path / "..")
    assert ran.stdout == "{'color': '#c0392b'}\n", ran.stderr


def test_a_notebook_that_imports_no_course_module_is_left_as_it_is(course_package, tmp_path):
    path = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import torch")]), path)
    before = path.read_bytes()
    assert not carry_helpers(path, course_package)
    assert path.read_bytes() == before
