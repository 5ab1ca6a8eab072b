"""Headless commands for transfers and unit mergers (issue 9 §4): ``kpi-desktop transfer …``.

    transfer person ID --to UNIT --from-date YYYY-MM-DD --reason TEXT [--decision NO] [--by ID]
                    [--successor ID]   (who evaluates the people a moving leader evaluated)
    transfer merge --units A,B --into C [--name NAME] --from-date YYYY-MM-DD [--reason TEXT]
                   [--decision NO] [--by ID]
    transfer export --person ID --to DIR [--year YYYY]       (agency key: KPI_DESKTOP_PASSPHRASE)
    transfer import FILE [--trust FINGERPRINT]                without --trust: show, import nothing
    transfer history ID [--year YYYY] [--json]

``kpi_desktop.cli`` adds these to its parser and dispatches to :data:`HANDLERS`; refusals leave
as :class:`KpiError` (exit code 3 with the translated reason on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.numbers import format_number
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import level_label

EXIT_OK, EXIT_REFUSED = 0, 3


def add_commands(commands: Any) -> None:
    """Add ``transfer`` and its actions to the command parser."""
    transfer = commands.add_parser(
        "transfer", help=translate("Cli", "transfers between units and agencies, unit mergers"))
    sub = transfer.add_subparsers(dest="transfer_command", metavar="ACTION", required=True)
    by_help = translate("Cli", "who records it (the head of the agency or the administrator)")
    date_help = translate("Cli", "the date it takes effect (YYYY-MM-DD)")

    person = sub.add_parser("person", help=translate("Cli", "move a person to another unit"))
    person.add_argument("person", metavar="ID", help=translate("Cli", "person identifier"))
    person.add_argument("--to", required=True, metavar="UNIT",
                        help=translate("Cli", "the new unit"))
    person.add_argument("--from-date", required=True, metavar="YYYY-MM-DD", help=date_help)
    person.add_argument("--reason", required=True, help=translate("Cli", "why (the decision)"))
    person.add_argument("--decision", default="", metavar="NO",
                        help=translate("Cli", "decision number"))
    person.add_argument("--by", metavar="ID", help=by_help)
    person.add_argument("--confirm-date", action="store_true", help=translate(
        "Cli", "confirm a date more than 15 days from today (the decision's date)"))
    person.add_argument("--successor", metavar="ID", help=translate(
        "Cli", "who evaluates, from the date, the people this person evaluated (default: the "
               "head above)"))

    merge = sub.add_parser("merge", help=translate("Cli", "merge units into one"))
    merge.add_argument("--units", required=True, metavar="A,B",
                       help=translate("Cli", "the units that are merged, separated by commas"))
    merge.add_argument("--into", required=True, metavar="UNIT",
                       help=translate("Cli", "the unit they are merged into (new or existing)"))
    merge.add_argument("--name", help=translate("Cli", "the name of a new unit"))
    merge.add_argument("--from-date", required=True, metavar="YYYY-MM-DD", help=date_help)
    merge.add_argument("--reason", default="", help=translate("Cli", "why (the decision)"))
    merge.add_argument("--decision", default="", metavar="NO",
                       help=translate("Cli", "decision number"))
    merge.add_argument("--by", metavar="ID", help=by_help)

    export = sub.add_parser("export", help=translate(
        "Cli", "write a person's monthly results for another agency"))
    export.add_argument("--person", required=True, metavar="ID",
                        help=translate("Cli", "person identifier"))
    export.add_argument("--to", required=True, metavar="DIR",
                        help=translate("Cli", "folder to write the file into"))
    export.add_argument("--year", type=int, metavar="YYYY",
                        help=translate("Cli", "only this year (default: every locked month)"))

    imp = sub.add_parser("import", help=translate(
        "Cli", "import monthly results sent by another agency"))
    imp.add_argument("file", metavar="FILE", help=translate("Cli", "the transfer file"))
    imp.add_argument("--trust", metavar="FINGERPRINT", help=translate(
        "Cli", "the sending agency's key fingerprint, compared with that agency"))

    history = sub.add_parser("history", help=translate(
        "Cli", "a person's units, evaluators and the origin of each month"))
    history.add_argument("person", metavar="ID", help=translate("Cli", "person identifier"))
    history.add_argument("--year", type=int, metavar="YYYY", help=translate("Cli", "year"))
    history.add_argument("--json", action="store_true",
                         help=translate("Cli", "print the result as JSON"))


def _say(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(f"{text}\n")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RefusedValue("date_malformed", value=value) from None


def _fmt(value: Any) -> str:
    return format_number(value, language=i18n.effective_language())


def _transfer(services: Any, args: argparse.Namespace) -> int:
    action = args.transfer_command
    if action == "person":
        result = services.transfers.transfer(
            args.person, args.to, _date(args.from_date), reason=args.reason,
            decision_no=args.decision, actor_id=args.by, successor_id=args.successor,
            confirm_date=args.confirm_date)
        _say(translate("Cli", "{person} moved from {old} to {new} from {date}; evaluator: "
                              "{evaluator}.").format(
            person=result.person_id, old=result.from_unit_id, new=result.to_unit_id,
            date=result.from_date.isoformat(), evaluator=result.evaluator_id or "–"))
        if result.reassigned:
            _say(translate("Cli", "From {date}, {successor} evaluates the people {person} "
                                  "evaluated: {people}.").format(
                date=result.from_date.isoformat(), successor=result.successor_id or "–",
                person=result.person_id, people=", ".join(result.reassigned)))
        return EXIT_OK
    if action == "merge":
        units = [u.strip() for u in args.units.split(",") if u.strip()]
        merged = services.transfers.merge(
            units, args.into, _date(args.from_date), name=args.name, reason=args.reason,
            decision_no=args.decision, actor_id=args.by)
        _say(translate("Cli", "{units} merged into {into} from {date}: {people} people and "
                              "{subunits} sub-units moved.").format(
            units=", ".join(merged.merged_unit_ids), into=merged.into_unit_id,
            date=merged.from_date.isoformat(), people=len(merged.people),
            subunits=len(merged.sub_units)))
        return EXIT_OK
    if action == "export":
        from kpi_desktop.cli_sync import _unlock
        from kpi_desktop.domain.sync import AGENCY

        _unlock(services, AGENCY)
        written = services.transfer_bundles.export(args.person, Path(args.to), year=args.year)
        _say(translate("Cli", "{n} months of {person} written to {path}.").format(
            n=len(written.months), person=written.person_id, path=written.path))
        _say(translate("Cli", "Signed by the agency key {fingerprint}: tell the receiving "
                              "agency this fingerprint.").format(
            fingerprint=written.fingerprint))
        return EXIT_OK
    if action == "import":
        path = Path(args.file)
        if not args.trust:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise RefusedValue("bundle_unreadable", path=str(path),
                                   detail=str(exc)) from None
            preview = services.transfer_bundles.inspect(data)
            _say(translate("Cli", "Monthly results of {person} ({name}) from {agency}: {months}.")
                 .format(person=preview.person_id, name=preview.person_name,
                         agency=preview.agency_name, months=", ".join(preview.months)))
            _say(translate("Cli", "Signed by the key {fingerprint}. Compare it with the sending "
                                  "agency, then run the command again with --trust "
                                  "FINGERPRINT.").format(fingerprint=preview.fingerprint))
            return EXIT_REFUSED
        result = services.transfer_bundles.import_path(path, trust=args.trust)
        if result.status == "already":
            _say(translate("Cli", "This transfer was imported before; nothing changed."))
        else:
            _say(translate("Cli", "{n} months of {person} from {agency} imported.").format(
                n=len(result.months), person=result.person_id, agency=result.agency_name))
        return EXIT_OK
    history = services.transfers.history(args.person, args.year)
    if args.json:
        _say(json.dumps(_history_json(history), ensure_ascii=False, indent=2))
        return EXIT_OK
    _say(f"{history.person.id} — {history.person.full_name} — {history.unit_name}")
    _say(translate("Cli", "Units:"))
    for m in history.memberships:
        end = m.end_on.isoformat() if m.end_on else "…"
        _say(f"  {m.start_on.isoformat()} → {end}  {m.unit_name}  {m.reason}".rstrip())
    _say(translate("Cli", "Evaluators:"))
    for e in history.evaluators:
        end = e.end_on.isoformat() if e.end_on else "…"
        _say(f"  {e.start_on.isoformat()} → {end}  {e.evaluator_name}")
    _say(translate("Cli", "Months of {year}:").format(year=history.year))
    for o in history.months:
        origin = o.unit_name if o.source == "local" else f"{o.unit_name} ({o.agency_name})"
        _say(f"  {o.period}  {_fmt(o.total):>6}  {level_label(o.level):<28} {origin}"
             f" — {o.evaluator_name}")
    return EXIT_OK


def _history_json(history: Any) -> dict[str, Any]:
    return {
        "person": {"id": history.person.id, "name": history.person.full_name,
                   "unit_id": history.person.unit_id, "unit_name": history.unit_name},
        "memberships": [{"unit_id": m.unit_id, "unit_name": m.unit_name,
                         "start_on": m.start_on.isoformat(),
                         "end_on": m.end_on.isoformat() if m.end_on else None,
                         "reason": m.reason} for m in history.memberships],
        "evaluators": [{"id": e.evaluator_id, "name": e.evaluator_name,
                        "start_on": e.start_on.isoformat(),
                        "end_on": e.end_on.isoformat() if e.end_on else None,
                        "acting": e.acting} for e in history.evaluators],
        "year": history.year,
        "months": [{"period": str(o.period), "total": None if o.total is None
                    else float(round(o.total, 4)),
                    "level": o.level.value if o.level else None, "unit_id": o.unit_id,
                    "unit_name": o.unit_name, "evaluator_id": o.evaluator_id,
                    "evaluator_name": o.evaluator_name, "source": o.source,
                    "agency": o.agency_name} for o in history.months],
    }


HANDLERS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"transfer": _transfer}
