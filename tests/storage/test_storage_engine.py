"""Engine pragmas, transactions of the unit of work, and error translation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from storage_seed import T0, Org

from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.model import (
    AuditEvent,
    MonthlyEvaluation,
    Period,
    Person,
    Unit,
    UnitKind,
)
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.storage.engine import Database


def test_pragmas_are_set_on_every_connection(db: Database) -> None:
    for _ in range(2):
        with db.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert pragma("PRAGMA busy_timeout").scalar() == 5000


def test_a_unit_of_work_that_raises_changes_nothing(db: Database, db_path: Path, org: Org
                                                    ) -> None:
    before = dump_database(db_path)
    with pytest.raises(RuntimeError, match="boom"), db.unit_of_work() as uow:
        uow.org.add_unit(Unit(id="u-new", organisation_id=org.organisation.id, name_vi="Mới",
                              kind=UnitKind.CENTRE))
        uow.audit.append(AuditEvent(at=T0, action="unit.add", object_type="unit",
                                    object_id="u-new"))
        assert uow.org.find_unit("u-new") is not None  # visible inside the transaction
        raise RuntimeError("boom")
    assert dump_database(db_path) == before
    with db.unit_of_work(read_only=True) as uow:
        assert uow.org.find_unit("u-new") is None


def test_a_clean_unit_of_work_commits(db: Database, org: Org) -> None:
    with db.unit_of_work() as uow:
        uow.org.add_unit(Unit(id="u-new", organisation_id=org.organisation.id, name_vi="Mới"))
    with db.unit_of_work(read_only=True) as uow:
        assert uow.org.get_unit("u-new").name_vi == "Mới"


def test_a_read_only_unit_of_work_keeps_nothing(db: Database, db_path: Path, org: Org) -> None:
    before = dump_database(db_path)
    with db.unit_of_work(read_only=True) as uow:
        uow.settings.set("x", "y")
    assert dump_database(db_path) == before


def test_foreign_key_violations_raise_and_change_nothing(db: Database, db_path: Path, org: Org
                                                         ) -> None:
    before = dump_database(db_path)
    with pytest.raises(RefusedValue) as caught, db.unit_of_work() as uow:
        uow.org.add_person(Person(id="p-x", full_name="Ai Đó", unit_id="no-such-unit"))
    assert caught.value.code == "reference_unknown"
    assert dump_database(db_path) == before


def test_duplicate_ids_are_refused(db: Database, org: Org) -> None:
    with pytest.raises(RefusedValue) as caught, db.unit_of_work() as uow:
        uow.org.add_person(org.official)
    assert caught.value.code == "duplicate_record"


def test_a_value_refused_by_a_column_type_surfaces_as_itself(db: Database, org: Org) -> None:
    with pytest.raises(RefusedValue) as caught, db.unit_of_work() as uow:
        uow.assignments.list_for_person(org.official.id, "2026-13")
    assert caught.value.code == "period_malformed"
    evaluation = MonthlyEvaluation(person_id=org.official.id, period=Period.parse("2026-03"),
                                   d=1.6)  # type: ignore[arg-type]  # a float, on purpose
    with pytest.raises(RefusedValue) as caught, db.unit_of_work() as uow:
        uow.evaluations.upsert_monthly(evaluation)
    assert caught.value.code == "decimal_malformed"


def test_naive_datetimes_are_refused(db: Database, org: Org) -> None:
    with pytest.raises(ValueError, match="naive"), db.unit_of_work() as uow:
        uow.audit.append(AuditEvent(at=dt.datetime(2026, 3, 1, 8, 0), action="x",
                                    object_type="y", object_id="z"))


def test_audit_rows_cannot_be_rewritten_even_with_sql(db: Database, db_path: Path) -> None:
    with db.unit_of_work() as uow:
        uow.audit.append(AuditEvent(at=T0, action="entry.submit", object_type="entry",
                                    object_id="e1", actor_id="p-lan",
                                    detail={"quantity": Decimal("1.50")}))
    before = dump_database(db_path)
    for statement in ("UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"):
        with pytest.raises(InvalidState) as caught, db.unit_of_work() as uow:
            uow._session.execute(text(statement))
        assert caught.value.code == "audit_append_only"
    assert dump_database(db_path) == before


def test_readers_are_not_blocked_by_an_open_writer(db: Database, org: Org) -> None:
    import threading
    import time

    seen: list[str | None] = []

    def read() -> None:
        with db.unit_of_work(read_only=True) as uow:
            seen.append(uow.settings.get("k", "absent"))

    with db.unit_of_work() as uow:
        uow.settings.set("k", "uncommitted")  # this unit of work now holds the write lock
        started = time.monotonic()
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=4)
        assert time.monotonic() - started < 2
    assert seen == ["absent"]  # the reader saw the last committed state, without waiting
