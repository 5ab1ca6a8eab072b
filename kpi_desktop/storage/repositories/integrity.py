"""Every stored record of a kind, for ``kpi-desktop check`` (``uow.integrity``).

The check streams whole tables once, in primary-key order, as domain records; a row that no
longer converts (a damaged value) ends that kind's reading with the error, which the check
reports as damage instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from sqlalchemy import select

from kpi_desktop.domain import model
from kpi_desktop.domain.transfers import TransferredMonth
from kpi_desktop.storage import orm
from kpi_desktop.storage.repositories._base import Repository, from_row, table_of

T = TypeVar("T")

_TABLES: dict[type, Any] = {
    model.Person: table_of(orm.PersonRow),
    model.PersonKey: table_of(orm.PersonKeyRow),
    model.Assignment: table_of(orm.AssignmentRow),
    model.WorkLogEntry: table_of(orm.WorkLogEntryRow),
    model.EntryRevision: table_of(orm.EntryRevisionRow),
    model.ReviewStatement: table_of(orm.ReviewStatementRow),
    model.MonthlyEvaluation: table_of(orm.MonthlyEvaluationRow),
    model.AnnualClassification: table_of(orm.AnnualClassificationRow),
    model.DisciplineEvent: table_of(orm.DisciplineEventRow),
    model.Appeal: table_of(orm.AppealRow),
    model.ReplacedEvaluation: table_of(orm.ReplacedEvaluationRow),
    model.CatalogProposal: table_of(orm.CatalogProposalRow),
    TransferredMonth: table_of(orm.TransferredMonthRow),
}


class IntegrityRepository(Repository):
    """Whole-table reads of the records ``check`` verifies."""

    def every(self, cls: type[T]) -> Iterator[T]:
        """Every stored record of domain type ``cls`` (primary-key order)."""
        table = _TABLES[cls]
        statement = select(table).order_by(*table.primary_key.columns)
        for row in self._session.execute(statement):
            yield from_row(cls, row)

    def entry(self, entry_id: str) -> model.WorkLogEntry | None:
        """One work-log entry by id (``None`` when there is none)."""
        table = _TABLES[model.WorkLogEntry]
        row = self._session.execute(select(table).where(table.c.id == entry_id)).first()
        return from_row(model.WorkLogEntry, row) if row is not None else None
