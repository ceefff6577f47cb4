"""Publishing: the GitHub Pages workflow, checked offline, and the install it asks for."""

import re
import shutil
import subprocess

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from rnncourse.book import build_book
from rnncourse.downloads import HEADER
from rnncourse.launch import LaunchSettings, launch_urls

WORKFLOW = ROOT / ".github" / "workflows" / "website.yml"
README = (ROOT / "README.md").read_text()
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def readme_command(target: str) -> str:
    """The command README's first code block gives for ``target`` (``make book``), without its comment."""
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    (line,) = [line for line in block.splitlines() if line.startswith(f"make {target}")]
    return line.split("#")[0].strip()


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_the_workflow_passes_actionlint():
    actionlint = shutil.which("actionlint", path=str(ROOT / ".venv" / "bin")) or shutil.which("actionlint")
    assert actionlint, "actionlint is missing: `make setup` installs it (requirements-dev.txt)"
    result = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, f"actionlint {WORKFLOW.name}: {result.stdout}{result.stderr}"


def test_the_workflow_builds_with_readmes_command_and_the_cpu_wheels():
    build = workflow()["jobs"]["build"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert runs == [readme_command("book")], f"the workflow runs {runs}, README builds with {readme_command('book')}"
    assert build["env"]["TORCH_INDEX"] == CPU_INDEX
    assert f"TORCH_INDEX={CPU_INDEX}" in README, "README documents the CPU wheels the workflow uses"


def test_binder_installs_the_cpu_build_of_torch():
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert f"--extra-index-url {CPU_INDEX}" in lines, "Binder has no GPU: its torch should be the CPU build"


def test_pushes_to_main_deploy_the_built_site_and_pull_requests_only_build():
    flow = workflow()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    upload = next(s for s in flow["jobs"]["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html" and "pull_request" in upload["if"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert flow["permissions"] == {"contents": "read"}, "only the deploy job may write"


def setup_commands(tmp_path, *variables) -> list[str]:
    """What ``make setup`` would run for a fresh .venv, without running it."""
    make = ["make", "-n", "-B", "setup", f"VENV={tmp_path / 'venv'}", *variables]
    return subprocess.run(make, cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()


def test_a_torch_index_installs_the_pinned_torch_from_it_before_the_rest(tmp_path):
    pin = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("torch=="))
    commands = setup_commands(tmp_path, f"TORCH_INDEX={CPU_INDEX}")
    installs = [c for c in commands if "pip install" in c and "--upgrade pip" not in c]
    assert installs[0].endswith(f'pip install -q --index-url {CPU_INDEX} "{pin}"'), installs
    assert installs[1].endswith("pip install -q -r requirements.txt -r requirements-dev.txt"), installs


def test_without_a_torch_index_setup_installs_from_pypi_only(tmp_path):
    assert not [c for c in setup_commands(tmp_path) if "--index-url" in c or "download.pytorch.org" in c]


@pytest.mark.book
def test_a_build_in_a_clone_links_to_its_git_remote(tmp_path, monkeypatch):
    """What a clone, and the workflow's checkout, build: launch links from ``origin``, with no setting."""
    remote = "https://github.com/teacher/rnn-basics"
    for name in ["_config.yml", "book/_static", "exercises/03_torch_rnn/torch_rnn.ipynb"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    header = (ROOT / "book" / "01-sequential-data.md").read_text().split("---\n")[1]
    (tmp_path / "book" / "index.md").write_text(
        f"---\n{header}---\n\n# Home\n\n```{{code-cell}} ipython3\nfrom rnncourse.shapes import BATCH\n```\n"
    )
    (tmp_path / "book" / "exercise.md").write_text("# An exercise\n\n```{exercise-links} 03_torch_rnn\n```\n")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: book/exercise\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:teacher/rnn-basics.git"])
    for variable in ("COURSE_REPOSITORY", "COURSE_HUB"):
        monkeypatch.delenv(variable, raising=False)
    result = build_book(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    site = tmp_path / "_build" / "html" / "book"
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in home.select("a.btn-source-repository-button")] == [remote]
    assert {a["href"] for a in home.select(".dropdown-launch-buttons a")} == set(
        launch_urls(LaunchSettings(remote), "book/index.md").values()
    )
    exercise = BeautifulSoup((site / "exercise.html").read_text(), "html.parser")
    launches = {a.get_text() for a in exercise.select("a.exercise-launch")}
    assert launches == {"Open in Colab", "Open in Binder"}
    download = nbformat.read(tmp_path / "_build" / "html" / "_sources" / "book" / "index.ipynb", as_version=4)
    assert download.cells[0].source.startswith(HEADER) and '"rnncourse.shapes":' in download.cells[0].source
