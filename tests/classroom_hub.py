"""The local classroom for tests: provisioned afresh, its hub started on free ports, and every
process it started stopped afterwards."""

from __future__ import annotations

import os
import pwd
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil

from conftest import ROOT

sys.path.insert(0, str(ROOT / "classroom"))
import local_hub

SYSTEM_PYTHON = local_hub.SYSTEM_PYTHON
HUB_START_SECONDS = 60


def free_port_block() -> int:
    """A port P with P, P+1 and P+81 free (the hub's address, the proxy's API, the hub's own port)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 81 < 65536 and all(_free(port + offset) for offset in (0, 1, 81)):
            return port
    raise RuntimeError("no free block of ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def as_user(user: str, *command, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``command`` with ``user``'s uid and group only, in their home with the classroom's PATH."""
    account = pwd.getpwnam(user)
    env = local_hub.user_environment(user)
    result = subprocess.run(
        [str(part) for part in command],
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        cwd=cwd or account.pw_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{user}: {' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def provision(env: dict[str, str]) -> None:
    result = subprocess.run(
        [SYSTEM_PYTHON, str(ROOT / "classroom" / "local_hub.py"), "provision", "--reset"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"provisioning failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def classroom_processes(hub: psutil.Process | None) -> list[psutil.Process]:
    """The hub, everything it started, and anything running as one of the classroom's accounts."""
    uids = {pwd.getpwnam(user).pw_uid for user in local_hub.ACCOUNTS}
    found = {}
    if hub is not None:
        try:
            found = {p.pid: p for p in [hub, *hub.children(recursive=True)]}
        except psutil.NoSuchProcess:
            pass
    for process in psutil.process_iter(["uids"]):
        if process.info["uids"] and process.info["uids"].real in uids:
            found[process.pid] = process
    return list(found.values())


def stop(processes: list[psutil.Process]) -> list[psutil.Process]:
    """SIGTERM, a grace period, then SIGKILL; returns whatever still runs."""
    for process in processes:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(processes, timeout=20)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(alive, timeout=10)
    return alive


@contextmanager
def running_classroom(log: Path, settings: dict[str, str] | None = None):
    """A freshly provisioned classroom with its hub up, given ``settings`` (environment variables
    of local_hub) on top of a free port; yields the hub's URL."""
    port = free_port_block()
    env = {**os.environ, "CLASSROOM_PORT": str(port), **(settings or {})}
    provision(env)
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        popen = subprocess.Popen(
            [SYSTEM_PYTHON, str(ROOT / "classroom" / "local_hub.py"), "serve"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = psutil.Process(popen.pid)
        try:
            _wait_for(f"{url}/hub/login", popen)
            yield url
        finally:
            started = classroom_processes(hub)
            # The hub first: it stops the proxy and the single-user servers itself.
            popen.send_signal(signal.SIGTERM)
            try:
                popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            leftovers = stop(classroom_processes(None) + [p for p in started if p.is_running()])
            assert not leftovers, f"still running after the classroom stopped: {leftovers}"


def _wait_for(url: str, popen: subprocess.Popen) -> None:
    deadline = time.monotonic() + HUB_START_SECONDS
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise AssertionError(f"the hub exited with {popen.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"the hub did not answer {url} within {HUB_START_SECONDS} s")
