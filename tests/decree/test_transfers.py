"""Transfers and unit mergers inside one agency (issue 9 §4, Điều 19.1), on the demo
organisation in a real SQLite data folder."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EvaluationStatus, Level, Period
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import describe
from kpi_desktop.storage.backup import dump_database

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir), today=TODAY)
    yield services
    services.close()


def _months(app, person_id, year=2026):
    with app.db.unit_of_work(read_only=True) as uow:
        return {str(e.period): e for e in uow.evaluations.list_monthly(person_id=person_id,
                                                                       year=year)}


# ------------------------------------------------------------------ the demo's transfer -----


def test_demo_transferred_year_is_classified_from_both_units(app):
    """Done-when of issue 9 §4: kt-cv2 moved from kt to vhxh on 2026-07-01 (Điều 19.1)."""
    months = _months(app, "kt-cv2")
    locked = {p: e for p, e in months.items() if e.status is EvaluationStatus.LOCKED}
    assert sorted(locked) == [f"2026-{m:02d}" for m in range(1, 11)]
    # The months keep the unit they were evaluated in and the evaluator who confirmed them.
    assert {locked[p].unit_id for p in locked if p < "2026-07"} == {"kt"}
    assert {locked[p].evaluator_id for p in locked if p < "2026-07"} == {"kt-tp"}
    assert {locked[p].unit_id for p in locked if p >= "2026-07"} == {"vhxh"}
    assert {locked[p].evaluator_id for p in locked if p >= "2026-07"} == {"vhxh-tp"}

    # The new unit classifies the whole year, with the old unit's months in the mean.
    vhxh = app.scores.classify_unit("vhxh", 2026)
    row = next(r for r in vhxh.rows if r.person.id == "kt-cv2")
    assert [str(m) for m in row.months] == sorted(locked)
    expected = sum((locked[p].total for p in sorted(locked)), Fraction(0)) / len(locked)
    assert row.result.mean == expected and row.result.level is not None
    # … and the old unit does not classify them any more.
    kt = app.scores.classify_unit("kt", 2026)
    assert "kt-cv2" not in {r.person.id for r in kt.rows}

    # The old evaluator still has the months they confirmed.
    with app.db.unit_of_work(read_only=True) as uow:
        by_old = {str(e.period) for e in uow.evaluations.evaluated_by("kt-tp", year=2026)
                  if e.person_id == "kt-cv2"}
    assert by_old == {f"2026-{m:02d}" for m in range(1, 7)}

    # The "why" of the year names the unit and evaluator of each month.
    history = app.transfers.history("kt-cv2", 2026)
    assert history.units_of_year == ("Phòng Kinh tế", "Phòng Văn hóa - Xã hội")
    assert [(m.unit_id, m.evaluator_id) for m in history.months[:1]] == [("kt", "kt-tp")]
    assert [(m.start_on, m.end_on) for m in history.memberships] == [
        (dt.date(2020, 1, 1), dt.date(2026, 6, 30)), (dt.date(2026, 7, 1), None)]


def test_demo_year_end_classification_overview_lists_the_person_under_the_new_unit(app):
    from kpi_desktop.services.classification import ClassificationService

    overview = ClassificationService(app.db, today=TODAY).overview("vhxh-tp", "vhxh", 2026)
    row = overview.row("kt-cv2")
    assert row.person.unit_id == "vhxh" and row.months == 10 and row.can_decide


# ------------------------------------------------------------------ a transfer now ---------


def test_transfer_moves_membership_evaluator_and_open_month(app):
    before = _months(app, "kt-cv1")
    result = app.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 11, 1),
                                    reason="Điều động theo nhu cầu công tác",
                                    decision_no="200/QĐ-UBND", actor_id="ct", confirm_date=True)
    assert result.from_unit_id == "kt" and result.evaluator_id == "vhxh-tp"
    assert result.months_moved == ("2026-11",)
    with app.db.unit_of_work(read_only=True) as uow:
        person = uow.org.get_person("kt-cv1")
        memberships = uow.org.memberships_of("kt-cv1")
        now = [r.evaluator_id for r in uow.org.evaluators_of("kt-cv1", dt.date(2026, 11, 2))]
        october = [r.evaluator_id for r in uow.org.evaluators_of("kt-cv1", dt.date(2026, 10, 2))]
        audit = [e for e in uow.audit.list_events() if e.action == "transfer.person"]
    assert person.unit_id == "vhxh"
    assert [(m.unit_id, m.end_on) for m in memberships] == [
        ("kt", dt.date(2026, 10, 31)), ("vhxh", None)]
    assert "200/QĐ-UBND" in memberships[-1].reason
    assert now == ["vhxh-tp"] and october == ["kt-tp"]
    assert audit and audit[-1].detail["decision_no"] == "200/QĐ-UBND"
    after = _months(app, "kt-cv1")
    for period in (f"2026-{m:02d}" for m in range(1, 11)):  # evaluated months never move
        assert after[period] == before[period]
    assert after["2026-11"].unit_id == "vhxh"
    # The year is classified by the new unit with the ten months of the old one.
    row = next(r for r in app.scores.classify_unit("vhxh", 2026).rows
               if r.person.id == "kt-cv1")
    assert len(row.months) == 10


def test_a_later_transfer_keeps_the_past_year_with_the_old_unit(app):
    """Who classifies a year is the unit at that year's end: a move in 2027 leaves 2026."""
    app.transfers.transfer("kt-cv1", "vhxh", dt.date(2027, 1, 1), reason="Luân chuyển",
                           confirm_date=True)
    kt = {r.person.id: r for r in app.scores.classify_unit("kt", 2026).rows}
    vhxh = {r.person.id for r in app.scores.classify_unit("vhxh", 2026).rows}
    assert "kt-cv1" in kt and "kt-cv1" not in vhxh
    assert kt["kt-cv1"].person.unit_id == "kt"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("nobody", "vhxh", dt.date(2026, 11, 1)), "not_found"),
        (("kt-cv1", "nowhere", dt.date(2026, 11, 1)), "not_found"),
        (("kt-cv1", "kt", dt.date(2026, 11, 1)), "transfer_same_unit"),
        (("kt-cv1", "vhxh", dt.date(2026, 10, 15)), "transfer_month_locked"),
        (("kt-cv1", "vhxh", dt.date(2019, 12, 1)), "date_out_of_range"),  # before 2020
        (("vp-cv3", "kt", dt.date(2026, 7, 1)), "transfer_before_membership"),
    ],
)
def test_refused_transfers_change_nothing(app, args, code):
    before = dump_database(app.paths.database)
    with pytest.raises(KpiError) as caught:
        app.transfers.transfer(*args, reason="Điều động")
    assert caught.value.code == code
    assert dump_database(app.paths.database) == before
    i18n.set_language("vi")
    try:
        sentence = describe(caught.value)
    finally:
        i18n.set_language("en")
    assert "(" + code not in sentence and sentence  # a real translated sentence


