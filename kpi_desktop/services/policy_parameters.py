"""The table of policy parameters (``scoring.POLICY_PARAMETERS``) as people read and edit it.

Everything the agency's policy page, the validation of its values, the publish change list and
the generated table of docs/policy-parameters.md show about a parameter comes from its one line
in the table: its label (translated here, context "Policy"), kind, bounds, default, the decree's
article, and the labels of its choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.inputs import check_minutes
from kpi_desktop.domain.scores import fraction_to_str
from kpi_desktop.domain.values import normalize_text
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.scoring.policy import (
    POLICY_GROUPS,
    POLICY_PARAMETERS,
    ParameterKind,
    PolicyParameter,
    policy_parameter,
)

__all__ = [
    "ParameterChange",
    "ParameterView",
    "article_text",
    "changes_between",
    "citation",
    "parameter_label",
    "parameter_views",
    "parameters_markdown",
    "parse_value",
    "value_text",
]


@dataclass(frozen=True)
class ParameterView:
    """One editable parameter for a screen (no scoring types: the GUI may hold it)."""

    name: str
    kind: str  # "points" | "share" | "number" | "integer" | "switch" | "choice" | "factors"
    label: str
    article: str  # "Điều 20.1" / "Article 20.1", or the words for a local rule
    group: str
    group_label: str
    default: str
    minimum: int | None  # for integers (spin boxes)
    maximum: int | None
    choices: tuple[tuple[str, str], ...]  # (value, translated label)
    bounds: str  # "0 – 1", "> 0", … for a tooltip


@dataclass(frozen=True)
class ParameterChange:
    """A parameter whose value differs between two policies."""

    name: str
    label: str
    before: str
    after: str


def parameter_label(name: str) -> str:
    """The translated name of parameter ``name`` (the name itself when it is unknown)."""
    parameter = policy_parameter(name)
    return translate("Policy", parameter.label) if parameter is not None else name


def article_text(parameter: PolicyParameter) -> str:
    """Where the decree sets the parameter, or that it is a local rule."""
    if not parameter.article:
        return translate("Policy", "local rule (not set by the decree)")
    return citation(parameter.article)


def citation(reference: str) -> str:
    """A decree reference "20", "20.1" or "14.2b" in the decree's own style: "Điều 20",
    "khoản 1 Điều 20", "điểm b khoản 2 Điều 14" (English: "Article 14.2(b)")."""
    match = re.fullmatch(r"(\d+)(?:\.(\d+)([a-zđ]?))?", reference)
    if match is None:
        return reference
    article, clause, point = match.groups()
    if clause is None:
        return translate("Policy", "Article {article}").format(article=article)
    if not point:
        return translate("Policy", "Article {article}.{clause}").format(article=article,
                                                                        clause=clause)
    return translate("Policy", "Article {article}.{clause}({point})").format(
        article=article, clause=clause, point=point)


def _group_label(key: str) -> str:
    return next((translate("Policy", label) for k, label in POLICY_GROUPS if k == key), key)


def value_text(name: str, value: Any) -> str:
    """A value as the policy page writes it: exact ("0.25", "1/30"), factors joined by "; ",
    switches and choices by their words."""
    parameter = policy_parameter(name)
    if isinstance(value, bool):
        return translate("Policy", "yes") if value else translate("Policy", "no")
    if parameter is not None and parameter.kind is ParameterKind.CHOICE:
        raw = getattr(value, "value", value)
        return next((translate("Policy", label) for v, label in parameter.choices if v == raw),
                    str(raw))
    if isinstance(value, tuple | list):
        return "; ".join(fraction_to_str(Fraction(v)) if not isinstance(v, str) else v
                         for v in value)
    if isinstance(value, Fraction | int):
        return fraction_to_str(Fraction(value))
    return str(value)


def _edit_text(parameter: PolicyParameter, value: Any) -> str:
    """The text an edit field starts with (switches and choices: their raw value)."""
    if parameter.kind is ParameterKind.SWITCH:
        return "True" if value else "False"
    if parameter.kind is ParameterKind.CHOICE:
        return str(getattr(value, "value", value))
    return value_text(parameter.name, value)


def _bounds(parameter: PolicyParameter) -> str:
    low, high = parameter.minimum, parameter.maximum
    low_text = None if low is None else fraction_to_str(low)
    high_text = None if high is None else fraction_to_str(high)
    if low_text is not None and high_text is not None:
        return f"{low_text} < x ≤ {high_text}" if parameter.above_minimum else \
            f"{low_text} – {high_text}"
    if low_text is not None:
        return f"> {low_text}" if parameter.above_minimum else f"≥ {low_text}"
    if high_text is not None:
        return f"≤ {high_text}"
    return ""


def parameter_views(policy: ScoringPolicy | None = None) -> list[ParameterView]:
    """Every parameter of the table, in its order, translated; ``default`` is the value in
    ``policy`` (the Decree 335 defaults when None) as an edit field shows it."""
    policy = policy or ScoringPolicy.default()
    views = []
    for p in POLICY_PARAMETERS:
        integer = p.kind is ParameterKind.INTEGER
        views.append(ParameterView(
            name=p.name, kind=p.kind.value, label=translate("Policy", p.label),
            article=article_text(p), group=p.group, group_label=_group_label(p.group),
            default=_edit_text(p, getattr(policy, p.name)),
            minimum=int(p.minimum) + (1 if p.above_minimum else 0)
            if integer and p.minimum is not None else None,
            maximum=int(p.maximum) if integer and p.maximum is not None else None,
            choices=tuple((v, translate("Policy", label)) for v, label in p.choices),
            bounds=_bounds(p)))
    return views


def policy_values(policy: ScoringPolicy) -> dict[str, str]:
    """Every parameter of ``policy`` as the text its edit field shows."""
    return {p.name: _edit_text(p, getattr(policy, p.name)) for p in POLICY_PARAMETERS}


def parse_value(name: str, value: Any) -> Any:
    """What a person typed (or a widget gave) for parameter ``name``, as the JSON-native value
    ``ScoringPolicy.from_dict`` reads; bounds are checked there.

    Decimal commas are accepted ("0,25"); factors are separated by ";".

    Raises:
        RefusedValue: ``policy_value_invalid`` (field, value) for an unknown parameter or a
            value of the wrong kind.
    """
    parameter = policy_parameter(name)

    def refuse() -> RefusedValue:
        return RefusedValue("policy_value_invalid", field=name, value=str(value))

    if parameter is None:
        raise refuse()
    kind = parameter.kind
    text = normalize_text(str(value))
    if kind is ParameterKind.SWITCH:
        if isinstance(value, bool):
            return value
        lowered = text.lower()
        if lowered in ("true", "1", "yes", "có"):
            return True
        if lowered in ("false", "0", "no", "không"):
            return False
        raise refuse()
    if kind is ParameterKind.INTEGER:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif re.fullmatch(r"-?\d+", text):
            number = int(text)
        else:
            raise refuse()
        if name.endswith("_minutes"):  # a duration: the one rule of domain.inputs (0–1440)
            check_minutes(number, name)
        return number
    if kind is ParameterKind.CHOICE:
        raw = str(getattr(value, "value", value))
        if raw in {v for v, _label in parameter.choices}:
            return raw
        raise refuse()
    if kind is ParameterKind.FACTORS:
        parts = [part.strip() for part in text.split(";") if part.strip()] \
            if isinstance(value, str) else [str(v) for v in value]
        if not parts or not all(_number_text(part) for part in parts):
            raise refuse()
        return [_number_text(part) for part in parts]
    number = _number_text(text)
    if number is None:
        raise refuse()
    return number


def _number_text(text: str) -> str | None:
    """An exact number's text ("0.25", "1/30"), a decimal comma accepted; None if it is not
    a finite number."""
    clean = text.strip().replace(",", ".")
    if re.fullmatch(r"-?\d+/\d+", clean):
        return clean if not clean.endswith("/0") else None
    try:
        number = Decimal(clean)
    except InvalidOperation:
        return None
    return clean if number.is_finite() else None


def changes_between(before: ScoringPolicy, after: ScoringPolicy) -> list[ParameterChange]:
    """The parameters whose value differs, in the table's order, with their texts."""
    changes = []
    for p in POLICY_PARAMETERS:
        old, new = getattr(before, p.name), getattr(after, p.name)
        if old != new:
            changes.append(ParameterChange(name=p.name, label=translate("Policy", p.label),
                                           before=value_text(p.name, old),
                                           after=value_text(p.name, new)))
    return changes


