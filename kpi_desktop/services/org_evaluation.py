"""Organisation evaluation (Điều 8, 9): indicators, the computed level, the recorded decision.

* Indicators (a unit's organisation KPIs for a year, quarter or month) are entered by the agency
  or by the unit's leaders, or imported from a CSV file; each value records the policy version
  in force at the end of its period.
* The level of a unit for a year is computed from that year's values
  (:func:`kpi_desktop.scoring.organisation.org_level`) with a "why" list.
* The competent person records the decision (level, decision number and date, note; audited).
  The recorded level caps the head's annual level (Điều 20.6, applied by the classification).

CSV import (UTF-8, with or without BOM; comma or semicolon separated; one header row)::

    unit,period,code,value[,source]
    kt,2026,general_points,27
    kt,2026,tasks_completed_pct,100

``unit`` is a unit identifier, ``period`` a year (2026), quarter (2026-Q3), half (2026-H2) or
month (2026-09); ``code`` one of :data:`~kpi_desktop.domain.org_results.ORG_INDICATORS`;
``value`` a number (a decimal comma is accepted), 0–100 for a share (%), 0–30/0–70 for points,
0 or 1 for a yes/no condition. The import is all-or-nothing: the first bad row refuses the
whole file (``org_csv_invalid`` naming the row) and nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import InvalidState, KpiError, NotFound, RefusedValue
from kpi_desktop.domain.inputs import check_date, check_text
from kpi_desktop.domain.model import (
    Level,
    OrgEvaluation,
    OrgIndicator,
    Period,
    Person,
    PersonRole,
    Unit,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.numbers import format_number
from kpi_desktop.domain.org_results import (
    ORG_INDICATORS,
    IndicatorDef,
    IndicatorKind,
    OrgLevelResult,
    OrgWhy,
    OrgWhyCode,
    indicator_def,
)
from kpi_desktop.runtime.i18n import effective_language, translate
from kpi_desktop.scoring import check_quota
from kpi_desktop.scoring.organisation import org_level
from kpi_desktop.services.leadership import audit, person_or_fail, today_function
from kpi_desktop.services.messages import level_label
from kpi_desktop.services.policies import policy_for_period
from kpi_desktop.services.scores import parse_year, unit_tree

CSV_COLUMNS = ("unit", "period", "code", "value")
# The actor id of the agency administrator signed in with the agency key (not a person).
AGENCY_ACTOR = "agency"


@dataclass(frozen=True)
class OrgYear:
    """A unit's year: its indicators, the computed level and the recorded decision."""

    unit: Unit
    year: int
    indicators: tuple[OrgIndicator, ...]  # every period of the year
    values: dict[str, Decimal]  # the year's own values (what the level uses)
    subunits: tuple[tuple[Unit, Level | None], ...]  # directly subordinate units, recorded level
    result: OrgLevelResult
    evaluation: OrgEvaluation | None
    heads: tuple[Person, ...]
    policy_version: str
    can_edit: bool
    can_decide: bool

    @property
    def recorded_level(self) -> Level | None:
        return self.evaluation.level if self.evaluation else None


@dataclass(frozen=True)
class OrgRow:
    """One unit in the year's list."""

    unit: Unit
    computed: Level | None
    recorded: OrgEvaluation | None
    needs_decision: bool


@dataclass(frozen=True)
class OrgList:
    year: int
    rows: tuple[OrgRow, ...]
    excellent: int
    good: int
    limit: int
    excess: int


