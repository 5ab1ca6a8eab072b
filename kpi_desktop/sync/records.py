"""Domain records ↔ JSON objects inside bundles, strictly typed in both directions.

:func:`to_json` writes a frozen dataclass as a JSON-ready dict (decimals and fractions as exact
strings, dates ISO 8601, bytes base64, enums their value). :func:`from_json` builds the
dataclass back and refuses anything of the wrong type or shape with ``bundle_malformed``, so a
malformed record never reaches the database. Unknown extra fields are ignored (a newer minor
format may add some).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.values import Period

T = TypeVar("T")

__all__ = ["from_json", "payload_line", "to_json"]


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | Fraction | Period):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    raise TypeError(f"cannot write {type(value).__name__} into a bundle")


def to_json(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a JSON-ready dict."""
    return {f.name: _value(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def payload_line(row: Mapping[str, Any]) -> str:
    """A payload row (JSON-ready, as :func:`to_json` makes it) as one line of a bundle's
    data file: compact JSON in UTF-8. Not canonical: nothing signs or hashes a line (a
    record's signature covers its signed form, rebuilt by the reader; stored text is NFC
    already), so the keys keep their order and no second pass normalises the strings."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _bad(cls: type, name: str, detail: str = "") -> RefusedValue:
    return RefusedValue("bundle_malformed", file=cls.__name__,
                        detail=f"{name}: {detail}"[:200])


def _convert(cls: type, name: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(cls, name, inner, value)
    return _convert_value(cls, name, hint, value)


def _convert_value(cls: type, name: str, hint: Any, value: Any  # noqa: C901 - one type switch
                   ) -> Any:
    """:func:`_convert` for a hint that is not ``X | None``."""
    if value is None:
        raise _bad(cls, name, "missing")
    try:
        if hint is str:
            if not isinstance(value, str):
                raise TypeError
            return value
        if hint is bool:
            if not isinstance(value, bool):
                raise TypeError
            return value
        if hint is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if hint is Decimal:
            if not isinstance(value, str):
                raise TypeError
            number = Decimal(value)
            if not number.is_finite():
                raise ValueError
            return number
        if hint is Fraction:
            if not isinstance(value, str):
                raise TypeError
            return Fraction(value)
        if hint is dt.datetime:
            if not isinstance(value, str):
                raise TypeError
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError
            return moment.astimezone(dt.UTC)
        if hint is dt.date:
            if not isinstance(value, str):
                raise TypeError
            return dt.date.fromisoformat(value)
        if hint is bytes:
            if not isinstance(value, str):
                raise TypeError
            return base64.b64decode(value, validate=True)
        if hint is Period:
            if not isinstance(value, str):
                raise TypeError
            return Period.parse(value)
        if isinstance(hint, type) and issubclass(hint, Enum):
            member = hint._value2member_map_.get(value) if isinstance(value, str) else None
            return member if member is not None else hint(value)
        origin = typing.get_origin(hint)
        if origin is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TypeError
            return tuple(value)
        if origin in (Mapping, dict, typing.Mapping):
            if not isinstance(value, dict):
                raise TypeError
            args = typing.get_args(hint)
            if args and args[1] is Decimal:
                return {str(k): _convert(cls, name, Decimal, v) for k, v in value.items()}
            return dict(value)
    except RefusedValue as exc:
        if exc.code == "bundle_malformed":
            raise
        raise _bad(cls, name, exc.code) from None
    except (TypeError, ValueError, InvalidOperation, ZeroDivisionError, ArithmeticError):
        raise _bad(cls, name, f"wrong type {type(value).__name__}") from None
    raise _bad(cls, name, f"unsupported field type {hint}")


@cache
def _plan(cls: type) -> tuple[tuple[str, bool, bool, Any, bool], ...]:
    """Per field of ``cls``, worked out once (imports read thousands of records): name,
    whether it has a default, whether it may be null, the hint without ``| None``, and
    whether that hint still needs the general :func:`_convert`."""
    hints = _hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        has_default = (f.default is not dataclasses.MISSING
                       or f.default_factory is not dataclasses.MISSING)
        hint = hints[f.name]
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            args = typing.get_args(hint)
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1 and type(None) in args:
                plan.append((f.name, has_default, True, inner[0], False))
            else:
                plan.append((f.name, has_default, False, hint, True))
        else:
            plan.append((f.name, has_default, False, hint, False))
    return tuple(plan)


def from_json(cls: type[T], data: Any) -> T:
    """Build ``cls`` from a JSON object.

    Raises:
        RefusedValue: ``bundle_malformed`` for a missing required field or a wrong type.
    """
    if not isinstance(data, dict):
        raise _bad(cls, "record", "not an object")
    values: dict[str, Any] = {}
    for name, has_default, optional, hint, general in _plan(cls):
        if name not in data:
            if has_default:
                continue
            raise _bad(cls, name, "missing")
        value = data[name]
        if general:
            values[name] = _convert(cls, name, hint, value)
        elif value is None and optional:
            values[name] = None
        elif (hint is str or hint is int) and type(value) is hint:  # the commonest: as is
            values[name] = value
        else:
            values[name] = _convert_value(cls, name, hint, value)
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise _bad(cls, "record", str(exc)) from None
