"""SQLAlchemy 2 typed table definitions and the column types that keep values exact.

Column names equal the field names of the matching dataclasses in
:mod:`kpi_desktop.domain.model`, so repositories convert rows generically
(:mod:`kpi_desktop.storage.repositories._base`). Every value type round-trips exactly:

* text is normalised (NFC, stripped) on the way in (:class:`NfcString`, :class:`NfcText`);
* decimals are stored as their exact text ("1.60" stays "1.60", :class:`DecimalText`);
* fractions (computed scores) as exact text ("84.5" or "245/3", :class:`ExactNumber`);
* moments as fixed-width ISO 8601 UTC text (:class:`UtcDateTime`), refusing naive values;
* enums as their string value (:class:`EnumText`), periods as "2026-03" (:class:`PeriodText`).

Changing a table here needs an Alembic revision in ``migrations/versions`` (a test compares).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from sqlalchemy import (
    DDL,
    Boolean,
    Column,
    Date,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.inputs import find_forbidden
from kpi_desktop.domain.model import (
    AppealOutcome,
    AppealStatus,
    AssignmentStatus,
    CalendarDayKind,
    CatalogGroup,
    DisciplineAuthority,
    DisciplineKind,
    EntryStatus,
    EvaluationStatus,
    EvaluatorKind,
    ExtraKind,
    ItemScope,
    KpiKind,
    LeaveKind,
    Level,
    Period,
    PersonRole,
    ProposalStatus,
    StatementKind,
    UnitKind,
)
from kpi_desktop.domain.values import UTC_FORMAT, normalize_text, to_decimal, utc_text

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# ============================================================================================
# Column types
# ============================================================================================


class NfcString(TypeDecorator[str]):
    """Short text, stored in Unicode NFC without surrounding white space."""

    impl = String
    cache_ok = True
    # The column's name, for the message of a refused text (set when the column is made).
    field = ""

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """NFC-normalise and strip before writing; a control character is refused
        (``text_control_character``: the last net under the checks of
        :mod:`kpi_desktop.domain.inputs`, so nothing stored can break an export)."""
        if value is None:
            return None
        if value.isascii() and value.isprintable():
            # Printable ASCII (most ids, codes and dates): already NFC, no control character.
            return value.strip()
        bad = find_forbidden(value)
        if bad is not None:
            raise RefusedValue("text_control_character", field=self.field,
                               char=f"U+{ord(bad):04X}")
        return normalize_text(value)


class NfcText(NfcString):
    """Long text, stored in Unicode NFC without surrounding white space."""

    impl = Text
    cache_ok = True


@event.listens_for(Column, "after_parent_attach")
def _name_text_column(column: Column[Any], _table: Any) -> None:
    """Each text column gets its own type naming it, so a refused text names its column."""
    if isinstance(column.type, NfcString) and not column.type.field and column.name:
        named = copy.copy(column.type)
        named.field = column.name
        column.type = named



class DecimalText(TypeDecorator[Decimal]):
    """A :class:`~decimal.Decimal` stored as its exact text (no float on the way)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect: Dialect) -> str | None:
        """Exact text of the decimal; floats are refused."""
        return None if value is None else str(to_decimal(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        """The decimal back, with the same exponent it was written with."""
        return None if value is None else Decimal(value)


def fraction_text(value: Fraction | Decimal | int) -> str:
    """Exact text for a rational number: a terminating decimal ("84.5") or "p/q"."""
    frac = Fraction(value)
    den = frac.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{frac.numerator}/{frac.denominator}"
    places = max(twos, fives)
    scaled = abs(frac.numerator) * 10**places // frac.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if frac < 0 else ""
    return sign + (digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}")


class ExactNumber(TypeDecorator[Fraction]):
    """A computed score as exact text; it reads back as a :class:`~fractions.Fraction`."""

    impl = String
    cache_ok = True

    def process_bind_param(
        self, value: Fraction | Decimal | int | None, dialect: Dialect
    ) -> str | None:
        """Exact text of the number; floats are refused."""
        if value is None:
            return None
        if isinstance(value, float | bool):
            raise TypeError("computed scores must be Fraction, Decimal or int, not float")
        return fraction_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Fraction | None:
        """The exact fraction back."""
        return None if value is None else Fraction(value)




class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware moment stored as fixed-width ISO 8601 UTC text (sorts correctly)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        """UTC text; naive datetimes are refused because their moment is unknown."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: times must be timezone-aware")
        return utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        """An aware datetime in UTC."""
        if value is None:
            return None
        if len(value) == 27 and value[-1] == "Z":  # the stored format: 50× faster than strptime
            return dt.datetime.fromisoformat(value[:-1]).replace(tzinfo=dt.UTC)
        return dt.datetime.strptime(value, UTC_FORMAT).replace(tzinfo=dt.UTC)


class PeriodText(TypeDecorator[Period]):
    """A :class:`Period` stored as its text ("2026-03", "2026-Q1", "2026")."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Period | str | None, dialect: Dialect) -> str | None:
        """Canonical period text; malformed text raises ``RefusedValue``."""
        if value is None:
            return None
        return str(value if isinstance(value, Period) else Period.parse(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Period | None:
        """The period back."""
        return None if value is None else Period.parse(value)


class EnumText(TypeDecorator[StrEnum]):
    """A string enum stored as its value; unknown values raise ``ValueError``."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum]) -> None:
        super().__init__()
        self.enum_class = enum_class
        # Reading looks the member up by value (a dict) instead of calling the enum class
        # (~1 µs a value: a month's 38,000 entries of a unit have several enum columns).
        self._members: dict[str, StrEnum] = {m.value: m for m in enum_class}

    def process_bind_param(self, value: StrEnum | str | None, dialect: Dialect) -> str | None:
        """The enum's value (a plain string is checked against the enum)."""
        if value is None:
            return None
        if type(value) is self.enum_class:  # a member already (calling the class: ~1 µs)
            return value.value  # type: ignore[no-any-return]
        return self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        """The enum member back."""
        if value is None:
            return None
        member = self._members.get(value)
        return member if member is not None else self.enum_class(value)

    def __repr__(self) -> str:
        return f"EnumText({self.enum_class.__name__})"


def _json_default(value: Any) -> Any:
    """JSON fallback for the values services put into audit details."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default)


class JsonText(TypeDecorator[Mapping[str, Any]]):
    """A JSON object stored as sorted, compact text (NFC strings)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Mapping[str, Any] | None, dialect: Dialect) -> str | None:
        """Sorted, compact JSON text."""
        if value is None:
            return None
        return unicodedata.normalize("NFC", _dumps(dict(value)))

    def process_result_value(self, value: str | None, dialect: Dialect) -> dict[str, Any] | None:
        """The object back (decimals, dates come back as strings)."""
        return None if value is None else json.loads(value)


class DecimalMap(TypeDecorator[Mapping[str, Decimal]]):
    """A mapping of codes to decimals (general-criteria scores) as JSON with string values."""

    impl = Text
    cache_ok = True

    def process_bind_param(
        self, value: Mapping[str, Decimal] | None, dialect: Dialect
    ) -> str | None:
        """JSON object with exact decimal strings."""
        if value is None:
            return None
        return _dumps({normalize_text(k): str(to_decimal(v)) for k, v in value.items()})

    def process_result_value(
        self, value: str | None, dialect: Dialect
    ) -> dict[str, Decimal] | None:
        """The mapping back, values as decimals."""
        if value is None:
            return None
        return {k: Decimal(v) for k, v in json.loads(value).items()}


class CodeList(TypeDecorator[tuple[str, ...]]):
    """A short list of codes stored as a JSON array; it reads back as a tuple."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Sequence[str] | None, dialect: Dialect) -> str | None:
        """JSON array of normalised codes."""
        if value is None:
            return None
        if isinstance(value, str):
            raise TypeError("a code list must be a sequence of strings, not one string")
        return _dumps([normalize_text(v) for v in value])

    def process_result_value(self, value: str | None, dialect: Dialect) -> tuple[str, ...] | None:
        """The codes back as a tuple."""
        return None if value is None else tuple(json.loads(value))


# ============================================================================================
# Declarative base
# ============================================================================================


class Base(DeclarativeBase):
    """Declarative base: naming convention and the default column type of each Python type."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: NfcString(),
        Decimal: DecimalText(),
        Fraction: ExactNumber(),
        dt.datetime: UtcDateTime(),
        dt.date: Date(),
        bytes: LargeBinary(),
        bool: Boolean(),
        int: Integer(),
        Period: PeriodText(),
    }


def _fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Any:
    """A foreign-key column (text id)."""
    return mapped_column(NfcString(), ForeignKey(target, ondelete=ondelete), nullable=nullable)


def _enum(enum_class: type[StrEnum], **kwargs: Any) -> Any:
    return mapped_column(EnumText(enum_class), **kwargs)


# ============================================================================================
# Organisation
# ============================================================================================


class OrganisationRow(Base):
    """An agency that publishes the organisation bundle."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(primary_key=True)
    name_vi: Mapped[str]
    name_en: Mapped[str] = mapped_column(default="")
    code: Mapped[str] = mapped_column(default="")
    org_version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime | None]
    support_contact: Mapped[str] = mapped_column(NfcText(), default="")  # revision 0015


class UnitRow(Base):
    """A unit: the agency, a commune, a division or a centre."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(primary_key=True)
    organisation_id: Mapped[str] = _fk("organisations.id")
    name_vi: Mapped[str]
    name_en: Mapped[str] = mapped_column(default="")
    kind: Mapped[UnitKind] = _enum(UnitKind)
    parent_id: Mapped[str | None] = _fk("units.id", nullable=True)
    code: Mapped[str] = mapped_column(default="")
    active: Mapped[bool] = mapped_column(default=True)
    merged_into_id: Mapped[str | None] = _fk("units.id", nullable=True)

    __table_args__ = (Index(None, "parent_id"),)


class JobPositionRow(Base):
    """A job position with its description and competency framework."""

    __tablename__ = "job_positions"

    id: Mapped[str] = mapped_column(primary_key=True)
    name_vi: Mapped[str]
    name_en: Mapped[str] = mapped_column(default="")
    description_vi: Mapped[str] = mapped_column(NfcText(), default="")
    description_en: Mapped[str] = mapped_column(NfcText(), default="")
    competency_framework_vi: Mapped[str] = mapped_column(NfcText(), default="")
    competency_framework_en: Mapped[str] = mapped_column(NfcText(), default="")
    unit_id: Mapped[str | None] = _fk("units.id", nullable=True)
    field_codes: Mapped[tuple[str, ...]] = mapped_column(CodeList(), default=())
    leadership: Mapped[bool] = mapped_column(default=False)


class PersonRow(Base):
    """A person of the organisation."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(primary_key=True)
    full_name: Mapped[str]
    unit_id: Mapped[str] = _fk("units.id")
    role: Mapped[PersonRole] = _enum(PersonRole)
    job_position_id: Mapped[str | None] = _fk("job_positions.id", nullable=True)
    leader_fields: Mapped[str] = mapped_column(NfcText(), default="")
    public_key: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]
    active: Mapped[bool] = mapped_column(default=True)
    joined_on: Mapped[dt.date | None]
    left_on: Mapped[dt.date | None]

    __table_args__ = (Index(None, "unit_id"),)


class PersonKeyRow(Base):
    """Every public key a person has held (old signatures stay verifiable)."""

    __tablename__ = "person_keys"

    fingerprint: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    public_key: Mapped[bytes]
    valid_from: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]

    __table_args__ = (Index(None, "person_id"),)


class UnitMembershipRow(Base):
    """A person's membership of a unit over a date range."""

    __tablename__ = "unit_memberships"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    unit_id: Mapped[str] = _fk("units.id")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
    reason: Mapped[str] = mapped_column(NfcText(), default="")

    __table_args__ = (Index(None, "person_id", "start_on"), Index(None, "unit_id"))


class EvaluatorRelationRow(Base):
    """Who evaluates whom over a date range (Điều 10), including acting delegations."""

    __tablename__ = "evaluator_relations"

    id: Mapped[str] = mapped_column(primary_key=True)
    evaluator_id: Mapped[str] = _fk("people.id")
    evaluatee_id: Mapped[str] = _fk("people.id")
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
    kind: Mapped[EvaluatorKind] = _enum(EvaluatorKind)
    delegated_by_id: Mapped[str | None] = _fk("people.id", nullable=True)
    note: Mapped[str] = mapped_column(NfcText(), default="")

    __table_args__ = (Index(None, "evaluator_id"), Index(None, "evaluatee_id"))


# ============================================================================================
# Catalog
# ============================================================================================


class CatalogVersionRow(Base):
    """A version of the task catalog."""

    __tablename__ = "catalog_versions"

    id: Mapped[str] = mapped_column(primary_key=True)
    label: Mapped[str]
    standard_unit_points: Mapped[Decimal]
    published_at: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(NfcText(), default="")


class CatalogItemRow(Base):
    """One item of a catalog version; ``search_text`` is the folded search key."""

    __tablename__ = "catalog_items"

    id: Mapped[str] = mapped_column(primary_key=True)
    catalog_version_id: Mapped[str] = _fk("catalog_versions.id")
    code: Mapped[str]
    name_vi: Mapped[str] = mapped_column(NfcText())
    name_en: Mapped[str] = mapped_column(NfcText(), default="")
    detail_vi: Mapped[str] = mapped_column(NfcText(), default="")
    detail_en: Mapped[str] = mapped_column(NfcText(), default="")
    output_vi: Mapped[str] = mapped_column(NfcText(), default="")
    output_en: Mapped[str] = mapped_column(NfcText(), default="")
    unit_of_output: Mapped[str] = mapped_column(default="")
    group: Mapped[CatalogGroup] = _enum(CatalogGroup)
    points: Mapped[Decimal]
    coefficient: Mapped[Decimal]
    time_norm_minutes: Mapped[Decimal | None]
    complexity_level: Mapped[int | None]
    scope: Mapped[ItemScope] = _enum(ItemScope)
    field_code: Mapped[str | None]
    kpi_kind: Mapped[KpiKind | None] = _enum(KpiKind, nullable=True)
    search_text: Mapped[str] = mapped_column(NfcText(), default="")

    __table_args__ = (UniqueConstraint("catalog_version_id", "code"),)


class JobPositionItemRow(Base):
    """Explicit permission of a job position to use a catalog item."""

    __tablename__ = "job_position_items"

    job_position_id: Mapped[str] = mapped_column(
        NfcString(), ForeignKey("job_positions.id"), primary_key=True
    )
    catalog_item_id: Mapped[str] = mapped_column(
        NfcString(), ForeignKey("catalog_items.id"), primary_key=True
    )

    __table_args__ = (Index(None, "catalog_item_id"),)


class CatalogProposalRow(Base):
    """An official's proposal of a new catalog item and the agency's decision (revision 0003)."""

    __tablename__ = "catalog_proposals"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    proposed_at: Mapped[dt.datetime]
    name_vi: Mapped[str] = mapped_column(NfcText())
    output_vi: Mapped[str] = mapped_column(NfcText(), default="")
    group: Mapped[CatalogGroup] = _enum(CatalogGroup)
    points: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(NfcText())
    status: Mapped[ProposalStatus] = _enum(ProposalStatus)
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    accepted_item_code: Mapped[str | None]
    decision_note: Mapped[str] = mapped_column(NfcText(), default="")
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]

    __table_args__ = (Index(None, "status", "proposed_at"), Index(None, "person_id"))


# ============================================================================================
# Assignments, work log, reviews
# ============================================================================================


class AssignmentRow(Base):
    """A catalog item assigned to a person for a period."""

    __tablename__ = "assignments"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    assigner_id: Mapped[str] = _fk("people.id")
    catalog_item_id: Mapped[str] = _fk("catalog_items.id")
    period: Mapped[Period]
    quantity: Mapped[Decimal]
    coefficient: Mapped[Decimal]
    deadline: Mapped[dt.date]
    created_at: Mapped[dt.datetime]
    kpi_kind: Mapped[KpiKind | None] = _enum(KpiKind, nullable=True)
    note: Mapped[str] = mapped_column(NfcText(), default="")
    status: Mapped[AssignmentStatus] = _enum(AssignmentStatus)
    updated_at: Mapped[dt.datetime | None]
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]
    version: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (
        Index("ix_assignments_person_period", "person_id", "period"),
        Index(None, "assigner_id", "period"),
    )


