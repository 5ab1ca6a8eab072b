"""Small helpers shared by the official's pages (labels that show data, durations, errors)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EntryStatus
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import describe

# Marking data widgets (names, numbers: not translated) lives in pages.base, which the main
# window imports without the domain model; here for the pages that import it from here.
from kpi_desktop.ui.pages.base import DATA_PROPERTY as DATA_PROPERTY
from kpi_desktop.ui.pages.base import mark_data as mark_data


def data_label(text: str = "", *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    mark_data(label)
    return label


def duration(minutes: Fraction | float | int) -> str:
    """Minutes as "7 h 05 min" (rounded to the minute)."""
    total = int(round(Fraction(minutes)))
    hours, rest = divmod(total, 60)
    if hours == 0:
        return translate("Duration", "{m} min").format(m=rest)
    return translate("Duration", "{h} h {m:02d} min").format(h=hours, m=rest)


def status_label(status: EntryStatus) -> str:
    return {
        EntryStatus.DRAFT: translate("EntryStatus", "draft"),
        EntryStatus.SUBMITTED: translate("EntryStatus", "submitted"),
        EntryStatus.CONFIRMED: translate("EntryStatus", "confirmed"),
        EntryStatus.RETURNED: translate("EntryStatus", "returned"),
    }[status]


STATUS_COLOURS = {
    EntryStatus.DRAFT: "#6b7280",
    EntryStatus.SUBMITTED: "#1d4ed8",
    EntryStatus.CONFIRMED: "#15803d",
    EntryStatus.RETURNED: "#b91c1c",
}


def error_text(error: Exception) -> str:
    if isinstance(error, KpiError):
        return describe(error)
    return str(error)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_format() -> str:
    """The QDateEdit display format of the current language."""
    return "dd/MM/yyyy" if i18n.current_language() == "vi" else "d MMM yyyy"


def name_of(obj: Any) -> str:
    """``name_vi`` or ``name_en`` of a catalog item, unit or position, by language."""
    if i18n.current_language() == "vi":
        return obj.name_vi
    return getattr(obj, "name_en", "") or obj.name_vi


def weekday_name(day: dt.date) -> str:
    return [
        translate("Weekday", "Mon"), translate("Weekday", "Tue"), translate("Weekday", "Wed"),
        translate("Weekday", "Thu"), translate("Weekday", "Fri"), translate("Weekday", "Sat"),
        translate("Weekday", "Sun"),
    ][day.weekday()]


def clock(minutes: Fraction | float | int) -> str:
    """Minutes as hours and minutes, "7:05", for narrow table columns."""
    total = int(round(Fraction(minutes)))
    return f"{total // 60}:{total % 60:02d}"


def short_date(day: dt.date) -> str:
    """Weekday and day without the year: "T3 17/11" or "Tue 17 Nov"."""
    if i18n.current_language() == "vi":
        return f"{weekday_name(day)} {day.day:02d}/{day.month:02d}"
    return f"{weekday_name(day)} {day.day} {day.strftime('%b')}"


def refresh_when_visible(page: Any) -> None:
    """Reload a page now if it is shown; the window refreshes hidden pages when shown."""
    if page.isVisible():
        page.refresh()
