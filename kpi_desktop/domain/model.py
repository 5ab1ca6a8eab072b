"""The entities of DESIGN.md §3 as frozen dataclasses and string enums (stdlib only).

Conventions:

* Identifiers are text. Records made on a device (entries, statements, assignments, appeals…)
  get a UUID from :func:`new_id`, so they stay unique when they travel between PCs; records
  published by the agency (units, people, job positions, catalog) carry the agency's ids.
* Points, coefficients, quantities and d/đ/e factors are :class:`~decimal.Decimal` (never
  float). Computed scores (a, b, c, totals, means) are :class:`~fractions.Fraction`, exactly as
  the scoring engine produced them.
* Dates are :class:`datetime.date`; moments are timezone-aware :class:`datetime.datetime` in UTC.
* Periods are :class:`Period` values ("2026-03", "2026-Q1").
* ``signature`` / ``key_fingerprint`` fields hold the author's Ed25519 signature over the
  record's canonical bytes and the fingerprint of the key that made it (DESIGN.md §6); they are
  ``None`` until the record is signed.
* Text is stored in Unicode NFC (the storage layer normalises every string it writes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, NamedTuple

from kpi_desktop.domain.scores import Level
from kpi_desktop.domain.values import (
    Period,
    PeriodKind,
    canonical_json,
    fold_text,
    new_id,
    normalize_optional,
    normalize_text,
    shift_months,
    to_decimal,
    utc_now,
)

__all__ = [
    "GENERAL_CRITERIA",
    "Appeal",
    "AppealOutcome",
    "AppealStatus",
    "AnnualClassification",
    "Assignment",
    "AssignmentStatus",
    "AuditEvent",
    "CalendarDay",
    "CalendarDayKind",
    "CatalogGroup",
    "CatalogItem",
    "CatalogProposal",
    "CatalogVersion",
    "DisciplineAuthority",
    "DisciplineEvent",
    "DisciplineKind",
    "EntryRevision",
    "EntryStatus",
    "EvaluationStatus",
    "EvaluatorKind",
    "EvaluatorRelation",
    "ExtraKind",
    "GeneralCriterion",
    "ItemScope",
    "JobPosition",
    "JobPositionItem",
    "KpiKind",
    "LeaveKind",
    "LeaveRecord",
    "Level",
    "MonthlyEvaluation",
    "MonthlyTotal",
    "OrgEvaluation",
    "OrgIndicator",
    "Organisation",
    "Period",
    "PeriodKind",
    "Person",
    "PersonKey",
    "PersonRole",
    "PolicyVersion",
    "ProposalStatus",
    "ReviewStatement",
    "ReviewTally",
    "StatementKind",
    "Unit",
    "UnitKind",
    "UnitMembership",
    "WorkLogEntry",
    "YearTotals",
    "canonical_json",
    "fold_text",
    "new_id",
    "normalize_optional",
    "normalize_text",
    "shift_months",
    "to_decimal",
    "utc_now",
]

# ============================================================================================
# Enums
# ============================================================================================


class UnitKind(StrEnum):
    """What a unit is: the agency itself, a commune (UBND xã), a division (phòng) or a centre."""

    AGENCY = "agency"
    COMMUNE = "commune"
    DIVISION = "division"
    CENTRE = "centre"


class PersonRole(StrEnum):
    """A person's role in the application (what they see and may do)."""

    OFFICIAL = "official"  # công chức
    DEPUTY = "deputy"  # cấp phó
    HEAD = "head"  # người đứng đầu / trưởng
    ADMIN = "admin"  # agency administrator (tổ chức cán bộ)

    @property
    def is_leader(self) -> bool:
        """Heads and deputies are leaders (Điều 15: evaluated with d/đ/e)."""
        return self in (PersonRole.HEAD, PersonRole.DEPUTY)


class EvaluatorKind(StrEnum):
    """Whether an evaluator relation is the normal one (Điều 10) or an acting delegation."""

    DIRECT = "direct"
    ACTING = "acting"


class CatalogGroup(StrEnum):
    """Complexity group of a catalog item (Điều 13.1: at most five groups)."""

    N1 = "N1"
    N2 = "N2"
    N3 = "N3"
    N4 = "N4"
    N5 = "N5"


class ItemScope(StrEnum):
    """Which part of the catalog an item belongs to (Nghĩa Lâm: QL.*, DC.*, per division)."""

    LEADERSHIP = "leadership"
    SHARED = "shared"
    DIVISION = "division"


