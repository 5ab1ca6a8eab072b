"""A database made at the first schema revision keeps every row through every migration."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from kpi_desktop.storage.backup import integrity_check
from kpi_desktop.storage.engine import head_revision, open_database

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "db_0001.db"
#: Columns a migration recomputes from the others (checked separately below): 0015 put the
#: items' outputs and details into the catalog's search key.
RECOMPUTED = {"catalog_items": {"search_text"}}


def _rows(path: Path) -> dict[str, tuple[list[str], set[tuple]]]:
    connection = sqlite3.connect(path)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        result = {}
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            rows = set(connection.execute(f'SELECT * FROM "{table}"'))
            result[table] = (columns, rows)
        return result
    finally:
        connection.close()


def test_fixture_is_at_revision_0001_with_rows_in_every_table():
    assert FIXTURE.is_file(), "tests/fixtures/db_0001.db must be committed"
    connection = sqlite3.connect(f"{FIXTURE.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    finally:
        connection.close()
    assert all(rows for _columns, rows in _rows(FIXTURE).values())


def test_upgrade_to_head_keeps_every_row(tmp_path):
    database = tmp_path / "kpi.db"
    shutil.copy(FIXTURE, database)
    before = _rows(database)
    backups = tmp_path / "backups"
    open_database(database, backup_dir=backups).close()
    after = _rows(database)
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision())
    finally:
        connection.close()
    assert not integrity_check(database, full=True)
    for table, (columns, rows) in before.items():
        assert table in after, f"table {table} disappeared"
        new_columns, new_rows = after[table]
        kept = [c for c in columns if c not in RECOMPUTED.get(table, set())]
        old = {tuple(row[columns.index(c)] for c in kept) for row in rows}
        projected = {tuple(row[new_columns.index(c)] for c in kept) for row in new_rows}
        assert old <= projected, f"rows of {table} were lost or changed"
    from kpi_desktop.domain.values import fold_text

    columns, rows = after["catalog_items"]
    for row in rows:
        value = dict(zip(columns, row, strict=True))
        assert value["search_text"] == fold_text(" ".join(
            value[c] or "" for c in ("code", "name_vi", "name_en", "output_vi", "output_en",
                                     "detail_vi", "detail_en")))
    if head_revision() != "0001":  # a migration ran: it was preceded by a backup
        assert any(backups.iterdir())
