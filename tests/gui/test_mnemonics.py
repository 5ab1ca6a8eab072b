"""Keyboard mnemonics (Alt+letter) can be typed and never clash (issue 17 §2).

A mnemonic on a letter that needs a Vietnamese input method (Đ, à, ú, ư…) cannot be pressed
on a plain keyboard, and two mnemonics on the same letter in one window make Alt+letter cycle
between them instead of acting. Three checks, in Vietnamese and in English:

* every translated text's mnemonic is an ASCII letter or digit;
* the main window of an official, of a head and of the agency, page by page (and the work-log
  page with an entry open), has no two visible mnemonics on the same key, the menu bar included;
* every dialog and wizard page (whose texts live in their own translation context) has no two
  mnemonics on the same key.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
    QWizardPage,
)

import kpi_desktop.ui
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import i18n as workflow  # noqa: E402

pytestmark = pytest.mark.gui
TYPABLE = re.compile(r"[A-Za-z0-9]")
LANGUAGES = ("vi", "en")


def mnemonic(text: str) -> str | None:
    """The key of ``text``'s mnemonic ("&Save" → "s"), or ``None``."""
    found = re.search(r"&(?!&)(.)", (text or "").replace("&&", ""))
    return found.group(1) if found else None


def _messages() -> list[tuple[str, str, str]]:
    """(context, English, Vietnamese) of every message of the catalog."""
    ts = workflow.TRANSLATIONS / "kpi_desktop_vi.ts"
    return [(c, s, t.text or "") for c, s, t in workflow.messages(ts)]


def test_every_mnemonic_can_be_typed_without_an_input_method():
    problems = []
    for context, source, text in _messages():
        for language, shown in (("en", source), ("vi", text)):
            key = mnemonic(shown)
            if key is not None and not TYPABLE.fullmatch(key):
                problems.append(f"{language} [{context}] {shown!r}: Alt+{key}")
    assert problems == [], "\n".join(problems)


def _dialog_contexts() -> set[str]:
    """Class names of the dialogs and wizard pages (each is its own translation context)."""
    found = set()
    for info in pkgutil.walk_packages(kpi_desktop.ui.__path__, "kpi_desktop.ui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, QDialog | QWizardPage):
                found.add(name)
    return found


def test_no_dialog_has_two_mnemonics_on_one_key():
    contexts = _dialog_contexts()
    assert {"SignInDialog", "LeaveDialog", "TransferDialog", "PassphrasePage"} <= contexts
    problems = []
    for language in LANGUAGES:
        keys: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for context, source, text in _messages():
            if context not in contexts:
                continue
            shown = text if language == "vi" else source
            key = mnemonic(shown)
            if key is not None:
                keys[context][key.lower()].append(shown)
        for context, by_key in keys.items():
            problems += [f"{language} [{context}] Alt+{k}: {texts}"
                         for k, texts in by_key.items() if len(texts) > 1]
    assert problems == [], "\n".join(problems)


def window_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Key → texts of every mnemonic that is live in ``window`` now: the menu bar's titles and
    the visible buttons, labels with a buddy, group boxes and tabs."""
    keys: dict[str, list[str]] = defaultdict(list)

    def add(text: str, where: str) -> None:
        key = mnemonic(text)
        if key is not None:
            keys[key.lower()].append(f"{where} {text!r}")

    menu_bar = getattr(window, "menuBar", None)
    if menu_bar is not None:
        for action in menu_bar().actions():
            if action.isVisible():
                add(action.text(), "menu")
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "QLabel")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "QGroupBox")
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget.tabText(i), "tab")
    return keys


def _clashes(window: QWidget, where: str) -> list[str]:
    return [f"{where} Alt+{key}: {texts}"
            for key, texts in window_mnemonics(window).items() if len(texts) > 1]


@pytest.fixture
def desk(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService

    paths = app_paths(demo_dir)
    services = AppServices.open(paths)
    services.daily = DailyWorkService(services.db, paths.attachments_dir,
                                      today=lambda: dt.date(2026, 11, 23))
    services.keys.unlock("agency", "demo")
    yield services
    services.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("person", ["vp-cv1", "kt-tp", "agency"])
def test_no_page_of_the_main_window_has_two_mnemonics_on_one_key(qtbot, desk, person,
                                                                   language):
    from kpi_desktop.ui.desktop_window import DesktopWindow

    i18n.set_language(language)
    window = DesktopWindow(desk, settings=Settings(), person_id=person)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    assert len(window.pages) >= 5
    for index, page in enumerate(window.pages):
        window.show_page(index)
        qtbot.wait(5)
        problems += _clashes(window, f"{language} {person} {page.page_id}:")
        if page.page_id == "today" and page.model.rowCount():
            page.select_entry(page.model.rows[0].entry.id)
            qtbot.wait(5)
            problems += _clashes(window, f"{language} {person} today (entry open):")
    assert problems == [], "\n".join(problems)


def test_the_check_sees_a_clash_and_an_untypable_key(qtbot):
    from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    label = QLabel("Số &lượng:")
    edit = QLineEdit()
    label.setBuddy(edit)
    for widget in (label, edit, QPushButton("&Lưu nháp"), QPushButton("&Đi tới")):
        layout.addWidget(widget)
    window.show()
    keys = window_mnemonics(window)
    assert len(keys["l"]) == 2
    assert not TYPABLE.fullmatch("đ") and "đ" in keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dialogs_as_shown_have_no_clash(qtbot, desk, tmp_path, language):
    """The first-run wizard page by page (its own Back/Next buttons included), the sign-in
    dialog and the reports dialog, walked as they are on screen."""
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.ui.reports_dialog import ReportsDialog
    from kpi_desktop.ui.setup_wizard import SetupWizard
    from kpi_desktop.ui.sign_in import SignInDialog

    i18n.set_language(language)
    problems: list[str] = []
    fresh = AppServices.open(app_paths(tmp_path / "pc"))
    try:
        wizard = SetupWizard(fresh, today=lambda: dt.date(2026, 11, 23))
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        seen = set()
        while wizard.currentId() not in seen:
            seen.add(wizard.currentId())
            problems += _clashes(wizard, f"{language} wizard page {wizard.currentId()}:")
            wizard.next()
            qtbot.wait(5)
        assert len(seen) >= 3
    finally:
        fresh.close()
    for dialog in (SignInDialog(desk, settings=Settings()),
                   ReportsDialog(desk, person_id="kt-cv1", unit_id="kt", period="2026-03")):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems += _clashes(dialog, f"{language} {type(dialog).__name__}:")
        if isinstance(dialog, SignInDialog):
            assert len(window_mnemonics(dialog)) >= 2
    assert problems == [], "\n".join(problems)
