"""Scores from the work log: a person's month (with its "why") and a unit's year.

The storage holds assignments, work-log entries and the leaders' review statements; this
service turns them into the scoring engine's :class:`~kpi_desktop.scoring.TaskLine` values:

* every assignment of the period contributes its quantity to the assigned total;
* a *confirmed* entry that fulfils it counts as completed, with the failed quality reviews and
  delays the leader recorded (an entry completed after its deadline counts at least one delay);
* what is still missing counts as assigned and not completed;
* confirmed ad hoc or taken-over work, and completed quantities beyond the assignment, are extra
  (outside the assigned total, Điều 18.1d).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import (
    Assignment,
    AssignmentStatus,
    CatalogItem,
    DisciplineEvent,
    DisciplineKind,
    EntryStatus,
    EvaluationStatus,
    LeaveRecord,
    MonthlyEvaluation,
    MonthlyTotal,
    Period,
    PeriodKind,
    Person,
    PersonRole,
    ReviewTally,
    Unit,
    WorkLogEntry,
    YearTotals,
)
from kpi_desktop.domain.numbers import format_number, shown
from kpi_desktop.domain.scores import Level, PeriodScore, QuotaResult, YearResult
from kpi_desktop.runtime.i18n import effective_language, translate
from kpi_desktop.scoring import (
    LeaderFactors,
    ScoringPolicy,
    TaskLine,
    check_quota,
    classify_mean,
    classify_year,
    clear_level_of,
    head_d_factor,
    level_for,
    score_period,
)
from kpi_desktop.services.leave import leave_months
from kpi_desktop.services.messages import level_label, period_text
from kpi_desktop.services.policies import PolicyTimeline, policy_for_period

# Reprimand (khiển trách) and every heavier form, plus the other Điều 20.4 conclusions.
OVERRIDE_KINDS = frozenset(DisciplineKind)
EVALUATED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)


@dataclass(frozen=True)
class WhyLine:
    """One line of a score's explanation: which product, how it counted."""

    code: str
    name_vi: str
    name_en: str
    coefficient: Decimal
    quantity: Decimal
    completed: bool
    extra: bool
    failed_reviews: int
    delays: int
    objective_cause: bool  # both causes (the one flag of before issue 15)
    assigned_units: Fraction
    completed_units: Fraction
    quality_units: Fraction
    ontime_units: Fraction
    assignment_id: str | None
    entry_ids: tuple[str, ...]
    quality_cause: bool = False  # objective cause of the quality failures (Điều 14.2b)
    timeliness_cause: bool = False  # objective cause of the delays (Điều 14.2c)
    quality_cause_reason: str = ""
    timeliness_cause_reason: str = ""


@dataclass(frozen=True)
class PersonPeriodResult:
    """A person's score for one period, with everything needed to explain it."""

    person: Person
    person_name: str
    position_name: str
    period: Period
    score: PeriodScore
    lines: tuple[WhyLine, ...]
    general_points: Decimal
    general_source: str  # "confirmed" | "self" | "none"
    leader: LeaderFactors | None
    evaluation_status: EvaluationStatus | None
    policy: ScoringPolicy = field(default_factory=ScoringPolicy.default, compare=False)

    def level_of(self, value: Any) -> Level | None:
        """The level of a figure of this period under the policy that scored it (the month
        page's live total: ``scoring.level_for``, never a second copy of the cut-offs)."""
        return None if value is None else level_for(self.policy, value)


class ClassificationRow(NamedTuple):
    """One person's year (a named tuple: a unit's roll-up makes 300)."""

    person: Person
    months: tuple[Period, ...]
    monthly_totals: tuple[Fraction, ...]
    result: YearResult
    disciplined: bool
    monthly_levels: tuple[Level, ...] = ()  # each month's indicative level (its own policy)


@dataclass(frozen=True)
class UnitClassification:
    """The year-end classification of everyone in a unit (and its sub-units).

    ``policy``, ``discipline`` (the events that count for the year, of these people),
    ``org_levels`` (unit → recorded level) and ``units`` (every unit, by id) are what the
    roll-up read, for the views built on it."""

    unit: Unit
    year: int
    rows: tuple[ClassificationRow, ...]
    quota: QuotaResult
    policy_version: str
    distribution: dict[str, int] = field(default_factory=dict)
    policy: ScoringPolicy | None = field(default=None, compare=False, repr=False)
    discipline: tuple[DisciplineEvent, ...] = field(default=(), compare=False, repr=False)
    org_levels: dict[str, Level] = field(default_factory=dict, compare=False, repr=False)
    units: dict[str, Unit] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class YearRollup:
    """What :meth:`Calculator.year_rollup` read and computed: each row is (person, periods,
    their totals, the year's result, disciplined)."""

    unit: Unit
    policy: ScoringPolicy
    discipline: tuple[DisciplineEvent, ...]
    org_levels: dict[str, Level]
    units: dict[str, Unit]
    rows: list[tuple[Person, tuple[Period, ...], tuple[Fraction, ...], YearResult, bool]]


