"""Small pieces the leader's pages share: data labels, level colours, a reason dialog."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Level, Period
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import describe

#: Dynamic property of widgets whose text is data (names, numbers), not interface text.
DATA_PROPERTY = "kpiData"

LEVEL_COLOURS = {
    Level.EXCELLENT: QColor("#15803d"),
    Level.GOOD: QColor("#2563eb"),
    Level.COMPLETE: QColor("#d97706"),
    Level.NOT_COMPLETE: QColor("#b91c1c"),
    None: QColor("#6b7280"),
}
OVERDUE_BACKGROUND = QColor("#fee2e2")
FLAG_BACKGROUND = QColor("#fef3c7")


def mark_data(widget: QWidget) -> QWidget:
    widget.setProperty(DATA_PROPERTY, True)
    return widget


def data_label(text: str = "", *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    mark_data(label)
    return label


def error_text(error: Exception) -> str:
    return describe(error) if isinstance(error, KpiError) else str(error)


def show_error(parent: QWidget, title: str, error: Exception) -> None:
    QMessageBox.warning(parent, title, error_text(error))


def name_of(obj: Any) -> str:
    """The Vietnamese or English name of a unit or catalog item."""
    if i18n.current_language() == "vi":
        return getattr(obj, "name_vi", "") or ""
    return getattr(obj, "name_en", "") or getattr(obj, "name_vi", "") or ""


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def number_locale() -> QLocale:
    """The locale spin boxes use, so "2,5" is typed and shown in Vietnamese."""
    if i18n.current_language() == "vi":
        return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def date_format() -> str:
    return "dd/MM/yyyy" if i18n.current_language() == "vi" else "d MMM yyyy"


def month_periods(today: dt.date, before: int = 11, after: int = 1) -> list[Period]:
    """Months around ``today``, newest first."""
    current = Period.containing(today)
    return [current.shifted(step) for step in range(after, -before - 1, -1)]


def month_text(period: Period) -> str:
    return f"{period.number:02d}/{period.year}" if i18n.current_language() == "vi" \
        else f"{dt.date(period.year, period.number, 1):%b %Y}"


class LeaderReasonDialog(QDialog):
    """Asks for a reason, optionally offering ready-made templates."""

    def __init__(self, title: str, prompt: str, templates: list[str] | None = None,
                 parent: QWidget | None = None, *, required: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._required = required
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
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
