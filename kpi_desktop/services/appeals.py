"""Appeals (kiến nghị, Điều 22) against a month's evaluation or the year's classification.

An official who disagrees with a notified result files an appeal with a reason: only against
their own locked (or confirmed) month or quarter, or their own decided year. The competent
person — whoever evaluates the official (directly, or as acting evaluator) on the last day of
the period or today — must resolve it within 7 working days of receipt (Điều 22), counted by
the working-day calendar (:mod:`kpi_desktop.services.calendar`: Tết and the other public
holidays, the agency's days off and make-up days). The decision is "upheld" (the result stays)
or "changed":

* a changed month gets new confirmed general criteria (and, for leaders, new đ/e); the score
  is computed again and replaces the stored evaluation, while the old one is kept in
  ``replaced_evaluations`` (the history of a changed result, Điều 21.3);
* a changed year goes through the classification's replacement decision
  (:meth:`ClassificationService.supersede`, Điều 21.3): a new record supersedes the old one.

The official may withdraw an open appeal. Everything is audited; appeals are signed by their
author (and decisions by the decider) when the key is unlocked, as the other records are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.inputs import check_date
from kpi_desktop.domain.model import (
    AnnualClassification,
    Appeal,
    AppealOutcome,
    AppealStatus,
    EvaluationStatus,
    Level,
    MonthlyEvaluation,
    Period,
    PeriodKind,
    ReplacedEvaluation,
    canonical_json,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.calendar import WorkingCalendar, calendar_for
from kpi_desktop.services.classification import ClassificationService, parse_level
from kpi_desktop.services.evaluation import parse_criteria, parse_factor
from kpi_desktop.services.leadership import audit, person_or_fail, today_function
from kpi_desktop.services.scores import Calculator
from kpi_desktop.sync.records import to_json
from kpi_desktop.sync.signing import appeal_bytes, appeal_decision_bytes

# Điều 22: the competent person resolves an appeal within 7 working days of receipt.
DEADLINE_WORKING_DAYS = 7
DONE = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
APPEALABLE_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


@dataclass(frozen=True)
class AppealView:
    """An appeal as the lists show it, with its deadline counted in working days."""

    appeal: Appeal
    person_name: str
    deadline: dt.date | None
    days_left: int | None  # working days from today to the deadline; < 0 = overdue
    late_by: int  # working days the decision came after the deadline (0 = in time)
    current_total: Any  # Fraction | None: the month's total now
    current_level: Level | None  # the month's band, or the year's decided level, now
    can_decide: bool  # the viewer is competent and the appeal is open
    decider_names: tuple[str, ...]
    viewer_competent: bool = False  # the viewer is (one of) the competent person(s)

    @property
    def is_year(self) -> bool:
        return self.appeal.period.kind is PeriodKind.YEAR

    @property
    def is_open(self) -> bool:
        return self.appeal.status is AppealStatus.FILED

    @property
    def overdue(self) -> bool:
        return self.is_open and self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class AppealablePeriod:
    """A result the person may appeal against."""

    period: Period
    total: Any  # Fraction | None (a month)
    level: Level | None


@dataclass(frozen=True)
class ResultHistory:
    """The history of a changed result: the replaced months, or every classification."""

    replaced: tuple[ReplacedEvaluation, ...]
    classifications: tuple[AnnualClassification, ...]


@dataclass(frozen=True)
class DecisionContext:
    """What the decide dialog starts from: the result now and whether đ/e apply."""

    evaluation: MonthlyEvaluation | None  # a month's (or quarter's) current evaluation
    classification: AnnualClassification | None  # a year's current classification
    is_leader: bool


class _Joined:
    """A ``db`` whose unit of work is an already open one (to run another service's use case
    inside this transaction: all or nothing)."""

    def __init__(self, uow: Any) -> None:
        self._uow = uow

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Any]:
        yield self._uow


def status_label(status: AppealStatus | str) -> str:
    """The name of an appeal's state."""
    value = getattr(status, "value", status)
    return {
        "filed": translate("Appeal", "waiting for a decision"),
        "decided": translate("Appeal", "decided"),
        "withdrawn": translate("Appeal", "withdrawn"),
    }.get(str(value), str(value))


