"""The one resolver of the scoring policy in force on a date (issue 15).

Scoring, review, reports, the agency's pages and the CLI all ask here which policy applies on a
day: the stored version with the latest ``active_from`` that is not after the day (a version
stored today but in force from next month is *not* in force yet); when none is stored, the
Decree 335 defaults. A version that starts in the future is never "in force" — not even when it
is the only one stored (the agency's page used to fall back to it).

A period's policy is the one in force on its last day (a month, quarter, half year or year is
scored and classified under the rules in force when it closes).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from kpi_desktop.domain.model import Period, PolicyVersion
from kpi_desktop.domain.scores import Level
from kpi_desktop.scoring import ScoringPolicy, level_for

__all__ = ["PolicyTimeline", "level_in_force", "policy_for_period", "policy_in_force",
           "stored_policy_in_force"]


class PolicyTimeline:
    """Every stored version, read once, and which one is in force on a day — the rule itself
    (the latest ``active_from`` not after the day; of two with the same day, the one stored
    last). A unit's year asks for a dozen days: one query, not one a day."""

    def __init__(self, uow: Any) -> None:
        self._versions: list[PolicyVersion] = uow.policies.list_versions()  # oldest first

    def stored_on(self, day: dt.date) -> tuple[ScoringPolicy, PolicyVersion | None]:
        """The policy in force on ``day`` and the stored version it comes from (None: the
        Decree 335 defaults, nothing stored is in force on that day)."""
        stored = None
        for version in self._versions:  # ordered by (active_from, created_at)
            if version.active_from > day:
                break
            stored = version
        return (_parsed(stored.policy_json) if stored else ScoringPolicy.default()), stored

    def on(self, day: dt.date) -> ScoringPolicy:
        """The policy in force on ``day``."""
        return self.stored_on(day)[0]


def stored_policy_in_force(uow: Any, day: dt.date) -> tuple[ScoringPolicy, PolicyVersion | None]:
    """The policy in force on ``day`` and the stored version it comes from (None: the
    Decree 335 defaults, nothing stored is in force on that day)."""
    return PolicyTimeline(uow).stored_on(day)


@functools.lru_cache(maxsize=16)
def _parsed(policy_json: str) -> ScoringPolicy:
    """The policy stored as ``policy_json``, parsed and checked once (a stored policy never
    changes, and every score and roll-up asks for the one in force)."""
    return ScoringPolicy.from_json(policy_json)


def policy_in_force(uow: Any, day: dt.date) -> ScoringPolicy:
    """The policy in force on ``day`` (see the module docstring)."""
    return stored_policy_in_force(uow, day)[0]


def policy_for_period(uow: Any, period: Period) -> ScoringPolicy:
    """The policy a period is scored under: the one in force on its last day."""
    return policy_in_force(uow, period.end)


def level_in_force(uow: Any, value: Any, day: dt.date) -> Level | None:
    """The level of a total or mean under the policy in force on ``day`` (None stays None)."""
    if value is None:
        return None
    return level_for(policy_in_force(uow, day), value)
