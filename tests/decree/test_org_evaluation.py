"""Organisation evaluation (Điều 8) and the head's cap (Điều 20.6), issue 9 §1.

Pure rules first (kpi_desktop.scoring.organisation), then the service, CLI and page on the demo
organisation in a real data folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.org_results import OrgWhyCode
from kpi_desktop.domain.scores import Level, YearReason
from kpi_desktop.scoring import ScoringInputError, ScoringPolicy
from kpi_desktop.scoring.organisation import check_indicator, org_level

POLICY = ScoringPolicy.default()
TODAY = dt.date(2026, 11, 23)

BASE = {"general_points": 28, "task_points": 64, "tasks_completed_pct": 100,
        "tasks_on_time_pct": 100, "tasks_exceeded_pct": 30, "shortcomings_fixed": 1}


def level(changes=None, **kwargs):
    values = {**BASE, **(changes or {})}
    return org_level(POLICY, values, **kwargs)


def codes(result):
    return [w.code for w in result.why]


# --------------------------------------------------------------------------- pure rules
def test_excellent_needs_every_condition_of_article_8_1():
    result = level()
    assert result.level is Level.EXCELLENT and result.score == 92
    assert codes(result)[0] is OrgWhyCode.SCORE and codes(result)[-1] is OrgWhyCode.MET
    assert not result.needs_decision and result.policy_version == POLICY.version


@pytest.mark.parametrize(("changes", "expected", "why"), [
    ({"tasks_exceeded_pct": "29.99"}, Level.GOOD, OrgWhyCode.TOO_FEW_EXCEEDED),  # 8.1a: ≥ 30 %
    ({"shortcomings_fixed": 0}, Level.GOOD, OrgWhyCode.SHORTCOMINGS_OPEN),  # 8.1c
    ({"tasks_on_time_pct": 95}, Level.COMPLETE, OrgWhyCode.NOT_ALL_ON_TIME),  # 8.1, 8.2
    ({"tasks_on_time_pct": 80}, Level.COMPLETE, OrgWhyCode.NOT_ALL_ON_TIME),  # 8.3: ≤ 20 % late
    ({"tasks_on_time_pct": "79.5"}, Level.NOT_COMPLETE, OrgWhyCode.TOO_MANY_LATE),
    ({"task_points": 61}, Level.GOOD, OrgWhyCode.MET),  # 28 + 61 = 89: band Good
])
def test_conditions_move_the_level_down(changes, expected, why):
    result = level(changes)
    assert result.level is expected
    assert why in codes(result)


def test_too_many_late_tasks_is_the_gap_the_decree_leaves_open():
    result = level({"tasks_on_time_pct": "79.5"})
    assert codes(result)[-1] is OrgWhyCode.GAP and result.needs_decision


def test_a_sub_unit_rated_unsatisfactory_bars_excellent():
    result = level(subunit_levels=[Level.GOOD, Level.NOT_COMPLETE, None])
    assert result.level is Level.GOOD
    failing = next(w for w in result.why if w.code is OrgWhyCode.SUBUNIT_NOT_COMPLETE)
    assert failing.data["count"] == 1


def test_score_band_caps_the_level_and_the_cut_offs_are_exact():
    assert level({"general_points": 26}).level is Level.EXCELLENT  # 26 + 64 = 90 exactly
    assert level({"general_points": "25.99"}).level is Level.GOOD
    assert level({"general_points": 10, "task_points": 40}).level is Level.COMPLETE  # 50
    low = level({"general_points": 10, "task_points": "39.5"})
    assert low.level is Level.NOT_COMPLETE and OrgWhyCode.BELOW_COMPLETE in codes(low)


def test_under_70_percent_of_the_plan_is_unsatisfactory_unless_force_majeure():
    result = level({"tasks_completed_pct": 69})
    assert result.level is Level.NOT_COMPLETE and OrgWhyCode.PLAN_BELOW_MIN in codes(result)
    assert not result.needs_decision
    weighed = level({"tasks_completed_pct": 69, "force_majeure": 1})
    assert weighed.level is Level.NOT_COMPLETE and weighed.needs_decision
    assert OrgWhyCode.FORCE_MAJEURE in codes(weighed)
    # 70 %–<100 %: no level's conditions are met; the decree is silent.
    gap = level({"tasks_completed_pct": 85})
    assert gap.level is Level.NOT_COMPLETE and gap.needs_decision
    assert OrgWhyCode.NOT_ALL_COMPLETED in codes(gap) and codes(gap)[-1] is OrgWhyCode.GAP


def test_wrongdoing_forces_unsatisfactory_whatever_the_score():
    result = level({"wrongdoing_concluded": 1})
    assert result.level is Level.NOT_COMPLETE and codes(result)[-1] is OrgWhyCode.WRONGDOING


def test_missing_indicators_give_no_level_and_reported_ones_do_not_decide():
    result = org_level(POLICY, {"general_points": 28, "citizen_satisfaction_pct": 40})
    assert result.level is None and result.insufficient
    assert result.missing == ("task_points", "tasks_completed_pct", "tasks_on_time_pct")
    full = level({"citizen_satisfaction_pct": 40, "online_files_pct": 10})
    assert full.level is Level.EXCELLENT
    assert [w.data["code"] for w in full.why if w.code is OrgWhyCode.INFORMATIONAL] == [
        "online_files_pct", "citizen_satisfaction_pct"]


def test_thresholds_come_from_the_versioned_policy():
    assert POLICY.org_exceeded_share_min == Fraction(3, 10)
    assert POLICY.org_late_share_max == Fraction(1, 5)
    assert POLICY.org_plan_completion_min == Fraction(7, 10)
    local = dataclasses.replace(POLICY, version="tinh-2026.2", org_late_share_max="0.1",
                                org_exceeded_share_min="0.25")
    assert org_level(local, {**BASE, "tasks_on_time_pct": 85}).level is Level.NOT_COMPLETE
    assert org_level(local, {**BASE, "tasks_exceeded_pct": 25}).level is Level.EXCELLENT
    assert org_level(local, BASE).policy_version == "tinh-2026.2"
    # A policy stored before these keys existed still loads, with the decree's values.
    old = POLICY.to_dict()
    for key in ("org_exceeded_share_min", "org_late_share_max", "org_plan_completion_min"):
        del old[key]
    assert ScoringPolicy.from_dict(old) == POLICY
    assert ScoringPolicy.from_dict(local.to_dict()) == local
    with pytest.raises(ScoringInputError):
        dataclasses.replace(POLICY, org_late_share_max="1.5")


@pytest.mark.parametrize(("code", "value"), [("tasks_on_time_pct", 101), ("general_points", 31),
                                              ("task_points", -1), ("force_majeure", 2),
                                              ("shortcomings_fixed", "0.5"),
                                              ("tasks_on_time_pct", "abc")])
def test_indicator_values_are_checked(code, value):
    with pytest.raises(ScoringInputError):
        check_indicator(code, value)
    with pytest.raises(ScoringInputError) as info:
        check_indicator("no_such_code", 1)
    assert info.value.code == "indicator_unknown"


# --------------------------------------------------------------------------- the service
@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.org_evaluation import OrgEvaluationService

    services = AppServices.open(app_paths(demo_dir))
    services.classification = ClassificationService(services.db, today=TODAY)
    services.oe = OrgEvaluationService(services.db, today=TODAY)
    yield services
    services.close()


def dump(app):
    from kpi_desktop.storage.backup import dump_database

    return dump_database(app.paths.database)


def test_demo_units_have_indicators_and_levels(app):
    listing = app.oe.list_year("ct", 2026)
    computed = {row.unit.id: row.computed for row in listing.rows}
    assert computed == {"xa": Level.EXCELLENT, "vp": Level.GOOD, "hcc": Level.GOOD,
                        "kt": Level.COMPLETE, "vhxh": Level.GOOD}
    kt = app.oe.year("ct", "kt", 2026)
    assert kt.values["tasks_on_time_pct"] == Decimal(90) and kt.can_decide
    assert [p.id for p in kt.heads] == ["kt-tp"]
    assert all(i.policy_version == "nd335-2026.1" for i in kt.indicators)


def test_head_is_capped_by_the_organisation_level_on_the_demo(app):
    """Done when: the year-end classification of a head respects the organisation's level."""
    before = app.classification.overview("ct", "kt", 2026).row("kt-tp")
    assert before.result.level is Level.GOOD  # no organisation decision yet: not capped
    decided = app.oe.decide("ct", "kt", 2026, "complete", decision_no="25/QĐ-UBND",
                            decision_date=dt.date(2026, 11, 20))
    assert decided.level is Level.COMPLETE and decided.decided_by == "ct"
    assert decided.decision_date == dt.date(2026, 11, 20) and decided.score == 86
    row = app.classification.overview("ct", "kt", 2026).row("kt-tp")
    assert row.result.level is Level.COMPLETE and row.result.score_level is Level.GOOD
    assert row.result.reason is YearReason.CAPPED_BY_ORG and row.result.org_level is Level.COMPLETE
    # Only the head is capped; the people of the unit keep their levels.
    assert app.classification.overview("ct", "kt", 2026).row("kt-pp").result.level is Level.GOOD
    # The competent authority cannot decide the head above the cap (Điều 20.6).
    with pytest.raises(InvalidState) as info:
        app.classification.decide("ct", "kt-tp", 2026, "good", minutes_ref="BB 1",
                                  decision_no="30/QĐ", decision_date=TODAY)
    assert info.value.code == "classification_above_computed"
    # The same cap in the CLI's classification and in the year report (Form 02, unit summary).
    unit = app.scores.classify_unit("xa", 2026)
    head = next(r for r in unit.rows if r.person.id == "kt-tp")
    assert head.result.level is Level.COMPLETE
    assert head.result.reason is YearReason.CAPPED_BY_ORG
    form = app.reports.form02_data("kt-tp", 2026)
    assert form.reason == "capped_by_org" and form.computed_level is Level.COMPLETE
    summary = app.reports.unit_data("kt", "2026")
    assert next(r for r in summary.rows if r.person_id == "kt-tp").note == "capped_by_org"
    audit = app.db.unit_of_work(read_only=True)
    with audit as uow:
        events = uow.audit.list_events(object_type="unit", object_id="kt")
    assert any(e.action == "org.evaluation.decide" and e.detail["decision_no"] == "25/QĐ-UBND"
               for e in events)