class KpiKind(StrEnum):
    """KPI kind of a catalog item or assignment (seed 001)."""

    SPEARHEAD = "spearhead"  # mũi nhọn
    HARD = "hard"  # cứng
    SOFT = "soft"  # mềm


class AssignmentStatus(StrEnum):
    """State of an assignment; a reassigned task stays with the first person, not completed."""

    ACTIVE = "active"
    REASSIGNED = "reassigned"
    CANCELLED = "cancelled"


class ExtraKind(StrEnum):
    """Whether an entry is planned work or extra work outside the assigned total (Điều 18.1d)."""

    NONE = "none"
    AD_HOC = "ad_hoc"
    TAKEN_OVER = "taken_over"


class EntryStatus(StrEnum):
    """Life cycle of a work-log entry (DESIGN.md §5)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    RETURNED = "returned"


class StatementKind(StrEnum):
    """What a leader's review statement says about one revision of an entry."""

    CONFIRM = "confirm"
    RETURN = "return"
    QUALITY_FAILED = "quality_failed"  # lỗi lớn về nội dung: −25 % of quality
    DELAY = "delay"  # one missed deadline: −25 % of progress
    # Objective causes confirmed by the competent level (Điều 14.2b and 14.2c are separate
    # exemptions): the quality cause waives the failed-review deductions, the timeliness
    # cause the delay deductions, each recorded with its own reason.
    QUALITY_CAUSE = "quality_cause"
    TIMELINESS_CAUSE = "timeliness_cause"
    # Before issue 15 one statement waived both deductions; a stored or received statement of
    # this kind still reads as both causes (with the same reason), and still verifies.
    OBJECTIVE_CAUSE = "objective_cause"

    @property
    def waives_quality(self) -> bool:
        """Whether the statement exempts failed quality reviews (Điều 14.2b)."""
        return self in (StatementKind.QUALITY_CAUSE, StatementKind.OBJECTIVE_CAUSE)

    @property
    def waives_timeliness(self) -> bool:
        """Whether the statement exempts delays (Điều 14.2c)."""
        return self in (StatementKind.TIMELINESS_CAUSE, StatementKind.OBJECTIVE_CAUSE)

    @property
    def is_verdict(self) -> bool:
        """Confirm and return decide the entry's status; the others are annotations."""
        return self in (StatementKind.CONFIRM, StatementKind.RETURN)


class EvaluationStatus(StrEnum):
    """Life cycle of a monthly (or quarterly) evaluation (DESIGN.md §5)."""

    OPEN = "open"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    LOCKED = "locked"


class DisciplineKind(StrEnum):
    """Discipline forms and the other Điều 20.4 overrides to "Không hoàn thành"."""

    REPRIMAND = "reprimand"  # khiển trách
    WARNING = "warning"  # cảnh cáo
    SALARY_REDUCTION = "salary_reduction"  # hạ bậc lương
    DEMOTION = "demotion"  # giáng chức
    REMOVAL = "removal"  # cách chức
    DISMISSAL = "dismissal"  # buộc thôi việc
    EXPULSION = "expulsion"  # khai trừ (party)
    IDEOLOGY_CONCLUSION = "ideology_conclusion"  # Điều 20.4b: conclusion of a competent authority
    UNIT_CORRUPTION = "unit_corruption"  # Điều 20.4d: leaders, case in a directly managed unit


class DisciplineAuthority(StrEnum):
    """Who decided a discipline event (party and administrative discipline count once)."""

    ADMINISTRATIVE = "administrative"
    PARTY = "party"
    COMPETENT_AUTHORITY = "competent_authority"


class LeaveKind(StrEnum):
    """Leave that changes how a year is classified (Điều 11.2)."""

    SICK = "sick"  # nghỉ ốm (theo pháp luật về bảo hiểm xã hội)
    MATERNITY = "maternity"  # nghỉ thai sản (theo pháp luật về bảo hiểm xã hội)
    UNPAID = "unpaid"  # nghỉ việc riêng không hưởng lương

    @property
    def social_insurance(self) -> bool:
        """Sick and maternity leave under the social-insurance law: the year is classified on
        the time actually worked, however short (Điều 11.2, Điều 19.3)."""
        return self in (LeaveKind.SICK, LeaveKind.MATERNITY)


