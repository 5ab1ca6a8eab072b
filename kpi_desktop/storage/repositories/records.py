"""Repositories for the Decree-335-in-full records: discipline events, appeals, organisation
indicators and levels, the working-day calendar, policy versions and data settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from kpi_desktop.domain.errors import NotFound
from kpi_desktop.domain.model import (
    Appeal,
    AppealStatus,
    CalendarDay,
    DisciplineEvent,
    LeaveRecord,
    OrgEvaluation,
    OrgIndicator,
    PolicyVersion,
)
from kpi_desktop.domain.values import Period
from kpi_desktop.storage.orm import (
    AppealRow,
    CalendarDayRow,
    DisciplineEventRow,
    LeaveRecordRow,
    OrgEvaluationRow,
    OrgIndicatorRow,
    PolicyVersionRow,
    SettingRow,
)
from kpi_desktop.storage.repositories._base import Repository, in_year, table_of, to_row

_DISC = table_of(DisciplineEventRow)
_LEAVE = table_of(LeaveRecordRow)
_APPEAL = table_of(AppealRow)
_IND = table_of(OrgIndicatorRow)
_ORGEVAL = table_of(OrgEvaluationRow)
_DAY = table_of(CalendarDayRow)
_POLICY = table_of(PolicyVersionRow)
_SETTING = table_of(SettingRow)


def _period(value: Period | str) -> Period:
    return value if isinstance(value, Period) else Period.parse(value)


class DisciplineRepository(Repository):
    """Discipline events and other Điều 20.4 overrides (``uow.discipline``)."""

    def add(self, event: DisciplineEvent) -> None:
        """Store a discipline event."""
        self._insert(_DISC, to_row(event))

    def add_many(self, events: Sequence[DisciplineEvent]) -> int:
        """Bulk-insert discipline events."""
        return self._insert_many(_DISC, [to_row(e) for e in events])

    def get(self, event_id: str) -> DisciplineEvent:
        """One event, or ``NotFound``."""
        return self._get(DisciplineEvent, _DISC, _DISC.c.id == event_id, "discipline_event",
                         event_id)

    def set_effective_year(self, event_id: str, year: int) -> None:
        """Change the evaluation year an event counts for (a related decision arrived)."""
        if self._update(_DISC, _DISC.c.id == event_id, {"effective_year": year}) == 0:
            raise NotFound("not_found", kind="discipline_event", id=event_id)

    def list_for_person(self, person_id: str, *, year: int | None = None
                        ) -> list[DisciplineEvent]:
        """A person's events (of one effective year if given), by decision date."""
        stmt = select(_DISC).where(_DISC.c.person_id == person_id)
        if year is not None:
            stmt = stmt.where(_DISC.c.effective_year == year)
        return self._all(DisciplineEvent, stmt.order_by(_DISC.c.decided_on, _DISC.c.id))

    def list_for_year(self, year: int, *, person_ids: Iterable[str] | None = None
                      ) -> list[DisciplineEvent]:
        """Events that count for ``year``, by person then date."""
        stmt = select(_DISC).where(_DISC.c.effective_year == year)
        if person_ids is not None:
            stmt = stmt.where(self._in(_DISC.c.person_id, list(person_ids)))
        return self._all(DisciplineEvent,
                         stmt.order_by(_DISC.c.person_id, _DISC.c.decided_on, _DISC.c.id))


