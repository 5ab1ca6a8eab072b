"""Settings at 1366×768: "This computer" shows who works here and a long data folder whole,
wrapped inside the page, without widening the window past the screen."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.context import AppServices
from kpi_desktop.ui.desktop_window import DesktopWindow

pytestmark = pytest.mark.gui

LONG = ("Người-dùng-Nguyễn-Thị-Phương-Thảo-Phòng-Văn-hóa-Xã-hội/OneDrive-UBND-xã-Nghĩa-Lâm/"
        "Tài-liệu-dùng-chung/AppData/Local/KPI-Desktop/du-lieu-danh-gia-cong-chuc-nam-2026")


@pytest.mark.parametrize(("person", "language"), [("agency", "vi"), ("vp-cv1", "en")])
def test_this_computer_fits_a_1366_screen(qtbot, demo_master: Path, tmp_path: Path,
                                          person: str, language: str) -> None:
    folder = tmp_path / LONG
    shutil.copytree(demo_master, folder)
    services = AppServices.open(app_paths(folder))
    services.sync._today = lambda: dt.date(2026, 11, 23)
    try:
        i18n.set_language(language)
        window = DesktopWindow(services, settings=Settings(), person_id=person)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        page = window.show_page_id("settings")
        qtbot.waitExposed(window)
        qtbot.wait(50)
        assert window.minimumSizeHint().width() <= 1366
        assert window.width() == 1366
        box = page.about_box.geometry()
        assert box.right() < page.width() and page.width() < 1366
        assert page.folder.toPlainText() == str(folder)
        assert page.folder.verticalScrollBar().maximum() == 0  # two lines hold it whole
        assert page.folder.geometry().right() <= page.about_box.contentsRect().right()
        assert " — " in page.about.text()
        if person == "agency":
            assert services.agency.organisation_name() in page.about.text()
    finally:
        i18n.set_language("en")
        services.close()
