"""Checks of what people type and the files they bring, in one place (issue 14).

The command line, the services and the GUI call these; each refusal is a
:class:`~kpi_desktop.domain.errors.RefusedValue` whose code ``services.messages`` words:

* :func:`check_text` — no control character (NUL, escape, …, DEL, C1), no lone surrogate, no
  bidirectional override (text that shows differently from what it is), at most a given
  length; single-line fields allow no line break or tab either. ``text_control_character``,
  ``text_too_long``.
* :func:`check_date` — a date people work with lies between :data:`FIRST_DATE` (2020) and one
  year after today. ``date_out_of_range``.
* :func:`check_quantity` — a number of products: positive, at most two decimals, at most
  :data:`MAX_QUANTITY`, and within what the catalog item makes plausible for one day unless
  the person confirms it. ``quantity_not_positive``, ``quantity_too_precise``,
  ``quantity_too_large``, ``quantity_needs_confirmation``.
* :func:`check_minutes` — a duration in minutes: 0 to one day. ``duration_out_of_range``.
* :func:`export_cell` / :func:`export_text` — what goes into a CSV or XLSX export: text that a
  spreadsheet would run as a formula (a leading ``= + - @``, tab or carriage return) is
  prefixed with an apostrophe, as OWASP recommends for CSV injection, and control characters
  are replaced by U+FFFD, so no export can fail on them or carry them on.

Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from kpi_desktop.domain.errors import RefusedValue

__all__ = [
    "FIRST_DATE",
    "MAX_DOC_NUMBER",
    "MAX_QUANTITY",
    "MAX_TEXT",
    "PLAUSIBLE_QUANTITY",
    "check_date",
    "check_minutes",
    "check_quantity",
    "check_text",
    "export_cell",
    "export_text",
    "find_forbidden",
    "last_date",
    "parse_quantity",
]

# The first date anyone works with in KPI Desktop (Decree 335 applies from 2026; data of the
# years before is history that may be entered).
FIRST_DATE = dt.date(2020, 1, 1)
# How far ahead a date may lie: one year after today.
FUTURE = dt.timedelta(days=366)
# No entry counts more products than this, confirmed or not.
MAX_QUANTITY = Decimal(10000)
# Without a time norm, more products than this in one entry need a confirmation.
PLAUSIBLE_QUANTITY = Decimal(100)
# An entry holds at most the products whose time norms fit in one whole day (24 hours).
DAY_MINUTES = 1440
# The default longest free text (a description, a reason) in characters.
MAX_TEXT = 4000
# The longest document number, name or other one-line value, in characters.
MAX_DOC_NUMBER = 200
_CENT = Decimal("0.01")

# C0 except tab/line feed/carriage return, DEL, C1; lone surrogates (from undecodable command
# line bytes); bidirectional embeddings, overrides and isolates; U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                        "\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_FORBIDDEN_SINGLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                               "\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def find_forbidden(value: str, *, multiline: bool = True) -> str | None:
    """The first character of ``value`` that may not be stored, or ``None``."""
    match = (_FORBIDDEN if multiline else _FORBIDDEN_SINGLE).search(value)
    return None if match is None else match.group()


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_text(value: str, field: str, *, multiline: bool = False, max_length: int = MAX_TEXT,
               row: int | None = None) -> str:
    """``value`` in NFC without surrounding white space, once it passes.

    Args:
        field: the field's name for the message ("output_description", "--reason", …).
        multiline: line breaks and tabs are allowed (a description, a reason).
        row: the row of a file, for the message.

    Raises:
        RefusedValue: ``text_control_character`` (``field``, ``char`` as "U+0000", ``row``),
            ``text_too_long`` (``field``, ``maximum``, ``length``, ``row``).
    """
    where = {} if row is None else {"row": row}
    if not isinstance(value, str):
        raise RefusedValue("text_control_character", field=field, char="?", **where)
    bad = find_forbidden(value, multiline=multiline)
    if bad is not None:
        raise RefusedValue("text_control_character", field=field, char=_code_point(bad),
                           **where)
    text = unicodedata.normalize("NFC", value).strip()
    if len(text) > max_length:
        raise RefusedValue("text_too_long", field=field, maximum=max_length,
                           length=len(text), **where)
    return text


# ---------------------------------------------------------------------------- dates ----------


def last_date(today: dt.date) -> dt.date:
    """The latest date accepted when today is ``today``."""
    return today + FUTURE


def check_date(value: dt.date, field: str, *, today: dt.date) -> dt.date:
    """``value`` when it lies between 2020-01-01 and one year after ``today``.

    Raises:
        RefusedValue: ``date_out_of_range`` (``field``, ``value``, ``first``, ``last``).
    """
    last = last_date(today)
    if not FIRST_DATE <= value <= last:
        raise RefusedValue("date_out_of_range", field=field, value=value.isoformat(),
                           first=FIRST_DATE.isoformat(), last=last.isoformat())
    return value


# ---------------------------------------------------------------------------- numbers --------


def parse_quantity(value: Any) -> Decimal:
    """A number of products as typed ("2", "1,5", "0.25") → an exact decimal, with the hard
    bounds of :func:`check_quantity` (no item, no confirmation needed).

    Raises:
        RefusedValue: ``quantity_not_positive`` for text that is not a number, and the codes
            of :func:`check_quantity`.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool) or not isinstance(value, int | str):
        raise RefusedValue("quantity_not_positive", value=str(value)[:40])
    else:
        text = str(value).strip().replace(",", ".")
        if len(text) > 40 or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,6})?",
                                              text):
            raise RefusedValue("quantity_not_positive", value=str(value)[:40])
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise RefusedValue("quantity_not_positive", value=str(value)[:40]) from None
    return check_quantity(number)


