"""The scoring policy: the weights, thresholds, switches and bonus rules, as versioned data.

The agency ships its policy in signed bundles, so a policy converts to a deterministic,
JSON-native dict (:meth:`ScoringPolicy.to_dict`; decimals as strings such as ``"0.25"``) and back
(:meth:`ScoringPolicy.from_dict`, which refuses anything malformed). Each stored score records
the ``version`` of the policy that produced it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.scores import fraction_to_str
from kpi_desktop.scoring._numbers import to_fraction
from kpi_desktop.scoring.errors import ScoringInputError

__all__ = [
    "POLICY_FORMAT",
    "POLICY_GROUPS",
    "POLICY_PARAMETERS",
    "EvaluationPeriod",
    "ParameterKind",
    "PolicyParameter",
    "QuotaBase",
    "ScoringPolicy",
    "policy_parameter",
]

POLICY_FORMAT = 1
"""Layout of :meth:`ScoringPolicy.to_dict`; bumped when keys change meaning."""

_VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")


class EvaluationPeriod(StrEnum):
    """How often the agency evaluates (Điều 3.4); classification is always yearly."""

    MONTH = "month"
    QUARTER = "quarter"


class QuotaBase(StrEnum):
    """Reading of the base of the "Excellent" quota (Điều 20.5, see ``check_quota``)."""

    GOOD_ONLY = "good_only"  # literal: E ≤ share × (number finally rated Good)
    GOOD_OR_ABOVE = "good_or_above"  # E ≤ share × (everyone at Good or above)


_F = Fraction


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate knows
    """Mark a label for translation (scoring is pure: the services translate it, context
    "Policy", with ``runtime.i18n.translate``)."""
    return text


class ParameterKind(StrEnum):
    """What a policy parameter holds, which decides how it is stored, checked and edited."""

    POINTS = "points"  # an exact number of points on the 100-point scale
    SHARE = "share"  # an exact share, 0.25 = 25 %
    NUMBER = "number"  # another exact number
    INTEGER = "integer"  # a whole number
    SWITCH = "switch"  # on or off
    CHOICE = "choice"  # one value of a StrEnum
    FACTORS = "factors"  # a non-empty list of positive exact numbers


@dataclass(frozen=True)
class PolicyParameter:
    """One line of the table of policy parameters (:data:`POLICY_PARAMETERS`).

    ``minimum``/``maximum`` bound the value (inclusive; ``above_minimum`` makes the minimum
    exclusive); relations between parameters (the cut-offs' order, the exceptional quota not
    below the normal one) are :data:`_RELATIONS`. ``article`` is the decree's article
    ("20.1"), or "" for a local rule the decree does not set. ``label`` and the labels of
    ``choices`` are English source texts of the translation context "Policy". ``added_later``
    marks a key that came after policy format 1 was published: a stored policy without it
    reads with ``default``.
    """

    name: str
    kind: ParameterKind
    default: Any
    article: str
    group: str
    label: str
    minimum: Fraction | None = None
    maximum: Fraction | None = None
    above_minimum: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    enum: type[StrEnum] | None = None
    added_later: bool = False

    @property
    def annotation(self) -> str:
        return {ParameterKind.SWITCH: "bool", ParameterKind.INTEGER: "int",
                ParameterKind.FACTORS: "tuple[Fraction, ...]"}.get(
            self.kind, self.enum.__name__ if self.enum is not None else "Fraction")

    def in_bounds(self, value: Any) -> bool:
        """Whether ``value`` (already converted) lies within the bounds of the line."""
        values = value if self.kind is ParameterKind.FACTORS else (value,)
        if self.kind is ParameterKind.FACTORS and not values:
            return False
        for one in values:
            if self.minimum is not None and (one <= self.minimum if self.above_minimum
                                             else one < self.minimum):
                return False
            if self.maximum is not None and one > self.maximum:
                return False
        return True


_P, _K = PolicyParameter, ParameterKind
_SCALE, _TASKS, _YEAR, _QUOTA, _LOG, _ORG = ("scale", "tasks", "year", "quota", "worklog",
                                             "organisation")

# Every parameter of the scoring policy, in the order the agency's page shows them. A new
# parameter is one line here plus its use in scoring: the policy's fields, validation,
# serialisation, the agency's page, the publish change list and docs/policy-parameters.md
# all derive from this table.
POLICY_PARAMETERS: tuple[PolicyParameter, ...] = (
    _P("general_max", _K.POINTS, _F(30), "12.2", _SCALE,
       QT_TRANSLATE_NOOP("Policy", "General criteria maximum (points)"), _F(0), _F(100), True),
    _P("task_max", _K.POINTS, _F(70), "12.3", _SCALE,
       QT_TRANSLATE_NOOP("Policy", "Task-performance maximum (points)"), _F(0), _F(100), True),
    _P("threshold_excellent", _K.POINTS, _F(90), "20.1", _SCALE,
       QT_TRANSLATE_NOOP("Policy", "Excellent from (points)"), _F(0), None, True),
    _P("threshold_good", _K.POINTS, _F(70), "20.2", _SCALE,
       QT_TRANSLATE_NOOP("Policy", "Good from (points)"), _F(0), None, True),
    _P("threshold_complete", _K.POINTS, _F(50), "20.3", _SCALE,
       QT_TRANSLATE_NOOP("Policy", "Satisfactory from (points)"), _F(0), None, True),
    _P("round_before_compare", _K.SWITCH, False, "", _SCALE,
       QT_TRANSLATE_NOOP("Policy", "Round to 2 decimals before comparing")),
    _P("failed_review_deduction", _K.SHARE, _F(1, 4), "14.2b", _TASKS,
       QT_TRANSLATE_NOOP("Policy", "Quality deduction per major error"), _F(0), _F(1)),
    _P("delay_deduction", _K.SHARE, _F(1, 4), "14.2c", _TASKS,
       QT_TRANSLATE_NOOP("Policy", "Timeliness deduction per delay"), _F(0), _F(1)),
    _P("cap_components_at_100", _K.SWITCH, False, "18.1d", _TASKS,
       QT_TRANSLATE_NOOP("Policy", "Cap a, b and c at 100 % each")),
    _P("evaluation_period", _K.CHOICE, EvaluationPeriod.MONTH, "3.4", _YEAR,
       QT_TRANSLATE_NOOP("Policy", "Evaluation period"),
       choices=(("month", QT_TRANSLATE_NOOP("Policy", "monthly")),
                ("quarter", QT_TRANSLATE_NOOP("Policy", "quarterly"))),
       enum=EvaluationPeriod),
    _P("min_months_for_classification", _K.INTEGER, 6, "11.1", _YEAR,
       QT_TRANSLATE_NOOP("Policy", "Months worked needed for classification"), _F(1), _F(12)),
    _P("quota_share", _K.SHARE, _F(1, 5), "20.5a", _QUOTA,
       QT_TRANSLATE_NOOP("Policy", "Excellent quota (share of Good)"), _F(0), _F(1), True),
    _P("quota_share_exceptional", _K.SHARE, _F(1, 4), "20.5b", _QUOTA,
       QT_TRANSLATE_NOOP("Policy", "Excellent quota by exception"), _F(0), _F(1), True),
    _P("quota_base", _K.CHOICE, QuotaBase.GOOD_ONLY, "20.5a", _QUOTA,
       QT_TRANSLATE_NOOP("Policy", "Base of the quota"),
       choices=(("good_only", QT_TRANSLATE_NOOP("Policy", "those rated Good (literal reading)")),
                ("good_or_above", QT_TRANSLATE_NOOP("Policy", "those rated Good or above"))),
       enum=QuotaBase),
    _P("review_limit_working_days", _K.INTEGER, 5, "", _LOG,
       QT_TRANSLATE_NOOP("Policy", "Review limit (working days)"), _F(0), _F(365)),
    _P("daily_norm_minutes", _K.INTEGER, 480, "", _LOG,
       QT_TRANSLATE_NOOP("Policy", "Daily norm time (minutes)"), _F(0), _F(24 * 60), True),
    _P("early_bonus_per_day", _K.SHARE, _F(1, 20), "", _LOG,
       QT_TRANSLATE_NOOP("Policy", "Bonus per working day early"), _F(0), _F(1)),
    _P("early_bonus_cap", _K.SHARE, _F(1, 5), "", _LOG,
       QT_TRANSLATE_NOOP("Policy", "Maximum early bonus"), _F(0), _F(10)),
    _P("late_deduction_per_delay", _K.SHARE, _F(1, 4), "", _LOG,
       QT_TRANSLATE_NOOP("Policy", "Work-log deduction per delay"), _F(0), _F(1)),
    _P("complexity_factors", _K.FACTORS, (_F(1), _F(6, 5), _F(3, 2), _F(2), _F(3)), "13.1",
       _LOG, QT_TRANSLATE_NOOP("Policy", "Complexity factors (levels 1, 2, …)"), _F(0),
       _F(100), True),
    _P("standard_unit_points", _K.NUMBER, _F(5), "3.6", _LOG,
       QT_TRANSLATE_NOOP("Policy", "Points of the standard work unit"), _F(0), _F(1000), True),
    _P("org_exceeded_share_min", _K.SHARE, _F(3, 10), "8.1a", _ORG,
       QT_TRANSLATE_NOOP("Policy", "Organisation rated Excellent: share of tasks beyond "
                                   "requirements, at least"), _F(0), _F(1), added_later=True),
    _P("org_late_share_max", _K.SHARE, _F(1, 5), "8.3", _ORG,
       QT_TRANSLATE_NOOP("Policy", "Organisation rated Satisfactory: share of tasks behind "
                                   "schedule, at most"), _F(0), _F(1), added_later=True),
    _P("org_plan_completion_min", _K.SHARE, _F(7, 10), "8.4b", _ORG,
       QT_TRANSLATE_NOOP("Policy", "Organisation below this share of its plan: "
                                   "Unsatisfactory"), _F(0), _F(1), added_later=True),
)

# The groups of :data:`POLICY_PARAMETERS`, with their labels (context "Policy").
POLICY_GROUPS: tuple[tuple[str, str], ...] = (
    (_SCALE, QT_TRANSLATE_NOOP("Policy", "Scale and levels")),
    (_TASKS, QT_TRANSLATE_NOOP("Policy", "Task-performance criteria")),
    (_YEAR, QT_TRANSLATE_NOOP("Policy", "Periods and classification")),
    (_QUOTA, QT_TRANSLATE_NOOP("Policy", "Quota of Excellent")),
    (_LOG, QT_TRANSLATE_NOOP("Policy", "Work log and reviews")),
    (_ORG, QT_TRANSLATE_NOOP("Policy", "Organisation levels (Article 8)")),
)

_BY_NAME = {p.name: p for p in POLICY_PARAMETERS}


def policy_parameter(name: str) -> PolicyParameter | None:
    """The line of :data:`POLICY_PARAMETERS` called ``name`` (None when there is none)."""
    return _BY_NAME.get(name)


# Relations between parameters (name of the parameter blamed, test on the policy).
_RELATIONS: tuple[tuple[str, Any], ...] = (
    ("threshold_complete", lambda p: p.threshold_complete < p.threshold_good),
    ("threshold_good", lambda p: p.threshold_good < p.threshold_excellent),
    ("threshold_excellent", lambda p: p.threshold_excellent <= p.max_total),
    ("quota_share", lambda p: p.quota_share <= p.quota_share_exceptional),
)


def _parameters_as_fields(cls: type) -> type:
    """Give ``cls`` one dataclass field per line of :data:`POLICY_PARAMETERS` (after
    ``version``), then make it a frozen dataclass."""
    annotations = dict(cls.__dict__.get("__annotations__", {}))
    for parameter in POLICY_PARAMETERS:
        annotations[parameter.name] = parameter.annotation
        setattr(cls, parameter.name, parameter.default)
    cls.__annotations__ = annotations
    return dataclass(frozen=True)(cls)


@_parameters_as_fields
class ScoringPolicy:
    """Versioned scoring rules; the defaults are Decree 335/2025/NĐ-CP (``default()``).

    The fields are ``version`` (the identifier recorded with every score, e.g.
    ``"nd335-2026.1"``) and one per line of :data:`POLICY_PARAMETERS` (the table says what
    each one is, its bounds, its default and the decree's article; docs/policy-parameters.md
    prints it). Shares are decimals (0.25 = 25 %). Numbers may be given as int, float,
    Decimal, Fraction or decimal string; they are stored as exact Fractions. Constructing a
    policy validates it (:class:`~kpi_desktop.scoring.errors.ScoringInputError`, code
    ``policy_invalid``), so ``dataclasses.replace(policy, cap_components_at_100=True)`` is
    safe.

    The main ones: ``threshold_excellent`` / ``threshold_good`` / ``threshold_complete``,
    the level cut-offs 90 / 70 / 50 (a value equal to a cut-off reaches it, see
    ``scoring.level_for``, the only place levels are cut); ``round_before_compare`` compares
    totals and means with the cut-offs after rounding them half-up to 2 decimals;
    ``cap_components_at_100`` caps a, b and c at 100 % each before averaging (off by default:
    only the task points are capped, at ``task_max``); ``evaluation_period`` is "month" or
    "quarter"; ``min_months_for_classification`` (6, Điều 11.1); the "Excellent" quota
    ``quota_share`` / ``quota_share_exceptional`` / ``quota_base``; the work-log rules of the
    Khánh Hòa model; and the organisation shares of Điều 8 (``org_*``).
    """

    version: str = "nd335-2026.1"

    # ---------------------------------------------------------------- construction, checks

    @classmethod
    def default(cls) -> ScoringPolicy:
        """The Decree 335/2025/NĐ-CP defaults."""
        return cls()

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not _VERSION_RE.fullmatch(self.version):
            raise ScoringInputError("policy_version_invalid", value=self.version)
        for parameter in POLICY_PARAMETERS:
            value = _checked(parameter, getattr(self, parameter.name))
            object.__setattr__(self, parameter.name, value)
        for name, holds in _RELATIONS:
            if not holds(self):
                raise ScoringInputError("policy_invalid", field=name, value=getattr(self, name))

    # ---------------------------------------------------------------- derived values

    @property
    def max_total(self) -> Fraction:
        """The top of the scale: general max + task max (100)."""
        return self.general_max + self.task_max

    @property
    def months_per_period(self) -> int:
        """1 for monthly evaluation, 3 for quarterly."""
        return 3 if self.evaluation_period is EvaluationPeriod.QUARTER else 1

    def complexity_factor(self, level: int) -> Fraction:
        """The factor of complexity ``level`` (1-based); unknown level → ScoringInputError."""
        if (
            isinstance(level, bool)
            or not isinstance(level, int)
            or not (1 <= level <= len(self.complexity_factors))
        ):
            raise ScoringInputError(
                "complexity_level_unknown", value=level, levels=len(self.complexity_factors)
            )
        return self.complexity_factors[level - 1]

    # ---------------------------------------------------------------- serialisation

    def to_dict(self) -> dict[str, Any]:
        """A deterministic, JSON-native dict: decimals as strings, enums as their values."""
        out: dict[str, Any] = {"format": POLICY_FORMAT, "version": self.version}
        for parameter in POLICY_PARAMETERS:
            out[parameter.name] = _exported(getattr(self, parameter.name))
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringPolicy:
        """The policy of ``data`` (as made by :meth:`to_dict`); every key must be present
        (a key the table marks ``added_later`` may be missing: it takes its default).

        Raises :class:`~kpi_desktop.scoring.errors.ScoringInputError` for an unknown format,
        a malformed version, unknown or missing keys, or a refused value.
        """
        if not isinstance(data, Mapping):
            raise ScoringInputError("policy_format_unknown", value=type(data).__name__)
        fmt = data.get("format")
        if isinstance(fmt, bool) or fmt != POLICY_FORMAT:
            raise ScoringInputError("policy_format_unknown", value=fmt)
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names) - {"format"})
        if unknown:
            raise ScoringInputError("policy_key_unknown", keys=unknown)
        missing = [name for name in names if name not in data
                   and not getattr(policy_parameter(name), "added_later", False)]
        if missing:
            raise ScoringInputError("policy_key_missing", keys=missing)
        values: dict[str, Any] = {"version": data["version"]}
        for parameter in POLICY_PARAMETERS:
            if parameter.name not in data:
                continue
            value = data[parameter.name]
            if not _json_shape_ok(parameter, value):
                raise ScoringInputError("policy_invalid", field=parameter.name, value=value)
            values[parameter.name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)

    def to_json(self) -> str:
        """Canonical JSON text of :meth:`to_dict` (sorted keys, no spaces, UTF-8 characters)."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoringPolicy:
        """The policy of JSON ``text``; malformed JSON → ScoringInputError."""
        try:
            data = json.loads(text)
        except ValueError:
            raise ScoringInputError("policy_format_unknown", value="json") from None
        return cls.from_dict(data)


