"""What every page shares: labels that show data, dates and months, names by language,
colours of levels and states, error text, and the reason dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EntryStatus, Level, Period, PeriodKind
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import describe, level_label
from kpi_desktop.ui.pages.base import Retranslated
from kpi_desktop.ui.pages.base import Text as Text
from kpi_desktop.ui.pages.base import Texts as Texts
from kpi_desktop.ui.tables import DATA_PROPERTY as DATA_PROPERTY
from kpi_desktop.ui.tables import mark_data

# -- colours ---------------------------------------------------------------------------------
LEVEL_COLOURS = {
    Level.EXCELLENT: QColor("#15803d"),
    Level.GOOD: QColor("#2563eb"),
    Level.COMPLETE: QColor("#d97706"),
    Level.NOT_COMPLETE: QColor("#b91c1c"),
    None: QColor("#6b7280"),
}
OVERDUE_BACKGROUND = QColor("#fee2e2")
FLAG_BACKGROUND = QColor("#fef3c7")
STATUS_COLOURS = {
    EntryStatus.DRAFT: "#6b7280",
    EntryStatus.SUBMITTED: "#1d4ed8",
    EntryStatus.CONFIRMED: "#15803d",
    EntryStatus.RETURNED: "#b91c1c",
}
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #15803d;"


# -- labels ----------------------------------------------------------------------------------
def data_label(text: str = "", *, wrap: bool = False) -> QLabel:
    """A label whose text is data (selectable, not translated)."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    mark_data(label)
    return label


def message_label() -> QLabel:
    """The message line of a page (what the last action did, or why it was refused)."""
    label = data_label(wrap=True)
    label.setObjectName("message")
    return label


# -- building pages --------------------------------------------------------------------------
def named(widget: Any, name: str, *, data: bool = False) -> Any:
    """``widget`` with an object name (tests and accessibility find it by it); ``data``: its
    text is data, not interface text."""
    widget.setObjectName(name)
    if data:
        mark_data(widget)
    return widget


def buttons(*names: str) -> list[QPushButton]:
    """Push buttons with these object names (their text is set when the page is translated)."""
    return [named(QPushButton(), name) for name in names]


# What :func:`row` and :func:`stacked` lay out: a widget or a layout, ``(it, stretch)`` or
# ``(widget, stretch, alignment)``, an int (a stretch) or None (a stretch of 1).
Item = QWidget | QLayout | int | None | tuple[Any, ...]


def _lay_out(layout: QBoxLayout, items: tuple[Item, ...]) -> None:
    for item in items:
        stretch, alignment = 0, None
        if isinstance(item, tuple):
            item, stretch, *rest = item
            alignment = rest[0] if rest else None
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addStretch(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item, stretch)
        elif alignment is not None:
            layout.addWidget(item, stretch, alignment)
        else:
            layout.addWidget(item, stretch)


def row(*items: Item) -> QHBoxLayout:
    """Widgets and layouts side by side (see :data:`Item`)."""
    layout = QHBoxLayout()
    _lay_out(layout, items)
    return layout


def column(owner: QWidget | None, *items: Item) -> QVBoxLayout:
    """Widgets and layouts one under the other, laid out on ``owner`` (see :data:`Item`)."""
    layout = QVBoxLayout(owner) if owner is not None else QVBoxLayout()
    _lay_out(layout, items)
    return layout


def split(*parts: tuple[QWidget, int, int], collapsible: bool = True) -> QSplitter:
    """``(widget, stretch, width)`` parts side by side, which the user can resize."""
    splitter = QSplitter()
    for index, (widget, stretch, _width) in enumerate(parts):
        splitter.addWidget(widget)
        splitter.setStretchFactor(index, stretch)
    splitter.setChildrenCollapsible(collapsible)
    splitter.setSizes([width for _widget, _stretch, width in parts])
    return splitter


