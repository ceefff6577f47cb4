"""Where the website's launch links lead, set when the book is built.

Two environment variables configure them:

- ``COURSE_REPOSITORY``: the URL of the public git repository that holds this course.
  Without it the site shows no repository or launch links; downloads still work.
- ``COURSE_HUB`` (optional): the base URL of a JupyterHub; its links clone the repository
  into the learner's server with nbgitpuller.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlparse

REPOSITORY_VARIABLE = "COURSE_REPOSITORY"
HUB_VARIABLE = "COURSE_HUB"
BRANCH = "main"
BINDER_URL = "https://mybinder.org"
COLAB_URL = "https://colab.research.google.com"
NOTEBOOK_INTERFACE = "lab/tree"  # JupyterLab


@dataclass(frozen=True)
class LaunchSettings:
    """The repository the links point at, and the JupyterHub that opens it, if any."""

    repository: str | None = None
    hub: str | None = None
    branch: str = BRANCH

    @classmethod
    def from_environment(cls, environ=os.environ) -> LaunchSettings:
        """Read ``COURSE_REPOSITORY`` and ``COURSE_HUB``; empty values count as unset."""
        repository = environ.get(REPOSITORY_VARIABLE, "").strip().rstrip("/") or None
        hub = environ.get(HUB_VARIABLE, "").strip().rstrip("/") or None
        if hub and not repository:
            raise ValueError(f"{HUB_VARIABLE} needs {REPOSITORY_VARIABLE}: the hub clones the course from it")
        return cls(repository, hub)

    @property
    def folder(self) -> str:
        """The folder a clone of the repository gets: its last path part, without ``.git``."""
        return self.repository.rsplit("/", 1)[-1].removesuffix(".git")


def _is_public(host: str | None) -> bool:
    """Whether a service on the internet (Binder, Colab) can reach ``host``."""
    if not host or host == "localhost":
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:  # a host name
        return "." in host


def launch_urls(settings: LaunchSettings, path: str) -> dict[str, str]:
    """The services that open ``path`` (relative to the repository root), by name.

    Colab opens ``.ipynb`` files from GitHub only; Binder needs a repository on a public
    host; JupyterHub needs ``COURSE_HUB``. Nothing is returned without a repository.
    """
    if not settings.repository:
        return {}
    parsed = urlparse(settings.repository)
    on_github = parsed.hostname == "github.com"
    owner_repo = parsed.path.strip("/").removesuffix(".git")
    urls = {}
    if on_github and path.endswith(".ipynb"):
        urls["Colab"] = f"{COLAB_URL}/github/{owner_repo}/blob/{settings.branch}/{path}"
    if _is_public(parsed.hostname):
        spec = f"gh/{owner_repo}" if on_github else f"git/{quote(settings.repository, safe='')}"
        target = quote(f"{NOTEBOOK_INTERFACE}/{path}", safe="")
        urls["Binder"] = f"{BINDER_URL}/v2/{spec}/{settings.branch}?urlpath={target}"
    if settings.hub:
        query = urlencode(
            {
                "repo": settings.repository,
                "branch": settings.branch,
                "urlpath": f"{NOTEBOOK_INTERFACE}/{settings.folder}/{path}",
            }
        )
        urls["JupyterHub"] = f"{settings.hub}/hub/user-redirect/git-pull?{query}"
    return urls
