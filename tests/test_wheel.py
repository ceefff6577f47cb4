"""The package as others install it: a wheel built from the repository, in a fresh environment.

The fresh environment reuses this one's installed dependencies through a ``.pth`` file (so the
test downloads nothing), but holds only the wheel's copy of ``rnncourse`` and its own scripts.
"""

import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.wheel


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of what the package is made of (the build writes beside its source)."""
    source = tmp_path_factory.mktemp("source")
    for name in ["pyproject.toml", "README.md", "rnncourse"]:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, source)
    (path,) = out.glob("rnncourse-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    (site_packages,) = venv.glob("lib/python*/site-packages")
    (site_packages / "course_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel)
    return venv


def test_the_wheel_holds_every_module_the_grading_config_and_the_command(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rnncourse").rglob("*.py")}
    assert modules <= set(names)
    assert any(n.endswith(".data/data/etc/jupyter/nbgrader_config.py") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    for dependency in ("torch", "numpy", "matplotlib"):
        assert f"Requires-Dist: {dependency}" in metadata
    for dependency in ("nbgrader", "jupyter-book", "nbformat", "psutil"):
        assert re.search(rf"Requires-Dist: {dependency}\S*; extra == .course.", metadata), dependency
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "rnncourse = rnncourse.cli:main" in entry_points


def test_the_installed_command_checks_a_course_it_is_pointed_at(venv, tmp_path):
    python = venv / "bin" / "python"
    located = run(python, "-c", "import rnncourse; print(rnncourse.__file__)", cwd=tmp_path).stdout
    assert located.startswith(str(venv)), "the fresh environment imports the wheel's copy"
    run(python, "-m", "pip", "check")  # the declared dependencies are met by the pinned ones
    assert "rnncourse" not in run(python, "-m", "pip", "list", "--editable").stdout
    assert "autograde" in run(venv / "bin" / "rnncourse", "--help", cwd=tmp_path).stdout
    result = run(venv / "bin" / "rnncourse", "check", "--root", ROOT, cwd=tmp_path)
    assert "the course is consistent" in result.stdout


def test_the_installed_grading_config_fails_closed_without_a_course_config(venv, tmp_path):
    """The wheel's environment config is loaded by nbgrader: with no course config, grading refuses."""
    (tmp_path / "submitted" / "alice" / "01_one_hot_hello").mkdir(parents=True)
    (tmp_path / "submitted" / "alice" / "01_one_hot_hello" / "one_hot_hello.ipynb").write_text("{}")
    path = f"{venv / 'bin'}:{Path(sys.executable).parent}:/usr/bin:/bin"  # alembic from this environment
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "nbgrader", "autograde", "01_one_hot_hello"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": path, "HOME": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "Grading refused: the course's nbgrader_config.py did not load completely" in result.stderr
    assert not (tmp_path / "autograded").exists()
