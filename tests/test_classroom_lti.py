"""LTI 1.3 login end to end: a stand-in LMS on 127.0.0.1 launches people into the real hub in
Debian's Chromium, and the hub refuses launches it must not trust."""

from __future__ import annotations

import psutil
import pytest

from classroom_hub import local_hub, running_classroom
from lti_platform import Platform

pytestmark = [pytest.mark.classroom, pytest.mark.browser]

LEARNER, OTHER_LEARNER = local_hub.LEARNERS[:2]
UI_SECONDS = 120  # a server's first start on a busy 2-core machine
LAUNCH_SECONDS = 30  # the redirects between the LMS and the hub, before any server starts


@pytest.fixture(scope="module")
def platform():
    with Platform() as platform:
        yield platform


@pytest.fixture(scope="module")
def hub(platform, artifacts):
    settings = {local_hub.LTI_ENVIRONMENT[name]: value for name, value in platform.settings.items()}
    with running_classroom(artifacts / "classroom-lti-hub.log", settings) as url:
        platform.register(url)
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(UI_SECONDS * 1000)
    yield page
    context.close()


def servers_of(user: str) -> list[psutil.Process]:
    return [
        p
        for p in psutil.process_iter(["cmdline", "username"])
        if p.info["username"] == user and any("jupyterhub-singleuser" in part for part in p.info["cmdline"] or [])
    ]


def launch(page, platform, hub, username, **launch) -> int:
    """Follow the LMS's launch link; the status of the hub's answer to the signed launch."""
    with page.expect_response(f"{hub}/hub/lti13/oauth_callback", timeout=LAUNCH_SECONDS * 1000) as callback:
        page.goto(platform.launch_url(username, **launch))
    return callback.value.status


def logged_in_as(page, hub) -> str | None:
    """Who the hub's home page greets, or None where it sends the browser to log in."""
    page.goto(f"{hub}/hub/home")
    if "/hub/login" in page.url:
        return None
    return page.locator("#login_widget > span").inner_text().strip()


def test_a_launch_from_the_lms_logs_the_learner_into_their_server(hub, platform, page, artifacts):
    assert launch(page, platform, hub, LEARNER) == 302, "the hub accepts the launch and redirects"
    page.wait_for_url(f"**/user/{LEARNER}/lab**")
    page.wait_for_selector("#jp-main-dock-panel")
    page.screenshot(path=artifacts / "classroom-lti-lab.png")
    assert servers_of(LEARNER), f"{LEARNER}'s server runs as {LEARNER}"
    assert logged_in_as(page, hub) == LEARNER


@pytest.mark.parametrize(
    ("forgery", "status", "reason"),
    [("stray-key", 400, "Signature verification failed"), ("other-audience", 401, "Audience doesn't match")],
)
def test_a_forged_launch_logs_nobody_in(hub, platform, page, forgery, status, reason):
    assert launch(page, platform, hub, OTHER_LEARNER, forgery=forgery) == status
    assert reason in page.locator("body").inner_text()
    assert logged_in_as(page, hub) is None
    assert not servers_of(OTHER_LEARNER)


def test_only_an_lms_instructor_lands_on_the_instructors_account(hub, platform, page):
    assert launch(page, platform, hub, local_hub.INSTRUCTOR, role="Learner") == 403
    assert logged_in_as(page, hub) is None
    assert launch(page, platform, hub, local_hub.INSTRUCTOR, role="Instructor") == 302
    assert logged_in_as(page, hub) == local_hub.INSTRUCTOR


def test_a_launch_for_someone_without_an_account_logs_nobody_in(hub, platform, page):
    assert launch(page, platform, hub, "visitor") == 403
    assert logged_in_as(page, hub) is None


def test_serve_names_the_lti_settings_that_are_missing(monkeypatch):
    for variable in local_hub.LTI_ENVIRONMENT.values():
        monkeypatch.delenv(variable, raising=False)
    assert local_hub.lti_settings() is None, "no LTI settings: the demo password login"
    monkeypatch.setenv("CLASSROOM_LTI_ISSUER", "https://lms.example.org")
    missing = "CLASSROOM_LTI_CLIENT_ID, CLASSROOM_LTI_AUTHORIZE_URL, CLASSROOM_LTI_JWKS_URL"
    with pytest.raises(SystemExit, match=missing):
        local_hub.lti_settings()
