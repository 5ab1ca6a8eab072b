"""Small value objects and pure helpers shared by every layer (stdlib only).

* :func:`normalize_text` — the one normalisation applied to every text that is searched,
  stored, hashed or signed (Unicode NFC, surrounding white space removed).
* :func:`fold_text` — a search key that ignores case, diacritics and đ/d ("Hồ sơ" → "ho so").
* :class:`Period` — a month ("2026-03"), quarter ("2026-Q1"), half year ("2026-H1") or year
  ("2026"), parsed with validation.
* :func:`canonical_json` — deterministic JSON text (sorted keys, no insignificant white space,
  NFC strings, decimals as strings) for snapshots that are hashed and signed.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import json
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any

from kpi_desktop.domain.errors import RefusedValue

__all__ = [
    "Period",
    "PeriodKind",
    "canonical_json",
    "fold_text",
    "new_id",
    "normalize_optional",
    "normalize_text",
    "shift_months",
    "to_decimal",
    "utc_now",
]


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def normalize_text(value: str) -> str:
    """``value`` in Unicode NFC with leading and trailing white space removed.

    Vietnamese input methods may send decomposed letters ("o" + combining hook + combining
    dot); everything that stores, searches, hashes or signs text goes through this first.
    """
    return unicodedata.normalize("NFC", value).strip()


def normalize_optional(value: str | None) -> str | None:
    """:func:`normalize_text` for an optional value; ``None`` stays ``None``."""
    return None if value is None else normalize_text(value)


_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_SPACES = re.compile(r"\s+")


def _without_marks(value: str) -> str:
    """``value`` with its diacritics taken off (the letters keep their case)."""
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_text(value: str) -> str:
    """A search key: lower case, no diacritics, đ → d, single spaces.

    >>> fold_text("  Xử lý ĐƠN thư ")
    'xu ly don thu'
    """
    stripped = _without_marks(value.translate(_FOLD_EXTRA))
    return _SPACES.sub(" ", stripped.translate(_FOLD_EXTRA).casefold()).strip()


_ASCII_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def file_name_words(value: str) -> str:
    """Text for a file name that every PC and USB stick accepts: no diacritics (đ → d), each
    word capitalised and joined, only ASCII letters and digits.

    >>> file_name_words("Phạm Thị Hoa")
    'PhamThiHoa'
    >>> file_name_words("Văn phòng HĐND-UBND")
    'VanPhongHDNDUBND'
    """
    words = _NOT_ALNUM.split(_without_marks(value.translate(_ASCII_EXTRA)))
    return "".join(word[:1].upper() + word[1:] for word in words if word)


# --------------------------------------------------------------------------------------------
# Identifiers, time, numbers
# --------------------------------------------------------------------------------------------


def new_id() -> str:
    """A new globally unique identifier (UUID4 text) for records created on this device."""
    return str(uuid.uuid4())


def utc_now() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def to_decimal(value: Decimal | int | str, *, field: str = "value") -> Decimal:
    """``value`` as an exact, finite :class:`~decimal.Decimal`.

    Floats are refused on purpose: ``Decimal(1.6)`` is not 1.6, and points and coefficients
    must stay exactly what the catalog says.

    Raises:
        RefusedValue: ``decimal_malformed`` when the value is not a finite decimal number.
    """
    if isinstance(value, bool | float):
        raise RefusedValue("decimal_malformed", field=field, value=str(value))
    try:
        result = value if isinstance(value, Decimal) else Decimal(normalize_text(str(value)))
    except InvalidOperation:
        raise RefusedValue("decimal_malformed", field=field, value=str(value)) from None
    if not result.is_finite():
        raise RefusedValue("decimal_malformed", field=field, value=str(value))
    return result


def shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clipped to the end of the target month.

    >>> shift_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    """The length of an evaluation period (Điều 3.4, Điều 17.3)."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        """How many months a period of this kind spans."""
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]


_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"(\d{4})-(\d{2})"), PeriodKind.MONTH),
    # a month as Vietnamese officials write it: "9/2026" or "09/2026" (month first)
    (re.compile(r"(\d{1,2})/(\d{4})"), PeriodKind.MONTH),
    (re.compile(r"(\d{4})-[Qq](\d)"), PeriodKind.QUARTER),
    (re.compile(r"(\d{4})-[Hh](\d)"), PeriodKind.HALF),
    (re.compile(r"(\d{4})"), PeriodKind.YEAR),
)


@dataclass(frozen=True, slots=True)
class Period:
    """A month, quarter, half year or year.

    ``number`` is the month (1–12), quarter (1–4) or half (1–2); it is 1 for a year.
    The text form (``str(period)``) is the one stored and exchanged: "2026-03", "2026-Q1",
    "2026-H2", "2026". Periods order by their start, then by their length.
    """

    kind: PeriodKind
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        limit = 12 // self.kind.months
        if not (1900 <= self.year <= 9999 and 1 <= self.number <= limit):
            raise RefusedValue("period_malformed", value=f"{self.kind}:{self.year}:{self.number}")

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period written as ``text`` ("2026-03", "2026-Q1", "2026-H1", "2026").

        A month may also be typed the way it is written in Vietnamese, month first: "9/2026"
        or "09/2026" (both give "2026-09"; ``str()`` is always the stored form).

        Raises:
            RefusedValue: ``period_malformed`` (with ``value``) for anything else, including
                month 13 or quarter 5.
        """
        if not isinstance(text, str):
            raise RefusedValue("period_malformed", value=repr(text))
        clean = normalize_text(text)
        for pattern, kind in _PERIOD_PATTERNS:
            match = pattern.fullmatch(clean)
            if match is None:
                continue
            if "/" in clean:  # month first: "9/2026"
                number, year = int(match.group(1)), int(match.group(2))
            else:
                year = int(match.group(1))
                number = int(match.group(2)) if kind is not PeriodKind.YEAR else 1
            try:
                return cls(kind, year, number)
            except RefusedValue:
                raise RefusedValue("period_malformed", value=text) from None
        raise RefusedValue("period_malformed", value=text)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The month ``year``-``month``."""
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter ``quarter`` (1–4) of ``year``."""
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(PeriodKind.YEAR, year, 1)

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind = PeriodKind.MONTH) -> Period:
        """The period of ``kind`` that contains ``day``."""
        return cls(kind, day.year, (day.month - 1) // kind.months + 1)

    # -- properties --------------------------------------------------------------------------

    @property
    def first_month(self) -> int:
        """The calendar month (1–12) the period starts in."""
        return (self.number - 1) * self.kind.months + 1

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        last_month = self.first_month + self.kind.months - 1
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def months(self) -> tuple[Period, ...]:
        """The months of this period, in order (a month gives itself)."""
        first = self.first_month
        return tuple(Period.month(self.year, first + i) for i in range(self.kind.months))

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies in this period."""
        return self.start <= day <= self.end

    def enclosing(self, kind: PeriodKind) -> Period:
        """The period of ``kind`` that contains this one (a month's quarter, a quarter's year).

        Raises:
            RefusedValue: ``period_not_enclosed`` when ``kind`` is shorter than this period.
        """
        if kind.months < self.kind.months:
            raise RefusedValue("period_not_enclosed", value=str(self), kind=kind.value)
        return Period.containing(self.start, kind)

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods of the same kind later (negative: earlier)."""
        per_year = 12 // self.kind.months
        index = self.year * per_year + (self.number - 1) + steps
        year, number = divmod(index, per_year)
        return Period(self.kind, year, number + 1)

    def next(self) -> Period:
        """The following period of the same kind."""
        return self.shifted(1)

    def previous(self) -> Period:
        """The preceding period of the same kind."""
        return self.shifted(-1)

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        if self.kind is PeriodKind.HALF:
            return f"{self.year:04d}-H{self.number}"
        return f"{self.year:04d}"

    def _key(self) -> tuple[dt.date, int]:
        return (self.start, self.kind.months)

    def __lt__(self, other: Period) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Period) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Period) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Period) -> bool:
        return self._key() >= other._key()


