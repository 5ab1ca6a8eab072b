"""Plain data the reports are printed from (never the database).

The service layer (``kpi_desktop.services.reports``) fills these dataclasses; the PDF writers
only read them. Each report's :meth:`facts` gives the JSON-ready content that the printed
verification code is a hash of: the figures and names the form shows, not the language, the
date of printing or the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.scores import Level, fraction_to_str


def _num(value: Fraction | Decimal | int | None) -> str | None:
    """Exact text of a number for hashing (``None`` stays ``None``)."""
    if value is None:
        return None
    return fraction_to_str(Fraction(value))


def _level(value: Level | None) -> str | None:
    return None if value is None else value.value


@dataclass(frozen=True)
class Letterhead:
    """The agency block at the top left of a form."""

    agency: str  # e.g. "UBND xã Nghĩa Lâm"
    unit: str = ""  # the division, e.g. "Phòng Kinh tế" (empty when it is the agency itself)

    def facts(self) -> dict[str, Any]:
        return {"agency": self.agency, "unit": self.unit}


@dataclass(frozen=True)
class ReportMeta:
    """What a report says about itself in its footer (not part of the verified content)."""

    code: str  # the verification code, e.g. "F01.kt-cv1.2026-03.5K2Q9M7T"
    policy_version: str
    generated_on: str = ""  # ISO date of printing
    app_version: str = ""


@dataclass(frozen=True)
class CriterionRow:
    """A row of the general-criteria table: a group (I, II, III) or one of its items."""

    code: str  # "I" for a group, "I.1" for an item
    number: str  # what the TT column shows: "I" or "1"
    text_vi: str
    text_en: str
    max_points: Decimal
    self_points: Decimal | Fraction | None = None
    confirmed_points: Decimal | Fraction | None = None

    @property
    def is_group(self) -> bool:
        return "." not in self.code

    def facts(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "max": _num(self.max_points),
            "self": _num(self.self_points),
            "confirmed": _num(self.confirmed_points),
        }


@dataclass(frozen=True)
class ProductRow:
    """One product (catalog item) of the period with its outcome."""

    code: str
    name_vi: str
    name_en: str
    coefficient: Decimal
    assigned: Decimal  # quantity assigned (planned)
    completed: Decimal  # quantity of the assigned work completed and confirmed
    extra: Decimal  # confirmed ad hoc / taken-over / beyond-plan quantity
    failed_reviews: int = 0
    delays: int = 0
    # Objective causes the leader confirmed, each with its reason: of the quality errors
    # (Điều 14.2b) and of the delays (Điều 14.2c).
    quality_causes: tuple[str, ...] = ()
    timeliness_causes: tuple[str, ...] = ()

    def facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = {
            "code": self.code,
            "coefficient": _num(self.coefficient),
            "assigned": _num(self.assigned),
            "completed": _num(self.completed),
            "extra": _num(self.extra),
            "failed": self.failed_reviews,
            "delays": self.delays,
        }
        if self.quality_causes:
            facts["quality_causes"] = list(self.quality_causes)
        if self.timeliness_causes:
            facts["timeliness_causes"] = list(self.timeliness_causes)
        return facts


@dataclass(frozen=True)
class MonthScore:
    """A month's result inside a quarter (Form 01) or a year (Form 02, unit summary)."""

    period: str  # "2026-03"
    total: Fraction | None = None
    general_points: Fraction | None = None
    task_points: Fraction | None = None
    level: Level | None = None
    note: str = ""  # "insufficient" | "not_evaluated" | "" (the report translates it)

    def facts(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "total": _num(self.total),
            "general": _num(self.general_points),
            "task": _num(self.task_points),
            "level": _level(self.level),
            "note": self.note,
        }


@dataclass(frozen=True)
class PersonHeading:
    """Who a form is about."""

    person_id: str
    full_name: str
    position: str
    unit: str
    is_leader: bool = False

    def facts(self) -> dict[str, Any]:
        return {
            "id": self.person_id,
            "name": self.full_name,
            "position": self.position,
            "unit": self.unit,
            "leader": self.is_leader,
        }


@dataclass(frozen=True)
class Form01Data:
    """Mẫu số 01: Phiếu theo dõi, đánh giá công chức (one month or one quarter)."""

    letterhead: Letterhead
    person: PersonHeading
    period: str  # "2026-03" or "2026-Q1"
    criteria: tuple[CriterionRow, ...]
    products: tuple[ProductRow, ...]
    general_self: Decimal | Fraction | None
    general_confirmed: Decimal | Fraction | None
    general_points: Fraction | None  # what counts (confirmed, else self)
    a: Fraction | None
    b: Fraction | None
    c: Fraction | None
    task_ratio: Fraction | None
    task_points: Fraction | None
    total: Fraction | None
    level: Level | None
    insufficient: bool
    policy_version: str
    leader_factors: tuple[int, int, int] | None = None  # d, đ, e in %
    months: tuple[MonthScore, ...] = ()  # the three months of a quarter
    evaluation_status: str | None = None
    comment: str = ""
    evaluator_name: str = ""

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.period

    def facts(self) -> dict[str, Any]:
        return {
            "kind": "form01",
            "letterhead": self.letterhead.facts(),
            "person": self.person.facts(),
            "period": self.period,
            "criteria": [row.facts() for row in self.criteria],
            "products": [row.facts() for row in self.products],
            "general_self": _num(self.general_self),
            "general_confirmed": _num(self.general_confirmed),
            "general_points": _num(self.general_points),
            "a": _num(self.a),
            "b": _num(self.b),
            "c": _num(self.c),
            "task_ratio": _num(self.task_ratio),
            "task_points": _num(self.task_points),
            "total": _num(self.total),
            "level": _level(self.level),
            "insufficient": self.insufficient,
            "policy_version": self.policy_version,
            "leader_factors": list(self.leader_factors) if self.leader_factors else None,
            "months": [m.facts() for m in self.months],
            "status": self.evaluation_status,
            "comment": self.comment,
            "evaluator": self.evaluator_name,
        }