def outcome_label(outcome: AppealOutcome | str | None) -> str:
    """The name of a decision's outcome."""
    value = getattr(outcome, "value", outcome)
    return {
        "unchanged": translate("Appeal", "Result upheld"),
        "changed": translate("Appeal", "Result changed"),
    }.get(str(value), "")


def deadline_text(view: AppealView) -> str:
    """"3 working days left", "due today", "overdue by 2 working days", "decided late"…"""
    if view.is_open:
        if view.days_left is None:
            return ""
        if view.days_left == 1:
            return translate("Appeal", "1 working day left")
        if view.days_left > 0:
            return (translate("Appeal", "{n} working day left") if view.days_left == 1 else
                    translate("Appeal", "{n} working days left")).format(n=view.days_left)
        if view.days_left == 0:
            return translate("Appeal", "due today")
        if view.days_left == -1:
            return translate("Appeal", "overdue by 1 working day")
        return (translate("Appeal", "overdue by {n} working day") if view.days_left == -1 else
                translate("Appeal", "overdue by {n} working days")).format(n=-view.days_left)
    if view.appeal.status is AppealStatus.DECIDED:
        if view.late_by == 1:
            return translate("Appeal", "decided 1 working day late")
        if view.late_by:
            return (translate("Appeal", "decided {n} working day late") if view.late_by == 1
                    else translate("Appeal", "decided {n} working days late")).format(
                n=view.late_by)
        return translate("Appeal", "decided in time")
    return ""


def parse_appeal_period(value: Period | str) -> Period:
    try:
        period = value if isinstance(value, Period) else Period.parse(str(value))
    except RefusedValue:
        raise RefusedValue("period_malformed", value=str(value),
                           accepts="_".join(k.value for k in APPEALABLE_KINDS)) from None
    if period.kind not in APPEALABLE_KINDS:
        raise RefusedValue("appeal_period_kind", period=str(period))
    return period


def parse_outcome(value: AppealOutcome | str) -> AppealOutcome:
    """"upheld"/"unchanged" or "changed"."""
    text = normalize_text(str(getattr(value, "value", value))).lower()
    if text in ("upheld", "unchanged", "uphold"):
        return AppealOutcome.UNCHANGED
    if text == "changed":
        return AppealOutcome.CHANGED
    raise RefusedValue("appeal_outcome_unknown", value=str(value))


