"""Fixtures of the everyday-loop tests (issue 16): the demo's services with today fixed at
2026-11-23, and the desktop window at 1366×768 in a chosen language."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 23)
LANGUAGES = ["vi", "en"]


@pytest.fixture
def services(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.assignments import AssignmentService
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService
    from kpi_desktop.services.evaluation import EvaluationService
    from kpi_desktop.services.review import ReviewService

    paths = app_paths(demo_dir)
    opened = AppServices.open(paths)
    opened.daily = DailyWorkService(opened.db, paths.attachments_dir, keys=opened.keys,
                                    today=lambda: TODAY)
    opened.review = ReviewService(opened.db, today=TODAY)
    opened.assignments = AssignmentService(opened.db, today=TODAY)
    opened.evaluation = EvaluationService(opened.db, today=TODAY)
    opened.classification = ClassificationService(opened.db, today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def open_window(qtbot, demo_dir):
    """``open_window(services, person_id, language)``: the desk of a person who has just
    signed in, shown at 1366×768."""
    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.ui.desktop_window import DesktopWindow

    def build(services, person_id, language="vi"):
        i18n.set_language(language)
        window = DesktopWindow(services, settings=Settings(),
                               settings_path=demo_dir / "settings.json", person_id=person_id)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # keyboard shortcuts (F1, Ctrl+N …) go to the active window
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        return window

    return build
