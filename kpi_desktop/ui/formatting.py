"""Numbers and dates in the conventions of the current language (vi: 83,03 and dd/MM/yyyy)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from PySide6.QtCore import QLocale

from kpi_desktop.runtime import i18n


def locale() -> QLocale:
    """The QLocale of the current UI language."""
    if i18n.current_language() == "vi":
        return QLocale(QLocale.Language.Vietnamese, QLocale.Territory.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Territory.UnitedKingdom)


def number(value: Decimal | Fraction | float | int | None, decimals: int = 2) -> str:
    """``value`` with ``decimals`` places, or an en dash when there is none."""
    if value is None:
        return "–"
    rounded = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(
        value, Fraction) else Decimal(str(value))
    text = locale().toString(float(round(rounded, decimals)), "f", decimals)
    return text.replace("\u00a0", " ")


def percent(value: Decimal | Fraction | float | None) -> str:
    return "–" if value is None else f"{number(value)} %"


def date(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y" if i18n.current_language() == "vi"
                                                   else "%d %b %Y")
