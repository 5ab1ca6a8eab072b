"""KPI kinds and discipline events (issue 9 §5): which year a discipline decision counts for
(Điều 20.4c, Điều 11.3a–b), the override on the demo organisation, the evaluator's view, and
the assigned/completed report by KPI kind (service, CLI, CSV, pages)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal

import pytest

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import AssignmentStatus, KpiKind, Period
from kpi_desktop.domain.org_results import DisciplineCount
from kpi_desktop.domain.scores import Level, YearReason
from kpi_desktop.scoring import ScoringInputError
from kpi_desktop.scoring.discipline import DisciplineFact, discipline_years

TODAY = dt.date(2026, 11, 23)
D = dt.date


# --------------------------------------------------------------------------- the pure rule
def test_a_decision_counts_in_the_year_it_is_issued_not_the_year_of_the_act():
    # An act of 2025 disciplined in March 2026 makes 2026 Không hoàn thành (Điều 20.4c).
    years = discipline_years([DisciplineFact("a", D(2026, 3, 2))])
    assert years["a"].year == 2026 and years["a"].counts
    assert years["a"].reason is DisciplineCount.DECIDED_IN_YEAR


def test_party_and_administrative_decisions_on_one_act_count_once():
    # Điều 11.3a ¶2: in effect in different years → one year only (the first).
    facts = [DisciplineFact("party", D(2025, 12, 18)),
             DisciplineFact("admin", D(2026, 2, 10), related_id="party")]
    years = discipline_years(facts)
    assert years["party"].year == years["admin"].year == 2025
    assert years["party"].counts and not years["admin"].counts
    assert years["admin"].reason is DisciplineCount.SAME_ACT_EARLIER
    # The link works whichever decision names the other, and along a chain.
    linked_back = discipline_years([DisciplineFact("admin", D(2026, 2, 10)),
                                    DisciplineFact("party", D(2025, 12, 18), related_id="admin"),
                                    DisciplineFact("third", D(2027, 1, 5), related_id="admin")])
    assert {y.year for y in linked_back.values()} == {2025}
    assert [k for k, y in linked_back.items() if y.counts] == ["party"]
    # Separate acts each count in their own year; a link to an unknown id is ignored.
    separate = discipline_years([DisciplineFact("x", D(2025, 5, 1)),
                                 DisciplineFact("y", D(2026, 5, 1), related_id="zzz")])
    assert (separate["x"].year, separate["y"].year) == (2025, 2026)
    assert separate["y"].counts


def test_an_act_already_used_for_unsatisfactory_is_not_counted_again():
    # Điều 11.3b: rated Không hoàn thành in 2025 for the act; the 2026 decision does not count.
    years = discipline_years([DisciplineFact("late", D(2026, 4, 1), already_counted_year=2025)])
    assert years["late"].year == 2025 and not years["late"].counts
    assert years["late"].reason is DisciplineCount.ALREADY_COUNTED
    with pytest.raises(ScoringInputError):
        discipline_years([DisciplineFact("bad", D(2026, 4, 1), already_counted_year=2027)])


# --------------------------------------------------------------------------- the service
@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.assignments import AssignmentService
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.discipline import DisciplineService
    from kpi_desktop.services.evaluation import EvaluationService

    services = AppServices.open(app_paths(demo_dir))
    services.classification = ClassificationService(services.db, today=TODAY)
    services.assignments = AssignmentService(services.db, today=TODAY)
    services.evaluation = EvaluationService(services.db, today=TODAY)
    services.disc = DisciplineService(services.db, today=TODAY)
    yield services
    services.close()


def dump(app):
    from kpi_desktop.storage.backup import dump_database

    return dump_database(app.paths.database)


def level_of(app, person_id, year=2026, unit="kt"):
    return app.classification.overview("ct", unit, year).row(person_id).result


def test_the_demo_reprimand_forces_unsatisfactory(app):
    """Done when: a reprimand forces "Không hoàn thành" (kt-cv4, 45/QĐ-UBND, June 2026)."""
    result = level_of(app, "kt-cv4")
    assert result.level is Level.NOT_COMPLETE and result.reason is YearReason.DISCIPLINED
    assert result.score_level is Level.GOOD  # the mean alone would give Good
    shown = app.disc.for_period("kt-cv4", "2026-06")
    assert [(s.event.decision_no, s.year.year, s.year.counts) for s in shown] == [
        ("45/QĐ-UBND", 2026, True)]
    assert app.scores.classify_unit("kt", 2026).rows  # the CLI's classification agrees
    row = next(r for r in app.scores.classify_unit("kt", 2026).rows if r.person.id == "kt-cv4")
    assert row.disciplined and row.result.level is Level.NOT_COMPLETE


def test_a_new_reprimand_forces_unsatisfactory_and_is_audited(app):
    assert level_of(app, "kt-cv1").level is Level.GOOD
    event = app.disc.record("kt-tp", "kt-cv1", "reprimand", decided_on=D(2026, 10, 5),
                            decision_no="61/QĐ-UBND", note="Chậm hồ sơ đất đai")
    assert event.effective_year == 2026 and event.recorded_by == "kt-tp"
    result = level_of(app, "kt-cv1")
    assert result.level is Level.NOT_COMPLETE and result.reason is YearReason.DISCIPLINED
    with app.db.unit_of_work(read_only=True) as uow:
        audit = uow.audit.list_events(object_type="person", object_id="kt-cv1")
    assert audit[-1].action == "discipline.record"
    assert audit[-1].detail["reason"] == "decided_in_year"


def test_same_act_recorded_in_either_order_counts_once(app):
    # The party decision of Dec 2025 came first: the 2026 administrative one is not counted.
    party = app.disc.record("kt-tp", "kt-cv1", "warning", decided_on=D(2025, 12, 18),
                            decision_no="08-QĐ/ĐU", authority="party")
    admin = app.disc.record("kt-tp", "kt-cv1", "reprimand", decided_on=D(2026, 2, 10),
                            decision_no="15/QĐ-UBND", related_event_id=party.id)
    assert (party.effective_year, admin.effective_year) == (2025, 2025)
    assert level_of(app, "kt-cv1").level is Level.GOOD
    # Reverse order for another person: the 2026 decision is moved to 2025 when the related
    # 2025 party decision is recorded.
    first = app.disc.record("kt-tp", "kt-cv5", "reprimand", decided_on=D(2026, 3, 1),
                            decision_no="20/QĐ-UBND")
    assert level_of(app, "kt-cv5").level is Level.NOT_COMPLETE
    app.disc.record("kt-tp", "kt-cv5", "reprimand", decided_on=D(2025, 11, 30),
                    decision_no="03-QĐ/ĐU", authority="party", related_event_id=first.id)
    assert level_of(app, "kt-cv5").level is Level.EXCELLENT
    shown = {s.event.decision_no: s for s in app.disc.for_person("kt-cv5")}
    assert shown["20/QĐ-UBND"].counts_in == 2025 and not shown["20/QĐ-UBND"].year.counts
    assert shown["03-QĐ/ĐU"].year.counts
    # Still shown to the evaluator of a 2026 month, with the reason it does not count.
    assert [s.event.decision_no for s in app.disc.for_period("kt-cv5", "2026-03")] == [
        "20/QĐ-UBND"]


def test_already_counted_act_does_not_count_again(app):
    app.disc.record("kt-tp", "kt-cv1", "reprimand", decided_on=D(2026, 1, 20),
                    decision_no="02/QĐ-UBND", already_counted_year=2025)
    assert level_of(app, "kt-cv1").level is Level.GOOD


def test_discipline_refusals_change_nothing(app):
    before = dump(app)
    cases = [
        (dict(person="kt-cv1", kind="scolding"), "discipline_kind_unknown"),
        (dict(person="kt-cv1", decided_on=D(2026, 12, 1)), "discipline_in_future"),
        (dict(person="kt-cv1", decided_on=None), "date_malformed"),
        (dict(person="kt-cv1", decision_no="  "), "reason_missing"),
        (dict(person="kt-cv1", related="kl-kt-cv4"), "discipline_related_unknown"),
        (dict(person="kt-cv1", counted=2026), "discipline_counted_year_invalid"),
        (dict(person="kt-cv1", kind="unit_corruption"), "discipline_leaders_only"),
        (dict(person="hcc-cv1"), "not_evaluator"),
    ]
    for case, code in cases:
        with pytest.raises(KpiError) as info:
            app.disc.record("kt-tp", case["person"], case.get("kind", "reprimand"),
                            decided_on=case.get("decided_on", D(2026, 5, 1)),
                            decision_no=case.get("decision_no", "9/QĐ"),
                            related_event_id=case.get("related"),
                            already_counted_year=case.get("counted"))
        assert info.value.code == code, case
    assert dump(app) == before


# --------------------------------------------------------------------------- KPI kinds
def test_report_by_kind_adds_up_and_follows_the_leaders_choice(app, tmp_path):
    report = app.kpi_kinds.report("kt", "2026-10")
    with app.db.unit_of_work(read_only=True) as uow:
        people = [p.id for p in uow.org.list_people(unit_ids=["kt"])]
        expected = [a for a in uow.assignments.list_for_period("2026-10", person_ids=people)
                    if a.status is not AssignmentStatus.CANCELLED]
    assert sum(v.assigned_count for v in report.totals.values()) == len(expected)
    assert report.totals["spearhead"].assigned_count + report.totals["hard"].assigned_count > 0
    for key, figures in report.totals.items():
        assert figures.completed_count <= figures.assigned_count
        assert figures.completed_points <= figures.assigned_points
        assert figures.assigned_count == sum(r.kinds[key].assigned_count for r in report.people)
    before = report.totals["spearhead"].assigned_count
    # The leader tags an assignment as spearhead; it is reported so.
    item = next(i for i in app.assignments.allowed_items("kt-cv1")
                if i.group.value == "N1")
    made = app.assignments.assign("kt-tp", "kt-cv1", item.code, "2026-11", "2",
                                  D(2026, 11, 30), kpi_kind=KpiKind.SPEARHEAD)
    assert made.kpi_kind is KpiKind.SPEARHEAD
    after = app.kpi_kinds.report("kt", "2026-11")
    person = next(r for r in after.people if r.person.id == "kt-cv1")
    assert person.kinds["spearhead"].assigned_points >= item.points * 2
    assert app.kpi_kinds.report("kt", "2026-10").totals["spearhead"].assigned_count == before
    year = app.kpi_kinds.report("xa", "2026")
    quarter = app.kpi_kinds.report("xa", "2026-Q4")
    assert year.totals["hard"].assigned_count > quarter.totals["hard"].assigned_count > 0
    path = app.kpi_kinds.write_csv(quarter, tmp_path / "kinds.csv")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 4 * (len(quarter.people) + 1)
    assert rows[-1]["name"] == "TOTAL" and rows[-1]["kind"] == "untagged"


def test_report_refuses_a_bad_period(app):
    for text in ("2026-13", "2026-H1", "tháng 3"):
        with pytest.raises(KpiError) as info:
            app.kpi_kinds.report("kt", text)
        assert info.value.code == "report_period_malformed"
    with pytest.raises(KpiError):
        app.kpi_kinds.report("nowhere", "2026")


def test_cli_report_kinds(demo_dir, tmp_path, capsys):
    from kpi_desktop.app import main

    out = tmp_path / "kinds.csv"
    assert main(["--data-dir", str(demo_dir), "--lang", "en", "report", "kinds", "--unit", "hcc",
                 "--period", "2026-Q3", "--json", "--csv", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2026-Q3" and set(data["totals"]) == {"spearhead", "hard", "soft",
                                                                   "untagged"}
    assert out.exists()
    assert main(["--data-dir", str(demo_dir), "--lang", "vi", "report", "kinds", "--unit", "hcc",
                 "--period", "2026"]) == 0
    assert "mũi nhọn" in capsys.readouterr().out
    assert main(["--data-dir", str(demo_dir), "--lang", "vi", "report", "kinds", "--unit", "hcc",
                 "--period", "2026-13"]) == 3
    assert "không phải là kỳ" in capsys.readouterr().err


# --------------------------------------------------------------------------- pages
def _user(person_id, unit):
    from kpi_desktop.ui.pages.base import UserContext

    return UserContext(person_id=person_id, full_name=person_id, role="head", unit_id=unit,
                       is_evaluator=True)


@pytest.mark.gui
def test_evaluator_sees_the_discipline_when_confirming(qtbot, app):
    from kpi_desktop.ui.leader.evaluation_page import MonthlyEvaluationPage

    page = MonthlyEvaluationPage(app, _user("kt-tp", "kt"))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.period.setCurrentIndex(page.period.findData("2026-06"))
    page.select_person("kt-cv4")
    assert not page.discipline_line.isHidden()
    text = page.discipline_line.text()
    assert "Reprimand" in text and "45/QĐ-UBND" in text and "2026" in text
    page.select_person("kt-cv1")
    assert page.discipline_line.isHidden()


@pytest.mark.gui
def test_discipline_dialog_records_with_the_rule(qtbot, app, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.discipline import DisciplineService
    from kpi_desktop.ui.leader import classification_page
    from kpi_desktop.ui.leader.classification_page import YearClassificationPage

    monkeypatch.setattr(AppServices, "discipline",
                        property(lambda self: DisciplineService(self.db, today=TODAY)))

    class Filled(classification_page.DisciplineDialog):
        def exec(self):  # noqa: A003 - Qt name
            self.kind.setCurrentIndex(self.kind.findData("reprimand"))
            self.decided_on.setDate(self.decided_on.date().fromString("2026-09-09",
                                                                       "yyyy-MM-dd"))
            self.decision_no.setText("77/QĐ-UBND")
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(classification_page, "DisciplineDialog", Filled)
    page = YearClassificationPage(app, _user("kt-tp", "kt"))
    qtbot.addWidget(page)
    page.select_person("kt-cv1")
    page.record_discipline()
    assert page._overview.row("kt-cv1").result.level is Level.NOT_COMPLETE
    assert "77/QĐ-UBND" in page.table.item(
        next(r for r in range(page.table.rowCount())
             if page.table.item(r, 0).text() == "Nguyễn Thị Thảo"), 8).text()


@pytest.mark.gui
def test_kind_chosen_in_the_assignment_form_and_the_kinds_page(qtbot, app, tmp_path):
    from kpi_desktop.ui.leader.assignments_page import LeaderAssignmentsPage
    from kpi_desktop.ui.leader.kpi_kinds_page import KpiKindsPage

    page = LeaderAssignmentsPage(app, _user("kt-tp", "kt"))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("soft"))
    page.item_combo.setCurrentIndex(0)
    person = page.person_combo.currentData()
    page.assign()
    with app.db.unit_of_work(read_only=True) as uow:
        newest = max(uow.assignments.list_for_person(person, Period.containing(TODAY)),
                     key=lambda a: a.created_at)
    assert newest.kpi_kind is KpiKind.SOFT and newest.quantity == Decimal(1)

    kinds = KpiKindsPage(app, _user("kt-tp", "kt"))
    qtbot.addWidget(kinds)
    kinds.resize(1366, 768)
    kinds.show()
    assert kinds.title() == "Work by KPI kind"
    assert kinds.table.rowCount() == len(kinds._report.people) + 1
    assert kinds.table.item(kinds.table.rowCount() - 1, 0).text() == "Unit total"
    kinds.period.setCurrentIndex(kinds.period.findData(str(Period.containing(TODAY))))
    assert str(kinds._report.period) == str(Period.containing(TODAY))
    assert kinds.export_csv(str(tmp_path / "k.csv")) and (tmp_path / "k.csv").exists()
