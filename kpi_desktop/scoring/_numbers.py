"""Exact conversion of the numbers the engine accepts."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias

from kpi_desktop.scoring.errors import ScoringInputError

Number: TypeAlias = int | float | Fraction | Decimal
"""What the engine accepts where a number is expected (``str`` is accepted too, e.g. "1.6")."""


def to_fraction(value: object, field: str) -> Fraction:
    """``value`` as an exact Fraction; floats go through ``str`` so 1.6 is 8/5, not binary noise."""
    if isinstance(value, bool):
        raise ScoringInputError("not_a_number", field=field, value=value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScoringInputError("not_a_number", field=field, value=value)
        return Fraction(str(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ScoringInputError("not_a_number", field=field, value=value)
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ScoringInputError("not_a_number", field=field, value=value) from None
    raise ScoringInputError("not_a_number", field=field, value=value)


def to_count(value: object, field: str) -> int:
    """``value`` as a whole number ≥ 0 (1.0 is accepted, 1.5 and -1 are not)."""
    number = to_fraction(value, field)
    if number.denominator != 1:
        raise ScoringInputError("not_an_integer", field=field, value=value)
    if number < 0:
        raise ScoringInputError("negative_value", field=field, value=value)
    return int(number)


def non_negative(value: object, field: str) -> Fraction:
    """``value`` as a Fraction ≥ 0."""
    number = to_fraction(value, field)
    if number < 0:
        raise ScoringInputError("negative_value", field=field, value=value)
    return number
