"""A local classroom: the course on JupyterHub, one Unix user per person (run as root).

    python3 classroom/local_hub.py provision [--reset]   # environment, accounts, course folder, exchange
    python3 classroom/local_hub.py serve                 # JupyterHub on http://127.0.0.1:$CLASSROOM_PORT

Layout (override with environment variables):
- ``CLASSROOM_PREFIX`` (/opt/rnn-classroom): ``env/``, the course's pinned Python environment that every
  single-user server and the hub run from, and ``etc/jupyter/``, the course and exchange settings for
  every account; readable by all and writable by root only;
- ``CLASSROOM_STATE`` (/srv/rnn-classroom): ``hub/`` (database, cookie secret; root only),
  ``exchange/``, nbgrader's exchange for the course, and ``rnn-basics/``, a bare copy of the course's
  history that launch links pull;
- ``CLASSROOM_PORT`` (8000): the address people open; the hub's own port and the proxy's API sit
  at +81 and +1, as in JupyterHub's defaults;
- ``CLASSROOM_LTI_ISSUER``, ``CLASSROOM_LTI_CLIENT_ID``, ``CLASSROOM_LTI_AUTHORIZE_URL`` and
  ``CLASSROOM_LTI_JWKS_URL`` (unset): the LMS's LTI 1.3 settings; with them, people log in by
  launching the course from the LMS instead of with the demo password.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLASSROOM = REPO / "classroom"
PREFIX = Path(os.environ.get("CLASSROOM_PREFIX", "/opt/rnn-classroom"))
STATE = Path(os.environ.get("CLASSROOM_STATE", "/srv/rnn-classroom"))
PORT = int(os.environ.get("CLASSROOM_PORT", "8000"))
ENV = PREFIX / "env"
COURSE_ID = "rnn-basics"
COURSE_GIT = STATE / COURSE_ID  # bare copy that launch links pull (nbgitpuller) into ~/rnn-basics
CONFIG = PREFIX / "etc" / "jupyter"  # on every account's JUPYTER_CONFIG_PATH
GIT_CONFIG = PREFIX / "etc" / "gitconfig"  # /etc/gitconfig, and COURSE_GIT marked safe to read
SERVER_ENVIRONMENT = {
    "PATH": f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": str(CONFIG),
    "GIT_CONFIG_SYSTEM": str(GIT_CONFIG),
}
HUB_STATE = STATE / "hub"
EXCHANGE = STATE / "exchange"
PROXY = CLASSROOM / "node_modules" / ".bin" / "configurable-http-proxy"
SYSTEM_PYTHON = "/usr/bin/python3"  # world-readable, unlike a Python under /root

INSTRUCTOR = "instructor"
LEARNERS = ("learner1", "learner2", "learner3")
ACCOUNTS = (INSTRUCTOR, *LEARNERS)
# DEMO ONLY: without LTI settings, everyone logs in with their user name and this shared password.
DEMO_PASSWORD = "rnn-demo-only"
# LTI 1.3: the LMS's settings (LTI13Authenticator's names) and the variables that carry them.
LTI_ENVIRONMENT = {
    "issuer": "CLASSROOM_LTI_ISSUER",
    "client_id": "CLASSROOM_LTI_CLIENT_ID",
    "authorize_url": "CLASSROOM_LTI_AUTHORIZE_URL",
    "jwks_endpoint": "CLASSROOM_LTI_JWKS_URL",
}
# A launch names its account in this custom parameter, which the LMS fills in ($User.username);
# the instructor's account also needs an Instructor role (or one of its sub-roles) in the course.
LTI_USERNAME = "username"
LTI_ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
LTI_INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
COURSE_FILES = ("nbgrader_config.py", "solutions", "exercises")

# Learners see the Assignments tab and Validate; the instructor also gets formgrader and course list.
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
INSTRUCTOR_LAB_EXTENSIONS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
)


def lti_settings() -> dict[str, str] | None:
    """The LMS's LTI 1.3 settings from the environment, or None for the demo password login."""
    given = {name: os.environ.get(variable, "") for name, variable in LTI_ENVIRONMENT.items()}
    if not any(given.values()):
        return None
    if missing := [LTI_ENVIRONMENT[name] for name, value in given.items() if not value]:
        raise SystemExit(f"LTI 1.3 login needs {', '.join(missing)} as well.")
    return given