class AppealStatus(StrEnum):
    """Life cycle of an appeal (kiến nghị, Điều 22)."""

    FILED = "filed"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class AppealOutcome(StrEnum):
    """The decision on an appeal."""

    CHANGED = "changed"  # the result is replaced (history kept, Điều 21.3)
    UNCHANGED = "unchanged"


class CalendarDayKind(StrEnum):
    """An exception to the Monday–Friday working week."""

    HOLIDAY = "holiday"  # public holiday (incl. Tết)
    DAY_OFF = "day_off"  # extra day off declared by the agency / government
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day that is worked (làm bù)


# ============================================================================================
# General criteria (Phụ lục I / Mẫu 01): 3 groups × 10 points
# ============================================================================================


@dataclass(frozen=True, slots=True)
class GeneralCriterion:
    """One sub-item of the 30-point general criteria; the UI supplies the translated text."""

    code: str
    group: str
    max_points: Decimal


GENERAL_CRITERIA: tuple[GeneralCriterion, ...] = (
    GeneralCriterion("I.1", "I", Decimal("5")),
    GeneralCriterion("I.2", "I", Decimal("5")),
    GeneralCriterion("II.1", "II", Decimal("2.5")),
    GeneralCriterion("II.2", "II", Decimal("2.5")),
    GeneralCriterion("II.3", "II", Decimal("2.5")),
    GeneralCriterion("II.4", "II", Decimal("2.5")),
    GeneralCriterion("III.1", "III", Decimal("2.5")),
    GeneralCriterion("III.2", "III", Decimal("2.5")),
    GeneralCriterion("III.3", "III", Decimal("2.5")),
    GeneralCriterion("III.4", "III", Decimal("2.5")),
)


# ============================================================================================
# Organisation
# ============================================================================================


@dataclass(frozen=True, slots=True, kw_only=True)
class Organisation:
    """An agency (cơ quan) that publishes an organisation bundle.

    ``org_version`` is the version of the last organisation bundle applied (0 = none yet).
    ``support_contact`` is who helps the agency's users (unit, phone, e-mail), shown in Help;
    it travels in the signed organisation file.
    """

    id: str
    name_vi: str
    name_en: str = ""
    code: str = ""
    org_version: int = 0
    updated_at: dt.datetime | None = None
    support_contact: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """A unit of an organisation: the agency, a commune, a division or a centre.

    ``merged_into_id`` records a merger (2025 commune mergers); the merged unit becomes
    inactive and keeps its history.
    """

    id: str
    organisation_id: str
    name_vi: str
    name_en: str = ""
    kind: UnitKind = UnitKind.DIVISION
    parent_id: str | None = None
    code: str = ""
    active: bool = True
    merged_into_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobPosition:
    """A job position (vị trí việc làm) with its job description and competency framework.

    ``field_codes`` are the catalog field codes (e.g. "VP", "HCC") whose division items the
    position may use; ``leadership`` opens the leadership (QL.*) items. ``unit_id`` is the unit
    the position belongs to, or ``None`` for a position used across units.
    """

    id: str
    name_vi: str
    name_en: str = ""
    description_vi: str = ""
    description_en: str = ""
    competency_framework_vi: str = ""
    competency_framework_en: str = ""
    unit_id: str | None = None
    field_codes: tuple[str, ...] = ()
    leadership: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """A civil servant, leader or administrator.

    ``unit_id`` is the current unit (the history is in :class:`UnitMembership`);
    ``leader_fields`` is the free text of the fields a deputy is assigned (Điều 15.4).
    ``public_key`` / ``key_fingerprint`` are the current Ed25519 key (earlier keys are kept as
    :class:`PersonKey` so old signatures stay verifiable).
    """

    id: str
    full_name: str
    unit_id: str
    role: PersonRole = PersonRole.OFFICIAL
    job_position_id: str | None = None
    leader_fields: str = ""
    public_key: bytes | None = None
    key_fingerprint: str | None = None
    active: bool = True
    joined_on: dt.date | None = None
    left_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonKey:
    """One public key a person has held; ``revoked_at`` is set when it was replaced or revoked."""

    fingerprint: str
    person_id: str
    public_key: bytes
    valid_from: dt.datetime
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitMembership:
    """A person's membership of a unit from ``start_on`` to ``end_on`` (inclusive; None = open).

    Transfers and mergers close one membership and open another; evaluations keep the unit
    they were made in.
    """

    id: str
    person_id: str
    unit_id: str
    start_on: dt.date
    end_on: dt.date | None = None
    reason: str = ""

    def active_on(self, day: dt.date) -> bool:
        """Whether the membership covers ``day``."""
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)


