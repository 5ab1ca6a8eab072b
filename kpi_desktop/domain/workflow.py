"""The one rule for an entry's status after a review verdict (DESIGN.md §5).

Used by the leader's own review on their PC (``services/review.py``) and by a bundle import
(``services/sync/kinds/statements.py``) alike, so the two can never disagree: a confirmation
of the entry's current revision confirms it (that revision then counts); a return of the
current revision returns a submitted entry to its author. A verdict about an earlier
revision, or no verdict, changes nothing. Repositories only store what this rule decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_desktop.domain.model import EntryStatus, StatementKind

__all__ = ["StatusChange", "status_after_verdict"]


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
