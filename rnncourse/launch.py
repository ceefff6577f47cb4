"""Where the website's launch links lead, set when the book is built.

The repository comes from the first of these that names one, and the hub likewise:

1. the environment variables ``COURSE_REPOSITORY`` and ``COURSE_HUB`` (overrides for one build);
2. ``_config.yml``: ``repository: url`` (and ``branch``) and ``launch_buttons: jupyterhub_url``,
   where a fork sets its own;
3. for the repository only, the git remote ``origin`` of the checkout being built.

Without a repository the site shows no repository or launch links; downloads still work.
"""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import yaml

REPOSITORY_VARIABLE = "COURSE_REPOSITORY"
HUB_VARIABLE = "COURSE_HUB"
BRANCH = "main"
BINDER_URL = "https://mybinder.org"
COLAB_URL = "https://colab.research.google.com"
NOTEBOOK_INTERFACE = "lab/tree"  # JupyterLab
SCP_REMOTE = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):(?P<path>[^/].*)$")  # git@github.com:owner/repo.git


def _clean(value) -> str | None:
    """A URL setting without surrounding blanks or a trailing slash; empty counts as unset."""
    return str(value or "").strip().rstrip("/") or None


def web_url(remote: str) -> str | None:
    """The web address of a git remote (https for ssh remotes, credentials dropped); None for a local path."""
    scp = SCP_REMOTE.match(remote)
    parsed = urlparse(f"ssh://{scp['host']}/{scp['path']}" if scp else remote)
    if not parsed.hostname or parsed.scheme not in ("https", "http", "ssh", "git"):
        return None
    web = parsed.scheme in ("https", "http")
    address = parsed.netloc.rpartition("@")[2] if web else parsed.hostname
    path = parsed.path.strip("/")
    if parsed.hostname == "github.com":
        path = path.removesuffix(".git")
    return f"{parsed.scheme if web else 'https'}://{address}/{path}"


def origin_url(root: Path) -> str | None:
    """The web address of the checkout's ``origin`` remote, if it has one."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True, text=True, timeout=30
        )
    except OSError:  # no git
        return None
    return web_url(result.stdout.strip()) if result.returncode == 0 else None


@dataclass(frozen=True)
class LaunchSettings:
    """The repository the links point at, its branch, and the JupyterHub that opens it, if any."""

    repository: str | None = None
    hub: str | None = None
    branch: str = BRANCH

    def __post_init__(self):
        if self.hub and not self.repository:
            raise ValueError(f"{HUB_VARIABLE} needs {REPOSITORY_VARIABLE}: the hub clones the course from it")

    @classmethod
    def for_book(cls, root: Path, environ=os.environ) -> LaunchSettings:
        """The settings a build of the book in ``root`` uses: environment, then ``_config.yml``, then git."""
        config = yaml.safe_load((Path(root) / "_config.yml").read_text()) or {}
        repository = config.get("repository") or {}
        hub = (config.get("launch_buttons") or {}).get("jupyterhub_url")
        return cls(
            _clean(environ.get(REPOSITORY_VARIABLE)) or _clean(repository.get("url")) or origin_url(root),
            _clean(environ.get(HUB_VARIABLE)) or _clean(hub),
            _clean(repository.get("branch")) or BRANCH,
        )

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
