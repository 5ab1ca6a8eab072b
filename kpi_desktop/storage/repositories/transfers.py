"""Transfer repository: months received from another agency (``uow.transfers``, issue 9 §4),
and the membership look-ups that transfers and year-end classification need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, func, or_, select, text

from kpi_desktop.domain.model import MonthlyTotal, UnitMembership
from kpi_desktop.domain.transfers import TransferredMonth
from kpi_desktop.domain.values import Period
from kpi_desktop.storage.orm import TransferredMonthRow, UnitMembershipRow
from kpi_desktop.storage.repositories._base import (
    Repository,
    in_year,
    json_list,
    table_of,
    to_row,
)

_MONTH = table_of(TransferredMonthRow)
_MEMBER = table_of(UnitMembershipRow)

# :meth:`TransferRepository.units_on` (SQLite; the lists as JSON parameters).
_UNITS_ON = text(f"""
SELECT person_id, unit_id FROM {_MEMBER.name}
WHERE start_on <= :day AND (end_on IS NULL OR end_on >= :day)
  AND (person_id IN (SELECT value FROM json_each(:people))
       OR unit_id IN (SELECT value FROM json_each(:units)))
ORDER BY person_id, start_on, id
""")


class TransferRepository(Repository):
    """Transferred months and membership queries."""

    # ---------------------------------------------------------------- transferred months ----

    def add_months(self, months: Sequence[TransferredMonth]) -> int:
        """Store months received from another agency."""
        return self._insert_many(_MONTH, [to_row(m) for m in months])

    def get_month(self, person_id: str, period: Period | str) -> TransferredMonth | None:
        """The received month of a person, or ``None``."""
        value = period if isinstance(period, Period) else Period.parse(period)
        return self._one(TransferredMonth, _MONTH,
                         (_MONTH.c.person_id == person_id) & (_MONTH.c.period == value))

    def months_of(self, person_ids: Iterable[str], *, year: int | None = None
                  ) -> list[TransferredMonth]:
        """Received months of these people (optionally of one year), by person then period."""
        stmt = select(_MONTH).where(self._in(_MONTH.c.person_id, list(person_ids)))
        if year is not None:
            stmt = stmt.where(in_year(_MONTH.c.period, year))
        found = self._all(TransferredMonth, stmt)
        return sorted(found, key=lambda m: (m.person_id, m.period.start, m.period.kind.months))

    def totals(self, person_ids: Iterable[str], year: int) -> list[MonthlyTotal]:
        """The received totals of ``year`` as the year-end roll-up reads them."""
        return [MonthlyTotal(person_id=m.person_id, period=m.period, total=m.total,
                             insufficient=m.insufficient)
                for m in self.months_of(person_ids, year=year)]

    def received_in(self, year: int) -> set[str]:
        """The people with a month of ``year`` received from another agency."""
        stmt = select(_MONTH.c.person_id).where(in_year(_MONTH.c.period, year)).distinct()
        return {row[0] for row in self._session.execute(stmt)}

    def bundle_seen(self, bundle_id: str) -> bool:
        """Whether months of this bundle were stored already."""
        return self._session.execute(
            select(_MONTH.c.person_id).where(_MONTH.c.bundle_id == bundle_id).limit(1)
        ).first() is not None

    # ---------------------------------------------------------------- memberships -----------

    def memberships_on(self, day: dt.date, *, person_ids: Iterable[str] | None = None,
                       unit_ids: Iterable[str] | None = None) -> list[UnitMembership]:
        """Memberships active on ``day``, optionally of some people or some units."""
        stmt = select(_MEMBER).where(and_(
            _MEMBER.c.start_on <= day,
            or_(_MEMBER.c.end_on.is_(None), _MEMBER.c.end_on >= day)))
        if person_ids is not None:
            stmt = stmt.where(self._in(_MEMBER.c.person_id, list(person_ids)))
        if unit_ids is not None:
            stmt = stmt.where(self._in(_MEMBER.c.unit_id, list(unit_ids)))
        return self._all(UnitMembership,
                         stmt.order_by(_MEMBER.c.person_id, _MEMBER.c.start_on, _MEMBER.c.id))

    def units_on(self, day: dt.date, *, person_ids: Sequence[str], unit_ids: Sequence[str]
                 ) -> tuple[dict[str, str], dict[str, str]]:
        """The unit of each membership active on ``day`` (person → unit; of several, the
        latest by start, as :meth:`memberships_on` in order gives them), in one narrow query:
        those of ``person_ids``, and those in ``unit_ids``."""
        people, units = set(person_ids), set(unit_ids)
        rows = self._session.execute(_UNITS_ON, {
            "day": day.isoformat(), "people": json_list(sorted(people)),
            "units": json_list(sorted(units))})
        of_people: dict[str, str] = {}
        in_units: dict[str, str] = {}
        for person_id, unit_id in rows:
            if person_id in people:
                of_people[person_id] = unit_id
            if unit_id in units:
                in_units[person_id] = unit_id
        return of_people, in_units

    def people_with_history(self, person_ids: Iterable[str]) -> set[str]:
        """Those of ``person_ids`` with more than one membership or a received month (the
        people whose months may come from elsewhere)."""
        ids = list(person_ids)
        if not ids:
            return set()
        several = select(_MEMBER.c.person_id).where(_MEMBER.c.person_id.in_(ids)).group_by(
            _MEMBER.c.person_id).having(func.count() > 1)
        received = select(_MONTH.c.person_id).where(_MONTH.c.person_id.in_(ids)).distinct()
        found = {row[0] for row in self._session.execute(several)}
        return found | {row[0] for row in self._session.execute(received)}

    def update_membership_reason(self, membership_id: str, reason: str) -> None:
        """Replace the reason text of a membership."""
        self._update(_MEMBER, _MEMBER.c.id == membership_id, {"reason": reason})