def test_a_higher_organisation_level_does_not_raise_the_head(app):
    app.oe.decide("ct", "xa", 2026, "excellent", decision_no="1/QĐ-UBND tỉnh",
                  decision_date=TODAY)
    row = app.classification.overview("ct", "xa", 2026).row("vp-cvp")
    assert row.result.level is Level.GOOD and row.result.reason is YearReason.CLASSIFIED


def test_decisions_are_checked_and_refusals_change_nothing(app):
    before = dump(app)
    cases = [
        (lambda: app.oe.decide("ct", "kt", 2026, "good", decision_no="1", decision_date=TODAY),
         "org_level_above_computed"),
        (lambda: app.oe.decide("ct", "kt", 2026, "not_complete", decision_no="1",
                               decision_date=TODAY), "reason_missing"),
        (lambda: app.oe.decide("ct", "kt", 2026, "complete", decision_no=" ",
                               decision_date=TODAY), "org_decision_no_missing"),
        (lambda: app.oe.decide("ct", "kt", 2026, "best", decision_no="1",
                               decision_date=TODAY), "level_unknown"),
        (lambda: app.oe.decide("kt-tp", "kt", 2026, "complete", decision_no="1",
                               decision_date=TODAY), "org_eval_not_allowed"),
        (lambda: app.oe.decide("ct", "nowhere", 2026, "complete", decision_no="1",
                               decision_date=TODAY), "not_found"),
        (lambda: app.oe.set_indicator("ct", "kt", "2026", "tasks_on_time_pct", "120"),
         "org_indicator_out_of_range"),
        (lambda: app.oe.set_indicator("ct", "kt", "2026", "force_majeure", "2"),
         "org_indicator_out_of_range"),
        (lambda: app.oe.set_indicator("ct", "kt", "2026", "happiness", "2"),
         "org_indicator_unknown"),
        (lambda: app.oe.set_indicator("ct", "kt", "26/2026", "task_points", "2"),
         "org_period_malformed"),
        (lambda: app.oe.set_indicator("ct", "kt", "2026", "task_points", "nhiều"),
         "decimal_malformed"),
        (lambda: app.oe.set_indicator("vhxh-cv1", "kt", "2026", "task_points", "50"),
         "org_eval_not_allowed"),
        (lambda: app.oe.set_indicator("kt-tp", "hcc", "2026", "task_points", "50"),
         "org_eval_not_allowed"),
    ]
    for action, code in cases:
        with pytest.raises((RefusedValue, InvalidState, NotFound)) as info:
            action()
        assert info.value.code == code
    assert dump(app) == before


