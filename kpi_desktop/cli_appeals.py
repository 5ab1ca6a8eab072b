"""Headless commands of appeals (Điều 22) and the working-day calendar (issue 9 §2, §3).

    appeal file     --as ID --period P --reason TEXT         file an appeal (P: 2026-10 or 2026)
    appeal list     [--for ID] [--as ID] [--json]            appeals of a person / to decide
    appeal decide   ID --as ID --outcome upheld|changed --decision TEXT
                    [--criteria I.1=5,I.2=4.5,…] [--dd 100|50] [--e 100|50]
                    [--level LEVEL --decision-no NO [--decision-date D]]
    appeal withdraw ID --as ID
    calendar list   --year Y [--json]                        holidays, make-up and declared days
    calendar add    --date D --kind day_off|workday --name TEXT [--as ID]
    calendar remove --date D [--as ID]

``--today D`` (every command) fixes "today" for scripts and tests. ``kpi_desktop.cli`` adds
these to its parser and dispatches to :data:`HANDLERS`; refusals leave as :class:`KpiError`
(exit code 3 with the translated reason on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate

EXIT_OK = 0


def add_commands(commands: Any) -> None:
    """Add ``appeal`` and ``calendar`` with their actions to the command parser."""
    appeal = commands.add_parser("appeal", help=translate("Cli", "appeals against results"))
    sub = appeal.add_subparsers(dest="appeal_command", metavar="ACTION", required=True)
    as_help = translate("Cli", "the acting person's identifier")
    today_help = translate("Cli", "the date taken as today (YYYY-MM-DD)")

    file_cmd = sub.add_parser("file", help=translate("Cli", "file an appeal"))
    file_cmd.add_argument("--as", dest="actor", required=True, metavar="ID", help=as_help)
    file_cmd.add_argument("--period", required=True, metavar="PERIOD",
                          help=translate("Cli", "the month (YYYY-MM) or year (YYYY) appealed"))
    file_cmd.add_argument("--reason", required=True, help=translate("Cli", "why"))

    list_cmd = sub.add_parser("list", help=translate("Cli", "list appeals"))
    list_cmd.add_argument("--for", dest="person", metavar="ID",
                          help=translate("Cli", "the person who filed them"))
    list_cmd.add_argument("--as", dest="actor", metavar="ID",
                          help=translate("Cli", "the person who decides them"))
    list_cmd.add_argument("--json", action="store_true",
                          help=translate("Cli", "print the result as JSON"))

    decide = sub.add_parser("decide", help=translate("Cli", "decide an appeal"))
    decide.add_argument("appeal", metavar="APPEAL", help=translate("Cli", "appeal identifier"))
    decide.add_argument("--as", dest="actor", required=True, metavar="ID", help=as_help)
    decide.add_argument("--outcome", required=True, metavar="upheld|changed",
                        help=translate("Cli", "upheld or changed"))
    decide.add_argument("--decision", required=True,
                        help=translate("Cli", "the decision's text"))
    decide.add_argument("--criteria", metavar="CODE=POINTS,…",
                        help=translate("Cli", "new general criteria points of the month"))
    decide.add_argument("--dd", metavar="100|50", help=translate("Cli", "new factor đ"))
    decide.add_argument("--e", metavar="100|50", help=translate("Cli", "new factor e"))
    decide.add_argument("--level", metavar="LEVEL",
                        help=translate("Cli", "new level of the year"))
    decide.add_argument("--decision-no", default="",
                        help=translate("Cli", "number of the replacement decision"))
    decide.add_argument("--decision-date", metavar="YYYY-MM-DD",
                        help=translate("Cli", "date of the replacement decision"))

    withdraw = sub.add_parser("withdraw", help=translate("Cli", "withdraw an appeal"))
    withdraw.add_argument("appeal", metavar="APPEAL", help=translate("Cli", "appeal identifier"))
    withdraw.add_argument("--as", dest="actor", required=True, metavar="ID", help=as_help)
    for parser in (file_cmd, list_cmd, decide, withdraw):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help=today_help)

    calendar = commands.add_parser("calendar", help=translate("Cli", "the working-day calendar"))
    cal = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    show = cal.add_parser("list", help=translate("Cli", "holidays and declared days of a year"))
    show.add_argument("--year", required=True, type=int, metavar="YYYY",
                      help=translate("Cli", "year"))
    show.add_argument("--json", action="store_true",
                      help=translate("Cli", "print the result as JSON"))
    add = cal.add_parser("add", help=translate("Cli", "declare a day off or a make-up working day"))
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=translate("Cli", "date"))
    add.add_argument("--kind", required=True, metavar="day_off|workday",
                     help=translate("Cli", "day_off or workday"))
    add.add_argument("--name", default="", help=translate("Cli", "name of the day"))
    remove = cal.add_parser("remove", help=translate("Cli", "remove a declared day"))
    remove.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                        help=translate("Cli", "date"))
    for parser in (add, remove):
        parser.add_argument("--as", dest="actor", metavar="ID", help=as_help)


def _say(text: str) -> None:
    sys.stdout.write(f"{text}\n")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise RefusedValue("date_malformed", value=value) from None


def _criteria(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    found: dict[str, str] = {}
    for part in text.split(","):
        code, sep, value = part.partition("=")
        if not sep:
            raise RefusedValue("decimal_malformed", value=part)
        found[code.strip()] = value.strip()
    return found


def _service(services: Any, args: argparse.Namespace) -> Any:
    from kpi_desktop.services.appeals import AppealService

    today = _date(getattr(args, "today", None))
    if today is None:
        return services.appeals
    return AppealService(services.db, keys=services.keys, today=today)


def _view_row(view: Any) -> dict[str, Any]:
    from kpi_desktop.services.appeals import deadline_text, outcome_label, status_label

    a = view.appeal
    return {"id": a.id, "person": a.person_id, "person_name": view.person_name,
            "period": str(a.period), "status": a.status.value,
            "status_text": status_label(a.status), "reason": a.reason,
            "received_on": a.received_on.isoformat() if a.received_on else None,
            "deadline": view.deadline.isoformat() if view.deadline else None,
            "days_left": view.days_left, "overdue": view.overdue, "late_by": view.late_by,
            "deadline_text": deadline_text(view),
            "outcome": a.outcome.value if a.outcome else None,
            "outcome_text": outcome_label(a.outcome), "decision": a.decision,
            "decided_by": a.decided_by}


def _appeal(services: Any, args: argparse.Namespace) -> int:
    service = _service(services, args)
    action = args.appeal_command
    if action == "file":
        appeal = service.file(args.actor, args.period, args.reason)
        view = service.get(appeal.id)
        _say(translate("Cli", "Appeal {id} filed against {period}; to be decided by {deadline}.")
             .format(id=appeal.id, period=str(appeal.period),
                     deadline=view.deadline.isoformat() if view.deadline else "–"))
        return EXIT_OK
    if action == "list":
        if args.person:
            views = service.for_person(args.person, viewer_id=args.actor)
        elif args.actor:
            views = service.for_decider(args.actor, include_decided=True)
        else:
            raise RefusedValue("value_missing", field="--for / --as")
        rows = [_view_row(v) for v in views]
        if args.json:
            _say(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                _say(f"{row['id']}  {row['person']:<10} {row['period']:<8} "
                     f"{row['status_text']:<24} {row['deadline'] or '':<10}  "
                     f"{row['deadline_text']}  {row['outcome_text']}")
            _say(translate("Cli", "{n} appeals.").format(n=len(rows)))
        return EXIT_OK
    if action == "withdraw":
        service.withdraw(args.actor, args.appeal)
        _say(translate("Cli", "Appeal {id} withdrawn.").format(id=args.appeal))
        return EXIT_OK
    decided = service.decide(args.actor, args.appeal, args.outcome, args.decision,
                             criteria=_criteria(args.criteria), dd=args.dd, e=args.e,
                             level=args.level, decision_no=args.decision_no,
                             decision_date=_date(args.decision_date))
    from kpi_desktop.services.appeals import outcome_label

    _say(translate("Cli", "Appeal {id} decided: {outcome}.").format(
        id=decided.id, outcome=outcome_label(decided.outcome)))
    return EXIT_OK


def _calendar(services: Any, args: argparse.Namespace) -> int:
    service = services.calendar
    action = args.calendar_command
    if action == "list":
        lines = service.year(args.year, language=i18n.current_language())
        rows = [{"date": line.day.isoformat(), "kind": line.kind.value, "name": line.name,
                 "declared": line.declared} for line in lines]
        if args.json:
            _say(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            labels = {"holiday": translate("Cli", "holiday"),
                      "day_off": translate("Cli", "day off"),
                      "makeup_workday": translate("Cli", "make-up working day")}
            for row in rows:
                mark = "*" if row["declared"] else " "
                _say(f"{row['date']} {mark} {labels[row['kind']]:<22} {row['name']}")
            _say(translate("Cli", "* declared by the agency"))
        return EXIT_OK
    day = _date(args.date)
    assert day is not None
    if action == "add":
        service.declare(day, args.kind, args.name, actor_id=args.actor)
        _say(translate("Cli", "{date} recorded in the calendar.").format(date=day.isoformat()))
        return EXIT_OK
    service.remove(day, actor_id=args.actor)
    _say(translate("Cli", "{date} removed from the calendar.").format(date=day.isoformat()))
    return EXIT_OK


HANDLERS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "appeal": _appeal, "calendar": _calendar}