@dataclass(frozen=True, slots=True, kw_only=True)
class EvaluatorRelation:
    """``evaluator_id`` evaluates ``evaluatee_id`` from ``start_on`` to ``end_on`` (Điều 10).

    An acting relation (``kind=ACTING``) is a delegation for a date range by
    ``delegated_by_id``.
    """

    id: str
    evaluator_id: str
    evaluatee_id: str
    start_on: dt.date
    end_on: dt.date | None = None
    kind: EvaluatorKind = EvaluatorKind.DIRECT
    delegated_by_id: str | None = None
    note: str = ""

    def active_on(self, day: dt.date) -> bool:
        """Whether the relation applies on ``day``."""
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)


# ============================================================================================
# Catalog
# ============================================================================================


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogVersion:
    """A published version of the task catalog; one version is active at a time."""

    id: str
    label: str
    standard_unit_points: Decimal
    published_at: dt.datetime | None = None
    active: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogItem:
    """One product/task of the catalog (danh mục sản phẩm/công việc).

    ``coefficient`` is the conversion coefficient (points / standard-unit points);
    ``complexity_level`` (1–5) is the Khánh Hòa complexity rating, independent of ``group``.
    ``field_code`` is the division field of a ``DIVISION`` item ("VP", "HCC", …).
    """

    id: str
    catalog_version_id: str
    code: str
    name_vi: str
    name_en: str = ""
    detail_vi: str = ""
    detail_en: str = ""
    output_vi: str = ""
    output_en: str = ""
    unit_of_output: str = ""
    group: CatalogGroup = CatalogGroup.N1
    points: Decimal = Decimal(0)
    coefficient: Decimal = Decimal(0)
    time_norm_minutes: Decimal | None = None
    complexity_level: int | None = None
    scope: ItemScope = ItemScope.SHARED
    field_code: str | None = None
    kpi_kind: KpiKind | None = None

    @staticmethod
    def make_id(catalog_version_id: str, code: str) -> str:
        """The conventional id of item ``code`` in a catalog version: "<version>:<code>"."""
        return f"{catalog_version_id}:{code}"


@dataclass(frozen=True, slots=True, kw_only=True)
class JobPositionItem:
    """An explicit permission: ``job_position_id`` may use ``catalog_item_id``.

    A position with explicit rows may use exactly those items; a position without any uses the
    rules (shared items, leadership items for leaders, division items of its field codes).
    """

    job_position_id: str
    catalog_item_id: str


