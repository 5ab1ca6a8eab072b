"""Appeals (kiến nghị, Điều 22): the official's filing and the decision on it.

Filing (``appeals``):

* Signed: id, person, period, reason, filing time and whether it was withdrawn, by the
  official; received-on (the 7-working-day deadline) is this PC's own date, never the sender's.
* Receipt key: ``appeal-filing:<id>:<hash>``. Supersession: the filed text never changes (other
  text: a conflict); filed → withdrawn by its author (the signed withdrawal); a decision
  already made stays. Travels: to the person's evaluators and the agency.

Decision (``appeal_decisions``):

* Signed: the decision, outcome, who and when, bound to the SHA-256 of the filed text; it
  travels with the filing's own signature, and a "changed" decision with the evaluations it
  replaced (each keeping its evaluator's signature).
* Author: an evaluator of the person, or the level above; never the person.
* Receipt key: ``appeal-decision:<id>:<hash>``. Supersession: the later signed decision time,
  then the larger hash (any import order gives the same result). Travels: to the person and
  the agency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import Appeal, AppealStatus, MonthlyEvaluation
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    SUPERSEDED,
    ExportContext,
    ImportContext,
    RecordKind,
    digest,
    json_object,
)
from kpi_desktop.services.sync.trust import author_key
from kpi_desktop.sync.records import from_json, to_json
from kpi_desktop.sync.signing import (
    appeal_bytes,
    appeal_decision_bytes,
    evaluation_confirmation_forms,
    verify_any,
)

__all__ = ["AppealDecisionKind", "AppealFilingKind", "DecidedAppeal"]


def _filing(appeal: Appeal) -> tuple[Any, ...]:
    """What the official filed (the part nobody else may change)."""
    return (appeal.id, appeal.person_id, str(appeal.period), appeal.reason, appeal.filed_at)


class AppealFilingKind(RecordKind[Appeal]):
    name = "appeal"
    file = "appeals"
    authors = "the official (their own appeal)"
    record_type = Appeal

    def signed_forms(self, record: Appeal) -> Sequence[bytes]:
        return (appeal_bytes(record),)

    def author(self, record: Appeal) -> str | None:
        return record.person_id

    def signed_at(self, record: Appeal) -> dt.datetime | None:
        return record.filed_at

    def item_key(self, record: Appeal) -> str:
        return f"appeal-filing:{record.id}:{digest(appeal_bytes(record))}"

    def subject(self, record: Appeal) -> str:
        return f"appeal:{record.id}"

    def rank(self, record: Appeal) -> tuple[Any, ...]:
        return (record.status is AppealStatus.WITHDRAWN,)

    def bundle_kind(self, record: Appeal) -> str:
        return "work"

    def check_author(self, record: Appeal, ctx: ImportContext) -> None:
        """The official's own appeal: the signature is theirs (verified)."""

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, Appeal]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        for appeal in uow.appeals.list_for_person(ctx.owner_id):
            signed = self.sign_if_needed(appeal, ctx.key, lambda a: uow.sync.set_appeal_signatures(
                a.id, signature=a.signature, key_fingerprint=a.key_fingerprint))
            for recipient in (*ctx.evaluators, *([AGENCY] if ctx.to_agency else [])):
                yield recipient, signed

    def apply(self, record: Appeal, ctx: ImportContext) -> str:
        self.verify(record, ctx)
        withdrawn = record.status is AppealStatus.WITHDRAWN
        local = ctx.uow.sync.find_appeal(record.id)
        if local is None:
            ctx.uow.sync.put_appeal(dataclasses.replace(
                record, status=AppealStatus.WITHDRAWN if withdrawn else AppealStatus.FILED,
                # Received today on this PC: the 7-working-day deadline counts from here,
                # never from the sender's clock.
                received_on=ctx.today, decision="", outcome=None, decided_by=None,
                decided_at=None, decision_signature=None, decision_key_fingerprint=None,
                decided_on=None))
            return APPLIED
        if _filing(local) != _filing(record):
            raise RefusedValue("bundle_record_conflict", record=self.item_key(record))
        # Filed → withdrawn by its author; a decision already made stays.
        if withdrawn and local.status is AppealStatus.FILED:
            ctx.uow.sync.put_appeal(dataclasses.replace(
                local, status=AppealStatus.WITHDRAWN, signature=record.signature,
                key_fingerprint=record.key_fingerprint))
            return APPLIED
        if local.signature == record.signature:
            return DUPLICATE
        return SUPERSEDED

    def stored(self, uow: Any) -> Iterable[Appeal]:
        return uow.sync.iter_signed("appeals")


@dataclass(frozen=True)
class DecidedAppeal:
    """A decided appeal as it travels: the whole appeal (both signatures) and, for a
    "changed" decision, the evaluations it replaced."""

    appeal: Appeal
    replaced: tuple[model.ReplacedEvaluation, ...] = ()

    @property
    def signature(self) -> bytes | None:
        return self.appeal.decision_signature

    @property
    def key_fingerprint(self) -> str | None:
        return self.appeal.decision_key_fingerprint


