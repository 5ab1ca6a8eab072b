"""The working-day calendar: Monday–Friday, minus Vietnamese public holidays (the lunar Tết
and Hùng Kings days included, from the well-kept ``holidays`` package, with the government's
observed days off and its make-up Saturdays), minus the agency's declared days off, plus its
make-up working days (làm bù).

The one counter of working days in the application: deadlines, the early-completion bonus,
the leaders' 5-working-day review rule, the 7-working-day appeal deadline (Điều 22) and the
"days with no entry" reminder all use :class:`WorkingCalendar`.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.inputs import check_date, check_text
from kpi_desktop.domain.model import (
    AuditEvent,
    CalendarDay,
    CalendarDayKind,
    Period,
    PersonRole,
    normalize_text,
    utc_now,
)

# Who may declare days off and make-up working days for the agency.
CALENDAR_EDITORS = (PersonRole.HEAD, PersonRole.DEPUTY, PersonRole.ADMIN)


_VIETNAM_LOCK = threading.Lock()


@functools.cache
def _vietnam() -> Any:
    """The ``holidays`` class of Vietnam, imported on first use and alone.

    ``holidays.country_holidays("VN")`` (and any ``holidays.countries.*`` import) runs
    ``holidays/countries/__init__.py``, which imports all ~250 countries: 0.2-0.45 s at start
    for one country (BENCHMARKS.md, cold start). The package's own search path is known without
    running that file (``find_spec``), so an empty package module stands in for it while the
    one module ``holidays.countries.vietnam`` is imported (it needs only ``holidays.calendars``
    / ``groups`` / ``helpers``), then leaves ``sys.modules`` again: a later full
    ``import holidays.countries`` still runs the real file and reuses the Vietnam module.
    Works with the frozen build's importer too (the spec comes from it); anything unexpected
    falls back to the public, slower way.
    """
    import importlib
    import importlib.util
    import sys

    import holidays  # noqa: F401 - the parent package (calendars, locale path), ~0.1 s

    name = "holidays.countries"
    with _VIETNAM_LOCK:
        if name not in sys.modules:
            try:
                spec = importlib.util.find_spec(name)
                if spec is not None and spec.submodule_search_locations is not None:
                    stand_in = importlib.util.module_from_spec(spec)
                    sys.modules[name] = stand_in
                    try:
                        return importlib.import_module(f"{name}.vietnam").Vietnam
                    finally:
                        if sys.modules.get(name) is stand_in:
                            del sys.modules[name]
            except ImportError:
                pass
    return importlib.import_module(f"{name}.vietnam").Vietnam


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int, language: str) -> dict[dt.date, str]:
    names = _vietnam()(years=[year], language=language)
    return {day: str(name) for day, name in names.items()}


@functools.lru_cache(maxsize=64)
def _public_workdays(year: int) -> frozenset[dt.date]:
    """Weekend days the government made working days (make-up days for a bridge day off)."""
    found = _vietnam()(years=[year])
    return frozenset(d for d in getattr(found, "weekend_workdays", ()) if d.year == year)


@dataclass(frozen=True)
class CalendarLine:
    """One day of a year that differs from the ordinary Monday–Friday week."""

    day: dt.date
    kind: CalendarDayKind
    name: str
    declared: bool  # declared by the agency (editable), else from the public calendar


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days.

    ``government_workdays`` counts the government's make-up Saturdays as working days (on by
    default; the demo generator turns it off so the demo data stays as it was generated).
    """

    def __init__(self, declared: Iterable[CalendarDay] = (), *, language: str = "vi",
                 government_workdays: bool = True) -> None:
        self.language = "vi" if language == "vi" else "en_US"
        self._declared = {d.day: d for d in declared}
        self._government_workdays = government_workdays
        self._counts: dict[tuple[dt.date, dt.date], int] = {}

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
        if day in _public_holidays(day.year, self.language):
            return False
        if day.weekday() < 5:
            return True
        return self._government_workdays and day in _public_workdays(day.year)

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
        key = (start, end)
        found = self._counts.get(key)
        if found is None:
            if len(self._counts) > 20000:  # a long-lived calendar: keep the memo small
                self._counts.clear()
            found = self._counts[key] = len(self.working_days(start + dt.timedelta(days=1), end))
        return found

    def year_lines(self, year: int) -> list[CalendarLine]:
        """The year's public holidays, government make-up days and declared days, by date."""
        lines: dict[dt.date, CalendarLine] = {}
        for day, name in _public_holidays(year, self.language).items():
            lines[day] = CalendarLine(day, CalendarDayKind.HOLIDAY, name, False)
        if self._government_workdays:
            for day in _public_workdays(year):
                lines[day] = CalendarLine(day, CalendarDayKind.MAKEUP_WORKDAY, "", False)
        for day, declared in self._declared.items():
            if day.year == year:
                lines[day] = CalendarLine(day, declared.kind, declared.name, True)
        return [lines[d] for d in sorted(lines)]