class WorkLogEntryRow(Base):
    """A work-log entry (its editable fields are the latest state; revisions are frozen)."""

    __tablename__ = "work_log_entries"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    work_date: Mapped[dt.date]
    catalog_item_id: Mapped[str] = _fk("catalog_items.id")
    quantity: Mapped[Decimal]
    coefficient: Mapped[Decimal]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    assignment_id: Mapped[str | None] = _fk("assignments.id", nullable=True)
    extra_kind: Mapped[ExtraKind] = _enum(ExtraKind)
    taken_over_from_id: Mapped[str | None] = _fk("people.id", nullable=True)
    time_norm_minutes: Mapped[Decimal | None]
    complexity_level: Mapped[int | None]
    output_doc_number: Mapped[str] = mapped_column(default="")
    output_description: Mapped[str] = mapped_column(NfcText(), default="")
    attachment_sha256: Mapped[str | None]
    attachment_name: Mapped[str | None]
    deadline: Mapped[dt.date | None]
    completed_on: Mapped[dt.date | None]
    status: Mapped[EntryStatus] = _enum(EntryStatus)
    current_revision: Mapped[int] = mapped_column(default=0)
    confirmed_revision: Mapped[int | None]
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]

    __table_args__ = (
        Index("ix_work_log_entries_person_date", "person_id", "work_date"),
        Index("ix_work_log_entries_status", "status"),
        Index(None, "assignment_id"),
    )


