"""The official's desk driven as a person would (pytest-qt, offscreen), asserting on state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QMessageBox, QScrollArea

from kpi_desktop.domain.model import EntryStatus, EvaluationStatus, Period
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.daily import EntryDraft
from kpi_desktop.ui.desktop_window import DesktopWindow

from .conftest import OFFICIAL, TODAY
from .test_daily_service import confirm_entry, return_entry

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, services, demo_dir):
    win = DesktopWindow(services, settings=Settings(), settings_path=demo_dir / "settings.json",
                        person_id=OFFICIAL)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _choose_item(qtbot, editor, query):
    editor.picker.query.setFocus()
    qtbot.keyClicks(editor.picker.query, query)
    editor.picker.search()
    assert editor.picker.model.rowCount() > 0
    qtbot.keyClick(editor.picker.query, Qt.Key.Key_Return)
    return editor.picker.item


def test_navigation_has_the_official_pages_and_shortcuts(window, qtbot):
    ids = [p.page_id for p in window.pages]
    assert ids[:4] == ["today", "assignments", "score", "month"] and ids[-1] == "settings"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == "score"
    window.go_menu.actions()[0].trigger()
    assert window.current_page().page_id == "today"


def test_log_a_day_submit_and_see_the_score_change(window, qtbot, services):
    page = window.show_page_id("today")
    editor = page.editor
    before = services.scores.person_period(OFFICIAL, Period.containing(TODAY)).score
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    item = _choose_item(qtbot, editor, "dc.27")
    assert item.code == "DC.27"
    editor.quantity.setText("2")
    editor.doc_number.setText("501/TB-UBND")
    page.actions_by_name["save"].trigger()
    assert editor.entry_id is not None
    entry = services.daily.entry(editor.entry_id).entry
    assert entry.status is EntryStatus.DRAFT and entry.quantity == 2
    assert [v.entry.id for v in page.model.rows] == [entry.id]
    qtbot.keyClick(editor.quantity, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert services.daily.entry(entry.id).entry.status is EntryStatus.SUBMITTED
    assert not editor.save_button.isEnabled()
    confirm_entry(services, entry.id)
    score_page = window.show_page_id("score")
    assert score_page.period == Period.containing(TODAY).previous()  # the last finished month
    score_page.month.setCurrentIndex(score_page.month.findData(str(Period.containing(TODAY))))
    after = score_page.result.score
    assert after.a > before.a  # confirmed ad hoc work adds to the completed units
    codes = [line.code for line in score_page.why_model._lines]
    assert "DC.27" in codes
    statuses = {v.entry.id: v.status for v in score_page.entries_model.views}
    assert statuses[entry.id] is EntryStatus.CONFIRMED


def test_draft_saves_itself(window, qtbot, services):
    page = window.show_page_id("today")
    editor = page.editor
    editor.autosave.setInterval(50)
    _choose_item(qtbot, editor, "dc.02")
    qtbot.keyClicks(editor.description, "Tra loi cong van")
    qtbot.waitUntil(lambda: editor.entry_id is not None, timeout=3000)
    assert services.daily.entry(editor.entry_id).entry.output_description == "Tra loi cong van"


def test_invalid_values_are_explained_and_nothing_is_saved(window, qtbot, services):
    page = window.show_page_id("today")
    editor = page.editor
    _choose_item(qtbot, editor, "dc.02")
    editor.quantity.setText("0")
    assert not editor.save()
    assert editor.entry_id is None and editor.message.text()
    editor.quantity.setText("1")
    editor.completed.setDate(editor.work_date.date().addDays(-1))
    assert not editor.save()
    editor.completed.setDate(editor.work_date.date())
    editor.work_date.setDate(editor.work_date.date().addDays(3))
    assert not editor.save()
    assert services.daily.day(OFFICIAL, TODAY).entries == ()


def test_returned_entry_is_revised_with_a_reason(window, qtbot, services):
    entry = services.daily.save(OFFICIAL, EntryDraft(work_date=TODAY, item_code="DC.02",
                                                     quantity="1", completed_on=TODAY))
    services.daily.submit(OFFICIAL, entry.id)
    return_entry(services, entry.id, "Thiếu số văn bản")
    page = window.show_page_id("today")
    page.refresh()
    assert page.select_entry(entry.id)
    editor = page.editor
    assert editor.reason.isVisibleTo(page) and editor.submit_button.isEnabled()
    editor.doc_number.setText("77/UBND")
    assert not editor.submit()  # a resubmission needs a reason
    assert services.daily.entry(entry.id).status is EntryStatus.RETURNED
    editor.reason.setText("Bổ sung số văn bản")
    assert editor.submit()
    stored = services.daily.entry(entry.id).entry
    assert stored.status is EntryStatus.SUBMITTED and stored.current_revision == 2
    assert stored.output_doc_number == "77/UBND"


def test_next_and_previous_day_and_week_view(window, qtbot):
    page = window.show_page_id("today")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert page.day == TODAY - dt.timedelta(days=1)
    page.actions_by_name["next_day"].trigger()
    assert page.day == TODAY
    page.set_day(dt.date(2026, 11, 18))
    page.week_button.click()
    assert page.week_mode and not page.table.isColumnHidden(0)
    dates = {v.entry.work_date for v in page.model.rows}
    assert dates and all(dt.date(2026, 11, 16) <= d <= dt.date(2026, 11, 22) for d in dates)
    assert len(dates) > 1 or page.model.rowCount() > 0


def test_over_eight_hours_warns_without_blocking(window, services):
    page = window.show_page_id("today")
    services.daily.save(OFFICIAL, EntryDraft(work_date=TODAY, item_code="DC.02",
                                             quantity="4", completed_on=TODAY))
    page.refresh()
    assert page.warning.isVisibleTo(page) and page.warning.text()


def test_catalog_search_ignores_diacritics_and_limits_to_the_position(window, qtbot):
    editor = window.show_page_id("today").editor
    qtbot.keyClicks(editor.picker.query, "soan thao")
    editor.picker.search()
    found = editor.picker.model.choices
    assert found and all(c.allowed for c in found)
    editor.picker.all_items.setChecked(True)
    assert len(editor.picker.model.choices) >= len(found)
    qtbot.keyClick(editor.picker.query, Qt.Key.Key_Down)
    assert editor.picker.list.hasFocus() or editor.picker.list.currentIndex().isValid()


def test_assignment_opens_the_log_with_it(window, qtbot):
    page = window.show_page_id("assignments")
    assert page.model.rowCount() > 0
    page.table.selectRow(0)
    page.log_button.click()
    today = window.current_page()
    assert today.page_id == "today"
    assert today.editor.assignment.currentData() == page.model.rows[0].assignment.id
    assert today.editor.picker.item.id == page.model.rows[0].item.id


def test_month_submission(window, qtbot, services, monkeypatch):
    page = window.show_page_id("month")
    page.month.setCurrentIndex(page.month.findData(str(Period.containing(TODAY))))
    for _code, spin in page.spins.items():
        spin.setValue(spin.maximum() - 0.5)
    assert page.spins["I.1"].maximum() == 5
    page.save_button.click()
    stored = services.self_assessment.load(OFFICIAL, Period.containing(TODAY))
    assert stored.self_total == Decimal(25) and stored.status is EvaluationStatus.OPEN
    asked = []

    def submit(box):
        asked.append(box.text())
        next(b for b in box.buttons()
             if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", submit)
    page.submit_button.click()
    assert asked
    stored = services.self_assessment.load(OFFICIAL, Period.containing(TODAY))
    assert stored.status is EvaluationStatus.SUBMITTED
    assert not page.submit_button.isEnabled() and not page.spins["I.1"].isEnabled()
    score = window.show_page_id("score")
    score.show_period(Period.containing(TODAY))
    assert score.result.general_source == "self" and score.result.general_points == 25


def test_language_switches_live_everywhere_and_is_remembered(window, qtbot, demo_dir):
    score = window.show_page_id("score")
    header = score.why_model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Code"
    settings = window.show_page_id("settings")
    settings.language.setCurrentIndex(settings.language.findData("vi"))
    assert i18n.current_language() == "vi"
    qtbot.waitUntil(lambda: window.page("today").date_edit.displayFormat() == "dd/MM/yyyy")
    assert score.why_model.headerData(0, Qt.Orientation.Horizontal) == "Mã"
    window.show_page_id("score")
    assert "," in score.values["total"].text()  # Vietnamese decimal comma, re-rendered
    assert Settings.load(demo_dir / "settings.json").language == "vi"
    window.language_actions["en"].trigger()
    assert i18n.current_language() == "en"
    qtbot.waitUntil(lambda: window.page("today").date_edit.displayFormat() == "d MMM yyyy")
    assert score.why_model.headerData(0, Qt.Orientation.Horizontal) == "Code"
    window.show_page_id("score")
    assert "." in score.values["total"].text()
    assert Settings.load(demo_dir / "settings.json").language == "en"


def test_why_view_explains_each_line(window):
    page = window.show_page_id("score")
    page.month.setCurrentIndex(page.month.findData("2026-09"))
    expected = window.services.scores.person_period(OFFICIAL, "2026-09")
    assert page.result.score.total == expected.score.total
    assert page.why_model.rowCount() == len(expected.lines)
    assert page.entries_model.rowCount() > 0
    assert [p[1] for p in page.chart.points][:9] == [
        window.services.scores.person_period(OFFICIAL, f"2026-{m:02d}").score.total
        for m in range(1, 10)]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_page_clips_or_scrolls_sideways_at_1366x768(window, qtbot, language,
                                                       preview_translations, monkeypatch):
    monkeypatch.setattr(i18n, "translations_root", lambda: preview_translations)
    window.set_language(language)
    qtbot.wait(50)
    window.resize(1366, 768)
    for index, page in enumerate(window.pages):
        window.show_page(index)
        if page.page_id == "today":
            page.set_day(dt.date(2026, 11, 18))
            page.set_week_mode(True)
        qtbot.wait(10)
        assert window.width() <= 1366 and window.height() <= 768
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, page.page_id
        for label in page.findChildren(QLabel):
            if label.isVisibleTo(page) and label.text():
                needed = (label.heightForWidth(label.width()) if label.wordWrap()
                          else label.sizeHint().height())
                assert label.height() >= needed - 1, (page.page_id, label.text())
        for area in page.findChildren(QAbstractScrollArea):
            if area.isVisibleTo(page):
                bar = area.horizontalScrollBar()
                assert not bar.isVisible() or bar.maximum() == 0, (page.page_id, area)
                if isinstance(area, QScrollArea) and area.widget() is not None:
                    inner = area.widget()
                    assert inner.width() <= area.viewport().width(), page.page_id
                    assert inner.minimumSizeHint().width() <= area.viewport().width(), \
                        page.page_id
    window.set_language("en")


def test_the_why_model_is_a_well_behaved_toolkit_model(window, qtmodeltester):
    """The "why" table is on the table toolkit: qtmodeltester-clean with the month's real lines,
    and each line's tooltip explains its deductions."""
    page = window.show_page_id("score")
    page.month.setCurrentIndex(page.month.findData("2026-09"))
    model = page.why_model
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    from PySide6.QtCore import Qt

    explained = [model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
                 for row in range(model.rowCount())]
    lines = model.rows
    assert all(bool(tip) == bool(model._explain(line)) for tip, line in zip(explained, lines,
                                                                            strict=True))
