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


def test_an_act_at_the_old_organisation_counts_there():
    """Điều 11.3c–d: where the act took place decides whose result (and year) it counts in."""
    from kpi_desktop.scoring.discipline import ActPlace, Stay, act_place

    stays = [Stay("kt", D(2020, 1, 1), D(2026, 6, 30)), Stay("vhxh", D(2026, 7, 1))]
    # No date of the act, or an act at the organisation of the decision: its own year.
    assert act_place(None, D(2027, 2, 10), stays) == ActPlace("vhxh", 2027)
    assert act_place(D(2026, 9, 1), D(2027, 2, 10), stays) == ActPlace("vhxh", 2027)
    # c) an act at the old unit, disciplined at the new one: the old unit's last year.
    assert act_place(D(2026, 5, 10), D(2027, 2, 10), stays) == ActPlace("kt", 2026, True)
    # … decided in the year of the transfer: that year, still the old unit's result.
    assert act_place(D(2026, 5, 10), D(2026, 9, 1), stays) == ActPlace("kt", 2026, True)
    # An act before the first stay here: another agency, which evaluated until the day before.
    joined = [Stay("vp", D(2026, 1, 1))]
    assert act_place(D(2025, 8, 1), D(2026, 3, 1), joined) == ActPlace(None, 2025, True)
    with pytest.raises(ScoringInputError):
        act_place(D(2027, 3, 1), D(2027, 2, 10), stays)
    # d) acts at both organisations, disciplined at both: each by the time of its act.
    old, new = (act_place(D(2026, 5, 10), D(2027, 2, 10), stays),
                act_place(D(2026, 10, 1), D(2027, 2, 20), stays))
    assert (old.organisation_id, new.organisation_id) == ("kt", "vhxh")
    years = discipline_years([
        DisciplineFact("old", D(2027, 2, 10), old_organisation_year=old.year),
        DisciplineFact("new", D(2027, 2, 20))])
    assert (years["old"].year, years["new"].year) == (2026, 2027)
    assert years["old"].reason is DisciplineCount.OLD_ORGANISATION and years["old"].counts
    assert years["new"].reason is DisciplineCount.DECIDED_IN_YEAR
    with pytest.raises(ScoringInputError):
        discipline_years([DisciplineFact("bad", D(2026, 4, 1), old_organisation_year=2027)])


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


def test_an_act_at_the_old_unit_counts_in_its_year_in_the_classification(app):
    """kt-cv2 moved from kt to vhxh on 2026-07-01; in 2027 vhxh disciplines them for an act
    of May 2026 at kt (Điều 11.3c): it counts for 2026, kt's last year, not for 2027."""
    from kpi_desktop.services.discipline import DisciplineService

    later = DisciplineService(app.db, today=D(2027, 3, 1))
    assert not level_of(app, "kt-cv2", unit="vhxh").disciplined
    event = later.record("vhxh-tp", "kt-cv2", "reprimand", decided_on=D(2027, 2, 10),
                         decision_no="12/QĐ-UBND", committed_on=D(2026, 5, 10))
    assert event.effective_year == 2026
    result = level_of(app, "kt-cv2", unit="vhxh")
    assert result.disciplined and result.level is Level.NOT_COMPLETE
    # The party decision on the same act, later: counted once, still in 2026.
    party = later.record("vhxh-tp", "kt-cv2", "warning", decided_on=D(2027, 2, 20),
                         decision_no="05-QĐ/ĐU", authority="party", related_event_id=event.id)
    assert party.effective_year == 2026
    shown = {s.event.id: s.year for s in later.for_person("kt-cv2")}
    assert shown[event.id].reason is DisciplineCount.OLD_ORGANISATION and shown[event.id].counts
    assert shown[party.id].reason is DisciplineCount.SAME_ACT_EARLIER
    # Điều 11.3d: an act at the new unit counts in the year of its decision.
    here = later.record("vhxh-tp", "kt-cv2", "reprimand", decided_on=D(2027, 2, 25),
                        decision_no="13/QĐ-UBND", committed_on=D(2026, 10, 1))
    assert here.effective_year == 2027
    with app.db.unit_of_work(read_only=True) as uow:
        detail = [e.detail for e in uow.audit.list_events(action="discipline.record")][-3]
    assert detail["organisation"] == "kt" and detail["old_organisation"]
    assert detail["committed_on"] == "2026-05-10"


