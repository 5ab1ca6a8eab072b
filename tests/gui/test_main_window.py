"""The main window on the demo organisation, driven as a person would (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.context import AppServices
from kpi_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_dir):
    services = AppServices.open(app_paths(demo_dir))
    settings_path = demo_dir / "settings.json"
    win = MainWindow(services, settings=Settings(), settings_path=settings_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    services.close()


def test_shows_a_persons_month_with_its_why(window):
    assert window.select_person("vp-cv2")
    panel = window.score_panel
    index = panel.period.findData("2026-09")
    assert index >= 0
    panel.period.setCurrentIndex(index)
    expected = window.services.scores.person_period("vp-cv2", "2026-09").score
    assert panel._values["total"].text() == f"<b>{expected.rounded('total'):.2f}</b>"
    assert panel.why_model.rowCount() > 0
    assert "Hoàng Văn Đức" in panel.title.text()


def test_insufficient_month_is_explained(window):
    window.select_person("kt-cv3")
    panel = window.score_panel
    panel.period.setCurrentIndex(panel.period.findData("2026-05"))
    assert "Insufficient data" in panel.notice.text()
    assert panel._values["total"].text() == "<b>–</b>"


def test_language_switches_live_and_is_remembered(window, qtbot, demo_dir):
    window.select_person("hcc-gd")
    window.score_panel.period.setCurrentIndex(window.score_panel.period.findData("2026-03"))
    assert window.score_panel.summary.title() == "Score of the month"
    window.language_actions["vi"].trigger()
    qtbot.waitUntil(lambda: window.score_panel.summary.title() == "Điểm của tháng")
    assert window.file_menu.title() == "&Tệp"
    assert window.score_panel.why_model.headerData(0, Qt.Orientation.Horizontal) == "Mã"
    total = window.score_panel._values["total"].text()
    assert "," in total  # Vietnamese decimal comma
    assert Settings.load(demo_dir / "settings.json").language == "vi"
    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.score_panel.summary.title() == "Score of the month")
    assert i18n.current_language() == "en"


def test_window_renders_at_1366x768(window, tmp_path):
    window.resize(1366, 768)
    window.select_person("vp-cv1")
    image = window.grab()
    assert image.width() >= 1300
    assert image.save(str(tmp_path / "main.png"))
