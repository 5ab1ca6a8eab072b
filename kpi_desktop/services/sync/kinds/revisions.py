"""Entry revisions: a submitted state of a work-log entry, signed by the entry's author.

* Signed: entry, revision number, author, time, reason and the SHA-256 of the snapshot (the
  entry's canonical bytes); the snapshot must hash to it. Signatures over the earlier form
  (the snapshot text alone) still verify.
* Author: the entry's own author only (the snapshot's person).
* Receipt key: ``rev:<entry>:<revision>``.
* Supersession: a revision never changes (same number, other content: a conflict); the entry
  follows its highest revision number (signed), so an old revision replayed changes nothing.
* Applied: the revision, and the entry rebuilt from the snapshot; its status follows the
  statements about it (``domain.workflow``). A revision whose attachment is missing is stored
  but not acknowledged until the file arrives.
* Travels: own revisions to the author's evaluators and the agency; a leader forwards the
  revisions of the people they evaluate to the agency and back to their author.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import AuditEvent, EntryRevision, EntryStatus, WorkLogEntry
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    HELD,
    ExportContext,
    ImportContext,
    RecordKind,
    Signatures,
    StoredProblem,
    json_object,
)
from kpi_desktop.sync.records import from_json
from kpi_desktop.sync.signing import revision_forms

__all__ = ["RevisionKind"]

_CLOCK_FUTURE = dt.timedelta(hours=1)


@dataclass(frozen=True, kw_only=True)
class _Snapshot:
    """The fields of an entry snapshot (``WorkLogEntry.snapshot``), for strict parsing."""

    id: str
    person_id: str
    work_date: dt.date
    catalog_item_id: str
    assignment_id: str | None
    extra_kind: model.ExtraKind
    taken_over_from_id: str | None
    quantity: Decimal
    coefficient: Decimal
    time_norm_minutes: Decimal | None
    complexity_level: int | None
    output_doc_number: str
    output_description: str
    attachment_sha256: str | None
    attachment_name: str | None
    deadline: dt.date | None
    completed_on: dt.date | None


_SNAPSHOT_FIELDS = tuple(f.name for f in dataclasses.fields(_Snapshot))


def entry_from_revision(revision: EntryRevision, data: dict[str, Any]) -> WorkLogEntry:
    """The entry a revision's snapshot describes, submitted at the revision's time."""
    snapshot = from_json(_Snapshot, data)
    fields = {name: getattr(snapshot, name) for name in _SNAPSHOT_FIELDS}
    return WorkLogEntry(**fields, created_at=revision.created_at,
                        updated_at=revision.created_at, status=EntryStatus.SUBMITTED,
                        current_revision=revision.revision, signature=revision.signature,
                        key_fingerprint=revision.key_fingerprint)


class RevisionKind(RecordKind[EntryRevision]):
    name = "revision"
    file = "revisions"
    authors = "the entry's author"
    record_type = EntryRevision

    def signed_forms(self, record: EntryRevision) -> Sequence[bytes]:
        return revision_forms(record)

    def author(self, record: EntryRevision) -> str | None:
        return record.author_id

    def signed_at(self, record: EntryRevision) -> dt.datetime | None:
        return record.created_at

    def item_key(self, record: EntryRevision) -> str:
        return f"rev:{record.entry_id}:{record.revision}"

    def subject(self, record: EntryRevision) -> str:
        return f"entry:{record.entry_id}"

    def rank(self, record: EntryRevision) -> tuple[Any, ...]:
        return (record.revision,)

    def bundle_kind(self, record: EntryRevision) -> str:
        return "work"

    def attachments(self, record: EntryRevision) -> Sequence[str]:
        if '"attachment_sha256":null' in record.snapshot_json:
            return ()  # canonical JSON: most entries have no file (no parse needed)
        sha = json_object(record.snapshot_json, self.item_key(record)).get("attachment_sha256")
        return (sha,) if isinstance(sha, str) else ()

    def check_author(self, record: EntryRevision, ctx: ImportContext) -> None:
        """Checked in :meth:`apply`: the snapshot's person must be the revision's author."""

    # ---------------------------------------------------------------- export ---------------

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, EntryRevision]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        signed: list[EntryRevision] = []  # signed now: stored together below
        own = [self.sign_if_needed(revision, ctx.key, signed.append, immutable=True)
               for revision in uow.sync.revisions_by_authors([ctx.owner_id])]
        uow.sync.set_revision_signatures(signed)
        for revision in own:
            for recipient in (*ctx.evaluators, *([AGENCY] if ctx.to_agency else [])):
                yield recipient, revision
        if not ctx.evaluatees:
            return
        for revision in uow.sync.revisions_by_authors(ctx.evaluatees):
            if revision.signature is None:
                continue
            # Back to their author too (once: their receipt stops it), so a re-enrolled
            # person on a new PC gets their history back; and to the agency.
            yield revision.author_id, revision
            if ctx.to_agency:
                yield AGENCY, revision

    # ---------------------------------------------------------------- import ---------------

    @staticmethod
    def _stored_before(record: EntryRevision, ctx: ImportContext) -> bool:
        """Whether the very signed record is stored here (forwarded again by the author's
        evaluator): its signature and content were checked when it arrived."""
        existing = ctx.known.revision(record.entry_id, record.revision)
        return existing is not None and existing.signature is not None and (
            existing.snapshot_sha256, existing.signature, existing.key_fingerprint,
            existing.author_id) == (record.snapshot_sha256, record.signature,
                                    record.key_fingerprint, record.author_id)

    def import_work(self, record: EntryRevision, ctx: ImportContext) -> Any:
        return None if self._stored_before(record, ctx) else super().import_work(record, ctx)

    def apply(self, record: EntryRevision, ctx: ImportContext) -> str:
        known = ctx.known
        what = self.item_key(record)
        existing = known.revision(record.entry_id, record.revision)
        if self._stored_before(record, ctx):
            return DUPLICATE
        text = record.snapshot_json.encode("utf-8")
        if hashlib.sha256(text).hexdigest() != record.snapshot_sha256:
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        self.verify(record, ctx)
        entry = entry_from_revision(record, known.snapshot(record.snapshot_json, what))
        if entry.id != record.entry_id or entry.person_id != record.author_id:
            raise RefusedValue("bundle_signer_not_allowed", kind="revision")
        if existing is not None:
            if existing.snapshot_sha256 != record.snapshot_sha256:
                raise RefusedValue("bundle_record_conflict", record=what)
            return DUPLICATE
        if known.person(entry.person_id) is None:
            raise RefusedValue("bundle_signer_unknown", key=record.key_fingerprint)
        if not known.has_item(entry.catalog_item_id):
            raise NotFound("not_found", kind="catalog_item", id=entry.catalog_item_id)
        if entry.assignment_id and not known.has_assignment(entry.assignment_id):
            return HELD  # its plan has not arrived yet: not acknowledged, sent again
        current = known.entry(entry.id)
        if current is None or current.current_revision < record.revision:
            known.put_entry(entry if current is None else dataclasses.replace(
                entry, created_at=min(current.created_at, record.created_at),
                confirmed_revision=current.confirmed_revision))
        elif record.created_at < current.created_at:
            # An earlier revision arriving late: the entry dates from its first revision,
            # in any arrival order.
            known.put_entry(dataclasses.replace(current, created_at=record.created_at))
        known.add_revision(record)
        ctx.touched.add(record.entry_id)
        return APPLIED

    def finish(self, ctx: ImportContext) -> None:
        ctx.known.flush()
        ctx.counts["clock_flagged"] = self._flag_clock(ctx)

    @staticmethod
    def _flag_clock(ctx: ImportContext) -> int:
        """Revisions whose device time is in the future or long before their work date are
        imported and flagged in the audit log (device clocks never order anything)."""
        flagged = []
        for row in ctx.bundle.records.get("revisions", []):
            created = dt.datetime.fromisoformat(str(row["created_at"]))
            work_date = ctx.known.snapshot(str(row["snapshot_json"]), "snapshot").get("work_date")
            early = isinstance(work_date, str) and created.date() < (
                dt.date.fromisoformat(work_date) - dt.timedelta(days=1))
            if created > ctx.now + _CLOCK_FUTURE or early:
                flagged.append(f"{row['entry_id']}:{row['revision']}")
        if flagged:
            ctx.uow.audit.append(AuditEvent(
                at=ctx.now, action="sync.clock_flag", object_type="bundle",
                object_id=ctx.bundle.bundle_id,
                detail={"sender": ctx.bundle.sender_id, "revisions": flagged[:200]}))
        return len(flagged)

    def stored(self, uow: Any) -> Iterable[EntryRevision]:
        return uow.sync.iter_signed("revisions")

    def verify_stored(self, record: EntryRevision, lookup: Any,
                      signatures: Signatures | None = None) -> StoredProblem | None:
        text = record.snapshot_json.encode("utf-8")
        if hashlib.sha256(text).hexdigest() != record.snapshot_sha256:
            return StoredProblem(self.name, self.item_key(record), "hash_mismatch")
        return super().verify_stored(record, lookup, signatures)