@dataclass(frozen=True)
class MonthFigures:
    """What every surface shows of one person's month: its points, total and level.

    A LOCKED month keeps the figures stored when it was confirmed; another month is computed
    from the work log. ``on_leave``: the whole month was on leave (Điều 11.2), so it does not
    enter a mean.
    """

    period: Period
    general_points: Fraction
    task_points: Fraction | None
    total: Fraction | None
    level: Level | None
    insufficient: bool
    evaluated: bool  # an evaluation exists for the month
    on_leave: bool = False
    provisional: bool = False  # the month is not over: shown, never in a mean

    @property
    def counted(self) -> bool:
        """Whether the month enters the mean of a quarter, half year or year."""
        return self.total is not None and not self.on_leave and not self.provisional


@dataclass(frozen=True)
class PeriodRollup:
    """A person's quarter or half year (Điều 17.3): the mean of the months actually worked.

    ``months`` are every month of the period; the mean is over those with a total that were
    not entirely on leave (the leave rule of the year, Điều 11.2), with the level of the mean
    under the period's policy. A month gives a rollup of itself.
    """

    person_id: str
    period: Period
    months: tuple[MonthFigures, ...]
    general_points: Fraction | None
    task_points: Fraction | None
    total: Fraction | None
    level: Level | None
    policy_version: str
    notes: tuple[str, ...] = ()  # month_note of each month (reports._text.note_label)

    @property
    def counted(self) -> tuple[MonthFigures, ...]:
        return tuple(m for m in self.months if m.counted)

    @property
    def months_counted(self) -> int:
        return len(self.counted)

    @property
    def months_on_leave(self) -> tuple[Period, ...]:
        return tuple(m.period for m in self.months if m.on_leave)

    @property
    def note(self) -> str:
        """Why the period has no mean (``month_note`` codes, or "provisional"): "" when a
        month counts; the months' own reason when they share one (the whole half year before
        joining: chưa công tác); else "insufficient"."""
        if self.counted:
            return ""
        reasons = set(self.notes)
        return reasons.pop() if len(reasons) == 1 and "" not in reasons else "insufficient"


def month_note(person: Person, month: Period, *, total: Any, on_leave: bool,
               insufficient: bool) -> str:
    """Why a month of ``person`` has no total, as a code for ``reports._text.note_label``
    (the one rule for the printed forms, the score command and the half-year results):
    "on_leave" (the whole month on leave, Điều 11.2), "not_employed" (before joining: chưa
    công tác), "left" (after leaving), "insufficient" (chưa đủ dữ liệu), "not_evaluated";
    "" when it has a total."""
    if on_leave:
        return "on_leave"
    if total is not None:
        return ""
    if person.joined_on is not None and month.end < person.joined_on:
        return "not_employed"
    if person.left_on is not None and month.start > person.left_on:
        return "left"
    return "insufficient" if insufficient else "not_evaluated"


def parse_period(text: str) -> Period:
    """A month "YYYY-MM" (refused otherwise, with ``period_malformed``)."""
    period = Period.parse(text)
    if period.kind is not PeriodKind.MONTH:
        raise RefusedValue("period_malformed", value=text)
    return period


def parse_year(text: str | int) -> int:
    value = str(text).strip()
    if not (len(value) == 4 and value.isdigit()) or not 2000 <= int(value) <= 2100:
        raise RefusedValue("year_malformed", value=text)
    return int(value)


