"""What a bundle says back about this PC's own records: the acknowledgements, the signed
refusals and the sequence receipt its sender returns, and the records signed before their key
was revoked that arrive after (flagged for the agency)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpi_desktop.domain.errors import KpiError, RefusedValue
from kpi_desktop.domain.model import AuditEvent
from kpi_desktop.domain.sync import AGENCY, RecordRefusal
from kpi_desktop.sync.bundle import Bundle

__all__ = ["flag_late", "person_name", "take_receipts"]


def person_name(uow: Any, person_id: str) -> str:
    """A person's full name for messages (the agency and unknown ids as they are)."""
    if person_id == AGENCY:
        organisations = uow.org.list_organisations()
        return organisations[0].name_vi if organisations else person_id
    person = uow.org.find_person(person_id)
    return person.full_name if person is not None else person_id


def take_receipts(uow: Any, bundle: Bundle, now: dt.datetime,
                  notices: list[KpiError]) -> int:
    """Acknowledgements, refusals and the sequence receipt the sender sent back."""
    for row in bundle.records.get("acks", []):
        if not isinstance(row.get("item_key"), str):
            raise RefusedValue("bundle_malformed", file="acks", detail="item_key")
    refusals = []
    for row in bundle.records.get("refusals", []):
        if not (isinstance(row.get("item_key"), str) and isinstance(row.get("code"), str)
                and isinstance(row.get("params", {}), dict)):
            raise RefusedValue("bundle_malformed", file="refusals", detail="item_key")
        refusals.append(RecordRefusal(
            direction="in", peer_id=bundle.sender_id, item_key=row["item_key"],
            code=row["code"], params={str(k): str(v) for k, v in
                                      row.get("params", {}).items()}, at=now))
    if refusals:
        uow.sync.record_refusals(refusals)
        first = refusals[0]
        notices.append(KpiError(
            "sync_records_refused", count=len(refusals),
            name=person_name(uow, bundle.sender_id),
            reason=KpiError(first.code, **first.params)))
    receipt = bundle.header.get("receipt")
    seq = receipt.get("seq") if isinstance(receipt, dict) else None
    own = uow.sync.sealed_key(bundle.recipient_id)
    if (isinstance(seq, int) and not isinstance(seq, bool) and seq > 0 and own is not None
            and isinstance(receipt, dict) and receipt.get("key") == own.fingerprint):
        # The recipient has our bundle ``seq`` (signed by this PC's key): a PC restored
        # from an old backup goes on after it instead of reusing numbers.
        uow.sync.raise_last_sent(bundle.recipient_id, bundle.sender_id, seq)
    acks = [str(r["item_key"]) for r in bundle.records.get("acks", [])]
    return int(uow.sync.acknowledge(bundle.sender_id, acks, now))

def flag_late(uow: Any, bundle: Bundle, now: dt.datetime, late: list[tuple[str, Any]],
              notices: list[KpiError]) -> None:
    """Records signed before their key was revoked that arrive after: accepted, and
    flagged for the agency."""
    for key, author in late:
        uow.audit.append(AuditEvent(
            at=now, action="sync.signed_before_revocation", object_type="record",
            object_id=key, actor_id=None,
            detail={"sender": bundle.sender_id, "key": author.fingerprint,
                    "revoked_at": author.revoked_at.isoformat()
                    if author.revoked_at else None, "bundle": bundle.bundle_id}))
    if late:
        notices.append(KpiError("sync_signed_before_revocation", count=len(late)))