@dataclass(frozen=True)
class Form02Data:
    """Mẫu số 02: Phiếu xếp loại chất lượng công chức (one year)."""

    letterhead: Letterhead
    person: PersonHeading
    year: int
    months: tuple[MonthScore, ...]  # always 12, January first
    mean: Fraction | None
    months_counted: int
    computed_level: Level | None
    self_level: Level | None
    decided_level: Level | None
    reason: str  # a YearReason value
    disciplined: bool
    policy_version: str
    decision_no: str = ""
    decision_date: str = ""
    # Leave of the year (Điều 11.2): (kind value, first day ISO, last day ISO, decision no).
    leave: tuple[tuple[str, str, str, str], ...] = ()

    def facts(self) -> dict[str, Any]:
        facts = self._facts()
        if self.leave:
            facts["leave"] = [list(line) for line in self.leave]
        return facts

    def _facts(self) -> dict[str, Any]:
        return {
            "kind": "form02",
            "letterhead": self.letterhead.facts(),
            "person": self.person.facts(),
            "year": self.year,
            "months": [m.facts() for m in self.months],
            "mean": _num(self.mean),
            "months_counted": self.months_counted,
            "computed_level": _level(self.computed_level),
            "self_level": _level(self.self_level),
            "decided_level": _level(self.decided_level),
            "reason": self.reason,
            "disciplined": self.disciplined,
            "policy_version": self.policy_version,
            "decision_no": self.decision_no,
            "decision_date": self.decision_date,
        }


@dataclass(frozen=True)
class UnitRow:
    """One person in a unit summary."""

    person_id: str
    full_name: str
    position: str
    unit: str
    general_points: Fraction | None
    task_points: Fraction | None
    total: Fraction | None
    level: Level | None
    months_counted: int = 1
    note: str = ""  # "insufficient" | "not_evaluated" | "too_few_months" | "disciplined" | ""

    def facts(self) -> dict[str, Any]:
        return {
            "id": self.person_id,
            "name": self.full_name,
            "position": self.position,
            "unit": self.unit,
            "general": _num(self.general_points),
            "task": _num(self.task_points),
            "total": _num(self.total),
            "level": _level(self.level),
            "months": self.months_counted,
            "note": self.note,
        }


@dataclass(frozen=True)
class ReviewerRow:
    """How promptly one leader reviewed the work-log entries of the period."""

    reviewer_id: str
    full_name: str
    reviewed: int
    late: int  # verdicts given more than ``deadline_days`` working days after submission
    pending: int  # entries still waiting for a verdict
    mean_days: Fraction | None  # mean working days from submission to verdict

    def facts(self) -> dict[str, Any]:
        return {
            "id": self.reviewer_id,
            "name": self.full_name,
            "reviewed": self.reviewed,
            "late": self.late,
            "pending": self.pending,
            "mean_days": _num(self.mean_days),
        }


@dataclass(frozen=True)
class QuotaCheck:
    """The "Excellent" quota of Điều 20.5 for a unit's year."""

    excellent: int
    good: int
    limit: int
    excess: int
    share_percent: int

    def facts(self) -> dict[str, Any]:
        return {
            "excellent": self.excellent,
            "good": self.good,
            "limit": self.limit,
            "excess": self.excess,
            "share": self.share_percent,
        }


@dataclass(frozen=True)
class UnitSummaryData:
    """Everyone of a unit (and its sub-units) for a month, a quarter or a year."""

    letterhead: Letterhead
    unit_id: str
    unit_name: str
    period: str  # "2026-03", "2026-Q1" or "2026"
    rows: tuple[UnitRow, ...]
    distribution: dict[str, int]  # Level value (or "not_classified") -> count
    policy_version: str
    quota: QuotaCheck | None = None
    reviewers: tuple[ReviewerRow, ...] = ()
    review_deadline_days: int = 3
    extra: dict[str, Any] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        return {
            "kind": "unit",
            "letterhead": self.letterhead.facts(),
            "unit": self.unit_id,
            "unit_name": self.unit_name,
            "period": self.period,
            "rows": [row.facts() for row in self.rows],
            "distribution": dict(sorted(self.distribution.items())),
            "policy_version": self.policy_version,
            "quota": None if self.quota is None else self.quota.facts(),
            "reviewers": [r.facts() for r in self.reviewers],
            "review_deadline_days": self.review_deadline_days,
        }
