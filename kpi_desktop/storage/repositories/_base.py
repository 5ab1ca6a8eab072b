"""Shared machinery of the repositories: row ↔ dataclass conversion and Core statements.

Repositories run SQLAlchemy Core statements through the unit of work's session (no ORM
identity map, so nothing is ever stale and inserts are fast) and hand out frozen domain
dataclasses. Table columns are named after the dataclass fields, so conversion is generic.
Repositories never commit.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from functools import cache
from itertools import repeat
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    TypeDecorator,
    and_,
    bindparam,
    insert,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy import column as column_
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from kpi_desktop.domain.errors import NotFound

T = TypeVar("T")

# Statements with more rows than this are sent in chunks (keeps memory flat for big loads).
CHUNK = 5000


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """The dataclass field names of ``cls`` (cached)."""
    return tuple(f.name for f in fields(cls))


def to_row(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a column → value mapping (shallow: values are kept as they are)."""
    return {name: getattr(obj, name) for name in field_names(type(obj))}


def from_row(cls: type[T], row: Row[Any] | Mapping[str, Any]) -> T:
    """The dataclass ``cls`` built from a result row whose columns are named like its fields."""
    mapping = row._mapping if isinstance(row, Row) else row
    return cls(**{name: mapping[name] for name in field_names(cls)})