def fill_levels(combo: QComboBox, levels: tuple[Level | None, ...]) -> None:
    """``combo`` offering ``levels`` by their names in the current language (no level: "")."""
    combo.clear()
    for level in levels:
        combo.addItem(level_label(level), level.value if level else "")


def stacked(*items: Item) -> QWidget:
    """A widget holding ``items`` one under the other, without margins (a side of a splitter,
    the inside of a scroll area; see :data:`Item`)."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    _lay_out(layout, items)
    return holder


def form(owner: QWidget | None, fields: list[QWidget | QLayout]) -> tuple[QFormLayout,
                                                                          list[QLabel]]:
    """A form of ``fields``, each with a label (returned, for the page to translate) that
    moves the focus to its field (mnemonics)."""
    layout = QFormLayout(owner) if owner is not None else QFormLayout()
    return layout, add_fields(layout, fields)


def add_fields(layout: QFormLayout, fields: list[QWidget | QLayout]) -> list[QLabel]:
    """A row of ``layout`` for each field, with a label that moves the focus to it; the labels
    are returned for the page to translate (:func:`set_texts`)."""
    labels = []
    for field in fields:
        label = QLabel()
        if isinstance(field, QWidget):
            label.setBuddy(field)
        layout.addRow(label, field)
        labels.append(label)
    return labels


def scrolled(widget: QWidget, *, frame: bool = True, sideways: bool = False) -> QScrollArea:
    """``widget`` in a scroll area that gives it the area's width; at 1366×768 a page never
    scrolls sideways unless ``sideways``."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    if not frame:
        scroll.setFrameShape(QFrame.Shape.NoFrame)
    if not sideways:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


def set_texts(widgets: list[Any], texts: tuple[str, ...] | list[str]) -> None:
    """``setText`` of each widget, in order (retranslating labels and buttons)."""
    for widget, text in zip(widgets, texts, strict=True):
        widget.setText(text)


def with_side_panel(main: QWidget, side: list[QWidget | QLayout], width: int) -> QHBoxLayout:
    """``main`` taking the width, with a column of ``side`` widgets of ``width`` pixels at the
    right (what is left of the column's height stays empty at its bottom)."""
    column = QVBoxLayout()
    for item in side:
        if isinstance(item, QLayout):
            column.addLayout(item)
        else:
            column.addWidget(item)
    column.addStretch(1)
    panel = QWidget()
    panel.setLayout(column)
    panel.setFixedWidth(width)
    body = QHBoxLayout()
    body.addWidget(main, 1)
    body.addWidget(panel)
    return body


# -- errors ----------------------------------------------------------------------------------
class Said:
    """What the last action said on a page's message label, said again in the new language
    after a switch: ``said(lambda: self.tr("…").format(…), colour)`` shows it; the page's
    ``retranslate_ui`` calls ``said.again()``."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        self._make: Callable[[], str] | None = None

    def __call__(self, make: Callable[[], str], colour: str | None = None) -> None:
        self._make = make
        if colour is not None:
            self.label.setStyleSheet(f"color: {colour}")
        self.label.setText(make())

    def again(self) -> None:
        if self._make is not None:
            self.label.setText(self._make())

    def clear(self) -> None:
        self._make = None
        self.label.clear()


def error_text(error: BaseException) -> str:
    return describe(error) if isinstance(error, KpiError) else str(error)


def show_error(parent: QWidget, title: str, error: BaseException) -> None:
    QMessageBox.warning(parent, title, error_text(error))


# -- dates, numbers, months ------------------------------------------------------------------
def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_format() -> str:
    """The QDateEdit display format of the current language."""
    return "dd/MM/yyyy" if i18n.current_language() == "vi" else "d MMM yyyy"


def dialog_buttons(dialog: QDialog, *, accept: Any = None, close: bool = False,
                   own: tuple[QPushButton, QPushButton] | None = None,
                   actions: tuple[tuple[QPushButton, Any], ...] = ()) -> QDialogButtonBox:
    """The buttons of a dialog, wired to it: OK and Cancel (OK runs ``accept``, by default
    ``dialog.accept``), or Close alone (``close``), or the dialog's ``own`` accept and cancel
    buttons; ``actions``: (button, what it runs) beside them."""
    standard = QDialogButtonBox.StandardButton
    box = QDialogButtonBox() if own is not None else QDialogButtonBox(
        standard.Close if close else standard.Ok | standard.Cancel)
    if own is not None:
        box.addButton(own[0], QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(own[1], QDialogButtonBox.ButtonRole.RejectRole)
    for button, slot in actions:
        box.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(slot)
    box.accepted.connect(accept or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def year_spin(year: int) -> QSpinBox:
    """The year a page shows (2020–2100), starting at ``year``."""
    spin = QSpinBox()
    spin.setRange(2020, 2100)
    spin.setValue(year)
    return spin


def date_edit(day: dt.date) -> QDateEdit:
    """A date field with its calendar, in the language's format (dd/MM/yyyy in Vietnamese)."""
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    return edit