class ScoreService:
    """Computes scores on demand from the database (read-only units of work)."""

    def __init__(self, db: Any, *, today: Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today or dt.date.today

    # -- queries ---------------------------------------------------------------------------
    def periods(self, today: dt.date | None = None) -> list[str]:
        """Months that have an evaluation, and the current month, oldest first."""
        current = str(Period.containing(today or self._today()))
        with self._db.unit_of_work(read_only=True) as uow:
            return sorted({str(e.period) for e in uow.evaluations.list_monthly()} | {current})

    def person_period(self, person_id: str, period: str | Period) -> PersonPeriodResult:
        """A person's score for a month, computed from the confirmed work log."""
        month = period if isinstance(period, Period) else parse_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            return Calculator(uow).person_period(person_id, month)

    def policy(self, period: Period) -> ScoringPolicy:
        """The policy ``period`` is scored under (the one in force on its last day)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return policy_for_period(uow, period)

    def rollup(self, person_id: str, period: str | Period) -> PeriodRollup:
        """A person's month, quarter or half year ("2026-H1"): the mean of the months
        actually worked (Điều 17.3; months entirely on leave do not count, Điều 11.2)."""
        p = period if isinstance(period, Period) else Period.parse(str(period))
        if p.kind is PeriodKind.YEAR:
            raise RefusedValue("period_malformed", value=str(period))
        with self._db.unit_of_work(read_only=True) as uow:
            calc = Calculator(uow)
            calc.person_period(person_id, p.months()[0])  # refuses an unknown person
            return calc.rollup(person_id, p, today=self._today())

    def classify_unit(self, unit_id: str, year: str | int) -> UnitClassification:
        """Classify everyone of ``unit_id`` (and its sub-units) for ``year``."""
        year_value = parse_year(year)
        with self._db.unit_of_work(read_only=True) as uow:
            return Calculator(uow).classify_unit(unit_id, year_value)

    # -- presentation for the CLI ----------------------------------------------------------
    @staticmethod
    def as_dict(result: PersonPeriodResult) -> dict[str, Any]:
        score = result.score.as_dict()
        why = []
        for line in result.lines:
            why.append(
                {
                    "code": line.code,
                    "name_vi": line.name_vi,
                    "name_en": line.name_en,
                    "coefficient": str(line.coefficient),
                    "quantity": str(line.quantity),
                    "completed": line.completed,
                    "extra": line.extra,
                    "failed_reviews": line.failed_reviews,
                    "delays": line.delays,
                    "objective_cause": line.objective_cause,
                    "quality_cause": line.quality_cause,
                    "timeliness_cause": line.timeliness_cause,
                    "quality_cause_reason": line.quality_cause_reason,
                    "timeliness_cause_reason": line.timeliness_cause_reason,
                    "assigned_units": _units(line.assigned_units),
                    "completed_units": _units(line.completed_units),
                    "quality_units": _units(line.quality_units),
                    "ontime_units": _units(line.ontime_units),
                    "assignment_id": line.assignment_id,
                    "entries": list(line.entry_ids),
                }
            )
        return {
            "person": {
                "id": result.person.id,
                "name": result.person_name,
                "position": result.position_name,
                "role": result.person.role.value,
            },
            "period": str(result.period),
            "policy_version": result.score.policy_version,
            "insufficient": result.score.insufficient,
            "a": score.get("a"),
            "b": score.get("b"),
            "c": score.get("c"),
            "leader_factors": None
            if result.leader is None
            else {"d": result.leader.d, "dd": result.leader.dd, "e": result.leader.e},
            "task_ratio": score.get("task_ratio"),
            "task_points": score.get("task_points"),
            "general_points": score.get("general_points"),
            "general_source": result.general_source,
            "total": score.get("total"),
            "level": None if result.score.level is None else result.score.level.value,
            "level_label": None if result.score.insufficient else level_label(result.score.level),
            "totals_units": {
                "assigned": _units(result.score.assigned),
                "completed": _units(result.score.completed),
                "quality": _units(result.score.quality),
                "on_time": _units(result.score.on_time),
            },
            "evaluation_status": None
            if result.evaluation_status is None
            else result.evaluation_status.value,
            "why": why,
        }

    @staticmethod
    def as_text(result: PersonPeriodResult) -> str:
        s = result.score
        lines = [f"{result.person_name} — {result.position_name} — "
                 f"{period_text(result.period)}"]
        if s.insufficient:
            lines.append(
                translate("Score", "Insufficient data: nothing was assigned in this period.")
            )
        else:
            lines += [
                translate("Score", "a (quantity) {value}%").format(value=_fmt(s.a)),
                translate("Score", "b (quality) {value}%").format(value=_fmt(s.b)),
                translate("Score", "c (timeliness) {value}%").format(value=_fmt(s.c)),
            ]
            if result.leader is not None:
                lines.append(
                    translate("Score", "d / đ / e {d} / {dd} / {e}%").format(
                        d=_fmt(result.leader.d), dd=_fmt(result.leader.dd),
                        e=_fmt(result.leader.e))
                )
            lines += [
                translate("Score", "Task points {value} of 70").format(value=_fmt(s.task_points)),
                translate("Score", "General criteria {value} of 30").format(
                    value=_fmt(s.general_points)
                ),
                translate("Score", "Total {value}: {level}").format(
                    value=_fmt(s.total), level=level_label(s.level)
                ),
            ]
        return "\n".join(lines)

    @staticmethod
    def rollup_as_dict(rollup: PeriodRollup, person: dict[str, Any] | None = None
                       ) -> dict[str, Any]:
        return {
            "person": person or {"id": rollup.person_id},
            "period": str(rollup.period),
            "period_kind": rollup.period.kind.value,
            "policy_version": rollup.policy_version,
            "months": [{"period": str(m.period), "total": _num(m.total),
                        "general_points": _num(m.general_points),
                        "task_points": _num(m.task_points),
                        "level": None if m.level is None else m.level.value,
                        "insufficient": m.insufficient, "on_leave": m.on_leave,
                        "counted": m.counted, "note": note}
                       for m, note in zip(rollup.months, rollup.notes or [""] * len(
                           rollup.months), strict=True)],
            "months_counted": rollup.months_counted,
            "general_points": _num(rollup.general_points),
            "task_points": _num(rollup.task_points),
            "total": _num(rollup.total),
            "level": None if rollup.level is None else rollup.level.value,
            "level_label": None if rollup.level is None else level_label(rollup.level),
        }

    @staticmethod
    def month_note_text(code: str) -> str:
        """The words of a ``month_note`` code (those of the printed forms)."""
        from kpi_desktop.reports._text import note_label

        return note_label(code)

    @staticmethod
    def rollup_as_text(rollup: PeriodRollup, name: str = "") -> str:
        heading = period_text(rollup.period)
        lines = [f"{name} — {heading}" if name else heading]
        width = max((len(period_text(m.period)) for m in rollup.months), default=0)
        from kpi_desktop.reports._text import note_label

        for m, code in zip(rollup.months, rollup.notes or [""] * len(rollup.months),
                           strict=True):
            note = note_label(code)
            month = period_text(m.period)
            lines.append(f"  {month:<{width}}  {_fmt(m.total):>6}  {note}".rstrip())
        if rollup.total is None:
            lines.append(translate("Score", "No month of the period has a score."))
        else:
            mean = translate("Score", "Mean of 1 month {value}: {level}") \
                if rollup.months_counted == 1 else \
                translate("Score", "Mean of {count} months {value}: {level}")
            lines.append(mean.format(count=rollup.months_counted, value=_fmt(rollup.total),
                                     level=level_label(rollup.level)))
        return "\n".join(lines)

    @staticmethod
    def classification_as_dict(result: UnitClassification) -> dict[str, Any]:
        return {
            "unit": {"id": result.unit.id, "name": result.unit.name_vi},
            "year": result.year,
            "policy_version": result.policy_version,
            "people": [
                {
                    "id": row.person.id,
                    "name": row.person.full_name,
                    "unit_id": row.person.unit_id,
                    "role": row.person.role.value,
                    "months": [str(m) for m in row.months],
                    "monthly_totals": [_num(t) for t in row.monthly_totals],
                    "months_counted": len(row.months),
                    "mean": _num(row.result.mean),
                    "level": None if row.result.level is None else row.result.level.value,
                    "level_label": level_label(row.result.level),
                    "reason": row.result.reason.value,
                    "disciplined": row.disciplined,
                }
                for row in result.rows
            ],
            "distribution": result.distribution,
            "quota": {
                "excellent": result.quota.excellent,
                "good": result.quota.good,
                "limit": result.quota.limit,
                "excess": result.quota.excess,
                "base_reading": str(
                    getattr(result.quota.base_reading, "value", result.quota.base_reading)
                ),
            },
        }

    @staticmethod
    def classification_as_text(result: UnitClassification) -> str:
        out = [
            translate("Score", "Classification {year} — {unit}").format(
                year=result.year, unit=result.unit.name_vi
            )
        ]
        for row in result.rows:
            mean = "–" if row.result.mean is None else _fmt(row.result.mean)
            out.append(
                f"  {row.person.id:<10} {row.person.full_name:<22} "
                f"{len(row.months):>2} {mean:>6}  {level_label(row.result.level)}"
            )
        out.append(
            translate(
                "Score", "Excellent: {excellent}, allowed: {limit}, over the quota: {excess}"
            ).format(
                excellent=result.quota.excellent,
                limit=result.quota.limit,
                excess=result.quota.excess,
            )
        )
        return "\n".join(out)


def _num(value: Fraction | Decimal | None) -> float | None:
    """A total or mean in JSON: the displayed value (two decimals, half-up)."""
    return None if value is None else float(shown(Fraction(value)))


def _units(value: Fraction | Decimal | None) -> float | None:
    """Converted units in JSON (four decimals: coefficients such as 1.6 × 0.75)."""
    return None if value is None else float(shown(Fraction(value), 4))


def _fmt(value: Fraction | Decimal | None) -> str:
    """A figure as the CLI prints it: the one formatter, in the language of the messages."""
    return format_number(value, language=effective_language())


class Calculator:
    """Score computations inside one unit of work, memoised per (person, period)."""

    def __init__(self, uow: Any, policy: ScoringPolicy | None = None) -> None:
        self.uow = uow
        self._policy = policy  # a fixed policy (the demo's), else the one in force
        self._items: dict[str, CatalogItem] = {}
        self._cache: dict[tuple[str, str], PersonPeriodResult] = {}
        self._policies: dict[dt.date, ScoringPolicy] = {}
        self._timeline: PolicyTimeline | None = None
        self._period_policies: dict[Period, ScoringPolicy] = {}  # the same, by period
        self._month_policies: dict[tuple[int, int], ScoringPolicy] = {}  # by (year, month)
        self._locked: dict[tuple[str, str], MonthlyEvaluation | None] = {}
        self._leave: dict[tuple[str, int], frozenset[Period]] = {}

    def forget_results(self) -> None:
        """Drop the remembered month results (policies and catalog items stay): a pass over
        every month of a unit's year (``kpi-desktop check``) needs each result once, and
        3,600 results with their entries would otherwise stay in memory to the end."""
        self._cache.clear()
        self._locked.clear()

    # -- the figures of a month, and means of months ----------------------------------------
    def preload_locked(self, person_ids: Sequence[str], months: Iterable[Period]) -> None:
        """Read the stored figures of the LOCKED months of ``person_ids`` in one query per
        month (a unit summary of many people), for :meth:`month_figures`."""
        months = list(months)
        for month in months:
            for e in self.uow.evaluations.list_monthly(person_ids=list(person_ids),
                                                       period=month,
                                                       statuses=[EvaluationStatus.LOCKED]):
                self._locked[(e.person_id, str(e.period))] = e
            for pid in person_ids:
                self._locked.setdefault((pid, str(month)), None)
        for year in sorted({m.year for m in months}):  # leave: one query a year, not a person
            found: dict[str, list[LeaveRecord]] = {}
            for record in self.uow.leave.list_for_year(year, person_ids=list(person_ids)):
                found.setdefault(record.person_id, []).append(record)
            for pid in person_ids:
                if (pid, year) not in self._leave:
                    self._leave[(pid, year)] = frozenset(
                        leave_months(self.uow, pid, year, found[pid]).months_on_leave
                        if pid in found else ())

    def month_figures(self, person_id: str, month: Period) -> MonthFigures:
        """The figures of ``person_id``'s ``month`` as every surface shows them.

        The level is always the total's level under the month's policy (``scoring.level_for``),
        also for a locked month (not the level stored with it, which a policy published later
        for the same period would contradict).
        """
        key = (person_id, str(month))
        if key not in self._locked:
            found = self.uow.evaluations.get_monthly(person_id, month)
            self._locked[key] = found if found is not None and \
                found.status is EvaluationStatus.LOCKED else None
        stored = self._locked[key]
        on_leave = month in self.leave_months(person_id, month.year)
        if stored is not None and stored.general_points is not None and (
                stored.total is not None or stored.insufficient):
            return MonthFigures(month, Fraction(stored.general_points), stored.task_points,
                                stored.total, self.level(stored.total, month),
                                stored.insufficient, True, on_leave)
        s = self.person_period(person_id, month)
        return MonthFigures(month, Fraction(s.score.general_points), s.score.task_points,
                            s.score.total, s.score.level, s.score.insufficient,
                            s.evaluation_status is not None, on_leave)

    def leave_months(self, person_id: str, year: int) -> frozenset[Period]:
        """The months of ``year`` that ``person_id`` spent entirely on leave (Điều 11.2)."""
        key = (person_id, year)
        if key not in self._leave:
            self._leave[key] = frozenset(_leave_months(self.uow, person_id, year))
        return self._leave[key]

    def rollup(self, person_id: str, period: Period, *,
               today: dt.date | None = None) -> PeriodRollup:
        """The mean of the months of ``period`` actually worked (Điều 17.3, 11.2). With
        ``today``, a month not over by then (today falls in it or before it) is provisional:
        shown with its running total, never in the mean — as the month itself is shown with
        no level until it ends."""
        months = tuple(
            dataclasses.replace(figures, provisional=True)
            if today is not None and figures.period.end >= today else figures
            for figures in (self.month_figures(person_id, m) for m in period.months()))
        counted = [m for m in months if m.counted]
        total = _mean_of([Fraction(m.total) for m in counted if m.total is not None])
        person = self._person(person_id)
        return PeriodRollup(
            person_id=person_id, period=period, months=months,
            general_points=_mean_of([m.general_points for m in counted]),
            task_points=_mean_of([Fraction(m.task_points or 0) for m in counted]),
            total=total, level=self.level(total, period),
            policy_version=self.policy(period).version,
            notes=tuple("provisional" if m.provisional else
                        month_note(person, m.period, total=m.total, on_leave=m.on_leave,
                                   insufficient=m.insufficient) for m in months))

    def policy(self, period: Period) -> ScoringPolicy:
        """The policy ``period`` is scored under (:func:`services.policies.policy_for_period`,
        remembered for this unit of work)."""
        if self._policy is not None:
            return self._policy
        found = self._period_policies.get(period)  # a unit's year asks 3,600 times
        if found is None:
            if period.end not in self._policies:
                if self._timeline is None:
                    self._timeline = PolicyTimeline(self.uow)  # every version, one query
                self._policies[period.end] = self._timeline.on(period.end)
            found = self._period_policies[period] = self._policies[period.end]
        return found

    def level(self, value: Any, period: Period) -> Level | None:
        """The level of a total or mean of ``period`` (None stays None): ``scoring.level_for``
        under the period's policy, the only place levels are cut."""
        return None if value is None else level_for(self.policy(period), value)

    def monthly_levels(self, months: Sequence[Period], totals: Sequence[Fraction]
                       ) -> tuple[Level, ...]:
        """The indicative level of each of ``months`` (its own policy): ``level_for`` exactly,
        with the float pre-check of the year's roll-up first (``clear_level`` answers only
        when no cut-off is near, so the levels are the exact ones)."""
        by_month = self._month_policies  # (year, month): a unit's year asks 3,600 times
        levels = []
        last: ScoringPolicy | None = None
        for month, total in zip(months, totals, strict=True):
            key = (month.year, month.number)
            policy = by_month.get(key)
            if policy is None:
                policy = by_month[key] = self.policy(month)
            if policy is not last:  # the months of a year mostly share one policy
                last, clear = policy, clear_level_of(policy)
            approx = total.numerator / total.denominator  # float() of a Fraction, in C
            levels.append(clear(approx) or level_for(policy, total))
        return tuple(levels)

    def _item(self, item_id: str) -> CatalogItem:
        if item_id not in self._items:
            self._items[item_id] = self.uow.catalog.get_item(item_id)
        return self._items[item_id]

    def _person(self, person_id: str) -> Person:
        person = self.uow.org.find_person(person_id)
        if person is None:
            raise NotFound("not_found", kind="person", id=person_id)
        return person

    # -- one person, one month -------------------------------------------------------------
    def person_period(self, person_id: str, period: Period) -> PersonPeriodResult:
        key = (person_id, str(period))
        if key in self._cache:
            return self._cache[key]
        person = self._person(person_id)
        policy = self.policy(period)
        assignments = [
            a
            for a in self.uow.assignments.list_for_person(person_id, period)
            if a.status is not AssignmentStatus.CANCELLED
        ]
        linked = self.uow.worklog.list_for_assignments([a.id for a in assignments])
        own = self.uow.worklog.list_for_period(person_id, period, statuses=[EntryStatus.CONFIRMED])
        ad_hoc = [e for e in own if e.assignment_id is None]
        confirmed = [e for e in linked if e.status is EntryStatus.CONFIRMED] + ad_hoc
        tallies = self.uow.reviews.tallies([e.id for e in confirmed])
        pairs = self._lines(assignments, confirmed, tallies)
        evaluation = self.uow.evaluations.get_monthly(person_id, period)
        general, source = _general_points(evaluation)
        leader = self._leader_factors(person, period, evaluation)
        score = score_period(policy, [p[0] for p in pairs], general, leader)
        why = tuple(
            self._why(line, meta, contribution)
            for (line, meta), contribution in zip(pairs, score.why, strict=True)
        )
        position = (
            self.uow.org.get_job_position(person.job_position_id)
            if person.job_position_id
            else None
        )
        result = PersonPeriodResult(
            person=person,
            person_name=person.full_name,
            position_name=position.name_vi if position else "",
            period=period,
            score=score,
            lines=why,
            general_points=general,
            general_source=source,
            leader=leader,
            evaluation_status=None if evaluation is None else evaluation.status,
            policy=policy,
        )
        self._cache[key] = result
        return result

    def _lines(
        self,
        assignments: Sequence[Assignment],
        confirmed: Iterable[WorkLogEntry],
        tallies: dict[str, ReviewTally],
    ) -> list[tuple[TaskLine, dict[str, Any]]]:
        by_assignment: dict[str | None, list[WorkLogEntry]] = {}
        for entry in confirmed:
            by_assignment.setdefault(entry.assignment_id, []).append(entry)
        pairs: list[tuple[TaskLine, dict[str, Any]]] = []
        for assignment in assignments:
            item = self._item(assignment.catalog_item_id)
            remaining = assignment.quantity
            for entry in by_assignment.get(assignment.id, []):
                tally = tallies.get(entry.id)
                failed, delays, causes = _outcome(entry, tally, assignment.deadline)
                counted = min(entry.quantity, remaining)
                if counted > 0:
                    pairs.append(
                        (
                            TaskLine(
                                assignment.coefficient,
                                counted,
                                True,
                                failed,
                                delays,
                                **causes,
                            ),
                            _meta(
                                item, assignment.coefficient, counted, assignment.id, (entry.id,),
                                tally,
                            ),
                        )
                    )
                    remaining -= counted
                beyond = entry.quantity - counted
                if beyond > 0:
                    pairs.append(
                        (
                            TaskLine(
                                assignment.coefficient,
                                beyond,
                                True,
                                failed,
                                delays,
                                extra=True,
                                **causes,
                            ),
                            _meta(item, assignment.coefficient, beyond, assignment.id, (entry.id,),
                                  tally),
                        )
                    )
            if remaining > 0:
                pairs.append(
                    (
                        TaskLine(assignment.coefficient, remaining, False),
                        _meta(item, assignment.coefficient, remaining, assignment.id, ()),
                    )
                )
        for entry in by_assignment.get(None, []):
            item = self._item(entry.catalog_item_id)
            failed, delays, causes = _outcome(entry, tallies.get(entry.id), entry.deadline)
            pairs.append(
                (
                    TaskLine(
                        entry.coefficient,
                        entry.quantity,
                        True,
                        failed,
                        delays,
                        extra=True,
                        **causes,
                    ),
                    _meta(item, entry.coefficient, entry.quantity, None, (entry.id,),
                          tallies.get(entry.id)),
                )
            )
        return pairs

    @staticmethod
    def _why(line: TaskLine, meta: dict[str, Any], contribution: Any) -> WhyLine:
        item: CatalogItem = meta["item"]
        return WhyLine(
            code=item.code,
            name_vi=item.name_vi,
            name_en=item.name_en or item.name_vi,
            coefficient=meta["coefficient"],
            quantity=meta["quantity"],
            completed=line.completed,
            extra=line.extra,
            failed_reviews=line.failed_reviews,
            delays=line.delays,
            objective_cause=line.quality_exempt and line.timeliness_exempt,
            quality_cause=line.quality_exempt,
            timeliness_cause=line.timeliness_exempt,
            quality_cause_reason=meta["quality_reason"],
            timeliness_cause_reason=meta["timeliness_reason"],
            assigned_units=contribution.assigned,
            completed_units=contribution.completed_units,
            quality_units=contribution.quality_units,
            ontime_units=contribution.on_time_units,
            assignment_id=meta["assignment"],
            entry_ids=meta["entries"],
        )

    def _leader_factors(
        self, person: Person, period: Period, evaluation: MonthlyEvaluation | None
    ) -> LeaderFactors | None:
        if not person.role.is_leader:
            return None
        d = _factor(evaluation.d if evaluation else None)
        if evaluation is not None and evaluation.status is EvaluationStatus.LOCKED \
                and evaluation.d is not None:
            # A locked month keeps the factor stored when it was confirmed (as its total, see
            # ``month_figures``): a policy stored later must not move a head's total on one
            # surface (the score page) and leave it on another (Form 02, the year).
            subordinates = []
        else:
            subordinates = self.uow.org.evaluatees_of(person.id, period.end)
        if subordinates:
            totals = [self.person_period(r.evaluatee_id, period).score.total for r in subordinates]
            d = head_d_factor(totals, self.policy(period))
        return LeaderFactors(
            d=d,
            dd=_factor(evaluation.dd if evaluation else None),
            e=_factor(evaluation.e if evaluation else None),
        )

    # -- a unit's year ---------------------------------------------------------------------
    def classify_unit(self, unit_id: str, year: int) -> UnitClassification:
        rollup = self.year_rollup(unit_id, year)
        rows = tuple(ClassificationRow(person=person, months=months, monthly_totals=values,
                                       result=result, disciplined=disciplined,
                                       monthly_levels=self.monthly_levels(months, values))
                     for person, months, values, result, disciplined in rollup.rows)
        levels = [row.result.level for row in rows]
        distribution = {level.value: levels.count(level) for level in Level}
        distribution["not_classified"] = levels.count(None)
        return UnitClassification(
            unit=rollup.unit,
            year=year,
            rows=rows,
            quota=check_quota(rollup.policy, levels),
            policy_version=rollup.policy.version,
            distribution=distribution,
            policy=rollup.policy,
            discipline=rollup.discipline,
            org_levels=rollup.org_levels,
            units=rollup.units,
        )

    def year_rollup(self, unit_id: str, year: int) -> YearRollup:
        """Everyone of ``unit_id`` (and its sub-units) classified for ``year``, as plain rows
        (the unit view builds its own rows from them)."""
        units = {u.id: u for u in self.uow.org.list_units()}
        # The id as written may differ from the stored one (NFC): then the query finds it.
        unit = units.get(unit_id) or self.uow.org.find_unit(unit_id)
        if unit is None:
            raise NotFound("not_found", kind="unit", id=unit_id)
        unit_ids = unit_tree(self.uow, unit.id, units=units.values())
        people = members_at_year_end(self.uow, unit_ids, year)  # Điều 19.1: transfers
        person_ids = [p.id for p in people]
        policy = self.policy(Period.whole_year(year))
        rollup = self.uow.evaluations.year_totals(person_ids=person_ids, year=year,
                                                  statuses=EVALUATED)
        members = set(person_ids)
        discipline = tuple(e for e in self.uow.discipline.list_for_year(year)  # few a year
                           if e.person_id in members)
        disciplined = {e.person_id for e in discipline if e.kind in OVERRIDE_KINDS}
        # Điều 20.6: a head's level is not above the recorded level of their organisation.
        org_levels = {e.unit_id: e.level for e in self.uow.org_results.list_evaluations(year)
                      if e.level is not None}
        # Stored totals that are not short decimals in range, periods whose total must be
        # computed from the work log, months received from another agency: those people are
        # rolled up one by one, exactly, as before.
        highest = policy.max_total * YearTotals.SCALE
        # Điều 11.2: people with leave in the year are rolled up one by one too (months
        # entirely on leave leave the mean; sick or maternity leave classifies the months
        # worked however few).
        leave: dict[str, list[LeaveRecord]] = {}
        for record in self.uow.leave.list_for_year(year, person_ids=person_ids):
            leave.setdefault(record.person_id, []).append(record)
        leave_years = {pid: leave_months(self.uow, pid, year, found)
                       for pid, found in leave.items()}
        for pid, found in leave_years.items():
            self._leave[(pid, year)] = frozenset(found.months_on_leave)
        exact_ids = sorted({pid for pid, t in rollup.items() if not _summed(t, highest)}
                           | (self.uow.transfers.received_in(year) & members) | set(leave))
        by_person: dict[str, list[MonthlyTotal]] = {pid: [] for pid in exact_ids}
        if exact_ids:
            for evaluation in with_transferred_months(self.uow, self.uow.evaluations.monthly_totals(
                    person_ids=exact_ids, year=year, statuses=EVALUATED), exact_ids, year):
                by_person[evaluation.person_id].append(evaluation)
        rows: list[tuple[Person, tuple[Period, ...], tuple[Fraction, ...], YearResult, bool]]
        rows = []
        for person in people:
            penalised = person.id in disciplined
            org_level = org_levels.get(person.unit_id) if person.role is PersonRole.HEAD else None
            totals = rollup.get(person.id)
            if totals is not None and person.id not in by_person:
                months, values = totals.periods, totals.totals
                count = len(values)
                scaled, scale = totals.scaled_sum or 0, totals.SCALE * max(count, 1)
                # The exact mean from the integer sum of the stored decimals; the database's
                # float mean is the level's pre-check (exact comparison only near a cut-off).
                result = classify_mean(policy, count, lambda s=scaled, d=scale: Fraction(s, d),
                                       approx=totals.approx_mean, disciplined=penalised,
                                       org_level=org_level)
            else:
                months, values = self._exact_months(person.id, by_person.get(person.id, []))
                on_leave = leave_years.get(person.id)
                if on_leave is not None:
                    away = set(on_leave.months_on_leave)
                    kept = [(m, v) for m, v in zip(months, values, strict=True)
                            if m not in away]
                    months = tuple(m for m, _v in kept)
                    values = tuple(v for _m, v in kept)
                result = classify_year(policy, values, disciplined=penalised,
                                       leave_exception=bool(on_leave and on_leave.exception),
                                       org_level=org_level)
            rows.append((person, months, values, result, penalised))
        return YearRollup(unit=unit, policy=policy, discipline=discipline,
                          org_levels=org_levels, units=units, rows=rows)

    def _exact_months(self, person_id: str, evaluations: list[MonthlyTotal]
                      ) -> tuple[tuple[Period, ...], tuple[Fraction, ...]]:
        """A person's periods and totals, in order, computing the totals not stored."""
        months, totals = [], []
        for evaluation in sorted(evaluations,
                                 key=lambda e: (e.period.start, e.period.kind.months)):
            total = evaluation.total
            if total is None and not evaluation.insufficient:
                total = self.person_period(person_id, evaluation.period).score.total
            if total is None:
                continue
            months.append(evaluation.period)
            totals.append(Fraction(total))
        return tuple(months), tuple(totals)


def _summed(totals: YearTotals, highest: Fraction) -> bool:
    """Whether the exact sum of ``totals`` stands for the year: every period has a stored
    total (or none because it is insufficient), each a decimal in 0 … ``highest`` (in
    ten-thousandths; anything else is rolled up by ``classify_year``, which refuses it)."""
    if totals.uncomputed or totals.scaled_sum is None:
        return False
    return not totals.totals or (
        totals.lowest is not None and totals.highest is not None and totals.lowest >= 0
        and totals.highest <= highest)


def members_at_year_end(uow: Any, unit_ids: Sequence[str], year: int) -> list[Person]:
    """The people a unit tree classifies for ``year`` (Điều 19.1): whoever is a member of
    one of ``unit_ids`` on the last day of the year (their ``unit_id`` is that unit), and
    people without a membership that day by their current unit. Months are read from every
    unit the person was in (see :func:`with_transferred_months`)."""
    day = dt.date(year, 12, 31)
    tree = set(unit_ids)
    current = uow.org.list_people(unit_ids=unit_ids)
    on_day, inside = uow.transfers.units_on(day, person_ids=[p.id for p in current],
                                            unit_ids=list(unit_ids))
    people = [p for p in current if on_day.get(p.id, p.unit_id) in tree]
    known = {p.id for p in people}
    others = uow.org.get_people(pid for pid in inside if pid not in known)
    people += [p for p in others.values() if p.active]
    people = [p if inside.get(p.id, p.unit_id) == p.unit_id
              else dataclasses.replace(p, unit_id=inside[p.id]) for p in people]
    return sorted(people, key=lambda p: (p.full_name, p.id))


def with_transferred_months(uow: Any, totals: list[MonthlyTotal], person_ids: Sequence[str],
                            year: int) -> list[MonthlyTotal]:
    """``totals`` plus the months received from another agency (Điều 19.1) for the periods
    not evaluated here."""
    have = {(t.person_id, str(t.period)) for t in totals}
    received = [t for t in uow.transfers.totals(person_ids, year)
                if (t.person_id, str(t.period)) not in have]
    return totals + received if received else totals


def unit_tree(uow: Any, unit_id: str, *, units: Iterable[Unit] | None = None) -> list[str]:
    """``unit_id`` and every unit below it, breadth first, children by id (``units``: every
    unit, when the caller has them already)."""
    children: dict[str | None, list[str]] = {}
    for unit in uow.org.list_units() if units is None else units:  # one query, not one a unit
        children.setdefault(unit.parent_id, []).append(unit.id)
    found, queue = [], [unit_id]
    while queue:
        current = queue.pop(0)
        found.append(current)
        queue.extend(sorted(children.get(current, ())))
    return found


def _mean_of(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def _leave_months(uow: Any, person_id: str, year: int) -> list[Period]:
    """Months of ``year`` entirely on leave (Điều 11.2, :mod:`kpi_desktop.services.leave`)."""
    return list(leave_months(uow, person_id, year).months_on_leave)


def _meta(
    item: CatalogItem,
    coefficient: Decimal,
    quantity: Decimal,
    assignment_id: str | None,
    entry_ids: tuple[str, ...],
    tally: ReviewTally | None = None,
) -> dict[str, Any]:
    return {
        "item": item,
        "coefficient": coefficient,
        "quantity": quantity,
        "assignment": assignment_id,
        "entries": entry_ids,
        "quality_reason": tally.quality_cause_reason if tally else "",
        "timeliness_reason": tally.timeliness_cause_reason if tally else "",
    }


def _factor(value: Decimal | None) -> int:
    return 100 if value is None else int(value)


def _outcome(
    entry: WorkLogEntry, tally: ReviewTally | None, deadline: dt.date | None
) -> tuple[int, int, dict[str, bool]]:
    """Failed reviews, delays (an entry completed after its deadline has at least one) and the
    objective causes the leader confirmed, each for its own deduction (Điều 14.2b, 14.2c)."""
    failed = tally.failed_reviews if tally else 0
    delays = tally.delays if tally else 0
    deadline = entry.deadline or deadline
    if deadline is not None and entry.completed_on is not None and entry.completed_on > deadline:
        delays = max(delays, 1)
    causes = {"quality_cause": bool(tally and tally.quality_cause),
              "timeliness_cause": bool(tally and tally.timeliness_cause)}
    return failed, delays, causes


def _general_points(evaluation: MonthlyEvaluation | None) -> tuple[Decimal, str]:
    if evaluation is None:
        return Decimal(0), "none"
    if evaluation.status in EVALUATED and evaluation.confirmed_criteria:
        return sum(evaluation.confirmed_criteria.values(), Decimal(0)), "confirmed"
    if evaluation.self_criteria:
        return sum(evaluation.self_criteria.values(), Decimal(0)), "self"
    return Decimal(0), "none"
