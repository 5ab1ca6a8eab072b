"""Words and numbers on the printed forms, in the language a report is made in.

:func:`translate` is the application's translator (``kpi_desktop.runtime.i18n``), with one
addition: while the Vietnamese texts of the reports wait in ``translations/pending/`` to be
merged into the compiled catalog, they are read from there, so a Vietnamese form is never
printed half in English. Once merged, the compiled catalog answers and the fallback is unused.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from kpi_desktop.domain.numbers import format_number, shown
from kpi_desktop.domain.scores import Level
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import translations_root


@lru_cache(maxsize=1)
def _pending() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    folder = translations_root() / "pending"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for context, texts in data.items():
            if isinstance(texts, dict):
                found.setdefault(context, {}).update(
                    {str(k): str(v) for k, v in texts.items()}
                )
    return found


def translate(context: str, text: str) -> str:
    """``text`` of ``context`` in the report's language, NFC."""
    result = i18n.translate(context, text)
    if result == text and i18n.effective_language() == "vi":
        result = _pending().get(context, {}).get(text, text)
    return unicodedata.normalize("NFC", result)


def language() -> str:
    return i18n.effective_language()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def number(value: Fraction | Decimal | int | float | None, places: int = 2) -> str:
    """A score with ``places`` decimals, rounded half-up; a comma for decimals in Vietnamese
    (the application's one formatter, :func:`kpi_desktop.domain.numbers.format_number`)."""
    return format_number(value, places, language=language())


def points(value: Decimal | Fraction | int | None) -> str:
    """Points as written on the decree's form: "5", "2,5", "30" (no needless zeros)."""
    if value is None:
        return ""
    return _plain(shown(Fraction(value)))  # a mean of points is shown like every other figure


def _plain(exact: Fraction) -> str:
    if exact.denominator == 1:
        return str(exact.numerator)
    text = format(Decimal(exact.numerator) / Decimal(exact.denominator), "f").rstrip("0")
    return text.replace(".", ",") if language() == "vi" else text


def quantity(value: Decimal | int | None) -> str:
    if value is None or value == 0:
        return ""
    return _plain(Fraction(value))


def level_label(level: Level | str | None) -> str:
    """The official name of a classification level."""
    value = getattr(level, "value", level)
    return {
        "excellent": translate("Report", "Excellent: completed tasks excellently"),
        "good": translate("Report", "Good: completed tasks well"),
        "complete": translate("Report", "Satisfactory: completed tasks"),
        "not_complete": translate("Report", "Unsatisfactory: did not complete tasks"),
        None: translate("Report", "Not classified"),
    }.get(value, str(value))


def leave_label(kind: str) -> str:
    """The kind of a leave (Điều 11.2) as the form writes it."""
    return {
        "sick": translate("Report", "sick leave (social insurance)"),
        "maternity": translate("Report", "maternity leave (social insurance)"),
        "unpaid": translate("Report", "unpaid personal leave"),
    }.get(kind, kind)


def note_label(note: str) -> str:
    return {
        "insufficient": translate("Report", "insufficient data"),
        "not_evaluated": translate("Report", "not evaluated"),
        "not_employed": translate("Report", "not yet in service"),
        "left": translate("Report", "no longer in service"),
        "too_few_months": translate("Report", "fewer than 6 months worked"),
        "disciplined": translate("Report", "disciplined (Article 20.4)"),
        "capped_by_org": translate("Report", "capped by the organisation's level (Article 20.6)"),
        "on_leave": translate("Report", "on leave the whole month (Article 11.2)"),
        "provisional": translate("Report", "month not over: provisional, not in the mean"),
        "classified_on_leave": translate(
            "Report", "classified on the months actually worked (Article 11.2)"),
        "": "",
    }.get(note, note)


def month_name(month: int) -> str:
    return [
        translate("Report", "January"),
        translate("Report", "February"),
        translate("Report", "March"),
        translate("Report", "April"),
        translate("Report", "May"),
        translate("Report", "June"),
        translate("Report", "July"),
        translate("Report", "August"),
        translate("Report", "September"),
        translate("Report", "October"),
        translate("Report", "November"),
        translate("Report", "December"),
    ][month - 1]


def date_text(iso: str) -> str:
    """An ISO date as people write it: 20/12/2026 in Vietnamese, 2026-12-20 in English."""
    if language() != "vi" or len(iso) != 10:
        return iso
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(period: str) -> str:
    """ "2026-03" → "tháng 03 năm 2026" / "March 2026"; quarters and years likewise."""
    if "-H" in period:
        year, half = period.split("-H")
        if half == "1":
            return translate("Report", "first half of {year}").format(year=year)
        return translate("Report", "second half of {year}").format(year=year)
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return translate("Report", "quarter {quarter} of {year}").format(
            quarter=_ROMAN.get(int(quarter), quarter), year=year
        )
    if "-" in period:
        year, month = period.split("-")
        return translate("Report", "{month_name} {year}").format(
            month_name=month_name(int(month)), year=year
        )
    return translate("Report", "year {year}").format(year=period)
