"""Writes and id lists at the driver level (issue 18: a bundle import writes thousands of rows)
store and find exactly what SQLAlchemy's own per-row path stores and finds: the same text
(NFC, stripped), decimals, times, enums and defaults, the same refusals, the same seals."""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from storage_seed import T0, Org

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    Assignment,
    EntryStatus,
    ExtraKind,
    KpiKind,
    Period,
    WorkLogEntry,
)
from kpi_desktop.domain.values import UTC_FORMAT, utc_text
from kpi_desktop.storage import orm, seals
from kpi_desktop.storage.engine import Database, open_database
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_ENTRY = table_of(orm.WorkLogEntryRow)
NFD = unicodedata.normalize("NFD", "Thông báo họp giao ban")
HANOI = dt.timezone(dt.timedelta(hours=7))


def _entries(org: Org) -> list[WorkLogEntry]:
    """Entries with every sort of value a column type converts."""
    base = WorkLogEntry(
        id="e-0", person_id=org.official.id, work_date=dt.date(2026, 3, 2),
        catalog_item_id=org.shared_item.id, quantity=Decimal("1.60"),
        coefficient=Decimal("1.600"), created_at=T0, updated_at=T0)
    return [
        base,
        replace(base, id=f"  {unicodedata.normalize('NFD', 'e-ồ')}  ",
                output_description=f" {NFD}\n(dòng 2) ", output_doc_number="12/TB-UBND",
                time_norm_minutes=Decimal("7.5"), complexity_level=2,
                extra_kind=ExtraKind.AD_HOC, status=EntryStatus.SUBMITTED,
                created_at=dt.datetime(2026, 3, 2, 7, 0, 0, 1, tzinfo=HANOI),
                updated_at=dt.datetime(2026, 3, 2, 15, 0, tzinfo=HANOI),
                deadline=dt.date(2026, 3, 5), signature=b"\x00\x01", key_fingerprint="fp"),
    ]


def _raw(path: Path, table: str) -> list[tuple[object, ...]]:
    """Every row of a table with each value's SQLite type (what a seal covers)."""
    con = sqlite3.connect(path)
    try:
        columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        typed = ", ".join(f'typeof("{c}"), quote("{c}")' for c in columns)
        return sorted(con.execute(f'SELECT {typed} FROM "{table}"').fetchall())
    finally:
        con.close()


def _seals(path: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT key, digest FROM row_seals WHERE tbl = ?",
                                  (table,)).fetchall())
    finally:
        con.close()


@pytest.fixture
def twin(db: Database, org: Org, tmp_path: Path) -> Iterator[Database]:
    """A second copy of the seeded database (one is written each way)."""
    path = tmp_path / "twin" / "kpi.db"
    path.parent.mkdir()
    source, target = sqlite3.connect(db.path), sqlite3.connect(path)
    try:
        source.backup(target)  # through the WAL: the committed state
    finally:
        source.close()
        target.close()
    other = open_database(path)
    yield other
    other.close()


def test_bulk_insert_stores_what_sqlalchemy_stores(db: Database, twin: Database,
                                                   org: Org) -> None:
    entries = _entries(org)
    with db.unit_of_work() as uow:
        uow.bulk_insert(entries)  # the driver-level path
    with twin.unit_of_work() as uow:
        # SQLAlchemy's own executemany, each value through its column type.
        uow._session.execute(insert(_ENTRY), [to_row(e) for e in entries])
    assert _raw(db.path, "work_log_entries") == _raw(twin.path, "work_log_entries")
    assert _seals(db.path, "work_log_entries") == _seals(twin.path, "work_log_entries")
    with db.unit_of_work(read_only=True) as uow:
        stored = uow.worklog.get("e-ồ")
        assert stored.output_description == f"{unicodedata.normalize('NFC', NFD)}\n(dòng 2)"
        assert stored.created_at == entries[1].created_at
        assert str(stored.quantity) == "1.60"


def test_omitted_columns_get_their_defaults_and_updates_match(db: Database, twin: Database,
                                                              org: Org) -> None:
    assignment = Assignment(
        id="a-1", person_id=org.official.id, assigner_id=org.head.id,
        catalog_item_id=org.office_item.id, period=Period.parse("2026-03"),
        quantity=Decimal("4"), coefficient=Decimal("1.2"), deadline=dt.date(2026, 3, 31),
        created_at=T0, kpi_kind=KpiKind.HARD, note="  Ưu tiên ")
    row = {k: v for k, v in to_row(assignment).items() if k not in ("note", "version")}
    table = table_of(orm.AssignmentRow)
    changed = replace(assignment, note=unicodedata.normalize("NFD", " Gấp "), version=3,
                      updated_at=dt.datetime(2026, 3, 3, 9, 0, tzinfo=HANOI))
    with db.unit_of_work() as uow:
        Repository(uow._session)._insert_many(table, [row])
        uow.assignments.update(changed)  # driver level: UPDATE … WHERE id = ?
    with twin.unit_of_work() as uow:
        uow._session.execute(insert(table).values(**row))
        uow._session.execute(update(table).where(table.c.id == changed.id)
                             .values(**to_row(changed)))
    assert _raw(db.path, "assignments") == _raw(twin.path, "assignments")
    assert _seals(db.path, "assignments") == _seals(twin.path, "assignments")
    with db.unit_of_work(read_only=True) as uow:
        assert uow.assignments.get("a-1").note == "Gấp"


def test_a_control_character_refuses_the_whole_insert(db: Database, org: Org) -> None:
    entries = _entries(org)
    bad = replace(entries[0], id="e-bad", output_description="ok\x07")
    with pytest.raises(RefusedValue) as refused, db.unit_of_work() as uow:
        uow.bulk_insert([entries[1], bad])
    assert refused.value.code == "text_control_character"
    assert refused.value.params["field"] == "output_description"
    with db.unit_of_work(read_only=True) as uow:
        assert uow.worklog.get_many(["e-ồ", "e-bad"]) == {}
    con = sqlite3.connect(db.path)
    try:
        assert seals.verify(con)[0] == []
    finally:
        con.close()


def test_long_id_lists_find_what_an_in_list_finds(db: Database, org: Org) -> None:
    entries = [replace(_entries(org)[0], id=f"e-ồ-{n}") for n in range(60)]
    with db.unit_of_work() as uow:
        uow.bulk_insert(entries)
    asked = [unicodedata.normalize("NFD", f" e-ồ-{n} ") for n in range(0, 120, 2)]
    with db.unit_of_work(read_only=True) as uow:
        repository = Repository(uow._session)
        plain = {r[0] for r in uow._session.execute(
            select(_ENTRY.c.id).where(_ENTRY.c.id.in_(asked)))}
        bound = {r[0] for r in uow._session.execute(
            select(_ENTRY.c.id).where(repository._in_bound(_ENTRY.c.id, asked)))}
        assert bound == plain == {f"e-ồ-{n}" for n in range(0, 60, 2)}
        assert set(uow.worklog.get_many(asked)) == plain
        assert set(uow.worklog.entry_heads(asked)) == plain
        with pytest.raises(RefusedValue) as refused:
            uow.worklog.entry_heads([*asked, "e-\x1b"])
        assert refused.value.code == "text_control_character"


@pytest.mark.parametrize("moment", [
    dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 2, 7, 0, 0, 1, tzinfo=HANOI),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(999, 1, 1, tzinfo=dt.UTC),
])
def test_utc_text_is_the_stored_format(moment: dt.datetime) -> None:
    assert utc_text(moment) == moment.astimezone(dt.UTC).strftime(UTC_FORMAT)