def lti_role_check(authenticator, handler, auth: dict) -> dict | None:
    """JupyterHub's post-login hook: a launch lands on the instructor's account only with an
    Instructor role; otherwise nobody is logged in."""
    roles = auth["auth_state"].get(LTI_ROLES_CLAIM, [])
    teaches = any(role == LTI_INSTRUCTOR_ROLE or role.startswith(f"{LTI_INSTRUCTOR_ROLE}#") for role in roles)
    if auth["name"] == INSTRUCTOR and not teaches:
        authenticator.log.warning("LTI launch for %s without an Instructor role refused", INSTRUCTOR)
        return None
    return auth


def home(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir)


def course_folder() -> Path:
    """The instructor's copy of the course: nbgrader's course directory on the hub."""
    return home(INSTRUCTOR) / COURSE_ID


def user_environment(user: str) -> dict[str, str]:
    """What a person's commands run with: those of their server and of its terminals."""
    return {"HOME": str(home(user)), "USER": user, **SERVER_ENVIRONMENT}


def run(*args, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def write_json(path: Path, settings: dict, owner: str = "root") -> None:
    """Write one of Jupyter's JSON settings files (what `jupyter ... enable/disable` would write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=1))
    if owner != "root":
        run("chown", "-R", f"{owner}:{owner}", home(owner) / ".jupyter")


def build_environment() -> None:
    """The course's pinned requirements and the course package (a copy, not a link into the checkout)."""
    if not (ENV / "bin" / "python").exists():
        ENV.parent.mkdir(parents=True, exist_ok=True)
        run(SYSTEM_PYTHON, "-m", "venv", ENV)
        run(ENV / "bin" / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    pinned = [
        line
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-e"))
    ]
    course = sorted(p for p in [REPO / "pyproject.toml", *(REPO / "rnncourse").rglob("*.py")])
    installed = "\n".join([*pinned, hashlib.sha256(b"".join(p.read_bytes() for p in course)).hexdigest()])
    stamp = ENV / "installed.txt"
    if stamp.exists() and stamp.read_text() == installed:
        return
    run(ENV / "bin" / "python", "-m", "pip", "install", "-q", *pinned)
    with tempfile.TemporaryDirectory() as copy:  # pip builds in the source folder: keep the checkout clean
        shutil.copy2(REPO / "pyproject.toml", copy)
        shutil.copytree(REPO / "rnncourse", Path(copy) / "rnncourse", ignore=shutil.ignore_patterns("__pycache__"))
        run(ENV / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", copy)
    run("chmod", "-R", "go-w,a+rX", PREFIX)
    stamp.write_text(installed)


def instructor_extensions(enabled: bool) -> dict:
    """Server settings turning formgrader and the course list on or off."""
    return {"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, enabled)}}


def configure_extensions() -> None:
    """Environment-wide: the learners' view, and nbgrader's exchange for this course."""
    write_json(ENV / "etc" / "jupyter" / "jupyter_server_config.json", instructor_extensions(False))
    write_json(
        ENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json",
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}},
    )
    CONFIG.mkdir(parents=True, exist_ok=True)
    (CONFIG / "nbgrader_config.py").write_text(
        '"""Every account on this hub: the course and its exchange."""\n'
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(EXCHANGE)!r}\n"
    )
    CONFIG.chmod(0o755)


def reset_home(user: str) -> None:
    path = home(user)
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree("/etc/skel", path, symlinks=True)
    run("chown", "-R", f"{user}:{user}", path)


def create_accounts(reset: bool) -> None:
    """One Unix user per person, each home private to its owner."""
    for user in ACCOUNTS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            run("useradd", "--create-home", "--user-group", "--shell", "/bin/bash", user)
        else:
            if reset:
                reset_home(user)
        home(user).chmod(0o700)
    for learner in LEARNERS:  # the learner's own choice of panels, not a security boundary
        write_json(
            home(learner) / ".jupyter" / "labconfig" / "page_config.json",
            {"disabledExtensions": dict.fromkeys(INSTRUCTOR_LAB_EXTENSIONS, True)},
            owner=learner,
        )


def set_up_instructor() -> None:
    """The course files in the instructor's course folder, and formgrader turned on for them."""
    folder = course_folder()
    folder.mkdir(exist_ok=True)
    for name in COURSE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source, folder / name)
    run("chown", "-R", f"{INSTRUCTOR}:{INSTRUCTOR}", folder)
    folder.chmod(0o700)
    config = home(INSTRUCTOR) / ".jupyter"
    config.mkdir(exist_ok=True)
    write_json(config / "jupyter_server_config.json", instructor_extensions(True), owner=INSTRUCTOR)
    (config / "nbgrader_config.py").write_text(
        '"""The instructor\'s course: formgrader and the command line read the same settings."""\n'
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(folder / 'nbgrader_config.py')!r})  # noqa: F821\n"
    )
    run("chown", "-R", f"{INSTRUCTOR}:{INSTRUCTOR}", config)