def test_transfer_needs_a_reason_and_a_manager(app):
    before = dump_database(app.paths.database)
    with pytest.raises(KpiError) as caught:
        app.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 11, 1), reason=" ")
    assert caught.value.code == "reason_missing"
    with pytest.raises(KpiError) as caught:
        app.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 11, 1), reason="x",
                               actor_id="kt-tp")
    assert caught.value.code == "transfer_not_allowed"
    assert dump_database(app.paths.database) == before
    assert app.transfers.can_manage("ct") and not app.transfers.can_manage("kt-tp")


# ------------------------------------------------------------------ mergers ---------------


def test_merge_units_into_a_new_unit_keeps_history(app):
    result = app.transfers.merge(["kt", "vhxh"], "ktxh", dt.date(2026, 12, 1),
                                 name="Phòng Kinh tế - Văn hóa - Xã hội",
                                 decision_no="15/NQ-HĐND", actor_id="ct")
    assert result.created and len(result.people) == 13
    with app.db.unit_of_work(read_only=True) as uow:
        kt, vhxh, new = (uow.org.get_unit(u) for u in ("kt", "vhxh", "ktxh"))
        people = uow.org.list_people(unit_ids=["ktxh"])
        kept = uow.org.evaluators_of("kt-cv1", dt.date(2026, 12, 2))
    assert not kt.active and kt.merged_into_id == "ktxh" and not vhxh.active
    assert new.active and new.parent_id == "xa"
    assert len(people) == 13
    assert [r.evaluator_id for r in kept] == ["kt-tp"]  # evaluators stay until new leaders
    classified = app.scores.classify_unit("ktxh", 2026)
    rows = {r.person.id: r for r in classified.rows}
    assert len(rows["kt-cv2"].months) == 10 and len(rows["kt-cv1"].months) == 10
    # The closed unit still shows its history; the months keep their unit.
    assert {e.unit_id for e in _months(app, "kt-cv5").values()
            if e.status is EvaluationStatus.LOCKED} == {"kt"}
    # A closed unit receives nobody.
    with pytest.raises(KpiError) as caught:
        app.transfers.transfer("vp-cv1", "kt", dt.date(2026, 12, 1), reason="x")
    assert caught.value.code == "transfer_unit_inactive"


