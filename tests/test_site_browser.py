"""The website as readers meet it: served on 127.0.0.1, driven in Debian's Chromium."""

from urllib.parse import unquote, urlparse

import nbformat
import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from conftest import ASSIGNMENTS, served
from rnncourse.downloads import HEADER
from rnncourse.launch import LaunchSettings, launch_urls
from test_book import FIGURE_PAGES, TOC_PAGES

pytestmark = [pytest.mark.book, pytest.mark.browser]

PHONE_WIDTH = 375
TABLET_WIDTH = 768  # course.css wraps code from this width up


@pytest.fixture(scope="module")
def base_url(site):
    with served(site) as url:
        yield url


class PageVisit:
    """A page opened in a fresh tab, with every problem the browser reported."""

    def __init__(self, browser, url, width=1280, color_scheme="light"):
        self.page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=color_scheme)
        self.errors, self.failed, self.outside = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        self.page.on(
            "request",
            lambda r: (
                urlparse(r.url).hostname not in ("127.0.0.1", None)
                and r.url.startswith("http")
                and self.outside.append(r.url)
            ),
        )
        self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser, base_url):
    opened = []

    def open_page(path, **kwargs):
        opened.append(PageVisit(browser, f"{base_url}/{path}", **kwargs))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.mark.parametrize("page", TOC_PAGES)
def test_page_loads_with_no_error_and_nothing_from_outside(visit, page):
    tab = visit(f"book/{page}.html")
    assert tab.errors == [] and tab.failed == [] and tab.outside == []


