"""Words for the refusals of the agency's editing (:mod:`kpi_desktop.services.agency_admin`);
:func:`kpi_desktop.services.messages.describe` includes them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kpi_desktop.runtime.i18n import translate

__all__ = ["agency_errors", "column_label"]


def column_label(column: str) -> str:
    """The name of a staff-list column, for messages."""
    return {
        "id": translate("AgencyErrors", "identifier (id)"),
        "full_name": translate("AgencyErrors", "full name (full_name)"),
        "unit_id": translate("AgencyErrors", "unit (unit_id)"),
    }.get(column, column)


def agency_errors() -> Mapping[str, Callable[[Mapping[str, Any]], str]]:
    """Code → sentence for the agency's refusals."""
    return {
        "unit_name_missing": lambda p: translate("AgencyErrors", "Give the unit a name."),
        "unit_id_malformed": lambda p: translate(
            "AgencyErrors", "“{value}” cannot be a unit identifier: use lower-case letters "
            "without accents, digits, dots and dashes (at most 40)."
        ).format(value=p.get("value", "")),
        "unit_id_taken": lambda p: translate(
            "AgencyErrors", "There is already a unit with the identifier “{value}”."
        ).format(value=p.get("value", "")),
        "unit_closed": lambda p: translate(
            "AgencyErrors", "The unit “{unit}” is closed: choose an open unit."
        ).format(unit=p.get("unit", "")),
        "unit_root_fixed": lambda p: translate(
            "AgencyErrors", "“{unit}” is the top of the organisation: it cannot be moved or "
            "closed."
        ).format(unit=p.get("unit", "")),
        "unit_move_cycle": lambda p: translate(
            "AgencyErrors", "“{unit}” cannot be put under “{parent}”, which is part of it."
        ).format(unit=p.get("unit", ""), parent=p.get("parent", "")),
        "unit_not_empty": lambda p: translate(
            "AgencyErrors", "“{unit}” still has {people} people and {units} open sub-units: "
            "move them first."
        ).format(unit=p.get("unit", ""), people=p.get("people", 0), units=p.get("units", 0)),
        "person_id_malformed": lambda p: translate(
            "AgencyErrors", "“{value}” cannot be a person identifier: use lower-case letters "
            "without accents, digits, dots and dashes (at most 40)."
        ).format(value=p.get("value", "")),
        "person_id_taken": lambda p: translate(
            "AgencyErrors", "There is already a person with the identifier “{value}”."
        ).format(value=p.get("value", "")),
        "person_name_missing": lambda p: translate("AgencyErrors", "Give the person's full name."),
        "person_has_no_key": lambda p: translate(
            "AgencyErrors", "{person} has no published key to revoke."
        ).format(person=p.get("person", "")),
        "person_still_evaluates": lambda p: translate(
            "AgencyErrors", "{person} still evaluates {people}: give them another evaluator "
            "first (Evaluators page), then record the departure."
        ).format(person=p.get("person", ""), people=p.get("people", "")),
        "person_already_left": lambda p: translate(
            "AgencyErrors", "{person} already left the organisation ({date})."
        ).format(person=p.get("person", ""), date=p.get("date", "")),
        "left_on_future": lambda p: translate(
            "AgencyErrors", "The last day {date} is in the future: record the departure on "
            "that day or later."
        ).format(date=p.get("date", "")),
        "evaluator_self": lambda p: translate(
            "AgencyErrors", "Nobody can evaluate themself: choose another evaluator."),
        "evaluator_cycle": lambda p: translate(
            "AgencyErrors", "This would make evaluators go round in a circle ({chain}): "
            "someone would evaluate their own evaluator."
        ).format(chain=p.get("chain", "")),
        "evaluator_overlap": lambda p: translate(
            "AgencyErrors", "This person already has another evaluator from {start}: change or "
            "end that relation first."
        ).format(start=p.get("start", "")),
        "staff_value_missing": lambda p: translate(
            "AgencyErrors", "Row {row}: the column {column} is empty."
        ).format(row=p.get("row", ""), column=column_label(str(p.get("column", "")))),
        "staff_id_malformed": lambda p: translate(
            "AgencyErrors", "Row {row}: “{value}” cannot be a person identifier (lower-case "
            "letters without accents, digits, dots and dashes)."
        ).format(row=p.get("row", ""), value=p.get("value", "")),
        "staff_id_repeated": lambda p: translate(
            "AgencyErrors", "Row {row}: the identifier “{value}” is already used in row {first}."
        ).format(row=p.get("row", ""), value=p.get("value", ""), first=p.get("first", "")),
        "staff_role_unknown": lambda p: translate(
            "AgencyErrors", "Row {row}: “{value}” is not a role: write official, deputy, head "
            "or admin (or công chức, cấp phó, trưởng)."
        ).format(row=p.get("row", ""), value=p.get("value", "")),
        "staff_date_malformed": lambda p: translate(
            "AgencyErrors", "Row {row}: “{value}” is not a date: write it as YYYY-MM-DD."
        ).format(row=p.get("row", ""), value=p.get("value", "")),
        "staff_evaluator_self": lambda p: translate(
            "AgencyErrors", "Row {row}: {value} cannot be their own evaluator."
        ).format(row=p.get("row", ""), value=p.get("value", "")),
        "staff_evaluator_unknown": lambda p: translate(
            "AgencyErrors", "Row {row}: the evaluator “{value}” is neither in the list nor in "
            "the organisation."
        ).format(row=p.get("row", ""), value=p.get("value", "")),
        "staff_evaluator_cycle": lambda p: translate(
            "AgencyErrors", "Row {row}: the evaluators go round in a circle ({chain})."
        ).format(row=p.get("row", ""), chain=p.get("chain", "")),
        "catalog_version_malformed": lambda p: translate(
            "AgencyErrors", "“{value}” cannot be a catalog version: use letters, digits, dots, "
            "plus signs and dashes (for example QD283-2026)."
        ).format(value=p.get("value", "")),
        "catalog_version_taken": lambda p: translate(
            "AgencyErrors", "There is already a catalog version “{value}”: choose another name."
        ).format(value=p.get("value", "")),
        "policy_version_malformed": lambda p: translate(
            "AgencyErrors", "“{value}” cannot be a policy version: use letters, digits, dots, "
            "plus signs and dashes (for example xa-2027.1)."
        ).format(value=p.get("value", "")),
        "policy_version_taken": lambda p: translate(
            "AgencyErrors", "There is already a policy version “{value}”: choose another name."
        ).format(value=p.get("value", "")),
        "policy_value_invalid": lambda p: translate(
            "AgencyErrors", "The value “{value}” of “{field}” is not allowed: check it against "
            "the other thresholds and shares (shares are written 0.25 for 25 %)."
        ).format(value=p.get("value", ""), field=policy_field_label(str(p.get("field", "")))),
        "policy_date_past": lambda p: translate(
            "AgencyErrors", "A new policy cannot start in the past ({date}): scores already "
            "computed keep their policy."
        ).format(date=p.get("date", "")),
    }