def test_merge_into_an_existing_unit_moves_sub_units(app):
    result = app.transfers.merge(["hcc"], "vp", dt.date(2026, 12, 1), reason="Sáp nhập")
    assert not result.created and set(result.people) == {
        "hcc-gd", "hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"}
    rows = {r.person.id for r in app.scores.classify_unit("vp", 2026).rows}
    assert {"hcc-cv1", "vp-cv1"} <= rows


@pytest.mark.parametrize(
    ("units", "into", "name", "code"),
    [
        ([], "ktxh", "X", "merge_units_missing"),
        (["kt"], "kt", None, "merge_into_part"),
        (["xa"], "kt", None, "merge_into_part"),
        (["kt", "vhxh"], "ktxh", None, "merge_name_missing"),
        (["kt", "nowhere"], "ktxh", "X", "not_found"),
    ],
)
def test_refused_mergers_change_nothing(app, units, into, name, code):
    before = dump_database(app.paths.database)
    with pytest.raises(KpiError) as caught:
        app.transfers.merge(units, into, dt.date(2026, 12, 1), name=name)
    assert caught.value.code == code
    assert dump_database(app.paths.database) == before


def test_merge_inside_an_evaluated_month_is_refused(app):
    before = dump_database(app.paths.database)
    with pytest.raises(KpiError) as caught:
        app.transfers.merge(["kt"], "vhxh", dt.date(2026, 10, 1))
    assert caught.value.code == "transfer_month_locked"
    assert dump_database(app.paths.database) == before


# ------------------------------------------------------------------ CLI ---------------------


