"""Sentences for the refusals of organisation evaluation, KPI kinds and discipline (issue 9
§1, §5); :mod:`kpi_desktop.services.messages` merges them into its table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kpi_desktop.runtime.i18n import translate


def _inner(p: Mapping[str, Any]) -> str:
    from kpi_desktop.services.messages import describe

    error = p.get("error")
    return describe(error) if error is not None else ""


def _range(p: Mapping[str, Any]) -> str:
    if p.get("flag") == "flag":
        return translate("Errors", "{name} must be 0 (no) or 1 (yes), not {value}.").format(
            name=p.get("name", ""), value=p.get("value", ""))
    return translate("Errors", "{name} must be between 0 and {maximum} (got {value}).").format(
        name=p.get("name", ""), maximum=p.get("maximum", ""), value=p.get("value", ""))


def _period(p: Mapping[str, Any], accepts: str) -> str:
    """The one period hint (services.messages), with the kinds these commands take."""
    from kpi_desktop.services.messages import period_malformed_text

    return period_malformed_text({"accepts": accepts, **p})


def org_eval_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Error code → sentence."""
    return {
        "org_period_malformed": lambda p: _period(p, "month_quarter_half_year"),
        "org_indicator_unknown": lambda p: translate(
            "Errors", "“{code}” is not an organisation indicator."
        ).format(code=p.get("code", "")),
        "org_indicator_out_of_range": _range,
        "org_csv_invalid": lambda p: translate(
            "Errors", "The indicator file was not imported (nothing was changed): row {row}: "
            "{reason}"
        ).format(row=p.get("row", ""), reason=_inner(p)),
        "org_csv_header": lambda p: translate(
            "Errors", "the first row must name the columns {columns}."
        ).format(columns=p.get("columns", "")),
        "org_csv_duplicate": lambda p: translate(
            "Errors", "the same unit, period and indicator are already on row {other}."
        ).format(other=p.get("other", "")),
        "org_csv_unreadable": lambda p: translate(
            "Errors", "The file {path} cannot be read as UTF-8 text."
        ).format(path=p.get("path", "")),
        "org_eval_not_allowed": lambda p: translate(
            "Errors", "You may not change the organisation evaluation of unit {unit}."
        ).format(unit=p.get("unit", "")),
        "org_level_above_computed": lambda p: translate(
            "Errors", "The organisation's level cannot be higher than the level its indicators "
            "give."
        ),
        "org_decision_no_missing": lambda p: translate(
            "Errors", "Give the number of the decision."
        ),
        "kpi_kind_unknown": lambda p: translate(
            "Errors", "“{value}” is not a KPI kind: use spearhead, hard or soft."
        ).format(value=p.get("value", "")),
        "report_period_malformed": lambda p: _period(p, "month_quarter_year"),
        "discipline_related_unknown": lambda p: translate(
            "Errors", "The related decision {id} is not a decision about the same person."
        ).format(id=p.get("id", "")),
        "discipline_counted_year_invalid": lambda p: translate(
            "Errors", "The year already rated Unsatisfactory ({year}) must be before the year "
            "of the decision ({decided})."
        ).format(year=p.get("year", ""), decided=p.get("decided", "")),
        "discipline_leaders_only": lambda p: translate(
            "Errors", "A corruption case in a directly managed unit counts only for heads and "
            "deputy heads (Article 20.4d)."
        ),
        "discipline_in_future": lambda p: translate(
            "Errors", "The decision date {date} is in the future."
        ).format(date=p.get("date", "")),
    }