class EntryRevisionRow(Base):
    """A submitted, frozen state of an entry."""

    __tablename__ = "entry_revisions"

    entry_id: Mapped[str] = mapped_column(
        NfcString(), ForeignKey("work_log_entries.id"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(primary_key=True)
    snapshot_json: Mapped[str] = mapped_column(NfcText())
    snapshot_sha256: Mapped[str]
    created_at: Mapped[dt.datetime]
    author_id: Mapped[str] = _fk("people.id")
    reason: Mapped[str] = mapped_column(NfcText(), default="")
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]

    __table_args__ = (
        # An export reads its sender's revisions and their evaluatees' (migration 0019).
        Index("ix_entry_revisions_author", "author_id", "entry_id", "revision"),
    )


class ReviewStatementRow(Base):
    """A leader's statement about one revision of an entry."""

    __tablename__ = "review_statements"

    id: Mapped[str] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(NfcString())
    revision: Mapped[int]
    reviewer_id: Mapped[str] = _fk("people.id")
    kind: Mapped[StatementKind] = _enum(StatementKind)
    created_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(NfcText(), default="")
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]

    __table_args__ = (
        ForeignKeyConstraint(
            ["entry_id", "revision"], ["entry_revisions.entry_id", "entry_revisions.revision"]
        ),
        Index("ix_review_statements_entry", "entry_id"),
        Index(None, "reviewer_id", "created_at"),
    )