# ------------------------------------------------------------------------------------- words
def indicator_label(code: str) -> str:
    """The name of an organisation indicator."""
    return {
        "general_points": translate("OrgIndicator", "General criteria (points, max 30)"),
        "task_points": translate("OrgIndicator", "Task-performance criteria (points, max 70)"),
        "tasks_completed_pct": translate("OrgIndicator", "Tasks of the plan completed (%)"),
        "tasks_on_time_pct": translate("OrgIndicator", "Tasks completed on time (%)"),
        "tasks_exceeded_pct": translate("OrgIndicator", "Tasks done beyond requirements (%)"),
        "shortcomings_fixed": translate("OrgIndicator",
                                        "Earlier shortcomings all fixed (1 = yes, 0 = no)"),
        "wrongdoing_concluded": translate(
            "OrgIndicator", "Concluded wrongdoing in personnel work or disunity (1 = yes)"),
        "force_majeure": translate("OrgIndicator", "Force majeure recognised (1 = yes)"),
        "files_on_time_pct": translate("OrgIndicator", "Administrative files resolved on time (%)"),
        "online_files_pct": translate("OrgIndicator", "Procedures handled online (%)"),
        "citizen_satisfaction_pct": translate("OrgIndicator",
                                              "Citizen and business satisfaction (%)"),
    }.get(code, code)


def _num(value: Any) -> str:
    """A figure of the why-lines: the one formatter, without needless zeros ("70", "82,5")."""
    if value is None:
        return "–"
    if Fraction(value).denominator == 1:
        return str(Fraction(value).numerator)
    text = format_number(value, language=effective_language())
    return text.rstrip("0").rstrip(".,")


def why_text(line: OrgWhy) -> str:
    """One line of the organisation level's explanation, in the current language."""
    d = line.data
    level = level_label(d.get("level")) if "level" in d else ""
    code = line.code
    if code is OrgWhyCode.SCORE:
        return translate("OrgWhy", "Total {score} = general {general} + tasks {task} → "
                                   "band {band} (Article 8)").format(
            score=_num(d["score"]), general=_num(d["general"]), task=_num(d["task"]),
            band=level_label(d["band"]))
    if code is OrgWhyCode.MISSING:
        return translate("OrgWhy", "Not entered: {name}").format(
            name=indicator_label(d["code"]))
    if code is OrgWhyCode.WRONGDOING:
        return translate("OrgWhy", "Wrongdoing in personnel work or disunity concluded → "
                                   "Unsatisfactory (Article 8.4a)")
    if code is OrgWhyCode.BELOW_COMPLETE:
        return translate("OrgWhy", "Total under {threshold} → Unsatisfactory (Article 8.4)"
                         ).format(threshold=_num(d["threshold"]))
    if code is OrgWhyCode.PLAN_BELOW_MIN:
        return translate("OrgWhy", "Only {value} % of the plan completed, under {minimum} % → "
                                   "Unsatisfactory (Article 8.4b)").format(
            value=_num(d["value"]), minimum=_num(d["minimum"]))
    if code is OrgWhyCode.FORCE_MAJEURE:
        return translate("OrgWhy", "Force majeure recorded: the competent authority weighs "
                                   "the case and decides (Article 8.4b)")
    if code is OrgWhyCode.NOT_ALL_COMPLETED:
        return translate("OrgWhy", "Not {level}: {value} % of the tasks completed, 100 % "
                                   "needed").format(level=level, value=_num(d["value"]))
    if code is OrgWhyCode.NOT_ALL_ON_TIME:
        return translate("OrgWhy", "Not {level}: {value} % of the tasks on time, 100 % "
                                   "needed").format(level=level, value=_num(d["value"]))
    if code is OrgWhyCode.TOO_MANY_LATE:
        return translate("OrgWhy", "Not {level}: {value} % of the tasks behind schedule, at "
                                   "most {maximum} % allowed (Article 8.3)").format(
            level=level, value=_num(d["value"]), maximum=_num(d["maximum"]))
    if code is OrgWhyCode.TOO_FEW_EXCEEDED:
        return translate("OrgWhy", "Not {level}: {value} % of the tasks beyond requirements, "
                                   "at least {minimum} % needed (Article 8.1a)").format(
            level=level, value=_num(d["value"]), minimum=_num(d["minimum"]))
    if code is OrgWhyCode.SUBUNIT_NOT_COMPLETE:
        return translate("OrgWhy", "Not {level}: {count} directly subordinate unit(s) rated "
                                   "Unsatisfactory (Article 8.1b)").format(
            level=level, count=d["count"])
    if code is OrgWhyCode.SHORTCOMINGS_OPEN:
        return translate("OrgWhy", "Not {level}: earlier shortcomings not all fixed, or not "
                                   "entered (Article 8.1c)").format(level=level)
    if code is OrgWhyCode.MET:
        return translate("OrgWhy", "Every condition of {level} is met").format(level=level)
    if code is OrgWhyCode.GAP:
        return translate("OrgWhy", "No level's conditions are met and the decree does not "
                                   "say what follows: Unsatisfactory is proposed, the "
                                   "competent authority decides")
    return translate("OrgWhy", "Reported: {name} = {value} (feeds the task points, "
                               "Article 7)").format(name=indicator_label(d["code"]),
                                                    value=_num(d["value"]))


