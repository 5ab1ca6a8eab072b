"""Removals and orphans travel: a calendar day the agency removes is removed on every PC (the
organisation file, signed by the agency, is the whole calendar); a discipline event recorded
before a recorder was kept gets an author who can sign it (revision 0010) and travels."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from kpi_desktop.storage.engine import downgrade_database, upgrade_database

from .helpers import LEADER, OFFICIAL, World, opened

DAY = dt.date(2026, 12, 24)


def _publish(world: World, usb: Path) -> Path:
    with opened(world.agency, "agency") as agency:
        return agency.sync.publish_organisation(usb).path


def _day(folder: Path) -> object:
    with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
        return uow.calendar.get(DAY)


def test_a_day_the_agency_removes_is_removed_on_every_pc(world: World) -> None:
    with opened(world.agency, "agency") as agency:
        agency.calendar.declare(DAY, "day_off", "Nghỉ bù (dữ liệu mẫu)", as_agency=True)
    declared = _publish(world, world.usb / "1")
    for folder, owner in ((world.official, OFFICIAL), (world.leader, LEADER)):
        with opened(folder, owner) as pc:
            assert pc.sync.import_paths([declared])[0].status == "imported"
        assert _day(folder) is not None
    with opened(world.agency, "agency") as agency:
        agency.calendar.remove(DAY, as_agency=True)
    removed = _publish(world, world.usb / "2")
    for folder, owner in ((world.official, OFFICIAL), (world.leader, LEADER)):
        with opened(folder, owner) as pc:
            [result] = pc.sync.import_paths([removed])
        assert result.status == "imported" and result.counts["calendar_removed"] == 1
        assert _day(folder) is None
        with opened(folder, owner) as pc:  # the older file again changes nothing
            assert pc.sync.import_paths([declared])[0].status == "already"
        assert _day(folder) is None


def test_an_orphan_discipline_event_gets_a_recorder_who_can_sign(world: World,
                                                                 tmp_path: Path) -> None:
    database = tmp_path / "kpi.db"
    shutil.copy(world.leader / "kpi.db", database)
    with closing(sqlite3.connect(database)) as db, db:
        evaluator = db.execute("SELECT evaluator_id FROM evaluator_relations "
                               "WHERE evaluatee_id = ?", (OFFICIAL,)).fetchone()[0]
    downgrade_database(database, "0009")
    with closing(sqlite3.connect(database)) as db, db:
        db.execute(
            "INSERT INTO discipline_events (id, person_id, kind, decided_on, effective_year, "
            "created_at, authority, decision_no, note, related_event_id, recorded_by) VALUES "
            "('orphan', ?, 'reprimand', '2026-09-15', 2026, '2026-09-16T08:00:00.000000Z', "
            "'administrative', '15/QĐ-UBND', '', NULL, NULL)", (OFFICIAL,))
    upgrade_database(database)
    with closing(sqlite3.connect(database)) as db:
        [(recorder,)] = db.execute("SELECT recorded_by FROM discipline_events "
                                   "WHERE id = 'orphan'").fetchall()
    assert recorder == evaluator == LEADER
    shutil.copy(database, world.leader / "kpi.db")
    for suffix in ("-wal", "-shm"):
        (world.leader / f"kpi.db{suffix}").unlink(missing_ok=True)
    with opened(world.leader, LEADER) as pc:
        sent = {r.recipient_id: r for r in pc.sync.export(LEADER, world.usb)}
    assert sent[OFFICIAL].counts["discipline_events"] == 1
    with opened(world.official, OFFICIAL) as pc:
        assert pc.sync.import_paths([sent[OFFICIAL].path])[0].status == "imported"
        with pc.db.unit_of_work(read_only=True) as uow:
            [event] = uow.discipline.list_for_person(OFFICIAL)
    assert event.recorded_by == LEADER and event.signature is not None


def test_a_cancelled_assignment_is_withdrawn_on_the_officials_pc(world: World) -> None:
    from kpi_desktop.domain.model import AssignmentStatus

    with opened(world.leader, LEADER) as pc:
        item = pc.assignments.allowed_items(OFFICIAL)[0]
        assignment = pc.assignments.assign(LEADER, OFFICIAL, item.code, "2026-12", "2",
                                           dt.date(2026, 12, 20))
        first = {r.recipient_id: r.path for r in pc.sync.export(LEADER, world.usb / "1")}
        pc.assignments.cancel(LEADER, assignment.id, "Giao nhầm người")
        second = {r.recipient_id: r.path for r in pc.sync.export(LEADER, world.usb / "2")}
    with opened(world.official, OFFICIAL) as pc:
        # The withdrawal first, the assignment after it (a stick found late): cancelled.
        assert [r.status for r in pc.sync.import_paths([second[OFFICIAL]])] == ["imported"]
        [late] = pc.sync.import_paths([first[OFFICIAL]])
        with pc.db.unit_of_work(read_only=True) as uow:
            stored = uow.assignments.get(assignment.id)
    assert late.status == "imported" and late.counts.get("superseded") == 1
    assert stored.status is AssignmentStatus.CANCELLED and stored.version == 2