class ProposalStatus(StrEnum):
    """State of an official's proposal of a new catalog item (Điều 13.3)."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogProposal:
    """An official's proposal to add a product/task to the catalog (đề xuất bổ sung sản
    phẩm/công việc, Điều 13.3), and the agency's decision about it.

    The author signs what they propose (``signature`` over ``proposal_bytes``); the decision
    fields are the agency's and are not part of the signed bytes. An accepted proposal names
    the code of the item it became (``accepted_item_code``) in a new catalog version.
    """

    id: str
    person_id: str
    proposed_at: dt.datetime
    name_vi: str
    output_vi: str = ""
    group: CatalogGroup
    points: Decimal
    reason: str
    status: ProposalStatus = ProposalStatus.PROPOSED
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    accepted_item_code: str | None = None
    decision_note: str = ""
    signature: bytes | None = None
    key_fingerprint: str | None = None


# ============================================================================================
# Assignments and the work log
# ============================================================================================


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """A catalog item assigned to a person for a period (giao nhiệm vụ, Điều 18).

    ``coefficient`` is frozen from the catalog when the assignment is made.
    """

    id: str
    person_id: str
    assigner_id: str
    catalog_item_id: str
    period: Period
    quantity: Decimal
    coefficient: Decimal
    deadline: dt.date
    created_at: dt.datetime
    kpi_kind: KpiKind | None = None
    note: str = ""
    status: AssignmentStatus = AssignmentStatus.ACTIVE
    updated_at: dt.datetime | None = None
    signature: bytes | None = None
    key_fingerprint: str | None = None
    # Signed per-assignment version: each change its assigner signs takes the next number.
    version: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkLogEntry:
    """A work-log entry (nhật ký công việc).

    ``assignment_id`` is ``None`` for work outside the plan, with ``extra_kind`` AD_HOC or
    TAKEN_OVER (then ``taken_over_from_id`` names the colleague). ``coefficient``,
    ``time_norm_minutes`` and ``complexity_level`` are frozen from the catalog at entry.
    ``current_revision`` is 0 until the first submission; ``confirmed_revision`` is the revision
    that counts once a leader confirmed one.
    """

    id: str
    person_id: str
    work_date: dt.date
    catalog_item_id: str
    quantity: Decimal
    coefficient: Decimal
    created_at: dt.datetime
    updated_at: dt.datetime
    assignment_id: str | None = None
    extra_kind: ExtraKind = ExtraKind.NONE
    taken_over_from_id: str | None = None
    time_norm_minutes: Decimal | None = None
    complexity_level: int | None = None
    output_doc_number: str = ""
    output_description: str = ""
    attachment_sha256: str | None = None
    attachment_name: str | None = None
    deadline: dt.date | None = None
    completed_on: dt.date | None = None
    status: EntryStatus = EntryStatus.DRAFT
    current_revision: int = 0
    confirmed_revision: int | None = None
    signature: bytes | None = None
    key_fingerprint: str | None = None

    @property
    def is_extra(self) -> bool:
        """Ad hoc or taken-over work, counted outside the assigned total."""
        return self.extra_kind is not ExtraKind.NONE

    def snapshot(self) -> dict[str, Any]:
        """The fields a revision freezes and its author signs, as JSON-ready values.

        Status, revision numbers, timestamps and signatures are not part of it.
        """
        return {
            "id": self.id,
            "person_id": self.person_id,
            "work_date": self.work_date.isoformat(),
            "catalog_item_id": self.catalog_item_id,
            "assignment_id": self.assignment_id,
            "extra_kind": self.extra_kind.value,
            "taken_over_from_id": self.taken_over_from_id,
            "quantity": str(self.quantity),
            "coefficient": str(self.coefficient),
            "time_norm_minutes": (
                None if self.time_norm_minutes is None else str(self.time_norm_minutes)
            ),
            "complexity_level": self.complexity_level,
            "output_doc_number": self.output_doc_number,
            "output_description": self.output_description,
            "attachment_sha256": self.attachment_sha256,
            "attachment_name": self.attachment_name,
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "completed_on": None if self.completed_on is None else self.completed_on.isoformat(),
        }

    def snapshot_text(self) -> tuple[str, str]:
        """The entry's canonical bytes: its :meth:`snapshot` as canonical JSON, and the
        SHA-256 (hex) of that text's UTF-8 bytes. A revision freezes exactly this text
        (``EntryRevision.snapshot_json``) and its author's signature covers its hash."""
        text = canonical_json(self.snapshot())
        return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryRevision:
    """A submitted state of an entry: its snapshot as canonical JSON, with a reason.

    ``snapshot_sha256`` is the SHA-256 (hex) of the UTF-8 bytes of ``snapshot_json``; review
    statements bind to it through (entry_id, revision).
    """

    entry_id: str
    revision: int
    snapshot_json: str
    snapshot_sha256: str
    created_at: dt.datetime
    author_id: str
    reason: str = ""
    signature: bytes | None = None
    key_fingerprint: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewStatement:
    """A leader's statement about one revision of an entry (confirm, return, verdicts)."""

    id: str
    entry_id: str
    revision: int
    reviewer_id: str
    kind: StatementKind
    created_at: dt.datetime
    reason: str = ""
    signature: bytes | None = None
    key_fingerprint: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewTally:
    """What the statements about one entry add up to (the scoring inputs of one entry).

    ``failed_reviews`` and ``delays`` count statements over all revisions; ``quality_cause`` /
    ``timeliness_cause`` say a confirmed objective cause waives them (each with its reason; an
    old single objective-cause statement sets both); ``verdict`` is the latest confirm/return
    (``None`` if there is none yet).
    """

    entry_id: str
    failed_reviews: int = 0
    delays: int = 0
    quality_cause: bool = False  # an objective cause of the quality failures (Điều 14.2b)
    timeliness_cause: bool = False  # an objective cause of the delays (Điều 14.2c)
    quality_cause_reason: str = ""
    timeliness_cause_reason: str = ""
    verdict: StatementKind | None = None
    verdict_revision: int | None = None
    verdict_reason: str = ""
    verdict_at: dt.datetime | None = None

    @property
    def objective_cause(self) -> bool:
        """Both deductions are waived (what one objective-cause flag meant before issue 15)."""
        return self.quality_cause and self.timeliness_cause


