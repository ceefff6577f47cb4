"""A small Sphinx extension for the course website.

- ``{exercise-links} NAME``: a download link for the released notebook ``exercises/NAME``
  and Colab, Binder and JupyterHub buttons that open it, all derived from the one
  ``repository`` and ``launch_buttons`` setting of ``_config.yml``.
- MathJax is served from the site itself (from the ``django-static-mathjax`` package),
  so pages render their equations offline and load nothing from a CDN.
- Each chapter's notebook download (``_sources/book/*.ipynb``) starts with a cell that
  installs the course's helpers from the repository when they are missing, so the
  notebook runs as it is in Jupyter or Colab.
- Fixes to the theme's pages: the navigation's expand/collapse toggles get an
  accessible name, scrollable tables can be reached with the keyboard, and inline
  scripts that the theme emits twice appear once.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlparse

import mathjax
import nbformat
from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from rnncourse.site import ROOT

MATHJAX_ES5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
COLAB_URL = "https://colab.research.google.com"
MATHJAX_FILES = ["tex-mml-chtml.js", "output/chtml/fonts/tex.js", "output/chtml/fonts/woff-v2"]


def launch_urls(options: dict, path: str) -> dict[str, str]:
    """Colab, Binder and JupyterHub URLs that open ``path`` (relative to the repository root)."""
    repository = options["repository_url"].rstrip("/")
    branch = options.get("repository_branch", "main")
    owner_repo = urlparse(repository).path.strip("/")
    launch = options.get("launch_buttons", {})
    urls = {"Colab": f"{COLAB_URL}/github/{owner_repo}/blob/{branch}/{path}"}
    if launch.get("binderhub_url"):
        urls["Binder"] = f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{owner_repo}/{branch}?urlpath={quote('lab/tree/' + path, safe='')}"
    if launch.get("jupyterhub_url"):
        repo_name = owner_repo.split("/")[-1]
        urls["JupyterHub"] = (f"{launch['jupyterhub_url'].rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
                              f"&branch={branch}&urlpath={quote(f'lab/tree/{repo_name}/{path}', safe='')}")
    return urls


class ExerciseLinks(SphinxDirective):
    """Download and launch links for one released exercise notebook."""

    required_arguments = 1

    def run(self):
        (notebook,) = (ROOT / "exercises" / self.arguments[0]).glob("*.ipynb")
        relative = notebook.relative_to(ROOT).as_posix()
        paragraph = nodes.paragraph()
        download = addnodes.download_reference(
            "", "", reftarget=str(Path("/") / relative), refdoc=self.env.docname, refexplicit=True)
        download += nodes.literal(text=f"Download {notebook.name}")
        download["classes"].append("exercise-download")
        paragraph += download
        for name, url in launch_urls(self.config.html_theme_options, relative).items():
            paragraph += nodes.Text(" · ")
            paragraph += nodes.reference("", f"Open in {name}", refuri=url, classes=["exercise-launch"])
        return [paragraph]


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        source, dest = MATHJAX_ES5 / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)


ACCESSIBILITY_FIXES = """
document.addEventListener("DOMContentLoaded", () => {
  for (const summary of document.querySelectorAll("summary")) {
    if (!summary.textContent.trim() && !summary.hasAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Show or hide the pages in this section");
    }
  }
  // Tables scroll sideways on narrow screens (course.css): keyboards must reach them too.
  for (const table of document.querySelectorAll(".bd-article table")) {
    table.setAttribute("tabindex", "0");
  }
});
"""


INLINE_SCRIPT = re.compile(r"[ \t]*<script>[^<]*</script>\n")


def drop_duplicate_inline_scripts(app, exception):
    """Keep the first copy of each inline script: the theme's template emits some twice."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text()
        seen = set()

        def first_only(match):
            if match.group(0) in seen:
                return ""
            seen.add(match.group(0))
            return match.group(0)

        deduplicated = INLINE_SCRIPT.sub(first_only, html)
        if deduplicated != html:
            page.write_text(deduplicated)


STANDALONE_CELL = """\
# Outside the course repository, install the course's helpers (figures and tables) first.
try:
    import rnncourse
except ImportError:
    %pip install --quiet "rnncourse @ git+{repository_url}"
"""


def make_chapter_downloads_standalone(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    cell_source = STANDALONE_CELL.format(repository_url=app.config.html_theme_options["repository_url"])
    for path in (Path(app.outdir) / "_sources").rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        uses_helpers = any("rnncourse" in cell.source for cell in notebook.cells if cell.cell_type == "code")
        if uses_helpers and not notebook.cells[0].source.startswith(cell_source.splitlines()[0]):
            notebook.cells.insert(0, nbformat.v4.new_code_cell(cell_source))
            nbformat.write(notebook, path)


def setup(app):
    app.add_directive("exercise-links", ExerciseLinks)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", drop_duplicate_inline_scripts)
    app.connect("build-finished", make_chapter_downloads_standalone)
    app.add_js_file(None, body=ACCESSIBILITY_FIXES)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

