"""Year-end classification (Form 02, Điều 19–21): means, overrides, quota, decisions.

The mean of the monthly totals over the months worked gives the computed level
(:meth:`Calculator.classify_unit`); fewer than 6 months → not classified; discipline
(reprimand or above, entered with its decision reference) → Không hoàn thành; a head is capped
by the organisation's level once it is recorded. The official records a Form 02 self-rating;
the evaluator records the decision (minutes of the year-end meeting, decision number and date)
with the policy version used. A later decision supersedes an earlier one and the history is
kept (Điều 21.3). The Excellent quota is checked per unit and per group of similar tasks; the
app only warns and shows the over-quota candidates — the approver decides (Điều 20.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, NamedTuple

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    AnnualClassification,
    DisciplineAuthority,
    DisciplineEvent,
    DisciplineKind,
    Level,
    Period,
    Person,
    PersonRole,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.scores import QuotaResult, YearResult
from kpi_desktop.scoring import check_quota, level_for
from kpi_desktop.services.leadership import (
    audit,
    person_or_fail,
    require_evaluator,
    text_required,
    today_function,
)
from kpi_desktop.services.scores import Calculator, parse_year

# The group of similar tasks (Điều 20.5) of leaders; staff form the other group.
GROUP_LEADERS = "leaders"
GROUP_STAFF = "staff"


class YearRow(NamedTuple):
    """One person's year as the classification page shows it (a named tuple: the unit view
    makes one a person at every load, at a third of a frozen dataclass's cost)."""

    person: Person
    group: str
    months: int
    monthly_totals: tuple[Fraction, ...]
    result: YearResult
    periods: tuple[Period, ...]
    discipline: tuple[DisciplineEvent, ...]
    current: AnnualClassification | None
    history_count: int
    can_decide: bool
    monthly_levels: tuple[Level, ...] = ()  # the indicative level of each of ``periods``
    leave_months: tuple[Period, ...] = ()  # entirely on leave: not in the mean (Điều 11.2)

    @property
    def computed_level(self) -> Level | None:
        return self.result.level

    def half_mean(self, half: int) -> Fraction | None:
        """The mean of the months of half ``half`` (1 or 2) that count for the year (Điều 17.3:
        "06 tháng (bằng điểm trung bình cộng của 06 tháng)"; months on leave do not count)."""
        months = range(1, 7) if half == 1 else range(7, 13)
        values = [t for p, t in zip(self.periods, self.monthly_totals, strict=True)
                  if p.start.month in months]
        return sum(values, Fraction(0)) / len(values) if values else None

    @property
    def proposed_level(self) -> Level | None:
        """The decided level when there is a decision, else the computed one."""
        if self.current is not None and self.current.decided_at is not None:
            return self.current.decided_level
        return self.result.level

    @property
    def self_level(self) -> Level | None:
        return self.current.self_level if self.current else None


@dataclass(frozen=True)
class QuotaScope:
    """The quota check of one unit or one group of similar tasks."""

    kind: str  # "unit" | "group"
    key: str  # unit id or group key
    name: str
    quota: QuotaResult
    candidates: tuple[str, ...]  # person ids rated Excellent, lowest mean first (if over)

    @property
    def over(self) -> bool:
        return self.quota.excess > 0


@dataclass(frozen=True)
class YearOverview:
    unit_id: str
    unit_name: str
    year: int
    policy_version: str
    rows: tuple[YearRow, ...]
    scopes: tuple[QuotaScope, ...]
    exceptional: bool
    policy: Any = field(default=None, compare=False, repr=False)
    # The policy each half year is scored under (the one in force on its last day, as for
    # every period: ``services.policies.policy_for_period``); 1 and 2.
    half_policies: dict[int, Any] = field(default_factory=dict, compare=False, repr=False)

    def half(self, row: YearRow, half: int) -> tuple[Fraction | None, Level | None, int]:
        """A person's half year (Điều 17.3): the mean of its months that count, its level
        under the half's policy (``scoring.level_for``) and how many months it averages."""
        mean = row.half_mean(half)
        months = sum(1 for p in row.periods if (p.start.month <= 6) == (half == 1))
        policy = self.half_policies.get(half, self.policy)
        level = None if mean is None or policy is None else level_for(policy, mean)
        return mean, level, months

    @property
    def over_quota(self) -> bool:
        return any(scope.over for scope in self.scopes)

    def row(self, person_id: str) -> YearRow:
        for row in self.rows:
            if row.person.id == person_id:
                return row
        raise NotFound("not_found", kind="person", id=person_id)