@pytest.mark.parametrize("page", TOC_PAGES)
def test_no_serious_accessibility_violation(visit, page):
    tab = visit(f"book/{page}.html")
    violations = Axe().run(tab.page).response["violations"]
    serious = [(v["id"], v["help"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("page", TOC_PAGES)
def test_no_horizontal_scrolling_on_a_phone(visit, page):
    tab = visit(f"book/{page}.html", width=PHONE_WIDTH)
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


@pytest.mark.parametrize(
    "query, expected", [("hidden state", "book/02-rnn-cell.html"), ("batch_first", "book/05-shape-pitfalls.html")]
)
def test_search_finds_the_right_pages(visit, query, expected):
    tab = visit(f"search.html?q={query.replace(' ', '+')}")
    tab.page.wait_for_selector("#search-results li a", timeout=15000)
    hrefs = tab.page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
    assert any(expected in href for href in hrefs), hrefs


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_figures_are_visible_with_alt_text(visit, page):
    tab = visit(f"book/{page}.html")
    images = tab.page.query_selector_all("figure img")
    assert images
    for image in images:
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert image.bounding_box()["width"] > 100
        assert len(image.get_attribute("alt")) > 40


def test_key_outputs_are_visible(visit):
    tab = visit("book/04-pytorch-rnn.html")
    for text in ("torch.Size([3, 5, 2])", "Output:  torch.Size([1, 20, 10])", "Hidden State:  torch.Size([2, 1, 10])"):
        assert tab.page.get_by_text(text, exact=False).first.is_visible()


def test_screenshots_of_home_and_a_chapter(visit, artifacts):
    for name, path in [("home", "book/index.html"), ("chapter-pytorch-rnn", "book/04-pytorch-rnn.html")]:
        tab = visit(path)
        target = artifacts / f"{name}.png"
        tab.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000


def html_files(site):
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def test_every_internal_link_and_anchor_resolves(site):
    ids = {}
    broken = []
    for page in html_files(site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        ids[page] = {tag["id"] for tag in soup.select("[id]")}
    for page in html_files(site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in soup.find_all(tag):
                url = element.get(attr)
                if not url or urlparse(url).scheme or url.startswith("//"):
                    continue
                path, _, anchor = url.partition("#")
                target = (page.parent / unquote(path.split("?")[0])).resolve() if path else page
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{page.relative_to(site)} -> {url}")
                elif anchor and target.suffix == ".html" and anchor not in ids.get(target, set()):
                    broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert broken == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values(), ids=ASSIGNMENTS)
def test_exercise_page_downloads_and_launches_the_released_notebook(site, root, assignment):
    notebook = assignment.notebook("exercises").relative_to(root).as_posix()
    html = site / "book" / "exercises" / f"{assignment.name}.html"
    soup = BeautifulSoup(html.read_text(), "html.parser")
    (download,) = soup.select("a.exercise-download")
    downloaded = (html.parent / download["href"]).resolve()
    assert downloaded.read_bytes() == (root / notebook).read_bytes()
    launches = {a.get_text(): a["href"] for a in soup.select("a.exercise-launch")}
    expected = launch_urls(LaunchSettings.for_book(root), notebook)
    assert launches == {f"Open in {name}": url for name, url in expected.items()}


def test_no_page_download_or_source_holds_a_solution_or_hidden_test(site, root):
    """Solution and hidden-test lines never reach the site, except lines learners see anyway:
    those in the released notebooks, the seeds' data the chapters show on purpose, and the
    course helpers that chapter downloads carry."""
    released = "".join(a.notebook("exercises").read_text() for a in ASSIGNMENTS.values())
    released += "".join(page.read_text() for page in (root / "book").rglob("*.md"))
    carried = [nbformat.read(path, as_version=4).cells[0].source for path in (site / "_sources").rglob("*.ipynb")]
    released += "".join(source for source in carried if source.startswith(HEADER))
    secrets = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]
    for assignment in ASSIGNMENTS.values():
        secrets += [
            line.strip()
            for answer in assignment.reference_answers().values()
            for line in answer.splitlines()
            if len(line.strip()) > 30 and line.strip() not in released
        ]
        secrets += [line for line in assignment.hidden_test_lines(shortest=31) if line not in released]
    leaks = [
        (str(path.relative_to(site)), secret)
        for path in site.rglob("*")
        if path.is_file() and path.suffix in (".html", ".ipynb", ".md", ".txt", ".js")
        for secret in secrets
        if secret in path.read_text(errors="ignore")
    ]
    assert leaks == []


VISIBLE = "els => els.filter(e => e.checkVisibility()).length"
SEARCH_FINISHED = "document.querySelector('#search-results .search-summary')?.textContent.includes('found')"


@pytest.mark.parametrize("width", [1280, PHONE_WIDTH])
def test_one_search_box_opens_the_search(visit, width):
    tab = visit("book/02-rnn-cell.html", width=width)
    boxes = tab.page.eval_on_selector_all(".search-button__button, input[type=search], form.bd-search", VISIBLE)
    assert boxes == 1, f"{boxes} search boxes at {width} px; hint: html_sidebars in _config.yml"
    tab.page.click(".search-button__button >> visible=true")
    tab.page.keyboard.type("hidden state")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(SEARCH_FINISHED, timeout=15000)
    hrefs = tab.page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
    assert any("book/02-rnn-cell.html" in href for href in hrefs), hrefs


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_readers_system_setting(visit, scheme):
    tab = visit("book/04-pytorch-rnn.html", color_scheme=scheme)
    assert tab.page.evaluate("document.documentElement.dataset.theme") == scheme
    background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    brightness = sum(int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3])
    assert (brightness < 3 * 128) == (scheme == "dark"), f"{scheme} system setting, page background {background}"


def test_no_serious_accessibility_violation_in_dark_mode(visit):
    tab = visit("book/04-pytorch-rnn.html", color_scheme="dark")
    violations = Axe().run(tab.page).response["violations"]
    assert [(v["id"], v["help"]) for v in violations if v["impact"] in ("serious", "critical")] == []


CODE = ".bd-article div.highlight pre"
OVERFLOWING = "els => els.filter(e => !e.closest('.cell_output') && e.scrollWidth > e.clientWidth + 1).length"


@pytest.mark.parametrize("width", [1280, TABLET_WIDTH])
@pytest.mark.parametrize("page", ["04-pytorch-rnn", "05-shape-pitfalls", "07-training"])
def test_long_code_lines_wrap_within_the_page(visit, page, width):
    """From a tablet's width up, code wraps at spaces; on a phone it scrolls inside its box (see above)."""
    tab = visit(f"book/{page}.html", width=width)
    assert tab.page.eval_on_selector_all(CODE, "els => els.length") > 0
    overflowing = tab.page.eval_on_selector_all(CODE, OVERFLOWING)
    assert overflowing == 0, f"{overflowing} code blocks of {page} scroll sideways at {width} px; hint: course.css"