# --------------------------------------------------------------------------------------------
# Canonical JSON
# --------------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    # ASCII text is its own NFC (most keys and values): no call into unicodedata then.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _canonical(value: Any) -> Any:
    """``value`` converted to JSON-native types with every string in NFC."""
    # The plain types first, by their exact type (subclasses such as enums take the general
    # path below): an export renders ~15,000 records of ~10 values each.
    kind = type(value)
    if kind is str:
        return _nfc(value)
    if kind is dict:
        return {(_nfc(k) if type(k) is str else unicodedata.normalize("NFC", str(k))):
                _canonical(v) for k, v in value.items()}
    if kind is int or kind is bool or value is None:
        return value
    if kind is list or kind is tuple:
        return [_canonical(v) for v in value]
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON; use Decimal or str")
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise TypeError("naive datetimes are not allowed in canonical JSON")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, Mapping):
        return {unicodedata.normalize("NFC", str(k)): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    raise TypeError(f"cannot put {type(value).__name__} into canonical JSON")


def canonical_json(value: Any) -> str:
    """Deterministic JSON text for ``value``: what gets hashed and signed.

    Keys are sorted, separators carry no white space, strings are NFC and written as UTF-8
    (not ``\\u`` escapes), decimals are strings ("1.60"), dates ISO 8601, aware datetimes UTC
    with a "Z", bytes base64, enums their value. Floats and naive datetimes are refused
    (``TypeError``): they have no single exact text.
    """
    return json.dumps(
        _canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
