"""Leave records (Điều 11.2): sick, maternity or unpaid personal leave of a person.

* Signed: every field (``sync.signing.leave_bytes``), by who recorded it — a person's key, or
  the agency's key when the agency administrator recorded it.
* Author: the agency (its pinned key), the chairman (the head of a top unit), an evaluator of
  the person on the first day of the leave or today, or the level above; never the person.
* Receipt key: ``leave:<id>:<hash of the signed bytes>`` (a correction or removal is sent again).
* Supersession: one record per id; the higher signed ``version`` wins (then the later signed
  change time, then the larger hash) — a removal is a newer version, so an older copy replayed
  later changes nothing.
* Travels: from a person's PC to the person, the person's evaluators and the agency; from the
  agency's PC to the person and the person's evaluators (the classification is made there).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import LeaveRecord, PersonRole
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    SUPERSEDED,
    ExportContext,
    ImportContext,
    RecordKind,
    digest,
)
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.signing import leave_bytes

__all__ = ["LeaveRecordKind"]


class LeaveRecordKind(RecordKind[LeaveRecord]):
    name = "leave_record"
    file = "leave_records"
    authors = ("the agency administrator, the chairman, an evaluator of the person or the "
               "level above (never the person)")
    record_type = LeaveRecord

    def signed_forms(self, record: LeaveRecord) -> Sequence[bytes]:
        return (leave_bytes(record),)

    def author(self, record: LeaveRecord) -> str | None:
        return record.recorded_by

    def signed_at(self, record: LeaveRecord) -> dt.datetime | None:
        return record.updated_at or record.created_at

    def item_key(self, record: LeaveRecord) -> str:
        return f"leave:{record.id}:{digest(leave_bytes(record))}"

    def subject(self, record: LeaveRecord) -> str:
        return f"leave:{record.id}"

    def rank(self, record: LeaveRecord) -> tuple[Any, ...]:
        return (record.version, record.updated_at or record.created_at,
                digest(leave_bytes(record), 64))

    def bundle_kind(self, record: LeaveRecord) -> str:
        return "review"

    # ---------------------------------------------------------------- who may author --------
    def check_author(self, record: LeaveRecord, ctx: ImportContext) -> None:
        author = record.recorded_by
        if author == AGENCY:
            return  # verified against the pinned agency key
        allowed = ctx.competent(record.person_id, [record.start_on])
        if author not in allowed and not _chairman(ctx.uow, author):
            raise RefusedValue("bundle_signer_not_allowed", kind="leave_record", person=author)
        if author == record.person_id:
            raise RefusedValue("bundle_signer_not_allowed", kind="leave_record", person=author)

    def verify(self, record: LeaveRecord, ctx: ImportContext) -> int:
        if record.recorded_by != AGENCY:
            return super().verify(record, ctx)
        signature, fp = self.signature(record)
        key = ctx.uow.sync.trusted_key(fp) if fp else None
        if key is None or key.role != "agency" or signature is None or not crypto.verify(
                key.public_key, signature, leave_bytes(record)):
            raise RefusedValue("bundle_record_signature_invalid", record=self.what(record))
        return 0

    # ---------------------------------------------------------------- export / import ------
    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, LeaveRecord]]:
        uow = ctx.uow
        for record in uow.leave.recorded_by(ctx.owner_id):
            signed = self.sign_if_needed(record, ctx.key, uow.leave.update)
            recipients = {record.person_id} | {
                r.evaluator_id for r in uow.org.evaluators_of(record.person_id, ctx.today)}
            recipients.discard(ctx.owner_id)
            for recipient in sorted(recipients):
                yield recipient, signed
            if ctx.to_agency:
                yield AGENCY, signed

    def apply(self, record: LeaveRecord, ctx: ImportContext) -> str:
        self.verify(record, ctx)
        self.check_author(record, ctx)
        if ctx.known.person(record.person_id) is None:
            raise RefusedValue("bundle_signer_unknown", key=record.person_id)
        local = ctx.uow.leave.find(record.id)
        if local is None:
            ctx.uow.leave.add(record)
            return APPLIED
        if local.signature == record.signature:
            return DUPLICATE
        if local.person_id != record.person_id:
            raise RefusedValue("bundle_record_conflict", record=self.item_key(record))
        if local.signature is not None and not self.newer(record, local):
            return SUPERSEDED
        ctx.uow.leave.update(record)
        return APPLIED

    def stored(self, uow: Any) -> Iterable[LeaveRecord]:
        return uow.leave.signed()

    def with_signature(self, record: LeaveRecord, signature: bytes,
                       fingerprint: str) -> LeaveRecord:
        return dataclasses.replace(record, signature=signature, key_fingerprint=fingerprint)


def _chairman(uow: Any, person_id: str) -> bool:
    """Whether ``person_id`` heads a top unit (the chairman of the commune)."""
    person = uow.org.find_person(person_id)
    if person is None or person.role is not PersonRole.HEAD:
        return False
    unit = uow.org.find_unit(person.unit_id)
    return unit is not None and unit.parent_id is None