def calendar_for(uow: Any, start: dt.date, end: dt.date, *,
                 language: str = "vi") -> WorkingCalendar:
    """The calendar with the declared days of ``start``–``end`` (with a margin), read once."""
    declared = uow.calendar.between(start - dt.timedelta(days=62), end + dt.timedelta(days=120))
    return WorkingCalendar(declared, language=language)


def parse_day_kind(value: CalendarDayKind | str) -> CalendarDayKind:
    """``day_off`` / ``workday`` (or the stored names) as a kind; refused otherwise."""
    text = normalize_text(str(getattr(value, "value", value))).lower()
    aliases = {"day_off": CalendarDayKind.DAY_OFF, "off": CalendarDayKind.DAY_OFF,
               "workday": CalendarDayKind.MAKEUP_WORKDAY,
               "makeup_workday": CalendarDayKind.MAKEUP_WORKDAY,
               "holiday": CalendarDayKind.HOLIDAY}
    if text not in aliases:
        raise RefusedValue("calendar_kind_unknown", value=str(value))
    return aliases[text]


@dataclass(frozen=True)
class MonthProgress:
    """Where a period stands on a day: ``finished`` once its last day is past; otherwise its
    scores are provisional (``elapsed`` of its ``total`` working days are behind us,
    today included)."""

    period: Period
    finished: bool
    elapsed: int
    total: int


