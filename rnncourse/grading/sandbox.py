"""One learner's code, in a bubblewrap sandbox that only answers the grader's requests.

The sandbox sees a minimal view of the host: ``/usr`` and the Python installation read-only,
``/etc/ld.so.cache``, a minimal read-only ``/dev`` and its own ``/proc``, and two size-capped
tmpfs, ``/tmp`` (its home and working folder) and ``/dev/shm``; everything else is read-only.
Nothing it writes reaches the host's disk, and the grader never reads a path the sandbox could
have written: all that comes back is replies on pipes (see :mod:`rnncourse.grading.wire`). It
has no network, its own PID, IPC and UTS namespaces, no capabilities, a seccomp filter
(:mod:`rnncourse.grading.seccomp`), and runs as an unprivileged user. When the grader runs as
root, that user is leased machine-wide from the ids counting down from ``sandbox_uid``;
otherwise bubblewrap maps the grader's own user into a user namespace, and no nested namespaces
are allowed.

Inside, a zygote that never runs learner code forks a fresh job for each group of test cells
(see :mod:`rnncourse.grading.worker`). Limits: memory (address space, and with a cgroup the real
memory including the tmpfs), CPU seconds, processes, file size, reply size, and wall-clock
deadlines enforced by the grader.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from rnncourse.grading import wire
from rnncourse.grading.limits import make_cgroup
from rnncourse.grading.seccomp import filter_program

SANDBOX_UID = 65534  # "nobody": owns nothing on the host
SANDBOX_USERS = 64  # users a grader may lease, counting down from its base uid (see UserLease)
LEASE_DIR = "/run/rnn-basics-grading"
MAX_JOBS = 24  # fresh processes per notebook: one per group of test cells that use the same names
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


class SandboxStopped(BaseException):
    """The sandbox or the job running the learner's code ended (exited, crashed, ran out of memory or
    time, broke the protocol). Not an ``Exception``: a test's ``except Exception`` must not read it as
    an answer of the learner's function, and the grader reports it for the whole cell."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 * 2**30
    cpu_seconds: int = 600
    max_processes: int = 256
    max_file_bytes: int = 64 * 2**20
    tmpfs_bytes: int = 256 * 2**20
    reply_bytes: int = 16 * 2**20
    expose_gpu: bool = False
    shm_bytes: int = 64 * 2**20