def test_cli_transfer_person_history_and_refusal(demo_dir, capsys):
    from kpi_desktop.app import main

    base = ["--data-dir", str(demo_dir), "--lang", "en", "transfer"]
    assert main([*base, "person", "kt-cv1", "--to", "vhxh", "--from-date", "2026-10-15",
                 "--reason", "x"]) == 3
    assert "already evaluated" in capsys.readouterr().err
    assert main([*base, "person", "kt-cv1", "--to", "vhxh", "--from-date", "2026-11-01",
                 "--reason", "Điều động", "--decision", "200/QĐ-UBND", "--by", "ct",
                 "--confirm-date"]) == 0
    assert "vhxh-tp" in capsys.readouterr().out
    assert main([*base, "history", "kt-cv2", "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["unit_id"] for m in data["memberships"]] == ["kt", "vhxh"]
    assert data["months"][0]["evaluator_id"] == "kt-tp"
    assert data["months"][-1]["evaluator_id"] == "vhxh-tp"
    assert main([*base, "merge", "--units", "kt,vhxh", "--into", "ktxh", "--name",
                 "Phòng Kinh tế - Xã hội", "--from-date", "2026-12-01"]) == 0
    assert "13" in capsys.readouterr().out
    assert main([*base, "merge", "--units", "vp", "--into", "nowhere",
                 "--from-date", "2026-12-01"]) == 3


def test_level_of_transferred_year_uses_all_months(app):
    row = next(r for r in app.scores.classify_unit("xa", 2026).rows if r.person.id == "kt-cv2")
    assert row.person.unit_id == "vhxh"
    assert len(row.months) == 10
    assert row.result.level in set(Level)
    assert Period.parse("2026-01") in row.months and Period.parse("2026-10") in row.months


# ------------------------------------------------------------------ a leader hands over -----


def _evaluators_on(app, person_id, day):
    with app.db.unit_of_work(read_only=True) as uow:
        return [r.evaluator_id for r in uow.org.evaluators_of(person_id, day)]


def test_transfer_of_a_leader_hands_their_people_to_the_head_above(app):
    preview = app.transfers.hand_over("kt-tp", dt.date(2026, 12, 1))
    kt_people = {"kt-pp", "kt-cv1", "kt-cv2", "kt-cv3", "kt-cv4", "kt-cv5"} - {"kt-cv2"}
    assert {p.id for p in preview.evaluatees} == kt_people
    assert preview.successor.id == "ct" and not preview.named
    result = app.transfers.transfer("kt-tp", "vhxh", dt.date(2026, 12, 1), reason="Luân chuyển",
                                    decision_no="210/QĐ-UBND", actor_id="ct")
    assert result.successor_id == "ct" and set(result.reassigned) == kt_people
    for pid in kt_people:
        assert _evaluators_on(app, pid, dt.date(2026, 11, 30)) == ["kt-tp"]
        assert _evaluators_on(app, pid, dt.date(2026, 12, 1)) == ["ct"]
    with app.db.unit_of_work(read_only=True) as uow:
        event = [e for e in uow.audit.list_events() if e.action == "transfer.person"][-1]
    assert event.detail["successor"] == "ct" and "kt-cv1:ct" in event.detail["reassigned"]


def test_transfer_of_a_leader_to_a_named_successor(app):
    preview = app.transfers.hand_over("kt-tp", "2026-12-01", "kt-pp")
    assert preview.named and preview.successor.id == "kt-pp"
    result = app.transfers.transfer("kt-tp", "vhxh", dt.date(2026, 12, 1), reason="Luân chuyển",
                                    successor_id="kt-pp")
    assert result.successor_id == "kt-pp"
    assert _evaluators_on(app, "kt-cv1", dt.date(2026, 12, 1)) == ["kt-pp"]
    # The successor does not evaluate themselves: the head above does.
    assert _evaluators_on(app, "kt-pp", dt.date(2026, 12, 1)) == ["ct"]
    # The moved leader is evaluated in the new unit.
    assert _evaluators_on(app, "kt-tp", dt.date(2026, 12, 1)) == ["vhxh-tp"]


def test_a_staff_transfer_hands_over_nobody(app):
    result = app.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 11, 1), reason="Điều động",
                                    confirm_date=True)
    assert result.reassigned == () and result.successor_id is None


@pytest.mark.parametrize(("successor", "code"), [("nobody", "not_found"),
                                                  ("kt-tp", "transfer_successor_invalid")])
def test_refused_successor_changes_nothing(app, successor, code):
    before = dump_database(app.paths.database)
    with pytest.raises(KpiError) as caught:
        app.transfers.transfer("kt-tp", "vhxh", dt.date(2026, 12, 1), reason="Luân chuyển",
                               successor_id=successor)
    assert caught.value.code == code
    assert dump_database(app.paths.database) == before
    i18n.set_language("vi")
    try:
        sentence = describe(caught.value)
    finally:
        i18n.set_language("en")
    assert "(" + code not in sentence and sentence


def test_cli_transfer_of_a_leader_with_a_successor(demo_dir, capsys):
    from kpi_desktop.app import main

    base = ["--data-dir", str(demo_dir), "--lang", "en", "transfer", "person", "kt-tp",
            "--to", "vhxh", "--from-date", "2026-12-01", "--reason", "Luân chuyển"]
    assert main([*base, "--successor", "nobody"]) == 3
    assert main([*base, "--successor", "kt-pp"]) == 0
    out = capsys.readouterr().out
    assert "kt-pp evaluates the people kt-tp evaluated" in out and "kt-cv1" in out
