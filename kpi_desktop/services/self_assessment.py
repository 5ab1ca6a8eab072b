"""The month submission (Form 01 self-assessment): the 30-point general criteria of Phụ lục I.

The official self-scores each sub-item within its bounds, sees the month's task results and
submits the month for review (open → submitted); the evaluator confirms it (the leader's desk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import (
    GENERAL_CRITERIA,
    AuditEvent,
    EvaluationStatus,
    GeneralCriterion,
    MonthlyEvaluation,
    Period,
    normalize_text,
    utc_now,
)
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.scores import Calculator, PersonPeriodResult
from kpi_desktop.sync.signing import evaluation_self_bytes

GENERAL_MAX = Decimal(30)


def group_title(group: str) -> str:
    """The title of a group of the general criteria (Phụ lục I)."""
    return {
        "I": translate("GeneralCriteria", "I. Political quality, ethics, public-service culture; "
                       "discipline"),
        "II": translate("GeneralCriteria", "II. Professional capacity, meeting the tasks, "
                        "responsibility, service and cooperation"),
        "III": translate("GeneralCriteria", "III. Innovation, creativity, daring to think, act "
                         "and take responsibility"),
    }[group]


def criterion_title(code: str) -> str:
    """The name of a sub-item of the general criteria (Mẫu số 01)."""
    return {
        "I.1": translate("GeneralCriteria", "Political quality, ethics and public-service "
                         "culture"),
        "I.2": translate("GeneralCriteria", "Discipline and order in public service"),
        "II.1": translate("GeneralCriteria", "Professional capacity required by the job "
                          "position"),
        "II.2": translate("GeneralCriteria", "Meeting routine and ad hoc tasks"),
        "II.3": translate("GeneralCriteria", "Sense of responsibility in public service"),
        "II.4": translate("GeneralCriteria", "Attitude towards citizens and businesses; "
                          "cooperation with colleagues"),
        "III.1": translate("GeneralCriteria", "Breakthrough, creative products or solutions "
                           "with real value"),
        "III.2": translate("GeneralCriteria", "Ready for especially important, urgent, complex "
                           "or difficult tasks"),
        "III.3": translate("GeneralCriteria", "Takes responsibility for results, admits and "
                           "corrects mistakes"),
        "III.4": translate("GeneralCriteria", "Decides within own authority; pioneers new "
                           "tasks"),
    }[code]


def criterion_description(code: str) -> str:
    """What the sub-item looks at (Phụ lục I), shown as a tooltip."""
    return {
        "I.1": translate("GeneralCriteria", "Follows the Party's guidelines and the State's "
                         "laws; firm political stance; honest, modest and simple way of life; no "
                         "corruption, waste or bureaucracy; solidarity; correct, professional "
                         "conduct at work; self-criticism and correction of shortcomings."),
        "I.2": translate("GeneralCriteria", "Follows the organisation's assignments and the "
                         "rules of the office; declares assets and income as required; reports "
                         "fully, honestly and accurately to superiors when asked."),
        "II.1": translate("GeneralCriteria", "Thorough knowledge of the assigned field, its "
                          "laws and procedures; keeps knowledge up to date; works independently "
                          "and in teams; uses information technology well."),
        "II.2": translate("GeneralCriteria", "Routine tasks: handles planned work with stable "
                          "quality. Ad hoc tasks: proposes solutions and reacts quickly and "
                          "accurately to new demands."),
        "II.3": translate("GeneralCriteria", "Responsible in research, proposals and advice; "
                          "seeks information and adapts; applies new knowledge and technology; "
                          "cooperates well."),
        "II.4": translate("GeneralCriteria", "Citizens and businesses rate the service as "
                          "professional, clear and transparent; positions without public "
                          "contact: cooperative and effective in joint procedures."),
        "III.1": translate("GeneralCriteria", "Has breakthrough, creative products or solutions "
                           "that bring practical value and improve the unit's results."),
        "III.2": translate("GeneralCriteria", "Ready to take part in especially important "
                           "political tasks and in urgent, complex or difficult work."),
        "III.3": translate("GeneralCriteria", "Answers for the results of the work; owns "
                           "mistakes and has clear, concrete measures to correct them."),
        "III.4": translate("GeneralCriteria", "Takes decisions within own authority without "
                           "avoiding them; leads the way in new tasks."),
    }[code]


@dataclass(frozen=True)
class SelfAssessment:
    """A person's Form 01 for one month as the self-assessment page shows it."""

    person_id: str
    period: Period
    status: EvaluationStatus
    self_criteria: Mapping[str, Decimal]
    confirmed_criteria: Mapping[str, Decimal]
    submitted_at: dt.datetime | None
    comment: str

    @property
    def editable(self) -> bool:
        return self.status is EvaluationStatus.OPEN

    @property
    def self_total(self) -> Decimal:
        return sum(self.self_criteria.values(), Decimal(0))


