"""Seals see every write the application makes: SQLite's REPLACE conflict resolution deletes
the conflicting row without firing its delete trigger (recursive triggers are off), so a row
removed that way would leave its seal behind and read as damage. No code of the application
may write that way; the seal table's own bookkeeping is the one exception."""

from __future__ import annotations

import re
from pathlib import Path

import kpi_desktop

# SQL in capitals, as every statement here is written; "insert or replace" in prose is not SQL
# (the repositories' upserts update, else insert).
SILENT = re.compile(r"\bOR\s+REPLACE\b|on_conflict_do_update|prefix_with\(\s*['\"]OR")


def test_no_write_replaces_a_row_behind_the_seal_triggers() -> None:
    root = Path(kpi_desktop.__file__).parent
    found = [f"{path.relative_to(root)}:{number}"
             for path in sorted(root.rglob("*.py")) if path.name != "seals.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SILENT.search(line)]
    assert found == []
    assert SILENT.search((root / "storage" / "seals.py").read_text(encoding="utf-8"))
