"""The leader's other pages: assignments, monthly evaluation, unit view, Form 02."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kpi_desktop.domain.model import GENERAL_CRITERIA, EvaluationStatus, Level, Period, utc_now
from kpi_desktop.ui.leader.assignments_page import LeaderAssignmentsPage
from kpi_desktop.ui.leader.classification_page import YearClassificationPage
from kpi_desktop.ui.leader.evaluation_page import MonthlyEvaluationPage
from kpi_desktop.ui.leader.unit_page import UnitViewPage, WhyDialog
from kpi_desktop.ui.pages.registry import leader_pages

from .conftest import user

pytestmark = pytest.mark.gui


def _show(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    _loaded(qtbot, page)
    return page


def _loaded(qtbot, page):
    """Wait until a page that loads off the GUI thread has filled itself."""
    loading = getattr(page, "is_loading", None)
    if loading is not None:
        qtbot.waitUntil(lambda: not loading(), timeout=30000)


@pytest.fixture
def no_dialogs(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    return shown


def test_registry_lists_the_leader_pages():
    ids = [p.page_id for p in leader_pages()]
    assert ids[:5] == ["leader.inbox", "leader.assignments", "leader.evaluation", "leader.unit",
                       "leader.classification"]
    assert {"leader.kpi_kinds", "leader.org_evaluation"} <= set(ids)  # issue 9 §1, §5


def test_assign_from_the_form_and_copy_last_month(qtbot, leader_services, no_dialogs):
    page = _show(qtbot, LeaderAssignmentsPage(leader_services, user("hcc-gd")))
    assert page.people.row_count() == 5 and page.title() == "Assignments"
    person = page.selected_person()
    before = sum(1 for r in page._rows if r.assignment.person_id == person)
    page.item_combo.setCurrentIndex(0)
    page.quantity.setValue(2)
    page.note.setText("Giao thêm")
    page.assign()
    assert not no_dialogs
    assert sum(1 for r in page._rows if r.assignment.person_id == person) == before + 1
    page.quantity.setValue(0)
    page.item_combo.setCurrentIndex(0)
    page.assign()
    assert no_dialogs and "greater than zero" in no_dialogs[-1]
    page.period.setCurrentIndex(page.period.findData("2026-12"))
    assert page.people.row_count() == 5 and not page._rows
    page.copy_previous()
    assert page._rows


def _submit_all(services, people):
    full = {c.code: c.max_points for c in GENERAL_CRITERIA}
    with services.db.unit_of_work() as uow:
        for pid in people:
            stored = uow.evaluations.get_monthly(pid, Period.parse("2026-11"))
            uow.evaluations.upsert_monthly(replace(stored, status=EvaluationStatus.SUBMITTED,
                                                   self_criteria=full, submitted_at=utc_now()))


def test_monthly_evaluation_confirm_adjust_unlock_and_whole_unit(qtbot, leader_services,
                                                                 no_dialogs, monkeypatch):
    from kpi_desktop.ui.leader import evaluation_page

    staff = ["hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"]
    _submit_all(leader_services, staff)
    page = _show(qtbot, MonthlyEvaluationPage(leader_services, user("hcc-gd")))
    assert page.current_period() == Period.parse("2026-10")  # the last finished month
    page.period.setCurrentIndex(page.period.findData("2026-11"))
    page.select_person("hcc-cv1")
    page.spins["I.1"].setValue(4)
    page.confirm_current()  # adjusted without a comment: refused
    assert no_dialogs and "comment" in no_dialogs[-1]
    page.comment.setPlainText("Còn chậm báo cáo")
    page.confirm_current()
    row = page._row()
    assert row.status is EvaluationStatus.LOCKED and row.confirmed_points == 29
    assert page.unlock_button.isEnabled() and not page.confirm_button.isEnabled()
    assert page.history.count() == 2

    class Dialog:
        def __init__(self, *args, **kwargs):
            pass

        def exec(self):
            return True

        def reason(self):
            return "Bổ sung sản phẩm"

    monkeypatch.setattr(evaluation_page, "LeaderReasonDialog", Dialog)
    page.unlock_current()
    assert page._row().status is EvaluationStatus.SUBMITTED
    page.confirm_all()
    qtbot.waitUntil(lambda: page._task is None, timeout=30000)
    assert all(r.status is EvaluationStatus.LOCKED for r in page._rows)


def test_unit_view_table_filter_chart_and_why(qtbot, leader_services):
    page = _show(qtbot, UnitViewPage(leader_services, user("ct")))
    assert page.proxy.rowCount() == 25
    assert sum(page.counts.values()) == 25
    # vp-cv3 joined in July; the chairman is evaluated by the province, outside the commune.
    assert page.counts[None] == 2
    page.search.setText("nguyen")  # diacritics ignored
    assert 0 < page.proxy.rowCount() < 25
    page.search.setText("")
    page.level.setCurrentIndex(page.level.findData("excellent"))
    assert page.proxy.rowCount() == page.counts[Level.EXCELLENT]
    page.level.setCurrentIndex(0)
    page.table.sortByColumn(15, page.table.horizontalHeader().sortIndicatorOrder())
    dialog = WhyDialog(leader_services, page.person_at(0), Period.parse("2026-10"),
                       [Period.parse("2026-10")], page)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() > 0 and "nd335" in dialog.summary.text()
    page.chart.grab()  # paints without error


def test_classification_quota_warning_and_decision(qtbot, leader_services, no_dialogs):
    page = _show(qtbot, YearClassificationPage(leader_services, user("hcc-gd")))
    assert "quota exceeded" in page.quota.text()
    assert "Ngô Văn Long" in page.quota.text() or page._overview.over_quota
    candidate = next(s for s in page._overview.scopes if s.over).candidates[0]
    page.select_person(candidate)
    page.level_combo.setCurrentIndex(page.level_combo.findData("good"))
    page.minutes.setText("BB 05/BB")
    page.decision_no.setText("12/QĐ-UBND")
    page.decide()  # lower level without a reason: refused
    assert no_dialogs
    page.reason.setText("Vượt tỷ lệ 20 %")
    page.decide()
    row = page._overview.row(candidate)
    assert row.current.decided_level is Level.GOOD and row.current.decision_no == "12/QĐ-UBND"
    assert "respected" in page.quota.text()
    assert page.supersede_button.isEnabled() and not page.decide_button.isEnabled()
    page.level_combo.setCurrentIndex(page.level_combo.findData("excellent"))
    page.decision_no.setText("13/QĐ-UBND")
    page.reason.setText("Kiến nghị được chấp nhận")
    page.supersede()
    assert page.history.count() == 2
    page.select_person("hcc-gd")
    assert not page.decide_button.isEnabled()  # own classification: never


def test_acting_evaluator_dialog(qtbot, leader_services, monkeypatch, no_dialogs):
    from kpi_desktop.ui.leader import evaluation_page

    page = _show(qtbot, MonthlyEvaluationPage(leader_services, user("hcc-gd")))
    monkeypatch.setattr(evaluation_page.ActingDialog, "exec", lambda self: True)
    page.delegate()
    assert not no_dialogs
    assert "acts for you" in page.acting.text()
    assert leader_services.evaluation.delegations("hcc-gd")


def test_audit_log_dialog_shows_who_what_why(qtbot, leader_services):
    from kpi_desktop.ui.leader.unit_page import AuditDialog

    item = leader_services.review.inbox("hcc-gd").items[0]
    leader_services.review.return_entry("hcc-gd", item.entry.id, "Thiếu sản phẩm")
    events = leader_services.evaluation.audit_trail("hcc-gd")
    dialog = AuditDialog(events, None)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 1).text() == "hcc-gd"
    assert dialog.table.item(0, 2).text() == "returned an entry"
    assert dialog.table.item(0, 4).text() == "Thiếu sản phẩm"


def test_every_leader_page_switches_language_live(qtbot, leader_services):
    from kpi_desktop.runtime import i18n

    pages = [_show(qtbot, cls(leader_services, user("hcc-gd"))) for cls in leader_pages()]
    try:
        i18n.set_language("vi")  # installs the translator: LanguageChange reaches every page
        qtbot.wait(10)
        for page in pages:
            _loaded(qtbot, page)
        unit = next(p for p in pages if isinstance(p, UnitViewPage))
        assert unit.model.headerData(2, Qt.Orientation.Horizontal) == "T1"
        assert any(unit.level.itemText(i) == "Hoàn thành tốt nhiệm vụ"
                   for i in range(unit.level.count()))
    finally:
        i18n.set_language("en")
    qtbot.wait(10)
    for page in pages:
        _loaded(qtbot, page)
    assert unit.model.headerData(2, Qt.Orientation.Horizontal) == "Jan"
    assert all(p.title() for p in pages)


def test_unit_view_levels_fit_their_cells_in_vietnamese(qtbot, leader_services):
    """At 1366 px the year's level is the administration's abbreviation (HTXSNV, HTTNV, HTNV,
    KHTNV) with the full name in the tooltip, not a cut "Hoàn thành xuất sắc nhiệ…" (review
    §2.3 #46)."""
    from kpi_desktop.runtime import i18n
    from kpi_desktop.services.messages import level_label

    i18n.set_language("vi")
    try:
        page = _show(qtbot, UnitViewPage(leader_services, user("ct")))
        model = page.table.model()
        column = next(c for c in range(model.columnCount())  # the header may wrap
                      if " ".join(model.headerData(c, Qt.Orientation.Horizontal).split())
                      == "Mức xếp loại")
        shown = {model.index(r, column).data() for r in range(model.rowCount())}
        assert shown & {"HTXSNV", "HTTNV", "HTNV", "KHTNV"}
        assert shown <= {"HTXSNV", "HTTNV", "HTNV", "KHTNV", "Không xếp loại"}
        full = {model.index(r, column).data(Qt.ItemDataRole.ToolTipRole)
                for r in range(model.rowCount())}
        assert level_label(Level.EXCELLENT) in full | {level_label(Level.GOOD)}
        assert all(tip in {level_label(level) for level in (*Level, None)} for tip in full)
        assert "Hoàn thành tốt nhiệm vụ" in full
    finally:
        i18n.set_language("en")
