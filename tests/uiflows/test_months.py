"""Issue 16 items 7, 8 and 12: score pages open on the last finished month and show the running
month as provisional, without a level; a month is submitted only with every criterion scored,
with warnings in the person's language; the official sees who evaluates them, by name."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kpi_desktop.domain.model import EvaluationStatus, Period
from kpi_desktop.services.daily import EntryDraft

from .conftest import LANGUAGES, TODAY

pytestmark = pytest.mark.gui
RUNNING, FINISHED = Period.containing(TODAY), Period.containing(TODAY).previous()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_score_page_opens_on_the_last_finished_month(services, open_window, language):
    window = open_window(services, "vp-cv1", language)
    page = window.show_page_id("score")
    assert page.period == FINISHED and page.month.currentData() == "2026-10"
    assert not page.provisional.isVisible()
    assert page.values["level"].text() not in ("", "–")  # a finished month has its level
    page.month.setCurrentIndex(page.month.findData(str(RUNNING)))
    progress = services.calendar.progress(RUNNING, TODAY)
    assert (progress.elapsed, progress.total, progress.finished) == (16, 20, False)
    assert page.provisional.isVisible()
    expected = ("Tạm tính — tháng 11 chưa kết thúc (16/20 ngày làm việc)" if language == "vi"
                else "Provisional — month 11 is not over (16/20 working days)")
    assert page.provisional.text().startswith(expected)
    assert page.values["level"].text() == "–"
    assert ("Không hoàn thành" not in page.findChild(type(page.summary)).title())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_official_sees_their_evaluator_by_name(services, open_window, language):
    window = open_window(services, "vp-cv1", language)
    for page_id in ("score", "month"):
        page = window.show_page_id(page_id)
        text = page.evaluator.text()
        assert ("Trần Thị Mai (Chánh Văn phòng HĐND-UBND)" if language == "vi"
                else "Trần Thị Mai (") in text
        assert text.startswith("Người đánh giá:" if language == "vi" else "Evaluator:")
        assert "vp-cvp" not in text


def test_people_lists_each_persons_evaluator(demo_dir):
    from kpi_desktop.app import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(demo_dir), "--lang", "vi", "people"]) == 0
    lines = out.getvalue().splitlines()
    assert "Người đánh giá" in lines[0]
    hoa = next(line for line in lines if line.startswith("vp-cv1 "))
    assert "Phạm Thị Hoa" in hoa and hoa.rstrip().endswith("Trần Thị Mai")
    assert "công chức" in hoa and "Văn phòng HĐND-UBND" in hoa
    english = io.StringIO()
    with redirect_stdout(english):
        assert main(["--data-dir", str(demo_dir), "--lang", "en", "people"]) == 0
    assert "Evaluator" in english.getvalue().splitlines()[0]


def _answer(monkeypatch, accept):
    asked = []

    def run(box):
        asked.append(box)
        buttons = {box.buttonRole(b): b for b in box.buttons()}
        chosen = buttons[QMessageBox.ButtonRole.AcceptRole] if accept \
            else buttons[QMessageBox.ButtonRole.RejectRole]
        chosen.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", run)
    return asked


@pytest.mark.parametrize("language", LANGUAGES)
def test_submission_needs_every_criterion_and_warns_mid_month(qtbot, services, open_window,
                                                             monkeypatch, language):
    services.daily.save("vp-cv1", EntryDraft(work_date=TODAY, item_code="DC.27",
                                             quantity="1"))  # a draft: not confirmed
    window = open_window(services, "vp-cv1", language)
    page = window.show_page_id("month")
    assert page.period == FINISHED
    page.month.setCurrentIndex(page.month.findData(str(RUNNING)))
    assert page.provisional.isVisible()
    assert all(spin.value() < 0 and spin.text() == "–" for spin in page.spins.values())
    asked = _answer(monkeypatch, accept=True)
    page.submit_button.click()  # nothing scored: refused before any question
    assert not asked
    assert services.self_assessment.load("vp-cv1", RUNNING).status is EvaluationStatus.OPEN
    said = page.message.text()
    assert ("Cần chấm điểm đủ mọi tiêu chí" if language == "vi" else "Score every criterion") \
        in said and "1. " in said
    for code, spin in page.spins.items():
        spin.setValue(0 if code != "I.1" else 4)  # a deliberate 0 is a score
    page.submit_button.click()
    [box] = asked
    warnings = box.informativeText()
    if language == "vi":
        assert "Tháng 11/2026 chưa kết thúc: còn 4/20 ngày làm việc" in warnings
        assert "Còn mục chưa được xác nhận (1 mục chưa gửi)" in warnings
        assert "Phạm Thị Hoa" in box.text()
        assert sorted(b.text().replace("&", "") for b in box.buttons()) == \
            ["Gửi kết quả tháng", "Hủy"]
    else:
        assert "11/2026 is not over: 4 of its 20 working days" in warnings
        assert "Not every entry is confirmed (1 not submitted)" in warnings
    # The default answer to a warned submission is Cancel (Enter does not submit).
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    stored = services.self_assessment.load("vp-cv1", RUNNING)
    assert stored.status is EvaluationStatus.SUBMITTED and stored.self_total == 4
    message = page.message.text()
    assert "Phạm Thị Hoa" in message and "Trần Thị Mai" in message
    # Said again in the other language after a switch.
    other = "en" if language == "vi" else "vi"
    window.set_language(other)
    qtbot.waitUntil(lambda: page.message.text() != message)
    again = page.message.text()
    assert "Trần Thị Mai" in again
    assert ("is submitted for" if other == "en" else "Đã nộp kết quả tháng") in again


def test_a_cancelled_submission_changes_nothing(services, open_window, monkeypatch):
    window = open_window(services, "vp-cv1", "vi")
    page = window.show_page_id("month")
    page.month.setCurrentIndex(page.month.findData(str(RUNNING)))
    for spin in page.spins.values():
        spin.setValue(1)
    _answer(monkeypatch, accept=False)
    page.submit_button.click()
    assert services.self_assessment.load("vp-cv1", RUNNING).status is EvaluationStatus.OPEN


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leaders_monthly_evaluation_does_not_judge_the_running_month(services,
                                                                       open_window, language):
    window = open_window(services, "vp-cvp", language)
    page = window.show_page_id("leader.evaluation")
    assert page.current_period() == FINISHED
    page.period.setCurrentIndex(page.period.findData(str(RUNNING)))
    model = page.model
    assert model.rowCount() > 0
    levels = {model.index(row, 6).data() for row in range(model.rowCount())}
    assert levels == {"tạm tính (tháng chưa kết thúc)" if language == "vi" else "provisional"}
    colours = {model.index(row, 6).data(Qt.ItemDataRole.ForegroundRole).color().name()
               for row in range(model.rowCount())}
    assert colours == {"#6b7280"}  # grey, not red
