"""Monthly evaluations (Form 01), in two separately signed parts:

* the **self-assessment** ("self"), signed by the person: criteria, submission time and
  version; it travels to their evaluators and the agency (the leader forwards it to the
  agency and back to its author). Its provisional score is never taken from a bundle: the
  receiving PC computes a month's score from its own work log when it shows one;
* the evaluator's **decision** ("confirmation"), signed by the evaluator: a confirmation
  with everything it stores (unit, criteria, d/đ/e, comment, a, b, c, task ratio and points,
  general points, total, level, insufficient, policy, confirmation and lock times), or a
  reopening (who, when, why, back to the official or not). It travels to the person and the
  agency. Only an evaluator of the person may make it.

The month's status is not taken from a bundle either: ``domain.workflow.evaluation_status``
derives it from the signed parts. Receipt key: ``eval-<part>:<person>:<period>:<hash>``.
Supersession: each part of one person and period carries a signed version (the next number
each time its author signs a changed part), then its signed time, then the hash of its
signed bytes — a replayed older copy is a no-op ("superseded"), whoever carries it. A part
signed in the earlier form (v1) is accepted with version 0; what v1 did not sign is
recomputed here (a v1 confirmation always locked the month: lock time = confirmation time;
general points = the signed criteria; task points = signed total − general points; a, b, c
and the ratio from this PC's work log), never copied from the row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import EvaluationStatus, MonthlyEvaluation
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.domain.workflow import evaluation_status
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    SUPERSEDED,
    ExportContext,
    ImportContext,
    RecordKind,
    digest,
    signed_by,
)
from kpi_desktop.sync.records import from_json, to_json
from kpi_desktop.sync.signing import evaluation_confirmation_forms, evaluation_self_forms

__all__ = ["EvaluationKind", "EvaluationPart"]

# What an evaluator's reopening sets on the stored evaluation (all signed in v2); the
# month's earlier numbers stay but no longer count (its status is not evaluated).
_REOPEN_FIELDS = ("evaluator_id", "unit_id", "locked_at", "reopened_at", "reopen_reason",
                  "reopened_to_official", "confirm_version")
# What an evaluator's confirmation sets (all signed in v2).
_DECISION_FIELDS = (*_REOPEN_FIELDS, "confirmed_criteria", "comment", "d", "dd", "e", "a",
                    "b", "c", "task_ratio", "task_points", "general_points", "total", "level",
                    "insufficient", "policy_version", "confirmed_at")


@dataclass(frozen=True)
class EvaluationPart:
    """One signed part of a monthly evaluation: "self" or "confirmation"."""

    part: str
    evaluation: MonthlyEvaluation

    @property
    def is_self(self) -> bool:
        return self.part == "self"

    @property
    def signature(self) -> bytes | None:
        e = self.evaluation
        return e.self_signature if self.is_self else e.evaluator_signature

    @property
    def key_fingerprint(self) -> str | None:
        e = self.evaluation
        return e.self_key_fingerprint if self.is_self else e.evaluator_key_fingerprint

    @property
    def forms(self) -> tuple[bytes, bytes]:
        if self.is_self:
            return evaluation_self_forms(self.evaluation)
        return evaluation_confirmation_forms(self.evaluation)


def _signed_time(part: EvaluationPart) -> dt.datetime | None:
    e = part.evaluation
    if part.is_self:
        return e.submitted_at
    if e.locked_at is None and e.reopened_at is not None:
        return e.reopened_at
    return e.confirmed_at


class EvaluationKind(RecordKind[EvaluationPart]):
    name = "evaluation"
    file = "evaluations"
    authors = "self: the person; confirmation: an evaluator of the person"
    record_type = MonthlyEvaluation

    def parse(self, row: Mapping[str, Any]) -> EvaluationPart:
        part = row.get("part")
        if part not in ("self", "confirmation"):
            raise RefusedValue("bundle_malformed", file="evaluations", detail="part")
        return EvaluationPart(str(part), from_json(MonthlyEvaluation, row))

    def to_row(self, record: EvaluationPart, uow: Any) -> dict[str, Any]:
        return {"part": record.part, **to_json(record.evaluation)}

    def signed_forms(self, record: EvaluationPart) -> Sequence[bytes]:
        return record.forms

    def author(self, record: EvaluationPart) -> str | None:
        e = record.evaluation
        return e.person_id if record.is_self else e.evaluator_id

    def signature(self, record: EvaluationPart) -> tuple[bytes | None, str | None]:
        return record.signature, record.key_fingerprint

    def signed_at(self, record: EvaluationPart) -> dt.datetime | None:
        return _signed_time(record)

    def subject(self, record: EvaluationPart) -> str:
        e = record.evaluation
        return f"eval-{record.part}:{e.person_id}:{e.period}"

    def item_key(self, record: EvaluationPart) -> str:
        return f"{self.subject(record)}:{digest(record.forms[0])}"

    def rank(self, record: EvaluationPart) -> tuple[Any, ...]:
        e = record.evaluation
        version = e.self_version if record.is_self else e.confirm_version
        moment = _signed_time(record) or dt.datetime.min.replace(tzinfo=dt.UTC)
        return (version, moment, digest(record.forms[0], 64))

    def bundle_kind(self, record: EvaluationPart) -> str:
        return "work" if record.is_self else "review"

    def with_signature(self, record: EvaluationPart, signature: bytes,
                       fingerprint: str) -> EvaluationPart:
        if record.is_self:
            changed = dataclasses.replace(record.evaluation, self_signature=signature,
                                          self_key_fingerprint=fingerprint)
        else:
            changed = dataclasses.replace(record.evaluation, evaluator_signature=signature,
                                          evaluator_key_fingerprint=fingerprint)
        return EvaluationPart(record.part, changed)

    def check_author(self, record: EvaluationPart, ctx: ImportContext) -> None:
        if record.is_self:
            return  # the person's own part: the signature is the person's (verified)
        e = record.evaluation
        author = e.evaluator_id
        if author is None or author == e.person_id or author not in ctx.evaluators(
                e.person_id, (e.period.end, ctx.today)):
            raise RefusedValue("bundle_signer_not_allowed", kind="evaluation", person=author)

    # ---------------------------------------------------------------- export ---------------

    def _signed(self, ctx: ExportContext, part: EvaluationPart) -> EvaluationPart:
        """The part signed by the owner; a part changed since it was last signed takes the
        next version of its subject."""
        if signed_by(ctx.key, part.signature, part.key_fingerprint, part.forms[0]):
            return part
        e = part.evaluation
        bumped = (dataclasses.replace(e, self_version=e.self_version + 1) if part.is_self
                  else dataclasses.replace(e, confirm_version=e.confirm_version + 1))
        if part.signature is None and part.is_self and e.self_version > 0:
            bumped = e  # signed for the first time: its version was taken when submitted
        fresh = EvaluationPart(part.part, bumped)
        signed = self.with_signature(fresh, ctx.key.sign(fresh.forms[0]), ctx.key.fingerprint)
        ctx.uow.evaluations.upsert_monthly(signed.evaluation)
        return signed

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, EvaluationPart]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        agency = [AGENCY] if ctx.to_agency else []
        for evaluation in uow.evaluations.list_monthly(person_id=ctx.owner_id):
            if evaluation.submitted_at is None or not evaluation.self_criteria:
                continue
            part = self._signed(ctx, EvaluationPart("self", evaluation))
            for recipient in (*ctx.evaluators, *agency):
                yield recipient, part
        for evaluation in uow.evaluations.evaluated_by(ctx.owner_id):
            if evaluation.confirmed_at is None or evaluation.person_id == ctx.owner_id:
                continue
            part = self._signed(ctx, EvaluationPart("confirmation", evaluation))
            for recipient in (evaluation.person_id, *agency):
                yield recipient, part
        if ctx.evaluatees:
            for evaluation in uow.evaluations.list_monthly(person_ids=ctx.evaluatees):
                if evaluation.self_signature is not None:
                    part = EvaluationPart("self", evaluation)
                    for recipient in (evaluation.person_id, *agency):
                        yield recipient, part

    # ---------------------------------------------------------------- import ---------------

    def apply(self, record: EvaluationPart, ctx: ImportContext) -> str:
        form = self.verify(record, ctx)
        incoming = record.evaluation
        person = ctx.known.person(incoming.person_id)
        if person is None:
            raise NotFound("not_found", kind="person", id=incoming.person_id)
        self.check_author(record, ctx)
        local = ctx.uow.evaluations.get_monthly(incoming.person_id, incoming.period)
        if local is not None:
            stored = EvaluationPart(record.part, local)
            if stored.signature == record.signature:
                return DUPLICATE
            if stored.signature is not None and not self.newer(record, stored):
                return SUPERSEDED  # a newer decision of this subject is here already
        base = local or MonthlyEvaluation(person_id=incoming.person_id, period=incoming.period,
                                          unit_id=person.unit_id)
        if record.is_self:
            merged = dataclasses.replace(
                base, self_criteria=incoming.self_criteria, submitted_at=incoming.submitted_at,
                self_signature=incoming.self_signature,
                self_key_fingerprint=incoming.self_key_fingerprint,
                self_version=incoming.self_version if form == 0 else 0,
                updated_at=incoming.submitted_at)
        else:
            merged = self._merge_decision(ctx, base, incoming, form)
        ctx.uow.evaluations.upsert_monthly(dataclasses.replace(
            merged, status=evaluation_status(merged)))
        return APPLIED

    @staticmethod
    def _merge_decision(ctx: ImportContext, base: MonthlyEvaluation,
                        incoming: MonthlyEvaluation, form: int) -> MonthlyEvaluation:
        if form != 0:
            incoming = _legacy_decision(ctx, base, incoming)
        fields = _DECISION_FIELDS if incoming.locked_at is not None else _REOPEN_FIELDS
        decided = {f: getattr(incoming, f) for f in fields}
        return dataclasses.replace(
            base, **decided, updated_at=_signed_time(EvaluationPart("confirmation", incoming)),
            evaluator_signature=incoming.evaluator_signature,
            evaluator_key_fingerprint=incoming.evaluator_key_fingerprint)

    # ---------------------------------------------------------------- check ----------------

    def stored(self, uow: Any) -> Iterable[EvaluationPart]:
        for evaluation in uow.evaluations.list_monthly():
            if evaluation.self_signature is not None:
                yield EvaluationPart("self", evaluation)
            if evaluation.evaluator_signature is not None:
                yield EvaluationPart("confirmation", evaluation)


def _recomputed(ctx: ImportContext, evaluation: MonthlyEvaluation) -> MonthlyEvaluation:
    """The score of a month computed on this PC from its confirmed work log."""
    from kpi_desktop.services.scores import Calculator

    ctx.uow.evaluations.upsert_monthly(evaluation)
    score = Calculator(ctx.uow).person_period(evaluation.person_id, evaluation.period).score
    return dataclasses.replace(
        evaluation, a=score.a, b=score.b, c=score.c, task_ratio=score.task_ratio,
        task_points=score.task_points, general_points=score.general_points, total=score.total,
        level=score.level, insufficient=score.insufficient,
        policy_version=score.policy_version)


def _legacy_decision(ctx: ImportContext, base: MonthlyEvaluation,
                     incoming: MonthlyEvaluation) -> MonthlyEvaluation:
    """A confirmation signed in the earlier form: what it signed, and the rest recomputed
    here — a confirmation then always locked the month at once."""
    general = Fraction(sum(incoming.confirmed_criteria.values(), Decimal(0)))
    computed = _recomputed(ctx, dataclasses.replace(
        base, confirmed_criteria=incoming.confirmed_criteria, status=EvaluationStatus.LOCKED,
        d=incoming.d, dd=incoming.dd, e=incoming.e))
    total = incoming.total
    return dataclasses.replace(
        incoming, unit_id=base.unit_id,
        a=computed.a, b=computed.b, c=computed.c, task_ratio=computed.task_ratio,
        general_points=general, task_points=None if total is None else total - general,
        insufficient=total is None, locked_at=incoming.confirmed_at, reopened_at=None,
        reopen_reason="", reopened_to_official=False, confirm_version=0)
