"""One learner's code, in a bubblewrap sandbox that only answers the grader's requests.

The sandbox sees a minimal view of the host: ``/usr`` and the Python installation read-only,
``/etc/ld.so.cache``, a minimal ``/dev`` and its own ``/proc``, and one size-capped tmpfs at
``/tmp`` that is its home and working folder. Nothing it writes reaches the host's disk, and
the grader never reads a path the sandbox could have written: all that comes back is replies
on a pipe (see :mod:`rnncourse.grading.wire`). It has no network, its own PID, IPC and UTS
namespaces, no capabilities, and runs as an unprivileged user. When the grader runs as root,
that user is ``sandbox_uid``; otherwise bubblewrap maps the grader's own user into a user
namespace, and no nested namespaces are allowed.

Limits: memory (address space, and with a cgroup the real memory including the tmpfs), CPU
seconds, processes, file size, reply size, and wall-clock deadlines enforced by the grader.
"""

from __future__ import annotations

import atexit
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from rnncourse.grading import wire
from rnncourse.grading.limits import make_cgroup

SANDBOX_UID = 65534  # "nobody": owns nothing on the host
SANDBOX_USERS = 4  # users per grader, counting down from its base uid: its sandbox and up to 3 spares
KERNEL_THREADS = 4  # torch's CPU threads per sandbox: threads count against the process limit
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # rnncourse/, mounted read-only for the worker
PACKAGE_MOUNT = "/opt/rnn-basics-grader"
WORKER = f"{PACKAGE_MOUNT}/rnncourse/grading/worker.py"

MISSING_BWRAP = (
    "Grading needs bubblewrap to sandbox submissions, and `bwrap` is not installed. "
    "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`)."
)


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start on this machine; raised before anything runs."""


class SandboxStopped(RuntimeError):
    """The sandbox ended (crashed, exited, ran out of memory or time, broke the protocol)."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 * 2**30
    cpu_seconds: int = 600
    max_processes: int = 256
    max_file_bytes: int = 64 * 2**20
    tmpfs_bytes: int = 256 * 2**20
    reply_bytes: int = 16 * 2**20
    expose_gpu: bool = False


