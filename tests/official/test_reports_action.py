"""File → Print forms and reports: officials get their own forms, leaders the unit's too."""

from __future__ import annotations

import pytest

from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui.desktop_window import DesktopWindow

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("person", "kinds"), [("vp-cv1", 3), ("hcc-gd", 6)])  # + dossiers
def test_reports_dialog_from_the_menu(qtbot, services, demo_dir, person, kinds):
    window = DesktopWindow(services, settings=Settings(), settings_path=demo_dir / "s.json",
                           person_id=person)
    qtbot.addWidget(window)
    window.show()
    assert window.reports_action.text()
    dialog = window.open_reports()
    assert dialog is not None and dialog.kind.count() == kinds
    dialog.close()
    window.close()
