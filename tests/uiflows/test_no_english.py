"""Issue 16 item 6: no English word in the Vietnamese interface — every page of each role, and
the dialogs the application opens (its own and Qt's: message boxes, file choosers, the wizard,
the reports dialog, help), walked in Vietnamese at 1366×768 and checked against a list of
English words (tests/gui/qt_words.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox

from kpi_desktop.runtime import i18n
from kpi_desktop.ui.pages.base import AGENCY_ID
from tests.gui.qt_words import english_in, english_words

pytestmark = pytest.mark.gui


class DialogWatcher:
    """Looks at every dialog that appears (modal or not), notes the English it shows, and
    closes the modal ones so the code that opened them goes on."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []  # (dialog class, window title)
        self.problems: list[tuple[str, str, str, list[str]]] = []
        self._looked: set[int] = set()
        self._ticks: dict[int, int] = {}
        self.timer = QTimer()
        self.timer.setInterval(60)
        self.timer.timeout.connect(self.look)
        self.timer.start()

    def look(self) -> None:
        modal = QApplication.activeModalWidget()
        candidates = [w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QDialog | QMenu) and w.isVisible()]
        if modal is not None and modal not in candidates:
            candidates.append(modal)
        # A closed dialog's address may be reused by the next one: forget what is gone.
        alive = {shiboken6.getCppPointer(d)[0] for d in candidates}
        self._looked &= alive
        self._ticks = {k: v for k, v in self._ticks.items() if k in alive}
        for dialog in candidates:
            # A dialog Qt made itself (a static chooser) may get a new wrapper each time:
            # keep track of the C++ object.
            key = shiboken6.getCppPointer(dialog)[0]
            if key in self._looked:
                continue
            self._ticks[key] = self._ticks.get(key, 0) + 1
            if self._ticks[key] < 3:  # let it lay out and fill first
                continue
            self._looked.add(key)
            name = type(dialog).__name__
            self.seen.append((name, dialog.windowTitle()))
            self.problems += [(name, *found) for found in english_in(dialog)]
            if isinstance(dialog, QMessageBox):
                self.problems += [(name, "informative", dialog.informativeText(), words)
                                  for words in [english_words(dialog.informativeText())]
                                  if words]
            if dialog is modal or dialog.isModal():
                dialog.reject() if isinstance(dialog, QDialog) else dialog.close()

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def watcher(qapp):
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    found = DialogWatcher()
    yield found
    found.stop()


def _page_problems(window) -> list:
    problems = []
    for index, page in enumerate(window.pages):
        window.show_page(index)
        QApplication.processEvents()
        problems += [(page.page_id, *found) for found in english_in(window)]
    return problems


@pytest.mark.parametrize("person", ["vp-cv1", "vp-cvp", "ct", AGENCY_ID])
def test_every_page_of_every_role_is_vietnamese(qtbot, services, open_window, person):
    if person == AGENCY_ID:
        services.sync.is_agency = lambda: True  # the demo PC holds the agency key
    window = open_window(services, person, "vi")
    problems = _page_problems(window)
    for action in window.menuBar().actions():
        problems += [("menu", action.text(), w) for w in [english_words(action.text())] if w]
        for sub in action.menu().actions() if action.menu() else []:
            if sub.data() not in i18n.LANGUAGES:  # "English" names itself in English
                problems += [("menu", sub.text(), w) for w in [english_words(sub.text())] if w]
    assert problems == []


def test_the_dialogs_of_the_everyday_loop_are_vietnamese(qtbot, services, open_window,
                                                         watcher, tmp_path, monkeypatch):
    window = open_window(services, "vp-cv1", "vi")
    steps = []

    def step(name, action):
        steps.append(name)
        action()
        qtbot.wait(250)
        watcher.look()
        watcher.look()
        watcher.look()

    today = window.show_page_id("today")
    step("attach evidence", today.editor._choose_file)
    step("propose a product", lambda: today.editor.propose("Cấp bản sao điện tử"))
    for dialog in [w for w in QApplication.topLevelWidgets()
                   if type(w).__name__ == "ProposalDialog"]:
        dialog.reject()
    month = window.show_page_id("month")
    month.month.setCurrentIndex(month.month.findData("2026-11"))
    for spin in month.spins.values():
        spin.setValue(1)
    step("submit the month", month._confirm_submit)
    sync = window.show_page_id("sync")
    step("export to USB", sync._choose_export)
    step("import from USB", sync._choose_import)
    step("save the enrolment request", window.save_enrolment_request)
    step("print forms", window.open_reports)
    for dialog in [w for w in QApplication.topLevelWidgets()
                   if type(w).__name__ == "ReportsDialog"]:
        dialog.reject()
    step("user guide", window.open_guide)
    window.help_dialog.close()
    step("about", window._about)
    settings = window.show_page_id("settings")
    if hasattr(settings, "restore_backup"):
        step("restore a backup", lambda: settings.restore_backup(str(tmp_path / "none.db")))
    assert {"QFileDialog", "QMessageBox"} <= {name for name, _title in watcher.seen}, (
        steps, watcher.seen)
    assert len(watcher.seen) >= 7, watcher.seen
    assert watcher.problems == []


