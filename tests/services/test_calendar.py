"""Vietnamese working days: weekends, public holidays (Tết), agency days off and make-up days."""

from __future__ import annotations

import datetime as dt

from kpi_desktop.domain.model import CalendarDay, CalendarDayKind
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.calendar import CalendarService, WorkingCalendar

D = dt.date


def test_tet_and_national_day_are_not_working_days():
    calendar = WorkingCalendar()
    for day in (D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 20), D(2026, 9, 2), D(2026, 1, 1)):
        assert not calendar.is_working_day(day), day
    assert calendar.holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"
    assert calendar.is_working_day(D(2026, 2, 23))
    assert not calendar.is_working_day(D(2026, 2, 21))  # Saturday


def test_five_working_days_across_tet():
    calendar = WorkingCalendar()
    # Friday 13 Feb 2026 + 5 working days skips the weekend and the whole Tết week.
    assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert calendar.working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == -5


def test_declared_day_off_and_makeup_workday():
    calendar = WorkingCalendar([
        CalendarDay(day=D(2026, 3, 9), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bầu cử"),
        CalendarDay(day=D(2026, 3, 14), kind=CalendarDayKind.MAKEUP_WORKDAY, name="Làm bù"),
    ])
    assert not calendar.is_working_day(D(2026, 3, 9))
    assert calendar.holiday_name(D(2026, 3, 9)) == "Nghỉ bầu cử"
    assert calendar.is_working_day(D(2026, 3, 14))  # a Saturday worked


def test_days_without_entries_for_the_reminder(demo_dir):
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    try:
        service = CalendarService(services.db)
        service.declare(D(2026, 10, 5), CalendarDayKind.DAY_OFF, " Nghỉ đột xuất ")
        missing = service.days_without_entries("vp-cv1", D(2026, 10, 1), D(2026, 10, 31))
        assert D(2026, 10, 5) not in missing
        assert all(WorkingCalendar().is_working_day(d) for d in missing)
        assert service.calendar(2026).holiday_name(D(2026, 10, 5)) == "Nghỉ đột xuất"
    finally:
        services.close()