def test_another_level_needs_a_note_and_force_majeure_lets_the_authority_decide(app):
    app.oe.set_indicator("kt-tp", "kt", "2026", "tasks_completed_pct", "65", source="BC 12")
    app.oe.set_indicator("kt-tp", "kt", "2026", "force_majeure", 1)
    info = app.oe.year("ct", "kt", 2026)
    assert info.result.level is Level.NOT_COMPLETE and info.result.needs_decision
    decided = app.oe.decide("ct", "kt", 2026, "complete", decision_no="40/QĐ",
                            decision_date=TODAY, note="Bão lũ tháng 9 (bất khả kháng)")
    assert decided.level is Level.COMPLETE and "Bão lũ" in decided.note
    changed = app.oe.year(None, "kt", 2026)
    assert changed.values["tasks_completed_pct"] == 65
    stored = next(i for i in changed.indicators if i.code == "tasks_completed_pct")
    assert stored.source == "BC 12" and stored.policy_version == "nd335-2026.1"


CSV_OK = ("unit,period,code,value,source\n"
          "vhxh,2026,shortcomings_fixed,1,BC tổng kết\n"
          "vhxh,2026,tasks_exceeded_pct,\"32,5\",\n"
          "hcc,2026-Q3,files_on_time_pct,97.2,\n")


