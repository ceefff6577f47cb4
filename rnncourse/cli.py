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

# Each command imports what it needs when it runs: help and argument errors come back at once.


def book(args) -> int:
    from rnncourse.book import build_book

    result = build_book(args.root)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


def exercises(args) -> int:
    from rnncourse.release import release_all

    for path in release_all(args.root):
        print(f"released {path.relative_to(args.root)}")
    return 0


def check(args) -> int:
    from rnncourse.release import course_problems

    problems = course_problems(args.root)
    for problem in problems:
        print(problem)
    print("the course is consistent" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def fail(message: str, status: int = 1) -> int:
    print(f"rnncourse: {message}", file=sys.stderr)
    return status


def autograde(args) -> int:
    from rnncourse.assignments import assignments
    from rnncourse.grading.console import printable
    from rnncourse.grading.parallel import autograde_parallel, students_with_submissions

    known = [a.name for a in assignments(args.root)]
    if args.assignment not in known:
        return fail(
            f"no assignment named {printable(args.assignment)!r} in {args.root / 'solutions'} "
            f"(the course has: {', '.join(known) or 'none'})",
            2,
        )
    if not students_with_submissions(args.root, args.assignment):
        return fail(
            f"nothing submitted for {args.assignment}: no folder submitted/STUDENT/{args.assignment} "
            "(collect the work first: `nbgrader collect` or `nbgrader zip_collect`)"
        )
    if args.jobs < 1:
        return fail("--jobs must be at least 1", 2)

    def progress(done: int, total: int, elapsed: float, line: str) -> None:
        print(f"[{done}/{total}, {elapsed:.0f} s] {line}", flush=True)

    kwargs = {} if args.sandbox_uid is None else {"base_uid": args.sandbox_uid}
    run = autograde_parallel(args.root, args.assignment, args.jobs, progress=progress, **kwargs)
    print(results_table(args.assignment, run.results))
    for shard in run.shards:
        if shard.returncode != 0:
            print(f"\nthe shard grading {', '.join(shard.students)} exited with {shard.returncode}; its log ends:")
            print("  " + "\n  ".join(shard.log_tail))
    return 0 if run.ok else 1


def results_table(assignment: str, results: dict) -> str:
    """Every student's score (from the gradebook) and first failing test, as a plain-text table."""
    from rnncourse.grading.console import printable

    rows = [("student", "score", "failed", "first failing test")]
    for student, result in sorted(results.items()):
        if result.score is None:
            rows.append((printable(student), "not graded", "", "see its shard's log below"))
        else:
            score = f"{result.score:g}/{result.max_score:g}" + (" (earlier run)" if result.earlier else "")
            rows.append((printable(student), score, str(len(result.failing)), result.first_failing))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths)) + "  " + row[3] for row in rows]
    graded = sum(r.score is not None for r in results.values())
    return "\n".join([f"\n{assignment}: {graded} of {len(results)} graded", *(line.rstrip() for line in lines)])


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
    grading.add_argument("assignment", help="the assignment's folder name under solutions/, e.g. 01_one_hot_hello")
    grading.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="grade in N shards at once, each an `nbgrader autograde` over its share of the students; "
        "every shard needs about one core and a sandbox's memory (default: the %(default)s cores here)",
    )
    grading.add_argument(
        "--sandbox-uid",
        type=int,
        default=None,
        help="as root, shard k's sandboxes run as the users counting down from this id minus k times "
        "the users one shard needs (default: SANDBOX_UID in rnncourse/grading/sandbox.py)",
    )
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = args.root.resolve()
    if not (args.root / "nbgrader_config.py").is_file():
        return fail(f"{args.root} is not a course folder: it has no nbgrader_config.py (see --root)", 2)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
