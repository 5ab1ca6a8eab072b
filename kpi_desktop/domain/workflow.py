"""The one rule for an entry's status after a review verdict, and for a month's status from
its signed parts (DESIGN.md §5).

Used by the leader's own review on their PC (``services/review.py``) and by a bundle import
(``services/sync/kinds/statements.py``) alike, so the two can never disagree: a confirmation
of the entry's current revision confirms it (that revision then counts); a return of the
current revision returns a submitted entry to its author. A verdict about an earlier
revision, or no verdict, changes nothing. Repositories only store what this rule decides.

A month's status on a PC that received its parts follows from what their authors signed
(:func:`evaluation_status`): locked once the evaluator's decision locks it; after a
reopening, open for the official (or submitted for the evaluator) until the official submits
again; submitted once the official's self-assessment is here; open before.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_desktop.domain.model import (
    EntryStatus,
    EvaluationStatus,
    MonthlyEvaluation,
    StatementKind,
)

__all__ = ["StatusChange", "evaluation_status", "status_after_verdict"]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An entry's new status, and for a confirmation the revision that counts."""

    status: EntryStatus
    confirmed_revision: int | None = None


def status_after_verdict(status: EntryStatus, current_revision: int,
                         verdict: StatementKind | None,
                         verdict_revision: int | None) -> StatusChange | None:
    """The entry's status once its latest verdict (confirm or return) is known, or ``None``
    when the verdict changes nothing.

    Args:
        status: the entry's status now.
        current_revision: the entry's latest submitted revision.
        verdict: the latest confirm/return about the entry (``None``: none yet).
        verdict_revision: the revision that verdict is about.
    """
    if verdict is None or verdict_revision != current_revision:
        return None
    if verdict is StatementKind.CONFIRM:
        if status is EntryStatus.CONFIRMED:
            return None
        return StatusChange(EntryStatus.CONFIRMED, current_revision)
    if verdict is StatementKind.RETURN and status is EntryStatus.SUBMITTED:
        return StatusChange(EntryStatus.RETURNED)
    return None


def evaluation_status(evaluation: MonthlyEvaluation) -> EvaluationStatus:
    """The status of a month from its signed parts (the evaluator's lock or reopening, the
    official's submission) — never from a status field as sent."""
    if evaluation.locked_at is not None:
        return EvaluationStatus.LOCKED
    submitted = evaluation.submitted_at
    if evaluation.reopened_at is not None:
        if submitted is not None and submitted > evaluation.reopened_at:
            return EvaluationStatus.SUBMITTED  # submitted again after the reopening
        if evaluation.reopened_to_official or submitted is None:
            return EvaluationStatus.OPEN
        return EvaluationStatus.SUBMITTED
    if evaluation.confirmed_at is not None:
        return EvaluationStatus.CONFIRMED
    return EvaluationStatus.SUBMITTED if submitted is not None else EvaluationStatus.OPEN
