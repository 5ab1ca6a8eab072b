"""Decree 335 scoring: pure functions driven by a versioned ScoringPolicy.

Public API (DESIGN.md §4): :class:`ScoringPolicy`, :class:`TaskLine`, :class:`LeaderFactors`,
:func:`score_period`, :func:`classify_year`, :func:`check_quota`, :func:`credit_minutes`, and the
result types :class:`Level`, :class:`PeriodScore`, :class:`YearResult`, :class:`QuotaResult`
(defined in :mod:`kpi_desktop.domain.scores`). Everything is exact (``fractions.Fraction``); bad
input raises :class:`ScoringInputError` (a ``ValueError``) with a code.
"""

from kpi_desktop.domain.scores import (
    DayLoad,
    Level,
    LineContribution,
    PeriodScore,
    QuotaResult,
    YearReason,
    YearResult,
    fraction_to_str,
    round_half_up,
)
from kpi_desktop.scoring._numbers import Number
from kpi_desktop.scoring.classification import (
    check_quota,
    classify_mean,
    classify_year,
    period_mean,
    quota_limit,
)
from kpi_desktop.scoring.engine import check_general_points, line_contribution, score_period
from kpi_desktop.scoring.errors import ScoringInputError
from kpi_desktop.scoring.inputs import LeaderFactors, TaskLine, head_d_factor
from kpi_desktop.scoring.levels import clear_level, clear_level_of, compared_value, level_for
from kpi_desktop.scoring.policy import POLICY_FORMAT, EvaluationPeriod, QuotaBase, ScoringPolicy
from kpi_desktop.scoring.worklog import (
    LogItem,
    bridge_coefficient,
    catalog_coefficient,
    credit_minutes,
    day_load,
    timeliness_factor,
)

__all__ = [
    "POLICY_FORMAT",
    "DayLoad",
    "EvaluationPeriod",
    "LeaderFactors",
    "Level",
    "LineContribution",
    "LogItem",
    "Number",
    "PeriodScore",
    "QuotaBase",
    "QuotaResult",
    "ScoringInputError",
    "ScoringPolicy",
    "TaskLine",
    "YearReason",
    "YearResult",
    "bridge_coefficient",
    "catalog_coefficient",
    "check_general_points",
    "check_quota",
    "classify_mean",
    "classify_year",
    "clear_level",
    "clear_level_of",
    "compared_value",
    "credit_minutes",
    "day_load",
    "fraction_to_str",
    "head_d_factor",
    "level_for",
    "line_contribution",
    "period_mean",
    "quota_limit",
    "round_half_up",
    "score_period",
    "timeliness_factor",
]