def test_csv_import_all_or_nothing(app, tmp_path):
    good = tmp_path / "chi-so.csv"
    good.write_text(CSV_OK, encoding="utf-8-sig")
    assert app.oe.import_csv("ct", good) == 3
    vhxh = app.oe.year("ct", "vhxh", 2026)
    assert vhxh.values["tasks_exceeded_pct"] == Decimal("32.5")
    assert vhxh.result.level is Level.GOOD  # 82 points: band Good, Excellent needs ≥ 90
    hcc = app.oe.year("ct", "hcc", 2026)
    assert any(str(i.period) == "2026-Q3" and i.value == Decimal("97.2")
               for i in hcc.indicators)
    semicolons = tmp_path / "excel.csv"
    semicolons.write_text("unit;period;code;value\nkt;2026;tasks_on_time_pct;100\n",
                          encoding="utf-8")
    assert app.oe.import_csv("ct", semicolons) == 1
    assert app.oe.year("ct", "kt", 2026).result.level is Level.GOOD

    before = dump(app)
    bad_rows = {
        "unit,period,code,value\nkt,2026,task_points,50\nkt,2026,tasks_on_time_pct,150\n": 3,
        "unit,period,code,value\nkt,2026,task_points,50\nkt,2026,task_points,51\n": 3,
        "unit,period,code,value\nkt,2026,task_points,50\nnowhere,2026,task_points,51\n": 3,
        "unit,period,code,value\nkt,2026,mystery,1\n": 2,
        "unit,period,code,value\nkt,năm nay,task_points,50\n": 2,
        "unit,code,value\nkt,task_points,50\n": 1,
    }
    for text, row in bad_rows.items():
        path = tmp_path / "bad.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RefusedValue) as info:
            app.oe.import_csv("ct", path)
        assert info.value.code == "org_csv_invalid" and info.value.params["row"] == row
    (tmp_path / "latin1.csv").write_bytes("unit,period,code,value\nkt,2026,t\xe2sk,1\n"
                                          .encode("latin-1"))
    with pytest.raises(RefusedValue) as info:
        app.oe.import_csv("ct", tmp_path / "latin1.csv")
    assert info.value.code == "org_csv_unreadable"
    with pytest.raises(RefusedValue) as info:  # a unit outside kt-tp's reach: row 2, nothing
        good.write_text("unit,period,code,value\nkt,2026,task_points,55\nhcc,2026,task_points,"
                        "55\n", encoding="utf-8")
        app.oe.import_csv("kt-tp", good)
    assert info.value.params["row"] == 3
    assert dump(app) == before


