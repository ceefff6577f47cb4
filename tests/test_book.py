"""The website: every chapter built, executed and strict."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from rnncourse.site import build_book

TOC_PAGES = ["index", "01-sequential-data", "02-rnn-cell", "03-usages", "04-pytorch-rnn",
             "05-shape-pitfalls", "06-rnn-from-scratch", "07-cpu-and-gpu", "exercises/index",
             "exercises/01-one-hot-hello", "exercises/02-rnn-from-scratch", "exercises/03-torch-rnn",
             "glossary", "instructors", "classroom"]

# Executed outputs each chapter must show: what its code printed when the site was built.
KEY_OUTPUTS = {
    "01-sequential-data": ["Counter({'l': 2, 'h': 1, 'e': 1, 'o': 1})", "(5, 4)"],
    "02-rnn-cell": ["weight_ih_l0   (2, 4)", "last output equals h_n: True", "parameters: 16"],
    "03-usages": ["caption indices: (2, 4)", "sentiment logits: (2, 2)",
                  "target logits: (2, 5, 100)", "per-frame logits: (2, 12, 5)"],
    "04-pytorch-rnn": ["torch.Size([3, 5, 2])", "torch.Size([1, 5, 8])",
                       "RNN(1, 10, num_layers=2, batch_first=True)",
                       "Output:  torch.Size([1, 20, 10])", "Hidden State:  torch.Size([2, 1, 10])",
                       "Output:  torch.Size([1, 20, 15])", "Hidden State:  torch.Size([2, 1, 15])",
                       "(60,)", "(20, 3)", "dropout option adds dropout after all but last recurrent layer"],
    "05-shape-pitfalls": ["positions 2 and 3 equal in every word: True", "positions 2 and 3 equal: False",
                          "output: (3, 5, 2)  h_n: (1, 3, 2)", "output[:, -1] == h_n[-1]: True",
                          "output[:, -1, H:] == h_n[-1]: False", "output: (5, 2)  h_n: (1, 2)"],
    "06-rnn-from-scratch": ["output matches nn.RNN: True", "matches after load_state_dict: True",
                            "same result: True"],
    "07-cpu-and-gpu": ["CUDA available:", "output: (3, 5, 8)", "ndarray (3, 5, 8)"],
}

# Lines the seed notes printed; the book re-runs their code and must print the same.
SEED_LINES = {
    "04-pytorch-rnn": [
        "[-0.7497, -0.6135]", "[-0.9136, -0.4269]", "[-0.5753, -0.0070]", "[-0.9127, -0.2222]",
        "[[[-0.1615, -0.0684, -0.5179, -0.6718,  0.4243,  0.3967, -0.3416,",
        "[-0.3320,  0.0037, -0.7340, -0.1952,  0.2369, -0.0706, -0.0917,",
    ],
}


def page_soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / "book" / f"{page}.html").read_text(), "html.parser")


def outputs_text(soup: BeautifulSoup) -> str:
    return "\n".join(out.get_text() for out in soup.select("div.cell_output"))


def toc_files(entries):
    for entry in entries:
        yield entry["file"]
        yield from toc_files(entry.get("sections", []))


def test_toc_lists_exactly_the_course_pages(root):
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"], *toc_files(ch for part in toc["parts"] for ch in part["chapters"])]
    assert [f.removeprefix("book/") for f in files] == TOC_PAGES


@pytest.mark.parametrize("page", TOC_PAGES)
def test_every_page_is_built(site, page):
    assert (site / "book" / f"{page}.html").is_file()


@pytest.mark.parametrize("page", sorted(KEY_OUTPUTS))
def test_chapter_shows_its_executed_outputs(site, page):
    text = outputs_text(page_soup(site, page))
    missing = [s for s in KEY_OUTPUTS[page] if s not in text]
    assert not missing, f"{page}: these outputs are missing from the built page: {missing}"


@pytest.mark.parametrize("page", sorted(SEED_LINES))
def test_seed_examples_print_what_the_seeds_printed(site, page):
    text = outputs_text(page_soup(site, page))
    missing = [s for s in SEED_LINES[page] if s not in text]
    assert not missing, f"{page}: seed outputs not reproduced: {missing}"


def test_generated_shape_table_is_rendered(site):
    table = page_soup(site, "04-pytorch-rnn").select_one("div.cell_output table")
    assert table is not None, "the measured shape table is not rendered as a table"
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert len(rows) == 8
    assert ["2", "True", "True", "(3, 5, 4)", "(4, 3, 2)", "(3, 5, 4)", "(4, 3, 2)"] in rows


@pytest.mark.parametrize("page", ["01-sequential-data", "02-rnn-cell", "03-usages", "04-pytorch-rnn"])
def test_figures_are_images_with_alt_text(site, page):
    images = page_soup(site, page).select("figure img")
    assert images, f"{page} has no figure"
    for img in images:
        assert len(img.get("alt", "")) > 40, f"{page}: figure {img.get('src')} lacks a real alt text"
        assert (site / "book" / img["src"]).resolve().stat().st_size > 1000


@pytest.mark.parametrize("page", TOC_PAGES)
def test_pages_have_no_ansi_codes_or_warnings(site, page):
    html = (site / "book" / f"{page}.html").read_text()
    assert "\x1b[" not in html and "[0;31m" not in html
    assert not re.search(r"\b\w*Warning: ", outputs_text(page_soup(site, page)))


def test_no_change_rebuild_executes_nothing(site):
    result = build_book()
    assert result.returncode == 0
    assert "Executing notebook" not in result.stdout
    assert "0 added, 0 changed, 0 removed" in result.stdout


def test_a_failing_cell_fails_the_build(root, tmp_path):
    shutil.copy(root / "_config.yml", tmp_path)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    (tmp_path / "book").mkdir()
    header = (root / "book" / "01-sequential-data.md").read_text().split("---\n")[1]
    (tmp_path / "book" / "index.md").write_text(
        f"---\n{header}---\n\n# Broken\n\n```{{code-cell}} ipython3\nraise ValueError('boom')\n```\n"
    )
    result = build_book(tmp_path)
    assert result.returncode != 0
    assert "ValueError" in result.stdout + result.stderr
