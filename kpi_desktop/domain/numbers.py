"""How a figure is shown: the one rounding and the one formatter of every surface.

Scores are computed exactly (``fractions.Fraction``) and compared with the cut-offs exactly
(or after the policy's rounding, see ``scoring.level_for``). For people they are shown rounded
half-up to :data:`DISPLAY_PLACES` decimals — the score page, the month page, Form 01 and 02,
the unit summary, the CLI, the CSV/XLSX/JSON exports all go through :func:`shown` (the value
as displayed) and :func:`format_number` (its text), so one figure never prints two ways
(Form 01 printed 29,16 in one table and 29,17 in another for the same mean, issue 15).

Sums shown next to their parts are computed from the exact parts and rounded once; a part is
never rounded before it is added.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from kpi_desktop.domain.scores import round_half_up

__all__ = ["DISPLAY_PLACES", "decimal_text", "format_number", "shown"]

# Decimals of every score, mean and percentage people read (DESIGN.md §4: "show two decimals").
DISPLAY_PLACES = 2

_Number = Fraction | Decimal | int | float


def _exact(value: _Number) -> Fraction:
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


def shown(value: _Number, places: int = DISPLAY_PLACES) -> Fraction:
    """``value`` as it is displayed: rounded half-up (away from zero) to ``places`` decimals.

    83.025 → 83.03 (Python's ``round`` would give 83.02).
    """
    return round_half_up(_exact(value), places)


def decimal_text(value: _Number | None, places: int = DISPLAY_PLACES) -> str | None:
    """Machine-readable text of the displayed value, with a dot: ``"29.17"``; None stays None.

    What the CSV/XLSX/JSON exports write (the same rounding as the screens and forms).
    """
    if value is None:
        return None
    exact = shown(value, places)
    return f"{Decimal(exact.numerator) / Decimal(exact.denominator):.{places}f}"


def format_number(value: _Number | None, places: int = DISPLAY_PLACES, *,
                  language: str = "en", grouping: bool = False, empty: str = "–") -> str:
    """The text people read: ``"29,17"`` in Vietnamese, ``"29.17"`` in English.

    ``grouping`` adds thousands separators (``1.234,50`` / ``1,234.50``); ``None`` gives
    ``empty`` (an en dash by default).
    """
    if value is None:
        return empty
    exact = shown(value, places)
    number = Decimal(exact.numerator) / Decimal(exact.denominator)
    text = f"{number:,.{places}f}" if grouping else f"{number:.{places}f}"
    if language == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text