# ============================================================================================
# Evaluations
# ============================================================================================


class MonthlyEvaluationRow(Base):
    """Form 01 of one person and period."""

    __tablename__ = "monthly_evaluations"

    person_id: Mapped[str] = mapped_column(NfcString(), ForeignKey("people.id"), primary_key=True)
    period: Mapped[Period] = mapped_column(primary_key=True)
    status: Mapped[EvaluationStatus] = _enum(EvaluationStatus)
    unit_id: Mapped[str | None] = _fk("units.id", nullable=True)
    self_criteria: Mapped[Mapping[str, Decimal]] = mapped_column(DecimalMap())
    confirmed_criteria: Mapped[Mapping[str, Decimal]] = mapped_column(DecimalMap())
    evaluator_id: Mapped[str | None] = _fk("people.id", nullable=True)
    comment: Mapped[str] = mapped_column(NfcText(), default="")
    d: Mapped[Decimal | None]
    dd: Mapped[Decimal | None]
    e: Mapped[Decimal | None]
    a: Mapped[Fraction | None]
    b: Mapped[Fraction | None]
    c: Mapped[Fraction | None]
    task_ratio: Mapped[Fraction | None]
    task_points: Mapped[Fraction | None]
    general_points: Mapped[Fraction | None]
    total: Mapped[Fraction | None]
    level: Mapped[Level | None] = _enum(Level, nullable=True)
    insufficient: Mapped[bool] = mapped_column(default=False)
    policy_version: Mapped[str | None]
    submitted_at: Mapped[dt.datetime | None]
    confirmed_at: Mapped[dt.datetime | None]
    locked_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime | None]
    self_signature: Mapped[bytes | None]
    self_key_fingerprint: Mapped[str | None]
    evaluator_signature: Mapped[bytes | None]
    evaluator_key_fingerprint: Mapped[str | None]
    self_version: Mapped[int] = mapped_column(default=0, server_default="0")
    confirm_version: Mapped[int] = mapped_column(default=0, server_default="0")
    reopened_at: Mapped[dt.datetime | None]
    reopen_reason: Mapped[str] = mapped_column(NfcText(), default="", server_default="")
    reopened_to_official: Mapped[bool] = mapped_column(default=False, server_default="0")

    __table_args__ = (Index(None, "period", "unit_id"), Index(None, "evaluator_id"))


