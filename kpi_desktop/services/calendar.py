"""The working-day calendar: Monday–Friday, minus Vietnamese public holidays (the lunar Tết
and Hùng Kings days included, from the well-kept ``holidays`` package, with the government's
observed days), minus the agency's declared days off, plus its make-up working days (làm bù).

Used for deadlines, the early-completion bonus, the leaders' 5-working-day review rule, the
7-working-day appeal deadline (Điều 22) and the "days with no entry" reminder.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import holidays

from kpi_desktop.domain.model import CalendarDay, CalendarDayKind, normalize_text


@functools.lru_cache(maxsize=32)
def _public_holidays(year: int, language: str) -> dict[dt.date, str]:
    names = holidays.country_holidays("VN", years=[year], language=language)
    return {day: str(name) for day, name in names.items()}


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days."""

    def __init__(self, declared: Iterable[CalendarDay] = (), *, language: str = "vi") -> None:
        self.language = "vi" if language == "vi" else "en_US"
        self._declared = {d.day: d for d in declared}

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday or declared day off on ``day``, else ``None``."""
        declared = self._declared.get(day)
        if declared is not None:
            return None if declared.kind is CalendarDayKind.MAKEUP_WORKDAY else declared.name
        return _public_holidays(day.year, self.language).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        declared = self._declared.get(day)
        if declared is not None:
            return declared.kind is CalendarDayKind.MAKEUP_WORKDAY
        return day.weekday() < 5 and day not in _public_holidays(day.year, self.language)

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days from ``start`` to ``end`` inclusive."""
        days, day = [], start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day ``count`` working days after ``day`` (``count`` ≥ 0)."""
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when reversed):
        how late ``end`` is for a deadline on ``start``, or how long an item has waited."""
        if end < start:
            return -self.working_days_between(end, start)
        return len(self.working_days(start + dt.timedelta(days=1), end))


class CalendarService:
    """The calendar of this database: public holidays plus the agency's declared days."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def calendar(self, year: int | None = None, *, language: str = "vi") -> WorkingCalendar:
        """A calendar with the declared days of ``year`` (default: every declared day)."""
        with self._db.unit_of_work(read_only=True) as uow:
            if year is None:
                declared = uow.calendar.between(dt.date(1900, 1, 1), dt.date(2999, 12, 31))
            else:
                declared = uow.calendar.between(dt.date(year - 1, 12, 1),
                                                dt.date(year + 1, 1, 31))
        return WorkingCalendar(declared, language=language)

    def declare(self, day: dt.date, kind: CalendarDayKind, name: str) -> None:
        """Record an agency day off or make-up working day (replaces one on the same day)."""
        with self._db.unit_of_work() as uow:
            uow.calendar.upsert(CalendarDay(day=day, kind=kind, name=normalize_text(name),
                                            source="agency"))

    def days_without_entries(self, person_id: str, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days in ``start``–``end`` on which ``person_id`` logged nothing."""
        calendar = self.calendar()
        with self._db.unit_of_work(read_only=True) as uow:
            logged = {e.work_date for e in uow.worklog.list_for_person(person_id, start, end)}
        return [d for d in calendar.working_days(start, end) if d not in logged]