def parse_level(value: Level | str | None) -> Level | None:
    if value is None or value == "":
        return None
    try:
        return Level(value)
    except ValueError:
        raise RefusedValue("level_unknown", value=str(value)) from None


class ClassificationService:
    """The year-end classification workflow."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    # ---------------------------------------------------------------- reading --------------
    def overview(self, actor_id: str, unit_id: str, year: int | str, *,
                 exceptional: bool = False) -> YearOverview:
        """Everyone of ``unit_id`` (and sub-units) for ``year``, with the quota checks."""
        year_value = parse_year(year)
        with self._db.unit_of_work(read_only=True) as uow:
            return self._overview(uow, actor_id, unit_id, year_value, exceptional)

    def history(self, person_id: str, year: int | str) -> list[AnnualClassification]:
        """Every classification of a person's year, oldest first (superseded ones too)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.evaluations.annual_history(person_id, parse_year(year))

    # ---------------------------------------------------------------- changing -------------
    def record_self_rating(self, person_id: str, year: int | str,
                           level: Level | str) -> AnnualClassification:
        """The official's own Form 02 self-rating (only by the person themselves)."""
        year_value = parse_year(year)
        chosen = parse_level(level)
        if chosen is None:
            raise RefusedValue("level_unknown", value="")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = person_or_fail(uow, person_id)
            current = uow.evaluations.current_annual(person_id, year_value)
            if current is not None and current.decided_at is not None:
                raise InvalidState("classification_decided", id=current.id)
            if current is None:
                current = AnnualClassification(id=new_id(), person_id=person_id,
                                               year=year_value, created_at=now,
                                               unit_id=person.unit_id, self_level=chosen)
                uow.evaluations.add_annual(current)
            else:
                current = replace(current, self_level=chosen)
                uow.evaluations.update_annual(current)
            audit(uow, "classification.self_rating", "classification", current.id, person_id,
                  {"year": year_value, "level": chosen.value}, now)
            return current

    def record_discipline(self, actor_id: str, person_id: str, kind: DisciplineKind | str, *,
                          decided_on: dt.date, decision_no: str,
                          effective_year: int | None = None,
                          authority: DisciplineAuthority | str = DisciplineAuthority.ADMINISTRATIVE,
                          note: str = "", committed_on: dt.date | None = None) -> DisciplineEvent:
        """Enter a discipline decision (or another Điều 20.4 override) with its reference.

        Without ``effective_year`` the year it counts for follows Điều 20.4c / 11.3
        (:class:`kpi_desktop.services.discipline.DisciplineService`).
        """
        if effective_year is None:
            from kpi_desktop.services.discipline import DisciplineService

            return DisciplineService(self._db, today=self._today).record(
                actor_id, person_id, kind, decided_on=decided_on, decision_no=decision_no,
                authority=authority, note=note, committed_on=committed_on)
        try:
            kind_value = DisciplineKind(kind)
            authority_value = DisciplineAuthority(authority)
        except ValueError:
            raise RefusedValue("discipline_kind_unknown", value=str(kind)) from None
        number = text_required(decision_no, "decision_no")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            require_evaluator(uow, actor_id, person_id, self.today())
            event = DisciplineEvent(
                id=new_id(), person_id=person_id, kind=kind_value, decided_on=decided_on,
                effective_year=effective_year or decided_on.year, created_at=now,
                authority=authority_value, decision_no=number, note=normalize_text(note),
                recorded_by=actor_id, committed_on=committed_on)
            uow.discipline.add(event)
            audit(uow, "discipline.record", "person", person_id, actor_id,
                  {"kind": kind_value.value, "decision_no": number,
                   "decided_on": decided_on.isoformat(), "year": event.effective_year}, now)
            return event

    def decide(self, actor_id: str, person_id: str, year: int | str,
               level: Level | str | None, *, minutes_ref: str, decision_no: str,
               decision_date: dt.date | None, reason: str = "",
               quota_note: str = "") -> AnnualClassification:
        """Record the competent authority's decision for a person's year.

        The level cannot be above the computed one; a lower level (e.g. for the quota) needs a
        reason; a disciplined person is Không hoàn thành; a person not classified stays so.
        A year that already has a decision needs :meth:`supersede`.
        """
        year_value = parse_year(year)
        chosen = parse_level(level)
        minutes = text_required(minutes_ref, "minutes_ref")
        number = text_required(decision_no, "decision_no")
        if decision_date is None:
            raise RefusedValue("date_malformed", value="")
        why = normalize_text(reason or "")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            require_evaluator(uow, actor_id, person_id, self.today())
            row = self._row(uow, actor_id, person_id, year_value)
            _check_level(row, chosen, why)
            current = row.current
            if current is not None and current.decided_at is not None:
                raise InvalidState("classification_decided", id=current.id)
            values = dict(
                unit_id=row.person.unit_id, months_counted=row.months, mean=row.result.mean,
                computed_level=row.result.level, decided_level=chosen, reason=why,
                quota_note=normalize_text(quota_note or ""), minutes_ref=minutes,
                decision_no=number, decision_date=decision_date, decided_by=actor_id,
                decided_at=now, policy_version=row.result.policy_version)
            if current is None:
                current = AnnualClassification(id=new_id(), person_id=person_id,
                                               year=year_value, created_at=now, **values)
                uow.evaluations.add_annual(current)
            else:
                current = replace(current, **values)
                uow.evaluations.update_annual(current)
            audit(uow, "classification.decide", "classification", current.id, actor_id,
                  {"person": person_id, "year": year_value,
                   "level": None if chosen is None else chosen.value,
                   "computed": None if row.result.level is None else row.result.level.value,
                   "decision_no": number, "decision_date": decision_date.isoformat(),
                   "minutes_ref": minutes, "reason": why,
                   "policy_version": row.result.policy_version}, now)
            return current

    def supersede(self, actor_id: str, classification_id: str, level: Level | str | None, *,
                  decision_no: str, decision_date: dt.date | None, reason: str,
                  minutes_ref: str = "") -> AnnualClassification:
        """A replacement decision (Điều 21.3): a new record that supersedes the old one."""
        chosen = parse_level(level)
        number = text_required(decision_no, "decision_no")
        why = text_required(reason, "reason")
        if decision_date is None:
            raise RefusedValue("date_malformed", value="")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            old = uow.evaluations.get_annual(classification_id)
            require_evaluator(uow, actor_id, old.person_id, self.today())
            if old.decided_at is None:
                raise InvalidState("classification_not_decided", id=old.id)
            row = self._row(uow, actor_id, old.person_id, old.year)
            _check_level(row, chosen, why)
            new = replace(
                old, id=new_id(), created_at=now, supersedes_id=old.id, decided_level=chosen,
                reason=why, decision_no=number, decision_date=decision_date,
                minutes_ref=normalize_text(minutes_ref or "") or old.minutes_ref,
                decided_by=actor_id, decided_at=now, months_counted=row.months,
                mean=row.result.mean, computed_level=row.result.level,
                policy_version=row.result.policy_version, signature=None,
                key_fingerprint=None)
            uow.evaluations.add_annual(new)
            audit(uow, "classification.supersede", "classification", new.id, actor_id,
                  {"person": old.person_id, "year": old.year, "supersedes": old.id,
                   "level": None if chosen is None else chosen.value, "decision_no": number,
                   "reason": why}, now)
            return new

    # ---------------------------------------------------------------- internals ------------
    def _row(self, uow: Any, actor_id: str, person_id: str, year: int) -> YearRow:
        person = person_or_fail(uow, person_id)
        return self._overview(uow, actor_id, person.unit_id, year, False).row(person_id)

    def _overview(self, uow: Any, actor_id: str, unit_id: str, year: int,
                  exceptional: bool) -> YearOverview:
        calc = Calculator(uow)
        unit_result = calc.year_rollup(unit_id, year)
        policy = unit_result.policy
        on = min(self.today(), dt.date(year, 12, 31))
        mine = {r.evaluatee_id for r in uow.org.evaluatees_of(actor_id, on)} - {actor_id}
        people_ids = [row[0].id for row in unit_result.rows]
        events: dict[str, list[DisciplineEvent]] = {}
        for event in unit_result.discipline:
            events.setdefault(event.person_id, []).append(event)
        # One query for everyone's classification history (not two per person: 900 queries
        # for a 300-person unit). The heads' organisation levels are in the roll-up.
        histories: dict[str, list[AnnualClassification]] = {}
        for found in uow.evaluations.list_annual(year, person_ids=people_ids,
                                                 current_only=False):
            histories.setdefault(found.person_id, []).append(found)
        on_leave = {r.person_id for r in uow.leave.list_for_year(year, person_ids=people_ids)}
        rows = []
        for person, months, totals, result, _disciplined in unit_result.rows:
            history = histories.get(person.id, [])
            rows.append(YearRow(
                person=person,
                group=GROUP_LEADERS if person.role.is_leader else GROUP_STAFF,
                months=len(months), monthly_totals=totals, result=result, periods=months,
                discipline=tuple(events.get(person.id, ())),
                current=_in_force(history) if history else None,
                history_count=len(history), can_decide=person.id in mine,
                monthly_levels=calc.monthly_levels(months, totals),
                leave_months=tuple(sorted(calc.leave_months(person.id, year)))
                if person.id in on_leave else ()))
        order = {PersonRole.HEAD: 0, PersonRole.DEPUTY: 1}
        rows.sort(key=lambda r: (r.person.unit_id, order.get(r.person.role, 2),
                                 r.person.full_name, r.person.id))
        units = unit_result.units
        by_unit: dict[str, list[YearRow]] = {}
        by_group: dict[str, list[YearRow]] = {}
        for r in rows:
            by_unit.setdefault(r.person.unit_id, []).append(r)
            by_group.setdefault(r.group, []).append(r)
        scopes = []
        for key in sorted(by_unit):
            unit = units.get(key)
            scopes.append(_scope(policy, "unit", key, unit.name_vi if unit else key, by_unit[key],
                                 exceptional))
        for key in (GROUP_LEADERS, GROUP_STAFF):
            if key in by_group:
                scopes.append(_scope(policy, "group", key, key, by_group[key], exceptional))
        return YearOverview(unit_id=unit_id, unit_name=unit_result.unit.name_vi, year=year,
                            policy=policy, policy_version=policy.version, rows=tuple(rows),
                            scopes=tuple(scopes), exceptional=exceptional,
                            half_policies={h: calc.policy(Period.parse(f"{year}-H{h}"))
                                           for h in (1, 2)})


