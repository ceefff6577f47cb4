"""Without bubblewrap, autograding stops before it runs any submission."""

import shutil
import subprocess

import nbformat

from nbgrader_cli import BIN, ENV, nbgrader
from rnncourse.grading.submissions import make_submission


def test_autograde_without_bwrap_stops_before_running_anything(root, tmp_path):
    shutil.copy(root / "nbgrader_config.py", tmp_path)
    shutil.copytree(root / "solutions", tmp_path / "solutions")
    nbgrader("generate_assignment", "01_one_hot_hello", "--force", cwd=tmp_path)
    folder = tmp_path / "submitted" / "alice" / "01_one_hot_hello"
    folder.mkdir(parents=True)
    nbformat.write(make_submission("01_one_hot_hello"), folder / "one_hot_hello.ipynb")

    no_bwrap = {**ENV, "PATH": str(BIN)}  # this environment's tools, nothing from /usr/bin
    result = subprocess.run([str(BIN / "nbgrader"), "autograde", "01_one_hot_hello"], cwd=tmp_path,
                            env=no_bwrap, capture_output=True, text=True)
    assert result.returncode != 0
    assert "apt-get install bubblewrap" in result.stderr
    assert "allow_unsandboxed" in result.stderr
    assert not (tmp_path / "autograded").exists()