class AppealService:
    """Filing, listing, deciding and withdrawing appeals."""

    def __init__(self, db: Any, *, keys: Any = None,
                 today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._keys = keys
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    # ---------------------------------------------------------------- the official ---------
    def appealable(self, person_id: str) -> list[AppealablePeriod]:
        """The person's locked months/quarters and decided years, newest first."""
        with self._db.unit_of_work(read_only=True) as uow:
            person_or_fail(uow, person_id)
            found = [AppealablePeriod(e.period, e.total, e.level)
                     for e in uow.evaluations.list_monthly(person_id=person_id, statuses=DONE)]
            years = sorted({e.period.year for e in found} | {self.today().year})
            for year in years:
                current = uow.evaluations.current_annual(person_id, year)
                if current is not None and current.decided_at is not None:
                    found.append(AppealablePeriod(Period.whole_year(year), current.mean,
                                                  current.decided_level))
        return sorted(found, key=lambda a: (a.period.end, a.period.kind.months), reverse=True)

    def file(self, person_id: str, period: Period | str, reason: str) -> Appeal:
        """File an appeal against one's own notified result; received today.

        Raises:
            RefusedValue: ``appeal_reason_missing``, ``appeal_period_kind``,
                ``period_malformed``, ``not_found``.
            InvalidState: ``appeal_not_evaluated`` (the month is not locked yet),
                ``appeal_not_decided`` (the year has no decision), ``appeal_already_open``.
        """
        chosen = parse_appeal_period(period)
        why = normalize_text(reason or "")
        if not why:
            raise RefusedValue("appeal_reason_missing")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = person_or_fail(uow, normalize_text(person_id))
            if chosen.kind is PeriodKind.YEAR:
                current = uow.evaluations.current_annual(person.id, chosen.year)
                if current is None or current.decided_at is None:
                    raise InvalidState("appeal_not_decided", year=str(chosen.year))
            else:
                evaluation = uow.evaluations.get_monthly(person.id, chosen)
                if evaluation is None or evaluation.status not in DONE:
                    raise InvalidState("appeal_not_evaluated", period=str(chosen))
            if any(a.period == chosen for a in uow.appeals.list_open(person_ids=[person.id])):
                raise InvalidState("appeal_already_open", period=str(chosen))
            appeal = Appeal(id=new_id(), person_id=person.id, period=chosen, reason=why,
                            filed_at=now, received_on=self.today())
            appeal = self._signed(appeal, person, appeal_bytes)
            uow.appeals.add(appeal)
            deadline = self._deadline(calendar_for(uow, appeal.received_on,
                                                   appeal.received_on), appeal)
            audit(uow, "appeal.file", "appeal", appeal.id, person.id,
                  {"period": str(chosen), "reason": why,
                   "received_on": self.today().isoformat(),
                   "deadline": None if deadline is None else deadline.isoformat()}, now)
            return appeal

    def withdraw(self, person_id: str, appeal_id: str) -> Appeal:
        """The author withdraws an appeal that is still open."""
        now = utc_now()
        with self._db.unit_of_work() as uow:
            appeal = uow.appeals.get(appeal_id)
            if appeal.person_id != person_id:
                raise InvalidState("appeal_not_own", id=appeal_id)
            if appeal.status is not AppealStatus.FILED:
                raise InvalidState("appeal_not_open", id=appeal_id, status=appeal.status.value)
            person = person_or_fail(uow, person_id)
            withdrawn = self._signed(replace(appeal, status=AppealStatus.WITHDRAWN,
                                             signature=None, key_fingerprint=None),
                                     person, appeal_bytes)
            uow.appeals.update(withdrawn)
            audit(uow, "appeal.withdraw", "appeal", appeal.id, person_id,
                  {"period": str(appeal.period)}, now)
            return withdrawn

    def for_person(self, person_id: str, *, viewer_id: str | None = None) -> list[AppealView]:
        """A person's appeals, newest first."""
        with self._db.unit_of_work(read_only=True) as uow:
            appeals = uow.appeals.list_for_person(person_id)
            views = self._views(uow, appeals, viewer_id or person_id)
        return sorted(views, key=lambda v: (v.appeal.received_on or v.appeal.filed_at.date(),
                                            v.appeal.filed_at), reverse=True)

    # ---------------------------------------------------------------- the competent person --
    def for_decider(self, actor_id: str, *, include_decided: bool = False) -> list[AppealView]:
        """The appeals ``actor_id`` must decide (open first, nearest deadline first); with
        ``include_decided`` also the ones already decided or withdrawn."""
        with self._db.unit_of_work(read_only=True) as uow:
            person_or_fail(uow, actor_id)
            if include_decided:
                ids = {r.evaluatee_id for r in uow.org.evaluatees_of(actor_id, self.today())}
                appeals = [a for pid in sorted(ids) for a in uow.appeals.list_for_person(pid)]
                appeals += [a for a in uow.appeals.list_open() if a.person_id not in ids]
            else:
                appeals = uow.appeals.list_open()
            views = [v for v in self._views(uow, appeals, actor_id) if v.viewer_competent]
        big = 10**6
        return sorted(views, key=lambda v: (
            not v.is_open, v.days_left if v.days_left is not None else big,
            -(v.appeal.decided_at or v.appeal.filed_at).timestamp()))

    def get(self, appeal_id: str, *, viewer_id: str | None = None) -> AppealView:
        with self._db.unit_of_work(read_only=True) as uow:
            appeal = uow.appeals.get(appeal_id)
            return self._views(uow, [appeal], viewer_id or appeal.person_id)[0]

    def decision_context(self, appeal_id: str) -> DecisionContext:
        """The current result an appeal is about (for the decide dialog)."""
        with self._db.unit_of_work(read_only=True) as uow:
            appeal = uow.appeals.get(appeal_id)
            person = person_or_fail(uow, appeal.person_id)
            if appeal.period.kind is PeriodKind.YEAR:
                return DecisionContext(None, uow.evaluations.current_annual(
                    appeal.person_id, appeal.period.year), person.role.is_leader)
            return DecisionContext(uow.evaluations.get_monthly(appeal.person_id, appeal.period),
                                   None, person.role.is_leader)

    def result_history(self, person_id: str, period: Period | str) -> ResultHistory:
        """The history of a person's result for a period: the months replaced by appeal
        decisions, or every classification of the year (superseded ones included)."""
        chosen = parse_appeal_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            if chosen.kind is PeriodKind.YEAR:
                return ResultHistory((), tuple(uow.evaluations.annual_history(person_id,
                                                                              chosen.year)))
            return ResultHistory(tuple(uow.replaced_evaluations.list_for(person_id, chosen)), ())

    def decide(self, actor_id: str, appeal_id: str, outcome: AppealOutcome | str,
               decision: str, *,
               criteria: Mapping[str, Decimal | str | int | float] | None = None,
               dd: Decimal | int | str | None = None, e: Decimal | int | str | None = None,
               level: Level | str | None = None, decision_no: str = "",
               decision_date: dt.date | None = None) -> Appeal:
        """Record the decision on an appeal (one transaction: all or nothing).

        ``outcome`` "upheld" keeps the result. "changed" on a month needs new ``criteria``
        (every general criterion) and/or new ``dd``/``e`` for a leader; on a year a new
        ``level`` and the replacement decision's ``decision_no`` (and date, default today).

        Raises:
            RefusedValue: ``appeal_decision_missing``, ``appeal_outcome_unknown``,
                ``appeal_change_missing``, ``appeal_change_same`` and the refusals of the
                criteria, factors and levels.
            InvalidState: ``appeal_not_open``, ``own_work``, ``not_evaluator`` and the
                classification's refusals (e.g. ``classification_above_computed``).
        """
        chosen = parse_outcome(outcome)
        if decision_date is not None:
            check_date(decision_date, "decision_date", today=self.today())
        text = normalize_text(decision or "")
        if not text:
            raise RefusedValue("appeal_decision_missing")
        parsed = None if criteria is None else parse_criteria(criteria)
        dd_value, e_value = parse_factor(dd), parse_factor(e)
        new_level = parse_level(level)
        number = normalize_text(decision_no or "")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            appeal = uow.appeals.get(appeal_id)
            if appeal.status is not AppealStatus.FILED:
                raise InvalidState("appeal_not_open", id=appeal.id, status=appeal.status.value)
            self._require_competent(uow, actor_id, appeal)
            detail: dict[str, Any] = {}
            if chosen is AppealOutcome.CHANGED:
                if appeal.period.kind is PeriodKind.YEAR:
                    detail = self._change_year(uow, actor_id, appeal, new_level, number,
                                               decision_date or self.today(), text)
                else:
                    detail = self._change_month(uow, actor_id, appeal, parsed, dd_value,
                                                e_value, text, now)
            calendar = calendar_for(uow, appeal.received_on or self.today(), self.today())
            deadline = self._deadline(calendar, appeal)
            late = 0 if deadline is None else max(0, calendar.working_days_between(
                deadline, self.today()))
            actor = person_or_fail(uow, actor_id)
            decided = replace(appeal, status=AppealStatus.DECIDED, decision=text,
                              outcome=chosen, decided_by=actor_id, decided_at=now,
                              decided_on=self.today())
            decided = self._signed(decided, actor, appeal_decision_bytes, decision=True)
            uow.appeals.update(decided)
            audit(uow, "appeal.decide", "appeal", appeal.id, actor_id,
                  {"person": appeal.person_id, "period": str(appeal.period),
                   "outcome": chosen.value, "decision": text,
                   "deadline": None if deadline is None else deadline.isoformat(),
                   "late_working_days": late, **detail}, now)
            return decided

    # ---------------------------------------------------------------- internals ------------
    def _change_month(self, uow: Any, actor_id: str, appeal: Appeal,
                      criteria: dict[str, Decimal] | None, dd: Decimal | None,
                      e: Decimal | None, text: str, now: dt.datetime) -> dict[str, Any]:
        if criteria is None and dd is None and e is None:
            raise RefusedValue("appeal_change_missing")
        person = person_or_fail(uow, appeal.person_id)
        if not person.role.is_leader and (dd is not None or e is not None):
            raise RefusedValue("leader_factor_not_leader", person=person.id)
        stored = uow.evaluations.get_monthly(appeal.person_id, appeal.period)
        if stored is None or stored.status not in DONE:
            raise InvalidState("evaluation_not_locked", person=appeal.person_id,
                               period=str(appeal.period))
        new_criteria = criteria if criteria is not None else dict(stored.confirmed_criteria)
        new_dd = dd if dd is not None else stored.dd
        new_e = e if e is not None else stored.e
        if (new_criteria == dict(stored.confirmed_criteria) and new_dd == stored.dd
                and new_e == stored.e):
            raise RefusedValue("appeal_change_same")
        uow.replaced_evaluations.add(ReplacedEvaluation(
            id=new_id(), person_id=stored.person_id, period=stored.period, replaced_at=now,
            snapshot_json=canonical_json(to_json(stored)), total=stored.total,
            general_points=stored.general_points, level=stored.level, replaced_by=actor_id,
            appeal_id=appeal.id, reason=text))
        changed = replace(stored, status=EvaluationStatus.LOCKED, confirmed_criteria=new_criteria,
                          dd=new_dd, e=new_e, evaluator_id=actor_id, confirmed_at=now,
                          locked_at=now, updated_at=now, evaluator_signature=None,
                          evaluator_key_fingerprint=None)
        uow.evaluations.upsert_monthly(changed)
        result = Calculator(uow).person_period(stored.person_id, stored.period)
        score = result.score
        d = Decimal(int(result.leader.d)) if result.leader is not None else stored.d
        changed = _scored(changed, score, d)
        uow.evaluations.upsert_monthly(changed)
        detail = {"previous_total": _text(stored.total), "total": _text(changed.total),
                  "previous_level": None if stored.level is None else stored.level.value,
                  "level": None if changed.level is None else changed.level.value}
        audit(uow, "evaluation.appeal_change", "evaluation",
              f"{stored.person_id}@{stored.period}", actor_id,
              {"appeal": appeal.id, "decision": text, **detail,
               "general": _text(changed.general_points),
               "policy_version": changed.policy_version}, now)
        return detail

    def _change_year(self, uow: Any, actor_id: str, appeal: Appeal, level: Level | None,
                     number: str, decision_date: dt.date, text: str) -> dict[str, Any]:
        current = uow.evaluations.current_annual(appeal.person_id, appeal.period.year)
        if current is None or current.decided_at is None:
            raise InvalidState("classification_not_decided", id=appeal.person_id)
        if level is None:
            raise RefusedValue("appeal_change_missing")
        if level is current.decided_level:
            raise RefusedValue("appeal_change_same")
        if not number:
            raise RefusedValue("reason_missing", field="decision_no")
        classification = ClassificationService(_Joined(uow), today=self._today)
        new = classification.supersede(actor_id, current.id, level, decision_no=number,
                                       decision_date=decision_date, reason=text)
        return {"previous_level": None if current.decided_level is None
                else current.decided_level.value,
                "level": level.value, "classification": new.id, "supersedes": current.id,
                "decision_no": number}

    def _competent_ids(self, uow: Any, appeal: Appeal) -> set[str]:
        today = self.today()
        days = {today, min(appeal.period.end, today)}
        ids = {r.evaluator_id for day in days
               for r in uow.org.evaluators_of(appeal.person_id, day)}
        return ids - {appeal.person_id}

    def _require_competent(self, uow: Any, actor_id: str, appeal: Appeal) -> None:
        person_or_fail(uow, actor_id)
        if actor_id == appeal.person_id:
            raise InvalidState("own_work", person=actor_id)
        if actor_id not in self._competent_ids(uow, appeal):
            raise InvalidState("not_evaluator", actor=actor_id, person=appeal.person_id)

    @staticmethod
    def _deadline(calendar: WorkingCalendar, appeal: Appeal) -> dt.date | None:
        if appeal.received_on is None:
            return None
        return calendar.add_working_days(appeal.received_on, DEADLINE_WORKING_DAYS)

    def _views(self, uow: Any, appeals: list[Appeal], viewer_id: str) -> list[AppealView]:
        if not appeals:
            return []
        today = self.today()
        received = [a.received_on for a in appeals if a.received_on] or [today]
        calendar = calendar_for(uow, min(received), max(received + [today]))
        people = uow.org.get_people({a.person_id for a in appeals})
        names: dict[str, str] = {p.id: p.full_name for p in people.values()}
        views = []
        for appeal in appeals:
            deadline = self._deadline(calendar, appeal)
            days_left = late = None
            if deadline is not None:
                if appeal.status is AppealStatus.FILED:
                    days_left = calendar.working_days_between(today, deadline)
                elif appeal.status is AppealStatus.DECIDED:
                    day = appeal.decided_on or (appeal.decided_at.date()
                                                if appeal.decided_at else today)
                    late = max(0, calendar.working_days_between(deadline, day))
            competent = self._competent_ids(uow, appeal)
            for pid in competent - names.keys():
                found = uow.org.find_person(pid)
                names[pid] = found.full_name if found else pid
            total, level = self._current(uow, appeal)
            views.append(AppealView(
                appeal=appeal, person_name=names.get(appeal.person_id, appeal.person_id),
                deadline=deadline, days_left=days_left, late_by=late or 0,
                current_total=total, current_level=level,
                can_decide=viewer_id in competent and appeal.status is AppealStatus.FILED,
                decider_names=tuple(sorted(names[i] for i in competent)),
                viewer_competent=viewer_id in competent))
        return views

    @staticmethod
    def _current(uow: Any, appeal: Appeal) -> tuple[Any, Level | None]:
        if appeal.period.kind is PeriodKind.YEAR:
            current = uow.evaluations.current_annual(appeal.person_id, appeal.period.year)
            if current is None:
                return None, None
            return current.mean, current.decided_level
        evaluation = uow.evaluations.get_monthly(appeal.person_id, appeal.period)
        if evaluation is None:
            return None, None
        return evaluation.total, evaluation.level

    def _signed(self, appeal: Appeal, person: Any, to_bytes: Callable[[Appeal], bytes], *,
                decision: bool = False) -> Appeal:
        key = self._keys.unlocked(person.id) if self._keys is not None else None
        if key is None or person.key_fingerprint != key.fingerprint:
            return appeal
        signature = key.sign(to_bytes(appeal))
        if decision:
            return dataclasses.replace(appeal, decision_signature=signature,
                                       decision_key_fingerprint=key.fingerprint)
        return dataclasses.replace(appeal, signature=signature, key_fingerprint=key.fingerprint)


def _scored(evaluation: MonthlyEvaluation, score: Any, d: Decimal | None) -> MonthlyEvaluation:
    return replace(evaluation, d=d, a=score.a, b=score.b, c=score.c,
                   task_ratio=score.task_ratio, task_points=score.task_points,
                   general_points=score.general_points, total=score.total, level=score.level,
                   insufficient=score.insufficient, policy_version=score.policy_version)


def _text(value: Any) -> str | None:
    return None if value is None else f"{float(value):.4f}"


__all__ = ["DEADLINE_WORKING_DAYS", "AppealService", "AppealView", "parse_outcome"]
