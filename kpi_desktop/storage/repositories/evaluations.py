"""Evaluation repository: monthly (or quarterly) Form 01 and annual Form 02."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from sqlalchemy import String, select, text, type_coerce

from kpi_desktop.domain.errors import InvalidState, NotFound
from kpi_desktop.domain.model import (
    AnnualClassification,
    EvaluationStatus,
    MonthlyEvaluation,
    MonthlyTotal,
    YearTotals,
)
from kpi_desktop.domain.values import Period
from kpi_desktop.storage.orm import (
    AnnualClassificationRow,
    MonthlyEvaluationRow,
    TransferredMonthRow,
)
from kpi_desktop.storage.repositories._base import (
    Repository,
    in_year,
    json_list,
    table_of,
    to_row,
)

_MONTH = table_of(MonthlyEvaluationRow)
_YEAR = table_of(AnnualClassificationRow)
_RECEIVED = table_of(TransferredMonthRow)

# The year-end roll-up (:meth:`EvaluationRepository.year_totals`), in SQLite's dialect, over
# the primary key's ranges (person, period): per person the periods of the year evaluated with
# one of the statuses that have a total, the totals as stored, their number, their mean as a
# float, and the periods stored without a total that are not insufficient. One JSON
# parameter for the people, not 300.
_YEAR_TOTALS = text(f"""
SELECT person_id, group_concat(CASE WHEN total IS NOT NULL THEN period END, ' '),
       group_concat(total, ' '), count(total), avg(CAST(total AS REAL)), sum(total IS NULL)
FROM {_MONTH.name}
WHERE person_id IN (SELECT value FROM json_each(:ids))
  AND period >= :year AND period < :next
  AND status IN (SELECT value FROM json_each(:statuses))
  AND (total IS NOT NULL OR NOT insufficient)
