"""Launch links follow the environment, then _config.yml, then the git remote, and lead nowhere else."""

import subprocess
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from conftest import ROOT
from rnncourse.launch import LaunchSettings, launch_urls, web_url

GITHUB = "https://github.com/teacher/rnn-basics"
HUB = "http://127.0.0.1:8000"
EXERCISE = "exercises/03_torch_rnn/torch_rnn.ipynb"
CHAPTER = "book/08-training.md"


def book(folder, config="", remote=None):
    """A book folder with this ``_config.yml`` text, a git checkout with ``origin`` at ``remote`` if given."""
    (folder / "_config.yml").write_text(config)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(folder), "remote", "add", "origin", remote], check=True)
    return folder


def test_no_repository_anywhere_means_no_launch_links(tmp_path):
    settings = LaunchSettings.for_book(book(tmp_path, "title: A book\n"), {})
    assert settings == LaunchSettings()
    assert launch_urls(settings, EXERCISE) == {} and launch_urls(settings, CHAPTER) == {}


def test_the_repository_comes_from_config_yml_before_the_git_remote(tmp_path):
    config = f"repository:\n  url: {GITHUB}/\n  branch: course\nlaunch_buttons:\n  jupyterhub_url: {HUB}\n"
    settings = LaunchSettings.for_book(book(tmp_path, config, remote="git@github.com:someone/else.git"), {})
    assert settings == LaunchSettings(GITHUB, HUB, "course")


def test_without_one_in_config_yml_the_git_remote_names_the_repository(tmp_path):
    settings = LaunchSettings.for_book(book(tmp_path, "repository:\n  branch: main\n", remote=GITHUB + ".git"), {})
    assert settings == LaunchSettings(GITHUB)
    assert set(launch_urls(settings, EXERCISE)) == {"Colab", "Binder"}


def test_environment_variables_override_config_yml_and_the_remote(tmp_path):
    folder = book(tmp_path, f"repository:\n  url: {GITHUB}\n", remote=GITHUB)
    environment = {"COURSE_REPOSITORY": "https://codeberg.org/teacher/course.git", "COURSE_HUB": HUB + "/"}
    assert LaunchSettings.for_book(folder, environment) == LaunchSettings(
        "https://codeberg.org/teacher/course.git", HUB
    )


def test_empty_variables_count_as_unset(tmp_path):
    folder = book(tmp_path, f"repository:\n  url: {GITHUB}\n")
    assert LaunchSettings.for_book(folder, {"COURSE_REPOSITORY": " ", "COURSE_HUB": ""}) == LaunchSettings(GITHUB)


def test_a_hub_without_a_repository_is_refused(tmp_path):
    with pytest.raises(ValueError, match="COURSE_REPOSITORY"):
        LaunchSettings.for_book(book(tmp_path), {"COURSE_HUB": HUB})


@pytest.mark.parametrize(
    "remote, url",
    [
        ("git@github.com:teacher/rnn-basics.git", GITHUB),
        ("ssh://git@github.com/teacher/rnn-basics.git", GITHUB),
        ("https://x-access-token:secret@github.com/teacher/rnn-basics.git", GITHUB),
        ("https://codeberg.org/teacher/course.git", "https://codeberg.org/teacher/course.git"),
        ("http://127.0.0.1:3000/teacher/course.git", "http://127.0.0.1:3000/teacher/course.git"),
        ("/srv/git/course.git", None),
        ("file:///srv/git/course.git", None),
    ],
)
def test_a_git_remote_becomes_its_web_address_without_credentials(remote, url):
    assert web_url(remote) == url


def test_config_yml_names_no_placeholder_host():
    """A fork sets its own repository in _config.yml; the course's own names none that is made up."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url = (config.get("repository") or {}).get("url") or ""
    hub = (config.get("launch_buttons") or {}).get("jupyterhub_url") or ""
    for address in (url, hub):
        host = urlparse(address).hostname or ""
        assert not host.endswith(("example.com", "example.org", "example.edu")), address
        assert "/you/" not in address and "OWNER" not in address, address


def test_github_repository_gives_colab_and_binder_for_exercises_and_binder_for_chapters():
    settings = LaunchSettings(GITHUB)
    exercise = launch_urls(settings, EXERCISE)
    assert exercise == {
        "Colab": f"https://colab.research.google.com/github/teacher/rnn-basics/blob/main/{EXERCISE}",
        "Binder": "https://mybinder.org/v2/gh/teacher/rnn-basics/main?urlpath=lab%2Ftree%2F"
        "exercises%2F03_torch_rnn%2Ftorch_rnn.ipynb",
    }
    assert set(launch_urls(settings, CHAPTER)) == {"Binder"}, "Colab cannot open MyST chapters"


def test_hub_links_clone_the_repository_with_nbgitpuller_and_open_the_file():
    settings = LaunchSettings(GITHUB, HUB)
    url = urlparse(launch_urls(settings, CHAPTER)["JupyterHub"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{HUB}/hub/user-redirect/git-pull"
    assert parse_qs(url.query) == {"repo": [GITHUB], "branch": ["main"], "urlpath": [f"lab/tree/rnn-basics/{CHAPTER}"]}


def test_a_repository_on_a_private_host_gets_no_binder_or_colab_link():
    settings = LaunchSettings("http://127.0.0.1:3000/teacher/course.git", HUB)
    urls = launch_urls(settings, EXERCISE)
    assert set(urls) == {"JupyterHub"}
    assert parse_qs(urlparse(urls["JupyterHub"]).query)["urlpath"] == [f"lab/tree/course/{EXERCISE}"]


def test_a_repository_elsewhere_opens_on_binder_by_its_git_url():
    settings = LaunchSettings("https://codeberg.org/teacher/course.git")
    assert launch_urls(settings, CHAPTER) == {
        "Binder": "https://mybinder.org/v2/git/https%3A%2F%2Fcodeberg.org%2Fteacher%2Fcourse.git/main"
        "?urlpath=lab%2Ftree%2Fbook%2F08-training.md"
    }
