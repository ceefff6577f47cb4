"""The classroom end to end: a real JupyterHub, a learner in Debian's Chromium, the instructor's
nbgrader commands run as the instructor's Unix user, and the walls between accounts."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone
from urllib.parse import urlencode

import jsonschema
import nbformat
import psutil
import pytest
import yaml
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from classroom_hub import as_user, local_hub, running_classroom
from conftest import ASSIGNMENTS, ROOT
from rnncourse.grading.trial import make_submission

pytestmark = [pytest.mark.classroom, pytest.mark.browser]

HELLO = ASSIGNMENTS["01_one_hot_hello"]
ASSIGNMENT = HELLO.name
NOTEBOOK = HELLO.notebook("exercises").stem
LEARNER, OTHER_LEARNER = local_hub.LEARNERS[:2]
UI_SECONDS = 120  # a server's first start, a validation or a fetch on a busy 2-core machine
expect.set_options(timeout=UI_SECONDS * 1000)


def instructor(*args: str) -> str:
    """Run an nbgrader command as the instructor, in the course folder, as the page documents."""
    return as_user(local_hub.INSTRUCTOR, "nbgrader", *args, cwd=local_hub.course_folder()).stdout


@pytest.fixture(scope="module")
def hub(artifacts):
    with running_classroom(artifacts / "classroom-hub.log") as url:
        yield url


class Person:
    """A browser session on the hub: log in, then work in JupyterLab."""

    def __init__(self, browser, hub: str, name: str):
        self.name, self.hub = name, hub
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(UI_SECONDS * 1000)
        self.page.goto(f"{hub}/hub/login")
        self.page.fill("#username_input", name)
        self.page.fill("#password_input", local_hub.DEMO_PASSWORD)
        self.page.click("#login_submit")
        self.page.wait_for_url(f"**/user/{name}/lab**")
        self.page.wait_for_selector("#jp-main-dock-panel")

    def open_assignments(self):
        self.page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
        self.page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
        self.page.wait_for_selector("#released_assignments_list")
        return self.page

    def refresh(self):
        self.page.click("#refresh_assignments_list")
        self.page.wait_for_selector("#fetched_assignments_list_loading", state="hidden")

    def save_notebook(self, path: str, notebook) -> None:
        """Save a notebook through the server's contents API, as JupyterLab's save does."""
        status = self.page.evaluate(
            """async ([url, content]) => {
                const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf=')).split('=')[1];
                const response = await fetch(url, {method: 'PUT', headers: {'X-XSRFToken': xsrf,
                    'Content-Type': 'application/json'}, body: JSON.stringify(
                    {type: 'notebook', format: 'json', content: content})});
                return response.status;
            }""",
            [f"{self.hub}/user/{self.name}/api/contents/{path}", json.loads(nbformat.writes(notebook))],
        )
        assert status == 200, f"saving {path} answered {status}"


def submit(page):
    page.locator("#fetched_assignments_list button:text-is('Submit')").click()
    expect(page.locator("#submitted_assignments_list .list_item")).not_to_have_count(0)


def test_a_class_runs_through_the_hub(hub, browser, artifacts):
    instructor("generate_assignment", ASSIGNMENT, "--force")
    instructor("release_assignment", ASSIGNMENT)

    learner = Person(browser, hub, LEARNER)
    page = learner.open_assignments()
    released = page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
    expect(released).to_be_visible()
    page.screenshot(path=artifacts / "classroom-assignments.png")
    released.locator("button:text-is('Fetch')").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT)
    expect(fetched).to_be_visible()

    # A first, unfinished submission before the deadline ...
    submit(page)
    first = page.locator("#submitted_assignments_list .list_item").count()
    instructor("db", "assignment", "add", ASSIGNMENT, f"--duedate={datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC")

    # ... then the work, Validate, and a late resubmission.
    learner.save_notebook(f"{ASSIGNMENT}/{NOTEBOOK}.ipynb", make_submission(HELLO))
    fetched.locator("a.assignment-notebooks-link").click()
    page.locator("#fetched_assignments_list button:text-is('Validate')").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Success! Your notebook passes all the tests.")
    dialog.locator("button").last.click()
    submit(page)
    expect(page.locator("#submitted_assignments_list .list_item")).not_to_have_count(first)

    instructor("collect", ASSIGNMENT)
    instructor("autograde", ASSIGNMENT)
    instructor("generate_feedback", ASSIGNMENT)
    instructor("release_feedback", ASSIGNMENT)

    with Gradebook(f"sqlite:///{local_hub.course_folder() / 'gradebook.db'}") as gradebook:
        graded = gradebook.find_submission(ASSIGNMENT, LEARNER)
        score, max_score, late = graded.score, graded.max_score, graded.total_seconds_late
    assert score == max_score > 0, "the collected copy is the finished resubmission"
    assert late > 0, "the resubmission came after the due date and nbgrader marks it late"

    learner.refresh()
    page.locator("#submitted_assignments_list button:text-is('Fetch Feedback')").first.click()
    page.locator("#submitted_assignments_list a", has_text="view feedback").first.click()
    listing = page.locator(".jp-DirListing-item", has_text=f"{NOTEBOOK}.html")
    expect(listing).to_be_visible()
    (fetched_feedback,) = (local_hub.home(LEARNER) / ASSIGNMENT / "feedback").glob(f"*/{NOTEBOOK}.html")
    feedback = learner.context.new_page()
    feedback.goto(f"{hub}/user/{LEARNER}/files/{fetched_feedback.relative_to(local_hub.home(LEARNER))}")
    heading = f"{NOTEBOOK}: {float(score)} of {float(max_score)} points"
    expect(feedback.locator("#scores-title")).to_contain_text(heading)
    feedback.screenshot(path=artifacts / "classroom-feedback.png", full_page=True)
    page.screenshot(path=artifacts / "classroom-assignments-feedback.png")

    # JupyterHub forbids framing a server's pages, so formgrader opens in a tab of its own.
    formgrader = Person(browser, hub, local_hub.INSTRUCTOR).page
    formgrader.goto(f"{hub}/user/{local_hub.INSTRUCTOR}/formgrader")
    expect(formgrader.locator("tr", has_text=ASSIGNMENT)).to_contain_text("released")
    formgrader.screenshot(path=artifacts / "classroom-formgrader.png")


def permission_denied(user: str, *command) -> bool:
    result = as_user(user, *command, check=False)
    return result.returncode != 0 and "Permission denied" in result.stderr


def test_accounts_cannot_read_each_other_or_the_hub(hub):
    """Run after the class above: learner1's work, submission and feedback exist."""
    servers = [
        p
        for p in psutil.process_iter(["cmdline", "username"])
        if any("jupyterhub-singleuser" in part for part in p.info["cmdline"] or [])
    ]
    assert {p.info["username"] for p in servers} >= {LEARNER}, "each server runs as its own Unix user"
    learner_work = local_hub.home(LEARNER) / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    inbound = local_hub.EXCHANGE / local_hub.COURSE_ID / "inbound"
    course = local_hub.course_folder()
    hub_database = local_hub.HUB_STATE / "jupyterhub.sqlite"
    for path in (learner_work, inbound, course / "gradebook.db", hub_database):
        assert path.exists(), path
    assert any(inbound.iterdir()), "the exchange holds learner1's submissions"

    assert permission_denied(OTHER_LEARNER, "cat", learner_work)
    assert permission_denied(OTHER_LEARNER, "ls", local_hub.home(LEARNER))
    assert permission_denied(OTHER_LEARNER, "ls", inbound)
    for learner in (LEARNER, OTHER_LEARNER):
        assert permission_denied(learner, "cat", hub_database)
        assert permission_denied(learner, "ls", course)
        assert permission_denied(learner, "cat", course / "gradebook.db")


