"""Organisation evaluation (Điều 8) and discipline counting (Điều 11.3, 20.4): the vocabulary.

Stdlib only. The indicators an agency enters for a unit and period, the result of the
organisation's level (with its "why" as codes and data, never sentences) and the year a
discipline decision counts for. The rules themselves are pure functions in
:mod:`kpi_desktop.scoring.organisation` and :mod:`kpi_desktop.scoring.discipline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.scores import Level

__all__ = [
    "ORG_INDICATORS",
    "DisciplineCount",
    "DisciplineYear",
    "IndicatorDef",
    "IndicatorKind",
    "OrgLevelResult",
    "OrgWhy",
    "OrgWhyCode",
    "indicator_def",
]


class IndicatorKind(StrEnum):
    """How an indicator's value reads."""

    POINTS = "points"  # 0 … maximum points
    SHARE = "share"  # a percentage, 0 … 100
    FLAG = "flag"  # 1 = yes, 0 = no


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One organisation indicator the app knows: code, kind, range, the article it serves and
    whether it decides the level (``decisive``) or is reported only (it feeds the task points
    under the province's own criteria, Điều 7.2)."""

    code: str
    kind: IndicatorKind
    maximum: Decimal
    article: str
    decisive: bool = True


_HUNDRED = Decimal(100)

# The indicators, in the order the screens show them.
ORG_INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("general_points", IndicatorKind.POINTS, Decimal(30), "Điều 6"),
    IndicatorDef("task_points", IndicatorKind.POINTS, Decimal(70), "Điều 7"),
    IndicatorDef("tasks_completed_pct", IndicatorKind.SHARE, _HUNDRED, "Điều 8.1a, 8.2, 8.3, 8.4b"),
    IndicatorDef("tasks_on_time_pct", IndicatorKind.SHARE, _HUNDRED, "Điều 8.1a, 8.2, 8.3"),
    IndicatorDef("tasks_exceeded_pct", IndicatorKind.SHARE, _HUNDRED, "Điều 8.1a"),
    IndicatorDef("shortcomings_fixed", IndicatorKind.FLAG, Decimal(1), "Điều 8.1c"),
    IndicatorDef("wrongdoing_concluded", IndicatorKind.FLAG, Decimal(1), "Điều 8.4a"),
    IndicatorDef("force_majeure", IndicatorKind.FLAG, Decimal(1), "Điều 8.4b"),
    IndicatorDef("files_on_time_pct", IndicatorKind.SHARE, _HUNDRED, "Điều 7.1g", False),
    IndicatorDef("online_files_pct", IndicatorKind.SHARE, _HUNDRED, "Điều 7.1g", False),
    IndicatorDef("citizen_satisfaction_pct", IndicatorKind.SHARE, _HUNDRED, "Điều 7.1đ, 7.1h",
                 False),
)

_BY_CODE = {d.code: d for d in ORG_INDICATORS}


def indicator_def(code: str) -> IndicatorDef | None:
    """The definition of indicator ``code``, or ``None`` for an unknown code."""
    return _BY_CODE.get(code)


class OrgWhyCode(StrEnum):
    """One step of the organisation's level, as the "why" list names it."""

    SCORE = "score"  # total = general + task points → band (score, band)
    MISSING = "missing"  # a required indicator is not entered (code)
    WRONGDOING = "wrongdoing"  # Điều 8.4a conclusion → Không hoàn thành
    BELOW_COMPLETE = "below_complete"  # total < 50 → Không hoàn thành (score, threshold)
    PLAN_BELOW_MIN = "plan_below_min"  # < 70 % of the plan → Không hoàn thành (value, minimum)
    FORCE_MAJEURE = "force_majeure"  # Điều 8.4b: the competent authority weighs the case
    NOT_ALL_COMPLETED = "not_all_completed"  # < 100 % completed: no level above (level, value)
    NOT_ALL_ON_TIME = "not_all_on_time"  # late tasks: not this level (level, value)
    TOO_MANY_LATE = "too_many_late"  # late share above 20 %: not Satisfactory (value, maximum)
    TOO_FEW_EXCEEDED = "too_few_exceeded"  # < 30 % beyond requirements: not Excellent
    SUBUNIT_NOT_COMPLETE = "subunit_not_complete"  # a sub-unit is Unsatisfactory (count)
    SHORTCOMINGS_OPEN = "shortcomings_open"  # earlier shortcomings not fixed: not Excellent
    MET = "met"  # every condition of this level is met (level)
    GAP = "gap"  # no level's conditions are met: the decree is silent (Không hoàn thành
    # proposed, the competent authority decides)
    INFORMATIONAL = "informational"  # a reported indicator that feeds the task points (code)


@dataclass(frozen=True, slots=True)
class OrgWhy:
    """One line of the explanation: a code and its data (the caller turns it into words)."""

    code: OrgWhyCode
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OrgLevelResult:
    """The organisation's level computed from its indicators (Điều 8).

    ``level`` is ``None`` when required indicators are missing (``missing`` names them).
    ``needs_decision`` says the competent authority must weigh the case itself (force
    majeure, or a case the decree's conditions leave open); the computed level is then only a
    proposal. ``score`` is general + task points, exact.
    """

    policy_version: str
    level: Level | None
    score: Fraction | None
    band: Level | None
    why: tuple[OrgWhy, ...]
    missing: tuple[str, ...] = ()
    needs_decision: bool = False

    @property
    def insufficient(self) -> bool:
        return self.level is None


class DisciplineCount(StrEnum):
    """Why a discipline decision counts for the year it counts for."""

    DECIDED_IN_YEAR = "decided_in_year"  # Điều 20.4c, 11.3a: the year it takes effect
    SAME_ACT_EARLIER = "same_act_earlier"  # Điều 11.3a ¶2: party + administrative, same act:
    # counted once, in the year the first decision took effect
    ALREADY_COUNTED = "already_counted"  # Điều 11.3b: the act was already used to rate the
    # person Unsatisfactory in an earlier year before the decision
    OLD_ORGANISATION = "old_organisation"  # Điều 11.3c–d: the act took place at the person's
    # old organisation and is counted in that organisation's result (its last year there)


@dataclass(frozen=True, slots=True)
class DisciplineYear:
    """The evaluation year a discipline decision counts for, and why.

    ``counts`` is False when this decision is not counted again (its act was already counted
    in ``year`` through a related decision or an earlier rating).
    """

    year: int
    reason: DisciplineCount
    counts: bool = True
