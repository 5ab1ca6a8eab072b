"""The evaluator's monthly evaluation (Form 01): confirm or adjust, d/đ/e, lock, unlock.

Month: open → submitted by the official (Form 01 self-score) → confirmed by the evaluator →
locked (DESIGN.md §5). Confirming stores the evaluator's general criteria and the computed
score with the policy version, and locks the month at once; reopening needs a reason and is
audited. For a head, d follows from the subordinates' scores (Điều 15.3); đ and e are set by
the evaluator (100 % or 50 %).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from kpi_desktop.domain.errors import InvalidState, KpiError, RefusedValue
from kpi_desktop.domain.model import (
    GENERAL_CRITERIA,
    AuditEvent,
    EvaluationStatus,
    EvaluatorRelation,
    MonthlyEvaluation,
    Period,
    normalize_text,
    utc_now,
)
from kpi_desktop.services.leadership import (
    audit,
    delegate,
    evaluatee_ids,
    person_or_fail,
    require_evaluator,
    text_required,
    today_function,
)
from kpi_desktop.services.scores import Calculator, PersonPeriodResult, parse_period

DONE = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
_MAX = {c.code: c.max_points for c in GENERAL_CRITERIA}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class EvaluationRow:
    """One person's month as the evaluator's list shows it."""

    person_id: str
    person_name: str
    is_leader: bool
    status: EvaluationStatus
    self_points: Decimal | None
    confirmed_points: Decimal | None
    result: PersonPeriodResult
    evaluation: MonthlyEvaluation | None


@dataclass
class ConfirmManyResult:
    confirmed: list[str]
    skipped: list[tuple[str, KpiError]]


def parse_criteria(values: Mapping[str, Decimal | str | int | float]) -> dict[str, Decimal]:
    """Every general criterion with points within its maximum (refused otherwise)."""
    result: dict[str, Decimal] = {}
    unknown = set(values) - set(_MAX)
    if unknown:
        raise RefusedValue("criterion_unknown", code=", ".join(sorted(unknown)))
    for code, maximum in _MAX.items():
        if code not in values:
            raise RefusedValue("confirmed_criterion_missing", code=code)
        try:
            points = Decimal(normalize_text(str(values[code])).replace(",", "."))
        except InvalidOperation:
            raise RefusedValue("decimal_malformed", value=str(values[code])) from None
        if not points.is_finite() or points < 0 or points > maximum:
            raise RefusedValue("confirmed_criterion_out_of_range", code=code,
                               value=str(values[code]), maximum=str(maximum))
        result[code] = points
    return result


def parse_factor(value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        factor = Decimal(str(value))
    except InvalidOperation:
        raise RefusedValue("leader_factor_invalid", value=str(value)) from None
    if factor not in (Decimal(100), Decimal(50)):
        raise RefusedValue("leader_factor_invalid", value=str(value))
    return factor


class EvaluationService:
    """Monthly evaluations decided by an evaluator."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    # ---------------------------------------------------------------- reading --------------
    def overview(self, evaluator_id: str, period: str | Period) -> list[EvaluationRow]:
        """The people ``evaluator_id`` evaluates, with their month's state and score."""
        month = period if isinstance(period, Period) else parse_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            calc = Calculator(uow)
            rows = []
            for pid in evaluatee_ids(uow, evaluator_id, self.today()):
                person = person_or_fail(uow, pid)
                evaluation = uow.evaluations.get_monthly(pid, month)
                rows.append(EvaluationRow(
                    person_id=pid, person_name=person.full_name,
                    is_leader=person.role.is_leader,
                    status=evaluation.status if evaluation else EvaluationStatus.OPEN,
                    self_points=_sum(evaluation.self_criteria) if evaluation else None,
                    confirmed_points=_sum(evaluation.confirmed_criteria)
                    if evaluation else None,
                    result=calc.person_period(pid, month), evaluation=evaluation))
            return sorted(rows, key=lambda r: (not r.is_leader, r.person_name, r.person_id))

    def form(self, evaluator_id: str, person_id: str,
             period: str | Period) -> EvaluationRow:
        """One person's Form 01 for the evaluator (checks the evaluator may see it)."""
        month = period if isinstance(period, Period) else parse_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            require_evaluator(uow, evaluator_id, person_id, self.today())
        for row in self.overview(evaluator_id, month):
            if row.person_id == person_id:
                return row
        raise InvalidState("not_evaluator", actor=evaluator_id, person=person_id)

    def history(self, person_id: str, period: str | Period) -> list[AuditEvent]:
        """The audit lines of a person's month (confirmations, unlocks)."""
        month = period if isinstance(period, Period) else parse_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.audit.list_events(object_type="evaluation",
                                         object_id=f"{person_id}@{month}")

    # ---------------------------------------------------------------- changing -------------
    def confirm(self, evaluator_id: str, person_id: str, period: str | Period, *,
                criteria: Mapping[str, Decimal | str | int | float] | None = None,
                comment: str = "", dd: Decimal | int | str | None = None,
                e: Decimal | int | str | None = None) -> MonthlyEvaluation:
        """Confirm (or adjust) a person's month and lock it.

        ``criteria`` None accepts the person's self-assessment; other values adjust it and
        then need a ``comment``. ``dd``/``e`` apply to leaders only (default 100 %).

        Raises:
            RefusedValue / InvalidState: nothing is written then.
        """
        month = period if isinstance(period, Period) else parse_period(period)
        parsed = None if criteria is None else parse_criteria(criteria)
        dd_value, e_value = parse_factor(dd), parse_factor(e)
        note = normalize_text(comment or "")
        with self._db.unit_of_work() as uow:
            return self._confirm(uow, evaluator_id, person_id, month, parsed, note,
                                 dd_value, e_value)

    def confirm_many(self, evaluator_id: str, period: str | Period,
                     person_ids: Iterable[str] | None = None, *,
                     progress: Progress | None = None) -> ConfirmManyResult:
        """Accept the submitted self-assessments of several people (staff before leaders).

        People without a self-assessment, or already confirmed, are skipped with the reason.
        """
        month = period if isinstance(period, Period) else parse_period(period)
        result = ConfirmManyResult(confirmed=[], skipped=[])
        with self._db.unit_of_work(read_only=True) as uow:
            ids = list(person_ids) if person_ids is not None else \
                evaluatee_ids(uow, evaluator_id, self.today())
            people = uow.org.get_people(ids)
        ordered = sorted(ids, key=lambda i: (i in people and people[i].role.is_leader, i))
        for index, pid in enumerate(ordered):
            try:
                with self._db.unit_of_work() as uow:
                    self._confirm(uow, evaluator_id, pid, month, None, "", None, None)
            except KpiError as error:
                result.skipped.append((pid, error))
            else:
                result.confirmed.append(pid)
            if progress:
                progress(index + 1, len(ordered))
        return result

    def unlock(self, actor_id: str, person_id: str, period: str | Period,
               reason: str, *, to_official: bool = False) -> MonthlyEvaluation:
        """Reopen a confirmed month (a reason is required; audited).

        The month goes back to "submitted" (the evaluator decides again), or to "open" with
        ``to_official`` (or when it was never submitted) so the official can change Form 01.
        """
        month = period if isinstance(period, Period) else parse_period(period)
        text = text_required(reason, "reason")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            require_evaluator(uow, actor_id, person_id, self.today())
            stored = uow.evaluations.get_monthly(person_id, month)
            if stored is None or stored.status not in DONE:
                raise InvalidState("evaluation_not_locked", person=person_id, period=str(month))
            status = EvaluationStatus.SUBMITTED if stored.submitted_at and not to_official \
                else EvaluationStatus.OPEN
            # A reopening is the evaluator's decision too: signed at the next export with the
            # next version of the month, so an older confirmation replayed never comes back.
            reopened = replace(stored, status=status, locked_at=None, updated_at=now,
                               evaluator_id=actor_id, reopened_at=now, reopen_reason=text,
                               reopened_to_official=to_official)
            uow.evaluations.upsert_monthly(reopened)
            audit(uow, "evaluation.unlock", "evaluation", f"{person_id}@{month}", actor_id,
                  {"reason": text, "previous_total": _text(stored.total),
                   "previous_status": stored.status.value, "status": status.value}, now)
            return reopened

    def audit_trail(self, leader_id: str, *, limit: int = 500) -> list[AuditEvent]:
        """The latest state changes made by ``leader_id`` or the people they evaluate."""
        with self._db.unit_of_work(read_only=True) as uow:
            actors = [leader_id, *evaluatee_ids(uow, leader_id, self.today())]
            events: list[AuditEvent] = []
            for actor in actors:
                events += uow.audit.list_events(actor_id=actor, newest_first=True, limit=limit)
        events.sort(key=lambda e: (e.at, e.id or 0), reverse=True)
        return events[:limit]

    # ---------------------------------------------------------------- acting evaluator -----
    def delegate(self, evaluator_id: str, acting_id: str, start: dt.date, end: dt.date,
                 note: str = "") -> list[EvaluatorRelation]:
        """Let ``acting_id`` evaluate ``evaluator_id``'s people from ``start`` to ``end``."""
        with self._db.unit_of_work() as uow:
            return delegate(uow, evaluator_id, acting_id, start, end, note)

    def delegations(self, evaluator_id: str) -> list[EvaluatorRelation]:
        """The acting relations ``evaluator_id`` made (current and past)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return [r for r in uow.org.list_evaluator_relations()
                    if r.delegated_by_id == evaluator_id]

    def acting_candidates(self, evaluator_id: str) -> list[tuple[str, str]]:
        """(id, name) of the colleagues who may act for ``evaluator_id``: their unit's leaders
        and the leaders they evaluate."""
        with self._db.unit_of_work(read_only=True) as uow:
            me = person_or_fail(uow, evaluator_id)
            ids = set(evaluatee_ids(uow, evaluator_id, self.today()))
            people = [p for p in uow.org.list_people(unit_id=me.unit_id)] + \
                list(uow.org.get_people(ids).values())
            found = {p.id: p.full_name for p in people
                     if p.id != evaluator_id and p.role.is_leader}
            return sorted(found.items(), key=lambda pair: (pair[1], pair[0]))

    # ---------------------------------------------------------------- internals ------------
    def _confirm(self, uow: Any, evaluator_id: str, person_id: str, month: Period,
                 criteria: dict[str, Decimal] | None, comment: str, dd: Decimal | None,
                 e: Decimal | None) -> MonthlyEvaluation:
        require_evaluator(uow, evaluator_id, person_id, self.today())
        person = person_or_fail(uow, person_id)
        if month.start > self.today():
            raise InvalidState("period_in_future", period=str(month))
        stored = uow.evaluations.get_monthly(person_id, month)
        if stored is not None and stored.status in DONE:
            raise InvalidState("period_locked", period=str(month))
        own = dict(stored.self_criteria) if stored else {}
        if criteria is None:
            if not own:
                raise InvalidState("self_assessment_missing", person=person_id,
                                   period=str(month))
            criteria = parse_criteria(own)
        adjusted = criteria != own
        if adjusted and own and not comment:
            raise RefusedValue("adjust_comment_missing")
        if not person.role.is_leader and (dd is not None or e is not None):
            raise RefusedValue("leader_factor_not_leader", person=person_id)
        if person.role.is_leader:
            dd = dd if dd is not None else Decimal(100)
            e = e if e is not None else Decimal(100)
        now = utc_now()
        base = stored or MonthlyEvaluation(person_id=person_id, period=month)
        evaluation = replace(
            base, status=EvaluationStatus.LOCKED, unit_id=base.unit_id or person.unit_id,
            confirmed_criteria=criteria, evaluator_id=evaluator_id, comment=comment, dd=dd, e=e,
            d=None,  # a head's factor is computed again below from the subordinates' months
            confirmed_at=now, locked_at=now, updated_at=now, reopened_at=None, reopen_reason="",
            reopened_to_official=False)
        uow.evaluations.upsert_monthly(evaluation)
        # Score with the confirmed criteria now in place (a fresh calculator: no stale cache).
        result = Calculator(uow).person_period(person_id, month)
        score = result.score
        d = Decimal(int(result.leader.d)) if result.leader is not None else None
        evaluation = replace(
            evaluation, d=d, a=score.a, b=score.b, c=score.c, task_ratio=score.task_ratio,
            task_points=score.task_points, general_points=score.general_points,
            total=score.total, level=score.level, insufficient=score.insufficient,
            policy_version=score.policy_version)
        uow.evaluations.upsert_monthly(evaluation)
        audit(uow, "evaluation.confirm", "evaluation", f"{person_id}@{month}", evaluator_id,
              {"adjusted": adjusted, "self_assessment": bool(own), "comment": comment,
               "general": _text(score.general_points), "total": _text(score.total),
               "d": None if d is None else str(d), "dd": None if dd is None else str(dd),
               "e": None if e is None else str(e), "policy_version": score.policy_version},
              now)
        audit(uow, "evaluation.lock", "evaluation", f"{person_id}@{month}", evaluator_id, {},
              now)
        return evaluation


def _sum(criteria: Mapping[str, Decimal]) -> Decimal | None:
    return sum(criteria.values(), Decimal(0)) if criteria else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return f"{float(value):.4f}"
