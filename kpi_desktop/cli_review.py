"""Headless commands of the leader (issue 4): ``kpi-desktop review …``.

    review inbox   --by ID [--json]                      what waits for ID's review
    review confirm --by ID ENTRY…                         confirm entries
    review cause   --by ID --reason TEXT [--quality] [--timeliness] ENTRY
                                                          objective cause (Điều 14.2b/c)
    review return  --by ID --reason TEXT ENTRY            return an entry for revision
    review month   --by ID --person ID --period YYYY-MM   accept Form 01 and lock the month
    review unlock  --by ID --person ID --period YYYY-MM --reason TEXT

``kpi_desktop.cli`` adds these to its parser and dispatches to :data:`HANDLERS`; refusals
leave as :class:`KpiError` (exit code 3 with the translated reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import describe, number_text, period_text, quantity_text

EXIT_OK, EXIT_REFUSED = 0, 3


def add_commands(commands: Any) -> None:
    """Add ``review`` and its actions to the command parser."""
    review = commands.add_parser("review", help=translate("Cli", "the leader's review"))
    sub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    by_help = translate("Cli", "the reviewer's person identifier")

    inbox = sub.add_parser("inbox", help=translate("Cli", "entries waiting for review"))
    inbox.add_argument("--by", required=True, metavar="ID", help=by_help)
    inbox.add_argument("--json", action="store_true",
                       help=translate("Cli", "print the result as JSON"))

    confirm = sub.add_parser("confirm", help=translate("Cli", "confirm entries"))
    confirm.add_argument("--by", required=True, metavar="ID", help=by_help)
    confirm.add_argument("entries", nargs="+", metavar="ENTRY",
                         help=translate("Cli", "entry identifiers"))

    ret = sub.add_parser("return", help=translate("Cli", "return an entry for revision"))
    ret.add_argument("--by", required=True, metavar="ID", help=by_help)
    ret.add_argument("--reason", required=True, help=translate("Cli", "why it is returned"))
    ret.add_argument("entry", metavar="ENTRY", help=translate("Cli", "entry identifier"))

    cause = sub.add_parser("cause", help=translate(
        "Cli", "confirm an objective cause of an entry's quality errors and/or delays "
        "(Article 14.2(b), 14.2(c))"))
    cause.add_argument("--by", required=True, metavar="ID", help=by_help)
    cause.add_argument("--quality", action="store_true",
                       help=translate("Cli", "the cause exempts the quality errors"))
    cause.add_argument("--timeliness", action="store_true",
                       help=translate("Cli", "the cause exempts the delays"))
    cause.add_argument("--reason", required=True,
                       help=translate("Cli", "the objective cause confirmed"))
    cause.add_argument("entry", metavar="ENTRY", help=translate("Cli", "entry identifier"))

    month = sub.add_parser("month", help=translate(
        "Cli", "accept a person's self-assessment and lock the month"))
    unlock = sub.add_parser("unlock", help=translate("Cli", "reopen a locked month"))
    for parser in (month, unlock):
        parser.add_argument("--by", required=True, metavar="ID", help=by_help)
        parser.add_argument("--person", required=True, metavar="ID",
                            help=translate("Cli", "person identifier"))
        parser.add_argument("--period", required=True, metavar="YYYY-MM",
                            help=translate("Cli", "month"))
    unlock.add_argument("--reason", required=True,
                        help=translate("Cli", "why the month is reopened"))


def _say(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(f"{text}\n")


def _review(services: Any, args: argparse.Namespace) -> int:
    action = args.review_command
    if action == "inbox":
        inbox = services.review.inbox(args.by)
        rows = [{"entry": i.entry.id, "person": i.entry.person_id, "person_name": i.person_name,
                 "work_date": i.entry.work_date.isoformat(), "item": i.item_code,
                 "quantity": str(i.entry.quantity), "waiting_days": i.waiting_days,
                 "flags": sorted(f.value for f in i.flags)} for i in inbox.items]
        if args.json:
            _say(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            from kpi_desktop.services.review import flag_label

            for row, item in zip(rows, inbox.items, strict=True):
                flags = "; ".join(flag_label(f) for f in sorted(item.flags, key=lambda f: f.value))
                _say(f"{row['entry']}  {row['work_date']}  {row['person']:<10} "
                     f"{row['item']:<10} {quantity_text(item.entry.quantity):>6}  "
                     f"{row['waiting_days']}  {flags}")
            _say(translate("Cli", "{n} entries waiting; {late} over the limit of {limit} "
                                   "working days.").format(n=len(rows),
                                                           late=inbox.overdue_count,
                                                           limit=inbox.limit_days))
        return EXIT_OK
    if action == "confirm":
        result = services.review.confirm_many(args.by, args.entries)
        _say(translate("Cli", "{n} entries confirmed.").format(n=len(result.confirmed)))
        for entry_id, error in result.skipped:
            _say(translate("Cli", "Refused: {reason}").format(
                reason=f"{entry_id}: {describe(error)}"), err=True)
        return EXIT_REFUSED if result.skipped else EXIT_OK
    if action == "return":
        services.review.return_entry(args.by, args.entry, args.reason)
        _say(translate("Cli", "Entry {id} returned.").format(id=args.entry))
        return EXIT_OK
    if action == "cause":
        services.review.mark_objective_cause(args.by, args.entry, args.reason,
                                             quality=args.quality, timeliness=args.timeliness)
        what = [translate("Cli", "quality errors")] if args.quality else []
        what += [translate("Cli", "delays")] if args.timeliness else []
        _say(translate("Cli", "Objective cause recorded for entry {id}: {what} not deducted.")
             .format(id=args.entry, what=", ".join(what)))
        return EXIT_OK
    if action == "month":
        stored = services.evaluation.confirm(args.by, args.person, args.period)
        _say(translate("Cli", "Month {period} of {person} confirmed and locked: total {total}.")
             .format(period=period_text(args.period), person=_name(services, args.person),
                     total=number_text(stored.total)))
        return EXIT_OK
    services.evaluation.unlock(args.by, args.person, args.period, args.reason)
    _say(translate("Cli", "Month {period} of {person} reopened.").format(
        period=period_text(args.period), person=_name(services, args.person)))
    return EXIT_OK


def _name(services, person_id: str) -> str:  # noqa: ANN001
    """A person's name for messages (never the bare id)."""
    found = services.organisation.names().get(person_id)
    return f"{found[0]} ({person_id})" if found else person_id


HANDLERS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"review": _review}
