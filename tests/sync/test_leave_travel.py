"""Issue 15, finding 6: a leave record is signed by who recorded it, travels to the agency as a
record kind of the registry, and the year's result there is the leader's."""

from __future__ import annotations

import datetime as dt

from kpi_desktop.domain.model import LeaveKind
from kpi_desktop.domain.scores import YearReason

from .helpers import LEADER, OFFICIAL, World, opened


def _row(services, unit="hcc"):
    result = services.scores.classify_unit(unit, 2026)
    return next(r for r in result.rows if r.person.id == OFFICIAL)


def test_a_leave_record_travels_to_the_agency_and_the_year_matches(world: World) -> None:
    with opened(world.agency, "agency") as agency:
        before = _row(agency)
    with opened(world.leader, LEADER) as pc:
        pc.clock.set(dt.date(2026, 11, 23))
        record = pc.leave.add(LEADER, OFFICIAL, LeaveKind.MATERNITY,
                              start_on=dt.date(2026, 5, 1), end_on=dt.date(2026, 10, 31),
                              decision_no="25/QĐ-BHXH")
        written = pc.sync.export(LEADER, world.usb)
        with pc.db.unit_of_work(read_only=True) as uow:
            signed = uow.leave.get(record.id)
    assert signed.signature is not None  # signed at export by the leader's key
    assert {w.recipient_id for w in written} >= {"agency", OFFICIAL}
    with opened(world.agency, "agency") as agency:
        results = agency.sync.import_paths([world.usb])
        assert all(r.ok for r in results), [agency.sync.describe_result(r) for r in results]
        there = _row(agency)
        assert [r.id for r in agency.leave.list(OFFICIAL)] == [record.id]
    # The agency holds the months; with the leader's record its year is classified on the
    # months worked (January–April), exactly as the rule says.
    kept = [(m, t) for m, t in zip(before.months, before.monthly_totals, strict=True)
            if m.start.month < 5]
    assert [str(m) for m in there.months] == [str(m) for m, _t in kept]
    assert there.result.reason is YearReason.CLASSIFIED_ON_LEAVE
    assert there.result.mean == sum(t for _m, t in kept) / len(kept)
    assert there.result != before.result
    # A removal is a newer signed version: it travels too, and an older copy changes nothing.
    with opened(world.leader, LEADER) as pc:
        pc.clock.set(dt.date(2026, 11, 23))
        pc.leave.remove(LEADER, record.id, "Nhập nhầm")
        pc.sync.export(LEADER, world.usb)
    with opened(world.agency, "agency") as agency:
        agency.sync.import_paths([world.usb])
        assert agency.leave.list(OFFICIAL) == []
        assert _row(agency).result == before.result


def test_leave_the_agency_recorded_reaches_the_person_and_check_verifies_it(
        world: World, tmp_path) -> None:
    """Leave the agency records travels to the person in a review bundle the agency signs
    (refused as 'signer not allowed' before), and `kpi-desktop check` verifies it against the
    pinned agency key (it trusted it before): sound as it came, a finding once altered."""
    import dataclasses

    from kpi_desktop.services.sync.kinds import BY_FILE, agency_signing_keys, verify_stored

    usb = tmp_path / "usb"
    with opened(world.agency, "agency") as agency:
        agency.clock.set(dt.date(2026, 11, 23))
        record = agency.leave.add("agency", OFFICIAL, LeaveKind.SICK,
                                  start_on=dt.date(2026, 6, 1), end_on=dt.date(2026, 6, 30),
                                  decision_no="7/QĐ-BHXH")
        written = agency.sync.export("agency", usb)
    assert OFFICIAL in {w.recipient_id for w in written}
    kind = BY_FILE["leave_records"]
    with opened(world.official, OFFICIAL) as pc:
        results = pc.sync.import_paths([usb])
        assert all(r.ok for r in results), [pc.sync.describe_result(r) for r in results]
        assert [r.id for r in pc.leave.list(OFFICIAL)] == [record.id]
        with pc.db.unit_of_work(read_only=True) as uow:
            stored = uow.leave.get(record.id)
            assert [p for p in verify_stored(uow) if p.kind == kind.name] == []
            keys = agency_signing_keys(uow)

            def lookup(fp):
                return keys.get(fp) or uow.org.find_key(fp)

            assert stored.recorded_by == "agency" and kind.verify_stored(stored, lookup) is None
            altered = dataclasses.replace(stored, decision_no="8/QĐ-BHXH")
            problem = kind.verify_stored(altered, lookup)
    assert problem is not None and problem.code == "signature_invalid"
