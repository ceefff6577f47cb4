"""Launch links follow COURSE_REPOSITORY and COURSE_HUB, and lead nowhere else."""

from urllib.parse import parse_qs, urlparse

import pytest

from rnncourse.launch import LaunchSettings, launch_urls
from rnncourse.sphinx_ext import standalone_cell

GITHUB = "https://github.com/teacher/rnn-basics"
HUB = "http://127.0.0.1:8000"
EXERCISE = "exercises/03_torch_rnn/torch_rnn.ipynb"
CHAPTER = "book/08-training.md"


def test_no_repository_means_no_launch_links():
    settings = LaunchSettings.from_environment({})
    assert settings == LaunchSettings()
    assert launch_urls(settings, EXERCISE) == {} and launch_urls(settings, CHAPTER) == {}


def test_empty_variables_count_as_unset():
    assert LaunchSettings.from_environment({"COURSE_REPOSITORY": " ", "COURSE_HUB": ""}) == LaunchSettings()


def test_a_hub_without_a_repository_is_refused():
    with pytest.raises(ValueError, match="COURSE_REPOSITORY"):
        LaunchSettings.from_environment({"COURSE_HUB": HUB})


def test_github_repository_gives_colab_and_binder_for_exercises_and_binder_for_chapters():
    settings = LaunchSettings.from_environment({"COURSE_REPOSITORY": GITHUB + "/"})
    exercise = launch_urls(settings, EXERCISE)
    assert exercise == {
        "Colab": f"https://colab.research.google.com/github/teacher/rnn-basics/blob/main/{EXERCISE}",
        "Binder": "https://mybinder.org/v2/gh/teacher/rnn-basics/main?urlpath=lab%2Ftree%2F"
        "exercises%2F03_torch_rnn%2Ftorch_rnn.ipynb",
    }
    assert set(launch_urls(settings, CHAPTER)) == {"Binder"}, "Colab cannot open MyST chapters"


def test_hub_links_clone_the_repository_with_nbgitpuller_and_open_the_file():
    settings = LaunchSettings.from_environment({"COURSE_REPOSITORY": GITHUB, "COURSE_HUB": HUB + "/"})
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


def test_chapter_download_installs_helpers_from_the_configured_repository_only():
    assert f'"rnncourse @ git+{GITHUB}"' in standalone_cell(LaunchSettings(GITHUB))
    unconfigured = standalone_cell(LaunchSettings())
    assert "git+" not in unconfigured and "pip install -e ." in unconfigured
