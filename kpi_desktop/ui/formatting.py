"""Numbers and dates in the conventions of the current language (vi: 1.234,56 and dd/MM/yyyy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from kpi_desktop.domain.numbers import format_number
from kpi_desktop.runtime import i18n


def number(value: Decimal | Fraction | float | int | None, decimals: int = 2) -> str:
    """``value`` rounded half-up to ``decimals`` places, or an en dash: the application's one
    number formatter (:func:`kpi_desktop.domain.numbers.format_number`) in the language in use."""
    return format_number(value, decimals, language=i18n.effective_language(), grouping=True)


def percent(value: Decimal | Fraction | float | None) -> str:
    """A share in percent as the decree writes it, without a space: "95,50%" ("25%" in the
    glossary)."""
    return "–" if value is None else f"{number(value)}%"


def date(value: dt.date | None) -> str:
    """dd/MM/yyyy in Vietnamese, "5 Mar 2026" in English."""
    return _date(value, "%d/%m/%Y", "%b %Y")


def day_month(value: dt.date | None) -> str:
    """A deadline within the year: "17/12" in Vietnamese, "17 Dec" in English."""
    return _date(value, "%d/%m", "%b")


def _date(value: dt.date | None, vietnamese: str, english_after_day: str) -> str:
    if value is None:
        return ""
    if i18n.current_language() == "vi":
        return value.strftime(vietnamese)
    return f"{value.day} {value.strftime(english_after_day)}"
