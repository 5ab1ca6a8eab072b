"""What every page of the main window provides.

A page is a plain widget that gets its services and the signed-in person through ``__init__``
(no globals). The main window lists the pages for the person's role in its navigation, calls
:meth:`Page.refresh` when a page is shown or the data changed, and :meth:`Page.retranslate_ui`
when the language changes (pages may also react to ``QEvent.LanguageChange`` themselves).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class UserContext:
    """Who is using the application now."""

    person_id: str
    full_name: str
    role: str  # "official" | "deputy" | "head" | "admin"
    unit_id: str
    is_evaluator: bool  # evaluates somebody (sees the leader's pages)


class Page(QWidget):
    """Base class of the main window's pages."""

    #: Emitted when the page changed data that other pages show (they refresh).
    data_changed = Signal()
    #: Emitted with a short, translated message for the status bar.
    status_message = Signal(str)

    #: Stable identifier used for navigation and settings ("today", "inbox", …).
    page_id: str = ""

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user

    def title(self) -> str:
        """The page's name in the navigation (translated)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload what the page shows from the services."""

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current language."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
