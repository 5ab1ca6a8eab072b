"""Every visible interface text of the official's desk goes through the translation system.

A pseudo-locale translator wraps every translated string in ⟦…⟧. The window is built and each
page shown under it; then every label, button, group title, placeholder, tooltip, tab, combo
entry, table header, navigation entry, menu and dialog is walked. Text without the marks fails
the test, unless it is data (names, numbers, dates: widgets marked with ``kpiData``) or has
no letters at all (symbols such as ◀ ▶ or –).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui.common import DATA_PROPERTY
from kpi_desktop.ui.desktop_window import DesktopWindow

from .conftest import OFFICIAL

pytestmark = pytest.mark.gui
OPEN, CLOSE = "⟦", "⟧"
LETTER = re.compile(r"[^\W\d_]")


class PseudoTranslator(QTranslator):
    """Marks every string it is asked for."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002
        return f"{OPEN}{source_text}{CLOSE}"

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


@pytest.fixture
def pseudo(qapp):
    translator = PseudoTranslator()
    i18n.set_language("en")
    QCoreApplication.installTranslator(translator)
    i18n._state.translator = translator  # translate() of Qt-free code uses it too
    yield translator
    QCoreApplication.removeTranslator(translator)
    i18n._state.translator = None
    i18n.set_language("en")


def _is_data(widget: QWidget) -> bool:
    while widget is not None:
        if widget.property(DATA_PROPERTY):
            return True
        widget = widget.parentWidget()
    return False


def _unmarked(text: str) -> bool:
    text = re.sub(r"<[^>]+>", "", text or "")  # rich text tags
    return bool(LETTER.search(text)) and OPEN not in text


def _texts(root: QWidget):
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = type(widget).__name__
        if widget.toolTip() and not isinstance(widget.parent(), QAbstractItemView):
            yield name, "tooltip", widget.toolTip()
        if _is_data(widget):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, "text", widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, "title", widget.title()
        elif isinstance(widget, QLineEdit):
            yield name, "placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield name, "item", widget.itemText(i)
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield name, "tab", widget.tabText(i)
        elif isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield name, "item", widget.item(i).text()
        if isinstance(widget, QTableView) and widget.horizontalHeader().isVisible():
            model, header = widget.model(), widget.horizontalHeader()
            for column in range(model.columnCount()):
                if not header.isSectionHidden(column):
                    value = model.headerData(column, Qt.Orientation.Horizontal)
                    yield name, "header", str(value or "")


def test_every_visible_text_is_translated(qtbot, services, demo_dir, pseudo, monkeypatch):
    window = DesktopWindow(services, settings=Settings(), person_id=OFFICIAL)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    problems = []
    assert OPEN in window.windowTitle()
    for action in window.menuBar().actions():
        if _unmarked(action.text()):
            problems.append(("menu", action.text()))
        menu = action.menu()
        for sub in menu.actions() if menu else []:
            if sub.text() and _unmarked(sub.text()) and sub.data() not in i18n.LANGUAGES:
                problems.append(("menu item", sub.text()))
    for index, page in enumerate(window.pages):
        window.show_page(index)
        states = [None]
        if page.page_id == "today":
            states = ["day", "week", "entry"]
        for state in states:
            if state == "week":
                page.set_day(dt.date(2026, 11, 18))
                page.set_week_mode(True)
            if state == "entry" and page.model.rowCount():
                page.select_entry(page.model.rows[0].entry.id)
            qtbot.wait(5)
            for widget, kind, text in _texts(window):
                if _unmarked(text):
                    problems.append((page.page_id, widget, kind, text))
    # dialogs: the month submission asks before it submits
    asked = []

    def answer(box):
        asked.append((box.windowTitle(), box.text(), box.informativeText(),
                      *(b.text() for b in box.buttons())))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    month = window.show_page_id("month")
    month.month.setCurrentIndex(month.month.findData(str(dt.date(2026, 11, 1))[:7]))
    for spin in month.spins.values():
        spin.setValue(1)
    month.submit_button.click()
    assert asked
    problems += [("dialog", t) for texts in asked for t in texts if t and _unmarked(t)]
    assert problems == []
