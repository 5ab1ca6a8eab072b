"""Help (F1): the offline user guide in the interface's language, with screenshots, the
version, and who helps this agency's users (the support contact of the organisation file).

The guide is ``resources/guide/guide_<language>.html`` with its pictures in
``resources/guide/img/`` (made by ``packaging/guide_screenshots.py`` from the demo, offscreen at
1366×768); it needs no network and no browser.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop import __version__
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import resource_root
from kpi_desktop.ui.common import dialog_buttons
from kpi_desktop.ui.pages.base import Retranslated, mark_data

__all__ = ["HelpDialog", "about_text", "guide_path"]


def guide_path(language: str | None = None) -> Path:
    """The guide of ``language`` (the current one by default; English when missing)."""
    folder = resource_root() / "guide"
    found = folder / f"guide_{language or i18n.current_language()}.html"
    return found if found.exists() else folder / "guide_en.html"


def about_text(services: Any) -> str:
    """Version and support contact, as rich text (Help → About and the guide's header)."""
    from kpi_desktop.runtime.i18n import translate

    organisation, contact = services.organisation.support()
    lines = [translate("Help", "KPI Desktop {version} — work log and evaluation under Decree "
                       "335/2025/NĐ-CP, working offline.").format(version=__version__)]
    if contact:
        lines.append(translate("Help", "Help for {organisation}: {contact}").format(
            organisation=organisation, contact=contact))
    else:
        lines.append(translate("Help", "No support contact is in the organisation file yet: "
                               "ask the agency's personnel unit."))
    return "<br>".join(html.escape(line) for line in lines)


class HelpDialog(Retranslated, QDialog):
    """The user guide; non-modal, so it stays open beside the window."""

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setMinimumSize(820, 600)
        self.resize(1000, 700)
        self.header = QLabel()
        mark_data(self.header)  # the version and the agency's own words
        self.header.setWordWrap(True)
        self.header.setStyleSheet("background: #eef2ff; padding: 6px;")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        mark_data(self.browser)
        self.buttons = dialog_buttons(self, close=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def show_guide(self) -> None:
        path = guide_path()
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(path)))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop — user guide"))
        self.header.setText(about_text(self.services))
        self.show_guide()