def test_error_sentences_name_the_row_in_both_languages(app, tmp_path):
    from kpi_desktop.runtime import i18n
    from kpi_desktop.services.messages import describe

    path = tmp_path / "bad.csv"
    path.write_text("unit,period,code,value\nkt,2026,tasks_on_time_pct,150\n", encoding="utf-8")
    with pytest.raises(RefusedValue) as info:
        app.oe.import_csv("ct", path)
    with i18n.language_override("en"):
        text = describe(info.value)
        assert "row 2" in text and "nothing was changed" in text and "100" in text
    with i18n.language_override("vi"):
        text = describe(info.value)
        assert "dòng 2" in text and "không có gì thay đổi" in text


# --------------------------------------------------------------------------- the CLI
def run_cli(folder, *args, lang="en"):
    from kpi_desktop.app import main

    return main(["--data-dir", str(folder), "--lang", lang, *args])


def test_cli_show_decide_import(demo_dir, tmp_path, capsys):
    assert run_cli(demo_dir, "org-eval", "show", "--unit", "kt", "--year", "2026", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["computed_level"] == "complete" and data["decision"] is None
    assert data["values"]["tasks_on_time_pct"] == "90"
    assert data["why"][-1]["code"] == "met"
    assert run_cli(demo_dir, "org-eval", "decide", "--by", "ct", "--unit", "kt", "--year",
                   "2026", "--level", "good", "--decision-no", "5/QĐ") == 3
    assert "cannot be higher" in capsys.readouterr().err
    assert run_cli(demo_dir, "org-eval", "decide", "--by", "ct", "--unit", "kt", "--year",
                   "2026", "--level", "complete", "--decision-no", "5/QĐ", "--date",
                   "2026-11-20") == 0
    assert "Satisfactory" in capsys.readouterr().out
    assert run_cli(demo_dir, "classify", "--unit", "kt", "--year", "2026", "--json") == 0
    people = {p["id"]: p for p in json.loads(capsys.readouterr().out)["people"]}
    assert people["kt-tp"]["level"] == "complete" and people["kt-tp"]["reason"] == "capped_by_org"
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,period,code,value\nkt,2026,task_points,90\n", encoding="utf-8")
    assert run_cli(demo_dir, "org-eval", "indicators", "import", str(bad), "--by", "ct",
                   lang="vi") == 3
    assert "dòng 2" in capsys.readouterr().err
    assert run_cli(demo_dir, "org-eval", "indicators", "set", "--by", "kt-tp", "--unit", "kt",
                   "--period", "2026", "--code", "tasks_on_time_pct", "--value", "100") == 0
    capsys.readouterr()
    assert run_cli(demo_dir, "org-eval", "show", "--unit", "kt", "--year", "2026") == 0
    out = capsys.readouterr().out
    assert "Computed level: Good" in out and "Recorded: Satisfactory" in out
    assert run_cli(demo_dir, "org-eval", "show", "--unit", "kt", "--year", "20x6") == 3


# --------------------------------------------------------------------------- the page
@pytest.mark.gui
def test_org_evaluation_page(qtbot, app, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from kpi_desktop.ui.leader.org_evaluation_page import IndicatorDialog, OrgEvaluationPage
    from kpi_desktop.ui.pages.base import UserContext
    from kpi_desktop.ui.pages.registry import leader_pages

    assert OrgEvaluationPage in leader_pages()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    user = UserContext(person_id="ct", full_name="Chairman", role="head", unit_id="xa",
                       is_evaluator=True)
    page = OrgEvaluationPage(app, user)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.title() == "Organisation evaluation"
    assert page.units.row_count() == 5 and page.selected_unit() == "xa"
    page.select_unit("kt")
    assert page.indicators.row_count() == 6 and "Satisfactory" in page.level_line.text()
    assert page.why.count() == 3 and "90 %" in page.why.item(1).text()
    assert "Phan Văn Quang" in page.cap_line.text() and page.decision_box.isEnabled()
    page.level_combo.setCurrentIndex(page.level_combo.findData("complete"))
    page.decision_no.setText("25/QĐ-UBND")
    assert page.record_decision() and not shown
    assert "25/QĐ-UBND" in page.recorded_line.text()
    assert app.classification.overview("ct", "kt", 2026).row("kt-tp").result.level \
        is Level.COMPLETE
    # Add a value with the dialog, then import a file; a bad file shows the reason.
    dialog = IndicatorDialog("2026", None, None, page)
    dialog.code.setCurrentIndex(dialog.code.findData("citizen_satisfaction_pct"))
    dialog.value.setValue(93.5)
    dialog.accept()
    assert page.add_indicator(dialog)
    assert page.indicators.row_count() == 7
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,period,code,value\nkt,2026,tasks_on_time_pct,150\n", encoding="utf-8")
    assert not page.import_csv(str(bad)) and "row 2" in shown[-1]
    good = tmp_path / "good.csv"
    good.write_text("unit,period,code,value\nkt,2026,tasks_on_time_pct,100\n", encoding="utf-8")
    assert page.import_csv(str(good))
    page.select_unit("kt")
    assert "Good" in page.level_line.text()
    # A head of a division may enter indicators but not decide.
    head = OrgEvaluationPage(app, UserContext(person_id="kt-tp", full_name="Head", role="head",
                                              unit_id="kt", is_evaluator=True))
    qtbot.addWidget(head)
    assert head.units.rowCount() == 1 and head.add_button.isEnabled()
    assert not head.decision_box.isEnabled()


def test_excellent_quota_of_the_sub_units_warns_only(app):
    # Điều 8.5: at most 20 % of the units rated Good may be Excellent (here: 2 Good → none).
    for unit in ("vp", "hcc"):
        app.oe.decide("ct", unit, 2026, "good", decision_no=f"{unit}/QĐ", decision_date=TODAY)
    app.oe.set_indicator("ct", "vhxh", "2026", "general_points", 30)
    app.oe.set_indicator("ct", "vhxh", "2026", "task_points", 62)
    app.oe.set_indicator("ct", "vhxh", "2026", "tasks_exceeded_pct", 40)
    app.oe.set_indicator("ct", "vhxh", "2026", "shortcomings_fixed", 1)
    assert app.oe.year("ct", "vhxh", 2026).result.level is Level.EXCELLENT
    app.oe.decide("ct", "vhxh", 2026, "excellent", decision_no="v/QĐ", decision_date=TODAY)
    app.oe.decide("ct", "xa", 2026, "excellent", decision_no="1/QĐ-UBND tỉnh",
                  decision_date=TODAY)  # the commune: recognised by the province, not counted
    listing = app.oe.list_year("ct", 2026)
    assert (listing.excellent, listing.good, listing.limit, listing.excess) == (1, 2, 0, 1)
    assert app.oe.year("ct", "vhxh", 2026).evaluation.level is Level.EXCELLENT  # not changed


def test_the_agency_administrator_sees_every_unit_and_records_the_commune_level(app):
    from kpi_desktop.services.org_evaluation import AGENCY_ACTOR

    assert {u.id for u in app.oe.units(AGENCY_ACTOR)} == {"xa", "vp", "hcc", "kt", "vhxh"}
    app.oe.set_indicator(AGENCY_ACTOR, "xa", "2026-Q4", "online_files_pct", "88,5")
    decided = app.oe.decide(AGENCY_ACTOR, "xa", 2026, "excellent", decision_no="3/QĐ-UBND tỉnh",
                            decision_date=TODAY)
    assert decided.decided_by is None and decided.level is Level.EXCELLENT
    assert app.oe.year("kt-tp", "xa", 2026).can_decide is False
