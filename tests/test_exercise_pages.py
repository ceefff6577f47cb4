"""Each exercise page gives the task list, the time, the points and the file to hand in, as its notebook has them."""

import re
import shutil

import pytest

from conftest import ASSIGNMENTS
from rnncourse.assignments import by_name
from rnncourse.release import book_problems


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=list(ASSIGNMENTS))
def test_the_page_states_the_notebooks_points_and_file_and_lists_every_graded_name(assignment):
    page = assignment.page.read_text()
    assert f"\n- **Points**: {assignment.points:g}\n" in page
    assert re.search(r"\n- \*\*Time\*\*: about \w+", page)
    assert f"\n- **Hand in**: `{assignment.notebook('exercises').name}`, under exactly that name" in page
    tasks = page.split("\n## Tasks\n", 1)[1].split("\n## ", 1)[0]
    for name in assignment.graded_names:
        assert f"`{name}(" in tasks or f"`{name}`" in tasks, f"the tasks on {assignment.page.name} miss {name}"


def test_the_course_pages_have_no_problems(root):
    assert book_problems(root) == []


def test_check_names_a_wrong_total_a_missing_time_a_wrong_file_and_a_missing_task(root, tmp_path):
    for name in ["solutions", "book"]:
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "_toc.yml", tmp_path)
    hello = by_name(tmp_path)["01_one_hot_hello"]
    page = hello.page.read_text()
    broken = (
        page.replace(f"- **Points**: {hello.points:g}\n", "- **Points**: 12\n")
        .replace("- **Time**: about 45 minutes\n", "")
        .replace("`one_hot_hello.ipynb`, under", "`hello.ipynb`, under")
        .replace("`decode(batch, vocab)`", "the inverse")
    )
    hello.page.write_text(broken)
    entry = "book/exercises/01_one_hot_hello.md"
    assert book_problems(tmp_path) == [
        f"01_one_hot_hello: {entry} needs one line `- **Time**: ...`",
        f"01_one_hot_hello: {entry} states 12 points, the notebook is worth {hello.points:g}",
        f"01_one_hot_hello: {entry} must say to hand in `one_hot_hello.ipynb`, not "
        "'`hello.ipynb`, under exactly that name ({ref}`how to hand it in <hand-in>`)'",
        f"01_one_hot_hello: the tasks on {entry} do not name `decode`",
    ]

    hello.page.write_text(page.replace("## Tasks\n", "## What to do\n"))
    assert book_problems(tmp_path) == [f"01_one_hot_hello: {entry} has no `## Tasks` section"]