# -------------------------------------------------------------------- checks of one parameter


def _checked(parameter: PolicyParameter, value: Any) -> Any:
    """``value`` of ``parameter`` converted (exact numbers, enums) and checked against the
    table's kind and bounds; ScoringInputError ``policy_invalid`` otherwise."""
    kind = parameter.kind

    def refuse() -> ScoringInputError:
        return ScoringInputError("policy_invalid", field=parameter.name, value=value)

    converted: Any
    if kind is ParameterKind.SWITCH:
        if not isinstance(value, bool):
            raise refuse()
        return value
    if kind is ParameterKind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse()
        converted = value
    elif kind is ParameterKind.CHOICE:
        assert parameter.enum is not None
        try:
            return parameter.enum(value)
        except ValueError:
            raise refuse() from None
    elif kind is ParameterKind.FACTORS:
        if isinstance(value, str | bytes) or not isinstance(value, tuple | list):
            raise refuse()
        try:
            converted = tuple(to_fraction(v, parameter.name) for v in value)
        except ScoringInputError:
            raise refuse() from None
    else:
        try:
            converted = to_fraction(value, parameter.name)
        except ScoringInputError:
            raise refuse() from None
    if not parameter.in_bounds(converted):
        raise refuse()
    return converted


def _exported(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Fraction):
        return fraction_to_str(value)
    if isinstance(value, tuple):
        return [fraction_to_str(v) for v in value]
    return value


def _json_shape_ok(parameter: PolicyParameter, value: Any) -> bool:
    """Whether a value read from JSON has the shape its kind is written in (numbers as text
    or numbers, enums as text, lists for factors); the value itself is checked later."""
    kind = parameter.kind
    if kind in (ParameterKind.POINTS, ParameterKind.SHARE, ParameterKind.NUMBER):
        return not isinstance(value, bool) and isinstance(value, str | int | float)
    if kind is ParameterKind.FACTORS:
        return isinstance(value, list | tuple)
    if kind is ParameterKind.CHOICE:
        return isinstance(value, str)
    return True