def check_quantity(quantity: Decimal, *, time_norm_minutes: Decimal | None = None,
                   day_minutes: int = DAY_MINUTES, item: str = "",
                   confirmed: bool = False) -> Decimal:
    """``quantity`` when it is a plausible number of products for one entry.

    Hard bounds, never waived: greater than zero, at most two decimals, at most
    :data:`MAX_QUANTITY`. Plausible: with the item's time norm, the products fit in one whole
    day (``day_minutes``, 24 hours); without one, at most :data:`PLAUSIBLE_QUANTITY`. Above
    that the person must confirm (``confirmed``).

    Raises:
        RefusedValue: ``quantity_not_positive``, ``quantity_too_precise``,
            ``quantity_too_large`` (``maximum``), ``quantity_needs_confirmation``
            (``value``, ``maximum``, ``item``).
    """
    shown = str(quantity)[:40]
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise RefusedValue("quantity_not_positive", value=shown)
    if quantity > MAX_QUANTITY:
        raise RefusedValue("quantity_too_large", value=shown, maximum=str(MAX_QUANTITY))
    if quantity != quantity.quantize(_CENT):
        raise RefusedValue("quantity_too_precise", value=shown)
    if time_norm_minutes is not None and time_norm_minutes > 0:
        plausible = max(Decimal(1), (Decimal(day_minutes) / time_norm_minutes).quantize(
            _CENT, rounding=ROUND_FLOOR))
    else:
        plausible = PLAUSIBLE_QUANTITY
    if quantity > plausible and not confirmed:
        raise RefusedValue("quantity_needs_confirmation", value=shown,
                           maximum=str(plausible.normalize()), item=item)
    return quantity


def check_minutes(value: Any, field: str) -> Decimal:
    """A duration in minutes, from 0 to one whole day (1440).

    Raises:
        RefusedValue: ``duration_out_of_range`` (``field``, ``value``).
    """
    try:
        minutes = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise RefusedValue("duration_out_of_range", field=field, value=str(value)[:40]) from None
    if not minutes.is_finite() or not 0 <= minutes <= 1440:
        raise RefusedValue("duration_out_of_range", field=field, value=str(value)[:40])
    return minutes


# ---------------------------------------------------------------------------- exports --------


def export_text(value: str) -> str:
    """``value`` with every control character (and lone surrogate, bidirectional override)
    replaced by U+FFFD, line breaks kept as ``\\n``."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("\ufffd", text)


def export_cell(value: Any) -> Any:
    """What a CSV or XLSX cell may hold: numbers as they are; text cleaned
    (:func:`export_text`) and, when a spreadsheet would read it as a formula (a leading
    ``=``, ``+``, ``-``, ``@``, tab or carriage return), prefixed with an apostrophe — unless
    it is a plain number such as "-5" or "1,5"."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return export_text(text)
