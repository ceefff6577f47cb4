"""The ``rnncourse`` command: build, release, check and grade the course in a folder.

    rnncourse book                       build the website strictly into _build/html
    rnncourse exercises                  regenerate exercises/ from solutions/ with nbgrader
    rnncourse check                      report every mismatch between sources, releases and book
    rnncourse autograde NAME [--jobs N]  autograde one assignment on every core

Every command works on the course in the current folder, or in ``--root``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rnncourse.book import build_book
from rnncourse.grading.parallel import autograde_parallel
from rnncourse.grading.sandbox import SANDBOX_UID, SANDBOX_USERS
from rnncourse.release import course_problems, release_all


def book(args) -> int:
    result = build_book(args.root)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


def exercises(args) -> int:
    for path in release_all(args.root):
        print(f"released {path.relative_to(args.root)}")
    return 0


def check(args) -> int:
    problems = course_problems(args.root)
    for problem in problems:
        print(problem)
    print("the course is consistent" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def autograde(args) -> int:
    runs = autograde_parallel(args.root, args.assignment, args.jobs, args.sandbox_uid)
    for student, run in sorted(runs.items()):
        print(f"{student}: {'graded' if run.returncode == 0 else 'FAILED (see the log of its shard below)'}")
    for run in {id(r): r for r in runs.values() if r.returncode != 0}.values():
        print("  " + "\n  ".join(run.stderr.strip().splitlines()[-5:]))
    return 0 if all(run.returncode == 0 for run in runs.values()) else 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="rnncourse", description="Build, release, check and grade the RNN Basics course in a folder."
    )
    commands = top.add_subparsers(dest="command", required=True)
    for command, text in [
        (book, "build the website strictly (any cell error or warning fails)"),
        (exercises, "regenerate exercises/ from solutions/ with nbgrader"),
        (check, "check that sources, releases, book pages and _toc.yml agree"),
        (autograde, "autograde one assignment, the students split over --jobs shards"),
    ]:
        sub = commands.add_parser(command.__name__, help=text, description=text)
        sub.add_argument("--root", type=Path, default=Path.cwd(), help="the course folder (default: here)")
        sub.set_defaults(run=command)
    grading = commands.choices["autograde"]
    grading.add_argument("assignment")
    grading.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    grading.add_argument(
        "--sandbox-uid",
        type=int,
        default=SANDBOX_UID,
        help="as root, shard k's sandboxes run as the users counting down from this id minus k * "
        f"{SANDBOX_USERS} (default: %(default)s)",
    )
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = args.root.resolve()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
