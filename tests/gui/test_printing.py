"""Issue 16 item 11: printing without expert steps, in Vietnamese and English at 1366×768.

Ctrl+P opens on the person and period on screen (not the signed-in leader); the period is
picked from a list written as the application writes it ("10/2026"); the file is suggested in
Documents with a name that says what it is; afterwards "Open file" and "Print…" work.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from kpi_desktop.domain.model import Period, PeriodKind
from kpi_desktop.domain.values import file_name_words
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui import printing
from kpi_desktop.ui.common import PeriodPicker, period_text
from kpi_desktop.ui.desktop_window import DesktopWindow
from kpi_desktop.ui.reports_dialog import ReportsDialog

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def world(demo_master, tmp_path_factory):
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService
    from kpi_desktop.services.evaluation import EvaluationService
    from kpi_desktop.services.review import ReviewService

    folder = tmp_path_factory.mktemp("printing") / "demo"
    shutil.copytree(demo_master, folder)
    paths = app_paths(folder)
    services = AppServices.open(paths)
    services.daily = DailyWorkService(services.db, paths.attachments_dir, today=lambda: TODAY)
    services.review = ReviewService(services.db, today=TODAY)
    services.evaluation = EvaluationService(services.db, today=TODAY)
    services.classification = ClassificationService(services.db, today=TODAY)
    yield services
    services.close()


@pytest.fixture
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(printing, "documents_folder", lambda: folder)
    return folder


def _window(qtbot, services, person_id: str) -> DesktopWindow:
    window = DesktopWindow(services, settings=Settings(), person_id=person_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _ctrl_p(qtbot, window: DesktopWindow) -> ReportsDialog:
    window.activateWindow()
    if not window.isActiveWindow():  # the offscreen platform activates nothing by itself
        window.windowHandle().requestActivate()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialogs = [d for d in window.findChildren(ReportsDialog) if d.isVisible()]
    assert len(dialogs) == 1, "Ctrl+P opens the print dialog"
    qtbot.addWidget(dialogs[0])
    return dialogs[0]


def _name(services, person_id: str) -> str:
    return services.daily.person(person_id).full_name


def test_file_names_are_ascii_and_say_what_they_are():
    assert file_name_words("Phạm Thị Hoa") == "PhamThiHoa"
    assert file_name_words("Đặng Thị Lan") == "DangThiLan"
    assert printing.suggested_name("form01", "Phạm Thị Hoa", Period.month(2026, 11)) \
        == "Mau01_PhamThiHoa_2026-11.pdf"
    assert printing.suggested_name("form02", "Trần Văn Đức", Period.whole_year(2026)) \
        == "Mau02_TranVanDuc_2026.pdf"
    assert printing.suggested_name("form01", "Phạm Thị Hoa", Period.quarter(2026, 4)) \
        == "Mau01_PhamThiHoa_2026-Q4.pdf"
    assert printing.documents_folder().is_dir()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_period_picker_shows_periods_as_people_write_them(qtbot, language):
    i18n.set_language(language)
    picker = PeriodPicker(TODAY, (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF))
    qtbot.addWidget(picker)
    picker.set_period(Period.month(2026, 10))
    assert picker.period() == Period.month(2026, 10)
    shown = picker.combo.currentText()
    assert shown == ("10/2026" if language == "vi" else "Oct 2026")
    assert "2026-10" not in [picker.combo.itemText(i) for i in range(picker.combo.count())]
    assert not picker.combo.isEditable()
    # A quarter and a half year, chosen from the kind list: the one around the month.
    picker.kind.setCurrentIndex(picker.kind.findData("quarter"))
    assert picker.period() == Period.quarter(2026, 4)
    picker.set_period(Period.quarter(2026, 3))
    assert picker.combo.currentText() == ("Quý 3/2026" if language == "vi"
                                          else "Quarter 3/2026")
    picker.kind.setCurrentIndex(picker.kind.findData("half"))
    assert picker.period() == Period(PeriodKind.HALF, 2026, 2)
    assert picker.combo.currentText() == period_text(Period(PeriodKind.HALF, 2026, 2))
    assert picker.combo.currentText() == ("6 tháng cuối năm 2026" if language == "vi"
                                          else "Second half of 2026")
    picker.combo.setCurrentIndex(picker.combo.findData("2026-H1"))
    assert picker.combo.currentText() == ("6 tháng đầu năm 2026" if language == "vi"
                                          else "First half of 2026")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_ctrl_p_prints_the_person_and_month_on_screen(qtbot, world, documents, monkeypatch,
                                                      language):
    i18n.set_language(language)
    window = _window(qtbot, world, "hcc-gd")
    page = window.show_page_id("leader.evaluation")
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=30000)
    page.period.setCurrentIndex(page.period.findData("2026-10"))
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=30000)
    shown = page.table.keys()
    person = next(k for k in shown if k != "hcc-gd")
    page.select_person(person)

    dialog = _ctrl_p(qtbot, window)
    assert dialog.width() <= 1366 and dialog.height() <= 768
    assert dialog.current_kind() == "form01"
    assert dialog.subject.currentData() == person, "the person on screen, not the leader"
    assert dialog.current_period() == Period.month(2026, 10)
    assert dialog.period.combo.currentText() == ("10/2026" if language == "vi" else "Oct 2026")
    expected = documents / f"Mau01_{file_name_words(_name(world, person))}_2026-10.pdf"
    assert Path(dialog.output.text()) == expected

    # Another month from the list renames the suggestion; a quarter too.
    dialog.period.combo.setCurrentIndex(dialog.period.combo.findData("2026-09"))
    assert Path(dialog.output.text()).name.endswith("_2026-09.pdf")
    dialog.period.combo.setCurrentIndex(dialog.period.combo.findData("2026-10"))

    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.written() is not None, timeout=30000)
    assert expected.exists() and expected.read_bytes().startswith(b"%PDF")
    assert dialog.open_button.isVisible() and dialog.print_button.isVisible()
    assert dialog.open_button.text() == ("Mở tệp" if language == "vi" else "Open file")
    assert dialog.print_button.text() == ("In…" if language == "vi" else "Print…")

    opened: list[Path] = []
    monkeypatch.setattr(printing, "open_file", lambda path: opened.append(path) or True)
    dialog.open_button.click()
    assert opened == [expected]

    spooled: list[tuple[Path, int]] = []
    monkeypatch.setattr(printing, "system_spool",
                        lambda path, _printer, copies: spooled.append((path, copies)))
    monkeypatch.setattr(printing.QPrintDialog, "exec",
                        lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(printing.QPrinter, "outputFileName", lambda self: "")
    dialog.print_button.click()
    assert spooled == [(expected, 1)]
    assert expected.name in dialog.status.text()
    dialog.close()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_ctrl_p_on_the_official_pages_and_the_classification(qtbot, world, documents,
                                                             language):
    i18n.set_language(language)
    window = _window(qtbot, world, "hcc-gd")
    page = window.show_page_id("leader.classification")
    qtbot.waitUntil(lambda: not getattr(page, "is_loading", lambda: False)(), timeout=30000)
    shown = page.table.keys()
    person = next(k for k in shown if k != "hcc-gd")
    page.select_person(person)
    dialog = _ctrl_p(qtbot, window)
    assert dialog.current_kind() == "form02" and dialog.subject.currentData() == person
    assert dialog.current_period() == Period.whole_year(page.year.value())
    assert Path(dialog.output.text()).name == \
        f"Mau02_{file_name_words(_name(world, person))}_{page.year.value()}.pdf"
    dialog.close()

    # The official's score page: the signed-in person and the month shown there.
    score = window.show_page_id("score")
    score.show_period(Period.month(2026, 9))
    dialog = _ctrl_p(qtbot, window)
    assert dialog.subject.currentData() == "hcc-gd"
    assert dialog.current_period() == Period.month(2026, 9)
    dialog.close()


def test_a_printer_that_prints_to_a_file_gets_the_pdf(qtbot, tmp_path, monkeypatch):
    source = tmp_path / "Mau01_X_2026-10.pdf"
    source.write_bytes(b"%PDF-1.4 test")
    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(printing.QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(printing.QPrinter, "outputFileName", lambda self: str(target))
    message = printing.print_file(None, source, spool=lambda *a: pytest.fail("no spooler"))
    assert target.read_bytes() == source.read_bytes() and str(target) in message
    monkeypatch.setattr(printing.QPrinter, "outputFileName", lambda self: "")

    def refuse(*_args):
        raise OSError("lp: no default destination")

    message = printing.print_file(None, source, spool=refuse)
    assert "no default destination" in message
    monkeypatch.setattr(printing.QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert printing.print_file(None, source, spool=refuse) is None
    assert QApplication.instance() is not None
