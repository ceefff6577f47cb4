"""The website: every chapter built, executed and strict."""

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ASSIGNMENTS, book_build_lock
from rnncourse.book import build_book
from rnncourse.downloads import HEADER
from rnncourse.launch import LaunchSettings, launch_urls
from rnncourse.release import toc_files
from rnncourse.shapes import BATCH, HIDDEN, INPUT, SEQ

pytestmark = pytest.mark.book

CHAPTERS = [
    "01-sequential-data",
    "02-rnn-cell",
    "03-usages",
    "04-pytorch-rnn",
    "05-shape-pitfalls",
    "06-rnn-from-scratch",
    "07-training",
    "08-cpu-and-gpu",
    "09-char-language-model",
]
TOC_PAGES = [
    "index",
    *CHAPTERS,
    "exercises/index",
    *(f"exercises/{name}" for name in ASSIGNMENTS),
    "glossary",
    "teaching",
    "instructors",
    "classroom",
]
FIGURE_PAGES = [
    "01-sequential-data",
    "02-rnn-cell",
    "03-usages",
    "04-pytorch-rnn",
    "07-training",
    "09-char-language-model",
]

# Executed outputs each chapter must show: what its code printed when the site was built.
KEY_OUTPUTS = {
    "01-sequential-data": ["Counter({'l': 2, 'h': 1, 'e': 1, 'o': 1})", "(5, 4)"],
    "02-rnn-cell": ["weight_ih_l0   (2, 4)", "last output equals h_n: True", "scores: (5, 1, 3)", "parameters: 16"],
    "03-usages": [
        "caption indices: (2, 4)",
        "sentiment logits: (2, 2)",
        "target logits: (2, 5, 100)",
        "per-frame logits: (2, 12, 5)",
    ],
    "04-pytorch-rnn": [
        "torch.Size([3, 5, 2])",
        "torch.Size([1, 5, 8])",
        "RNN(1, 10, num_layers=2, batch_first=True)",
        "Output:  torch.Size([1, 20, 10])",
        "Hidden State:  torch.Size([2, 1, 10])",
        "Output:  torch.Size([1, 20, 15])",
        "Hidden State:  torch.Size([2, 1, 15])",
        "(60,)",
        "(20, 3)",
        "dropout option adds dropout after all but last recurrent layer",
    ],
    "05-shape-pitfalls": [
        "positions 2 and 3 equal in every word: True",
        "positions 2 and 3 equal: False",
        "output: (3, 5, 2)  h_n: (1, 3, 2)",
        "output[:, -1] == h_n[-1]: True",
        "output: (3, 5, 12)  h_n: (4, 3, 6)",
        "output[:, -1, H:] == h_n[-1]: False",
        "output: (5, 2)  h_n: (1, 2)",
        "transpose: ['hello', 'eolll', 'lleel']",
        "padded h_n == state after the last letter:  False",
        "packed h_n == state after the last letter:  True",
        "tuple [(1, 3, 6), (1, 3, 6)]",
        "state[-1] is c_n: True  same shape as h_n[-1]: True",
        "summary: (3, 12)  equals output[:, -1, :H] and output[:, 0, H:]: True",
        "'weight_ih_l0_reverse (6, 4)', 'weight_ih_l1 (6, 12)'",
        "[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [0.0, 0.0]]",
        "reshape: cannot reshape array",
    ],
    "06-rnn-from-scratch": ["output matches nn.RNN: True", "matches after load_state_dict: True", "same result: True"],
    "07-training": [
        "inputs: (1, 4, 4)  targets: [[1, 2, 2, 3]]",
        "hell -> ello",
        "greedy:  hello",
        "hihell -> ihello",
        "100/100",
        "without detach(): Trying to backward through the graph",
        "generated: hihellohihello",
        "direction kept (cosine similarity): 1.0000",
        "output (3, 5, 6), h_n (2, 3, 6), c_n (2, 3, 8)",
    ],
    "08-cpu-and-gpu": [
        "CUDA available:",
        "output: (3, 5, 8)",
        "ndarray (3, 5, 8)",
        "found input tensor at meta and parameter tensor at cpu",
        "Can't call numpy() on Tensor that requires grad",
        "cuDNN available: ",
    ],
    "09-char-language-model": [
        "measured on: CPU",
        "W_ih @ one_hot[0] == column ids[0] of W_ih: True",
        "one_hot @ W_ih.T == rows of W_ih.T: True",
        "one_hot @ embedding.weight == embedding(ids): True",
        "X: (4, 10)  Y: (4, 10)",
        "Y is X shifted by one: True",
        "embedding   (4, 10, 32) (B, T, E)",
        "rnn output  (4, 10, 64) (B, T, H)   h_n (1, 4, 64) (1, B, H)",
        "model.train()",
        "clip_grad_norm_",
        "same as text.sample at temperature 0: True",
        "RNNCell(32, 64)",
        "weight_ih_l0  (20, 3)",
        "output (2, 1, 5)  h_n (1, 2, 5)  c_n (1, 2, 5)",
        "by hand == nn.LSTM: True True",
        "'weight_ih_l0': (15, 3)",
        "by hand == nn.GRU: True",
        "gru, random, fresh state",
    ],
}

