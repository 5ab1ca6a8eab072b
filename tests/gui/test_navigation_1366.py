"""Issue 16 item 4 (of the uikit brief): the navigation's entries are never cut at 1366×768 —
a long page name wraps onto a second line, every entry is tall enough for its text, and its
tooltip names it whole with its shortcut — for each role, in Vietnamese and English."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QRect, Qt

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui.desktop_window import DesktopWindow

pytestmark = pytest.mark.gui

ROLES = {"official": "hcc-cv1", "division head": "hcc-gd", "chairman": "ct",
         "agency administrator": "agency"}


@pytest.fixture(scope="module")
def world(demo_master, tmp_path_factory):
    from kpi_desktop.services.context import AppServices

    folder = tmp_path_factory.mktemp("navigation") / "demo"
    shutil.copytree(demo_master, folder)
    services = AppServices.open(app_paths(folder))
    services.keys.unlock("agency", "demo")
    yield services
    services.close()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_navigation_entries_are_whole_at_1366x768(qtbot, world, role, language):
    i18n.set_language(language)
    window = DesktopWindow(world, settings=Settings(), person_id=ROLES[role])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    nav = window.nav
    metrics = nav.fontMetrics()
    width = window.nav_text_width()
    wrapped = 0
    for row in range(nav.count()):
        item = nav.item(row)
        text = item.text()
        assert text, f"entry {row} has no name"
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000),
                                      int(Qt.TextFlag.TextWordWrap), text)
        shown = nav.visualItemRect(item)
        assert shown.height() >= needed.height(), (text, shown, needed)
        assert shown.width() >= needed.width(), (text, shown, needed)
        assert all(metrics.horizontalAdvance(word) <= width for word in text.split()), text
        assert text in item.toolTip()
        assert (f"(Ctrl+{row + 1})" in item.toolTip()) == (row < 9)
        wrapped += needed.height() > metrics.height() * 1.5
    # Every entry is on screen at once: no scrolling through the navigation.
    assert not nav.verticalScrollBar().isVisible()
    assert nav.visualItemRect(nav.item(nav.count() - 1)).bottom() <= nav.viewport().height()
    if language == "vi" and role == "chairman":
        assert wrapped >= 1  # "Đánh giá, xếp loại chất lượng tổ chức" takes two lines