def date_text(day: dt.date | None) -> str:
    """dd/MM/yyyy (vi) or ISO (en); an em dash when there is no date."""
    if day is None:
        return "—"
    if i18n.current_language() == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return day.isoformat()


def number_locale() -> QLocale:
    """The locale spin boxes use, so "2,5" is typed and shown in Vietnamese."""
    if i18n.current_language() == "vi":
        return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def month_periods(today: dt.date, before: int = 11, after: int = 1) -> list[Period]:
    """Months around ``today``, newest first."""
    current = Period.containing(today)
    return [current.shifted(step) for step in range(after, -before - 1, -1)]


def month_text(period: Period) -> str:
    """"11/2026" (vi) or "Nov 2026" (en)."""
    return f"{period.number:02d}/{period.year}" if i18n.current_language() == "vi" \
        else f"{dt.date(period.year, period.number, 1):%b %Y}"


def period_text(period: Period) -> str:
    """A period as people write it: "11/2026", "Quý 4/2026", "6 tháng cuối năm 2026",
    "Năm 2026" (or "Nov 2026", "Quarter 4/2026", "Second half of 2026", "Year 2026")."""
    if period.kind is PeriodKind.MONTH:
        return month_text(period)
    if period.kind is PeriodKind.QUARTER:
        return translate("Period", "Quarter {n}/{year}").format(n=period.number,
                                                                year=period.year)
    if period.kind is PeriodKind.HALF:
        return (translate("Period", "First half of {year}") if period.number == 1
                else translate("Period", "Second half of {year}")).format(year=period.year)
    return translate("Period", "Year {year}").format(year=period.year)


def period_kind_label(kind: PeriodKind) -> str:
    return {
        PeriodKind.MONTH: translate("Period", "Month"),
        PeriodKind.QUARTER: translate("Period", "Quarter"),
        PeriodKind.HALF: translate("Period", "Half year"),
        PeriodKind.YEAR: translate("Period", "Year"),
    }[kind]


# How many periods of each kind a :class:`PeriodPicker` offers, the newest first.
PICKER_DEPTH = {PeriodKind.MONTH: 24, PeriodKind.QUARTER: 8, PeriodKind.HALF: 4,
                PeriodKind.YEAR: 4}


def last_finished(today: dt.date, kind: PeriodKind = PeriodKind.MONTH) -> Period:
    """The newest period of ``kind`` that has ended by ``today`` (a period ending today counts)."""
    current = Period.containing(today, kind)
    return current if current.end <= today else current.shifted(-1)


