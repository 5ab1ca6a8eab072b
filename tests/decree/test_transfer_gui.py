"""Screens of transfers and mergers (issue 9 §4): real widgets offscreen on the demo data, in
English and Vietnamese; set KPI_SHOTS=DIR to keep screenshots."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from kpi_desktop.domain.model import Period
from kpi_desktop.runtime import i18n
from kpi_desktop.storage.backup import dump_database

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def services(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices

    app = AppServices.open(app_paths(demo_dir), today=TODAY)
    app.classification = ClassificationService(app.db, today=TODAY)
    yield app
    app.close()


def _user(person_id: str, unit: str):
    from kpi_desktop.ui.pages.base import UserContext

    return UserContext(person_id=person_id, full_name=person_id, role="head", unit_id=unit,
                       is_evaluator=True)


def _shot(widget, name: str) -> None:
    folder = os.environ.get("KPI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}-{i18n.current_language()}.png"))


@pytest.mark.parametrize("language", ["en", "vi"])
def test_transfer_dialog_shows_the_hand_over_of_a_leader(qtbot, services, language):
    from kpi_desktop.ui.leader.transfer_dialog import TransferDialog

    i18n.set_language(language)
    dialog = TransferDialog(services, "ct", "kt-tp", year=2026)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    dialog.from_date.setDate(QDate(2026, 12, 1))
    assert dialog.successor.isVisible() and "Nguyễn Văn Hùng" in dialog.hand_over.text()
    dialog.successor.setCurrentIndex(dialog.successor.findData("kt-pp"))
    assert "Mai Thị Hương" in dialog.hand_over.text()
    _shot(dialog, "transfer-dialog-hand-over")
    dialog.unit.setCurrentIndex(dialog.unit.findData("vhxh"))
    dialog.reason.setText("Luân chuyển")
    with qtbot.waitSignal(dialog.changed):
        assert dialog.submit()
    assert "Mai Thị Hương" in dialog.status.text()
    with services.db.unit_of_work(read_only=True) as uow:
        relations = uow.org.evaluators_of("kt-cv1", dt.date(2026, 12, 1))
    assert [r.evaluator_id for r in relations] == ["kt-pp"]
    # A person who evaluates nobody: no successor to choose.
    dialog.person.setCurrentIndex(dialog.person.findData("kt-cv1"))
    assert not dialog.successor.isVisible()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_transfer_dialog_shows_history_and_transfers(qtbot, services, language, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from kpi_desktop.ui.leader import transfer_dialog
    from kpi_desktop.ui.leader.transfer_dialog import TransferDialog

    i18n.set_language(language)
    dialog = TransferDialog(services, "ct", "kt-cv2", year=2026)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 700)
    dialog.show()
    assert dialog.memberships.rowCount() == 2
    assert dialog.months.rowCount() == 10
    assert dialog.months.item(0, 4).text() == "Phan Văn Quang"
    assert dialog.months.item(9, 4).text() == "Nguyễn Văn Thắng"
    _shot(dialog, "transfer-dialog")

    # A refused transfer (inside an evaluated month) says why and changes nothing.
    dialog.person.setCurrentIndex(dialog.person.findData("kt-cv1"))
    dialog.unit.setCurrentIndex(dialog.unit.findData("vhxh"))
    dialog.from_date.setDate(QDate(2026, 10, 15))
    dialog.reason.setText("Điều động")
    before = dump_database(services.paths.database)
    assert not dialog.submit()
    assert "10/2026" in dialog.status.text()
    assert dump_database(services.paths.database) == before
    _shot(dialog, "transfer-dialog-refused")

    dialog.from_date.setDate(QDate(2026, 11, 1))  # 22 days before today: asked to confirm
    dialog.decision.setText("200/QĐ-UBND")
    asked = []
    monkeypatch.setattr(transfer_dialog.QMessageBox, "question", staticmethod(
        lambda *args: asked.append(args) or QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.changed):
        assert dialog.submit()
    assert len(asked) == 1 and "2026-11-01" in asked[0][2]
    assert dialog.person.currentData() == "kt-cv1"
    assert dialog.memberships.rowCount() == 2


@pytest.mark.parametrize("language", ["en", "vi"])
def test_merge_dialog_merges_into_a_new_unit(qtbot, services, language):
    from kpi_desktop.ui.leader.transfer_dialog import MergeUnitsDialog

    i18n.set_language(language)
    dialog = MergeUnitsDialog(services, "ct")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.check(["kt", "vhxh"])
    assert "13" in dialog.preview.text()
    dialog.new_id.setText("ktxh")
    dialog.new_name.setText("Phòng Kinh tế - Xã hội")
    dialog.decision.setText("15/NQ-HĐND")
    dialog.from_date.setDate(QDate(2026, 12, 1))
    _shot(dialog, "merge-dialog")
    with qtbot.waitSignal(dialog.changed):
        assert dialog.submit()
    assert dialog.into.findData("ktxh") >= 0 and dialog.into.findData("kt") < 0


def test_unit_view_marks_months_from_the_old_unit_and_opens_the_dialogs(qtbot, services):
    from kpi_desktop.ui.leader.unit_page import UnitViewPage, WhyDialog

    i18n.set_language("vi")
    page = UnitViewPage(services, _user("ct", "xa"))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=30000)
    assert page.changes_button is not None
    row = next(r for r in range(page.model.rowCount())
               if page.model.item(r, 0).data(Qt.ItemDataRole.UserRole + 1) == "kt-cv2")
    assert page.model.item(row, 1).text() == "Phòng Văn hóa - Xã hội"
    january, july = page.model.item(row, 2), page.model.item(row, 8)
    assert january.font().italic() and "Phòng Kinh tế" in january.toolTip()
    assert not july.font().italic()
    _shot(page, "unit-view")
    why = WhyDialog(services, "kt-cv2", Period.parse("2026-03"), [Period.parse("2026-03")], page)
    qtbot.addWidget(why)
    assert "Phan Văn Quang" in why.summary.text()
    transfer = page.changes_button.transfer_dialog("kt-cv2")
    qtbot.addWidget(transfer)
    merge = page.changes_button.merge_dialog()
    qtbot.addWidget(merge)
    # A division head does not see the organisation changes.
    other = UnitViewPage(services, _user("kt-tp", "kt"))
    qtbot.addWidget(other)
    assert other.changes_button is None
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.changes_button.text() == "Organisation changes…",
                    timeout=5000)
