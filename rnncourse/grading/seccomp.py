"""A seccomp filter for the sandbox: system calls that reach past its namespaces answer EPERM.

bubblewrap gives the sandbox namespaces of its own (mounts, processes, IPC, network, host
name), so System V and POSIX IPC and the file systems are the sandbox's alone. A few kernel
facilities are not namespaced: the key rings belong to a user, not a namespace, and would carry
data from one submission to a later one graded as the same user; tracing and reading another
process's memory would let one job reach another (or the zygote); and ``bpf``,
``perf_event_open``, ``userfaultfd`` and ``io_uring`` are kernel attack surface no notebook
needs. The filter is classic BPF, loaded by bubblewrap (``--seccomp FD``); on a processor this
module has no table for, grading runs without it (:func:`filter_program` returns None).
"""

from __future__ import annotations

import errno
import platform
import struct

BLOCKED = (
    "add_key",
    "request_key",
    "keyctl",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "perf_event_open",
    "bpf",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
)
# machine -> (AUDIT_ARCH value, system call numbers); from the kernel's unistd headers.
TABLES = {
    "x86_64": (
        0xC000003E,
        dict(
            add_key=248, request_key=249, keyctl=250, ptrace=101, process_vm_readv=310, process_vm_writev=311,
            kcmp=312, perf_event_open=298, bpf=321, userfaultfd=323, io_uring_setup=425, io_uring_enter=426,
            io_uring_register=427,
        ),
    ),
    "aarch64": (
        0xC00000B7,
        dict(
            add_key=217, request_key=218, keyctl=219, ptrace=117, process_vm_readv=270, process_vm_writev=271,
            kcmp=272, perf_event_open=241, bpf=280, userfaultfd=282, io_uring_setup=425, io_uring_enter=426,
            io_uring_register=427,
        ),
    ),
}  # fmt: skip
X32_BIT = 0x40000000  # x86_64's x32 system calls: refused outright

# Classic BPF: struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}.
LD_W_ABS, JEQ_K, JGE_K, RET_K = 0x20, 0x15, 0x35, 0x06
NR_OFFSET, ARCH_OFFSET = 0, 4
ALLOW, KILL, DENY = 0x7FFF0000, 0x80000000, 0x00050000 | errno.EPERM


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def filter_program(machine: str | None = None) -> bytes | None:
    """The filter for this processor, as bytes for ``bwrap --seccomp``; None where there is no table."""
    table = TABLES.get(machine or platform.machine())
    if table is None:
        return None
    arch, numbers = table
    blocked = [numbers[name] for name in BLOCKED]
    program = [_op(LD_W_ABS, ARCH_OFFSET), _op(JEQ_K, arch, jt=1), _op(RET_K, KILL), _op(LD_W_ABS, NR_OFFSET)]
    if arch == TABLES["x86_64"][0]:
        program += [_op(JGE_K, X32_BIT, jf=1), _op(RET_K, DENY)]
    for index, number in enumerate(blocked):
        program.append(_op(JEQ_K, number, jt=len(blocked) - index, jf=0))
    program += [_op(RET_K, ALLOW), _op(RET_K, DENY)]
    return b"".join(program)
