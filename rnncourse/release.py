"""The released notebooks, generated from ``solutions/`` by nbgrader, and the checks that keep
the course's parts in step: sources, releases, book pages and the table of contents."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import yaml
from nbgrader.utils import is_grade, is_locked, is_solution

from rnncourse.assignments import Assignment, assignments, grade_id
from rnncourse.nbgrader_command import nbgrader

HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION")
STUB = "raise NotImplementedError()"
PAGE_FACTS = {  # the list at the top of an exercise page: - **Points**: 13
    fact: re.compile(rf"^- \*\*{fact}\*\*: (.+)$", re.MULTILINE) for fact in ("Points", "Time", "Hand in")
}


def generate(assignment: Assignment, release_directory: Path) -> Path:
    """Run ``nbgrader generate_assignment`` into ``release_directory``; return the released notebook."""
    nbgrader(
        "generate_assignment",
        assignment.name,
        "--no-db",
        "--force",
        f"--CourseDirectory.release_directory={release_directory}",
        cwd=assignment.root,
    )
    (path,) = (release_directory / assignment.name).glob("*.ipynb")
    return path


def release_all(root: Path) -> list[Path]:
    """Regenerate every ``exercises/NAME`` from ``solutions/NAME``."""
    return [generate(assignment, root / "exercises") for assignment in assignments(root)]


def toc_files(root: Path) -> list[str]:
    """Every file ``_toc.yml`` lists, in order, without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections", []) + entry.get("chapters", []))

    return [toc["root"], *walk(toc.get("parts", []) + toc.get("chapters", []))]


def source_problems(assignment: Assignment) -> list[str]:
    """What is wrong with the source notebook's nbgrader cells."""
    cells, name = assignment.cells(), assignment.name
    tests = [grade_id(c) for c in cells if is_grade(c)]
    problems = [
        f"{name}: {cell_id} has no test cell (test_{cell_id} or test_{cell_id}_...)"
        for cell_id in assignment.graded_names
        if not any(t == f"test_{cell_id}" or t.startswith(f"test_{cell_id}_") for t in tests)
    ]
    problems += [f"{name}: test cell {grade_id(c)} must be locked" for c in cells if is_grade(c) and not is_locked(c)]
    problems += [
        f"{name}: {grade_id(c)} has no docstring giving its shapes"
        for c in cells
        if is_solution(c) and c.cell_type == "code" and '"""' not in c.source
    ]
    return problems


def release_problems(assignment: Assignment) -> list[str]:
    """What differs between ``exercises/NAME`` and what nbgrader generates now."""
    name = assignment.name
    try:
        released = assignment.notebook("exercises")
    except ValueError:
        return [f"{name}: exercises/{name} does not hold exactly one notebook: run `rnncourse exercises`"]
    with tempfile.TemporaryDirectory() as scratch:
        generated = json.loads(generate(assignment, Path(scratch)).read_text())
    text = released.read_text()
    problems = (
        [] if json.loads(text) == generated else [f"{name}: exercises/{name} is out of date: run `rnncourse exercises`"]
    )
    problems += [f"{name}: the release contains {marker!r}" for marker in HIDDEN_MARKERS if marker in text]
    if text.count(STUB) < len(assignment.graded_names):
        problems.append(f"{name}: the release should stub every graded name with `{STUB}`")
    return problems


def book_problems(root: Path) -> list[str]:
    """Each assignment has its page, with its links, facts and tasks, and ``_toc.yml`` lists exactly those pages."""
    listed = toc_files(root)
    names = [a.name for a in assignments(root)]
    problems = []
    for assignment in assignments(root):
        entry = assignment.page.relative_to(root).with_suffix("").as_posix()
        if not assignment.page.is_file():
            problems.append(f"{assignment.name}: no book page {entry}.md")
        elif f"{{exercise-links}} {assignment.name}" not in assignment.page.read_text():
            problems.append(f"{assignment.name}: {entry}.md has no `{{exercise-links}} {assignment.name}` directive")
        else:
            problems += page_problems(assignment, f"{entry}.md")
        if entry not in listed:
            problems.append(f"{assignment.name}: _toc.yml does not list {entry}")
    strays = [f for f in listed if f.startswith("book/exercises/") and f.rsplit("/", 1)[1] not in [*names, "index"]]
    return problems + [f"_toc.yml lists {f}, which is no assignment's page" for f in strays]


def page_problems(assignment: Assignment, entry: str) -> list[str]:
    """The page states the notebook's points, a time, the file to hand in, and a task for every graded name."""
    text, name = assignment.page.read_text(), assignment.name
    facts = {fact: pattern.findall(text) for fact, pattern in PAGE_FACTS.items()}
    problems = [f"{name}: {entry} needs one line `- **{f}**: ...`" for f, found in facts.items() if len(found) != 1]
    points, file_name = f"{assignment.points:g}", assignment.notebook().name
    if facts["Points"][:1] not in ([], [points]):
        problems.append(f"{name}: {entry} states {facts['Points'][0]} points, the notebook is worth {points}")
    if facts["Hand in"] and not facts["Hand in"][0].startswith(f"`{file_name}`"):
        problems.append(f"{name}: {entry} must say to hand in `{file_name}`, not {facts['Hand in'][0]!r}")
    tasks = re.search(r"^## Tasks\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if not tasks:
        return [*problems, f"{name}: {entry} has no `## Tasks` section"]
    return problems + [
        f"{name}: the tasks on {entry} do not name `{graded}`"
        for graded in assignment.graded_names
        if not re.search(rf"`{re.escape(graded)}[`(]", tasks.group(1))
    ]


def course_problems(root: Path) -> list[str]:
    """Every inconsistency between the course's sources, releases and book; empty when all is well."""
    problems = book_problems(root)
    for assignment in assignments(root):
        problems += source_problems(assignment) + release_problems(assignment)
    return problems