class PeriodPicker(Retranslated, QWidget):
    """Which period: the kind (month, quarter, half year, year — only those allowed) and one of
    its recent periods, written as people write them ("11/2026", never "2026-11").

    ``changed`` is emitted when the chosen period changes; :meth:`period` returns it.
    """

    changed = Signal()

    def __init__(self, today: dt.date, kinds: tuple[PeriodKind, ...] = (PeriodKind.MONTH,),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._kinds: tuple[PeriodKind, ...] = ()
        self.kind = QComboBox()
        self.kind.setObjectName("periodKind")
        self.combo = QComboBox()
        self.combo.setObjectName("period")
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        mark_data(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.combo, 1)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.set_kinds(kinds)

    def kinds(self) -> tuple[PeriodKind, ...]:
        return self._kinds

    def set_kinds(self, kinds: tuple[PeriodKind, ...]) -> None:
        """Offer only ``kinds``; the chosen period becomes the one of the first allowed kind
        around it when its own kind is no longer offered."""
        before = self.period() if self._kinds else last_finished(self._today, kinds[0])
        self._kinds = tuple(kinds)
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind in self._kinds:
            self.kind.addItem(period_kind_label(kind), kind.value)
        self.kind.blockSignals(False)
        self.kind.setVisible(len(self._kinds) > 1)
        self.set_period(before)

    def period(self) -> Period:
        data = self.combo.currentData()
        if data:
            return Period.parse(data)
        return last_finished(self._today, self._kinds[0])

    def set_period(self, period: Period) -> None:
        """Choose ``period``; one of another kind becomes the allowed period around it."""
        if period.kind not in self._kinds:
            kind = next((k for k in self._kinds if k.months >= period.kind.months),
                        self._kinds[-1])
            day = min(period.end, self._today) if kind.months > period.kind.months \
                else period.start
            period = Period.containing(day, kind)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(period.kind.value)))
        self.kind.blockSignals(False)
        self._fill(period)

    def _kind_chosen(self, _index: int) -> None:
        kind = PeriodKind(self.kind.currentData())
        current = self.period()
        day = min(current.end, self._today) if kind.months > current.kind.months \
            else min(current.start, self._today)
        wanted = Period.containing(day, kind)
        self._fill(wanted if wanted.start <= self._today else last_finished(self._today, kind))

    def _fill(self, chosen: Period) -> None:
        newest = Period.containing(self._today, chosen.kind)
        periods = [newest.shifted(-step) for step in range(PICKER_DEPTH[chosen.kind])]
        if chosen not in periods:
            periods.append(chosen)
            periods.sort(key=lambda p: p.start, reverse=True)
        old = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for period in periods:
            self.combo.addItem(period_text(period), str(period))
        self.combo.setCurrentIndex(self.combo.findData(str(chosen)))
        self.combo.blockSignals(False)
        if old != str(chosen):
            self.changed.emit()

    def retranslate_ui(self) -> None:
        for index in range(self.kind.count()):
            self.kind.setItemText(index, period_kind_label(PeriodKind(self.kind.itemData(index))))
        for index in range(self.combo.count()):
            self.combo.setItemText(index, period_text(Period.parse(self.combo.itemData(index))))


def names_of(services: Any) -> Any:
    """``name(id)``: the name of a person or unit id in the current language (the id itself
    when unknown), so pages never show "vp-cvp" or "vp"."""
    known = services.organisation.names()
    english = i18n.current_language() != "vi"

    def name(identifier: str | None) -> str:
        if not identifier:
            return ""
        found = known.get(identifier)
        return identifier if found is None else found[1 if english else 0]

    return name


def weekday_name(day: dt.date) -> str:
    return [
        translate("Weekday", "Mon"), translate("Weekday", "Tue"), translate("Weekday", "Wed"),
        translate("Weekday", "Thu"), translate("Weekday", "Fri"), translate("Weekday", "Sat"),
        translate("Weekday", "Sun"),
    ][day.weekday()]


def short_date(day: dt.date) -> str:
    """Weekday and day without the year: "T3 17/11" or "Tue 17 Nov"."""
    if i18n.current_language() == "vi":
        return f"{weekday_name(day)} {day.day:02d}/{day.month:02d}"
    return f"{weekday_name(day)} {day.day} {day.strftime('%b')}"