# Lines the seed notes printed; the book re-runs their code and must print the same.
SEED_LINES = {
    "04-pytorch-rnn": [
        "[-0.7497, -0.6135]",
        "[-0.9136, -0.4269]",
        "[-0.5753, -0.0070]",
        "[-0.9127, -0.2222]",
        "[[[-0.1615, -0.0684, -0.5179, -0.6718,  0.4243,  0.3967, -0.3416,",
        "[-0.3320,  0.0037, -0.7340, -0.1952,  0.2369, -0.0706, -0.0917,",
    ],
}


def page_soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / "book" / f"{page}.html").read_text(), "html.parser")


def outputs_text(soup: BeautifulSoup) -> str:
    return "\n".join(out.get_text() for out in soup.select("div.cell_output"))


def test_toc_lists_exactly_the_course_pages(root):
    assert [f.removeprefix("book/") for f in toc_files(root)] == TOC_PAGES


@pytest.mark.parametrize("page", TOC_PAGES)
def test_every_page_is_built(site, page):
    assert (site / "book" / f"{page}.html").is_file()


def test_teaching_page_has_a_row_per_chapter_and_a_walkthrough_per_graded_name(site, root):
    """A chapter in _toc.yml, or an assignment or graded name in solutions/, that the teaching page leaves out fails."""
    soup = page_soup(site, "teaching")
    chapters = [f.removeprefix("book/") for f in toc_files(root) if re.fullmatch(r"book/\d{2}-[\w-]+", f)]
    links = [row.select_one("td a[href]") for row in soup.select_one("main table").select("tbody tr")]
    rows = [a["href"].split("#")[0].removesuffix(".html") for a in links if a]
    assert rows == chapters, f"the objectives table has rows for {rows}, _toc.yml lists the chapters {chapters}"
    for name, assignment in ASSIGNMENTS.items():
        heading = next((h for h in soup.select("main h3") if name in h.get_text()), None)
        assert heading is not None, f"the teaching page has no walkthrough headed {name}: add one"
        described = {code.get_text() for code in heading.find_parent("section").select("dt code")}
        missing = [graded for graded in assignment.graded_names if graded not in described]
        assert not missing, f"the walkthrough of {name} has no entry for {missing}: add one per graded name"


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
    assert [
        "2",
        "True",
        "True",
        str((BATCH, SEQ, INPUT)),
        str((4, BATCH, HIDDEN)),
        str((BATCH, SEQ, 2 * HIDDEN)),
        str((4, BATCH, HIDDEN)),
    ] in rows


