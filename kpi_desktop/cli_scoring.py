"""Headless commands of the scoring rules (issue 15): ``kpi-desktop discipline …``.

    discipline add  --by ID --person ID --kind KIND --decided-on YYYY-MM-DD --decision NO
                    [--act-date YYYY-MM-DD] [--authority administrative|party|competent_authority]
                    [--same-act EVENT] [--already-counted YYYY] [--note TEXT] [--json]
    discipline list --person ID [--json]
    leave add    --by ID --person ID --kind sick|maternity|unpaid --from YYYY-MM-DD
                 --to YYYY-MM-DD --decision NO [--note TEXT] [--json]
    leave list   --person ID [--year YYYY] [--all] [--json]
    leave remove --by ID --reason TEXT LEAVE

``--decided-on`` is the date of the decision, ``--act-date`` the date of the act it is about
(Điều 11.3c–d: an act at the person's old organisation counts in that organisation's result).
``kpi_desktop.cli`` adds these to its parser and dispatches to :data:`HANDLERS`; refusals leave
as :class:`KpiError` (exit code 3 with the translated reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from kpi_desktop.cli import parse_date
from kpi_desktop.domain.model import DisciplineAuthority, DisciplineKind, LeaveKind
from kpi_desktop.runtime.i18n import translate

EXIT_OK = 0


def add_commands(commands: Any) -> None:
    """Add ``discipline`` and its actions to the command parser."""
    discipline = commands.add_parser(
        "discipline", help=translate("Cli", "discipline decisions (Article 20.4, 11.3)"))
    sub = discipline.add_subparsers(dest="discipline_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help=translate("Cli", "record a discipline decision"))
    add.add_argument("--by", required=True, metavar="ID",
                     help=translate("Cli", "the evaluator who records it"))
    add.add_argument("--person", required=True, metavar="ID",
                     help=translate("Cli", "person identifier"))
    add.add_argument("--kind", required=True, choices=[k.value for k in DisciplineKind],
                     help=translate("Cli", "the form of discipline or other override"))
    add.add_argument("--decided-on", required=True, metavar="YYYY-MM-DD",
                     help=translate("Cli", "the date of the decision"))
    add.add_argument("--act-date", metavar="YYYY-MM-DD",
                     help=translate("Cli", "the date of the act the decision is about"))
    add.add_argument("--decision", required=True, metavar="NO",
                     help=translate("Cli", "decision number"))
    add.add_argument("--authority", default="administrative",
                     choices=[a.value for a in DisciplineAuthority],
                     help=translate("Cli", "administrative or party discipline, or another "
                                           "competent authority"))
    add.add_argument("--same-act", metavar="EVENT",
                     help=translate("Cli", "an earlier decision about the same act"))
    add.add_argument("--already-counted", metavar="YYYY", type=int,
                     help=translate("Cli", "the year the act was already rated "
                                           "Unsatisfactory (Article 11.3(b))"))
    add.add_argument("--note", default="", help=translate("Cli", "note"))
    add.add_argument("--json", action="store_true",
                     help=translate("Cli", "print the result as JSON"))
    _add_leave(commands)
    show = sub.add_parser("list", help=translate("Cli", "a person's discipline decisions"))
    show.add_argument("--person", required=True, metavar="ID",
                      help=translate("Cli", "person identifier"))
    show.add_argument("--json", action="store_true",
                      help=translate("Cli", "print the result as JSON"))


def _add_leave(commands: Any) -> None:
    leave = commands.add_parser(
        "leave", help=translate("Cli", "sick, maternity and unpaid personal leave (Article "
                                       "11.2)"))
    sub = leave.add_subparsers(dest="leave_command", metavar="ACTION", required=True)
    by_help = translate("Cli", "who records it: the agency administrator (agency), the "
                               "chairman or the person's evaluator")
    add = sub.add_parser("add", help=translate("Cli", "record a period of leave"))
    add.add_argument("--by", required=True, metavar="ID", help=by_help)
    add.add_argument("--person", required=True, metavar="ID",
                     help=translate("Cli", "person identifier"))
    add.add_argument("--kind", required=True, choices=[k.value for k in LeaveKind],
                     help=translate("Cli", "sick or maternity leave (social insurance), or "
                                           "unpaid personal leave"))
    add.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                     help=translate("Cli", "the first day of the leave"))
    add.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                     help=translate("Cli", "the last day of the leave"))
    add.add_argument("--decision", required=True, metavar="NO",
                     help=translate("Cli", "decision number"))
    add.add_argument("--note", default="", help=translate("Cli", "note"))
    add.add_argument("--json", action="store_true",
                     help=translate("Cli", "print the result as JSON"))
    show = sub.add_parser("list", help=translate("Cli", "a person's leave"))
    show.add_argument("--person", required=True, metavar="ID",
                      help=translate("Cli", "person identifier"))
    show.add_argument("--year", type=int, metavar="YYYY", help=translate("Cli", "year"))
    show.add_argument("--all", action="store_true",
                      help=translate("Cli", "removed records too"))
    show.add_argument("--json", action="store_true",
                      help=translate("Cli", "print the result as JSON"))
    remove = sub.add_parser("remove", help=translate("Cli", "remove a leave record"))
    remove.add_argument("--by", required=True, metavar="ID", help=by_help)
    remove.add_argument("--reason", required=True,
                        help=translate("Cli", "why it is removed"))
    remove.add_argument("leave", metavar="LEAVE", help=translate("Cli", "leave identifier"))


def _leave_dict(record: Any) -> dict[str, Any]:
    return {"id": record.id, "person_id": record.person_id, "kind": record.kind.value,
            "from": record.start_on.isoformat(), "to": record.end_on.isoformat(),
            "decision_no": record.decision_no, "note": record.note,
            "recorded_by": record.recorded_by, "version": record.version,
            "removed": record.removed}


def _leave_line(record: Any) -> str:
    from kpi_desktop.services.leave import leave_kind_label

    removed = "  " + translate("Cli", "(removed)") if record.removed else ""
    return (f"{record.id}  {record.start_on.isoformat()} … {record.end_on.isoformat()}  "
            f"{leave_kind_label(record.kind)}  {record.decision_no}{removed}")


def _leave(services: Any, args: argparse.Namespace) -> int:
    action = args.leave_command
    if action == "add":
        record = services.leave.add(args.by, args.person, args.kind,
                                    start_on=parse_date(args.start),
                                    end_on=parse_date(args.end), decision_no=args.decision,
                                    note=args.note)
        if args.json:
            _say(json.dumps(_leave_dict(record), ensure_ascii=False, indent=2))
        else:
            _say(translate("Cli", "Leave recorded:") + " " + _leave_line(record))
        return EXIT_OK
    if action == "remove":
        record = services.leave.remove(args.by, args.leave, args.reason)
        _say(translate("Cli", "Leave {id} removed.").format(id=record.id))
        return EXIT_OK
    records = services.leave.list(args.person, args.year, include_removed=args.all)
    if args.json:
        payload: dict[str, Any] = {"person_id": args.person,
                                   "leave": [_leave_dict(r) for r in records]}
        if args.year:
            year = services.leave.year(args.person, args.year)
            payload["months_on_leave"] = [str(m) for m in year.months_on_leave]
            payload["classified_on_months_worked"] = year.exception
        _say(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    for record in records:
        _say(_leave_line(record))
    if not records:
        _say(translate("Cli", "No leave is recorded for this person."))
    elif args.year:
        year = services.leave.year(args.person, args.year)
        months = ", ".join(str(m) for m in year.months_on_leave) or "–"
        _say(translate("Cli", "Months entirely on leave (not in the mean): {months}").format(
            months=months))
    return EXIT_OK


def _say(text: str) -> None:
    sys.stdout.write(f"{text}\n")


def _as_dict(shown: Any) -> dict[str, Any]:
    event = shown.event
    return {"id": event.id, "person_id": event.person_id, "kind": event.kind.value,
            "authority": event.authority.value, "decision_no": event.decision_no,
            "decided_on": event.decided_on.isoformat(),
            "committed_on": event.committed_on.isoformat() if event.committed_on else None,
            "counts_in": shown.year.year, "counts": shown.year.counts,
            "reason": shown.year.reason.value, "related_event_id": event.related_event_id}


def _line(shown: Any) -> str:
    from kpi_desktop.services.discipline import count_label, discipline_kind_label

    event = shown.event
    act = translate("Cli", "act of {date}").format(date=event.committed_on.isoformat()) \
        if event.committed_on else translate("Cli", "date of the act not recorded")
    return (f"{event.id}  {event.decided_on.isoformat()}  {event.decision_no}  "
            f"{discipline_kind_label(event.kind)}  ({act})  — {count_label(shown.year)}")


def _discipline(services: Any, args: argparse.Namespace) -> int:
    if args.discipline_command == "add":
        event = services.discipline.record(
            args.by, args.person, args.kind, decided_on=parse_date(args.decided_on),
            decision_no=args.decision, authority=args.authority, note=args.note,
            related_event_id=args.same_act, already_counted_year=args.already_counted,
            committed_on=parse_date(args.act_date))
        shown = next(s for s in services.discipline.for_person(args.person)
                     if s.event.id == event.id)
        if args.json:
            _say(json.dumps(_as_dict(shown), ensure_ascii=False, indent=2))
        else:
            _say(translate("Cli", "Discipline decision recorded:"))
            _say("  " + _line(shown))
        return EXIT_OK
    events = services.discipline.for_person(args.person)
    if args.json:
        _say(json.dumps([_as_dict(s) for s in events], ensure_ascii=False, indent=2))
    else:
        for shown in events:
            _say(_line(shown))
        if not events:
            _say(translate("Cli", "No discipline decision is recorded for this person."))
    return EXIT_OK


HANDLERS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"discipline": _discipline,
                                                                 "leave": _leave}
