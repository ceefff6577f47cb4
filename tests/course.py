"""Helpers for tests that grade a throwaway course (rnncourse.grading.trial)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rnncourse.assignments import grade_id


def tree_digest(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` (links not followed) and its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def outputs_by_grade_id(notebook) -> dict[str, list]:
    return {grade_id(c): c.get("outputs", []) for c in notebook.cells}


def error_names(outputs) -> list[str]:
    return [o.ename for o in outputs if o.output_type == "error"]