class LeaveRepository(Repository):
    """Leave records (Điều 11.2, ``uow.leave``), removed ones included (a removal is a signed
    version of the record)."""

    def add(self, record: LeaveRecord) -> None:
        """Store a new leave record."""
        self._insert(_LEAVE, to_row(record))

    def update(self, record: LeaveRecord) -> None:
        """Replace a stored record (a newer version, or its signature)."""
        if self._update(_LEAVE, _LEAVE.c.id == record.id, to_row(record)) == 0:
            raise NotFound("not_found", kind="leave", id=record.id)

    def get(self, leave_id: str) -> LeaveRecord:
        """One record, or ``NotFound``."""
        return self._get(LeaveRecord, _LEAVE, _LEAVE.c.id == leave_id, "leave", leave_id)

    def find(self, leave_id: str) -> LeaveRecord | None:
        """One record, or ``None``."""
        return self._one(LeaveRecord, _LEAVE, _LEAVE.c.id == leave_id)

    def list_for_person(self, person_id: str, *, year: int | None = None,
                        include_removed: bool = False) -> list[LeaveRecord]:
        """A person's leave (overlapping ``year`` if given), by start date."""
        stmt = select(_LEAVE).where(_LEAVE.c.person_id == person_id)
        if year is not None:
            stmt = stmt.where(_LEAVE.c.start_on <= dt.date(year, 12, 31),
                              _LEAVE.c.end_on >= dt.date(year, 1, 1))
        if not include_removed:
            stmt = stmt.where(_LEAVE.c.removed.is_(False))
        return self._all(LeaveRecord, stmt.order_by(_LEAVE.c.start_on, _LEAVE.c.id))

    def list_for_year(self, year: int, *, person_ids: Iterable[str] | None = None
                      ) -> list[LeaveRecord]:
        """Leave (not removed) overlapping ``year``, by person then start date."""
        stmt = select(_LEAVE).where(_LEAVE.c.start_on <= dt.date(year, 12, 31),
                                    _LEAVE.c.end_on >= dt.date(year, 1, 1),
                                    _LEAVE.c.removed.is_(False))
        if person_ids is not None:
            stmt = stmt.where(self._in(_LEAVE.c.person_id, list(person_ids)))
        return self._all(LeaveRecord, stmt.order_by(_LEAVE.c.person_id, _LEAVE.c.start_on,
                                                    _LEAVE.c.id))

    def recorded_by(self, author_id: str) -> list[LeaveRecord]:
        """Every record ``author_id`` recorded (what their exports carry), removed included."""
        return self._all(LeaveRecord, select(_LEAVE).where(_LEAVE.c.recorded_by == author_id)
                         .order_by(_LEAVE.c.id))

    def signed(self) -> list[LeaveRecord]:
        """Every stored record that carries a signature (``kpi-desktop check``)."""
        return self._all(LeaveRecord, select(_LEAVE).where(_LEAVE.c.signature.is_not(None))
                         .order_by(_LEAVE.c.id))


class AppealRepository(Repository):
    """Appeals against evaluations and classifications (``uow.appeals``)."""

    def add(self, appeal: Appeal) -> None:
        """Store a new appeal."""
        self._insert(_APPEAL, to_row(appeal))

    def add_many(self, appeals: Sequence[Appeal]) -> int:
        """Bulk-insert appeals."""
        return self._insert_many(_APPEAL, [to_row(a) for a in appeals])

    def get(self, appeal_id: str) -> Appeal:
        """One appeal, or ``NotFound``."""
        return self._get(Appeal, _APPEAL, _APPEAL.c.id == appeal_id, "appeal", appeal_id)

    def update(self, appeal: Appeal) -> None:
        """Replace the stored appeal (same id), e.g. with its decision."""
        if self._update(_APPEAL, _APPEAL.c.id == appeal.id, to_row(appeal)) == 0:
            raise NotFound("not_found", kind="appeal", id=appeal.id)

    def list_for_person(self, person_id: str) -> list[Appeal]:
        """A person's appeals, oldest first."""
        stmt = (select(_APPEAL).where(_APPEAL.c.person_id == person_id)
                .order_by(_APPEAL.c.filed_at, _APPEAL.c.id))
        return self._all(Appeal, stmt)

    def list_open(self, *, person_ids: Iterable[str] | None = None) -> list[Appeal]:
        """Appeals still waiting for a decision, oldest first."""
        stmt = select(_APPEAL).where(_APPEAL.c.status == AppealStatus.FILED)
        if person_ids is not None:
            stmt = stmt.where(self._in(_APPEAL.c.person_id, list(person_ids)))
        return self._all(Appeal, stmt.order_by(_APPEAL.c.filed_at, _APPEAL.c.id))