class AnnualClassificationRow(Base):
    """Form 02 of one person and year (replacement decisions supersede earlier rows)."""

    __tablename__ = "annual_classifications"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    year: Mapped[int]
    created_at: Mapped[dt.datetime]
    unit_id: Mapped[str | None] = _fk("units.id", nullable=True)
    months_counted: Mapped[int] = mapped_column(default=0)
    mean: Mapped[Fraction | None]
    computed_level: Mapped[Level | None] = _enum(Level, nullable=True)
    self_level: Mapped[Level | None] = _enum(Level, nullable=True)
    decided_level: Mapped[Level | None] = _enum(Level, nullable=True)
    reason: Mapped[str] = mapped_column(NfcText(), default="")
    quota_note: Mapped[str] = mapped_column(NfcText(), default="")
    minutes_ref: Mapped[str] = mapped_column(default="")
    decision_no: Mapped[str] = mapped_column(default="")
    decision_date: Mapped[dt.date | None]
    decided_by: Mapped[str | None] = _fk("people.id", nullable=True)
    decided_at: Mapped[dt.datetime | None]
    supersedes_id: Mapped[str | None] = _fk("annual_classifications.id", nullable=True)
    policy_version: Mapped[str | None]
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]

    __table_args__ = (Index(None, "person_id", "year"), Index(None, "year", "unit_id"))


# ============================================================================================
# Audit, discipline, appeals, organisation results, calendar, policy, settings
# ============================================================================================