def policy_field_label(name: str) -> str:
    """The name of a scoring-policy parameter."""
    return {
        "general_max": translate("Policy", "General criteria maximum (points)"),
        "task_max": translate("Policy", "Task-performance maximum (points)"),
        "threshold_excellent": translate("Policy", "Excellent from (points)"),
        "threshold_good": translate("Policy", "Good from (points)"),
        "threshold_complete": translate("Policy", "Satisfactory from (points)"),
        "failed_review_deduction": translate("Policy", "Quality deduction per major error"),
        "delay_deduction": translate("Policy", "Timeliness deduction per delay"),
        "cap_components_at_100": translate("Policy", "Cap a, b and c at 100 % each"),
        "round_before_compare": translate("Policy", "Round to 2 decimals before comparing"),
        "evaluation_period": translate("Policy", "Evaluation period"),
        "min_months_for_classification": translate(
            "Policy", "Months worked needed for classification"),
        "quota_share": translate("Policy", "Excellent quota (share of Good)"),
        "quota_share_exceptional": translate("Policy", "Excellent quota by exception"),
        "quota_base": translate("Policy", "Base of the quota"),
        "review_limit_working_days": translate("Policy", "Review limit (working days)"),
        "daily_norm_minutes": translate("Policy", "Daily norm time (minutes)"),
        "early_bonus_per_day": translate("Policy", "Bonus per working day early"),
        "early_bonus_cap": translate("Policy", "Maximum early bonus"),
        "late_deduction_per_delay": translate("Policy", "Work-log deduction per delay"),
        "standard_unit_points": translate("Policy", "Points of the standard work unit"),
        "complexity_factors": translate("Policy", "Complexity factors (levels 1, 2, …)"),
    }.get(name, name)