def _python_prefixes() -> list[Path]:
    """Folders the worker must read to import Python, torch and numpy."""
    return sorted({Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def _gpu_devices() -> list[str]:
    return sorted(str(p) for p in Path("/dev").glob("nvidia*"))


def bwrap_command(limits: Limits, uid: int, control: tuple[int, int], jobs: list[tuple[int, int]], seccomp_fd=None):
    """The command line that starts the worker in the sandbox, with its control and job pipes (see worker.py)."""
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
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--dev", "/dev", "--proc", "/proc"]
    # The only writable places, each of its own size: /tmp, and /dev/shm for POSIX shared memory.
    for size, folder in ((limits.tmpfs_bytes, "/tmp"), (limits.shm_bytes, "/dev/shm")):
        args += ["--perms", "1777", "--size", str(size), "--tmpfs", folder]
    binds = [(prefix, prefix) for prefix in _python_prefixes() if not str(prefix).startswith("/usr/")]
    for source, dest in [*binds, (PACKAGE_DIR, Path(PACKAGE_MOUNT) / "rnncourse")]:
        for parent in reversed(dest.parents[:-1]):  # folders bwrap creates must stay traversable
            args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(source), str(dest)]
    if limits.expose_gpu:
        for device in _gpu_devices():
            args += ["--dev-bind", device, device]
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
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
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
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
    pairs = [f"{a},{b}" for a, b in [control, *jobs]]
    return [*args, "--", sys.executable, "-I", WORKER, *pairs]


class Channel:
    """A pair of pipes to one process in the sandbox: requests out, replies in."""

    def __init__(self):
        self.child_read, self.request_fd = os.pipe()
        self.reply_fd, self.child_write = os.pipe()
        os.set_blocking(self.request_fd, False)  # a sandbox that stops reading cannot block the grader

    def child_ends(self) -> tuple[int, int]:
        return self.child_read, self.child_write

    def close_child_ends(self) -> None:
        _close(self.child_read, self.child_write)

    def close(self) -> None:
        _close(self.request_fd, self.reply_fd)


def _close(*fds: int) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _seccomp_memfd() -> int | None:
    program = filter_program()
    if program is None:
        return None
    fd = os.memfd_create("rnn-basics-seccomp", 0)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


class Sandbox:
    """A started zygote (see worker.py), and the job that answers requests now.

    ``request`` sends one request to the current job and returns the decoded reply;
    ``start_job`` ends the current job, if any, and forks a fresh one; ``end_job`` ends it. A
    job that breaks the protocol, runs out of time or exits ends alone (``job_dead``); the
    sandbox ends (``dead``) only when the zygote does.
    """

    def __init__(self, limits: Limits, uid: int = SANDBOX_UID, jobs: int = MAX_JOBS):
        self.limits, self.dead, self.job_dead, self.job, self.interrupted = limits, None, None, None, False
        self.lease = UserLease(uid) if os.geteuid() == 0 else None
        self.cgroup = make_cgroup(limits.memory_bytes, limits.max_processes)
        self.control, self.jobs, self.next_job = Channel(), [Channel() for _ in range(jobs)], 0
        seccomp = _seccomp_memfd()
        uid = self.lease.uid if self.lease else uid
        channels = [self.control, *self.jobs]
        command = bwrap_command(
            limits, uid, self.control.child_ends(), [c.child_ends() for c in self.jobs], seccomp_fd=seccomp
        )

        def child_setup():
            os.setsid()
            if self.cgroup is not None:
                self.cgroup.enter()

        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=[fd for c in channels for fd in c.child_ends()] + ([seccomp] if seccomp is not None else []),
            preexec_fn=child_setup,
            close_fds=True,
        )
        for channel in channels:
            channel.close_child_ends()
        if seccomp is not None:
            os.close(seccomp)
        self._stderr = b""
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        """Keep the last 2000 bytes the sandbox wrote to its stderr, in bounded reads."""
        while chunk := self.process.stderr.read1(65536):
            self._stderr = (self._stderr + chunk)[-2000:]

    def wait_ready(self, deadline: float) -> None:
        try:
            body = wire.read_frame(self.control.reply_fd, 1000, deadline)
        except (TimeoutError, EOFError, wire.WireError, OSError) as error:
            self.kill(f"the sandbox did not start ({type(error).__name__}): {self._stderr.decode(errors='replace')}")
            raise SandboxStopped(self.dead) from error
        if body != wire.dumps({"ready": True}):
            self.kill("the sandbox did not start")
            raise SandboxStopped(self.dead)

    def _control(self, message: tuple, deadline: float) -> None:
        """Send the zygote a request and wait for its acknowledgement; SandboxStopped if it is gone."""
        if self.dead:
            raise SandboxStopped(self.dead)
        try:
            wire.write_frame(self.control.request_fd, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL), deadline)
            acknowledged = wire.read_frame(self.control.reply_fd, 1000, deadline)
        except (TimeoutError, EOFError, OSError, wire.WireError) as error:
            self.kill(f"the sandbox stopped answering ({type(error).__name__})")
            raise SandboxStopped(self.dead) from None
        if acknowledged != wire.dumps({"ok": message[0]}):
            self.kill("the sandbox broke the protocol")
            raise SandboxStopped(self.dead)

    def prepare(self, sources: list[str], deadline: float) -> None:
        """Let the zygote import what the course's locked cells import (it runs none of them)."""
        self._control(("prepare", sources), deadline)

    def start_job(
        self, setup: list[str], helpers: list[str], program: list[str], deadline: float, make_handle, make_error
    ):
        """A fresh job that has run ``setup``, then ``program``, then ``helpers``; returns its first reply."""
        self.end_job()
        if self.next_job >= len(self.jobs):
            self.job_dead = "the notebook needed more fresh processes than the grader allows"
            raise SandboxStopped(self.job_dead)
        self.job, self.job_dead = self.jobs[self.next_job], None
        self.next_job += 1
        self._control(("job", self.next_job - 1, setup, helpers, program), deadline)
        try:
            return wire.decode_reply(self._reply(deadline), make_handle, make_error)
        except (EOFError, OSError, wire.WireError) as error:
            self._job_stopped(self._why_stopped(error))

    def end_job(self) -> None:
        """End the current job and everything it started; its pipes are never used again."""
        if self.job is None:
            return
        self.job.close()
        self.job = None
        if not self.dead:
            self._control(("end",), time.monotonic() + 10)

    def _job_stopped(self, reason: str):
        self.job_dead = reason
        self.end_job()
        raise SandboxStopped(reason)

    def request(self, message: tuple, deadline: float, make_handle, make_error):
        """Send ``message`` to the job; return ``("ok", value)`` or ``("err", error)``. SandboxStopped if it is gone."""
        if self.dead or self.job_dead or self.job is None:
            raise SandboxStopped(self.dead or self.job_dead or "no process runs the learner's code")
        buffer = __import__("io").BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: ("h", obj._handle) if hasattr(type(obj), "_is_learner_handle") else None
        pickler.dump(message)
        try:
            wire.write_frame(self.job.request_fd, buffer.getvalue(), deadline)
        except (TimeoutError, OSError) as error:
            self._job_stopped(
                "it stopped reading the grader's requests"
                if isinstance(error, TimeoutError)
                else self._why_stopped(error)
            )
        try:
            body = self._reply(deadline)
        except (EOFError, OSError, wire.WireError) as error:
            self._job_stopped(self._why_stopped(error))
        try:
            return wire.decode_reply(body, make_handle, make_error)
        except wire.WireError as error:  # a whole frame that is not data: that call's error, not the job's
            return "err", make_error(["ValueError"], f"the grader could not read what your code sent: {error}", "")

    def _reply(self, deadline: float) -> bytes:
        try:
            return wire.read_frame(self.job.reply_fd, self.limits.reply_bytes, deadline)
        except TimeoutError:
            self.interrupt()
            self.interrupted = True
            try:
                return wire.read_frame(self.job.reply_fd, self.limits.reply_bytes, time.monotonic() + 3)
            except TimeoutError:
                self._job_stopped("it ran past its time limit and did not stop when interrupted")

    def _why_stopped(self, error: Exception) -> str:
        if isinstance(error, wire.WireError):
            return f"it broke the protocol: {error}"
        if self.cgroup is not None and self.cgroup.out_of_memory():
            return "it ran out of memory"
        code = self.process.poll()
        if code is not None:
            return f"the sandbox exited (code {code})"
        return "the process running it ended or stopped answering (an exit, a crash or a signal)"

    def interrupt(self) -> None:
        """Send SIGINT to the worker's processes: the zygote ignores it, the job stops what it runs."""
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
        for channel in [self.control, *self.jobs]:
            channel.close()
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.lease is not None:
            self.lease.release()


