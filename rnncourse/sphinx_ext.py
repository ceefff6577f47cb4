"""A small Sphinx extension for the course website.

- ``{exercise-links} NAME``: a download link for the released notebook ``exercises/NAME``
  and the links that open it in Colab, Binder or JupyterHub.
- Every chapter offers its executed notebook for download, and, when the build knows the
  course's repository (and hub), a repository button and launch links
  (:mod:`rnncourse.launch`: the environment, ``_config.yml`` or the git remote). Without
  one no page links to a repository or a hub.
- MathJax is served from the site itself (from the ``django-static-mathjax`` package),
  so pages render their equations offline and load nothing from a CDN.
- Each chapter's notebook download (``_sources/book/*.ipynb``) starts with a cell that
  defines the course's helpers it imports (:mod:`rnncourse.downloads`), so the notebook
  runs as it is in Jupyter or Colab, with the learners' packages only.
- Fixes to the theme's pages: the navigation's expand/collapse toggles get an
  accessible name, scrollable tables can be reached with the keyboard, and inline
  scripts that the theme emits twice appear once.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import mathjax
from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from rnncourse.downloads import carry_helpers
from rnncourse.launch import LaunchSettings, launch_urls

MATHJAX_ES5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
MATHJAX_FILES = ["tex-mml-chtml.js", "output/chtml/fonts/tex.js", "output/chtml/fonts/woff-v2"]
LAUNCH_ICONS = {
    "Colab": "_static/images/logo_colab.png",
    "Binder": "_static/images/logo_binder.svg",
    "JupyterHub": "_static/images/logo_jupyterhub.svg",
}


def launch_settings(config) -> LaunchSettings:
    return LaunchSettings(config.course_repository, config.course_hub, config.course_branch)


def read_launch_settings(app, config):
    """Take the launch settings as :mod:`rnncourse.launch` resolves them, and none of the theme's defaults.

    They are config values that affect the environment, so changing them rebuilds every page.
    """
    settings = LaunchSettings.for_book(Path(app.srcdir))
    config.course_repository, config.course_hub, config.course_branch = (
        settings.repository,
        settings.hub,
        settings.branch,
    )
    options = config.html_theme_options
    options.pop("repository_url", None)  # Jupyter Book's default names its own repository
    options["use_repository_button"] = False  # this extension adds the button when there is a repository
    options["launch_buttons"] = {}  # this extension adds launch links that follow the settings


def offer_notebook_download(app, pagename, templatename, context, doctree):
    """Put the executed notebook of a MyST chapter in ``_sources`` for the download button."""
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file() or Path(app.env.doc2path(pagename)).suffix != ".md":
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def add_repository_and_launch_buttons(app, pagename, templatename, context, doctree):
    """A repository button on every page and launch links on chapters, when configured."""
    settings = launch_settings(app.config)
    if not settings.repository or "header_buttons" not in context:
        return
    context["header_buttons"].append(
        {
            "type": "link",
            "url": settings.repository,
            "tooltip": "Source repository",
            "text": "Repository",
            "icon": "fab fa-git-alt",
            "label": "source-repository-button",
        }
    )
    if not context.get("ipynb_source"):
        return
    source = Path(app.env.doc2path(pagename)).relative_to(app.srcdir).as_posix()
    buttons = [
        {"type": "link", "text": name, "tooltip": f"Launch on {name}", "icon": LAUNCH_ICONS[name], "url": url}
        for name, url in launch_urls(settings, source).items()
    ]
    if buttons:
        context["header_buttons"].append(
            {
                "type": "group",
                "tooltip": "Launch interactive content",
                "icon": "fas fa-rocket",
                "buttons": buttons,
                "label": "launch-buttons",
            }
        )


class ExerciseLinks(SphinxDirective):
    """Download and launch links for one released exercise notebook."""

    required_arguments = 1

    def run(self):
        root = Path(self.env.srcdir)
        (notebook,) = (root / "exercises" / self.arguments[0]).glob("*.ipynb")
        relative = notebook.relative_to(root).as_posix()
        paragraph = nodes.paragraph()
        download = addnodes.download_reference(
            "", "", reftarget=str(Path("/") / relative), refdoc=self.env.docname, refexplicit=True
        )
        download += nodes.literal(text=f"Download {notebook.name}")
        download["classes"].append("exercise-download")
        paragraph += download
        for name, url in launch_urls(launch_settings(self.config), relative).items():
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

    def first_only(match, seen):
        if match.group(0) in seen:
            return ""
        seen.add(match.group(0))
        return match.group(0)

    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text()
        deduplicated = INLINE_SCRIPT.sub(functools.partial(first_only, seen=set()), html)
        if deduplicated != html:
            page.write_text(deduplicated)


def make_chapter_downloads_standalone(app, exception):
    """Each chapter download carries the course modules it imports (:mod:`rnncourse.downloads`)."""
    if exception is not None or app.builder.format != "html":
        return
    for path in (Path(app.outdir) / "_sources").rglob("*.ipynb"):
        carry_helpers(path)


def setup(app):
    app.add_config_value("course_repository", None, "env")
    app.add_config_value("course_hub", None, "env")
    app.add_config_value("course_branch", None, "env")
    app.connect("config-inited", read_launch_settings)
    app.connect("html-page-context", offer_notebook_download, priority=500)
    app.connect("html-page-context", add_repository_and_launch_buttons, priority=502)
    app.add_directive("exercise-links", ExerciseLinks)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", drop_duplicate_inline_scripts)
    app.connect("build-finished", make_chapter_downloads_standalone)
    app.add_js_file(None, body=ACCESSIBILITY_FIXES)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
