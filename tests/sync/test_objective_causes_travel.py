"""Issue 15, finding 7: an objective cause confirmed for one deduction travels signed (canonical
form 2 of a review statement) and gives the same score at the agency."""

from __future__ import annotations

from kpi_desktop.domain.model import Period, ReviewStatement, StatementKind, new_id, utc_now

from .helpers import LEADER, OFFICIAL, World, log_week, opened, review


def _line(services, entry_id, day):
    result = services.scores.person_period(OFFICIAL, Period.containing(day))
    return next(line for line in result.lines if entry_id in line.entry_ids)


def test_a_timeliness_cause_travels_to_the_agency(world: World) -> None:
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc)
        pc.sync.export(OFFICIAL, world.usb)
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([world.usb])
        review(pc, LEADER, ids[0], StatementKind.CONFIRM)
        with pc.db.unit_of_work() as uow:
            entry = uow.worklog.get(ids[0])
            for kind, reason in ((StatementKind.QUALITY_FAILED, "Sai số liệu"),
                                 (StatementKind.DELAY, "Nộp muộn"),
                                 (StatementKind.TIMELINESS_CAUSE, "Mất điện cả ngày")):
                uow.reviews.add(ReviewStatement(
                    id=new_id(), entry_id=entry.id, revision=entry.current_revision,
                    reviewer_id=LEADER, kind=kind, created_at=utc_now(), reason=reason))
        here = _line(pc, ids[0], entry.work_date)
        pc.sync.export(LEADER, world.usb)
    assert here.timeliness_cause and not here.quality_cause
    assert here.ontime_units == here.completed_units > here.quality_units
    with opened(world.agency, "agency") as pc:
        results = pc.sync.import_paths([world.usb])
        assert all(r.ok for r in results), [pc.sync.describe_result(r) for r in results]
        there = _line(pc, ids[0], entry.work_date)
        kinds = [s.kind for s in pc.review.statements(ids[0])]
    assert StatementKind.TIMELINESS_CAUSE in kinds
    assert (there.quality_units, there.ontime_units, there.timeliness_cause_reason) == (
        here.quality_units, here.ontime_units, "Mất điện cả ngày")
    assert not there.quality_cause
