"""The start paints the main window before the data folder is opened, and builds a page only
when it is first shown (issue 18: cold start within 3× of a bare window)."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.context import AppServices
from kpi_desktop.ui.desktop_window import DesktopWindow
from kpi_desktop.ui.pages.base import Page

pytestmark = pytest.mark.gui


@pytest.fixture
def services(demo_dir):
    opened = AppServices.open(app_paths(demo_dir))
    yield opened
    opened.close()


def test_the_window_module_needs_nothing_of_the_data_layer() -> None:
    """What the start imports before its first paint: no SQLAlchemy, no ORM, no domain
    model, no services (they come after the paint)."""
    code = ("import sys, json; import PySide6.QtWidgets; import kpi_desktop.app as a; "
            "import kpi_desktop.ui.desktop_window, kpi_desktop.ui.crash_dialog, "
            "kpi_desktop.runtime.logging_setup, kpi_desktop.runtime.settings; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', "
            "'kpi_desktop.storage', 'kpi_desktop.services', 'kpi_desktop.domain.model', "
            "'cryptography', 'holidays')))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                           **__import__("os").environ})
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_only_the_page_shown_is_built_and_the_others_on_first_show(qtbot, services):
    window = DesktopWindow(services, settings=Settings(), person_id="hcc-gd")
    qtbot.addWidget(window)
    window.show()
    # Võ Minh Tuấn has entries waiting: he lands on the review inbox (issue 16 item 3).
    assert [p.page_id for p in window.built_pages()] == ["leader.inbox"]
    assert window.nav.count() > 10  # every page is listed
    window.show_page_id("leader.unit")
    assert [p.page_id for p in window.built_pages()] == ["leader.inbox", "leader.unit"]
    assert window.current_page() is window.page("leader.unit")
    assert window.page("leader.unit").refresh_pending() is False  # shown: its data was loaded


def test_the_navigation_names_pages_not_built_as_they_name_themselves(qtbot, services):
    for language in ("vi", "en"):
        i18n.set_language(language)
        window = DesktopWindow(services, settings=Settings(), person_id="hcc-gd")
        qtbot.addWidget(window)
        listed = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert all(listed)
        # (a page's name may carry the count of what waits there: "… (9)")
        listed = [re.sub(r" \(\d+\)$", "", text) for text in listed]
        assert listed == [page.title() for page in window.pages]  # building each one
        window.close()


def test_the_start_paints_before_it_opens_the_data_folder(qtbot, monkeypatch, demo_dir):
    from kpi_desktop import app as application

    seen: dict[str, object] = {}
    original = application.open_services_or_recover

    def opening(paths, **kwargs):  # noqa: ANN001, ANN202
        window = kwargs["parent"]
        seen["painted_before_open"] = window._painted
        seen["pages_before_open"] = window.nav.count()
        return original(paths, **kwargs)

    def signed_in(services, settings, settings_path, parent=None):  # noqa: ANN001, ANN202
        return "hcc-gd", ""

    def close_when_loaded() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, DesktopWindow)
                   and w.isVisible()]
        page = windows[0].current_page() if windows else None
        if page is None or page.refresh_pending():
            QTimer.singleShot(20, close_when_loaded)
            return
        seen["page"] = page.page_id
        seen["built"] = [p.page_id for p in windows[0].built_pages()]
        seen["print_shortcut"] = bool(windows[0].reports_action.shortcut().toString())
        windows[0].close()

    monkeypatch.setattr(application, "open_services_or_recover", opening)
    monkeypatch.setattr(application, "sign_in", signed_in)
    monkeypatch.setattr(QApplication, "exec", lambda self: _run_until_closed(close_when_loaded))
    code = application._run_gui(argparse.Namespace(data_dir=str(demo_dir), lang="en",
                                                   selftest=False))
    assert code == 0
    # hcc-gd has entries waiting: he lands on his inbox, the one page built.
    assert seen == {"painted_before_open": True, "pages_before_open": 0,
                    "page": "leader.inbox", "built": ["leader.inbox"], "print_shortcut": True}


def _run_until_closed(check) -> int:  # noqa: ANN001
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    app = QApplication.instance()
    app.lastWindowClosed.connect(loop.quit)
    QTimer.singleShot(0, check)
    QTimer.singleShot(30_000, loop.quit)
    loop.exec()
    return 0


def test_page_titles_come_from_the_class_context() -> None:
    class Titled(Page):
        def title(self) -> str:
            return self.tr("Settings")

    assert Titled.nav_title() == "Settings"

    class NeedsData(Page):
        def title(self) -> str:
            return self.user.full_name

    assert NeedsData.nav_title() == ""