def test_a_launch_link_pulls_the_course_into_the_learners_server(hub, browser):
    """The book's hub links: nbgitpuller copies the course into the learner's home and opens a page."""
    learner = Person(browser, hub, OTHER_LEARNER)
    page = "book/01-sequential-data.md"
    opened = f"lab/tree/{local_hub.COURSE_ID}/{page}"
    query = urlencode({"repo": f"file://{local_hub.COURSE_GIT}", "urlpath": opened})
    learner.page.goto(f"{hub}/hub/user-redirect/git-pull?{query}")
    learner.page.wait_for_url(f"**/user/{OTHER_LEARNER}/{opened}")
    pulled = local_hub.home(OTHER_LEARNER) / local_hub.COURSE_ID / page
    assert pulled.read_text() == (ROOT / page).read_text()
    assert pulled.owner() == OTHER_LEARNER


KUBERNETES = ROOT / "classroom" / "kubernetes"


def merged(defaults: dict, values: dict) -> dict:
    """Helm's merge of a values file over a chart's defaults: maps merge, everything else replaces."""
    result = dict(defaults)
    for key, value in values.items():
        both_maps = isinstance(value, dict) and isinstance(defaults.get(key), dict)
        result[key] = merged(defaults[key], value) if both_maps else value
    return result


def test_kubernetes_values_follow_the_charts_schema():
    schema = yaml.safe_load((KUBERNETES / "z2jh-values.schema.yaml").read_text())
    defaults = yaml.safe_load((KUBERNETES / "z2jh-default-values.yaml").read_text())
    values = yaml.safe_load((KUBERNETES / "values.yaml").read_text())
    jsonschema.validate(merged(defaults, values), schema)
    misspelt = {**values, "singleuser": {**values["singleuser"], "defaultURL": "/lab"}}
    with pytest.raises(jsonschema.ValidationError, match="defaultURL"):
        jsonschema.validate(merged(defaults, misspelt), schema)


def test_single_user_image_installs_the_course_requirements_on_the_classrooms_python():
    dockerfile = (KUBERNETES / "Dockerfile").read_text()
    system_python = subprocess.run(
        [local_hub.SYSTEM_PYTHON, "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert f"FROM python:{system_python}-" in dockerfile
    assert "COPY requirements.txt" in dockerfile and "-r /tmp/requirements.txt" in dockerfile
    assert "sed 's/^-e \\.$/./' requirements.txt" in dockerfile, "only the editable install becomes a plain one"
    compile((KUBERNETES / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec")
