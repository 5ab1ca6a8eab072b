"""Headless commands of ``kpi-desktop`` (DESIGN.md §8)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from kpi_desktop.domain.errors import KpiError, RefusedValue
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_REFUSED, EXIT_DAMAGED = 0, 1, 2, 3, 4
# Commands that make sense on a PC with no organisation yet (all others say so instead of
# reporting, say, an unknown person).
WITHOUT_ORGANISATION = frozenset({"demo", "keys", "org", "import", "sync", "hub"})

log = logging.getLogger("kpi_desktop.cli")


def _prescan(argv: Sequence[str]) -> argparse.Namespace:
    """The global ``--data-dir`` and ``--lang`` given before the command (a command's own
    ``--lang``, e.g. the language of a PDF, is not the language of the messages)."""
    head: list[str] = []
    tokens = list(argv)
    while tokens:
        token = tokens.pop(0)
        if not token.startswith("-"):
            break
        head.append(token)
        if token in ("--data-dir", "--lang") and tokens:
            head.append(tokens.pop(0))
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--lang")
    known, _ = pre.parse_known_args(head)
    return known


def _argparse_words() -> dict[str, str]:
    """argparse's own words (it marks them for gettext) in the message language."""
    return {
        "usage: ": translate("Argparse", "usage: "),
        "positional arguments": translate("Argparse", "positional arguments"),
        "options": translate("Argparse", "options"),
        "show this help message and exit": translate(
            "Argparse", "show this help message and exit"),
        "%(prog)s: error: %(message)s\n": translate("Argparse", "%(prog)s: error: %(message)s\n"),
        "argument %(argument_name)s: %(message)s": translate(
            "Argparse", "argument %(argument_name)s: %(message)s"),
        "the following arguments are required: %s": translate(
            "Argparse", "the following arguments are required: %s"),
        "unrecognized arguments: %s": translate("Argparse", "unrecognized arguments: %s"),
        "invalid choice: %(value)r (choose from %(choices)s)": translate(
            "Argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
        "invalid %(type)s value: %(value)r": translate(
            "Argparse", "invalid %(type)s value: %(value)r"),
        "expected one argument": translate("Argparse", "expected one argument"),
        "expected at most one argument": translate("Argparse", "expected at most one argument"),
        "expected at least one argument": translate("Argparse", "expected at least one argument"),
        "expected %s argument": translate("Argparse", "expected %s argument"),
        "expected %s arguments": translate("Argparse", "expected %s arguments"),
        "ambiguous option: %(option)s could match %(matches)s": translate(
            "Argparse", "ambiguous option: %(option)s could match %(matches)s"),
        "not allowed with argument %s": translate("Argparse", "not allowed with argument %s"),
        "ignored explicit argument %r": translate("Argparse", "ignored explicit argument %r"),
        "one of the arguments %s is required": translate(
            "Argparse", "one of the arguments %s is required"),
        "unexpected option string: %s": translate("Argparse", "unexpected option string: %s"),
        "unknown parser %(parser_name)r (choices: %(choices)s)": translate(
            "Argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    }


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """Let argparse write its usage, help headings and errors in the message language.

    argparse looks its words up through the module's ``_`` and ``ngettext`` (gettext); while
    the parser is built and used they answer from :func:`_argparse_words`."""
    words = _argparse_words()
    saved: tuple[Callable[..., str], Callable[..., str]] = (argparse._, argparse.ngettext)

    def single(text: str) -> str:
        return words.get(text, text)

    def plural(one: str, many: str, n: int) -> str:
        return single(one if n == 1 else many)

    argparse._, argparse.ngettext = single, plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


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
        "--confirm-quantity",
        action="store_true",
        help=translate(
            "Cli", "the quantity is right although it is more than the item's time norm fits "
            "in a day"),
    )
    add.add_argument(
        "--assignment",
        metavar="ID",
        help=translate("Cli", "assignment it fulfils (default: the open assignment of the "
                              "same item, if there is one)"),
    )
    outside = add.add_mutually_exclusive_group()
    outside.add_argument("--ad-hoc", dest="extra_kind", action="store_const", const="ad_hoc",
                         help=translate("Cli", "ad hoc work outside the plan, even when an "
                                               "assignment of the item is open"))
    outside.add_argument("--taken-over", dest="extra_kind", action="store_const",
                         const="taken_over",
                         help=translate("Cli", "work taken over from a colleague, outside the "
                                               "plan"))
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

    score = commands.add_parser(
        "score", help=translate("Cli", "a person's score for a month, quarter or half year"))
    score.add_argument(
        "--person", required=True, metavar="ID", help=translate("Cli", "person identifier")
    )
    score.add_argument("--period", required=True, metavar="YYYY-MM|YYYY-Qn|YYYY-Hn",
                       help=translate("Cli", "month, quarter or half year (2026-H1)"))
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

    backup = commands.add_parser("backup", help=translate("Cli", "back up or restore the database"))
    backup.add_argument("--list", action="store_true", help=translate("Cli", "list the backups"))
    backup.add_argument(
        "--restore", metavar="FILE", help=translate("Cli", "replace the database with this backup")
    )
    backup.add_argument(
        "--yes", action="store_true",
        help=translate("Cli", "restore without asking (the warning is still printed)"),
    )

    check = commands.add_parser(
        "check", help=translate("Cli", "check the database, its signatures, results and "
                                       "attachments (exit code 4 when something is wrong)"))
    check.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )

    people = commands.add_parser("people", help=translate("Cli", "list the people and units"))
    people.add_argument(
        "--json", action="store_true", help=translate("Cli", "print the result as JSON")
    )
    _add_report_commands(commands)
    from kpi_desktop.cli_sync import add_commands as add_sync_commands

    add_sync_commands(commands)  # keys, org, import, sync, hub (issue 5)
    from kpi_desktop.cli_review import add_commands as add_review_commands

    add_review_commands(commands)  # review (issue 4)
    from kpi_desktop.cli_org_eval import add_commands as add_org_eval_commands

    add_org_eval_commands(commands)  # org-eval (issue 9 §1)
    from kpi_desktop.cli_transfers import add_commands as add_transfer_commands

    add_transfer_commands(commands)  # transfer (issue 9 §4)
    from kpi_desktop.cli_appeals import add_commands as add_appeal_commands

    add_appeal_commands(commands)  # appeal, calendar (issue 9 §2, §3)
    from kpi_desktop.cli_scoring import add_commands as add_scoring_commands

    add_scoring_commands(commands)  # discipline, leave (issue 15)
    return parser


def _add_report_commands(commands: Any) -> None:
    """``report form01|form02|unit``, ``export`` and ``verify`` (issue 6)."""
    report = commands.add_parser(
        "report", help=translate("Cli", "print a form or a summary to PDF or Word")
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    lang_help = translate("Cli", "language of the form: vi or en (default: the message "
                                 "language)")
    out_help = translate("Cli", "the file to write: a PDF, or an editable Word document when "
                                "the name ends in .docx")
    form01 = kinds.add_parser("form01", help=translate("Cli", "Form 01 of a month or quarter"))
    form01.add_argument("--person", required=True, metavar="ID",
                        help=translate("Cli", "person identifier"))
    form01.add_argument("--period", required=True, metavar="YYYY-MM|YYYY-Qn",
                        help=translate("Cli", "month or quarter"))
    form02 = kinds.add_parser("form02", help=translate("Cli", "Form 02 of a year"))
    form02.add_argument("--person", required=True, metavar="ID",
                        help=translate("Cli", "person identifier"))
    form02.add_argument("--year", required=True, metavar="YYYY", help=translate("Cli", "year"))
    unit = kinds.add_parser("unit", help=translate("Cli", "summary of a unit"))
    unit.add_argument("--unit", required=True, metavar="ID",
                      help=translate("Cli", "unit identifier"))
    unit.add_argument("--period", required=True, metavar="YYYY-MM|YYYY-Qn|YYYY-Hn|YYYY",
                      help=translate("Cli", "month, quarter, half year or year"))
    from kpi_desktop.cli_org_eval import add_report_kinds

    add_report_kinds(kinds)  # report kinds (issue 9 §5)
    for sub in (form01, form02, unit):
        sub.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", help=out_help)
        sub.add_argument("--lang", dest="pdf_lang", choices=["vi", "en"], help=lang_help)

    export = commands.add_parser(
        "export", help=translate("Cli", "export scores, work logs and results of a period")
    )
    export.add_argument("--to", required=True, metavar="DIR",
                        help=translate("Cli", "folder to write the files to"))
    export.add_argument("--period", required=True, metavar="YYYY-MM|YYYY-Qn|YYYY-Hn|YYYY",
                        help=translate("Cli", "month, quarter, half year or year"))
    export.add_argument("--format", dest="formats", action="append",
                        choices=["csv", "xlsx", "json"],
                        help=translate("Cli", "csv, xlsx or json (repeatable; default: all)"))

    verify = commands.add_parser(
        "verify", help=translate("Cli", "check a printed form's verification code or an "
                                        "electronic dossier")
    )
    verify.add_argument(
        "code", metavar="CODE|FILE.zip",
        help=translate("Cli", "the code printed on the form, or a dossier archive (.zip)")
    )

    dossier = commands.add_parser("dossier", help=translate(
        "Cli", "the electronic evaluation dossier of a person's year, or of everyone in a unit "
        "(Article 24)"))
    who = dossier.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", metavar="ID", help=translate("Cli", "person identifier"))
    who.add_argument("--unit", metavar="ID", help=translate(
        "Cli", "unit identifier: one archive per person of the unit and its sub-units"))
    dossier.add_argument("--year", required=True, metavar="YYYY", help=translate("Cli", "year"))
    dossier.add_argument("--out", metavar="FILE.zip|DIR", required=True, help=translate(
        "Cli", "the archive to write (--person) or the folder for the archives (--unit)"))
    dossier.add_argument("--lang", dest="pdf_lang", choices=["vi", "en"], help=translate(
        "Cli", "language of the forms: vi or en (default: the message language)"))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv`` after choosing the message language (exits 2 on a bad command line)."""
    pre = _prescan(argv)
    settings = Settings.load(app_paths(pre.data_dir).settings_file)
    i18n.set_language(pre.lang or settings.language)
    with argparse_in_language():
        parser = build_parser()
        args = parser.parse_args(argv)
    args.option_names = _option_names(parser)
    return args


def _option_names(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each argument's destination → how it is written ("as_id" → "--as")."""
    names: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                for dest, written in _option_names(sub).items():
                    names.setdefault(dest, written)
        elif action.dest not in names:
            names[action.dest] = action.option_strings[0] if action.option_strings else \
                (action.metavar if isinstance(action.metavar, str) else action.dest)
    return names


def check_arguments(args: argparse.Namespace) -> None:
    """No control character in any value given on the command line (issue 14).

    Raises:
        RefusedValue: ``text_control_character`` naming the option.
    """
    from kpi_desktop.domain.inputs import check_text

    names = getattr(args, "option_names", {})
    for dest, value in vars(args).items():
        if dest == "option_names":
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, str):
                check_text(item, names.get(dest, dest), multiline=True, max_length=100_000)


def run(args: argparse.Namespace) -> int:
    """Run one parsed command and return its exit code."""
    from kpi_desktop.runtime.logging_setup import setup_logging

    paths = app_paths(args.data_dir).ensure_quietly()
    setup_logging(paths.log_dir)  # never fails: a folder that cannot be written → stderr
    try:
        check_arguments(args)
        if args.command == "check":
            return _check(paths, args)
        if args.command == "backup":
            return _backup(paths, args)
        from kpi_desktop.services.context import AppServices

        services = AppServices.open(paths, create_demo_if_empty=False)
        try:
            warn(services.warnings)
            if args.command not in WITHOUT_ORGANISATION and services.organisation.is_empty():
                raise RefusedValue("organisation_missing")
            handler = {
                "demo": _demo,
                "log": _log_add,
                "score": _score,
                "classify": _classify,
                "people": _people,
                "report": _report,
                "export": _export,
                "verify": _verify,
                "dossier": _dossier,
                **_sync_handlers(),
                **_review_handlers(),
                **_org_eval_handlers(),
                **_transfer_handlers(),
                **_appeal_handlers(),
                **_scoring_handlers(),
            }[args.command]
            return handler(services, args)
        finally:
            services.close()
    except BrokenPipeError:
        return reader_gone()
    except KpiError as error:
        return refused(error)
    except Exception:  # a bug: say so plainly, keep the details in the log
        log.exception("unexpected error in %s", args.command)
        import traceback

        traceback.print_exc()
        print(
            translate("Cli", "An unexpected error occurred; the details are above."),
            file=sys.stderr,
        )
        return EXIT_BUG


def _scoring_handlers() -> dict[str, Any]:
    from kpi_desktop.cli_scoring import HANDLERS

    return HANDLERS


def refused(error: KpiError) -> int:
    """Print why ``error`` stopped the command; damage of the database is exit code 4, any
    other refusal 3."""
    from kpi_desktop.services.messages import describe

    if error.code == "database_damaged":
        print(describe(error), file=sys.stderr)
        return EXIT_DAMAGED
    print(translate("Cli", "Refused: {reason}").format(reason=describe(error)), file=sys.stderr)
    return EXIT_REFUSED


def warn(warnings: Sequence[KpiError]) -> None:
    """Print what the start-up could not do but did not stop the work (on stderr)."""
    from kpi_desktop.services.messages import describe

    for warning in warnings:
        print(translate("Cli", "Warning: {reason}").format(reason=describe(warning)),
              file=sys.stderr)


def reader_gone() -> int:
    """The program reading our output stopped (``kpi-desktop keys list | head -1``): end
    quietly. Whatever is still buffered goes nowhere, so the interpreter's last flush cannot
    fail either."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


def _appeal_handlers() -> dict[str, Any]:
    from kpi_desktop.cli_appeals import HANDLERS

    return HANDLERS


def _transfer_handlers() -> dict[str, Any]:
    from kpi_desktop.cli_transfers import HANDLERS

    return HANDLERS


def _org_eval_handlers() -> dict[str, Any]:
    from kpi_desktop.cli_org_eval import HANDLERS

    return HANDLERS


def _review_handlers() -> dict[str, Any]:
    from kpi_desktop.cli_review import HANDLERS

    return HANDLERS


def _sync_handlers() -> dict[str, Any]:
    from kpi_desktop.cli_sync import HANDLERS

    return HANDLERS


# -- argument values -----------------------------------------------------------------------------


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RefusedValue("date_malformed", value=value) from None


def parse_quantity(value: str) -> Decimal:
    """A quantity typed on the command line, within the hard bounds of
    :func:`kpi_desktop.domain.inputs.check_quantity`."""
    from kpi_desktop.domain.inputs import parse_quantity as parse

    return parse(value)


def _emit(data: Any, as_json: bool, text: str) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


# -- commands ------------------------------------------------------------------------------------


def _demo(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kpi_desktop.services import messages

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
            first=messages.period_text(summary.first_period),
            last=messages.period_text(summary.last_period),
        )
    )
    return EXIT_OK


def _log_add(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kpi_desktop.domain.model import ExtraKind

    saved = services.worklog.record(
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
        extra_kind=ExtraKind(args.extra_kind) if args.extra_kind else None,
        confirm_quantity=args.confirm_quantity,
    )
    entry = saved.entry
    data = services.worklog.entry_as_dict(entry)
    link = saved.link
    data["assignment"] = None if link is None else {
        "id": link.assignment_id, "item": link.item_code, "done": str(link.done),
        "quantity": str(link.quantity), "deadline": link.deadline.isoformat()}
    from kpi_desktop.services.messages import entry_status_label

    _emit(
        data,
        args.json,
        translate("Cli", "Entry {id} saved ({status}).").format(
            id=entry.id, status=entry_status_label(entry.status)
        ) + "\n" + saved.text(),
    )
    return EXIT_OK


def _score(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kpi_desktop.domain.model import Period, PeriodKind

    period = Period.parse(args.period)
    if period.kind in (PeriodKind.QUARTER, PeriodKind.HALF):  # the mean of its months
        rollup = services.scores.rollup(args.person, period)
        month = services.scores.person_period(args.person, period.months()[0])
        person = {"id": month.person.id, "name": month.person_name,
                  "position": month.position_name}
        _emit(services.scores.rollup_as_dict(rollup, person), args.json,
              services.scores.rollup_as_text(rollup, month.person_name))
        return EXIT_OK
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
    """Who is who: id (for the other commands), name, role, position, unit and evaluator."""
    from kpi_desktop.services.messages import role_label

    rows = services.organisation.people_overview()
    header = [translate("Cli", "ID"), translate("Cli", "Name"), translate("Cli", "Role"),
              translate("Cli", "Position"), translate("Cli", "Unit"),
              translate("Cli", "Evaluator")]
    table = [header] + [[r["id"], r["full_name"], role_label(r["role"]), r["position_name"],
                         r["unit_name"], r["evaluator_name"] or "–"] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    lines = ["  ".join([*(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])), row[-1]])
             for row in table]
    _emit(rows, args.json, "\n".join(lines))
    return EXIT_OK


def _backup(paths, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kpi_desktop.services.backups import BackupService
    from kpi_desktop.services.data_folder import prepare_data_folder

    prepare_data_folder(paths)
    service = BackupService(paths.database, paths.backup_dir)
    if args.list:
        return _backup_list(service)
    if args.restore:
        return _backup_restore(service, args)
    path = service.make("manual")
    print(translate("Cli", "Backup written: {path}").format(path=path))
    return EXIT_OK


def _backup_list(service) -> int:  # noqa: ANN001
    from kpi_desktop.services.integrity_messages import file_size, reason_label

    verdicts = {"passed": translate("Cli", "checked"), "failed": translate("Cli", "damaged"),
                "unchecked": translate("Cli", "not checked yet")}
    listing = service.list_backups()
    if not listing:
        print(translate("Cli", "There are no backups yet."))
        return EXIT_OK
    for info in listing:
        local = info.made_at.astimezone()
        print(f"{local:%Y-%m-%d %H:%M:%S}  {reason_label(info.reason, info.revision):<34} "
              f"{file_size(info.size):>9}  {verdicts.get(info.verdict, info.verdict):<16} "
              f"{info.path}")
    return EXIT_OK


def _backup_restore(service, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path


    chosen = Path(args.restore)
    if not chosen.exists() and (service.backup_dir / chosen.name).exists():
        chosen = service.backup_dir / chosen.name
    if not chosen.is_file():
        raise RefusedValue("backup_not_found", path=str(chosen))
    people = [p for p in service.restore_impact(chosen) if p[0] != "agency"]
    made = _made(chosen, service)
    if people:  # say by name whose work the restore replaces, and ask at a terminal
        names = ", ".join(f"{name} ({pid})" for pid, name in people)
        print(translate("Cli", "Warning: restoring replaces the data on this computer with the "
                               "backup of {made}; what these people recorded since is replaced: "
                               "{names}.").format(made=made, names=names), file=sys.stderr)
        if not args.yes and sys.stdin.isatty():
            answer = input(translate("Cli", "Restore anyway? Type “yes” to continue: "))
            if answer.strip().lower() not in ("yes", "y", translate("Cli", "yes")):
                raise RefusedValue("restore_not_confirmed")
    else:
        print(translate("Cli", "Warning: restoring replaces the data on this computer with the "
                               "backup of {made}; nothing was recorded here since.").format(
            made=made), file=sys.stderr)
    kept = service.restore(chosen)
    print(translate("Cli", "Database restored; the previous file was kept as {path}.").format(
        path=kept))
    return EXIT_OK


def _made(path, service) -> str:  # noqa: ANN001
    for info in service.list_backups(include_empty=True):
        if info.path == path:
            return f"{info.made_at.astimezone():%Y-%m-%d %H:%M}"
    return path.name


def _check(paths, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kpi_desktop.services.data_folder import prepare_data_folder
    from kpi_desktop.services.integrity import IntegrityService
    from kpi_desktop.services.integrity_messages import describe_finding
    from kpi_desktop.storage.health import people_names

    prepare_data_folder(paths)
    if not paths.database.exists():
        problem = translate("Cli", "There is no database at {path}.").format(
            path=str(paths.database))
        if args.json:
            print(json.dumps({"ok": False, "problems": [problem]}, ensure_ascii=False))
        else:
            print(problem, file=sys.stderr)
        return EXIT_DAMAGED
    report = IntegrityService.for_paths(paths).full_check()
    names = people_names(paths.database) if report.findings else {}
    problems = [describe_finding(f, names) for f in report.findings]
    good = report.good_backup
    if args.json:
        print(json.dumps({"ok": report.ok, "damaged": report.damaged, "problems": problems,
                          "findings": [f.as_dict() for f in report.findings],
                          "good_backup": good, "notes": report.notes,
                          "seconds": round(report.seconds, 3)},
                         ensure_ascii=False, indent=2))
    elif problems:
        print(translate("Cli", "The database has problems:"), file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        if good:
            print(translate("Cli", "The newest backup that passed its check: {path}").format(
                path=good), file=sys.stderr)
        else:
            print(translate("Cli", "No backup passed its check."), file=sys.stderr)
    else:
        print(translate("Cli", "The database is intact."))
    if "schema_not_current" in report.notes and not args.json:
        print(translate("Cli", "The signatures and results were not checked: the database is "
                               "from an earlier version; start KPI Desktop once to upgrade it."),
              file=sys.stderr)
    return EXIT_DAMAGED if problems else EXIT_OK


def _report(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    if args.report_kind == "kinds":
        from kpi_desktop.cli_org_eval import report_kinds

        return report_kinds(services, args)
    language = args.pdf_lang or i18n.current_language()
    if args.report_kind == "form01":
        result = services.reports.form01(args.person, args.period, args.out, language)
    elif args.report_kind == "form02":
        result = services.reports.form02(args.person, args.year, args.out, language)
    else:
        result = services.reports.unit_summary(args.unit, args.period, args.out, language)
    from kpi_desktop.services.messages import pages_text

    if result.pages:
        print(translate("Cli", "Written {path} ({pages}), verification code {code}.").format(
            path=result.path, pages=pages_text(result.pages), code=result.code))
    else:  # a Word file: Word counts its pages
        print(translate("Cli", "Written {path}, verification code {code}.").format(
            path=result.path, code=result.code))
    return EXIT_OK


def _export(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    files = services.reports.export(args.to, args.period, args.formats or ("csv", "xlsx", "json"))
    for path in files:
        print(translate("Cli", "Written {path}").format(path=path))
    return EXIT_OK


def _dossier(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    language = args.pdf_lang or i18n.current_language()
    if args.person:
        result = services.dossier.person(args.person, args.year, args.out, language)
        print(translate("Cli", "Dossier written: {path} ({files} files, {records} records).")
              .format(path=result.path, files=result.files, records=result.records))
        return EXIT_OK

    def progress(done: int, total: int) -> None:
        print(translate("Cli", "{done}/{total} people").format(done=done, total=total),
              file=sys.stderr, flush=True)

    results = services.dossier.unit(args.unit, args.year, args.out, language,
                                    progress=progress)
    print(translate("Cli", "{n} dossiers written to {folder}.").format(
        n=len(results), folder=args.out))
    return EXIT_OK


def _verify(services, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    if args.code.lower().endswith(".zip") or Path(args.code).is_file():
        check = services.dossier.verify(args.code)
        lines = check.describe()
        print("\n".join(lines), file=sys.stdout if check.ok else sys.stderr)
        if check.ok:
            return EXIT_OK
        return EXIT_DAMAGED if not check.intact else EXIT_REFUSED
    result = services.reports.verify(args.code)
    if result.ok:
        print(result.describe())
        return EXIT_OK
    print(translate("Cli", "Refused: {reason}").format(reason=result.describe()), file=sys.stderr)
    return EXIT_REFUSED
