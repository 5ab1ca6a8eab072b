"""Export: who receives which records (from every kind's ``outgoing``), and one bundle per
recipient with everything they have not acknowledged, the receipts and refusals owed to
them, and the sequence numbers that let both sides see lost, cloned or restored senders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.sync import AGENCY, BundleLogEntry
from kpi_desktop.services.sync.files import (
    BUNDLE_SUFFIX,
    AttachmentStore,
    ExportResult,
    RefusalsOwed,
)
from kpi_desktop.services.sync.formats import deflates_for
from kpi_desktop.services.sync.kinds import REGISTRY, RecordKind
from kpi_desktop.services.sync.kinds.base import ExportContext
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Limits, read_bundle, write_bundle
from kpi_desktop.sync.records import payload_line

__all__ = ["Outgoing", "bundle_for", "plan_export"]

_BUNDLE_RANK = {"receipt": 0, "plan": 1, "work": 2, "review": 3}


@dataclass(frozen=True)
class Outgoing:
    """One record on its way to one recipient."""

    kind: RecordKind[Any]
    record: Any
    key: str  # its receipt key


def plan_export(ctx: ExportContext, owed: RefusalsOwed) -> dict[str, list[Outgoing]]:
    """Recipient → the records the owner sends them, every kind in registry order (each
    record once per recipient). Senders still waiting for a receipt are recipients too."""
    plan: dict[str, dict[str, Outgoing]] = {}
    for kind in REGISTRY:
        for recipient, record in kind.outgoing(ctx):
            if recipient == AGENCY and not ctx.to_agency:
                continue
            key = kind.item_key(record)
            plan.setdefault(recipient, {}).setdefault(key, Outgoing(kind, record, key))
    for peer in (*ctx.uow.sync.senders_awaiting_receipt(), *owed.peers()):
        if peer != ctx.owner_id:
            plan.setdefault(peer, {})
    return {recipient: list(items.values()) for recipient, items in plan.items()}


def bundle_for(uow: Any, key: crypto.KeyPair, owner_id: str, recipient: str,
               items: Sequence[Outgoing], org: model.Organisation, now: dt.datetime,
               attachments: AttachmentStore, limits: Limits, owed: RefusalsOwed,
               rows: dict[tuple[str, str], str] | None = None
               ) -> tuple[str, bytes, ExportResult] | None:
    """The bundle for one recipient, or ``None`` when nothing is owed to them. ``rows``
    keeps each record's payload line between the recipients of one export (a revision goes
    to the evaluator and to the agency: rendered once)."""
    rows = {} if rows is None else rows
    done = uow.sync.acked_keys(recipient) | uow.sync.refused_keys(recipient)
    todo = [item for item in items if item.key not in done]
    acks = uow.sync.pending_receipts(recipient)
    refusals = owed.owed(recipient)
    if not todo and not acks and not refusals:
        return None
    records: dict[str, list[Any]] = {"assignments": [], "revisions": [], "statements": [],
                                     "evaluations": []}
    files: dict[str, bytes] = {}
    rank = 0
    for item in todo:
        line = rows.get((item.kind.file, item.key))
        if line is None:
            line = rows[(item.kind.file, item.key)] = payload_line(
                item.kind.to_row(item.record, uow))
        records.setdefault(item.kind.file, []).append(line)
        rank = max(rank, _BUNDLE_RANK[item.kind.bundle_kind(item.record)])
        for sha in item.kind.attachments(item.record):
            content = attachments.read(sha)
            if content is not None:
                files[sha] = content
    records["acks"] = [{"item_key": k} for k in acks]
    if refusals:
        records["refusals"] = [{"item_key": r["item_key"], "code": r["code"],
                                "params": r.get("params", {})} for r in refusals]
    # Older readers see the same files as before: the newer kinds only when there are some.
    records = {name: rows for name, rows in records.items()
               if rows or name in ("assignments", "revisions", "statements", "acks")}
    kind = next(name for name, value in _BUNDLE_RANK.items() if value == rank)
    enc = uow.sync.encryption_key(recipient)
    seq = uow.sync.next_sent(owner_id, recipient)
    # The highest number this PC got from the recipient (under their key): a recipient
    # restored from an old backup learns from it where its own numbering stands.
    received, signer = uow.sync.last_received(recipient, owner_id)
    receipt = {"seq": received, "key": signer} if signer else {}
    data = write_bundle(kind=kind, sender_id=owner_id, recipient_id=recipient, seq=seq, key=key,
                        records=records, files=files,
                        encrypt_to=None if enc is None else enc.x25519_public,
                        deflate=enc is not None and deflates_for(uow, recipient),
                        extra={"organisation": {"id": org.id, "version": org.org_version},
                               **({"receipt": receipt} if receipt else {})})
    bundle = read_bundle(data, signer_key=lambda _fp, _h: key.public_key, limits=limits,
                         decrypt=False)  # a bad write never leaves as a good bundle
    name = f"KPI_{kind}_{owner_id}_to_{recipient}_{seq:06d}{BUNDLE_SUFFIX}"
    counts = {"revisions": len(records["revisions"]), "statements": len(records["statements"]),
              "acks": len(acks)}
    counts.update({n: len(rows) for n, rows in records.items()
                   if rows and n not in ("revisions", "statements", "acks")})
    if files:
        counts["files"] = len(files)
    uow.sync.log_bundle(BundleLogEntry(
        bundle_id=bundle.bundle_id, direction="out", kind=kind, sender_id=owner_id,
        recipient_id=recipient, seq=seq, header_sha256=bundle.header_sha256, at=now,
        file_name=name, summary=counts))
    uow.sync.mark_receipted(recipient, acks)
    return name, data, ExportResult(path=Path(name), kind=kind, recipient_id=recipient,
                                    seq=seq, counts=counts)
