"""The feedback page a learner reads: a named score table first, setup folded away, in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from conftest import ASSIGNMENTS, served
from rnncourse.grading.trial import TrialCourse, make_submission
from test_grading_pipeline import TIME_MAJOR_ENCODE
from test_site_browser import PHONE_WIDTH, PageVisit

pytestmark = [pytest.mark.autograde, pytest.mark.browser]

HELLO = ASSIGNMENTS["01_one_hot_hello"]
PAGE = f"bob/{HELLO.name}/one_hot_hello.html"


@pytest.fixture(scope="module")
def feedback(root, tmp_path_factory):
    """The feedback folder of a class of two: alice with every point, bob with encode stacked time-major."""
    course = TrialCourse(root, tmp_path_factory.mktemp("feedback"), [HELLO])
    course.submit_notebook("alice", HELLO.name, make_submission(HELLO))
    course.submit_notebook("bob", HELLO.name, make_submission(HELLO, {"encode": TIME_MAJOR_ENCODE}))
    course.nbgrader("autograde", HELLO.name)
    course.nbgrader("generate_feedback", HELLO.name)
    return course.path / "feedback"


@pytest.fixture(scope="module")
def feedback_url(feedback):
    with served(feedback) as url:
        yield url


def test_the_page_opens_with_each_graded_names_points_and_first_failure(feedback):
    soup = BeautifulSoup((feedback / PAGE).read_text(), "html.parser")
    scores = soup.select_one("section.scores")
    assert scores is soup.select_one("#notebook-container").find(recursive=False), "the score table comes first"
    assert scores.h1.get_text(" ", strip=True) == f"one_hot_hello: {HELLO.points - 5:.1f} of {HELLO.points:.1f} points"
    rows = {
        tr.td.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")[1:]]
        for tr in scores.select("tbody tr")
    }
    assert list(rows) == HELLO.graded_names
    assert rows["build_vocab"] == ["3.0 / 3.0", "all passed"]
    assert rows["encode"][0] == "0.0 / 3.0"
    assert rows["encode"][1].startswith(
        "test_encode: AssertionError: encode(['hello', 'eolll', 'lleel'], vocab): "
        "expected shape (3, 5, 4), got (5, 3, 4)."
    )
    for link in scores.select("a[href]"):
        assert soup.find(id=link["href"][1:]), f"{link['href']} leads nowhere"


def test_setup_cells_are_folded_away_and_nothing_loads_from_anywhere(feedback):
    soup = BeautifulSoup((feedback / PAGE).read_text(), "html.parser")
    folded = soup.select("details.setup")
    assert len(folded) == 3 and not any(d.has_attr("open") for d in folded), "imports, test helpers, the score cell"
    assert "def report(" in folded[1].get_text() and "def visible_score(" in folded[2].get_text()
    assert soup.find("script") is None
    assert not [tag for tag in soup.find_all(src=True) if "//" in tag["src"]]
    assert not [tag for tag in soup.find_all("link", href=True) if "//" in tag["href"]]


@pytest.mark.parametrize("width", [PHONE_WIDTH, 1280])
def test_the_page_reads_in_the_browser_at_phone_and_desktop_width(browser, feedback_url, width):
    tab = PageVisit(browser, f"{feedback_url}/{PAGE}", width=width)
    try:
        assert tab.errors == [] and tab.failed == [] and tab.outside == []
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= width
        wide = "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length"
        assert tab.page.eval_on_selector_all(".output_error pre, .scores td", wide) == 0, "messages wrap"
        assert tab.page.is_visible("section.scores") and not tab.page.is_visible("details.setup pre")
        violations = Axe().run(tab.page).response["violations"]
        assert [(v["id"], v["help"]) for v in violations if v["impact"] in ("serious", "critical")] == []
    finally:
        tab.close()
