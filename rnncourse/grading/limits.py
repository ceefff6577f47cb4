"""Resource limits for one sandbox: a cgroup where the host allows one, rlimits always.

A cgroup counts everything the sandbox uses: the memory of every process and of its tmpfs,
and every process and thread. cgroup v2 is used when ``/sys/fs/cgroup`` is a v2 hierarchy with
the memory and pids controllers; otherwise cgroup v1's ``memory`` and ``pids`` hierarchies;
otherwise (no cgroups, or no right to create one) only the rlimits apply, and the tmpfs is
bounded by its own size instead of by the memory limit. As root, grading refuses to start
without a cgroup (see :func:`rnncourse.grading.config.check_grading`): there is no reason a
root grader cannot have one, and without it memory outside the address-space limit (a tmpfs,
a memfd) is not counted.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PREFIX = "rnn-basics-grading-"


def _write(path: Path, value: str) -> None:
    path.write_text(value)


class Cgroup:
    """A fresh cgroup with a memory and a process limit; ``enter()`` runs in the child before exec."""

    def __init__(self, memory_bytes: int, max_processes: int):
        name = f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}"  # never a name an earlier grader left
        if (CGROUP_ROOT / "cgroup.controllers").is_file():
            controllers = (CGROUP_ROOT / "cgroup.controllers").read_text().split()
            if not {"memory", "pids"} <= set(controllers):
                raise OSError("cgroup v2 without the memory and pids controllers")
            self.version, self.dirs = 2, [CGROUP_ROOT / name]
            self.dirs[0].mkdir()
            _write(self.dirs[0] / "memory.max", str(memory_bytes))
            _write(self.dirs[0] / "memory.swap.max", "0")
            _write(self.dirs[0] / "pids.max", str(max_processes))
        else:
            self.version, self.dirs = 1, [CGROUP_ROOT / "memory" / name, CGROUP_ROOT / "pids" / name]
            try:
                for folder in self.dirs:
                    folder.mkdir()
                _write(self.dirs[0] / "memory.limit_in_bytes", str(memory_bytes))
                _write(self.dirs[1] / "pids.max", str(max_processes))
            except OSError:
                self.remove(wait=0)
                raise

    def enter(self) -> None:
        for folder in self.dirs:
            _write(folder / "cgroup.procs", str(os.getpid()))

    def out_of_memory(self) -> bool:
        try:
            if self.version == 2:
                events = dict(line.split() for line in (self.dirs[0] / "memory.events").read_text().splitlines())
                return int(events.get("oom_kill", 0)) > 0
            return int((self.dirs[0] / "memory.failcnt").read_text()) > 0
        except (OSError, ValueError):
            return False

    def remove(self, wait: float = 5.0) -> None:
        """Remove the cgroup once its killed processes have left it (at most ``wait`` seconds)."""
        deadline = time.monotonic() + wait
        for folder in self.dirs:
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # busy: processes are still exiting
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.01)


def remove_stale_cgroups() -> int:
    """Remove the empty cgroups that graders no longer running left behind; return how many."""
    removed = 0
    for folder in [*CGROUP_ROOT.glob(PREFIX + "*"), *CGROUP_ROOT.glob(f"*/{PREFIX}*")]:
        pid = folder.name[len(PREFIX) :].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            try:
                folder.rmdir()  # refused while a process is still in it
                removed += 1
            except OSError:
                pass
    return removed


def make_cgroup(memory_bytes: int, max_processes: int) -> Cgroup | None:
    """A cgroup for one sandbox, or None where the host does not let us create one."""
    try:
        return Cgroup(memory_bytes, max_processes)
    except OSError:
        return None