# ------------------------------------------------------------------------------------ parsing
def parse_org_period(text: str | Period) -> Period:
    """A year, half, quarter or month (``org_period_malformed`` otherwise)."""
    if isinstance(text, Period):
        return text
    try:
        return Period.parse(str(text).strip())
    except RefusedValue:
        raise RefusedValue("org_period_malformed", value=str(text)) from None


def parse_indicator(code: str, value: Decimal | int | float | str) -> tuple[IndicatorDef, Decimal]:
    """The definition of ``code`` and ``value`` as a Decimal within its range."""
    definition = indicator_def(normalize_text(str(code)).strip())
    if definition is None:
        raise RefusedValue("org_indicator_unknown", code=str(code))
    if isinstance(value, bool):
        raise RefusedValue("decimal_malformed", value=str(value))
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) \
            else Decimal(str(value))
    except InvalidOperation:
        raise RefusedValue("decimal_malformed", value=str(value)) from None
    if not number.is_finite():
        raise RefusedValue("decimal_malformed", value=str(value))
    bad = not 0 <= number <= definition.maximum
    if definition.kind is IndicatorKind.FLAG and number not in (0, 1):
        bad = True
    if bad:
        raise RefusedValue("org_indicator_out_of_range", code=definition.code,
                           name=indicator_label(definition.code), value=str(value),
                           maximum=str(definition.maximum), flag=definition.kind.value)
    return definition, number