# ============================================================================================
# Evaluations
# ============================================================================================


def _empty_scores() -> Mapping[str, Decimal]:
    return {}


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthlyEvaluation:
    """Form 01 for one person and period (a month, or a quarter when the policy says so).

    ``self_criteria`` / ``confirmed_criteria`` map :data:`GENERAL_CRITERIA` codes to points.
    ``d``/``dd``/``e`` are the leader factors (100 or 50, ``None`` for non-leaders).
    The computed values (``a`` … ``total``) are exact fractions from the scoring engine, with
    ``policy_version`` the policy that produced them. ``unit_id`` is the unit the person
    belonged to for this period (transfers keep it).
    """

    person_id: str
    period: Period
    status: EvaluationStatus = EvaluationStatus.OPEN
    unit_id: str | None = None
    self_criteria: Mapping[str, Decimal] = field(default_factory=_empty_scores)
    confirmed_criteria: Mapping[str, Decimal] = field(default_factory=_empty_scores)
    evaluator_id: str | None = None
    comment: str = ""
    d: Decimal | None = None
    dd: Decimal | None = None
    e: Decimal | None = None
    a: Fraction | None = None
    b: Fraction | None = None
    c: Fraction | None = None
    task_ratio: Fraction | None = None
    task_points: Fraction | None = None
    general_points: Fraction | None = None
    total: Fraction | None = None
    level: Level | None = None
    insufficient: bool = False
    policy_version: str | None = None
    submitted_at: dt.datetime | None = None
    confirmed_at: dt.datetime | None = None
    locked_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    self_signature: bytes | None = None
    self_key_fingerprint: str | None = None
    evaluator_signature: bytes | None = None
    evaluator_key_fingerprint: str | None = None
    # Signed per-subject versions: each newly signed self-assessment / evaluator's decision
    # (a confirmation, or a reopening with ``reopen_reason``) of this person and period takes
    # the next number, so a newer decision is never replaced by an older copy.
    self_version: int = 0
    confirm_version: int = 0
    reopened_at: dt.datetime | None = None
    reopen_reason: str = ""
    reopened_to_official: bool = False


@dataclass(frozen=True, slots=True)
class MonthlyTotal:
    """The stored outcome of one evaluated period, without the rest of Form 01 (roll-ups)."""

    person_id: str
    period: Period
    total: Fraction | None
    insufficient: bool


class YearTotals(NamedTuple):
    """One person's stored totals of a year, summed by the database (the year-end roll-up;
    a named tuple: a unit makes 300 of them per roll-up, 4× faster than a dataclass).

    ``periods`` are the periods with a total, in order, and ``totals`` their exact totals;
    ``approx_mean`` is their mean as the database computes it in floating point (``None``
    without totals); ``scaled_sum`` is the exact sum of the totals in ten-thousandths when every
    one of them is stored as a decimal of at most 4 places (``None`` otherwise: "1234/7"), with
    ``lowest`` / ``highest`` in the same unit;
    ``uncomputed`` counts the periods stored without a total that are not marked insufficient
    (their total must be computed from the work log).
    """

    person_id: str
    periods: tuple[Period, ...]
    totals: tuple[Fraction, ...]
    approx_mean: float | None
    scaled_sum: int | None
    lowest: int | None
    highest: int | None
    uncomputed: int

    # The unit of ``scaled_sum``, ``lowest`` and ``highest``.
    SCALE = 10_000


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnualClassification:
    """Form 02 for one person and year; a replacement decision supersedes an earlier one.

    ``computed_level`` is what the scoring engine found (``None`` = not classified),
    ``self_level`` the person's self-rating, ``decided_level`` the competent authority's
    decision. ``supersedes_id`` links a replacement decision (Điều 21.3) to the one it
    replaces; the current classification is the one nobody supersedes.
    """

    id: str
    person_id: str
    year: int
    created_at: dt.datetime
    unit_id: str | None = None
    months_counted: int = 0
    mean: Fraction | None = None
    computed_level: Level | None = None
    self_level: Level | None = None
    decided_level: Level | None = None
    reason: str = ""
    quota_note: str = ""
    minutes_ref: str = ""
    decision_no: str = ""
    decision_date: dt.date | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    supersedes_id: str | None = None
    policy_version: str | None = None
    signature: bytes | None = None
    key_fingerprint: str | None = None