# ---------------------------------------------------------------- unreadable files ------------

_CATALOG_COLUMNS = {
    "stt": "STT", "number": "TT", "code": "Mã CV", "division": "Phòng, ban chuyên môn",
    "name": "Nhiệm vụ", "detail": "Công việc chi tiết", "output": "Sản phẩm đầu ra",
    "group": "Nhóm", "range": "Khung điểm", "points": "Điểm chấm",
    "coefficient": "Hệ số quy đổi", "note": "Ghi chú", "text": "Tiêu chí chấm điểm",
    "max": "Điểm tối đa",
}


def _catalog_columns(value: Any) -> str:
    names = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(f"“{_CATALOG_COLUMNS.get(str(n), str(n))}”" for n in names)


def catalog_reason(p: Mapping[str, Any]) -> str:
    """The sentence for the ``reason`` code of a ``catalog_xlsx_invalid`` refusal."""
    code, value = p.get("code", ""), p.get("value", "")
    reasons: dict[str, Callable[[], str]] = {
        "not_xlsx": lambda: translate(
            "CatalogErrors", "The file is not an Excel workbook (.xlsx); save it as .xlsx and "
            "try again."),
        "duplicate_criteria_sheet": lambda: translate(
            "CatalogErrors", "There is a second sheet of general criteria; keep only one."),
        "no_item_sheet": lambda: translate(
            "CatalogErrors", "No sheet lists products or tasks (a header with “STT” and "
            "“Mã CV”)."),
        "no_criteria_sheet": lambda: translate(
            "CatalogErrors", "No sheet lists the general criteria (a header with “TT” and "
            "“Tiêu chí chấm điểm”)."),
        "header_unrecognised": lambda: translate(
            "CatalogErrors", "This header row is neither a product/task table nor a general "
            "criteria table."),
        "header_not_found": lambda: translate(
            "CatalogErrors", "The sheet has no header row starting with “STT” or “TT” in its "
            "first 20 rows."),
        "header_duplicate_column": lambda: translate(
            "CatalogErrors", "The column “{column}” appears twice in the header."
        ).format(column=p.get("column", "")),
        "header_missing_column": lambda: translate(
            "CatalogErrors", "The header lacks the columns {columns}."
        ).format(columns=_catalog_columns(p.get("columns", []))),
        "code_missing": lambda: translate(
            "CatalogErrors", "The row has points but no code in the column “Mã CV”."),
        "bad_code": lambda: translate(
            "CatalogErrors", "“{code}” is not a task code: write it like 1.2 or TP.3.1."
        ).format(code=code),
        "name_missing": lambda: translate(
            "CatalogErrors", "The item {code} has no task name (column “Nhiệm vụ”)."
        ).format(code=code),
        "points_out_of_range": lambda: translate(
            "CatalogErrors", "The points {points} of item {code} are outside its point range "
            "{range}."
        ).format(points=p.get("points", ""), code=code, range=p.get("range", "")) if
        p.get("range") else translate(
            "CatalogErrors", "The points {points} of item {code} must be greater than zero."
        ).format(points=p.get("points", ""), code=code),
        "division_missing": lambda: translate(
            "CatalogErrors", "The item {code} has no specialised division."
        ).format(code=code),
        "standard_unit_conflict": lambda: translate(
            "CatalogErrors", "The conversion formula of item {code} divides by {value}, the "
            "other items by {expected}: use one standard work unit."
        ).format(code=code, value=value, expected=p.get("expected", "")),
        "scope_unknown": lambda: translate(
            "CatalogErrors", "The sheet's title does not say whether it holds leadership "
            "(“lãnh đạo”) or shared (“dùng chung”) items."),
        "duplicate_code": lambda: translate(
            "CatalogErrors", "The code {code} is used before, in sheet “{sheet}”, row {row}."
        ).format(code=code, sheet=p.get("first_sheet", ""), row=p.get("first_row", "")),
        "group_range_conflict": lambda: translate(
            "CatalogErrors", "Item {code} gives group {group} the point range {range}, other "
            "items {expected}."
        ).format(code=code, group=p.get("group", ""), range=p.get("range", ""),
                 expected=p.get("expected", "")),
        "bad_group": lambda: translate(
            "CatalogErrors", "“{value}” is not a complexity group of item {code}: write N1 to "
            "N5."
        ).format(value=value, code=code),
        "bad_point_range": lambda: translate(
            "CatalogErrors", "“{value}” is not a point range of item {code}: write it like "
            "5-10."
        ).format(value=value, code=code),
        "points_missing": lambda: translate(
            "CatalogErrors", "The item {code} has no assigned points (column “Điểm chấm”)."
        ).format(code=code),
        "points_not_numeric": lambda: translate(
            "CatalogErrors", "The assigned points “{value}” of item {code} are not a number."
        ).format(value=value, code=code),
        "bad_criterion_row": lambda: translate(
            "CatalogErrors", "The row is neither a group (I, II, …) nor a numbered criterion."),
        "criterion_text_missing": lambda: translate(
            "CatalogErrors", "The criterion has no text (column “Tiêu chí chấm điểm”)."),
        "duplicate_criterion_group": lambda: translate(
            "CatalogErrors", "The criteria group {group} appears twice."
        ).format(group=p.get("group", "")),
        "bad_criterion_number": lambda: translate(
            "CatalogErrors", "“{value}” is not a criterion number: write I, II, … for a group "
            "and 1, 2, … for a criterion."
        ).format(value=value),
        "criterion_without_group": lambda: translate(
            "CatalogErrors", "The criterion comes before any group (I, II, …)."),
        "duplicate_criterion": lambda: translate(
            "CatalogErrors", "Criterion {number} of group {group} appears twice."
        ).format(number=p.get("number", ""), group=p.get("group", "")),
        "no_criteria": lambda: translate("CatalogErrors", "The sheet lists no criteria."),
        "criteria_sum_mismatch": lambda: translate(
            "CatalogErrors", "The criteria of group {group} add up to {actual} points, not "
            "{expected}."
        ).format(group=p.get("group", ""), actual=p.get("actual", ""),
                 expected=p.get("expected", "")),
        "criteria_total_mismatch": lambda: translate(
            "CatalogErrors", "The total row says {actual} points, the groups add up to "
            "{expected}."
        ).format(actual=p.get("actual", ""), expected=p.get("expected", "")),
        "bad_criterion_points": lambda: translate(
            "CatalogErrors", "“{value}” is not a number of points."
        ).format(value=value),
        # Issue 14: what a file may not carry.
        "file_unreadable": lambda: translate(
            "CatalogErrors", "The file {path} cannot be opened; check that it exists and is "
            "not open in another program."
        ).format(path=p.get("path", "")),
        "control_character": lambda: (translate(
            "CatalogErrors", "The cell in column {column} holds a control character ({char}): "
            "correct it in the spreadsheet program and save the file again."
        ) if p.get("column") else translate(
            "CatalogErrors", "The sheet's name holds a control character ({char}): rename the "
            "sheet and save the file again."
        )).format(column=p.get("column", ""), char=p.get("char", "")),
        "cell_too_long": lambda: translate(
            "CatalogErrors", "The cell in column {column} holds more than {maximum} characters."
        ).format(column=p.get("column", ""), maximum=p.get("maximum", "")),
        "file_too_large": lambda: translate(
            "CatalogErrors", "The workbook unpacks to more than {maximum} MB; a catalog is much "
            "smaller: check that it is the right file."
        ).format(maximum=p.get("maximum", "")),
        "too_many_rows": lambda: translate(
            "CatalogErrors", "The sheet has more than {maximum} rows; a catalog is much "
            "smaller: check that it is the right file."
        ).format(maximum=p.get("maximum", "")),
    }
    text = reasons.get(str(p.get("reason", "")))
    return text() if text is not None else translate(
        "CatalogErrors", "The content does not follow the catalog template.")