@cache
def row_plan(cls: type, keys: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """(field, column index) of the dataclass ``cls`` in rows with columns ``keys``."""
    index = {key: i for i, key in enumerate(keys)}
    return tuple((name, index[name]) for name in field_names(cls))


def table_of(orm_class: type) -> Table:
    """The Core table of a mapped class (typed as :class:`~sqlalchemy.Table`)."""
    return cast(Table, orm_class.__table__)  # type: ignore[attr-defined]


def in_year(column: ColumnElement[Any], year: int) -> ColumnElement[bool]:
    """Rows whose period column lies in ``year`` ("2026", "2026-03", "2026-Q1", "2026-H2")."""
    text = type_coerce(column, String())
    return or_(text == f"{year:04d}", text.like(f"{year:04d}-%"))


# Above this many values an ``IN`` list is sent as one JSON parameter (SQLite's json_each)
# instead of one bound parameter each: for 300 people the statement is built, bound and
# parsed in a fraction of the time.
JSON_IN_FROM = 32


def json_list(values: Iterable[str]) -> str:
    """Text keys (ids) as one JSON array for SQLite's json_each, NFC-normalised as the column
    types normalise bound values."""
    return json.dumps([unicodedata.normalize("NFC", v) for v in values], ensure_ascii=False)


def in_values(column: ColumnElement[Any], values: Iterable[str], dialect: str
              ) -> ColumnElement[bool]:
    """``column IN values`` for text keys (ids), as one JSON parameter on SQLite when the
    list is long (the values are NFC-normalised as the column types do for bound values)."""
    found = list(values)
    if dialect != "sqlite" or len(found) < JSON_IN_FROM:
        return column.in_(found)
    return _json_in(column, json_list(found))


def bound_in(column: ColumnElement[Any], values: Iterable[str], dialect: Any
             ) -> ColumnElement[bool]:
    """``column.in_(values)`` with the very same matches and refusals — each value bound by
    the column's own type (NFC, stripped, a control character refused) — sent as one JSON
    parameter on SQLite when the list is long (one statement text: no list of hundreds of
    parameters rendered, bound and prepared again at each call)."""
    found = list(values)
    if not _driver_level(dialect) or len(found) < JSON_IN_FROM:
        return column.in_(found)
    processor, with_dialect = _processor(column, dialect)
    if processor is not None:
        found = [processor(v, dialect) if with_dialect else processor(v) for v in found]
    return _json_in(column, json.dumps(found, ensure_ascii=False))


def _json_in(column: ColumnElement[Any], payload: str) -> ColumnElement[bool]:
    """``column IN (SELECT value FROM json_each(payload))``."""
    # A fixed parameter name per column (the statement's text, and so SQLAlchemy's compiled
    # cache entry, stays the same from call to call); text() is built faster than
    # func.json_each(...).table_valued().
    name = f"json_in_{getattr(column, 'table', None) is not None and column.table.name}_" \
           f"{column.key}"
    listed = text(f"SELECT value FROM json_each(:{name})").bindparams(
        bindparam(name, payload, type_=String())).columns(column_("value", String()))
    return column.in_(listed)


def chunks(rows: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    """``rows`` in slices of at most ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class _DriverPlan:
    """An executemany statement run at the driver level: its text, and each parameter's
    bind conversion (its column type's own processor, as SQLAlchemy applies it) applied
    column by column instead of through SQLAlchemy's per-row parameter machinery (a bundle
    import writes thousands of rows: issue 18). ``defaults``: values appended to every row
    (the scalar defaults of columns an insert's rows omit, as SQLAlchemy's insert gives
    them)."""

    def __init__(self, sql: str, columns: Sequence[Any], dialect: Any,
                 defaults: tuple[Any, ...] = ()) -> None:
        self.sql = sql
        self._processors = [_processor(c, dialect) for c in columns]
        self._dialect = dialect
        self._defaults = defaults

    def convert(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows as the driver receives them (defaults appended, every value bound by
        its column's type)."""
        columns: list[Any] = list(zip(*rows, strict=True)) if rows else []
        columns += [[value] * len(rows) for value in self._defaults]
        for index, (processor, with_dialect) in enumerate(self._processors):
            if processor is None:
                continue
            if with_dialect:  # the type's own process_bind_param(value, dialect), called directly
                columns[index] = list(map(processor, columns[index], repeat(self._dialect)))
            else:
                columns[index] = list(map(processor, columns[index]))
        return list(zip(*columns, strict=True))


_PLANS: dict[tuple[Any, ...], _DriverPlan | None] = {}


def _driver_level(dialect: Any) -> bool:
    return bool(dialect.name == "sqlite" and dialect.paramstyle == "qmark")


def _processor(column: Any, dialect: Any) -> tuple[Callable[..., Any] | None, bool]:
    """How a column's type binds a value: (its processor, whether it takes the dialect too).
    A type decorator over a type without a processor of its own is called directly (what
    SQLAlchemy's processor would call, one call less a value)."""
    kind = column.type.dialect_impl(dialect)
    if (isinstance(kind, TypeDecorator)
            and type(kind).process_bind_param is not TypeDecorator.process_bind_param
            and kind.impl_instance.bind_processor(dialect) is None):
        return kind.process_bind_param, True
    return kind.bind_processor(dialect), False


def insert_plan(table: Table, keys: tuple[str, ...], dialect: Any) -> _DriverPlan | None:
    """The driver-level insert of rows with ``keys`` (in that order) into ``table``; ``None``
    where SQLAlchemy's own path is needed: not SQLite, or a column the rows omit has a
    default computed per row."""
    cache_key = ("insert", table, keys, dialect.name)
    if cache_key in _PLANS:
        return _PLANS[cache_key]
    plan = None
    if _driver_level(dialect) and all(k in table.c for k in keys):
        named = [table.c[k] for k in keys]
        omitted = [c for c in table.c if c.key not in keys and c.default is not None]
        if all(c.default.is_scalar for c in omitted):  # type: ignore[union-attr]
            columns = [*named, *omitted]
            quote = dialect.identifier_preparer
            sql = (f"INSERT INTO {quote.format_table(table)} "
                   f"({', '.join(quote.format_column(c) for c in columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            plan = _DriverPlan(sql, columns, dialect,
                               tuple(c.default.arg for c in omitted))  # type: ignore[union-attr]
    _PLANS[cache_key] = plan
    return plan


def update_plan(table: Table, keys: tuple[str, ...], where: tuple[str, ...],
                dialect: Any) -> _DriverPlan | None:
    """The driver-level ``UPDATE table SET keys WHERE each of where = ?`` of rows given as
    (values of ``keys``, then values of ``where``); ``None`` where SQLAlchemy's own path is
    needed (not SQLite, or a column with an update default)."""
    cache_key = ("update", table, keys, where, dialect.name)
    if cache_key in _PLANS:
        return _PLANS[cache_key]
    plan = None
    if (_driver_level(dialect) and keys and where and all(k in table.c for k in (*keys, *where))
            and not any(c.onupdate is not None or c.server_onupdate is not None
                        for c in table.c)):
        quote = dialect.identifier_preparer
        sql = (f"UPDATE {quote.format_table(table)} SET "
               f"{', '.join(f'{quote.format_column(table.c[k])} = ?' for k in keys)} WHERE "
               f"{' AND '.join(f'{quote.format_column(table.c[k])} = ?' for k in where)}")
        plan = _DriverPlan(sql, [table.c[k] for k in (*keys, *where)], dialect)
    _PLANS[cache_key] = plan
    return plan


class Repository:
    """Base of every repository: holds the session of one unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _in(self, column: ColumnElement[Any], values: Iterable[str]) -> ColumnElement[bool]:
        """``column IN values`` (:func:`in_values` for this session's database)."""
        return in_values(column, values, self._session.get_bind().dialect.name)

    def _in_bound(self, column: ColumnElement[Any], values: Iterable[str]
                  ) -> ColumnElement[bool]:
        """``column.in_(values)`` (:func:`bound_in`: the same matches, one JSON parameter
        on SQLite when the list is long)."""
        return bound_in(column, values, self._session.get_bind().dialect)

    # -- writing -----------------------------------------------------------------------------

    def _insert(self, table: Table, row: Mapping[str, Any]) -> None:
        self._insert_many(table, [row])

    def _insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
        """Core executemany insert (fast path for imports and the demo generator)."""
        if not rows:
            return 0
        keys = tuple(rows[0])
        plan = self._insert_plan(table, keys)
        if plan is not None:
            try:
                values = [tuple(row[k] for k in keys) for row in rows]
            except KeyError:  # rows of other shapes: SQLAlchemy's own path (and its message)
                plan = None
        if plan is None:
            for part in chunks(rows):
                self._session.execute(insert(table), list(part))
            return len(rows)
        return self._insert_values(plan, values)

    def _insert_plan(self, table: Table, keys: tuple[str, ...]) -> _DriverPlan | None:
        """The driver-level plan of an executemany insert of rows with these keys on this
        session's database, or ``None`` where SQLAlchemy's own path is needed."""
        return insert_plan(table, keys, self._session.get_bind().dialect)

    def _insert_values(self, plan: _DriverPlan, values: Sequence[tuple[Any, ...]]) -> int:
        """Insert rows given as tuples in the plan's key order (values as the domain holds
        them: each column's own type converts them, once a value, as SQLAlchemy would)."""
        if not values:
            return 0
        connection = self._session.connection()
        for part in chunks(values):
            connection.exec_driver_sql(plan.sql, plan.convert(part))
        return len(values)

    def _update_rows(self, table: Table, keys: tuple[str, ...], where: tuple[str, ...],
                     rows: Sequence[tuple[Any, ...]]) -> int:
        """``UPDATE table SET keys WHERE each of where = value`` for each row of (values of
        ``keys``, then of ``where``), in one executemany; returns how many rows matched."""
        if not rows:
            return 0
        plan = update_plan(table, keys, where, self._session.get_bind().dialect)
        if plan is None:
            width = len(keys)
            return sum(self._update(
                table, and_(*[table.c[k] == v for k, v in zip(where, row[width:], strict=True)]),
                dict(zip(keys, row[:width], strict=True))) for row in rows)
        connection = self._session.connection()
        return sum(int(connection.exec_driver_sql(plan.sql, plan.convert(part)).rowcount)
                   for part in chunks(rows))

    def _update_where(self, table: Table, match: Mapping[str, Any],
                      values: Mapping[str, Any]) -> int:
        """Update the rows whose ``match`` columns equal its values; returns how many."""
        return self._update_rows(table, tuple(values), tuple(match),
                                 [(*values.values(), *match.values())])

    def _update(self, table: Table, where: ColumnElement[bool], values: Mapping[str, Any]) -> int:
        """Update matching rows; returns how many matched."""
        result = self._session.execute(update(table).where(where).values(**values))
        return int(getattr(result, "rowcount", 0) or 0)

    # -- reading -----------------------------------------------------------------------------

    def _one(self, cls: type[T], table: Table, where: ColumnElement[bool]) -> T | None:
        row = self._session.execute(select(table).where(where)).first()
        return None if row is None else from_row(cls, row)

    def _get(
        self, cls: type[T], table: Table, where: ColumnElement[bool], kind: str, key: Any
    ) -> T:
        found = self._one(cls, table, where)
        if found is None:
            raise NotFound("not_found", kind=kind, id=str(key))
        return found

    def _all(self, cls: type[T], statement: Any) -> list[T]:
        result = self._session.execute(statement)
        # Where each field is in the rows, worked out once per statement (not a name look-up
        # per field and row: 300 people 0.97 → 0.64 ms).
        plan = row_plan(cls, tuple(result.keys()))
        return [cls(**{name: row[i] for name, i in plan}) for row in result]

    def _stream(self, cls: type[T], statement: Any, batch: int = 1000) -> Iterator[T]:
        """``_all`` a batch of rows at a time, for reads over a whole table (``kpi-desktop
        check`` on a year of a 300-person unit: 446,400 revisions never held at once)."""
        result = self._session.execute(statement.execution_options(yield_per=batch))
        plan = row_plan(cls, tuple(result.keys()))
        for rows in result.partitions():
            for row in rows:
                yield cls(**{name: row[i] for name, i in plan})