# ============================================================================================
# Audit, discipline, appeals, organisation results, calendar, policy
# ============================================================================================


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """One line of the append-only audit log. ``id`` is assigned by the database."""

    at: dt.datetime
    action: str
    object_type: str
    object_id: str
    actor_id: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DisciplineEvent:
    """A discipline decision or another Điều 20.4 override for one person.

    ``effective_year`` is the evaluation year it counts for; ``related_event_id`` links the
    party and administrative decisions about the same act (they count once). ``decided_on`` is
    the date of the decision, ``committed_on`` the date of the act it is about (Điều 11.3c–d:
    an act at an old organisation counts in that organisation's result).
    """

    id: str
    person_id: str
    kind: DisciplineKind
    decided_on: dt.date
    effective_year: int
    created_at: dt.datetime
    authority: DisciplineAuthority = DisciplineAuthority.ADMINISTRATIVE
    decision_no: str = ""
    note: str = ""
    related_event_id: str | None = None
    recorded_by: str | None = None
    signature: bytes | None = None
    key_fingerprint: str | None = None
    committed_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaveRecord:
    """A period of leave of one person (Điều 11.2), from ``start_on`` to ``end_on`` inclusive.

    Entered by the agency administrator (``recorded_by`` = "agency"), the chairman or the
    person's evaluator, with the decision's number; signed by who recorded it. A correction or
    a removal is a new ``version`` of the same record (``removed`` = True withdraws it), signed
    again: the higher version wins wherever it arrives.
    """

    id: str
    person_id: str
    kind: LeaveKind
    start_on: dt.date
    end_on: dt.date
    recorded_by: str
    created_at: dt.datetime
    decision_no: str = ""
    note: str = ""
    version: int = 1
    removed: bool = False
    updated_at: dt.datetime | None = None
    signature: bytes | None = None
    key_fingerprint: str | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` is a day of this leave (a removed record covers nothing)."""
        return not self.removed and self.start_on <= day <= self.end_on


@dataclass(frozen=True, slots=True, kw_only=True)
class Appeal:
    """An appeal (kiến nghị, Điều 22) against a period's evaluation or a year's classification.

    ``period`` is a month/quarter, or a year ("2026") for the classification.
    ``received_on`` starts the 7-working-day deadline.
    """

    id: str
    person_id: str
    period: Period
    reason: str
    filed_at: dt.datetime
    status: AppealStatus = AppealStatus.FILED
    received_on: dt.date | None = None
    decision: str = ""
    outcome: AppealOutcome | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    signature: bytes | None = None
    key_fingerprint: str | None = None
    decision_signature: bytes | None = None
    decision_key_fingerprint: str | None = None
    decided_on: dt.date | None = None  # the day of the decision (its 7-working-day check)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplacedEvaluation:
    """A monthly (or quarterly) evaluation as it was before a later decision replaced it
    (an appeal decided "changed", Điều 22 with Điều 21.3): the history of a changed result.

    ``snapshot_json`` is the replaced :class:`MonthlyEvaluation` as canonical JSON;
    ``total``/``level``/``general_points`` repeat its result for lists.
    """

    id: str
    person_id: str
    period: Period
    replaced_at: dt.datetime
    snapshot_json: str
    total: Fraction | None = None
    general_points: Fraction | None = None
    level: Level | None = None
    replaced_by: str | None = None
    appeal_id: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgIndicator:
    """An organisation KPI value for a unit and period (Điều 8), e.g. share of files on time."""

    id: str
    unit_id: str
    period: Period
    code: str
    value: Decimal
    policy_version: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgEvaluation:
    """The organisation's own level for a year (Điều 8); it caps its head's level (Điều 20.6)."""

    id: str
    unit_id: str
    year: int
    level: Level | None = None
    score: Fraction | None = None
    note: str = ""
    decision_no: str = ""
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    policy_version: str | None = None
    decision_date: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarDay:
    """An exception to the Monday–Friday week: a holiday, a day off or a make-up working day."""

    day: dt.date
    kind: CalendarDayKind
    name: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyVersion:
    """A version of the scoring policy as published (JSON text), in force from ``active_from``."""

    version: str
    policy_json: str
    active_from: dt.date
    created_at: dt.datetime
