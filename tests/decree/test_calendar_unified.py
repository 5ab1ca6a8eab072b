"""One working-day calendar (issue 9 §3): public holidays with Tết from ``holidays``, the
government's make-up Saturdays, the agency's declared days off and make-up working days —
used by the leader's review rule, the early-completion bonus, the appeal deadline and the
"days with no entry" reminder; editable by heads/deputies/the agency, by CLI too."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import CalendarDay, CalendarDayKind
from kpi_desktop.services import daily, leadership
from kpi_desktop.services.calendar import CalendarService, WorkingCalendar
from kpi_desktop.services.messages import describe

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    yield services
    services.close()


def _dump(app) -> list[str]:
    from kpi_desktop.storage.backup import dump_database

    return dump_database(app.paths.database)


def test_public_calendar_knows_tet_observed_days_and_make_up_saturdays():
    calendar = WorkingCalendar()
    for day in (D(2026, 2, 16), D(2026, 2, 20), D(2026, 4, 27), D(2026, 8, 31),
                D(2026, 11, 24)):
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(D(2026, 8, 22))  # a Saturday worked for the 31/08 bridge
    assert not WorkingCalendar(government_workdays=False).is_working_day(D(2026, 8, 22))
    names_vi = {line.day: line.name for line in calendar.year_lines(2026)}
    names_en = {line.day: line.name
                for line in WorkingCalendar(language="en").year_lines(2026)}
    assert names_vi[D(2026, 2, 17)] == "Tết Nguyên Đán"
    assert names_en[D(2026, 2, 17)] == "Lunar New Year"
    assert names_vi[D(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_the_three_counters_agree(app):
    """leadership (review rule), daily (early-completion bonus) and the calendar count the
    same working days, holidays included."""
    start, end = D(2026, 2, 13), D(2026, 2, 27)  # across Tết
    expected = WorkingCalendar().working_days_between(start, end)
    assert expected == 5
    assert daily.working_days_between(start, end) == expected
    with app.db.unit_of_work(read_only=True) as uow:
        assert leadership.working_days_between(uow, start, end) == expected
        assert leadership.working_days_between(uow, D(2026, 11, 20), D(2026, 11, 25)) == 2
    assert daily.working_days_between(end, start) == 0  # never negative for a bonus


def test_declared_days_reach_every_counter(app):
    CalendarService(app.db).declare(D(2026, 3, 9), "day_off", "Nghỉ bầu cử", actor_id="ct")
    CalendarService(app.db).declare(D(2026, 3, 14), "workday", "Làm bù", actor_id="ct")
    with app.db.unit_of_work(read_only=True) as uow:
        # Fri 6/3 → Mon 16/3: 9/3 off, Sat 14/3 worked → 10,11,12,13,14,16 = 6.
        assert leadership.working_days_between(uow, D(2026, 3, 6), D(2026, 3, 16)) == 6
        calendar = leadership.WorkingDays(uow, D(2026, 3, 1), D(2026, 3, 31))
        assert not calendar.is_working(D(2026, 3, 9)) and calendar.is_working(D(2026, 3, 14))
    year = {line.day: line for line in app.calendar.year(2026)}
    assert year[D(2026, 3, 9)].declared and year[D(2026, 3, 9)].name == "Nghỉ bầu cử"
    assert year[D(2026, 3, 14)].kind is CalendarDayKind.MAKEUP_WORKDAY
    events = [e.action for e in _audit(app, object_type="calendar")]
    assert events == ["calendar.declare", "calendar.declare"]
    app.calendar.remove(D(2026, 3, 9), actor_id="ct")
    assert D(2026, 3, 9) not in {line.day for line in app.calendar.year(2026)}


def _audit(app, **filters):
    with app.db.unit_of_work(read_only=True) as uow:
        return uow.audit.list_events(**filters)


def test_early_completion_bonus_counts_working_days(app):
    """An entry finished before Tết with its deadline after it: the early days are working
    days (5), not the 10 Monday–Friday days of the old counter."""
    from kpi_desktop.domain.model import WorkLogEntry

    entry = WorkLogEntry(id="x", person_id="vhxh-cv2", work_date=D(2026, 2, 13),
                         catalog_item_id="i", quantity=1, coefficient=1,
                         created_at=dt.datetime(2026, 2, 13, tzinfo=dt.UTC),
                         updated_at=dt.datetime(2026, 2, 13, tzinfo=dt.UTC),
                         deadline=D(2026, 2, 27), completed_on=D(2026, 2, 13),
                         time_norm_minutes=60)
    from kpi_desktop.scoring import ScoringPolicy

    item = daily.DailyWorkService._log_item(ScoringPolicy.default(), entry, None)
    assert item.days_early == 5
    declared = WorkingCalendar([CalendarDay(day=D(2026, 2, 24),
                                            kind=CalendarDayKind.DAY_OFF, name="x")])
    item = daily.DailyWorkService._log_item(ScoringPolicy.default(), entry, None, declared)
    assert item.days_early == 4


def test_review_waiting_days_skip_the_holiday(app):
    from kpi_desktop.services.review import ReviewService

    review = ReviewService(app.db, today=D(2026, 11, 27))
    inbox = review.inbox("hcc-gd")
    for item in inbox.items:
        submitted = item.submitted_at.date()
        assert item.waiting_days == WorkingCalendar().working_days_between(submitted,
                                                                           D(2026, 11, 27))


def test_days_with_no_entry_reminder(app):
    service = CalendarService(app.db, today=TODAY)
    with app.db.unit_of_work(read_only=True) as uow:
        logged = {e.work_date for e in uow.worklog.list_for_person(
            "vhxh-cv2", D(2026, 11, 1), D(2026, 11, 22))}
    missing = service.missing_this_month("vhxh-cv2")
    working = WorkingCalendar().working_days(D(2026, 11, 1), D(2026, 11, 22))
    assert missing == [d for d in working if d not in logged]
    assert all(d.weekday() < 5 for d in missing)
    assert service.missing_this_month("vhxh-cv2", D(2026, 11, 1)) == []
    # A declared day off disappears from the reminder.
    if missing:
        service.declare(missing[0], "day_off", "Nghỉ đột xuất", actor_id="ct")
        assert missing[0] not in service.missing_this_month("vhxh-cv2")
    # Holidays never appear: 24/11 is a holiday, 25/11 an ordinary day.
    assert D(2026, 11, 24) not in service.missing_this_month("vhxh-cv2", D(2026, 11, 26))


CALENDAR_REFUSALS = {
    "an official may not edit": ("calendar_not_allowed", lambda s: s.declare(
        D(2026, 12, 7), "day_off", "Nghỉ", actor_id="vhxh-cv2")),
    "day off on a Sunday": ("calendar_already_off", lambda s: s.declare(
        D(2026, 12, 6), "day_off", "Nghỉ", actor_id="ct")),
    "day off on a holiday": ("calendar_already_off", lambda s: s.declare(
        D(2026, 11, 24), "day_off", "Nghỉ", actor_id="ct")),
    "make-up day on a Monday": ("calendar_already_working", lambda s: s.declare(
        D(2026, 12, 7), "workday", "Làm bù", actor_id="ct")),
    "day off without a name": ("calendar_name_missing", lambda s: s.declare(
        D(2026, 12, 7), "day_off", "  ", actor_id="ct")),
    "unknown kind": ("calendar_kind_unknown", lambda s: s.declare(
        D(2026, 12, 7), "half_day", "x", actor_id="ct")),
    "remove an ordinary day": ("calendar_not_declared", lambda s: s.remove(
        D(2026, 12, 7), actor_id="ct")),
}


@pytest.mark.parametrize("case", sorted(CALENDAR_REFUSALS))
def test_calendar_refusals_change_nothing(app, case):
    code, action = CALENDAR_REFUSALS[case]
    before = _dump(app)
    with pytest.raises(KpiError) as caught:
        action(app.calendar)
    assert caught.value.code == code
    assert _dump(app) == before
    assert "was refused" not in describe(caught.value)


def test_calendar_and_appeal_commands(demo_dir, capsys):
    from kpi_desktop.app import main

    base = ["--data-dir", str(demo_dir), "--lang", "en"]
    assert main([*base, "calendar", "list", "--year", "2026", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"date": "2026-02-17", "kind": "holiday", "name": "Lunar New Year",
            "declared": False} in rows
    assert main([*base, "calendar", "add", "--date", "2026-11-27", "--kind", "day_off",
                 "--name", "Nghỉ bù", "--as", "ct"]) == 0
    assert main([*base, "calendar", "add", "--date", "2026-11-28", "--kind", "holiday_x",
                 "--name", "x"]) == 3
    assert "not a kind of day" in capsys.readouterr().err
    assert main([*base, "appeal", "file", "--as", "vhxh-cv2", "--period", "2026-10",
                 "--reason", "Xin xem lại điểm", "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "to be decided by 2026-12-04" in out  # 24/11 holiday, 27/11 declared off
    assert main([*base, "appeal", "list", "--as", "vhxh-tp", "--json",
                 "--today", "2026-11-23"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["period"] for r in listed] == ["2026-10"] and listed[0]["days_left"] == 7
    appeal_id = listed[0]["id"]
    assert main([*base, "appeal", "decide", appeal_id, "--as", "kt-tp", "--outcome", "upheld",
                 "--decision", "Giữ nguyên", "--today", "2026-11-25"]) == 3
    assert main([*base, "appeal", "decide", appeal_id, "--as", "vhxh-tp", "--outcome",
                 "upheld", "--decision", "Giữ nguyên", "--today", "2026-11-25"]) == 0
    assert "Result upheld" in capsys.readouterr().out
    assert main([*base, "calendar", "remove", "--date", "2026-11-27", "--as", "ct"]) == 0