class AuditEventRow(Base):
    """One line of the append-only audit log (no foreign keys: it must outlive anything)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime]
    action: Mapped[str]
    object_type: Mapped[str]
    object_id: Mapped[str]
    actor_id: Mapped[str | None]
    detail: Mapped[Mapping[str, Any]] = mapped_column(JsonText())

    __table_args__ = (Index(None, "object_type", "object_id"), Index(None, "at"))


# SQLite triggers that make the audit log append-only even for hand-written SQL. Migration
# 0001 creates them; a later batch migration of ``audit_events`` must create them again
# (rebuilding a table drops its triggers).
AUDIT_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
)
for _ddl in AUDIT_TRIGGERS:
    event.listen(AuditEventRow.__table__, "after_create", DDL(_ddl).execute_if(dialect="sqlite"))


class DisciplineEventRow(Base):
    """A discipline decision or another Điều 20.4 override."""

    __tablename__ = "discipline_events"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    kind: Mapped[DisciplineKind] = _enum(DisciplineKind)
    decided_on: Mapped[dt.date]
    effective_year: Mapped[int]
    created_at: Mapped[dt.datetime]
    authority: Mapped[DisciplineAuthority] = _enum(DisciplineAuthority)
    decision_no: Mapped[str] = mapped_column(default="")
    note: Mapped[str] = mapped_column(NfcText(), default="")
    related_event_id: Mapped[str | None] = _fk("discipline_events.id", nullable=True)
    recorded_by: Mapped[str | None] = _fk("people.id", nullable=True)
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]
    committed_on: Mapped[dt.date | None]  # the date of the act (0013)

    __table_args__ = (Index(None, "person_id", "effective_year"),)


class LeaveRecordRow(Base):
    """A period of leave (Điều 11.2), signed by who recorded it (revision 0014)."""

    __tablename__ = "leave_records"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    kind: Mapped[LeaveKind] = _enum(LeaveKind)
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date]
    recorded_by: Mapped[str]
    created_at: Mapped[dt.datetime]
    decision_no: Mapped[str] = mapped_column(NfcText(), default="")
    note: Mapped[str] = mapped_column(NfcText(), default="")
    version: Mapped[int] = mapped_column(default=1)
    removed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime | None]
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]

    __table_args__ = (Index(None, "person_id", "start_on"),)


class AppealRow(Base):
    """An appeal against a period's evaluation or a year's classification."""

    __tablename__ = "appeals"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    period: Mapped[Period]
    reason: Mapped[str] = mapped_column(NfcText())
    filed_at: Mapped[dt.datetime]
    status: Mapped[AppealStatus] = _enum(AppealStatus)
    received_on: Mapped[dt.date | None]
    decision: Mapped[str] = mapped_column(NfcText(), default="")
    outcome: Mapped[AppealOutcome | None] = _enum(AppealOutcome, nullable=True)
    decided_by: Mapped[str | None] = _fk("people.id", nullable=True)
    decided_at: Mapped[dt.datetime | None]
    signature: Mapped[bytes | None]
    key_fingerprint: Mapped[str | None]
    decision_signature: Mapped[bytes | None]
    decision_key_fingerprint: Mapped[str | None]
    decided_on: Mapped[dt.date | None]  # revision 0005

    __table_args__ = (Index(None, "person_id", "period"), Index(None, "status"))


class ReplacedEvaluationRow(Base):
    """A monthly evaluation as it was before an appeal decision replaced it (revision 0005)."""

    __tablename__ = "replaced_evaluations"

    id: Mapped[str] = mapped_column(primary_key=True)
    person_id: Mapped[str] = _fk("people.id")
    period: Mapped[Period]
    replaced_at: Mapped[dt.datetime]
    snapshot_json: Mapped[str] = mapped_column(NfcText())
    total: Mapped[Fraction | None]
    general_points: Mapped[Fraction | None]
    level: Mapped[Level | None] = _enum(Level, nullable=True)
    replaced_by: Mapped[str | None] = _fk("people.id", nullable=True)
    appeal_id: Mapped[str | None] = _fk("appeals.id", nullable=True)
    reason: Mapped[str] = mapped_column(NfcText(), default="")

    __table_args__ = (Index(None, "person_id", "period"),)


class OrgIndicatorRow(Base):
    """An organisation KPI value for a unit and period."""

    __tablename__ = "org_indicators"

    id: Mapped[str] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = _fk("units.id")
    period: Mapped[Period]
    code: Mapped[str]
    value: Mapped[Decimal]
    policy_version: Mapped[str | None]
    source: Mapped[str] = mapped_column(default="")

    __table_args__ = (UniqueConstraint("unit_id", "period", "code"),)


class OrgEvaluationRow(Base):
    """The organisation's own level for a year."""

    __tablename__ = "org_evaluations"

    id: Mapped[str] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = _fk("units.id")
    year: Mapped[int]
    level: Mapped[Level | None] = _enum(Level, nullable=True)
    score: Mapped[Fraction | None]
    note: Mapped[str] = mapped_column(NfcText(), default="")
    decision_no: Mapped[str] = mapped_column(default="")
    decided_by: Mapped[str | None] = _fk("people.id", nullable=True)
    decided_at: Mapped[dt.datetime | None]
    policy_version: Mapped[str | None]
    decision_date: Mapped[dt.date | None]

    __table_args__ = (UniqueConstraint("unit_id", "year"),)