class UserLease:
    """A sandbox user held for one sandbox's life, machine-wide: no two live sandboxes share one.

    Users are taken counting down from ``base`` (``SANDBOX_USERS`` of them), each held by a lock
    on a file in ``LEASE_DIR`` (root's own folder), so graders running at once, of one course or
    of several, never hand two sandboxes the same user.
    """

    def __init__(self, base: int):
        folder = Path(LEASE_DIR)
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
            raise SandboxUnavailable(f"{folder} must be a folder that only root can change")
        for uid in range(base, base - SANDBOX_USERS, -1):
            fd = os.open(folder / f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.uid, self.fd = uid, fd
            return
        raise SandboxUnavailable(f"all {SANDBOX_USERS} sandbox users from {base} down are in use")

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class SparePool:
    """Sandboxes started ahead, so that the next notebooks find theirs warm.

    As root, each sandbox leases a user of its own (:class:`UserLease`) for its life: a
    submission that fills its process limit cannot stop another sandbox from starting, since
    per-user limits never count two of them.
    """

    MAX_SPARES = 3

    def __init__(self):
        self._spares: list[tuple[tuple, Sandbox]] = []

    def take(self, limits: Limits, base_uid: int) -> Sandbox:
        """The oldest spare if it was started with these settings, else a new sandbox."""
        while self._spares:
            key, sandbox = self._spares.pop(0)
            if key == (limits, base_uid) and sandbox.dead is None:
                return sandbox
            sandbox.kill()
        return Sandbox(limits, base_uid)

    def refill(self, limits: Limits, base_uid: int, count: int) -> None:
        """Start spares until ``count`` (at most ``MAX_SPARES``) are waiting; call once the current one is ready."""
        while len(self._spares) < min(count, self.MAX_SPARES):
            self._spares.append(((limits, base_uid), Sandbox(limits, base_uid)))

    def close(self) -> None:
        for _, sandbox in self._spares:
            sandbox.kill()
        self._spares = []


SPARES = SparePool()
atexit.register(SPARES.close)
