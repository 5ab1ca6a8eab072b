"""The history of changed results: monthly evaluations replaced by an appeal decision
(revision 0005, ``uow.replaced_evaluations``)."""

from __future__ import annotations

from sqlalchemy import select

from kpi_desktop.domain.model import ReplacedEvaluation
from kpi_desktop.domain.values import Period
from kpi_desktop.storage.orm import ReplacedEvaluationRow
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_REPLACED = table_of(ReplacedEvaluationRow)


class ReplacedEvaluationRepository(Repository):
    """Evaluations as they were before a later decision replaced them (append-only)."""

    def add(self, record: ReplacedEvaluation) -> None:
        """Keep a replaced evaluation."""
        self._insert(_REPLACED, to_row(record))

    def list_for(self, person_id: str, period: Period | None = None) -> list[ReplacedEvaluation]:
        """A person's replaced evaluations (of one period if given), oldest first."""
        stmt = select(_REPLACED).where(_REPLACED.c.person_id == person_id)
        if period is not None:
            stmt = stmt.where(_REPLACED.c.period == period)
        return self._all(ReplacedEvaluation,
                         stmt.order_by(_REPLACED.c.replaced_at, _REPLACED.c.id))

    def list_for_appeal(self, appeal_id: str) -> list[ReplacedEvaluation]:
        """What the decision on one appeal replaced."""
        stmt = select(_REPLACED).where(_REPLACED.c.appeal_id == appeal_id)
        return self._all(ReplacedEvaluation,
                         stmt.order_by(_REPLACED.c.replaced_at, _REPLACED.c.id))