GROUP BY person_id
""")


def _fraction(text: str) -> Fraction:
    """The exact number stored as ``fraction_text`` wrote it ("84.5", "90", "1234/7"), without
    the general (regular-expression) parser of ``Fraction(str)``."""
    try:
        if "/" in text:
            numerator, denominator = text.split("/")
            return Fraction(int(numerator), int(denominator))
        if "." in text:
            whole, decimals = text.split(".")
            return Fraction(int(whole + decimals), 10 ** len(decimals))
        return Fraction(int(text))
    except ValueError:
        return Fraction(text)


# Stored total texts already parsed (exact value, and ten-thousandths or None), shared by
# every roll-up: the values are immutable and repeat ("84.5", "96"). At most
# :data:`_REMEMBERED` of them (a totals' scale to 4 places has 1,000,001).
_EXACT: dict[str, Fraction] = {}
_SCALED: dict[str, int | None] = {}
_REMEMBERED = 200_000


def _parsed_total(text: str) -> tuple[Fraction, int | None]:
    """The stored total ``text`` as its exact value and its ten-thousandths (remembered)."""
    value, units = _fraction(text), _scaled(text)
    if len(_EXACT) < _REMEMBERED:
        _SCALED[text] = units  # before the value: a reader who finds the value finds both
        _EXACT[text] = value
    return value, units


def _scaled(text: str) -> int | None:
    """The stored decimal ``text`` in ten-thousandths when it has at most 4 places ("84.5" →
    845000), else ``None`` ("1234/7", "84.12345")."""
    if "/" in text:
        return None
    whole, _, decimals = text.partition(".")
    if len(decimals) > 4:
        return None
    try:
        return int(whole + decimals.ljust(4, "0")) if whole not in ("", "-") else None
    except ValueError:
        return None


def _period(value: Period | str) -> Period:
    return value if isinstance(value, Period) else Period.parse(value)


class EvaluationRepository(Repository):
    """Monthly evaluations and annual classifications (``uow.evaluations``)."""

    # ---------------------------------------------------------------- monthly ---------------

    def get_monthly(self, person_id: str, period: Period | str) -> MonthlyEvaluation | None:
        """The evaluation of a person for a period, or ``None`` if none was started."""
        return self._one(MonthlyEvaluation, _MONTH,
                         (_MONTH.c.person_id == person_id) & (_MONTH.c.period == _period(period)))

    def upsert_monthly(self, evaluation: MonthlyEvaluation) -> None:
        """Insert or replace the evaluation of (person, period)."""
        row = to_row(evaluation)
        where = {"person_id": evaluation.person_id, "period": evaluation.period}
        if self._update_where(_MONTH, where, row) == 0:
            self._insert(_MONTH, row)

    def add_monthly_many(self, evaluations: Sequence[MonthlyEvaluation]) -> int:
        """Bulk-insert evaluations (demo generator, transfers)."""
        return self._insert_many(_MONTH, [to_row(e) for e in evaluations])

    def set_monthly_status(self, person_id: str, period: Period | str,
                           status: EvaluationStatus) -> None:
        """Change only the status of an evaluation (reopening, locking)."""
        where = (_MONTH.c.person_id == person_id) & (_MONTH.c.period == _period(period))
        if self._update(_MONTH, where, {"status": status}) == 0:
            raise NotFound("not_found", kind="evaluation", id=f"{person_id}@{period}")

    def list_monthly(
        self, *, person_id: str | None = None, person_ids: Iterable[str] | None = None,
        period: Period | str | None = None, year: int | None = None,
        unit_id: str | None = None, statuses: Iterable[EvaluationStatus] | None = None,
    ) -> list[MonthlyEvaluation]:
        """Evaluations matching every filter given, by person then period.

        ``year`` selects the months and quarters of that calendar year.
        """
        stmt = select(_MONTH)
        if person_id is not None:
            stmt = stmt.where(_MONTH.c.person_id == person_id)
        if person_ids is not None:
            stmt = stmt.where(self._in(_MONTH.c.person_id, list(person_ids)))
        if period is not None:
            stmt = stmt.where(_MONTH.c.period == _period(period))
        if year is not None:
            stmt = stmt.where(in_year(_MONTH.c.period, year))
        if unit_id is not None:
            stmt = stmt.where(_MONTH.c.unit_id == unit_id)
        if statuses is not None:
            stmt = stmt.where(_MONTH.c.status.in_(list(statuses)))
        found = self._all(MonthlyEvaluation, stmt)
        return sorted(found, key=lambda e: (e.person_id, e.period.start, e.period.kind.months))

    def monthly_totals(
        self, *, person_ids: Iterable[str], year: int,
        statuses: Iterable[EvaluationStatus] | None = None,
    ) -> list[MonthlyTotal]:
        """Only the stored totals of ``year`` (four columns, not whole rows): what the
        year-end roll-up needs, by person then period."""
        # The stored texts, parsed here: a year has a dozen distinct periods (parsed once
        # each) and every total is parsed once (the column type would parse it twice).
        stmt = (select(_MONTH.c.person_id, type_coerce(_MONTH.c.period, String).label("period"),
                       type_coerce(_MONTH.c.total, String).label("total"),
                       _MONTH.c.insufficient)
                .where(self._in(_MONTH.c.person_id, list(person_ids)))
                .where(in_year(_MONTH.c.period, year)))
        if statuses is not None:
            stmt = stmt.where(_MONTH.c.status.in_(list(statuses)))
        periods: dict[str, tuple[Period, tuple[Any, int]]] = {}
        found = []
        for row in self._session.execute(stmt):
            if row.period not in periods:
                period = Period.parse(row.period)
                periods[row.period] = (period, (period.start, period.kind.months))
            period, key = periods[row.period]
            found.append((row.person_id, key, MonthlyTotal(
                person_id=row.person_id, period=period,
                total=None if row.total is None else _fraction(row.total),
                insufficient=bool(row.insufficient))))
        found.sort(key=lambda t: (t[0], t[1]))
        return [t[2] for t in found]

    def year_totals(self, *, person_ids: Sequence[str], year: int,
                    statuses: Iterable[EvaluationStatus]) -> dict[str, YearTotals]:
        """The year-end roll-up of ``person_ids`` in one statement: each person's stored
        totals of ``year`` with ``statuses`` and their float mean, the exact sum in
        ten-thousandths where every total is a decimal of at most 4 places (see
        :class:`~kpi_desktop.domain.model.YearTotals`). People without any period are left
        out; months received from another agency are not read (``transfers.totals``)."""
        rows = self._session.execute(_YEAR_TOTALS, {
            "ids": json_list(person_ids), "year": f"{year:04d}",
            "next": f"{year + 1:04d}",
            "statuses": json.dumps([EvaluationStatus(s).value for s in statuses])})
        # Each distinct text parsed once (here and across calls: a unit's 3,600 totals have a
        # few hundred values), and most people have the same periods (the texts of a period
        # sort like the periods).
        periods: dict[str, tuple[tuple[Period, ...], list[int] | None]] = {}
        exact, scaled = _EXACT, _SCALED
        found = {}
        for person_id, period_texts, total_texts, counted, approx, missing in rows:
            order = periods.get(period_texts)
            if order is None:
                parsed = [Period.parse(p) for p in (period_texts or "").split()]
                keys = [(p.start, p.kind.months) for p in parsed]
                by_key = sorted(range(len(parsed)), key=keys.__getitem__)
                order = periods[period_texts] = (
                    tuple(parsed[i] for i in by_key),
                    None if by_key == list(range(len(parsed))) else by_key)
            texts = total_texts.split() if total_texts else []
            if order[1] is not None:
                texts = [texts[i] for i in order[1]]
            try:
                units = list(map(scaled.__getitem__, texts))
                values = tuple(map(exact.__getitem__, texts))
            except KeyError:  # a value not seen yet
                parsed_totals = [_parsed_total(text) for text in texts]
                values = tuple(v[0] for v in parsed_totals)
                units = [v[1] for v in parsed_totals]
            if None in units:
                total = lowest = highest = None
            else:
                total = sum(units)  # type: ignore[arg-type]
                lowest = min(units) if units else None  # type: ignore[type-var]
                highest = max(units) if units else None  # type: ignore[type-var]
            found[person_id] = YearTotals(person_id, order[0], values,
                                          approx if counted else None, total, lowest, highest,
                                          missing or 0)
        return found

    def evaluated_by(self, evaluator_id: str, *, year: int | None = None
                     ) -> list[MonthlyEvaluation]:
        """Evaluations confirmed by ``evaluator_id`` (a month stays with its evaluator)."""
        stmt = select(_MONTH).where(_MONTH.c.evaluator_id == evaluator_id)
        if year is not None:
            stmt = stmt.where(in_year(_MONTH.c.period, year))
        found = self._all(MonthlyEvaluation, stmt)
        return sorted(found, key=lambda e: (e.person_id, e.period.start))

    # ---------------------------------------------------------------- annual ----------------

    def add_annual(self, classification: AnnualClassification) -> None:
        """Store a classification; with ``supersedes_id`` it replaces an earlier decision.

        Raises:
            InvalidState: ``classification_supersedes_other`` when the superseded one is of
                another person or year; ``classification_already_superseded`` when someone
                already replaced it.
        """
        if classification.supersedes_id is not None:
            old = self.get_annual(classification.supersedes_id)
            if (old.person_id, old.year) != (classification.person_id, classification.year):
                raise InvalidState("classification_supersedes_other",
                                   id=classification.supersedes_id)
            taken = self._one(AnnualClassification, _YEAR,
                              _YEAR.c.supersedes_id == classification.supersedes_id)
            if taken is not None:
                raise InvalidState("classification_already_superseded",
                                   id=classification.supersedes_id, by=taken.id)
        self._insert(_YEAR, to_row(classification))

    def add_annual_many(self, classifications: Sequence[AnnualClassification]) -> int:
        """Bulk-insert classifications (no checks)."""
        return self._insert_many(_YEAR, [to_row(c) for c in classifications])

    def get_annual(self, classification_id: str) -> AnnualClassification:
        """One classification, or ``NotFound``."""
        return self._get(AnnualClassification, _YEAR, _YEAR.c.id == classification_id,
                         "classification", classification_id)

    def update_annual(self, classification: AnnualClassification) -> None:
        """Change a classification that has not been decided yet (self-rating, drafts).

        Raises:
            InvalidState: ``classification_decided`` once it carries a decision: a change
                then needs a replacement decision (:meth:`add_annual` with ``supersedes_id``).
        """
        stored = self.get_annual(classification.id)
        if stored.decided_at is not None:
            raise InvalidState("classification_decided", id=classification.id)
        self._update(_YEAR, _YEAR.c.id == classification.id, to_row(classification))

    def annual_history(self, person_id: str, year: int) -> list[AnnualClassification]:
        """Every classification of a person for a year, oldest first."""
        stmt = (select(_YEAR).where(_YEAR.c.person_id == person_id).where(_YEAR.c.year == year)
                .order_by(_YEAR.c.created_at, _YEAR.c.id))
        return self._all(AnnualClassification, stmt)

    def current_annual(self, person_id: str, year: int) -> AnnualClassification | None:
        """The classification in force: the latest one that nobody superseded."""
        current = _current(self.annual_history(person_id, year))
        return current[-1] if current else None

    def list_annual(self, year: int, *, unit_id: str | None = None,
                    person_ids: Iterable[str] | None = None,
                    current_only: bool = True) -> list[AnnualClassification]:
        """Classifications of a year (by default only those in force), by person."""
        stmt = select(_YEAR).where(_YEAR.c.year == year)
        if unit_id is not None:
            stmt = stmt.where(_YEAR.c.unit_id == unit_id)
        if person_ids is not None:
            stmt = stmt.where(self._in(_YEAR.c.person_id, person_ids))
        found = self._all(AnnualClassification,
                          stmt.order_by(_YEAR.c.person_id, _YEAR.c.created_at, _YEAR.c.id))
        if not current_only:
            return found
        latest: dict[str, AnnualClassification] = {}
        for c in _current(found):
            latest[c.person_id] = c
        return [latest[p] for p in sorted(latest)]


def _current(rows: list[AnnualClassification]) -> list[AnnualClassification]:
    """The rows nobody supersedes, in their original order."""
    superseded = {r.supersedes_id for r in rows if r.supersedes_id is not None}
    return [r for r in rows if r.id not in superseded]
