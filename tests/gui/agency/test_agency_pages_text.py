"""Every visible text of the agency's pages goes through the translation system (pseudo-locale,
as tests/official/test_pseudo_locale.py does for the official's desk), the pages fit 1366×768
without sideways scrolling, and the language switches live."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.context import AppServices
from kpi_desktop.ui.common import DATA_PROPERTY
from kpi_desktop.ui.desktop_window import DesktopWindow

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
def agency_demo(demo_dir):
    services = AppServices.open(app_paths(demo_dir))
    services.keys.unlock("agency", "demo")
    yield services
    services.close()


def _is_data(widget: QWidget) -> bool:
    while widget is not None:
        if widget.property(DATA_PROPERTY):
            return True
        widget = widget.parentWidget()
    return False


def _unmarked(text: str) -> bool:
    text = re.sub(r"<[^>]+>", "", text or "")
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
        elif isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield name, "item", widget.item(i).text()
        if isinstance(widget, QTableView) and widget.horizontalHeader().isVisible():
            model = widget.model()
            for column in range(model.columnCount()):
                value = model.headerData(column, Qt.Orientation.Horizontal)
                yield name, "header", str(value or "")


def test_every_visible_text_of_the_agency_pages_is_translated(qtbot, qapp, agency_demo):
    translator = PseudoTranslator()
    i18n.set_language("en")
    QCoreApplication.installTranslator(translator)
    i18n._state.translator = translator
    try:
        window = DesktopWindow(agency_demo, settings=Settings(), person_id="agency")
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        problems = []
        for index, page in enumerate(window.pages):
            if not page.page_id.startswith("agency_"):
                continue
            window.show_page(index)
            qtbot.wait(5)
            problems += [(page.page_id, *found) for found in _texts(window)
                         if _unmarked(found[2])]
    finally:
        QCoreApplication.removeTranslator(translator)
        i18n._state.translator = None
        i18n.set_language("en")
    assert problems == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_agency_pages_fit_without_sideways_scrolling(qtbot, agency_demo, language):
    i18n.set_language(language)
    window = DesktopWindow(agency_demo, settings=Settings(), person_id="agency")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    for index, page in enumerate(window.pages):
        if not page.page_id.startswith("agency_"):
            continue
        window.show_page(index)
        qtbot.wait(5)
        assert page.minimumSizeHint().width() <= window.stack.width(), page.page_id
        for area in page.findChildren(QAbstractScrollArea):
            if area.isVisibleTo(page):
                assert not area.horizontalScrollBar().isVisible(), (page.page_id, area)


def test_the_language_switches_live_on_the_agency_pages(qtbot, agency_demo):
    window = DesktopWindow(agency_demo, settings=Settings(), person_id="agency")
    qtbot.addWidget(window)
    window.show()
    people = window.show_page_id("agency_people")
    assert window.nav.item(1).text() == "People"
    window.set_language("vi")
    qtbot.waitUntil(lambda: window.nav.item(1).text() == "Cán bộ, công chức")
    assert people.save_button.text() == "Lư&u"
    assert people.people.row_count() == len(agency_demo.agency.people())