def create_state(reset: bool) -> None:
    """The hub's private folder and the exchange (world-writable as nbgrader requires, with the
    course's folder already owned by the instructor so that no learner can claim it first)."""
    if reset:
        shutil.rmtree(STATE, ignore_errors=True)
    STATE.mkdir(parents=True, exist_ok=True)
    STATE.chmod(0o755)
    HUB_STATE.mkdir(exist_ok=True)
    HUB_STATE.chmod(0o700)
    EXCHANGE.mkdir(exist_ok=True)
    EXCHANGE.chmod(0o1777)
    course_exchange = EXCHANGE / COURSE_ID
    course_exchange.mkdir(exist_ok=True)
    run("chown", f"{INSTRUCTOR}:{INSTRUCTOR}", course_exchange)
    course_exchange.chmod(0o755)


def publish_course() -> None:
    """A bare copy of this checkout's history, for launch links to pull."""
    shutil.rmtree(COURSE_GIT, ignore_errors=True)
    run("git", "clone", "--quiet", "--bare", "--no-hardlinks", REPO, COURSE_GIT)
    run("chmod", "-R", "a+rX", COURSE_GIT)
    # git refuses to read a repository that someone else owns unless system or global settings
    # call it safe; the learners' own ~/.gitconfig stays theirs.
    GIT_CONFIG.write_text(f"[include]\n\tpath = /etc/gitconfig\n[safe]\n\tdirectory = {COURSE_GIT}\n")
    GIT_CONFIG.chmod(0o644)


def provision(reset: bool = False) -> None:
    if os.geteuid() != 0:
        raise SystemExit("The classroom creates Unix users and runs JupyterHub as root: run it as root.")
    build_environment()
    configure_extensions()
    create_accounts(reset)
    set_up_instructor()
    create_state(reset)
    publish_course()


def serve() -> None:
    lti_settings()  # incomplete LTI settings stop here, before the hub starts
    if not PROXY.exists():
        raise SystemExit(f"{PROXY} is missing: run `npm ci --prefix {CLASSROOM}` (make classroom does).")
    env = {**os.environ, "PATH": f"{ENV / 'bin'}:{os.environ.get('PATH', '')}"}
    os.execve(ENV / "bin" / "jupyterhub", ["jupyterhub", "-f", str(CLASSROOM / "jupyterhub_config.py")], env)


def main(argv: list[str] = sys.argv[1:]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("provision").add_argument(
        "--reset", action="store_true", help="delete the accounts' files, the hub's state and the exchange"
    )
    commands.add_parser("serve")
    args = parser.parse_args(argv)
    if args.command == "provision":
        provision(args.reset)
    else:
        serve()


if __name__ == "__main__":
    main()