def _python_prefixes() -> list[Path]:
    """Folders the worker must read to import Python, torch and numpy."""
    return sorted({Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def _gpu_devices() -> list[str]:
    return sorted(str(p) for p in Path("/dev").glob("nvidia*"))


def bwrap_command(limits: Limits, uid: int, request_fd: int, reply_fd: int) -> list[str]:
    """The command line that starts the worker in the sandbox, reading and replying on these fds."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(MISSING_BWRAP)
    args = [bwrap, "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    args += [
        "--ro-bind-try",
        "/etc/ld.so.cache",
        "/etc/ld.so.cache",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--size",
        str(limits.tmpfs_bytes),
        "--perms",
        "1777",
        "--tmpfs",
        "/tmp",
    ]
    binds = [(prefix, prefix) for prefix in _python_prefixes() if not str(prefix).startswith("/usr/")]
    for source, dest in [*binds, (PACKAGE_DIR, Path(PACKAGE_MOUNT) / "rnncourse")]:
        for parent in reversed(dest.parents[:-1]):  # folders bwrap creates must stay traversable
            args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(source), str(dest)]
    if limits.expose_gpu:
        for device in _gpu_devices():
            args += ["--dev-bind", device, device]
    args += [
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--chdir",
        "/tmp",
        "--clearenv",
    ]
    root = os.geteuid() == 0
    if not root:  # as root, setpriv below drops every capability along with the user
        args += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": str(KERNEL_THREADS),
    }
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += [
        "--",
        shutil.which("prlimit") or "prlimit",
        f"--as={limits.memory_bytes}",
        f"--cpu={limits.cpu_seconds}",
        f"--fsize={limits.max_file_bytes}",
        "--core=0",
    ]
    if root:  # the process limit counts the sandbox user's processes
        args += [
            f"--nproc={limits.max_processes}",
            "--",
            shutil.which("setpriv") or "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
        ]
    else:  # the process limit counts all of the grading user's processes: allow for those running now
        running = sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == os.getuid())
        args += [f"--nproc={running + limits.max_processes}"]
    return [*args, "--", sys.executable, "-I", WORKER, str(request_fd), str(reply_fd)]


class Sandbox:
    """A started worker. ``request`` sends one request and returns the decoded reply."""

    def __init__(self, limits: Limits, uid: int = SANDBOX_UID):
        self.limits, self.dead = limits, None
        self.cgroup = make_cgroup(limits.memory_bytes, limits.max_processes)
        request_read, self._request_fd = os.pipe()
        self._reply_fd, reply_write = os.pipe()
        command = bwrap_command(limits, uid, request_read, reply_write)

        def child_setup():
            os.setsid()
            if self.cgroup is not None:
                self.cgroup.enter()

        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(request_read, reply_write),
            preexec_fn=child_setup,
            close_fds=True,
        )
        os.close(request_read)
        os.close(reply_write)
        os.set_blocking(self._request_fd, False)  # a sandbox that stops reading cannot block the grader
        self._stderr = b""
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        """Keep the last 2000 bytes the sandbox wrote to its stderr, in bounded reads."""
        while chunk := self.process.stderr.read1(65536):
            self._stderr = (self._stderr + chunk)[-2000:]

    def wait_ready(self, deadline: float) -> None:
        try:
            body = wire.read_frame(self._reply_fd, 1000, deadline)
        except (TimeoutError, EOFError, wire.WireError, OSError) as error:
            self.kill(f"the sandbox did not start ({type(error).__name__}): {self._stderr.decode(errors='replace')}")
            raise SandboxStopped(self.dead) from error
        if body != wire.dumps({"ready": True}):
            self.kill("the sandbox did not start")
            raise SandboxStopped(self.dead)

    def request(self, message: tuple, deadline: float, make_handle, make_error):
        """Send ``message``; return ``("ok", value)`` or ``("err", error)``. SandboxStopped if it is gone."""
        if self.dead:
            raise SandboxStopped(self.dead)
        buffer = __import__("io").BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: ("h", obj._handle) if hasattr(type(obj), "_is_learner_handle") else None
        pickler.dump(message)
        try:
            wire.write_frame(self._request_fd, buffer.getvalue(), deadline)
        except (TimeoutError, OSError) as error:
            self.kill(
                "it stopped reading the grader's requests"
                if isinstance(error, TimeoutError)
                else self._why_stopped(error)
            )
            raise SandboxStopped(self.dead) from None
        try:
            body = self._reply(deadline)
            return wire.decode_reply(body, make_handle, make_error)
        except (EOFError, OSError, wire.WireError) as error:
            self.kill(self._why_stopped(error))
            raise SandboxStopped(self.dead) from error

    def _reply(self, deadline: float) -> bytes:
        try:
            return wire.read_frame(self._reply_fd, self.limits.reply_bytes, deadline)
        except TimeoutError:
            self.interrupt()
            try:
                return wire.read_frame(self._reply_fd, self.limits.reply_bytes, time.monotonic() + 3)
            except TimeoutError:
                self.kill("it ran out of time and did not stop when interrupted")
                raise SandboxStopped(self.dead) from None

    def _why_stopped(self, error: Exception) -> str:
        if isinstance(error, wire.WireError):
            return f"it broke the protocol: {error}"
        if self.cgroup is not None and self.cgroup.out_of_memory():
            return "it ran out of memory"
        code = self.process.poll()
        return f"it exited (code {code})" if code is not None else "it stopped answering"

    def interrupt(self) -> None:
        """Send SIGINT to the worker (bubblewrap itself would end the whole sandbox)."""
        try:
            for child in psutil.Process(self.process.pid).children(recursive=True):
                if "worker.py" in " ".join(child.cmdline()):
                    child.send_signal(signal.SIGINT)
        except psutil.Error:
            pass

    def kill(self, reason: str = "it was stopped") -> None:
        if self.dead is None:
            self.dead = reason
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.process.wait()
        for fd in (self._request_fd, self._reply_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.cgroup is not None:
            self.cgroup.remove()


class SparePool:
    """Sandboxes started ahead, so that the next notebooks find theirs warm.

    Every sandbox alive at once (the current one and its spares) runs as a user of its own
    when grading as root, taken in turn from ``SANDBOX_USERS`` consecutive ids counting
    down from the base: a submission that fills its process limit cannot stop the next
    submission's sandbox from starting, since per-user limits never count both.
    """

    def __init__(self):
        self._spares: list[tuple[tuple, Sandbox]] = []
        self._started = 0

    def _start(self, limits: Limits, base_uid: int) -> tuple[tuple, Sandbox]:
        uid = base_uid - self._started % SANDBOX_USERS
        self._started += 1
        return (limits, base_uid), Sandbox(limits, uid)

    def take(self, limits: Limits, base_uid: int) -> Sandbox:
        """The oldest spare if it was started with these settings, else a new sandbox."""
        while self._spares:
            key, sandbox = self._spares.pop(0)
            if key == (limits, base_uid) and sandbox.dead is None:
                return sandbox
            sandbox.kill()
        return self._start(limits, base_uid)[1]

    def refill(self, limits: Limits, base_uid: int, count: int) -> None:
        """Start spares until ``count`` are waiting (call once the current sandbox is ready)."""
        count = min(count, SANDBOX_USERS - 1)  # the current sandbox holds the remaining user
        while len(self._spares) < count:
            self._spares.append(self._start(limits, base_uid))

    def close(self) -> None:
        for _, sandbox in self._spares:
            sandbox.kill()
        self._spares = []


SPARES = SparePool()
atexit.register(SPARES.close)
