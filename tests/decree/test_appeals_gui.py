"""The appeal and calendar screens with real widgets (offscreen) on the demo organisation:
the official files and withdraws, the leader sees the countdown and decides, the calendar page
edits the agency's days, the work log shows the "days with no entry" reminder; both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from kpi_desktop.domain.model import AppealOutcome, AppealStatus
from kpi_desktop.runtime import i18n
from kpi_desktop.services.appeals import AppealService
from kpi_desktop.services.calendar import CalendarService
from kpi_desktop.ui.pages.base import UserContext

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)
OFFICIAL = UserContext("vhxh-cv2", "Vũ Thị Hằng", "official", "vhxh", False)
LEADER = UserContext("vhxh-tp", "Nguyễn Văn Thắng", "head", "vhxh", True)
CHAIR = UserContext("ct", "Chủ tịch", "head", "xa", True)


@pytest.fixture
def services(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService

    app = AppServices.open(app_paths(demo_dir))
    app.appeals = AppealService(app.db, today=TODAY)
    app.calendar = CalendarService(app.db, today=TODAY)
    app.daily = DailyWorkService(app.db, app.paths.attachments_dir, today=lambda: TODAY)
    yield app
    app.close()


@pytest.fixture
def answer_yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    return warnings


def _show(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    return page


def test_official_files_and_withdraws_an_appeal(qtbot, services, answer_yes):
    from kpi_desktop.ui.pages.appeals_page import AppealsPage

    page = _show(qtbot, AppealsPage(services, OFFICIAL))
    assert page.title() == "Appeals"
    index = page.period.findData("2026-10")
    assert index >= 0
    page.period.setCurrentIndex(index)
    page.file_appeal()  # no reason yet: refused with the translated sentence
    assert answer_yes and "needs a reason" in answer_yes[-1]
    assert page.table.rowCount() == 0
    page.reason.setPlainText("Tiêu chí I.2 bị chấm thấp")
    page.file_appeal()
    assert page.table.rowCount() == 1
    assert "7 working days left" in page.table.item(0, 2).text()
    assert page.withdraw_button.isEnabled()
    assert "Nguyễn Văn Thắng" in page.d_decider.text()
    page.withdraw_selected()
    appeal = services.appeals.for_person("vhxh-cv2")[0].appeal
    assert appeal.status is AppealStatus.WITHDRAWN
    assert not page.withdraw_button.isEnabled()


def test_leader_sees_the_countdown_and_decides_a_change(qtbot, services, monkeypatch):
    from kpi_desktop.ui.common import OVERDUE_BACKGROUND
    from kpi_desktop.ui.leader import appeals_page
    from kpi_desktop.ui.leader.appeals_page import LeaderAppealsPage

    late = AppealService(services.db, today=dt.date(2026, 11, 9)).file(
        "vhxh-cv1", "2026-09", "Chưa tính nhiệm vụ tiếp nhận thêm")
    fresh = services.appeals.file("vhxh-cv2", "2026-10", "Tiêu chí I.2 bị chấm thấp")
    page = _show(qtbot, LeaderAppealsPage(services, LEADER))
    assert page.table.rowCount() == 2
    assert page.table.item(0, 5).data(appeals_page.ID_ROLE) == late.id  # overdue first
    assert page.table.item(0, 4).text() == "overdue by 3 working days"
    assert page.table.item(0, 0).background().color() == OVERDUE_BACKGROUND
    assert "1 past the 7-working-day deadline" in page.summary.text()

    page.table.selectRow(1)
    assert page.decide_button.isEnabled()

    def accept(dialog):
        dialog.changed.setChecked(True)
        spin = dialog.spins["I.2"]
        spin.setValue(min(spin.maximum(), spin.value() + 1))
        dialog.decision.setPlainText("Chấp nhận kiến nghị: cộng 1 điểm tiêu chí I.2.")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(appeals_page.DecideDialog, "exec", accept)
    page.decide_selected()
    decided = services.appeals.get(fresh.id)
    assert decided.appeal.outcome is AppealOutcome.CHANGED
    history = services.appeals.result_history("vhxh-cv2", "2026-10")
    assert len(history.replaced) == 1
    page.show_decided.setChecked(True)
    rows = [page.table.item(r, 0).data(appeals_page.ID_ROLE) for r in range(
        page.table.rowCount())]
    page.table.selectRow(rows.index(fresh.id))
    assert "replaced" in page.d_history.text() and "Now:" in page.d_history.text()
    assert not page.decide_button.isEnabled()


def test_year_decision_dialog_offers_levels(qtbot, services):
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.ui.leader.appeals_page import DecideDialog

    classification = ClassificationService(services.db, today=TODAY)
    row = classification.overview("vhxh-tp", "vhxh", 2026).row("vhxh-cv2")
    classification.decide("vhxh-tp", "vhxh-cv2", 2026, row.computed_level,
                          minutes_ref="BB-01", decision_no="QĐ-01", decision_date=TODAY)
    appeal = services.appeals.file("vhxh-cv2", "2026", "Xin xem lại")
    view = services.appeals.get(appeal.id, viewer_id="vhxh-tp")
    dialog = DecideDialog(view, services.appeals.decision_context(appeal.id), TODAY)
    qtbot.addWidget(dialog)
    assert dialog.level.count() == 4
    assert dialog.level.currentData() == row.computed_level.value
    dialog.changed.setChecked(True)
    dialog.decision_no.setText("QĐ-02")
    dialog.decision.setPlainText("Giữ nguyên")
    values = dialog.values()
    assert values["outcome"] == "changed" and values["decision_no"] == "QĐ-02"


def test_calendar_page_edits_the_agency_days(qtbot, services, answer_yes):
    from kpi_desktop.ui.pages.calendar_page import CalendarPage

    page = _show(qtbot, CalendarPage(services, CHAIR))
    names = [page.table.item(r, 2).text() for r in range(page.table.rowCount())]
    assert "Lunar New Year" in names and "Vietnam Cultural Day" in names
    assert page.edit_box.isVisibleTo(page)
    page.date.setDate(page.date.date().addDays(10))  # Thu 3/12/2026
    page.kind.setCurrentIndex(page.kind.findData("day_off"))
    page.name.setText("Nghỉ đột xuất")
    page.add_day()
    assert "Nghỉ đột xuất" in [page.table.item(r, 2).text() for r in range(
        page.table.rowCount())]
    row = [page.table.item(r, 2).text() for r in range(page.table.rowCount())].index(
        "Nghỉ đột xuất")
    page.table.selectRow(row)
    assert page.remove_button.isEnabled()
    page.remove_selected()
    assert "Nghỉ đột xuất" not in [page.table.item(r, 2).text() for r in range(
        page.table.rowCount())]
    official = _show(qtbot, CalendarPage(services, OFFICIAL))
    assert not official.edit_box.isVisibleTo(official)


def test_work_log_reminds_of_days_with_no_entry(qtbot, services):
    from kpi_desktop.ui.pages.worklog_page import WorkLogPage

    page = _show(qtbot, WorkLogPage(services, OFFICIAL))
    missing = services.calendar.missing_this_month("vhxh-cv2")
    assert missing  # the demo official skipped some days
    assert page.missing.isVisibleTo(page)
    assert f"{len(missing)} working days of this month have no entry" in page.missing.text()
    assert missing[-1].isoformat() in page.missing.text()
    page.missing.linkActivated.emit(missing[-1].isoformat())
    assert page.day == missing[-1]


def test_screens_in_vietnamese(qtbot, services):
    from kpi_desktop.ui.leader.appeals_page import LeaderAppealsPage
    from kpi_desktop.ui.pages.appeals_page import AppealsPage
    from kpi_desktop.ui.pages.calendar_page import CalendarPage

    i18n.set_language("vi")
    try:
        services.appeals.file("vhxh-cv2", "2026-10", "Xin xem lại")
        official = _show(qtbot, AppealsPage(services, OFFICIAL))
        leader = _show(qtbot, LeaderAppealsPage(services, LEADER))
        calendar = _show(qtbot, CalendarPage(services, CHAIR))
        assert official.title() == "Kiến nghị"
        assert leader.title() == "Giải quyết kiến nghị"
        assert calendar.title() == "Lịch làm việc"
        assert "còn 7 ngày làm việc" in leader.table.item(0, 4).text()
        assert "Tết Nguyên Đán" in [calendar.table.item(r, 2).text()
                                    for r in range(calendar.table.rowCount())]
    finally:
        i18n.set_language("en")


def test_pages_are_in_the_navigation():
    from kpi_desktop.ui.leader.appeals_page import LeaderAppealsPage
    from kpi_desktop.ui.pages.appeals_page import AppealsPage
    from kpi_desktop.ui.pages.calendar_page import CalendarPage
    from kpi_desktop.ui.pages.registry import pages_for

    assert AppealsPage in pages_for(OFFICIAL)
    assert LeaderAppealsPage not in pages_for(OFFICIAL)
    assert {LeaderAppealsPage, CalendarPage} <= set(pages_for(LEADER))


def _shot(widget, name: str) -> None:
    import os
    from pathlib import Path

    folder = os.environ.get("KPI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}-{i18n.current_language()}.png"))


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_result_changed_by_an_appeal_shows_its_history(qtbot, services, language):
    """Điều 21.3: My score and the leader's monthly evaluation say the month was changed
    after an appeal, with the date and the result it replaced."""
    from kpi_desktop.domain.model import Period
    from kpi_desktop.ui.leader.evaluation_page import MonthlyEvaluationPage
    from kpi_desktop.ui.pages.score_page import ScorePage

    i18n.set_language(language)
    try:
        with services.db.unit_of_work(read_only=True) as uow:
            before = uow.evaluations.get_monthly("vhxh-cv2", "2026-10")
        criteria = dict(before.confirmed_criteria)
        criteria["I.2"] = min(criteria["I.2"] + 1, 5)
        appeal = services.appeals.file("vhxh-cv2", "2026-10", "Tiêu chí I.2 bị chấm thấp")
        services.appeals.decide("vhxh-tp", appeal.id, "changed", "Cộng 1 điểm tiêu chí I.2.",
                                criteria=criteria)
        was = services.appeals.result_history("vhxh-cv2", "2026-10").replaced[0]

        score = ScorePage(services, OFFICIAL)
        _show(qtbot, score)
        score.show_period(Period.parse("2026-10"))
        text = score.appeal_note.text()
        assert score.appeal_note.isVisible()
        assert formatting_date(was.replaced_at.date()) in text
        assert formatting_number(was.total) in text
        _shot(score, "score-page-appeal")
        score.show_period(Period.parse("2026-09"))
        assert not score.appeal_note.isVisible()

        page = MonthlyEvaluationPage(services, LEADER)
        _show(qtbot, page)
        page.period.setCurrentIndex(page.period.findData("2026-10"))
        page.select_person("vhxh-cv2")
        assert page.appeal_line.isVisible()
        assert formatting_number(was.total) in page.appeal_line.text()
        _shot(page, "evaluation-page-appeal")
        page.select_person("vhxh-cv1")
        assert not page.appeal_line.isVisible()
    finally:
        i18n.set_language("en")


def formatting_date(value) -> str:
    from kpi_desktop.ui import formatting

    return formatting.date(value)


def formatting_number(value) -> str:
    from kpi_desktop.ui import formatting

    return formatting.number(value)
