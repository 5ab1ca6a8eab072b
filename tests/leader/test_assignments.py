"""Assignments: assign, cancel, copy last month, assigned vs completed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.model import AssignmentStatus, Period
from kpi_desktop.services.messages import describe


def _item_code(leader, person_id):
    return leader.assignments.allowed_items(person_id)[0].code


def test_assign_and_list_with_progress(leader):
    code = _item_code(leader, "hcc-cv1")
    made = leader.assignments.assign("hcc-gd", "hcc-cv1", code, "2026-11", "3",
                                     dt.date(2026, 11, 30), note="Ghi chu\u0301")
    assert made.quantity == Decimal(3) and made.assigner_id == "hcc-gd"
    assert made.note == "Ghi chú"
    rows = leader.assignments.list("hcc-gd", "2026-11", person_id="hcc-cv1")
    assert made.id in {r.assignment.id for r in rows}
    progress = {p.person_id: p for p in leader.assignments.progress("hcc-gd", "2026-11")}
    assert set(progress) == {"hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"}
    mine = progress["hcc-cv1"]
    assert mine.assigned_units >= made.quantity * made.coefficient
    assert mine.completed_units <= mine.assigned_units
    event = leader.audit(action="assignment.create")[-1]
    assert event.actor_id == "hcc-gd" and event.detail["item"] == code


def test_quarter_assignment(leader):
    code = _item_code(leader, "hcc-cv2")
    made = leader.assignments.assign("hcc-gd", "hcc-cv2", code, "2027-Q1", 2,
                                     dt.date(2027, 3, 31))
    assert made.period == Period.parse("2027-Q1")
    with pytest.raises(InvalidState) as locked:  # October of 2026-Q4 is locked
        leader.assignments.assign("hcc-gd", "hcc-cv2", code, "2026-Q4", 2,
                                  dt.date(2026, 12, 31))
    assert locked.value.params["period"] == "2026-10"


@pytest.mark.parametrize(
    ("actor", "person", "quantity", "deadline", "period", "code"),
    [
        ("hcc-gd", "hcc-cv1", "0", dt.date(2026, 11, 30), "2026-11", "not_positive"),
        ("hcc-gd", "hcc-cv1", "abc", dt.date(2026, 11, 30), "2026-11", "decimal_malformed"),
        ("hcc-gd", "hcc-cv1", "1", dt.date(2026, 10, 1), "2026-11", "deadline_before_period"),
        ("hcc-gd", "hcc-cv1", "1", dt.date(2026, 10, 30), "2026-10", "period_locked"),
        ("hcc-gd", "hcc-cv1", "1", dt.date(2026, 11, 30), "2026", "period_malformed"),
        ("kt-tp", "hcc-cv1", "1", dt.date(2026, 11, 30), "2026-11", "not_evaluator"),
        ("hcc-gd", "hcc-gd", "1", dt.date(2026, 11, 30), "2026-11", "own_work"),
    ],
)
def test_refused_assignments_change_nothing(leader, actor, person, quantity, deadline, period,
                                            code):
    item = _item_code(leader, "hcc-cv1")
    before = leader.dump()
    with pytest.raises((RefusedValue, InvalidState)) as error:
        leader.assignments.assign(actor, person, item, period, quantity, deadline)
    assert code in error.value.code
    assert describe(error.value)
    assert leader.dump() == before


def test_item_outside_the_job_position_is_refused(leader):
    allowed = {i.code for i in leader.assignments.allowed_items("hcc-cv1")}
    with leader.db.unit_of_work(read_only=True) as uow:
        other = next(i.code for i in uow.catalog.list_items() if i.code not in allowed)
    with pytest.raises(RefusedValue) as error:
        leader.assignments.assign("hcc-gd", "hcc-cv1", other, "2026-11", 1,
                                  dt.date(2026, 11, 30))
    assert error.value.code == "item_not_allowed"


def test_copy_last_month_skips_people_who_already_have_work(leader):
    result = leader.assignments.copy_previous("hcc-gd", "2026-12")
    assert result.copied and sum(result.copied.values()) > 0
    again = leader.assignments.copy_previous("hcc-gd", "2026-12")
    assert not again.copied
    assert set(again.skipped.values()) <= {"has_assignments", "nothing_to_copy"}
    with leader.db.unit_of_work(read_only=True) as uow:
        nov = uow.assignments.list_for_person("hcc-cv1", "2026-11",
                                              statuses=[AssignmentStatus.ACTIVE])
        dec = uow.assignments.list_for_person("hcc-cv1", "2026-12")
    assert len(dec) == len(nov)
    assert all(a.assigner_id == "hcc-gd" and a.period == Period.parse("2026-12") for a in dec)


def test_cancel_only_without_work(leader):
    code = _item_code(leader, "hcc-cv1")
    made = leader.assignments.assign("hcc-gd", "hcc-cv1", code, "2026-11", 1,
                                     dt.date(2026, 11, 30))
    leader.assignments.cancel("hcc-gd", made.id, "Nhầm")
    assert made.id not in {r.assignment.id for r in leader.assignments.list("hcc-gd", "2026-11")}
    with leader.db.unit_of_work(read_only=True) as uow:
        worked = next(a for a in uow.assignments.list_for_period("2026-11")
                      if a.person_id.startswith("hcc-cv")
                      and uow.worklog.list_for_assignments([a.id]))
    with pytest.raises(InvalidState) as error:
        leader.assignments.cancel("hcc-gd", worked.id)
    assert error.value.code == "assignment_has_work"


def test_people_of_a_leader(leader):
    assert [p for p, _ in leader.assignments.people("ct")] == sorted(
        ["vp-cvp", "hcc-gd", "kt-tp", "vhxh-tp"],
        key=lambda pid: dict(leader.assignments.people("ct"))[pid])