def test_shape_table_sizes_never_coincide():
    """Every number in a measured shape names one thing: no size equals another, a direction count or 2 * H."""
    sizes = [BATCH, SEQ, INPUT, HIDDEN, 2 * HIDDEN]
    assert len(set(sizes)) == len(sizes) and not {1, 2, 4} & set(sizes)


def training_outputs(site) -> str:
    return outputs_text(page_soup(site, "07-training"))


def test_training_loss_falls(site):
    losses = re.findall(r"loss: ([\d.]+) at step 1 -> ([\d.]+) at step 100", training_outputs(site))
    assert len(losses) == 2, "both training runs print their first and last loss"
    for first, last in losses:
        assert float(last) < float(first) / 100


def test_measured_gradient_norm_ratios_show_vanishing_and_exploding(site):
    ratios = dict(
        re.findall(r"(nn\.\w+, [^\n]+?)\s+gradient-norm ratio step 1 / step 50: (\S+)", training_outputs(site))
    )
    assert float(ratios["nn.RNN, default initialisation"]) < 1e-6
    assert float(ratios["nn.RNN, W_hh scaled to singular values 3"]) > 1e2
    assert float(ratios["nn.LSTM, forget-gate bias +3"]) > 1e3 * float(ratios["nn.LSTM, default initialisation"])


def test_clipping_brings_a_large_gradient_norm_down_to_max_norm(site):
    text = training_outputs(site)
    before = float(re.search(r"gradient norm before clipping: ([\d.]+)", text).group(1))
    after = float(re.search(r"gradient norm after clipping: +([\d.]+)", text).group(1))
    assert before > 10 and after == 1.0


def test_wrong_cross_entropy_layout_runs_and_gives_another_loss(site):
    wrong, right = re.search(r"wrong layout, T == V: ([\d.]+)  \(right: ([\d.]+)\)", training_outputs(site)).groups()
    assert wrong != right
    assert "T=6, V=5: Expected target size" in training_outputs(site)


@pytest.mark.parametrize("page", ["02-rnn-cell", "04-pytorch-rnn", "glossary"])
def test_no_page_says_the_output_size_always_equals_hidden_size(site, page):
    text = " ".join(page_soup(site, page).select_one("main").get_text().split())
    assert not re.search(r"always equals? `?hidden_size|no separate output layer|vector, and so of every output", text)
    assert "nn.Linear" in text or "output layer" in text


@pytest.mark.parametrize("page", FIGURE_PAGES)
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


def test_no_change_rebuild_executes_nothing(site, root, book_output):
    with book_build_lock(book_output):  # another worker may be building the same site
        result = build_book(root, book_output)
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


def test_no_page_links_to_a_host_that_is_not_configured(site, root):
    """Launch and repository links appear only as the build's settings ask, and no placeholder host anywhere."""
    settings = LaunchSettings.for_book(root)
    sources = [
        p.relative_to(root).as_posix() for p in [*(root / "book").rglob("*.md"), *(root / "exercises").rglob("*.ipynb")]
    ]
    allowed = {url for path in sources for url in launch_urls(settings, path).values()}
    launch_hosts = ("mybinder.org", "colab.research.google.com", "/hub/user-redirect/")
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert "example.edu" not in html and "rnn-basics/rnn-basics-course" not in html, page
        soup = BeautifulSoup(html, "html.parser")
        launches = {
            a["href"]
            for a in soup.find_all("a", href=True)
            if any(host in a["href"] for host in launch_hosts) or "exercise-launch" in a.get("class", [])
        }
        assert launches <= allowed, f"{page}: {launches - allowed}"
        repository_buttons = [
            a["href"] for a in soup.select("a.btn-source-repository-button, a[href].source-repository-button")
        ]
        assert all(href == settings.repository for href in repository_buttons)
        if not settings.repository:
            assert not launches and not soup.select(".dropdown-launch-buttons")


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_offers_its_notebook_for_download(site, page):
    soup = page_soup(site, page)
    (link,) = {a["href"] for a in soup.select("a[href$='.ipynb']") if "_sources" in a["href"]}
    assert (site / "book" / link).resolve().is_file()