def parameters_markdown() -> str:
    """docs/policy-parameters.md: the table of parameters, in English, with the defaults.

    Regenerate with ``python packaging/policy_docs.py`` (a test checks it is current).
    """
    from kpi_desktop.runtime.i18n import language_override

    lines = [
        "# Scoring policy parameters",
        "",
        "Generated from `kpi_desktop/scoring/policy.py` (`POLICY_PARAMETERS`) by",
        "`python packaging/policy_docs.py`; do not edit by hand. Every parameter is editable",
        "on the agency's Policy page and travels in the organisation file. Shares are",
        "decimals (0.25 = 25 %); \"Article\" is the article of Decree 335/2025/NĐ-CP.",
        "",
    ]
    with language_override("en"):
        default = ScoringPolicy.default()
        for key, group_label in POLICY_GROUPS:
            lines += [f"## {translate('Policy', group_label)}", "",
                      "| Parameter | Name | Kind | Default | Bounds | Source |",
                      "|---|---|---|---|---|---|"]
            for p in POLICY_PARAMETERS:
                if p.group != key:
                    continue
                choices = ""
                if p.choices:
                    choices = " (" + ", ".join(f"`{v}`: {translate('Policy', label)}"
                                               for v, label in p.choices) + ")"
                lines.append(
                    f"| `{p.name}` | {translate('Policy', p.label)} | {p.kind.value}{choices} "
                    f"| {value_text(p.name, getattr(default, p.name))} | {_bounds(p)} "
                    f"| {article_text(p)} |")
            lines.append("")
    lines += [
        "Relations checked between parameters: Satisfactory < Good < Excellent ≤ general",
        "maximum + task maximum; the normal Excellent quota ≤ the exceptional one.",
        "",
    ]
    return "\n".join(lines)
