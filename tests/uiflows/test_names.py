"""Issue 16 item 12: names and titles where internal ids were ("gửi vp-cvp", unit "vp")."""

from __future__ import annotations

import pytest

from .conftest import LANGUAGES

pytestmark = pytest.mark.gui

IDS = ("vp-cvp", "vp-cv1", "hcc-gd")


def _cells(model, column):
    return [str(model.index(row, column).data() or "") for row in range(model.rowCount())]


@pytest.mark.parametrize("language", LANGUAGES)
def test_leader_pages_show_unit_names_not_ids(qtbot, services, open_window, language):
    window = open_window(services, "ct", language)  # the chairman sees every unit
    unit = window.show_page_id("leader.unit")
    qtbot.waitUntil(lambda: unit.model.rowCount() > 0, timeout=30000)
    units = set(_cells(unit.model, 1))
    assert any("Văn phòng HĐND-UBND" in u or "Office" in u for u in units), units
    assert not units & {"vp", "kt", "hcc", "vhxh", "xa"}
    classification = window.show_page_id("leader.classification")
    model = classification.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=30000)
    shown = {model.index(row, 1).data() for row in range(model.rowCount())}
    assert not shown & {"vp", "kt", "hcc", "vhxh", "xa"}


def test_the_sync_page_names_people_and_kinds(qtbot, services, open_window, tmp_path):
    services.keys.unlock("vp-cv1", "demo")
    window = open_window(services, "vp-cv1", "vi")
    page = window.show_page_id("sync")
    usb = tmp_path / "usb"
    usb.mkdir()
    page.export_to(usb)
    qtbot.waitUntil(lambda: not page.progress.isVisible() and page.result.text()
                    and "…" not in page.result.text(), timeout=30000)
    said = page.result.text()
    assert "Trần Thị Mai" in said and not any(f" {i}." in said for i in IDS)
    model = page.history_model
    cells = [model.index(row, column).data() for row in range(model.rowCount())
             for column in (2, 3)]
    text = " ".join(cells)
    assert "Phạm Thị Hoa → Trần Thị Mai" in text
    assert "nhật ký công việc" in text and "work" not in text.split()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_work_log_shows_whole_item_names_at_1366(qtbot, services, open_window, language):
    """The day's entries at 1366×768: an item's name and the entry's state wrap onto more
    lines instead of being cut ("Tin, bài tuyên …")."""
    from PySide6.QtCore import QRect, Qt

    window = open_window(services, "kt-cv3", language)  # four entries today, one long state
    page = window.show_page_id("today")
    qtbot.wait(50)
    table, model = page.table, page.model
    assert model.rowCount() >= 3
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        for column in (2, 7):
            text = model.index(row, column).data()
            room = QRect(0, 0, table.columnWidth(column) - 8, 10_000)
            needed = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), text).height()
            assert needed <= table.rowHeight(row), (row, column, text)
            longest = max(metrics.horizontalAdvance(word) for word in text.split())
            assert longest <= table.columnWidth(column) - 8, (text, table.columnWidth(column))
    assert table.horizontalScrollBar().maximum() == 0
