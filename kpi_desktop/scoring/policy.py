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
from typing import Any, ClassVar

from kpi_desktop.domain.scores import fraction_to_str
from kpi_desktop.scoring._numbers import to_fraction
from kpi_desktop.scoring.errors import ScoringInputError

__all__ = ["POLICY_FORMAT", "EvaluationPeriod", "QuotaBase", "ScoringPolicy"]

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


@dataclass(frozen=True)
class ScoringPolicy:
    """Versioned scoring rules; the defaults are Decree 335/2025/NĐ-CP (``default()``).

    Fractions in [0, 1] are shares (0.25 = 25 %). Numbers may be given as int, float, Decimal,
    Fraction or decimal string; they are stored as exact Fractions. Constructing a policy
    validates it (:class:`~kpi_desktop.scoring.errors.ScoringInputError`, code
    ``policy_invalid``), so ``dataclasses.replace(policy, cap_components_at_100=True)`` is safe.

    Attributes:
        version: identifier recorded with every score, e.g. ``"nd335-2026.1"``.
        general_max / task_max: maximum general-criteria points (30) and task points (70).
        threshold_excellent / threshold_good / threshold_complete: level cut-offs 90 / 70 / 50
            (a value equal to a cut-off reaches it).
        failed_review_deduction: share of a product's quality weight lost per failed review.
        delay_deduction: share of a product's progress weight lost per delay (missed deadline).
        cap_components_at_100: cap a, b and c at 100 % each before averaging (kpi-nghialam);
            off by default: only the task points are capped, at ``task_max``.
        evaluation_period: "month" or "quarter".
        round_before_compare: compare totals and means with cut-offs after rounding them
            half-up to 2 decimals (off by default: compare exact values).
        min_months_for_classification: fewer months worked → not classified (Điều 11.1).
        quota_share / quota_share_exceptional: Excellent quota, 20 % and 25 % by exception.
        quota_base: "good_only" (literal, default) or "good_or_above".
        review_limit_working_days: a leader's pending reviews older than this are highlighted.
        daily_norm_minutes: a work-log day's norm time above this is flagged (480 = 8 h).
        early_bonus_per_day / early_bonus_cap: work-log credit bonus per working day early, cap.
        late_deduction_per_delay: work-log credit deduction per missed deadline.
        complexity_factors: factor of complexity level 1, 2, … (1.0 / 1.2 / 1.5 / 2.0 / 3.0).
        standard_unit_points: points of the standard unit (coefficient = points / this).
        org_exceeded_share_min: an organisation rated Excellent has at least this share of its
            tasks done beyond the requirements (Điều 8.1a: 30 %).
        org_late_share_max: an organisation rated Satisfactory has at most this share of its
            tasks behind schedule (Điều 8.3: 20 %).
        org_plan_completion_min: an organisation that completes less than this share of its
            year's programme is Unsatisfactory (Điều 8.4b: 70 %).
        (The org_* keys came after policy format 1 was published: a stored policy without
        them reads with the decree's values, see ``_ADDED_KEYS``.)
    """

    version: str = "nd335-2026.1"
    general_max: Fraction = _F(30)
    task_max: Fraction = _F(70)
    threshold_excellent: Fraction = _F(90)
    threshold_good: Fraction = _F(70)
    threshold_complete: Fraction = _F(50)
    failed_review_deduction: Fraction = _F(1, 4)
    delay_deduction: Fraction = _F(1, 4)
    cap_components_at_100: bool = False
    evaluation_period: EvaluationPeriod = EvaluationPeriod.MONTH
    round_before_compare: bool = False
    min_months_for_classification: int = 6
    quota_share: Fraction = _F(1, 5)
    quota_share_exceptional: Fraction = _F(1, 4)
    quota_base: QuotaBase = QuotaBase.GOOD_ONLY
    review_limit_working_days: int = 5
    daily_norm_minutes: int = 480
    early_bonus_per_day: Fraction = _F(1, 20)
    early_bonus_cap: Fraction = _F(1, 5)
    late_deduction_per_delay: Fraction = _F(1, 4)
    complexity_factors: tuple[Fraction, ...] = (_F(1), _F(6, 5), _F(3, 2), _F(2), _F(3))
    standard_unit_points: Fraction = _F(5)
    org_exceeded_share_min: Fraction = _F(3, 10)
    org_late_share_max: Fraction = _F(1, 5)
    org_plan_completion_min: Fraction = _F(7, 10)

    _FRACTIONS: ClassVar[tuple[str, ...]] = (
        "general_max",
        "task_max",
        "threshold_excellent",
        "threshold_good",
        "threshold_complete",
        "failed_review_deduction",
        "delay_deduction",
        "quota_share",
        "quota_share_exceptional",
        "early_bonus_per_day",
        "early_bonus_cap",
        "late_deduction_per_delay",
        "standard_unit_points",
        "org_exceeded_share_min",
        "org_late_share_max",
        "org_plan_completion_min",
    )
    #: Keys added after format 1 was published; a stored policy without them takes the
    #: decree's values (so policies stored or shipped before keep loading).
    _ADDED_KEYS: ClassVar[tuple[str, ...]] = (
        "org_exceeded_share_min",
        "org_late_share_max",
        "org_plan_completion_min",
    )
    _BOOLS: ClassVar[tuple[str, ...]] = ("cap_components_at_100", "round_before_compare")
    _INTS: ClassVar[tuple[str, ...]] = (
        "min_months_for_classification",
        "review_limit_working_days",
        "daily_norm_minutes",
    )
    _ENUMS: ClassVar[dict[str, type[StrEnum]]] = {
        "evaluation_period": EvaluationPeriod,
        "quota_base": QuotaBase,
    }

    # ---------------------------------------------------------------- construction, checks

    @classmethod
    def default(cls) -> ScoringPolicy:
        """The Decree 335/2025/NĐ-CP defaults."""
        return cls()

    def __post_init__(self) -> None:
        def refuse(name: str) -> ScoringInputError:
            return ScoringInputError("policy_invalid", field=name, value=getattr(self, name))

        if not isinstance(self.version, str) or not _VERSION_RE.fullmatch(self.version):
            raise ScoringInputError("policy_version_invalid", value=self.version)
        for name in self._FRACTIONS:
            try:
                object.__setattr__(self, name, to_fraction(getattr(self, name), name))
            except ScoringInputError:
                raise refuse(name) from None
        for name in self._BOOLS:
            if not isinstance(getattr(self, name), bool):
                raise refuse(name)
        for name in self._INTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise refuse(name)
        for name, enum in self._ENUMS.items():
            try:
                object.__setattr__(self, name, enum(getattr(self, name)))
            except ValueError:
                raise refuse(name) from None
        factors = self.complexity_factors
        if isinstance(factors, str | bytes) or not isinstance(factors, tuple | list):
            raise refuse("complexity_factors")
        try:
            converted = tuple(to_fraction(f, "complexity_factors") for f in factors)
        except ScoringInputError:
            raise refuse("complexity_factors") from None
        if not converted or any(f <= 0 for f in converted):
            raise refuse("complexity_factors")
        object.__setattr__(self, "complexity_factors", converted)

        checks = {
            "general_max": self.general_max > 0,
            "task_max": self.task_max > 0,
            "threshold_complete": 0 < self.threshold_complete < self.threshold_good,
            "threshold_good": self.threshold_good < self.threshold_excellent,
            "threshold_excellent": self.threshold_excellent <= self.max_total,
            "failed_review_deduction": 0 <= self.failed_review_deduction <= 1,
            "delay_deduction": 0 <= self.delay_deduction <= 1,
            "min_months_for_classification": 1 <= self.min_months_for_classification <= 12,
            "quota_share": 0 < self.quota_share <= 1,
            "quota_share_exceptional": self.quota_share <= self.quota_share_exceptional <= 1,
            "review_limit_working_days": self.review_limit_working_days >= 0,
            "daily_norm_minutes": 0 < self.daily_norm_minutes <= 24 * 60,
            "early_bonus_per_day": self.early_bonus_per_day >= 0,
            "early_bonus_cap": self.early_bonus_cap >= 0,
            "late_deduction_per_delay": 0 <= self.late_deduction_per_delay <= 1,
            "standard_unit_points": self.standard_unit_points > 0,
            "org_exceeded_share_min": 0 <= self.org_exceeded_share_min <= 1,
            "org_late_share_max": 0 <= self.org_late_share_max <= 1,
            "org_plan_completion_min": 0 <= self.org_plan_completion_min <= 1,
        }
        for name, ok in checks.items():
            if not ok:
                raise refuse(name)

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
        out: dict[str, Any] = {"format": POLICY_FORMAT}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, StrEnum):
                out[f.name] = value.value
            elif isinstance(value, Fraction):
                out[f.name] = fraction_to_str(value)
            elif isinstance(value, tuple):
                out[f.name] = [fraction_to_str(v) for v in value]
            else:
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringPolicy:
        """The policy of ``data`` (as made by :meth:`to_dict`); every key must be present.

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
        missing = [name for name in names if name not in data and name not in cls._ADDED_KEYS]
        if missing:
            raise ScoringInputError("policy_key_missing", keys=missing)
        values = dict(data)
        del values["format"]
        for name in cls._ADDED_KEYS:
            values.setdefault(name, fraction_to_str(getattr(cls, name)))
        for name in cls._FRACTIONS:
            if isinstance(values[name], bool) or not isinstance(values[name], str | int | float):
                raise ScoringInputError("policy_invalid", field=name, value=values[name])
        if not isinstance(values["complexity_factors"], list | tuple):
            raise ScoringInputError(
                "policy_invalid", field="complexity_factors", value=values["complexity_factors"]
            )
        values["complexity_factors"] = tuple(values["complexity_factors"])
        for name in cls._ENUMS:
            if not isinstance(values[name], str):
                raise ScoringInputError("policy_invalid", field=name, value=values[name])
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
