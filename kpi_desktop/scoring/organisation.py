"""The organisation's level from its indicators (Điều 8), with the "why".

Pure: no storage, no Qt. The thresholds come from the policy (``threshold_*`` for the 90/70/50
cut-offs, which Điều 8 shares with Điều 20; ``org_*`` for the shares of Điều 8), so the level
is versioned with it.

Rules (Decree 335/2025/NĐ-CP, Điều 8), in order:

1. the total is general (≤ 30, Điều 6) + task points (≤ 70, Điều 7);
2. Không hoàn thành when the competent authority concluded wrongdoing in personnel work or
   disunity (8.4a), when the total is under 50 (8.4), or when under 70 % of the year's plan is
   done (8.4b) — unless force majeure is recorded: then the competent authority weighs the case
   (``needs_decision``);
3. otherwise the highest level whose score band and conditions are met, starting from the
   score's band: Xuất sắc needs 100 % done on time with ≥ 30 % beyond requirements, no directly
   subordinate unit rated Không hoàn thành and earlier shortcomings fixed (8.1); Tốt needs 100 %
   done on time (8.2); Hoàn thành needs 100 % done with at most 20 % behind schedule (8.3);
4. when no level's conditions are met (e.g. 85 % done, plan ≥ 70 %) the decree says nothing:
   Không hoàn thành is proposed and ``needs_decision`` is set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from kpi_desktop.domain.org_results import (
    ORG_INDICATORS,
    IndicatorKind,
    OrgLevelResult,
    OrgWhy,
    OrgWhyCode,
    indicator_def,
)
from kpi_desktop.domain.scores import Level
from kpi_desktop.scoring._numbers import Number, to_fraction
from kpi_desktop.scoring.errors import ScoringInputError
from kpi_desktop.scoring.levels import level_for
from kpi_desktop.scoring.policy import ScoringPolicy

__all__ = ["REQUIRED_INDICATORS", "check_indicator", "org_level"]

# Indicators without which no level is computed.
REQUIRED_INDICATORS = ("general_points", "task_points", "tasks_completed_pct",
                       "tasks_on_time_pct")

_HUNDRED = Fraction(100)
_ORDER = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE)


def check_indicator(code: str, value: Number | str | Decimal) -> Fraction:
    """``value`` of indicator ``code`` as an exact number, or ScoringInputError.

    Codes: ``indicator_unknown`` (code), ``not_a_number`` (field, value),
    ``value_out_of_range`` (field, value, minimum, maximum) — a share is 0–100 %, points are
    0–maximum, a flag is 0 or 1.
    """
    definition = indicator_def(code)
    if definition is None:
        raise ScoringInputError("indicator_unknown", code=code)
    number = to_fraction(value, code)
    maximum = Fraction(definition.maximum)
    if not 0 <= number <= maximum or (definition.kind is IndicatorKind.FLAG
                                       and number not in (0, 1)):
        raise ScoringInputError("value_out_of_range", field=code, value=str(value), minimum=0,
                                maximum=str(definition.maximum))
    return number


def org_level(policy: ScoringPolicy, values: Mapping[str, Number | str | Decimal], *,
              subunit_levels: Sequence[Level | None] = ()) -> OrgLevelResult:
    """The level of an organisation for a year from its indicator ``values`` (code → value).

    ``subunit_levels`` are the recorded levels of its directly subordinate units (None = not
    recorded). Unknown codes or values out of range raise ScoringInputError.
    """
    if not isinstance(policy, ScoringPolicy):
        raise TypeError("policy must be a ScoringPolicy")
    found = {code: check_indicator(code, value) for code, value in values.items()}
    why: list[OrgWhy] = []
    missing = tuple(code for code in REQUIRED_INDICATORS if code not in found)

    def result(level: Level | None, score: Fraction | None = None, band: Level | None = None,
               *, needs_decision: bool = False) -> OrgLevelResult:
        info = [OrgWhy(OrgWhyCode.INFORMATIONAL, {"code": d.code, "value": found[d.code]})
                for d in ORG_INDICATORS if not d.decisive and d.code in found]
        return OrgLevelResult(policy_version=policy.version, level=level, score=score,
                              band=band, why=tuple(why + info), missing=missing,
                              needs_decision=needs_decision)

    if missing:
        why.extend(OrgWhy(OrgWhyCode.MISSING, {"code": code}) for code in missing)
        return result(None)
    score = found["general_points"] + found["task_points"]
    band = level_for(policy, score)
    why.append(OrgWhy(OrgWhyCode.SCORE, {"score": score, "band": band,
                                         "general": found["general_points"],
                                         "task": found["task_points"]}))
    completed = found["tasks_completed_pct"]
    on_time = found["tasks_on_time_pct"]
    if found.get("wrongdoing_concluded") == 1:
        why.append(OrgWhy(OrgWhyCode.WRONGDOING))
        return result(Level.NOT_COMPLETE, score, band)
    if band is Level.NOT_COMPLETE:
        why.append(OrgWhy(OrgWhyCode.BELOW_COMPLETE,
                          {"score": score, "threshold": policy.threshold_complete}))
        return result(Level.NOT_COMPLETE, score, band)
    plan_min = policy.org_plan_completion_min * _HUNDRED
    if completed < plan_min:
        why.append(OrgWhy(OrgWhyCode.PLAN_BELOW_MIN, {"value": completed, "minimum": plan_min}))
        if found.get("force_majeure") == 1:
            why.append(OrgWhy(OrgWhyCode.FORCE_MAJEURE))
            return result(Level.NOT_COMPLETE, score, band, needs_decision=True)
        return result(Level.NOT_COMPLETE, score, band)

    late = _HUNDRED - on_time
    for level in _ORDER[_ORDER.index(band):] if band in _ORDER else ():
        failures = _failures(policy, level, found, completed, on_time, late, subunit_levels)
        if not failures:
            why.append(OrgWhy(OrgWhyCode.MET, {"level": level}))
            return result(level, score, band)
        why.extend(failures)
    why.append(OrgWhy(OrgWhyCode.GAP))
    return result(Level.NOT_COMPLETE, score, band, needs_decision=True)


def _failures(policy: ScoringPolicy, level: Level, found: Mapping[str, Fraction],
              completed: Fraction, on_time: Fraction, late: Fraction,
              subunit_levels: Sequence[Level | None]) -> list[OrgWhy]:
    """What keeps the organisation from ``level`` (empty: every condition is met)."""
    out = []
    if completed < _HUNDRED:
        out.append(OrgWhy(OrgWhyCode.NOT_ALL_COMPLETED, {"level": level, "value": completed}))
    if level in (Level.EXCELLENT, Level.GOOD) and on_time < _HUNDRED:
        out.append(OrgWhy(OrgWhyCode.NOT_ALL_ON_TIME, {"level": level, "value": on_time}))
    if level is Level.COMPLETE and late > policy.org_late_share_max * _HUNDRED:
        out.append(OrgWhy(OrgWhyCode.TOO_MANY_LATE,
                          {"level": level, "value": late,
                           "maximum": policy.org_late_share_max * _HUNDRED}))
    if level is Level.EXCELLENT:
        exceeded = found.get("tasks_exceeded_pct")
        minimum = policy.org_exceeded_share_min * _HUNDRED
        if exceeded is None or exceeded < minimum:
            out.append(OrgWhy(OrgWhyCode.TOO_FEW_EXCEEDED,
                              {"level": level, "value": exceeded, "minimum": minimum}))
        failing = sum(1 for lv in subunit_levels if lv is Level.NOT_COMPLETE)
        if failing:
            out.append(OrgWhy(OrgWhyCode.SUBUNIT_NOT_COMPLETE, {"level": level,
                                                                "count": failing}))
        if found.get("shortcomings_fixed") != 1:
            out.append(OrgWhy(OrgWhyCode.SHORTCOMINGS_OPEN,
                              {"level": level, "entered": "shortcomings_fixed" in found}))
    return out
