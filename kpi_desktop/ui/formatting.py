"""Numbers and dates in the conventions of the current language (vi: 1.234,56 and dd/MM/yyyy)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kpi_desktop.runtime import i18n


def _decimal(value: Decimal | Fraction | float | int) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def number(value: Decimal | Fraction | float | int | None, decimals: int = 2) -> str:
    """``value`` rounded half-up to ``decimals`` places (as the scores are), or an en dash."""
    if value is None:
        return "–"
    rounded = _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if i18n.current_language() == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def percent(value: Decimal | Fraction | float | None) -> str:
    return "–" if value is None else f"{number(value)} %"


def date(value: dt.date | None) -> str:
    """dd/MM/yyyy in Vietnamese, "5 Mar 2026" in English."""
    if value is None:
        return ""
    if i18n.current_language() == "vi":
        return value.strftime("%d/%m/%Y")
    return f"{value.day} {value.strftime('%b %Y')}"


def day_month(value: dt.date | None) -> str:
    """A deadline within the year: "17/12" in Vietnamese, "17 Dec" in English."""
    if value is None:
        return ""
    if i18n.current_language() == "vi":
        return value.strftime("%d/%m")
    return f"{value.day} {value.strftime('%b')}"