def _in_force(history: list[AnnualClassification]) -> AnnualClassification | None:
    """The classification in force: the latest one nobody superseded (as
    ``uow.evaluations.current_annual``; ``history`` oldest first)."""
    superseded = {c.supersedes_id for c in history if c.supersedes_id is not None}
    live = [c for c in history if c.id not in superseded]
    return live[-1] if live else None


def _scope(policy: Any, kind: str, key: str, name: str, members: list[YearRow],
           exceptional: bool) -> QuotaScope:
    quota = check_quota(policy, [r.proposed_level for r in members], exceptional=exceptional)
    candidates: tuple[str, ...] = ()
    if quota.excess > 0:
        excellent = [r for r in members if r.proposed_level is Level.EXCELLENT]
        excellent.sort(key=lambda r: (r.result.mean or 0, r.person.id))
        candidates = tuple(r.person.id for r in excellent)
    return QuotaScope(kind=kind, key=key, name=name, quota=quota, candidates=candidates)


def _check_level(row: YearRow, chosen: Level | None, reason: str) -> None:
    computed = row.result.level
    if computed is None:
        if chosen is not None:
            raise InvalidState("classification_not_classifiable", person=row.person.id)
        return
    if chosen is None:
        raise RefusedValue("level_unknown", value="")
    if row.result.disciplined and chosen is not Level.NOT_COMPLETE:
        raise InvalidState("classification_disciplined", person=row.person.id)
    if chosen.rank > computed.rank:
        raise InvalidState("classification_above_computed", person=row.person.id,
                           level=chosen.value, computed=computed.value)
    if chosen.rank < computed.rank and not reason:
        raise RefusedValue("reason_missing", field="reason")