def parse_points(value: Decimal | str | int | float, criterion: GeneralCriterion) -> Decimal:
    """A sub-item's self-score, refused unless 0 ≤ points ≤ the sub-item's maximum."""
    if isinstance(value, Decimal):
        points = value
    else:
        text = normalize_text(str(value)).strip().replace(",", ".")
        try:
            points = Decimal(text)
        except InvalidOperation:
            raise RefusedValue("decimal_malformed", value=str(value)) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise RefusedValue("criterion_out_of_range", code=criterion.code, value=str(value),
                           maximum=str(criterion.max_points))
    return points


class SelfAssessmentService:
    """Self-scores and the month's submission."""

    def __init__(self, db: Any, *, keys: Any | None = None) -> None:
        self._db = db
        self._keys = keys  # KeyService: signs the submission when the key is unlocked

    @staticmethod
    def criteria() -> tuple[GeneralCriterion, ...]:
        return GENERAL_CRITERIA

    def load(self, person_id: str, period: Period) -> SelfAssessment:
        with self._db.unit_of_work(read_only=True) as uow:
            if uow.org.find_person(person_id) is None:
                raise NotFound("not_found", kind="person", id=person_id)
            evaluation = uow.evaluations.get_monthly(person_id, period)
        if evaluation is None:
            return SelfAssessment(person_id, period, EvaluationStatus.OPEN, {}, {}, None, "")
        return SelfAssessment(person_id, period, evaluation.status,
                              dict(evaluation.self_criteria),
                              dict(evaluation.confirmed_criteria), evaluation.submitted_at,
                              evaluation.comment)

    def task_results(self, person_id: str, period: Period) -> PersonPeriodResult:
        with self._db.unit_of_work(read_only=True) as uow:
            return Calculator(uow).person_period(person_id, period)

    def save(self, person_id: str, period: Period, scores: Mapping[str, Any], *,
             submit: bool = False) -> SelfAssessment:
        """Store the self-scores (all sub-items, each within bounds); ``submit`` also submits
        the month for review. Nothing is written when a value is refused."""
        parsed: dict[str, Decimal] = {}
        for criterion in GENERAL_CRITERIA:
            if criterion.code not in scores:
                if submit:
                    raise RefusedValue("criterion_missing", code=criterion.code)
                continue
            parsed[criterion.code] = parse_points(scores[criterion.code], criterion)
        unknown = set(scores) - {c.code for c in GENERAL_CRITERIA}
        if unknown:
            raise RefusedValue("criterion_unknown", code=", ".join(sorted(unknown)))
        total = sum(parsed.values(), Decimal(0))
        if total > GENERAL_MAX:
            raise RefusedValue("general_points_out_of_range", value=str(total))
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = uow.org.find_person(person_id)
            if person is None:
                raise NotFound("not_found", kind="person", id=person_id)
            old = uow.evaluations.get_monthly(person_id, period)
            if old is not None and old.status is not EvaluationStatus.OPEN:
                raise RefusedValue("evaluation_not_open", period=str(period))
            evaluation = old or MonthlyEvaluation(person_id=person_id, period=period,
                                                  unit_id=person.unit_id)
            evaluation = replace(evaluation, self_criteria=parsed, updated_at=now)
            if submit:
                uow.evaluations.upsert_monthly(evaluation)
                result = Calculator(uow).person_period(person_id, period)
                score = result.score
                evaluation = replace(
                    evaluation, status=EvaluationStatus.SUBMITTED, submitted_at=now,
                    self_version=evaluation.self_version + 1,  # a newer signed submission
                    a=score.a, b=score.b, c=score.c, task_ratio=score.task_ratio,
                    task_points=score.task_points, general_points=score.general_points,
                    total=score.total, level=score.level, insufficient=score.insufficient,
                    policy_version=score.policy_version)
                key = None if self._keys is None else self._keys.unlocked(person_id)
                if key is not None:
                    evaluation = replace(
                        evaluation, self_signature=key.sign(evaluation_self_bytes(evaluation)),
                        self_key_fingerprint=key.fingerprint)
            uow.evaluations.upsert_monthly(evaluation)
            uow.audit.append(AuditEvent(
                at=now, action="evaluation.submit" if submit else "evaluation.self_score",
                object_type="evaluation", object_id=f"{person_id}@{period}",
                actor_id=person_id, detail={"total": str(total)}))
        return self.load(person_id, period)
