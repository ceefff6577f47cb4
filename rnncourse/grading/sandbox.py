"""Run every grading kernel inside a bubblewrap sandbox.

nbgrader executes a submission with the rights of whoever runs ``nbgrader autograde``.
:class:`SandboxedKernelManager` is a drop-in Jupyter kernel manager that instead starts
the kernel with ``bwrap``:

- no network (a private network namespace with only its own loopback);
- the whole file system read-only, the course directory and the home directory hidden,
  and only the submission's own working folder writable;
- a private ``/tmp``, process IDs and IPC; all capabilities dropped; an unprivileged user;
- limits on address space, CPU seconds, processes and file size;
- every process the notebook started dies with the kernel.

Every kernel, sandboxed or not, runs :mod:`rnncourse.grading.kernel_guard` first.

The kernel talks to nbgrader over Unix sockets (ZeroMQ's ``ipc`` transport) in a private
folder, since a TCP port on the host's loopback is out of reach from inside the sandbox.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import psutil
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, Unicode

SANDBOX_UID = 65534  # "nobody": owns nothing on the host
GUARD_FILE = Path(__file__).with_name("kernel_guard.py")  # run by every kernel before the notebook
GUARD_IN_SANDBOX = "/tmp/rnn_basics_kernel_guard.py"
KERNEL_THREADS = 4  # torch's CPU threads per kernel: threads count against the process limit


class SandboxUnavailable(RuntimeError):
    """Raised before anything runs when the sandbox cannot start on this machine."""


MISSING_BWRAP = (
    "Grading needs bubblewrap to sandbox submissions, and `bwrap` is not installed. "
    "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`), or, only for trusted "
    "notebooks, set `c.SandboxedKernelManager.allow_unsandboxed = True` in nbgrader_config.py."
)


def stop_autograde_without_sandbox(allow_unsandboxed: bool, argv: list[str] = sys.argv) -> None:
    """Called from nbgrader_config.py: end `nbgrader autograde` before it runs anything
    when bubblewrap is missing, unless running unsandboxed was explicitly allowed."""
    if argv[1:2] == ["autograde"] and not allow_unsandboxed and shutil.which("bwrap") is None:
        raise SystemExit(MISSING_BWRAP)


def _visible_prefixes() -> list[Path]:
    """Folders the kernel must read to import Python, torch and numpy."""
    return sorted({Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def bwrap_command(kernel_cmd: list[str], workdir: Path, socket_dir: Path, hidden: list[Path], *,
                  memory_bytes: int, cpu_seconds: int, max_processes: int, max_file_bytes: int,
                  uid: int = SANDBOX_UID) -> list[str]:
    """The command line that runs ``kernel_cmd`` sandboxed, with ``workdir`` as its only writable folder."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(MISSING_BWRAP)
    args = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]
    for folder in hidden:
        args += ["--tmpfs", str(folder)]
    binds = [(prefix, prefix, "--ro-bind") for prefix in _visible_prefixes()]  # Python may live in a hidden folder
    binds += [(GUARD_FILE, Path(GUARD_IN_SANDBOX), "--ro-bind"), (workdir, workdir, "--bind"),
              (socket_dir, socket_dir, "--bind")]
    for source, dest, kind in binds:
        for parent in reversed(dest.parents[:-1]):  # folders bwrap creates on a tmpfs must stay traversable
            args += ["--perms", "0755", "--dir", str(parent)]
        args += [kind, str(source), str(dest)]
    args += [
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session",
        "--chdir", str(workdir),
        "--clearenv",
        "--setenv", "PATH", os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "--setenv", "HOME", "/tmp",
        "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib",
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        "--setenv", "LANG", "C.UTF-8",
        "--setenv", "OMP_NUM_THREADS", str(KERNEL_THREADS),
        "--",
        shutil.which("prlimit") or "prlimit",
        f"--as={memory_bytes}", f"--cpu={cpu_seconds}", f"--nproc={max_processes}",
        f"--fsize={max_file_bytes}", "--core=0",
        "--",
        shutil.which("setpriv") or "setpriv",
        f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
        "--",
        *kernel_cmd,
    ]
    return args


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in :func:`bwrap_command`'s sandbox."""

    allow_unsandboxed = Bool(
        False, config=True,
        help="Run kernels without a sandbox when bubblewrap is missing. Only for trusted notebooks.",
    )
    memory_bytes = Integer(2 * 2**30, config=True, help="Address-space limit of the kernel process.")
    cpu_seconds = Integer(600, config=True, help="CPU seconds a whole notebook may use.")
    max_processes = Integer(256, config=True, help="Processes and threads the sandbox user may run.")
    max_file_bytes = Integer(64 * 2**20, config=True, help="Largest file the notebook may write.")
    course_root = Unicode("", config=True, help="Folder hidden from kernels (default: the working directory).")
    sandbox_uid = Integer(SANDBOX_UID, config=True, help="Unprivileged user the kernel runs as.")

    def _guarded(self, kernel_cmd: list[str], guard_path: str) -> list[str]:
        """Have the kernel run the test guard (rnncourse/grading/kernel_guard.py) before any cell."""
        return [*kernel_cmd, f"--IPKernelApp.exec_files={[guard_path]}"]

    def _sandbox_usable(self) -> bool:
        if shutil.which("bwrap"):
            return True
        if self.allow_unsandboxed:
            self.log.warning("bubblewrap is missing: running the kernel UNSANDBOXED, as configured.")
            return False
        return True  # bwrap_command raises the explanatory error

    async def _async_pre_start_kernel(self, **kw):
        if not self._sandbox_usable():
            kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
            return self._guarded(kernel_cmd, str(GUARD_FILE)), kw
        socket_dir = Path(tempfile.mkdtemp(prefix="rnn-basics-kernel-"))
        os.chown(socket_dir, self.sandbox_uid, self.sandbox_uid)
        self._socket_dir = socket_dir
        self.transport = "ipc"
        self.ip = str(socket_dir / "kernel")
        self.connection_file = str(socket_dir / "connection.json")
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
        os.chown(workdir, self.sandbox_uid, self.sandbox_uid)
        os.chown(self.connection_file, self.sandbox_uid, self.sandbox_uid)
        hidden = [Path(self.course_root or os.getcwd()).resolve(), Path.home().resolve()]
        command = bwrap_command(
            self._guarded(kernel_cmd, GUARD_IN_SANDBOX), workdir, socket_dir, hidden,
            memory_bytes=self.memory_bytes, cpu_seconds=self.cpu_seconds,
            max_processes=self.max_processes, max_file_bytes=self.max_file_bytes, uid=self.sandbox_uid,
        )
        return command, kw

    async def _async_signal_kernel(self, signum: int) -> None:
        """Interrupt the kernel itself: a SIGINT to bwrap would end the whole sandbox."""
        pid = getattr(self.provisioner, "pid", None)
        if signum != signal.SIGINT or pid is None or not psutil.pid_exists(pid):
            return await super()._async_signal_kernel(signum)
        for child in psutil.Process(pid).children(recursive=True):
            try:
                child.send_signal(signum)
            except psutil.Error:
                pass

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        socket_dir = getattr(self, "_socket_dir", None)
        if socket_dir is not None and not restart:
            shutil.rmtree(socket_dir, ignore_errors=True)