def test_the_leaders_dialogs_are_vietnamese(qtbot, services, open_window, watcher,
                                           monkeypatch):
    window = open_window(services, "vp-cvp", "vi")
    inbox = window.show_page_id("leader.inbox")
    qtbot.waitUntil(lambda: not inbox.is_loading(), timeout=30000)
    inbox.reload_now()
    inbox.select_next()
    assert inbox.current_entry_id() is not None
    inbox.return_current()
    qtbot.wait(250)
    for _ in range(3):
        watcher.look()
    evaluation = window.show_page_id("leader.evaluation")
    evaluation.delegate()
    qtbot.wait(250)
    for _ in range(3):
        watcher.look()
    window = open_window(services, "ct", "vi")
    reconciliation = window.show_page_id("reconciliation")
    reconciliation._choose_export()
    qtbot.wait(250)
    for _ in range(3):
        watcher.look()
    assert {"ReasonDialog", "ActingDialog", "QFileDialog"} <= {
        name for name, _title in watcher.seen}, watcher.seen
    assert watcher.problems == []


def test_sign_in_wizard_and_crash_dialog_are_vietnamese(qtbot, services, tmp_path):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.ui.crash_dialog import CrashDialog
    from kpi_desktop.ui.setup_wizard import SetupWizard
    from kpi_desktop.ui.sign_in import SignInDialog

    i18n.set_language("vi")
    problems = []
    sign_in = SignInDialog(services)
    qtbot.addWidget(sign_in)
    sign_in.show()
    problems += english_in(sign_in)
    crash = CrashDialog("Traceback …", tmp_path / "kpi-desktop.log")
    qtbot.addWidget(crash)
    crash.show()
    problems += english_in(crash)
    empty = AppServices.open(app_paths(tmp_path / "new-pc"))
    try:
        wizard = SetupWizard(empty, today=lambda: dt.date(2026, 11, 23))
        qtbot.addWidget(wizard)
        wizard.resize(800, 560)
        wizard.show()
        for _ in range(3):  # language, source, person (the demo's people)
            problems += [(wizard.currentId(), *found) for found in english_in(wizard)]
            wizard.next()
        problems += [(wizard.currentId(), *found) for found in english_in(wizard)]
    finally:
        empty.close()
    assert problems == []


def test_wrong_language_is_not_left_behind_after_a_switch(qtbot, services, open_window):
    """What an action said is said again in the new language ("Đã gửi lãnh đạo." stayed
    Vietnamese in English)."""
    from kpi_desktop.services.daily import EntryDraft

    window = open_window(services, "vp-cv1", "vi")
    page = window.show_page_id("today")
    entry = services.daily.save("vp-cv1", EntryDraft(work_date=dt.date(2026, 11, 23),
                                                     item_code="DC.27", quantity="1"))
    page.refresh()
    page.select_entry(entry.id)
    assert page.editor.submit()
    assert "Đã nộp DC.27" in page.editor.message.text()
    window.set_language("en")
    qtbot.waitUntil(lambda: "DC.27 submitted" in page.editor.message.text())
    assert not any(ch in page.editor.message.text() for ch in "Đđộờạấệữỏẩứợụềắẽởỉỳỷỹỵẳẵ")
    window.set_language("vi")
    qtbot.waitUntil(lambda: "Đã nộp DC.27" in page.editor.message.text())
    missing = page.missing.text()
    assert "ngày làm việc" in missing
    window.set_language("en")
    qtbot.waitUntil(lambda: "working day" in page.missing.text())
    count = int(page.missing.text().split()[0])
    assert ("working day of this month has" if count == 1
            else "working days of this month have") in page.missing.text()