class OrgResultRepository(Repository):
    """Organisation indicators and the organisation's level (``uow.org_results``)."""

    def upsert_indicator(self, indicator: OrgIndicator) -> None:
        """Insert or replace the value of (unit, period, code); the stored id is kept."""
        where = ((_IND.c.unit_id == indicator.unit_id) & (_IND.c.period == indicator.period)
                 & (_IND.c.code == indicator.code))
        values = {k: v for k, v in to_row(indicator).items() if k != "id"}
        if self._update(_IND, where, values) == 0:
            self._insert(_IND, to_row(indicator))

    def add_indicators(self, indicators: Sequence[OrgIndicator]) -> int:
        """Bulk-insert indicator values."""
        return self._insert_many(_IND, [to_row(i) for i in indicators])

    def list_indicators(self, *, unit_id: str | None = None, period: Period | str | None = None,
                        year: int | None = None) -> list[OrgIndicator]:
        """Indicator values matching the filters, by unit, period, code."""
        stmt = select(_IND)
        if unit_id is not None:
            stmt = stmt.where(_IND.c.unit_id == unit_id)
        if period is not None:
            stmt = stmt.where(_IND.c.period == _period(period))
        if year is not None:
            stmt = stmt.where(in_year(_IND.c.period, year))
        found = self._all(OrgIndicator, stmt.order_by(_IND.c.unit_id, _IND.c.code))
        return sorted(found, key=lambda i: (i.unit_id, i.period.start, i.period.kind.months,
                                            i.code))

    def upsert_evaluation(self, evaluation: OrgEvaluation) -> None:
        """Insert or replace the organisation level of (unit, year); the stored id is kept."""
        where = (_ORGEVAL.c.unit_id == evaluation.unit_id) & (_ORGEVAL.c.year == evaluation.year)
        values = {k: v for k, v in to_row(evaluation).items() if k != "id"}
        if self._update(_ORGEVAL, where, values) == 0:
            self._insert(_ORGEVAL, to_row(evaluation))

    def get_evaluation(self, unit_id: str, year: int) -> OrgEvaluation | None:
        """The organisation's level for a year, or ``None`` if not recorded."""
        return self._one(OrgEvaluation, _ORGEVAL,
                         (_ORGEVAL.c.unit_id == unit_id) & (_ORGEVAL.c.year == year))

    def list_evaluations(self, year: int) -> list[OrgEvaluation]:
        """Every organisation level recorded for a year, by unit."""
        return self._all(OrgEvaluation, select(_ORGEVAL).where(_ORGEVAL.c.year == year)
                         .order_by(_ORGEVAL.c.unit_id))


class CalendarRepository(Repository):
    """Exceptions to the Monday–Friday working week (``uow.calendar``)."""

    def upsert(self, day: CalendarDay) -> None:
        """Insert or replace the entry for ``day.day``."""
        if self._update(_DAY, _DAY.c.day == day.day, to_row(day)) == 0:
            self._insert(_DAY, to_row(day))

    def add_many(self, days: Sequence[CalendarDay]) -> int:
        """Bulk-insert calendar days (new days only)."""
        return self._insert_many(_DAY, [to_row(d) for d in days])

    def get(self, day: dt.date) -> CalendarDay | None:
        """The exception recorded for ``day``, or ``None`` (an ordinary day)."""
        return self._one(CalendarDay, _DAY, _DAY.c.day == day)

    def between(self, start: dt.date, end: dt.date) -> list[CalendarDay]:
        """Recorded exceptions with ``start <= day <= end``, in date order."""
        return self._all(CalendarDay, select(_DAY).where(_DAY.c.day.between(start, end))
                         .order_by(_DAY.c.day))

    def delete(self, day: dt.date) -> None:
        """Remove the exception for ``day`` (it becomes an ordinary day)."""
        self._session.execute(_DAY.delete().where(_DAY.c.day == day))


class PolicyRepository(Repository):
    """Published scoring policy versions (``uow.policies``)."""

    def add(self, policy: PolicyVersion) -> None:
        """Store a policy version (versions are never changed once stored)."""
        self._insert(_POLICY, to_row(policy))

    def get(self, version: str) -> PolicyVersion:
        """One version, or ``NotFound``."""
        return self._get(PolicyVersion, _POLICY, _POLICY.c.version == version, "policy",
                         version)

    def find(self, version: str) -> PolicyVersion | None:
        """One version, or ``None``."""
        return self._one(PolicyVersion, _POLICY, _POLICY.c.version == version)

    def list_versions(self) -> list[PolicyVersion]:
        """Every version, in the order they take effect."""
        return self._all(PolicyVersion, select(_POLICY)
                         .order_by(_POLICY.c.active_from, _POLICY.c.created_at))


class SettingsRepository(Repository):
    """Key/value settings stored with the data (``uow.settings``), e.g. the pinned agency key."""

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of ``key``, or ``default``."""
        value = self._session.execute(
            select(_SETTING.c.value).where(_SETTING.c.key == key)).scalar_one_or_none()
        return default if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        """Set ``key`` to ``value``."""
        if self._update(_SETTING, _SETTING.c.key == key, {"value": value}) == 0:
            self._insert(_SETTING, {"key": key, "value": value})

    def delete(self, key: str) -> None:
        """Remove ``key`` (no error if absent)."""
        self._session.execute(_SETTING.delete().where(_SETTING.c.key == key))

    def all(self) -> dict[str, str]:
        """Every setting."""
        rows = self._session.execute(select(_SETTING.c.key, _SETTING.c.value)
                                     .order_by(_SETTING.c.key))
        return {str(k): str(v) for k, v in rows}