class AppealDecisionKind(RecordKind[DecidedAppeal]):
    name = "appeal_decision"
    file = "appeal_decisions"
    authors = "an evaluator of the person or the level above (never the person)"
    record_type = Appeal

    def parse(self, row: Mapping[str, Any]) -> DecidedAppeal:
        replaced = row.get("replaced", [])
        if not isinstance(replaced, list) or not all(isinstance(r, dict) for r in replaced):
            raise RefusedValue("bundle_malformed", file="appeal_decisions", detail="replaced")
        return DecidedAppeal(from_json(Appeal, row), tuple(
            from_json(model.ReplacedEvaluation, r) for r in replaced))

    def to_row(self, record: DecidedAppeal, uow: Any) -> dict[str, Any]:
        row = to_json(record.appeal)
        # The results the decision replaced (Điều 21.3: the history is kept).
        history = uow.replaced_evaluations.list_for_appeal(record.appeal.id)
        if history:
            row["replaced"] = [to_json(h) for h in history]
        return row

    def signed_forms(self, record: DecidedAppeal) -> Sequence[bytes]:
        return (appeal_decision_bytes(record.appeal),)

    def author(self, record: DecidedAppeal) -> str | None:
        return record.appeal.decided_by

    def signed_at(self, record: DecidedAppeal) -> dt.datetime | None:
        return record.appeal.decided_at

    def item_key(self, record: DecidedAppeal) -> str:
        return f"appeal-decision:{record.appeal.id}:{digest(self.signed_forms(record)[0])}"

    def subject(self, record: DecidedAppeal) -> str:
        return f"appeal:{record.appeal.id}"

    def rank(self, record: DecidedAppeal) -> tuple[Any, ...]:
        moment = record.appeal.decided_at or dt.datetime.min.replace(tzinfo=dt.UTC)
        return (moment, digest(self.signed_forms(record)[0], 64))

    def bundle_kind(self, record: DecidedAppeal) -> str:
        return "review"

    def with_signature(self, record: DecidedAppeal, signature: bytes,
                       fingerprint: str) -> DecidedAppeal:
        return DecidedAppeal(dataclasses.replace(
            record.appeal, decision_signature=signature, decision_key_fingerprint=fingerprint),
            record.replaced)

    def check_author(self, record: DecidedAppeal, ctx: ImportContext) -> None:
        appeal = record.appeal
        if appeal.decided_by not in ctx.competent(appeal.person_id, [appeal.period.end]):
            raise RefusedValue("bundle_signer_not_allowed", kind="appeal_decision",
                               person=appeal.decided_by)

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, DecidedAppeal]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        for appeal in uow.sync.appeals_decided_by(ctx.owner_id):
            if (appeal.status is not AppealStatus.DECIDED or appeal.signature is None
                    or appeal.decided_at is None or appeal.outcome is None):
                continue
            signed = self.sign_if_needed(
                DecidedAppeal(appeal), ctx.key, lambda d: uow.sync.set_appeal_signatures(
                    d.appeal.id, decision_signature=d.signature,
                    decision_key_fingerprint=d.key_fingerprint))
            yield appeal.person_id, signed
            if ctx.to_agency:
                yield AGENCY, signed

    def apply(self, record: DecidedAppeal, ctx: ImportContext) -> str:
        appeal = record.appeal
        what = self.item_key(record)
        filed = dataclasses.replace(appeal, status=AppealStatus.FILED)
        AppealFilingKind().verify(filed, ctx)  # the filing it answers, by the official
        if (appeal.status is not AppealStatus.DECIDED or appeal.decided_by is None
                or appeal.decided_at is None or appeal.outcome is None):
            raise RefusedValue("bundle_malformed", file="appeal_decisions", detail=appeal.id)
        self.verify(record, ctx)
        self.check_author(record, ctx)
        local = ctx.uow.sync.find_appeal(appeal.id)
        if local is not None:
            if _filing(local) != _filing(appeal):
                raise RefusedValue("bundle_record_conflict", record=what)
            if local.decision_signature == appeal.decision_signature:
                return DUPLICATE
            if local.status is AppealStatus.DECIDED and local.decision_signature is not None \
                    and not self.newer(record, DecidedAppeal(local)):
                return SUPERSEDED  # the decider's later decision is already here
        ctx.uow.sync.put_appeal(dataclasses.replace(
            appeal, received_on=(local.received_on if local is not None else None)
            or ctx.today, decided_on=None))
        self._keep_replaced(record, ctx)
        return APPLIED

    @staticmethod
    def _keep_replaced(record: DecidedAppeal, ctx: ImportContext) -> None:
        """Keep the evaluations a "changed" decision replaced, once each. Each must be about
        the appeal's person and period and name the appeal and its decider; one that carries
        its evaluator's signature must still verify."""
        appeal = record.appeal
        known = {r.id for r in ctx.uow.replaced_evaluations.list_for_appeal(appeal.id)}
        for replaced in record.replaced:
            what = f"replaced:{replaced.id}"
            old = from_json(MonthlyEvaluation, json_object(replaced.snapshot_json, what))
            if (replaced.appeal_id != appeal.id or replaced.person_id != appeal.person_id
                    or replaced.period != appeal.period
                    or replaced.replaced_by != appeal.decided_by
                    or appeal.outcome is not model.AppealOutcome.CHANGED
                    or old.person_id != appeal.person_id or old.period != appeal.period):
                raise RefusedValue("bundle_record_conflict", record=what)
            if old.evaluator_signature is not None and old.evaluator_id is not None:
                key = author_key(ctx.key, old.evaluator_key_fingerprint, old.evaluator_id,
                                 what, None if old.confirmed_at is None else
                                 min(old.confirmed_at, appeal.decided_at or old.confirmed_at))
                if not verify_any(key.public_key, old.evaluator_signature,
                                  evaluation_confirmation_forms(old)):
                    raise RefusedValue("bundle_record_signature_invalid", record=what)
            if replaced.id not in known:
                ctx.uow.replaced_evaluations.add(replaced)
                known.add(replaced.id)

    def stored(self, uow: Any) -> Iterable[DecidedAppeal]:
        return (DecidedAppeal(a) for a in uow.sync.iter_signed("appeals")
                if a.decision_signature is not None)