# ------------------------------------------------------------------------------------ service
class OrgEvaluationService:
    """Organisation indicators, the computed level and the recorded decision."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    @staticmethod
    def definitions() -> tuple[IndicatorDef, ...]:
        return ORG_INDICATORS

    # -------------------------------------------------------------------------- reading
    def units(self, actor_id: str) -> list[Unit]:
        """The units ``actor_id`` may look at: an administrator all, others their unit tree."""
        with self._db.unit_of_work(read_only=True) as uow:
            units = {u.id: u for u in uow.org.list_units()}
            actor = None if actor_id == AGENCY_ACTOR else person_or_fail(uow, actor_id)
            if actor is None or actor.role is PersonRole.ADMIN:
                roots = [u.id for u in units.values() if u.parent_id not in units]
            else:
                roots = [actor.unit_id]
            seen: list[str] = []
            for root in roots:
                seen += [u for u in unit_tree(uow, root) if u not in seen]
            return [units[u] for u in seen if u in units]

    def year(self, actor_id: str | None, unit_id: str, year: int | str) -> OrgYear:
        """Everything about ``unit_id``'s year (values, level and why, decision)."""
        year_value = parse_year(year)
        with self._db.unit_of_work(read_only=True) as uow:
            return self._year(uow, actor_id, unit_id, year_value)

    def list_year(self, actor_id: str, year: int | str) -> OrgList:
        """Every visible unit's computed and recorded level, with the Excellent quota of the
        recorded levels of the sub-units (Điều 8.5: ≤ 20 % of those rated Good; a warning
        only, the approver decides)."""
        year_value = parse_year(year)
        ids = [u.id for u in self.units(actor_id)]
        with self._db.unit_of_work(read_only=True) as uow:
            rows = []
            for unit_id in ids:
                info = self._year(uow, actor_id, unit_id, year_value)
                rows.append(OrgRow(unit=info.unit, computed=info.result.level,
                                   recorded=info.evaluation,
                                   needs_decision=info.result.needs_decision))
            policy = policy_for_period(uow, Period.whole_year(year_value))
            # Điều 8.5: within the scope of one recognising authority — the units under a unit
            # shown here (a top unit is recognised by the province, outside this list).
            shown = {r.unit.id for r in rows}
            quota = check_quota(policy, [r.recorded.level for r in rows
                                         if r.recorded and r.unit.parent_id in shown])
        return OrgList(year=year_value, rows=tuple(rows), excellent=quota.excellent,
                       good=quota.good, limit=quota.limit, excess=quota.excess)

    # -------------------------------------------------------------------------- changing
    def set_indicator(self, actor_id: str, unit_id: str, period: str | Period, code: str,
                      value: Decimal | int | float | str, *, source: str = "") -> OrgIndicator:
        """Enter or change one indicator value (audited)."""
        target = parse_org_period(period)
        definition, number = parse_indicator(code, value)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            self._require_editor(uow, actor_id, unit_id)
            indicator = self._indicator(uow, unit_id, target, definition.code, number,
                                        normalize_text(source or "") or "manual")
            audit(uow, "org.indicator.set", "unit", unit_id, actor_id,
                  {"period": str(target), "code": definition.code, "value": str(number),
                   "policy_version": indicator.policy_version}, now)
            return indicator

    def import_csv(self, actor_id: str, path: str | Path) -> int:
        """Import indicator values from a CSV file (see the module's doc); all or nothing.

        Returns how many values were stored. A bad row raises ``org_csv_invalid`` with the row
        number (the header is row 1) and the reason; nothing is stored then.
        """
        file = Path(path)
        try:
            raw = file.read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise RefusedValue("org_csv_unreadable", path=str(file)) from None
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[list[str]] = []
        while True:  # a cell beyond the CSV reader's field limit is refused with its row
            try:
                rows.append(next(reader))
            except StopIteration:
                break
            except csv.Error:
                raise RefusedValue("org_csv_invalid", row=len(rows) + 1, error=RefusedValue(
                    "cell_too_long", maximum=1000)) from None
        header = [normalize_text(h).strip().lower() for h in (rows[0] if rows else [])]
        if not rows or any(c not in header for c in CSV_COLUMNS):
            raise RefusedValue("org_csv_invalid", row=1,
                               error=RefusedValue("org_csv_header", columns=", ".join(
                                   CSV_COLUMNS)))
        col = {name: header.index(name) for name in (*CSV_COLUMNS, "source") if name in header}
        parsed: list[tuple[int, str, Period, str, Decimal, str]] = []
        seen: dict[tuple[str, str, str], int] = {}
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                for index, cell in enumerate(row):
                    check_text(cell, header[index] if index < len(header) else str(index + 1),
                               multiline=True, max_length=1000)
                cells = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
                unit_id = normalize_text(cells["unit"])
                if not unit_id:
                    raise NotFound("not_found", kind="unit", id="")
                target = parse_org_period(cells["period"])
                definition, value = parse_indicator(cells["code"], cells["value"])
                key = (unit_id, str(target), definition.code)
                if key in seen:
                    raise RefusedValue("org_csv_duplicate", other=seen[key])
                seen[key] = number
            except KpiError as error:
                raise RefusedValue("org_csv_invalid", row=number, error=error) from None
            parsed.append((number, unit_id, target, definition.code, value,
                           normalize_text(cells.get("source", "")) or file.name))
        now = utc_now()
        with self._db.unit_of_work() as uow:
            for number, unit_id, target, code, value, source in parsed:
                try:
                    self._require_editor(uow, actor_id, unit_id)
                except KpiError as error:
                    raise RefusedValue("org_csv_invalid", row=number, error=error) from None
                self._indicator(uow, unit_id, target, code, value, source)
            audit(uow, "org.indicator.import", "file", file.name, actor_id,
                  {"rows": len(parsed)}, now)
        return len(parsed)

    def decide(self, actor_id: str, unit_id: str, year: int | str, level: Level | str | None, *,
               decision_no: str, decision_date: dt.date | None,
               note: str = "") -> OrgEvaluation:
        """Record the competent person's decision on a unit's level for a year (audited).

        A level other than the computed one needs a note; a level above it is refused unless
        the decree leaves the case to the competent authority (``needs_decision``). Recording
        again replaces the decision (the audit log keeps the old one).
        """
        year_value = parse_year(year)
        try:
            chosen = Level(level) if level not in (None, "") else None
        except ValueError:
            raise RefusedValue("level_unknown", value=str(level)) from None
        if chosen is None:
            raise RefusedValue("level_unknown", value="")
        number = normalize_text(decision_no or "").strip()
        if not number:
            raise RefusedValue("org_decision_no_missing")
        if decision_date is None:
            raise RefusedValue("date_malformed", value="")
        check_date(decision_date, "decision_date", today=self.today())
        why = normalize_text(note or "").strip()
        now = utc_now()
        with self._db.unit_of_work() as uow:
            info = self._year(uow, actor_id, unit_id, year_value)
            if not info.can_decide:
                raise InvalidState("org_eval_not_allowed", unit=unit_id)
            computed = info.result.level
            if computed is not None and chosen.rank > computed.rank \
                    and not info.result.needs_decision:
                raise InvalidState("org_level_above_computed", level=chosen.value,
                                   computed=computed.value)
            if chosen is not computed and not why:
                raise RefusedValue("reason_missing", field="note")
            previous = info.evaluation
            evaluation = OrgEvaluation(
                id=previous.id if previous else new_id(), unit_id=unit_id, year=year_value,
                level=chosen, score=info.result.score, note=why, decision_no=number,
                decided_by=None if actor_id == AGENCY_ACTOR else actor_id, decided_at=now,
                policy_version=info.result.policy_version, decision_date=decision_date)
            uow.org_results.upsert_evaluation(evaluation)
            audit(uow, "org.evaluation.decide", "unit", unit_id, actor_id,
                  {"year": year_value, "level": chosen.value,
                   "computed": None if computed is None else computed.value,
                   "decision_no": number, "decision_date": decision_date.isoformat(),
                   "note": why, "replaces": None if previous is None else {
                       "level": None if previous.level is None else previous.level.value,
                       "decision_no": previous.decision_no},
                   "policy_version": info.result.policy_version}, now)
            return evaluation

    # -------------------------------------------------------------------------- internals
    def _indicator(self, uow: Any, unit_id: str, period: Period, code: str, value: Decimal,
                   source: str) -> OrgIndicator:
        policy = policy_for_period(uow, period)
        indicator = OrgIndicator(id=new_id(), unit_id=unit_id, period=period, code=code,
                                 value=value, policy_version=policy.version, source=source)
        uow.org_results.upsert_indicator(indicator)
        return indicator

    @staticmethod
    def _ancestors(uow: Any, unit_id: str) -> list[str]:
        units = {u.id: u for u in uow.org.list_units()}
        if unit_id not in units:
            raise NotFound("not_found", kind="unit", id=unit_id)
        chain, current = [], units[unit_id].parent_id
        while current is not None and current in units and current not in chain:
            chain.append(current)
            current = units[current].parent_id
        return chain

    def _rights(self, uow: Any, actor_id: str | None, unit_id: str) -> tuple[bool, bool]:
        """(may enter indicators, may record the decision) of ``actor_id`` for ``unit_id``.

        Indicators: the agency administrator, or a head or deputy of the unit or of a unit
        above it (the unit assesses itself, Điều 9.2a). Decision: the administrator or the
        head of a unit above (the competent person, Điều 5); for a unit with nobody above it
        in the app, its own head records the decision received from the province.
        """
        ancestors = self._ancestors(uow, unit_id)
        if actor_id is None:
            return False, False
        if actor_id == AGENCY_ACTOR:
            return True, True
        actor = uow.org.find_person(actor_id)
        if actor is None:
            raise NotFound("not_found", kind="person", id=actor_id)
        if actor.role is PersonRole.ADMIN:
            return True, True
        edit = actor.role.is_leader and actor.unit_id in (unit_id, *ancestors)
        decide = actor.role is PersonRole.HEAD and (
            actor.unit_id in ancestors or (not ancestors and actor.unit_id == unit_id))
        return edit, decide

    def _require_editor(self, uow: Any, actor_id: str, unit_id: str) -> None:
        if not self._rights(uow, actor_id, unit_id)[0]:
            raise InvalidState("org_eval_not_allowed", unit=unit_id)

    def _year(self, uow: Any, actor_id: str | None, unit_id: str, year: int) -> OrgYear:
        unit = uow.org.find_unit(unit_id)
        if unit is None:
            raise NotFound("not_found", kind="unit", id=unit_id)
        can_edit, can_decide = self._rights(uow, actor_id, unit_id)
        indicators = tuple(uow.org_results.list_indicators(unit_id=unit_id, year=year))
        year_period = Period.parse(str(year))
        values = {i.code: i.value for i in indicators if i.period == year_period}
        subunits = tuple((child, _level_of(uow.org_results.get_evaluation(child.id, year)))
                         for child in sorted(uow.org.child_units(unit_id), key=lambda u: u.id))
        policy = policy_for_period(uow, Period.whole_year(year))
        result = org_level(policy, values, subunit_levels=[lv for _u, lv in subunits])
        heads = tuple(p for p in uow.org.list_people(unit_ids=[unit_id])
                      if p.role is PersonRole.HEAD)
        return OrgYear(unit=unit, year=year, indicators=indicators, values=values,
                       subunits=subunits, result=result,
                       evaluation=uow.org_results.get_evaluation(unit_id, year), heads=heads,
                       policy_version=policy.version, can_edit=can_edit,
                       can_decide=can_decide)


