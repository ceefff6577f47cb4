"""Shared fixtures: the repository root, its assignments, the website built from it, and Chromium."""

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from filelock import FileLock
from playwright.sync_api import sync_playwright

from rnncourse.assignments import by_name
from rnncourse.book import build_book

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = by_name(ROOT)  # name -> Assignment, read from solutions/
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_output(tmp_path_factory) -> Path:
    """Where this test run builds the website: one folder that every parallel worker shares."""
    folder = tmp_path_factory.getbasetemp().parent / "book"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Screenshots and logs worth a look after a run: ``artifacts/`` in pytest's temporary folder."""
    folder = tmp_path_factory.getbasetemp().parent / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def book_build_lock(output: Path) -> FileLock:
    """Held by every build into ``output``: parallel workers take turns."""
    return FileLock(output / "build.lock")


@pytest.fixture(scope="session")
def site(book_output) -> Path:
    """The website built from this checkout (once; parallel workers wait for it and reuse it)."""
    with book_build_lock(book_output):
        if not (book_output / "built").exists():
            result = build_book(ROOT, book_output)
            assert result.returncode == 0, f"the book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            (book_output / "built").touch()
    return book_output / "_build" / "html"


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "the browser tests need Debian's chromium (`make system` installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def served(folder: Path):
    """The URL of a local web server for ``folder``, as a browser opens a published site."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
