"""Headless commands of ``kpi-desktop`` (DESIGN.md §8)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from kpi_desktop.domain.errors import KpiError, RefusedValue
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_REFUSED, EXIT_DAMAGED = 0, 1, 2, 3, 4

log = logging.getLogger("kpi_desktop.cli")


def _prescan(argv: Sequence[str]) -> argparse.Namespace:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--lang")
    known, _ = pre.parse_known_args(argv)
    return known


def build_parser() -> argparse.ArgumentParser:
    """The command line, with help text in the current language."""
    parser = argparse.ArgumentParser(
        prog="kpi-desktop",
        description=translate(
            "Cli",
            "KPI Desktop: daily work log and Decree 335 evaluation. "
            "Without a command the desktop application starts.",
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=translate(
            "Cli", "folder for the database, backups and logs (default: the user data folder)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=sorted(i18n.LANGUAGES),
        help=translate("Cli", "language of messages: vi or en"),
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help=translate("Cli", "start the application, show the main window and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help=translate("Cli", "create the demo organisation"))
    demo.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help=translate("Cli", "the date the demo treats as today (default: today)"),
    )
    demo.add_argument("--seed", type=int, default=335, help=translate("Cli", "random seed"))

    log_cmd = commands.add_parser("log", help=translate("Cli", "work-log entries"))
    log_sub = log_cmd.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    add = log_sub.add_parser("add", help=translate("Cli", "add a work-log entry"))
    add.add_argument(
        "--person", required=True, metavar="ID", help=translate("Cli", "person identifier")
    )
    add.add_argument(
        "--date", required=True, metavar="YYYY-MM-DD", help=translate("Cli", "work date")
    )
    add.add_argument(
        "--item", required=True, metavar="CODE", help=translate("Cli", "catalog item code")
    )
    add.add_argument("--quantity", required=True, help=translate("Cli", "number of products"))
    add.add_argument(
        "--assignment",
        metavar="ID",
        help=translate("Cli", "assignment it fulfils (default: ad hoc work)"),
    )
    add.add_argument("--doc-number", default="", help=translate("Cli", "output document number"))
    add.add_argument(
        "--description", default="", help=translate("Cli", "output product description")
    )
    add.add_argument("--deadline", metavar="YYYY-MM-DD", help=translate("Cli", "deadline"))
    add.add_argument("--completed", metavar="YYYY-MM-DD", help=translate("Cli", "completion date"))
    add.add_argument(
        "--submit",
        action="store_true",
        help=translate("Cli", "submit the entry to the leader at once"),
    )
    add.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )

    score = commands.add_parser("score", help=translate("Cli", "a person's score for a month"))
    score.add_argument(
        "--person", required=True, metavar="ID", help=translate("Cli", "person identifier")
    )
    score.add_argument("--period", required=True, metavar="YYYY-MM", help=translate("Cli", "month"))
    score.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )

    classify = commands.add_parser(
        "classify", help=translate("Cli", "year-end classification of a unit")
    )
    classify.add_argument(
        "--unit", required=True, metavar="ID", help=translate("Cli", "unit identifier")
    )
    classify.add_argument("--year", required=True, metavar="YYYY", help=translate("Cli", "year"))
    classify.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )

    check = commands.add_parser("check", help=translate("Cli", "check the database for damage"))
    check.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )

    people = commands.add_parser("people", help=translate("Cli", "list the people and units"))
    people.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv`` after choosing the message language (exits 2 on a bad command line)."""
    pre = _prescan(argv)
    settings = Settings.load(app_paths(pre.data_dir).settings_file)
    i18n.set_language(pre.lang or settings.language)
    return build_parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """Run one parsed command and return its exit code."""
    from kpi_desktop.runtime.logging_setup import setup_logging
    from kpi_desktop.services.context import AppServices

    paths = app_paths(args.data_dir).ensure()
    setup_logging(paths.log_dir)
    try:
        if args.command == "check":
            return _check(paths, args)
        services = AppServices.open(paths, create_demo_if_empty=False)
        try:
            handler = {
                "demo": _demo,
                "log": _log_add,
                "score": _score,
                "classify": _classify,
                "people": _people,
            }[args.command]
            return handler(services, args)
        finally:
            services.close()
    except KpiError as error:
        from kpi_desktop.services.messages import describe

        print(translate("Cli", "Refused: {reason}").format(reason=describe(error)), file=sys.stderr)
        return EXIT_REFUSED
    except Exception:  # a bug: say so plainly, keep the details in the log
        log.exception("unexpected error in %s", args.command)
        import traceback

        traceback.print_exc()
        print(
            translate("Cli", "An unexpected error occurred; the details are above."),
            file=sys.stderr,
        )
        return EXIT_BUG


# -- argument values -----------------------------------------------------------------------------


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RefusedValue("date_malformed", value=value) from None


def parse_quantity(value: str) -> Decimal:
    try:
        quantity = Decimal(value)
    except InvalidOperation:
        raise RefusedValue("quantity_not_positive", value=value) from None
    if not quantity.is_finite() or quantity <= 0:
        raise RefusedValue("quantity_not_positive", value=value)
    return quantity


def _emit(data: Any, as_json: bool, text: str) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


# -- commands ------------------------------------------------------------------------------------


def _demo(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    today = parse_date(args.today) or dt.date.today()
    summary = services.demo.create(today=today, seed=args.seed)
    print(
        translate(
            "Cli",
            "Demo organisation “{name}” created: {people} people, {entries} "
            "work-log entries, months {first} to {last}.",
        ).format(
            name=summary.organisation,
            people=summary.people,
            entries=summary.entries,
            first=summary.first_period,
            last=summary.last_period,
        )
    )
    return EXIT_OK


def _log_add(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    entry = services.worklog.add_entry(
        person_id=args.person,
        work_date=parse_date(args.date),
        item_code=args.item,
        quantity=parse_quantity(args.quantity),
        assignment_id=args.assignment,
        output_doc_number=args.doc_number,
        output_description=args.description,
        deadline=parse_date(args.deadline),
        completed_on=parse_date(args.completed),
        submit=args.submit,
    )
    _emit(
        services.worklog.entry_as_dict(entry),
        args.json,
        translate("Cli", "Entry {id} saved ({status}).").format(
            id=entry.id, status=services.worklog.status_label(entry.status)
        ),
    )
    return EXIT_OK


def _score(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    result = services.scores.person_period(args.person, args.period)
    data = services.scores.as_dict(result)
    _emit(data, args.json, services.scores.as_text(result))
    return EXIT_OK


def _classify(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    result = services.scores.classify_unit(args.unit, args.year)
    _emit(
        services.scores.classification_as_dict(result),
        args.json,
        services.scores.classification_as_text(result),
    )
    return EXIT_OK


def _people(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    rows = services.organisation.people_overview()
    _emit(
        rows,
        args.json,
        "\n".join(f"{r['id']:<8} {r['role']:<8} {r['unit_id']:<8} {r['full_name']}" for r in rows),
    )
    return EXIT_OK


def _check(paths, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kpi_desktop.services.maintenance import check_database

    problems = check_database(paths.database)
    if args.json:
        print(json.dumps({"ok": not problems, "problems": problems}, ensure_ascii=False))
    elif problems:
        print(translate("Cli", "The database has problems:"), file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
    else:
        print(translate("Cli", "The database is intact."))
    return EXIT_DAMAGED if problems else EXIT_OK
