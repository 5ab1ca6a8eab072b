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