def catalog_file_error(p: Mapping[str, Any]) -> str:
    """The sentence of ``catalog_xlsx_invalid``: where in the workbook, and why."""
    from kpi_desktop.services.messages import clause

    reason, sheet, row = clause(catalog_reason(p)), p.get("sheet"), p.get("row")
    if sheet and row:
        return translate(
            "CatalogErrors", "The catalog file cannot be read (sheet “{sheet}”, row {row}): "
            "{reason}").format(sheet=sheet, row=row, reason=reason)
    if sheet:
        return translate(
            "CatalogErrors", "The catalog file cannot be read (sheet “{sheet}”): {reason}"
        ).format(sheet=sheet, reason=reason)
    return translate("CatalogErrors", "The catalog file cannot be read: {reason}").format(
        reason=reason)


def staff_reason(p: Mapping[str, Any]) -> str:
    """The sentence for the ``reason`` code of a ``staff_list_invalid`` refusal."""
    value = p.get("value", "")
    reasons: dict[str, Callable[[], str]] = {
        "file_unreadable": lambda: translate(
            "AgencyErrors", "The file {path} cannot be opened; check that it exists and is not "
            "open in another program."
        ).format(path=p.get("path", "")),
        "not_utf8": lambda: translate(
            "AgencyErrors", "The file is not UTF-8 text: save the CSV as “CSV UTF-8” or use "
            "an .xlsx workbook."),
        "not_a_table": lambda: translate(
            "AgencyErrors", "The file is neither a CSV table nor an Excel workbook (.xlsx)."),
        "file_empty": lambda: translate("AgencyErrors", "The file is empty."),
        "columns_missing": lambda: translate(
            "AgencyErrors", "The header row lacks the columns {columns} (id, full_name and "
            "unit_id are required)."
        ).format(columns=p.get("columns", "")),
        "value_missing": lambda: translate(
            "AgencyErrors", "The column {column} is empty."
        ).format(column=column_label(str(p.get("column", "")))),
        "role_unknown": lambda: translate(
            "AgencyErrors", "“{value}” is not a role: write official, deputy, head or admin "
            "(or công chức, cấp phó, trưởng)."
        ).format(value=value),
        "evaluator_unknown": lambda: translate(
            "AgencyErrors", "The evaluator “{value}” is neither in the list nor in the "
            "organisation."
        ).format(value=value),
        "date_malformed": lambda: translate(
            "AgencyErrors", "“{value}” is not a date: write it as YYYY-MM-DD."
        ).format(value=value),
        # Issue 14: what a file may not carry.
        "control_character": lambda: translate(
            "AgencyErrors", "The column {column} holds a control character ({char}), which "
            "would break every export: correct the cell in the spreadsheet program and save "
            "the file again."
        ).format(column=column_label(str(p.get("column", ""))), char=p.get("char", "")),
        "cell_too_long": lambda: (translate(
            "AgencyErrors", "The column {column} holds more than {maximum} characters."
        ).format(column=column_label(str(p.get("column", ""))), maximum=p.get("maximum", ""))
            if p.get("column") else translate(
            "AgencyErrors", "A cell holds more than {maximum} characters."
        ).format(maximum=p.get("maximum", ""))),
        "file_too_large": lambda: translate(
            "AgencyErrors", "The file is larger than {maximum} MB; a staff list is much "
            "smaller: check that it is the right file."
        ).format(maximum=p.get("maximum", "")),
        "too_many_rows": lambda: translate(
            "AgencyErrors", "The file has more than {maximum} rows; a staff list is much "
            "smaller: check that it is the right file."
        ).format(maximum=p.get("maximum", "")),
    }
    text = reasons.get(str(p.get("reason", "")))
    return text() if text is not None else translate(
        "AgencyErrors", "The list does not follow the staff list layout.")


def staff_list_error(p: Mapping[str, Any]) -> str:
    """The sentence of ``staff_list_invalid``: which row, and why."""
    from kpi_desktop.services.messages import clause

    reason, row = clause(staff_reason(p)), p.get("row")
    if row:
        return translate("AgencyErrors", "The staff list cannot be read (row {row}): {reason}"
                         ).format(row=row, reason=reason)
    return translate("AgencyErrors", "The staff list cannot be read: {reason}").format(
        reason=reason)
