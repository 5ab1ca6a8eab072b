"""Words for codes: turns the core's error codes and enums into translated text.

Core layers raise :class:`~kpi_desktop.domain.errors.KpiError` with a code and data, and return
enums; the CLI and the GUI call these functions to show them in the current language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime.i18n import translate


def _errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "not_found": lambda p: translate("Errors", "No {kind} with the identifier “{id}”.").format(
            kind=kind_label(str(p.get("kind", ""))), id=p.get("id", "")
        ),
        "period_malformed": lambda p: translate(
            "Errors", "“{value}” is not a period: write a month as YYYY-MM (for example 2026-03)."
        ).format(value=p.get("value", "")),
        "year_malformed": lambda p: translate(
            "Errors", "“{value}” is not a year: write four digits, for example 2026."
        ).format(value=p.get("value", "")),
        "date_malformed": lambda p: translate(
            "Errors", "“{value}” is not a date: write it as YYYY-MM-DD (for example 2026-03-15)."
        ).format(value=p.get("value", "")),
        "date_in_future": lambda p: translate(
            "Errors", "The work date {date} is in the future: work can only be logged once done."
        ).format(date=p.get("date", "")),
        "completed_before_start": lambda p: translate(
            "Errors", "The completion date {completed} is before the work date {date}."
        ).format(completed=p.get("completed", ""), date=p.get("date", "")),
        "quantity_not_positive": lambda p: translate(
            "Errors", "The quantity must be greater than zero (got {value})."
        ).format(value=p.get("value", "")),
        "item_not_allowed": lambda p: translate(
            "Errors", "The catalog item {code} is not in the list of job position “{position}”."
        ).format(code=p.get("code", ""), position=p.get("position", "")),
        "entry_not_editable": lambda p: translate(
            "Errors", "This entry is {status} and can no longer be edited."
        ).format(status=p.get("status", "")),
        "period_locked": lambda p: translate(
            "Errors", "The period {period} is locked: ask your evaluator to reopen it."
        ).format(period=p.get("period", "")),
        "general_points_out_of_range": lambda p: translate(
            "Errors", "General criteria points must be between 0 and 30 (got {value})."
        ).format(value=p.get("value", "")),
        "database_exists": lambda p: translate(
            "Errors", "The data folder already holds an organisation ({path}); use another folder."
        ).format(path=p.get("path", "")),
        "catalog_xlsx_invalid": lambda p: translate(
            "Errors", "The catalog file cannot be read: sheet “{sheet}”, row {row}: {reason}."
        ).format(sheet=p.get("sheet", ""), row=p.get("row", ""), reason=p.get("reason", "")),
        "assignment_item_mismatch": lambda p: translate(
            "Errors", "The assignment {assignment} is for another catalog item than {code}."
        ).format(assignment=p.get("assignment", ""), code=p.get("code", "")),
        "revision_reason_missing": lambda p: translate(
            "Errors", "A corrected entry needs a reason for the change."
        ),
        "decimal_malformed": lambda p: translate("Errors", "“{value}” is not a number.").format(
            value=p.get("value", "")
        ),
        "negative_value": lambda p: translate(
            "Errors", "{field} cannot be negative (got {value})."
        ).format(field=p.get("field", ""), value=p.get("value", "")),
        "leader_factor_invalid": lambda p: translate(
            "Errors", "The leader factors d, đ and e can only be 100 % or 50 % (got {value})."
        ).format(value=p.get("value", "")),
        "extra_not_completed": lambda p: translate(
            "Errors", "Ad hoc or taken-over work only counts once it is completed."
        ),
        "duplicate_record": lambda p: translate("Errors", "This record already exists."),
        "reference_unknown": lambda p: translate(
            "Errors", "The record refers to something that does not exist."
        ),
        "database_locked": lambda p: translate(
            "Errors", "The database is busy in another program; try again in a moment."
        ),
        "disk_full": lambda p: translate(
            "Errors", "The disk is full: free some space and try again; nothing was saved."
        ),
        "database_damaged": lambda p: translate(
            "Errors", "The database file is damaged; restore it from a backup."
        ),
        "database_read_only": lambda p: translate(
            "Errors", "The database file cannot be written (read-only)."
        ),
        "schema_too_new": lambda p: translate(
            "Errors", "The data was written by a newer version of KPI Desktop: please update."
        ),
    }


def describe(error: KpiError) -> str:
    """A sentence for ``error`` in the current language."""
    text = _errors().get(error.code)
    if text is not None:
        try:
            return text(error.params)
        except (KeyError, IndexError, ValueError):
            pass
    detail = ", ".join(f"{k}={v}" for k, v in error.params.items())
    return translate("Errors", "The value was refused ({code}).").format(
        code=f"{error.code}: {detail}" if detail else error.code
    )


def kind_label(kind: str) -> str:
    """The name of a kind of record, for messages."""
    return {
        "person": translate("Kinds", "person"),
        "unit": translate("Kinds", "unit"),
        "catalog_item": translate("Kinds", "catalog item"),
        "assignment": translate("Kinds", "assignment"),
        "entry": translate("Kinds", "work-log entry"),
    }.get(kind, kind)


def level_label(level: object | None) -> str:
    """The official name of a classification level (``None`` means not classified)."""
    value = getattr(level, "value", level)
    return {
        "excellent": translate("Level", "Excellent"),
        "good": translate("Level", "Good"),
        "complete": translate("Level", "Satisfactory"),
        "not_complete": translate("Level", "Unsatisfactory"),
        None: translate("Level", "Not classified"),
    }.get(value, str(value))  # type: ignore[arg-type]