def test_binder_environment_opens_myst_chapters_and_matches_the_pins(root):
    binder = (root / "binder" / "requirements.txt").read_text().splitlines()
    pins = dict(line.split("==") for line in (root / "requirements.txt").read_text().splitlines() if "==" in line)
    wanted = [line for line in binder if line and not line.startswith("#")]
    names = {line.split("==")[0] for line in wanted}
    assert {"jupytext", "jupyterlab", "torch", "numpy", "matplotlib"} <= names
    assert "." in wanted, "Binder installs the course's helpers from the repository itself"
    for line in wanted:
        name, _, version = line.partition("==")
        if name in pins:
            assert version == pins[name], f"binder pins {name}=={version}, requirements.txt {pins[name]}"


def test_a_build_with_a_repository_and_a_hub_links_to_both(root, tmp_path, monkeypatch):
    """COURSE_REPOSITORY and COURSE_HUB add a repository button, chapter launch links and exercise launch links."""
    repository, hub = "https://github.com/teacher/rnn-basics", "http://127.0.0.1:8000"
    for name in ["_config.yml", "book/_static", "exercises/03_torch_rnn/torch_rnn.ipynb"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (root / name).is_dir() else shutil.copy
        copy(root / name, tmp_path / name)
    header = (root / "book" / "01-sequential-data.md").read_text().split("---\n")[1]
    (tmp_path / "book" / "index.md").write_text("# Home\n")
    (tmp_path / "book" / "chapter.md").write_text(
        f"---\n{header}---\n\n# A chapter\n\n```{{code-cell}} ipython3\nimport rnncourse\n```\n"
    )
    (tmp_path / "book" / "exercise.md").write_text("# An exercise\n\n```{exercise-links} 03_torch_rnn\n```\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n  - file: book/chapter\n  - file: book/exercise\n"
    )
    monkeypatch.setenv("COURSE_REPOSITORY", repository)
    monkeypatch.setenv("COURSE_HUB", hub)
    result = build_book(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    settings = LaunchSettings(repository, hub)
    site = tmp_path / "_build" / "html"
    chapter = page_soup(site, "chapter")
    assert [a["href"] for a in chapter.select("a.btn-source-repository-button")] == [repository]
    chapter_launches = {a["href"] for a in chapter.select(".dropdown-launch-buttons a")}
    assert chapter_launches == set(launch_urls(settings, "book/chapter.md").values())
    assert {urlparse(url).hostname for url in chapter_launches} == {"mybinder.org", "127.0.0.1"}

    exercise = page_soup(site, "exercise")
    launches = {a.get_text(): a["href"] for a in exercise.select("a.exercise-launch")}
    expected = launch_urls(settings, "exercises/03_torch_rnn/torch_rnn.ipynb")
    assert launches == {f"Open in {name}": url for name, url in expected.items()}
    assert set(expected) == {"Colab", "Binder", "JupyterHub"}
    download = (site / "_sources" / "book" / "chapter.ipynb").read_text()
    assert "git+" not in download and download.count(HEADER) == 1, "the download carries the helpers it imports"


def char_model_outputs(site) -> str:
    return outputs_text(page_soup(site, "09-char-language-model"))


def test_char_models_learn_on_held_out_text(site):
    """Each of rnn, lstm and gru prints one line per epoch; its validation perplexity falls every epoch, far below V."""
    text = char_model_outputs(site)
    vocab_size = int(re.search(r"V = (\d+) characters", text).group(1))
    valid, kind = {}, None
    for line in text.splitlines():
        if line.strip() in ("rnn", "lstm", "gru"):
            kind = line.strip()
        elif kind and (found := re.match(r"epoch +\d+/\d+ .*validation perplexity +([\d.]+)", line)):
            valid.setdefault(kind, []).append(float(found.group(1)))
    assert list(valid) == ["rnn", "lstm", "gru"], f"one block of epoch lines per model, found {list(valid)}"
    for kind, values in valid.items():
        assert len(values) >= 3 and values == sorted(values, reverse=True), f"{kind}: validation perplexity {values}"
        assert values[-1] < vocab_size / 5, f"{kind} ends at validation perplexity {values[-1]} (V = {vocab_size})"
    untrained = float(re.search(r"untrained: validation perplexity ([\d.]+)", text).group(1))
    assert untrained > vocab_size / 2


def test_char_model_tables_are_rendered_and_say_where_they_were_measured(site):
    tables = page_soup(site, "09-char-language-model").select("div.cell_output table")
    headers = [[th.get_text() for th in table.select("th")] for table in tables]
    assert ["model", "parameters", "train perplexity", "validation perplexity"] in headers
    assert ["model", "delay 5", "delay 30"] in headers
    assert char_model_outputs(site).count("measured on CPU") == 2


def test_samples_at_several_temperatures_and_epochs(site):
    text = char_model_outputs(site)
    assert re.findall(r"^temperature ([\d.]+): 'The input ", text, re.M) == ["0", "0.5", "1.0", "1.5"]
    assert len(re.findall(r"sample after epoch \d+: 'The input ", text)) >= 3


def test_parameter_counts_match_4h_and_3h_rows(site):
    counts = re.findall(r"(rnn|lstm|gru) +recurrent layer: (\d+) parameters, .+? = (\d+)", char_model_outputs(site))
    assert [kind for kind, _, _ in counts] == ["rnn", "lstm", "gru"]
    assert all(counted == formula for _, counted, formula in counts)
    sizes = {kind: int(counted) for kind, counted, _ in counts}
    assert sizes["lstm"] == 4 * sizes["rnn"] and sizes["gru"] == 3 * sizes["rnn"]


def test_long_delay_is_learned_by_gated_models_and_not_by_the_vanilla_rnn(site):
    accuracy = {
        name.strip(): (int(short), int(long))
        for name, short, long in re.findall(
            r"^(.+?) +delay 5: (\d+)%  delay 30: (\d+)%$", char_model_outputs(site), re.M
        )
    }
    assert set(accuracy) == {"rnn", "lstm", "lstm, forget-gate bias +3", "gru"}, accuracy
    assert all(short >= 90 for short, _ in accuracy.values()), accuracy
    assert accuracy["rnn"][1] < 50 and accuracy["lstm"][1] < 50, "the page says both stay near chance at 30"
    assert accuracy["lstm, forget-gate bias +3"][1] >= 90 and accuracy["gru"][1] >= 90


def test_clipping_bounds_the_sgd_step_but_not_adams(site):
    lengths = {
        key: float(value)
        for key, value in re.findall(
            r"((?:SGD|Adam), (?:not clipped|clipped at 1)) +step length: ([\d.]+)", training_outputs(site)
        )
    }
    assert len(lengths) == 4, lengths
    assert lengths["SGD, not clipped"] > 100 * lengths["SGD, clipped at 1"]
    assert lengths["SGD, clipped at 1"] <= 0.1 + 1e-3
    assert abs(lengths["Adam, not clipped"] - lengths["Adam, clipped at 1"]) < 0.05 * lengths["Adam, not clipped"]


@pytest.mark.parametrize(
    "claim",
    ["cannot learn long-range", "nothing that far back can be learned", "ceiling on the update", "the same 60 samples"],
)
def test_no_page_makes_a_claim_the_review_corrected(site, claim):
    for page in [*CHAPTERS, "glossary"]:
        text = " ".join(page_soup(site, page).select_one("main").get_text().split())
        assert claim not in text.lower(), f"{page} still says {claim!r}"
