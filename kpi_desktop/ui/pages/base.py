"""What every page of the main window provides.

A page is a plain widget that gets its services and the signed-in person through ``__init__``
(no globals). The main window lists the pages for the person's role in its navigation, calls
:meth:`Page.refresh` when a page is shown or the data changed, and :meth:`Page.retranslate_ui`
when the language changes (pages may also react to ``QEvent.LanguageChange`` themselves).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import QWidget

#: The widget property that marks text coming from data (names, numbers), not from the
#: translations (the pseudo-locale and language tests skip it).
DATA_PROPERTY = "kpiData"

#: The ``person_id`` of the agency administrator, who signs in with the agency key.
AGENCY_ID = "agency"


def mark_data(widget: QWidget) -> QWidget:
    """``widget`` marked as showing data (:data:`DATA_PROPERTY`)."""
    widget.setProperty(DATA_PROPERTY, True)
    return widget


if TYPE_CHECKING:  # the main window imports this module before the domain model (cold start)
    from kpi_desktop.domain.model import Period
    from kpi_desktop.services.context import AppServices


@dataclass(frozen=True)
class PrintRequest:
    """What a page has on screen, for File → Print (Ctrl+P): the person, the unit, the period,
    and the report that fits best ("form01", "form02", "unit"; None: Form 01)."""

    person_id: str | None = None
    unit_id: str | None = None
    period: Period | None = None
    kind: str | None = None


@dataclass(frozen=True)
class UserContext:
    """Who is using the application now."""

    person_id: str
    full_name: str
    role: str  # "official" | "deputy" | "head" | "admin"
    unit_id: str
    is_evaluator: bool  # evaluates somebody (sees the leader's pages)


class Retranslated:
    """Mixin (listed before the Qt class) for a widget that sets its texts again when the
    language changes: ``QEvent.LanguageChange`` calls its ``retranslate_ui()``."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


class Page(Retranslated, QWidget):
    """Base class of the main window's pages."""

    #: Emitted when the page changed data that other pages show (they refresh).
    data_changed = Signal()
    #: Emitted with a short, translated message for the status bar.
    status_message = Signal(str)

    #: Stable identifier used for navigation and settings ("today", "inbox", …).
    page_id: str = ""

    #: True while :meth:`building` runs: ``refresh()`` then only notes that the page needs
    #: one (the main window refreshes a page when it shows it), so building a dozen pages at
    #: start does not load a dozen pages' data.
    _building = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("refresh")
        if own is not None and not getattr(own, "_deferrable", False):
            cls.refresh = _deferrable(own)  # type: ignore[method-assign]

    @staticmethod
    @contextmanager
    def building() -> Iterator[None]:
        """Build pages without loading their data (see :attr:`_building`)."""
        Page._building = True
        try:
            yield
        finally:
            Page._building = False

    def refresh_pending(self) -> bool:
        """Whether a refresh was skipped while the page was built."""
        return bool(getattr(self, "_refresh_pending", False))

    def __init__(self, services: AppServices, user: UserContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services: AppServices = services
        self.user = user

    def title(self) -> str:
        """The page's name in the navigation (translated)."""
        raise NotImplementedError

    @classmethod
    def nav_title(cls) -> str:
        """:meth:`title` without building the page (the window lists every page but builds
        one when it is first shown): ``title`` run on a stand-in whose ``tr`` translates in
        the class's context, as ``self.tr`` does; a title that needs more than ``tr`` is
        read from a page built for it."""

        class _Titled:
            def tr(self, text: str, disambiguation: str | None = None, n: int = -1) -> str:
                return QCoreApplication.translate(cls.__name__, text, disambiguation, n)

        try:
            return cls.title(_Titled())  # type: ignore[arg-type]
        except AttributeError:
            return ""

    def refresh(self) -> None:
        """Reload what the page shows from the services."""

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current language."""

    def run_change(self, work: Callable[[], Any], *, title: str,
                   done: str | Callable[[Any], str] | None = None,
                   then: Callable[[Any], None] | None = None) -> bool:
        """Make a change on the serial lane (``work`` must not read widgets: take their values
        first). Afterwards the page reloads, ``then(result)`` runs, the status line says
        ``done`` and the other pages hear of it; a refusal is shown in a message box titled
        ``title``. False when the change was refused at once."""
        from kpi_desktop.ui.operations import Op

        def succeeded(result: Any) -> None:
            self.refresh()
            if then is not None:
                then(result)
            message = done(result) if callable(done) else done
            if message:
                self.status_message.emit(message)
            self.data_changed.emit()

        task = Op(self, work).titled(title).success(succeeded).run()
        return not (task.done and task.error is not None)

    def print_request(self) -> PrintRequest | None:
        """The person and period on screen, which Ctrl+P prefills (None: the signed-in
        person's last finished month)."""
        return None


def _deferrable(refresh: Callable[..., Any]) -> Callable[..., Any]:
    """``refresh`` that only notes the need while pages are being built."""

    def run(self: Page, *args: Any, **kwargs: Any) -> Any:
        if Page._building:
            self._refresh_pending = True
            return None
        self._refresh_pending = False
        return refresh(self, *args, **kwargs)

    # The same arity as ``refresh``: Qt passes a signal's arguments to a connected slot that
    # accepts them (``combo.currentIndexChanged.connect(self.refresh)``).
    if len(inspect.signature(refresh).parameters) == 1:
        def wrapper(self: Page) -> Any:
            return run(self)
    else:
        def wrapper(self: Page, *args: Any, **kwargs: Any) -> Any:
            return run(self, *args, **kwargs)

    functools.update_wrapper(wrapper, refresh)
    del wrapper.__wrapped__  # PySide reads the signature of the slot itself
    wrapper._deferrable = True  # type: ignore[attr-defined]
    return wrapper