class CalendarDayRow(Base):
    """An exception to the Monday–Friday week."""

    __tablename__ = "calendar_days"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[CalendarDayKind] = _enum(CalendarDayKind)
    name: Mapped[str] = mapped_column(default="")
    source: Mapped[str] = mapped_column(default="")


class PolicyVersionRow(Base):
    """A published scoring policy version."""

    __tablename__ = "policy_versions"

    version: Mapped[str] = mapped_column(primary_key=True)
    policy_json: Mapped[str] = mapped_column(NfcText())
    active_from: Mapped[dt.date]
    created_at: Mapped[dt.datetime]


class SettingRow(Base):
    """A key/value setting kept with the data (not the per-user UI settings)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(NfcText())


# ============================================================================================
# Identity and synchronisation (revision 0002)
# ============================================================================================


class SealedKeyRow(Base):
    """A key pair of a person (or the agency) on this PC, sealed with their passphrase."""

    __tablename__ = "sealed_keys"

    owner_id: Mapped[str] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(unique=True)
    public_key: Mapped[bytes]
    x25519_public: Mapped[bytes]
    blob: Mapped[bytes]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class UnlockFailureRow(Base):
    """Wrong passphrases in a row for one key owner on this PC (revision 0012)."""

    __tablename__ = "unlock_failures"

    owner_id: Mapped[str] = mapped_column(primary_key=True)
    failures: Mapped[int]
    last_failed_at: Mapped[dt.datetime]


class TrustedKeyRow(Base):
    """A pinned key: the agency key a PC was set up with (and later rotations)."""

    __tablename__ = "trusted_keys"

    fingerprint: Mapped[str] = mapped_column(primary_key=True)
    owner_id: Mapped[str]
    role: Mapped[str]
    public_key: Mapped[bytes]
    x25519_public: Mapped[bytes | None]
    pinned_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class EncryptionKeyRow(Base):
    """The published X25519 key of a person or the agency."""

    __tablename__ = "encryption_keys"

    owner_id: Mapped[str] = mapped_column(primary_key=True)
    signing_fingerprint: Mapped[str]
    x25519_public: Mapped[bytes]


class BundleLogRow(Base):
    """Bundles written and imported; an imported bundle id is never applied twice."""

    __tablename__ = "bundle_log"

    bundle_id: Mapped[str] = mapped_column(primary_key=True)
    direction: Mapped[str]
    kind: Mapped[str]
    sender_id: Mapped[str]
    recipient_id: Mapped[str]
    seq: Mapped[int]
    header_sha256: Mapped[str]
    at: Mapped[dt.datetime]
    file_name: Mapped[str] = mapped_column(default="")
    summary: Mapped[dict[str, Any]] = mapped_column(JsonText(), default=dict)
    signer: Mapped[str | None]

    __table_args__ = (Index(None, "sender_id", "seq"),)


class SyncSequenceRow(Base):
    """Per-sender sequence numbers: last sent to a recipient, highest received from a sender."""

    __tablename__ = "sync_sequences"

    sender_id: Mapped[str] = mapped_column(primary_key=True)
    recipient_id: Mapped[str] = mapped_column(primary_key=True)
    last_sent: Mapped[int] = mapped_column(default=0)
    last_received: Mapped[int] = mapped_column(default=0)


class SyncAckRow(Base):
    """Outbox bookkeeping: an item (``rev:…``, ``stmt:…``) the recipient acknowledged."""

    __tablename__ = "sync_acks"

    recipient_id: Mapped[str] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(primary_key=True)
    acked_at: Mapped[dt.datetime]


class SyncReceivedRow(Base):
    """Inbox bookkeeping: an item received from a sender, and whether a receipt went back."""

    __tablename__ = "sync_received"

    sender_id: Mapped[str] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime]
    receipted: Mapped[bool] = mapped_column(default=False)


class SyncRefusalRow(Base):
    """A record refused by rule (revision 0009, issue 13): ``direction`` "out" — this PC
    refused a record ``peer_id`` sent, and a signed refusal goes back to them in the next
    bundle (``receipted`` once it went); "in" — ``peer_id`` refused a record this PC sent,
    which is then never sent to them again."""

    __tablename__ = "sync_refusals"

    direction: Mapped[str] = mapped_column(primary_key=True)
    peer_id: Mapped[str] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(primary_key=True)
    code: Mapped[str]
    params: Mapped[dict[str, Any]] = mapped_column(JsonText(), default=dict)
    at: Mapped[dt.datetime]
    receipted: Mapped[bool] = mapped_column(default=False)


class SyncHeldRow(Base):
    """A bundle held unapplied (revision 0010, issue 13): a different bundle with a sequence
    number already received from the same sender (a cloned PC, or one restored from an old
    backup) waits until someone releases or discards it."""

    __tablename__ = "sync_held"

    bundle_id: Mapped[str] = mapped_column(primary_key=True)
    sender_id: Mapped[str]
    recipient_id: Mapped[str]
    seq: Mapped[int]
    kind: Mapped[str]
    header_sha256: Mapped[str]
    reason: Mapped[str]
    held_at: Mapped[dt.datetime]
    file_name: Mapped[str] = mapped_column(default="")
    content: Mapped[bytes]

    __table_args__ = (Index(None, "sender_id", "seq"),)


class HubBundleRow(Base):
    """A bundle stored by the agency hub, with the index fields it is served by."""

    __tablename__ = "hub_bundles"

    bundle_id: Mapped[str] = mapped_column(primary_key=True)
    kind: Mapped[str]
    sender_id: Mapped[str]
    recipient_id: Mapped[str]
    seq: Mapped[int]
    header_sha256: Mapped[str]
    received_at: Mapped[dt.datetime]
    size: Mapped[int]
    content: Mapped[bytes]

    __table_args__ = (Index(None, "recipient_id", "received_at"),
                      Index(None, "sender_id", "received_at"))


# ============================================================================================
# Transfers between agencies (revision 0006, issue 9 §4)
# ============================================================================================


class TransferredMonthRow(Base):
    """A month evaluated by another agency, received with a person's transfer (Điều 19.1)."""

    __tablename__ = "transferred_months"

    person_id: Mapped[str] = mapped_column(NfcString(), ForeignKey("people.id"), primary_key=True)
    period: Mapped[Period] = mapped_column(primary_key=True)
    source_agency_id: Mapped[str]
    source_agency_name: Mapped[str] = mapped_column(NfcText(), default="")
    source_fingerprint: Mapped[str]
    unit_id: Mapped[str]
    unit_name: Mapped[str] = mapped_column(NfcText(), default="")
    evaluator_id: Mapped[str | None]
    evaluator_name: Mapped[str] = mapped_column(NfcText(), default="")
    total: Mapped[Fraction | None]
    level: Mapped[Level | None] = _enum(Level, nullable=True)
    insufficient: Mapped[bool] = mapped_column(default=False)
    policy_version: Mapped[str | None]
    bundle_id: Mapped[str]
    imported_at: Mapped[dt.datetime]
    record: Mapped[Mapping[str, Any]] = mapped_column(JsonText())
    evaluator_signature: Mapped[bytes | None]
    evaluator_key_fingerprint: Mapped[str | None]

    __table_args__ = (Index(None, "bundle_id"),)


