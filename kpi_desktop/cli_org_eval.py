"""Headless commands of organisation evaluation and KPI kinds (issue 9 §1, §5).

    org-eval indicators import FILE --by ID        import indicator values from CSV (all or none)
    org-eval indicators set --by ID --unit U --period P --code C --value V
    org-eval show   --unit U --year YYYY [--json]  indicators, computed level and why, decision
    org-eval decide --by ID --unit U --year YYYY --level L --decision-no N [--date YYYY-MM-DD]
                    [--note TEXT]
    report kinds    --unit U --period P [--json] [--csv FILE]   assigned/completed by KPI kind

``kpi_desktop.cli`` adds these to its parser and dispatches to :data:`HANDLERS`; refusals
leave as :class:`KpiError` (exit code 3 with the translated reason on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.runtime.i18n import translate

EXIT_OK = 0


def add_commands(commands: Any) -> None:
    """Add ``org-eval`` and its actions to the command parser."""
    org = commands.add_parser("org-eval", help=translate(
        "Cli", "organisation evaluation: indicators, level, decision (Article 8)"))
    sub = org.add_subparsers(dest="org_eval_command", metavar="ACTION", required=True)
    by_help = translate("Cli", "the person identifier of who does it")
    unit_help = translate("Cli", "unit identifier")
    json_help = translate("Cli", "print the result as JSON")

    indicators = sub.add_parser("indicators", help=translate("Cli", "organisation indicators"))
    ind_sub = indicators.add_subparsers(dest="indicators_command", metavar="ACTION",
                                        required=True)
    imp = ind_sub.add_parser("import", help=translate(
        "Cli", "import indicator values from a CSV file (unit,period,code,value)"))
    imp.add_argument("file", metavar="FILE", help=translate("Cli", "the CSV file"))
    imp.add_argument("--by", required=True, metavar="ID", help=by_help)
    one = ind_sub.add_parser("set", help=translate("Cli", "enter one indicator value"))
    one.add_argument("--by", required=True, metavar="ID", help=by_help)
    one.add_argument("--unit", required=True, metavar="ID", help=unit_help)
    one.add_argument("--period", required=True, metavar="YYYY|YYYY-Qn|YYYY-MM",
                     help=translate("Cli", "year, quarter or month"))
    one.add_argument("--code", required=True, metavar="CODE",
                     help=translate("Cli", "indicator code"))
    one.add_argument("--value", required=True, metavar="NUMBER",
                     help=translate("Cli", "the value"))

    show = sub.add_parser("show", help=translate(
        "Cli", "a unit's indicators, computed level and recorded decision"))
    show.add_argument("--unit", required=True, metavar="ID", help=unit_help)
    show.add_argument("--year", required=True, metavar="YYYY", help=translate("Cli", "year"))
    show.add_argument("--json", action="store_true", help=json_help)

    decide = sub.add_parser("decide", help=translate(
        "Cli", "record the decision on a unit's level for a year"))
    decide.add_argument("--by", required=True, metavar="ID", help=by_help)
    decide.add_argument("--unit", required=True, metavar="ID", help=unit_help)
    decide.add_argument("--year", required=True, metavar="YYYY", help=translate("Cli", "year"))
    decide.add_argument("--level", required=True, metavar="LEVEL", help=translate(
        "Cli", "excellent, good, complete or not_complete"))
    decide.add_argument("--decision-no", required=True, metavar="TEXT",
                        help=translate("Cli", "decision number"))
    decide.add_argument("--date", metavar="YYYY-MM-DD",
                        help=translate("Cli", "decision date (default: today)"))
    decide.add_argument("--note", default="", help=translate(
        "Cli", "note (needed when the level differs from the computed one)"))


def add_report_kinds(kinds: Any) -> None:
    """Add ``report kinds`` to the ``report`` sub-commands."""
    parser = kinds.add_parser("kinds", help=translate(
        "Cli", "assigned and completed work by KPI kind (spearhead, hard, soft)"))
    parser.add_argument("--unit", required=True, metavar="ID",
                        help=translate("Cli", "unit identifier"))
    parser.add_argument("--period", required=True, metavar="YYYY-MM|YYYY-Qn|YYYY",
                        help=translate("Cli", "month, quarter or year"))
    parser.add_argument("--json", action="store_true",
                        help=translate("Cli", "print the result as JSON"))
    parser.add_argument("--csv", metavar="FILE.csv",
                        help=translate("Cli", "also write the report as CSV"))


def _say(text: str) -> None:
    sys.stdout.write(f"{text}\n")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RefusedValue("date_malformed", value=value) from None


def _org_eval(services: Any, args: argparse.Namespace) -> int:
    from kpi_desktop.services.messages import level_label
    from kpi_desktop.services.org_evaluation import (
        indicator_label,
        org_year_as_dict,
        org_year_as_text,
    )

    service = services.org_evaluation
    action = args.org_eval_command
    if action == "indicators":
        if args.indicators_command == "import":
            count = service.import_csv(args.by, args.file)
            _say(translate("Cli", "{n} indicator values imported.").format(n=count))
            return EXIT_OK
        stored = service.set_indicator(args.by, args.unit, args.period, args.code, args.value)
        _say(translate("Cli", "{name} of {unit} for {period}: {value}").format(
            name=indicator_label(stored.code), unit=stored.unit_id, period=str(stored.period),
            value=str(stored.value)))
        return EXIT_OK
    if action == "show":
        info = service.year(None, args.unit, args.year)
        if args.json:
            _say(json.dumps(org_year_as_dict(info), ensure_ascii=False, indent=2))
        else:
            _say(org_year_as_text(info))
        return EXIT_OK
    decided = service.decide(args.by, args.unit, args.year, args.level,
                             decision_no=args.decision_no,
                             decision_date=_date(args.date) or service.today(), note=args.note)
    _say(translate("Cli", "Level of {unit} for {year} recorded: {level} (decision {no}).").format(
        unit=decided.unit_id, year=decided.year, level=level_label(decided.level),
        no=decided.decision_no))
    return EXIT_OK


def report_kinds(services: Any, args: argparse.Namespace) -> int:
    """``report kinds``: print (and optionally write as CSV) the report by KPI kind."""
    service = services.kpi_kinds
    report = service.report(args.unit, args.period)
    if args.json:
        _say(json.dumps(service.as_dict(report), ensure_ascii=False, indent=2))
    else:
        _say(service.as_text(report))
    if args.csv:
        path = service.write_csv(report, args.csv)
        sys.stderr.write(translate("Cli", "Written {path}").format(path=path) + "\n")
    return EXIT_OK


HANDLERS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"org-eval": _org_eval}
