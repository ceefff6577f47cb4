"""How long the website takes to build: cold (every page executed) and with no change.

Run: .venv/bin/python bench/book_build.py  (builds a copy of the checkout, its tracked files and the untracked
ones git does not ignore; writes bench/book_build.md)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_cache import get_cache

from rnncourse.book import build_book
from tables import record

ROOT = Path(__file__).resolve().parents[1]


def timed_build(root: Path) -> float:
    start = time.perf_counter()
    result = build_book(root)
    if result.returncode != 0:
        raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
    return time.perf_counter() - start


def main():
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "course"
        tracked = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        for name in tracked.stdout.splitlines():
            if not (ROOT / name).is_file():  # tracked but deleted in the checkout
                continue
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
        cold = timed_build(copy)
        rebuild = timed_build(copy)
        records = get_cache(copy / "_build" / ".jupyter_cache").list_cache_records()
        pages = sorted(
            ((Path(r.uri).stem if hasattr(r, "uri") else str(r.pk)), r.data.get("execution_seconds", 0.0))
            for r in records
        )
    executed = sum(seconds for _, seconds in pages)
    lines = ["| page | cell execution (s) |", "|---|---|"]
    lines += [f"| {name} | {seconds:.1f} |" for name, seconds in sorted(pages, key=lambda p: -p[1])]
    lines += [
        "",
        "| measure | seconds |",
        "|---|---|",
        f"| cold build, every page executed | {cold:.1f} |",
        f"| sum of the pages' execution times (the floor) | {executed:.1f} |",
        f"| cold build / execution sum | {cold / executed:.2f}x |",
        f"| no-change rebuild | {rebuild:.1f} |",
    ]
    record(__file__, "\n".join(lines))


if __name__ == "__main__":
    main()