# ============================================================================================
# The everyday loop (revision 0015, issue 16): sign-ins, favourites
# ============================================================================================


class SignInRow(Base):
    """When a person last signed in on this PC, and how many of their entries were confirmed
    then (the banner's "confirmed since your last sign-in")."""

    __tablename__ = "sign_ins"

    person_id: Mapped[str] = mapped_column(NfcString(), ForeignKey("people.id"), primary_key=True)
    signed_in_at: Mapped[dt.datetime]
    confirmed_entries: Mapped[int] = mapped_column(default=0)
    previous_signed_in_at: Mapped[dt.datetime | None]


class FavouriteItemRow(Base):
    """A catalog item a person marked as "việc hay làm" (one-click entry), by item code so it
    survives new catalog versions."""

    __tablename__ = "favourite_items"

    person_id: Mapped[str] = mapped_column(NfcString(), ForeignKey("people.id"), primary_key=True)
    item_code: Mapped[str] = mapped_column(NfcString(), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    added_at: Mapped[dt.datetime]


# ============================================================================================
# Row seals (revision 0011, issue 13): written by SQL triggers and storage/seals.py only
# ============================================================================================


class RowSealRow(Base):
    """The digest of one stored row (``tbl``, its primary key as a JSON array ``key``);
    ``digest`` is NULL while the row's transaction has not committed yet."""

    __tablename__ = "row_seals"

    tbl: Mapped[str] = mapped_column(String(), primary_key=True)
    key: Mapped[str] = mapped_column(String(), primary_key=True)
    digest: Mapped[bytes | None] = mapped_column(LargeBinary())

    __table_args__ = (
        Index("ix_row_seals_pending", "tbl", sqlite_where=text("digest IS NULL"),
              postgresql_where=text("digest IS NULL")),
        {"sqlite_with_rowid": False},
    )
