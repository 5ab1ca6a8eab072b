"""Backups, integrity checks and dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from storage_seed import T0, Org

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.domain.model import AuditEvent
from kpi_desktop.storage.backup import backup_database, dump_database, integrity_check
from kpi_desktop.storage.engine import Database, open_database


def test_backup_of_a_live_database_holds_every_committed_change(
    db: Database, db_path: Path, org: Org, tmp_path: Path
) -> None:
    with db.unit_of_work() as uow:  # still in the WAL while the database is open
        uow.audit.append(AuditEvent(at=T0, action="backup.test", object_type="x", object_id="1"))
    target = tmp_path / "backups" / "copy.db"
    assert backup_database(db_path, target) == target
    assert not list(target.parent.glob(".*partial"))
    assert not Path(f"{target}-wal").exists()
    assert dump_database(target) == dump_database(db_path)
    assert integrity_check(target) == []
    with open_database(target) as copy, copy.unit_of_work(read_only=True) as uow:
        assert uow.org.get_person(org.official.id) == org.official
        assert [e.action for e in uow.audit.list_events()] == ["backup.test"]


def test_backup_replaces_an_older_copy(db: Database, db_path: Path, org: Org, tmp_path: Path
                                       ) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"old")
    backup_database(db_path, target)
    assert integrity_check(target) == []


def test_backup_of_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageProblem) as caught:
        backup_database(tmp_path / "missing.db", tmp_path / "copy.db")
    assert caught.value.code == "database_missing"
    assert not (tmp_path / "copy.db").exists()


def test_integrity_check_finds_nothing_on_a_healthy_database(db: Database, db_path: Path,
                                                             org: Org) -> None:
    assert integrity_check(db_path) == []
    assert integrity_check(db_path, full=True) == []


def test_integrity_check_reports_broken_references(db: Database, db_path: Path, org: Org
                                                   ) -> None:
    db.close()
    connection = sqlite3.connect(db_path)  # foreign keys are off in a bare connection
    connection.execute("UPDATE people SET unit_id = 'gone' WHERE id = ?", (org.official.id,))
    connection.commit()
    connection.close()
    problems = integrity_check(db_path)
    assert len(problems) == 1 and "people" in problems[0] and "units" in problems[0]


def test_integrity_check_reports_damage(db: Database, db_path: Path, org: Org, tmp_path: Path
                                        ) -> None:
    db.close()
    damaged = tmp_path / "damaged.db"
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    for offset in range(2 * page + 100, len(data) - 100, 997):  # scribble over b-tree pages
        data[offset : offset + 8] = b"\xff" * 8
    damaged.write_bytes(bytes(data))
    assert integrity_check(damaged) != []
    not_a_db = tmp_path / "text.db"
    not_a_db.write_text("hello" * 1000)
    assert integrity_check(not_a_db) != []
    assert integrity_check(tmp_path / "missing.db") != []


def test_dump_is_stable_and_sees_every_change(db: Database, db_path: Path, org: Org) -> None:
    first = dump_database(db_path)
    assert dump_database(db_path) == first
    assert any("INSERT INTO \"people\"" in line for line in first)
    with db.unit_of_work() as uow:
        uow.settings.set("k", "v")
    assert dump_database(db_path) != first