def test_an_act_after_its_decision_is_refused(app):
    before = dump(app)
    with pytest.raises(KpiError) as caught:
        app.disc.record("kt-tp", "kt-cv1", "reprimand", decided_on=D(2026, 10, 1),
                        decision_no="9/QĐ", committed_on=D(2026, 10, 2))
    assert caught.value.code == "discipline_act_after_decision"
    assert dump(app) == before
    from kpi_desktop.runtime import i18n
    from kpi_desktop.services.messages import describe

    i18n.set_language("vi")
    try:
        sentence = describe(caught.value)
    finally:
        i18n.set_language("en")
    assert sentence and "discipline_act_after_decision" not in sentence


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
        # The totals also hold the ad hoc row (completed, never assigned): compare without it.
        extra = report.ad_hoc[key]
        assert figures.completed_count - extra.completed_count <= figures.assigned_count
        assert figures.completed_points - extra.completed_points <= figures.assigned_points
        assert figures.assigned_count == sum(r.kinds[key].assigned_count for r in report.people)
        assert figures.completed_count == extra.completed_count + sum(
            r.kinds[key].completed_count for r in report.people)
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
    # One block of four kinds per person, then the ad hoc row and the total.
    assert len(rows) == 4 * (len(quarter.people) + 2)
    assert rows[-8]["name"] == "AD_HOC"
    assert rows[-1]["name"] == "TOTAL" and rows[-1]["kind"] == "untagged"


def test_ad_hoc_work_has_its_own_row_by_the_items_kind(app):
    """Work outside assignments (Điều 18.1d) counts in its own row, under its catalog item's
    kind (untagged when the item has none), and adds to the unit's completed totals."""
    import sqlalchemy as sa

    from kpi_desktop.domain.model import EntryStatus
    from kpi_desktop.services.kpi_kinds import KpiKindService

    period = Period.parse("2026-10")
    with app.db.unit_of_work(read_only=True) as uow:
        people = [p.id for p in uow.org.list_people(unit_ids=["kt"])]
        extras = [e for e in uow.worklog.list_for_people(
            people, start=period.start, end=period.end, statuses=[EntryStatus.CONFIRMED])
            if e.assignment_id is None]
        items = {e.catalog_item_id: uow.catalog.get_item(e.catalog_item_id) for e in extras}
    assert extras  # the demo has ad hoc work in October
    before = app.kpi_kinds.report("kt", period)
    assert before.ad_hoc["untagged"].completed_count == len(extras)  # demo items: no kind
    # The catalog gives one of these items a kind: its ad hoc work moves to that kind.
    tagged = extras[0].catalog_item_id
    engine = sa.create_engine(f"sqlite:///{app.paths.database}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE catalog_items SET kpi_kind='hard' WHERE id=:i"),
                           {"i": tagged})
    engine.dispose()
    report = app.kpi_kinds.report("kt", period)
    hard = [e for e in extras if e.catalog_item_id == tagged]
    assert report.ad_hoc["hard"].completed_count == len(hard)
    assert report.ad_hoc["hard"].completed_points == sum(
        (items[tagged].points * e.quantity for e in hard), Decimal(0))
    assert report.ad_hoc["untagged"].completed_count == len(extras) - len(hard)
    for key, figures in report.ad_hoc.items():
        assert figures.assigned_count == 0 and figures.assigned_points == 0
        assert report.totals[key].completed_points == figures.completed_points + sum(
            (r.kinds[key].completed_points for r in report.people), Decimal(0))
    assert KpiKindService.as_dict(report)["ad_hoc"]["hard"]["completed_count"] == len(hard)
    assert "Ad hoc / not assigned" in KpiKindService.as_text(report)


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
    row = page.table.keys().index("kt-cv1")
    assert page.table.text(row, 0) == "Nguyễn Thị Thảo"
    assert "77/QĐ-UBND" in page.table.text(row, 8)


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
    # The people, the ad hoc row (work outside assignments), the unit total.
    rows = kinds.table.row_count()
    assert rows == len(kinds._report.people) + 2
    assert kinds.table.text(rows - 2, 0) == "Ad hoc / not assigned"
    assert kinds.table.text(rows - 1, 0) == "Unit total"
    kinds.period.setCurrentIndex(kinds.period.findData(str(Period.containing(TODAY))))
    assert str(kinds._report.period) == str(Period.containing(TODAY))
    assert kinds.export_csv(str(tmp_path / "k.csv")) and (tmp_path / "k.csv").exists()
