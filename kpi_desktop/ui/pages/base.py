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
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

# The widget property that marks text coming from data (names, numbers), not from the
# translations (the pseudo-locale and language tests skip it).
DATA_PROPERTY = "kpiData"

# The ``person_id`` of the agency administrator, who signs in with the agency key.
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


# A translated text made anew in the current language: ``lambda: self.tr("…")`` (the
# literal stays in the class, where pyside6-lupdate reads it in the class's context).
Text = Callable[[], str]


class Texts:
    """The translatable texts of a widget's parts, each declared once where the part is made
    and set again by :meth:`apply` (a :class:`Retranslated` widget's ``retranslate_ui`` calls
    it before its own body, which keeps only the texts made from data or state)::

        self.unlock_button = self.texts.button(lambda: self.tr("&Unlock"), self._unlock)
        self.history_box = self.texts.box(lambda: self.tr("History"))

    Every text is set at once as well, so a part never shows empty."""

    def __init__(self) -> None:
        self._setters: list[Callable[[], None]] = []

    def set(self, widget: Any, text: Text | None = None, *, tip: Text | None = None,
            placeholder: Text | None = None, title: Text | None = None,
            window_title: Text | None = None) -> Any:
        """``widget`` whose text, tooltip, placeholder, (group box) title or window title are
        ``text``, ``tip``, ``placeholder``, ``title``, ``window_title``."""
        for setter, make in ((widget.setText if text else None, text),
                             (widget.setToolTip if tip else None, tip),
                             (widget.setPlaceholderText if placeholder else None, placeholder),
                             (widget.setTitle if title else None, title),
                             (widget.setWindowTitle if window_title else None, window_title)):
            if setter is not None and make is not None:
                self._add(functools.partial(_set_made, setter, make))
        return widget

    def each(self, widgets: list[Any], make: Callable[[], tuple[str, ...]]) -> list[Any]:
        """``widgets`` (a form's labels) whose texts are ``make()``, in order."""
        self._add(functools.partial(_set_each, widgets, make))
        return widgets

    def _add(self, setter: Callable[[], None]) -> None:
        self._setters.append(setter)
        setter()

    def table(self, table: Any) -> Any:
        """``table`` (a :class:`~kpi_desktop.ui.tables.RecordTableView` or its model), whose
        column headers :meth:`apply` translates again."""
        self._setters.append(table.retranslate)
        return table

    def apply(self) -> None:
        """Set every declared text again, in the current language."""
        for setter in self._setters:
            setter()

    def button(self, text: Text, slot: Callable[..., Any] | None = None, *,
               name: str | None = None, tip: Text | None = None) -> QPushButton:
        """A push button saying ``text`` (``tip`` its tooltip, ``name`` its object name) that
        runs ``slot`` when clicked."""
        button = self.set(QPushButton(), text, tip=tip)
        if name:
            button.setObjectName(name)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def label(self, text: Text, *, tip: Text | None = None, wrap: bool = False,
              buddy: QWidget | None = None) -> QLabel:
        """A label saying ``text`` (``buddy``: the field its mnemonic focuses)."""
        label = self.set(QLabel(), text, tip=tip)
        label.setWordWrap(wrap)
        if buddy is not None:
            label.setBuddy(buddy)
        return label

    def form(self, owner: QWidget | None, rows: list[tuple[Text, QWidget | QLayout]]
             ) -> tuple[QFormLayout, list[QLabel]]:
        """A form of ``(label text, field)`` rows (on ``owner``), each label moving the focus
        to its field (mnemonics); the labels are returned too."""
        layout = QFormLayout(owner) if owner is not None else QFormLayout()
        labels = []
        for text, field in rows:
            label = self.label(text, buddy=field if isinstance(field, QWidget) else None)
            layout.addRow(label, field)
            labels.append(label)
        return layout, labels

    def heading(self, text: Text) -> QLabel:
        """The bold heading line of a page or a dialog."""
        return self.set(QLabel(), lambda: "<b>" + text() + "</b>")

    def box(self, title: Text) -> QGroupBox:
        """A group box titled ``title``."""
        return self.set(QGroupBox(), title=title)

    def check(self, text: Text, *, tip: Text | None = None, name: str | None = None,
              checked: bool = False) -> QCheckBox:
        """A check box saying ``text``."""
        box = self.set(QCheckBox(), text, tip=tip)
        box.setChecked(checked)
        if name:
            box.setObjectName(name)
        return box

    def field(self, placeholder: Text, *, name: str | None = None, search: bool = False,
              tip: Text | None = None) -> QLineEdit:
        """A line edit showing ``placeholder`` while empty (``search``: with a clear button)."""
        field = self.set(QLineEdit(), placeholder=placeholder, tip=tip)
        field.setClearButtonEnabled(search)
        if name:
            field.setObjectName(name)
        return field


def _applying_texts(retranslate: Callable[[Any], None]) -> Callable[[Any], None]:
    """``retranslate`` (a ``retranslate_ui``) preceded by the declared texts."""

    def wrapper(self: Any) -> None:
        Retranslated.retranslate_ui(self)
        retranslate(self)

    functools.update_wrapper(wrapper, retranslate)
    del wrapper.__wrapped__  # PySide reads the signature of the slot itself
    wrapper._applies_texts = True  # type: ignore[attr-defined]
    return wrapper


def _set_made(setter: Callable[[str], Any], make: Text) -> None:
    setter(make())


def _set_each(widgets: list[Any], make: Callable[[], tuple[str, ...]]) -> None:
    for widget, text in zip(widgets, make(), strict=True):
        widget.setText(text)


class Retranslated:
    """Mixin (listed before the Qt class) for a widget that sets its texts again when the
    language changes: ``QEvent.LanguageChange`` calls its ``retranslate_ui()``, which first
    sets the texts declared in :attr:`texts` again, then runs the widget's own body (the
    texts that depend on data or state)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("retranslate_ui")
        if own is not None and not getattr(own, "_applies_texts", False):
            cls.retranslate_ui = _applying_texts(own)  # type: ignore[attr-defined]

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current language."""
        texts = self.__dict__.get("_texts")
        if texts is not None:
            texts.apply()

    @property
    def texts(self) -> Texts:
        """The widget's declared texts (:class:`Texts`); ``retranslate_ui`` applies them."""
        texts = self.__dict__.get("_texts")
        if texts is None:
            texts = self.__dict__["_texts"] = Texts()
        return texts

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


class Page(Retranslated, QWidget):
    """Base class of the main window's pages."""

    # Emitted when the page changed data that other pages show (they refresh).
    data_changed = Signal()
    # Emitted with a short, translated message for the status bar.
    status_message = Signal(str)

    # Stable identifier used for navigation and settings ("today", "inbox", …).
    page_id: str = ""

    # True while :meth:`building` runs: ``refresh()`` then only notes that the page needs
    # one (the main window refreshes a page when it shows it), so building a dozen pages at
    # start does not load a dozen pages' data.
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
                 parent: QWidget | None = None, *, heading: Text | None = None) -> None:
        super().__init__(parent)
        self.services: AppServices = services
        self.user = user
        if heading is not None:
            # The bold line at the top of the page (``heading``: its text, translated).
            self.heading = self.texts.heading(heading)

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