def _level_of(evaluation: OrgEvaluation | None) -> Level | None:
    return evaluation.level if evaluation else None


def org_year_as_dict(info: OrgYear) -> dict[str, Any]:
    """JSON-native form of :class:`OrgYear` (for ``org-eval show --json``)."""
    result = info.result
    evaluation = info.evaluation
    return {
        "unit": {"id": info.unit.id, "name": info.unit.name_vi},
        "year": info.year,
        "policy_version": result.policy_version,
        "values": {code: str(value) for code, value in sorted(info.values.items())},
        "indicators": [{"period": str(i.period), "code": i.code, "value": str(i.value),
                        "source": i.source, "policy_version": i.policy_version}
                       for i in info.indicators],
        "score": None if result.score is None else float(round(result.score, 4)),
        "computed_level": None if result.level is None else result.level.value,
        "computed_level_label": level_label(result.level),
        "needs_decision": result.needs_decision,
        "missing": list(result.missing),
        "why": [{"code": w.code.value, "text": why_text(w)} for w in result.why],
        "subunits": [{"id": u.id, "level": None if lv is None else lv.value}
                     for u, lv in info.subunits],
        "decision": None if evaluation is None else {
            "level": None if evaluation.level is None else evaluation.level.value,
            "level_label": level_label(evaluation.level),
            "decision_no": evaluation.decision_no,
            "decision_date": None if evaluation.decision_date is None
            else evaluation.decision_date.isoformat(),
            "decided_by": evaluation.decided_by, "note": evaluation.note},
        "heads": [p.id for p in info.heads],
    }


def org_year_as_text(info: OrgYear) -> str:
    """Plain-text form of :class:`OrgYear` (for ``org-eval show``)."""
    out = [translate("OrgEval", "Organisation evaluation {year} — {unit}").format(
        year=info.year, unit=info.unit.name_vi)]
    for definition in ORG_INDICATORS:
        if definition.code in info.values:
            out.append(f"  {indicator_label(definition.code)}: "
                       f"{_num(info.values[definition.code])}")
    out.append(translate("OrgEval", "Computed level: {level}").format(
        level=level_label(info.result.level)))
    out += [f"  - {why_text(w)}" for w in info.result.why]
    if info.evaluation is not None:
        out.append(translate("OrgEval", "Recorded: {level}, decision {no} of {date}").format(
            level=level_label(info.evaluation.level), no=info.evaluation.decision_no,
            date=info.evaluation.decision_date.isoformat() if info.evaluation.decision_date
            else "–"))
    return "\n".join(out)