def duration(minutes: Fraction | float | int) -> str:
    """Minutes as "7 h 05 min" (rounded to the minute)."""
    total = int(round(Fraction(minutes)))
    hours, rest = divmod(total, 60)
    if hours == 0:
        return translate("Duration", "{m} min").format(m=rest)
    return translate("Duration", "{h} h {m:02d} min").format(h=hours, m=rest)


def clock(minutes: Fraction | float | int) -> str:
    """Minutes as hours and minutes, "7:05", for narrow table columns."""
    total = int(round(Fraction(minutes)))
    return f"{total // 60}:{total % 60:02d}"


# -- names -----------------------------------------------------------------------------------
def name_of(obj: Any) -> str:
    """``name_vi`` or ``name_en`` of a catalog item, unit or position, by language."""
    if i18n.current_language() == "vi":
        return getattr(obj, "name_vi", "") or ""
    return getattr(obj, "name_en", "") or getattr(obj, "name_vi", "") or ""


# -- pages -----------------------------------------------------------------------------------
def refresh_when_visible(page: Any) -> None:
    """Reload a page now if it is shown; the window refreshes hidden pages when shown."""
    if page.isVisible():
        page.refresh()


class ReasonDialog(QDialog):
    """Asks for a reason, optionally offering ready-made templates."""

    def __init__(self, title: str, prompt: str, templates: list[str] | None = None,
                 parent: QWidget | None = None, *, required: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._required = required
        layout = QVBoxLayout(self)
        prompt_label = QLabel(prompt)
        prompt_label.setWordWrap(True)
        layout.addWidget(prompt_label)
        self.templates = QComboBox()
        if templates:
            self.templates.addItem(self.tr("Choose a ready-made reason…"), "")
            for text in templates:
                self.templates.addItem(text, text)
            self.templates.activated.connect(self._use_template)
            layout.addWidget(self.templates)
        else:
            self.templates.hide()
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(90)
        layout.addWidget(self.text)
        layout.addWidget(dialog_buttons(self, accept=self._accept))
        self.text.setFocus()

    def _use_template(self, index: int) -> None:
        value = self.templates.itemData(index)
        if value:
            self.text.setPlainText(value)

    def _accept(self) -> None:
        if self._required and not self.reason().strip():
            self.text.setFocus()
            return
        self.accept()

    def reason(self) -> str:
        return self.text.toPlainText()


# The old name of :class:`ReasonDialog` (the leader's pages and their tests use it).
LeaderReasonDialog = ReasonDialog


class DetailSplitter(Retranslated, QSplitter):
    """A list and its detail panel side by side; the panel folds away (``fold_button``) so the
    list gets the whole width on a small screen, and comes back where it was."""

    def __init__(self, main: QWidget, detail: QWidget, *, detail_width: int = 460,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.addWidget(main)
        self.addWidget(detail)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setCollapsible(0, False)
        self._detail_width = detail_width
        self.setSizes([max(200, 1366 - 220 - detail_width), detail_width])
        self.fold_button = QToolButton()
        self.fold_button.setCheckable(True)
        self.fold_button.setChecked(True)
        self.fold_button.toggled.connect(self.show_detail)
        self.splitterMoved.connect(lambda *_: self._sync_button())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.fold_button.setText(self.tr("Details ▸") if self.detail_shown()
                                 else self.tr("◂ Details"))
        self.fold_button.setToolTip(self.tr("Show or fold away the detail panel"))

    def detail_shown(self) -> bool:
        return self.sizes()[1] > 0 if self.count() > 1 else False

    def show_detail(self, shown: bool) -> None:
        total = sum(self.sizes()) or self.width()
        if shown:
            width = min(self._detail_width, max(total // 2, 1))
            self.setSizes([max(1, total - width), width])
        else:
            if self.detail_shown():
                self._detail_width = self.sizes()[1]
            self.setSizes([total, 0])
        self._sync_button()

    def _sync_button(self) -> None:
        self.fold_button.blockSignals(True)
        self.fold_button.setChecked(self.detail_shown())
        self.fold_button.blockSignals(False)
        self.retranslate_ui()