class CalendarService:
    """The calendar of this database: public holidays plus the agency's declared days."""

    def __init__(self, db: Any, *, today: Callable[[], dt.date] | dt.date | None = None) -> None:
        self._db = db
        if isinstance(today, dt.date):
            fixed = today
            self._today: Callable[[], dt.date] = lambda: fixed
        else:
            self._today = today or dt.date.today

    def today(self) -> dt.date:
        return self._today()

    def calendar(self, year: int | None = None, *, language: str = "vi") -> WorkingCalendar:
        """A calendar with the declared days of ``year`` (default: every declared day)."""
        with self._db.unit_of_work(read_only=True) as uow:
            if year is None:
                declared = uow.calendar.between(dt.date(1900, 1, 1), dt.date(2999, 12, 31))
            else:
                declared = uow.calendar.between(dt.date(year - 1, 12, 1),
                                                dt.date(year + 1, 1, 31))
        return WorkingCalendar(declared, language=language)

    def year(self, year: int, *, language: str = "vi") -> list[CalendarLine]:
        """The year's holidays (with names), make-up days and the agency's declared days."""
        return self.calendar(year, language=language).year_lines(year)

    def can_edit(self, actor_id: str) -> bool:
        """Whether ``actor_id`` may declare days (heads, deputies, the agency administrator)."""
        with self._db.unit_of_work(read_only=True) as uow:
            person = uow.org.find_person(actor_id)
        return person is not None and person.role in CALENDAR_EDITORS

    def declare(self, day: dt.date, kind: CalendarDayKind | str, name: str, *,
                actor_id: str | None = None, as_agency: bool = False) -> CalendarDay:
        """Record an agency day off or make-up working day (replaces one on the same day).

        A day off must fall on a working day, a make-up working day on a day off (weekend or
        holiday); a day off needs its name. With ``actor_id`` the actor must be a head,
        deputy or administrator (``as_agency``: the agency key signed in, not a person), and
        the change is audited.

        Raises:
            RefusedValue / InvalidState: nothing is written then.
        """
        chosen = parse_day_kind(kind)
        if chosen is CalendarDayKind.HOLIDAY:
            chosen = CalendarDayKind.DAY_OFF
        check_date(day, "date", today=self.today())
        text = check_text(name or "", "name", max_length=200)
        if chosen is CalendarDayKind.DAY_OFF and not text:
            raise RefusedValue("calendar_name_missing")
        public = WorkingCalendar()
        if chosen is CalendarDayKind.DAY_OFF and not public.is_working_day(day):
            raise InvalidState("calendar_already_off", date=day.isoformat())
        if chosen is CalendarDayKind.MAKEUP_WORKDAY and public.is_working_day(day):
            raise InvalidState("calendar_already_working", date=day.isoformat())
        record = CalendarDay(day=day, kind=chosen, name=text, source="agency")
        with self._db.unit_of_work() as uow:
            if not as_agency:
                self._check_editor(uow, actor_id)
            previous = uow.calendar.get(day)
            uow.calendar.upsert(record)
            uow.audit.append(AuditEvent(
                at=utc_now(), action="calendar.declare", object_type="calendar",
                object_id=day.isoformat(), actor_id=actor_id,
                detail={"kind": chosen.value, "name": text,
                        "previous": None if previous is None else previous.kind.value}))
        return record

    def remove(self, day: dt.date, *, actor_id: str | None = None,
               as_agency: bool = False) -> None:
        """Remove the agency's declaration for ``day`` (it becomes an ordinary day again)."""
        with self._db.unit_of_work() as uow:
            if not as_agency:
                self._check_editor(uow, actor_id)
            previous = uow.calendar.get(day)
            if previous is None:
                raise InvalidState("calendar_not_declared", date=day.isoformat())
            uow.calendar.delete(day)
            uow.audit.append(AuditEvent(
                at=utc_now(), action="calendar.remove", object_type="calendar",
                object_id=day.isoformat(), actor_id=actor_id,
                detail={"kind": previous.kind.value, "name": previous.name}))

    def progress(self, period: Period, today: dt.date | None = None) -> MonthProgress:
        """Whether ``period`` is over on ``today``, and how many of its working days are."""
        day = today or self.today()
        calendar = self.calendar()
        total = len(calendar.working_days(period.start, period.end))
        if day >= period.end:  # as ui.common.last_finished: a period ending today is over
            return MonthProgress(period, True, total, total)
        elapsed = len(calendar.working_days(period.start, day)) if day >= period.start else 0
        return MonthProgress(period, False, elapsed, total)

    def days_without_entries(self, person_id: str, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days in ``start``–``end`` on which ``person_id`` logged nothing."""
        calendar = self.calendar()
        with self._db.unit_of_work(read_only=True) as uow:
            logged = {e.work_date for e in uow.worklog.list_for_person(person_id, start, end)}
        return [d for d in calendar.working_days(start, end) if d not in logged]

    def missing_this_month(self, person_id: str, today: dt.date | None = None) -> list[dt.date]:
        """Working days of the current month before today with no entry (today is left out:
        the day is not over yet). Holidays and declared days off never count."""
        day = today or self.today()
        yesterday = day - dt.timedelta(days=1)
        start = day.replace(day=1)
        if yesterday < start:
            return []
        return self.days_without_entries(person_id, start, yesterday)

    @staticmethod
    def _check_editor(uow: Any, actor_id: str | None) -> None:
        if actor_id is None:
            return
        person = uow.org.find_person(actor_id)
        if person is None or person.role not in CALENDAR_EDITORS:
            raise InvalidState("calendar_not_allowed", actor=actor_id)
