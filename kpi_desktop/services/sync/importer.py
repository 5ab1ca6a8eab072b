"""Import: verify a bundle completely, then apply it once, in one unit of work, record by
record through the registry — or hold it, or refuse it and change nothing.

* Everything is verified (:func:`kpi_desktop.sync.bundle.read_bundle`) before the database
  is touched. A damaged, forged or unsigned record refuses the whole bundle: nothing changes.
* A record that is authentic but not acceptable by rule (its author may not make it, its key
  was revoked before the record's date, it conflicts with what is stored) refuses the bundle
  too — the database unchanged — and is remembered beside it (``RefusalsOwed``) so a signed
  refusal goes back to the sender in the next bundle: the sender stops sending it and the
  rest flows again.
* Sequence numbers are read: a different bundle with a number this PC already received from
  the same sender under the same key (a cloned PC, or one restored from an old backup that
  goes on signing) is held unapplied until someone releases or discards it; a gap in a
  sender's numbers is reported.
* Attachments are written and fsynced before the commit that references them; the same
  bundle again rewrites any that went missing; a revision is acknowledged in a receipt only
  when its attachments are here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError, RefusedValue
from kpi_desktop.domain.model import AuditEvent, utc_now
from kpi_desktop.domain.sync import BundleLogEntry, HeldBundle
from kpi_desktop.services.sync.answers import flag_late, person_name, take_receipts
from kpi_desktop.services.sync.files import (
    AttachmentStore,
    ImportResult,
    RefusalsOwed,
    RefusedRecord,
    crash_point,
)
from kpi_desktop.services.sync.formats import note_reads
from kpi_desktop.services.sync.kinds import REGISTRY
from kpi_desktop.services.sync.kinds.base import APPLIED, HELD, ImportContext
from kpi_desktop.services.sync.organisation import apply_organisation, same_organisation
from kpi_desktop.services.sync.trust import check_addressed, decrypt_key, signer_key
from kpi_desktop.storage.backup import backup_database
from kpi_desktop.sync import verifier
from kpi_desktop.sync.bundle import Bundle, Limits, read_bundle

__all__ = ["RULE_REFUSALS", "Batch", "Importer", "missing_numbers", "person_name"]

# Refusals of an authentic record by rule: answered with a signed refusal.
RULE_REFUSALS = frozenset({"bundle_signer_not_allowed", "bundle_record_key_revoked",
                           "bundle_record_conflict"})
_BACKUP_PREFIX = "kpi-before-import-"
_BACKUPS_KEPT = 5


@dataclass
class _Ahead:
    """The next bundle of a batch, read while the one before it is applied (its signatures
    verified by the workers meanwhile). Everything kept is a pure function of the bundle's
    bytes — the bundle as read, its parsed records, their signed forms and the verification
    answers — and is used only if the keys it was read with are still the ones this PC
    would use now; the database checks are all made again when its turn comes."""

    data: bytes
    bundle: Bundle
    signer_key: bytes  # the public key its header was verified with
    decrypt_key: Any  # the key pair that opened it (None: not encrypted)
    parsed: list[tuple[Any, list[Any], KpiError | None]]
    ctx: ImportContext  # its signed forms and signature answers


@dataclass
class Batch:
    """Bundles imported together: one backup, made before the first that changes anything."""

    backed_up: bool = False


class _RecordsRefused(Exception):
    def __init__(self, records: list[RefusedRecord]) -> None:
        super().__init__(records[0].error)
        self.records = records


def _parsed(kind: Any, rows: list[Any]) -> tuple[list[Any], KpiError | None]:
    """The records of a payload file up to the first row that does not parse, and that row's
    error (raised when the apply reaches it, as if parsed one by one)."""
    records = []
    for row in rows:
        try:
            records.append(kind.parse(row))
        except KpiError as error:
            return records, error
    return records, None


def missing_numbers(uow: Any, sender_id: str, recipient_id: str,
                    signer: str | None) -> list[int]:
    """Sequence numbers below the highest received from a sender (under one key) that never
    arrived here."""
    numbers = uow.sync.received_numbers(sender_id, recipient_id, signer)
    if not numbers:
        return []
    return sorted(set(range(1, max(numbers) + 1)) - numbers)


class Importer:
    """Imports bundles into one data folder."""

    def __init__(self, db: Any, keys: Any, backup_dir: Path, attachments: AttachmentStore,
                 today: Callable[[], dt.date], limits: Limits) -> None:
        self._db = db
        self._keys = keys
        self._backup_dir = backup_dir
        self._attachments = attachments
        self._today = today
        self._limits = limits
        self._next: bytes | None = None  # the batch's next bundle (read ahead)
        self._ahead: _Ahead | None = None

    def run(self, data: bytes, source: str, batch: Batch, *,
            release: bool = False, following: bytes | None = None) -> ImportResult:
        """Import one bundle; refusals are returned, not raised. ``release`` applies a bundle
        held for its sequence number (someone decided it is genuine). ``following``: the
        bundle the batch imports next — read, and its signatures handed to the verifying
        workers, while this one is applied (it is checked again when its turn comes)."""
        self._next = following
        try:
            return self._run(data, source, batch, release)
        except KpiError as error:
            return ImportResult(source=source, status="refused", error=error)
        finally:
            self._next = None
            ahead, self._ahead = self._ahead, None
            if ahead is not None and ahead.data is not following:
                ahead.ctx.signatures.cancel()
            elif ahead is not None:
                self._ahead = ahead

    def verified(self, uow: Any, data: bytes) -> Bundle:
        """The bundle verified and decrypted, addressed to this PC."""
        ahead = self._ahead
        if ahead is not None and ahead.data is data and self._same_keys(uow, ahead):
            bundle = ahead.bundle  # read ahead with the very keys it would be read with now
        else:
            bundle = read_bundle(data, signer_key=lambda fp, h: signer_key(uow, fp, h),
                                 decrypt_key=lambda kid: decrypt_key(self._keys, uow, kid),
                                 limits=self._limits)
        check_addressed(uow, bundle)
        return bundle

    def _same_keys(self, uow: Any, ahead: _Ahead) -> bool:
        """Whether reading the bundle now would verify and open it with the keys it was read
        ahead with (anything else: it is read again, and refused as it should be)."""
        try:
            if signer_key(uow, ahead.bundle.signer, ahead.bundle.header) != ahead.signer_key:
                return False
            encryption = ahead.bundle.header.get("encryption")
            if encryption is None:
                return ahead.decrypt_key is None
            return ahead.decrypt_key is not None and decrypt_key(
                self._keys, uow, encryption["recipient_key"]) is ahead.decrypt_key
        except KpiError:
            return False

    def _read_ahead(self, uow: Any, data: bytes, now: dt.datetime) -> None:
        """Read the batch's next bundle and start verifying its records' signatures on the
        workers (inside this bundle's transaction: reads only; nothing of it is kept unless
        the same keys still apply when its turn comes)."""
        used: dict[str, Any] = {}

        def signer(fp: str, header: dict[str, Any]) -> bytes:
            used["signer"] = signer_key(uow, fp, header)
            return used["signer"]  # type: ignore[no-any-return]

        def opener(kid: str) -> Any:
            used["decrypt"] = decrypt_key(self._keys, uow, kid)
            return used["decrypt"]

        try:
            bundle = read_bundle(data, signer_key=signer, decrypt_key=opener,
                                 limits=self._limits)
            if bundle.kind == "organisation":
                return
            ctx = ImportContext(uow, bundle, now, self._today(), lambda _sha: False)
            ctx.known.preload_keys_and_revisions(bundle.records)
            parsed = [(kind, *_parsed(kind, bundle.records.get(kind.file, [])))
                      for kind in REGISTRY]
            work = [work for kind, records, _error in parsed for record in records
                    if (work := kind.import_work(record, ctx)) is not None]
        except Exception:  # noqa: BLE001 - refused, if at all, when its turn comes
            return
        ctx.signatures.prepare(work, later=True)
        self._ahead = _Ahead(data, bundle, used["signer"], used.get("decrypt"), parsed, ctx)

    def _run(self, data: bytes, source: str, batch: Batch, release: bool) -> ImportResult:
        with self._db.unit_of_work(read_only=True) as uow:
            bundle = self.verified(uow, data)
            known = uow.sync.find_bundle(bundle.bundle_id)
            reused = not release and known is None and self._reused(uow, bundle)
        base = dict(source=source, kind=bundle.kind, bundle_id=bundle.bundle_id,
                    sender_id=bundle.sender_id, recipient_id=bundle.recipient_id,
                    seq=bundle.seq)
        if known is not None:
            if known.header_sha256 != bundle.header_sha256:
                raise RefusedValue("bundle_id_conflict", bundle=bundle.bundle_id)
            # The very file imported before (an old copy on a stick): nothing to apply, but
            # an attachment lost since (a crash after the commit) is written again.
            self._attachments.write(bundle.files)
            return ImportResult(status="already", **base)
        if bundle.kind == "organisation":
            with self._db.unit_of_work(read_only=True) as uow:
                if same_organisation(uow, bundle):
                    return ImportResult(status="already", **base)
        if reused:
            return self._hold(bundle, data, source, base)
        now = utc_now()
        crash_point("import-verified")
        try:
            # Applied once, in one transaction: any refusal rolls it back before any backup
            # or file is written. Attachments are durable before the commit; the database is
            # copied (the last committed state) once per batch, before its first change.
            with self._db.unit_of_work() as uow:
                counts, notices = self._apply(uow, bundle, source, now)
                crash_point("import-applied")
                self._attachments.write(bundle.files)
                crash_point("import-files-written")
                if not batch.backed_up:
                    self._backup()
                    batch.backed_up = True
        except _RecordsRefused as refused:
            # The database stays as it was; the refusal is owed to the sender.
            RefusalsOwed(self._db.path).add(bundle.sender_id, refused.records, now)
            return ImportResult(status="refused", error=refused.records[0].error,
                                refused=tuple(refused.records), **base)
        crash_point("import-committed")
        return ImportResult(status="imported", counts=counts, notices=tuple(notices), **base)

    @staticmethod
    def _reused(uow: Any, bundle: Bundle) -> bool:
        """Whether another bundle with this sequence number came from this sender (under the
        same key) before: a cloned PC, or one restored from an old backup."""
        if bundle.kind == "organisation":
            return False
        earlier = uow.sync.received_with_seq(bundle.sender_id, bundle.recipient_id, bundle.seq)
        return any(e.bundle_id != bundle.bundle_id and e.signer in (None, bundle.signer)
                   for e in earlier)

    def _hold(self, bundle: Bundle, data: bytes, source: str,
              base: dict[str, Any]) -> ImportResult:
        now = utc_now()
        with self._db.unit_of_work() as uow:
            uow.sync.hold(HeldBundle(
                bundle_id=bundle.bundle_id, sender_id=bundle.sender_id,
                recipient_id=bundle.recipient_id, seq=bundle.seq, kind=bundle.kind,
                header_sha256=bundle.header_sha256, reason="sequence_reused", held_at=now,
                file_name=Path(source).name if source else ""), data)
            uow.audit.append(AuditEvent(
                at=now, action="sync.held", object_type="bundle", object_id=bundle.bundle_id,
                detail={"sender": bundle.sender_id, "recipient": bundle.recipient_id,
                        "seq": bundle.seq}))
            name = person_name(uow, bundle.sender_id)
        error = RefusedValue("bundle_sequence_reused", sender=name, seq=bundle.seq,
                             bundle=bundle.bundle_id)
        return ImportResult(status="held", error=error, **base)

    def _apply(self, uow: Any, bundle: Bundle, source: str, now: dt.datetime
               ) -> tuple[dict[str, int], list[KpiError]]:
        notices: list[KpiError] = []
        if bundle.kind == "organisation":
            counts = apply_organisation(uow, bundle, now)
        else:
            counts = self._apply_records(uow, bundle, now, notices)
        uow.sync.note_received(bundle.sender_id, bundle.recipient_id, bundle.seq)
        note_reads(uow, bundle)
        uow.sync.log_bundle(BundleLogEntry(
            bundle_id=bundle.bundle_id, direction="in", kind=bundle.kind,
            sender_id=bundle.sender_id, recipient_id=bundle.recipient_id, seq=bundle.seq,
            header_sha256=bundle.header_sha256, at=now,
            file_name=Path(source).name if source else "", summary=counts,
            signer=bundle.signer))
        uow.audit.append(AuditEvent(at=now, action="sync.import", object_type="bundle",
                                    object_id=bundle.bundle_id, actor_id=None,
                                    detail={"kind": bundle.kind, "sender": bundle.sender_id,
                                            "seq": bundle.seq, **counts}))
        if bundle.kind != "organisation":
            missing = missing_numbers(uow, bundle.sender_id, bundle.recipient_id, bundle.signer)
            if missing:
                notices.append(KpiError("sync_bundles_missing", count=len(missing),
                                        sender=person_name(uow, bundle.sender_id)))
        return counts, notices

    def _apply_records(self, uow: Any, bundle: Bundle, now: dt.datetime,
                       notices: list[KpiError]) -> dict[str, int]:
        ctx = ImportContext(uow, bundle, now, self._today(), lambda sha: (
            sha in bundle.files or self._attachments.has(sha)))
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.bundle is bundle:
            # Read ahead while the bundle before was applied: its parsed records, signed
            # forms and the workers' answers (pure functions of its bytes) are taken over.
            parsed = ahead.parsed
            ctx.adopt(ahead.ctx)
        else:
            if ahead is not None:
                ahead.ctx.signatures.cancel()
            parsed = [(kind, *_parsed(kind, bundle.records.get(kind.file, [])))
                      for kind in REGISTRY]
        ctx.known.preload(bundle.records)
        counts = {"assignments": 0, "revisions": 0, "statements": 0, "duplicates": 0,
                  "held": 0, "acks": 0, "clock_flagged": 0}
        received: list[str] = []
        refused: list[RefusedRecord] = []
        late: list[tuple[str, Any]] = []
        # Every signature the apply steps will check, handed to every core at once
        # (sync.verifier); each apply step finds its answer in ImportContext.signatures,
        # waiting only for its own chunk (the first records are applied while the workers
        # verify the rest; a refusal still comes before the commit). Those asked when the
        # bundle was read ahead are not asked again.
        ctx.signatures.prepare([work for kind, records, _error in parsed for record in records
                                if (work := kind.import_work(record, ctx)) is not None])
        if self._next is not None and verifier.parallel():
            # The batch's next bundle: read now, its signatures verified by the workers
            # while this one is applied.
            following, self._next = self._next, None
            self._read_ahead(uow, following, now)
        try:
            self._apply_parsed(ctx, parsed, counts, received, refused, late)
        finally:
            ctx.signatures.cancel()
        if refused:
            raise _RecordsRefused(refused)
        counts.update(ctx.counts)
        counts["acks"] = take_receipts(uow, bundle, now, notices)
        uow.sync.note_items_received(bundle.sender_id, received, now)
        flag_late(uow, bundle, now, late, notices)
        return counts

    @staticmethod
    def _apply_parsed(ctx: ImportContext, parsed: list[tuple[Any, list[Any], KpiError | None]],
                      counts: dict[str, int], received: list[str],
                      refused: list[RefusedRecord], late: list[tuple[str, Any]]) -> None:
        """Each parsed record through its kind's apply step, kind by kind (REGISTRY order)."""
        for kind, records, parse_error in parsed:
            for record in records:
                ctx.late = None
                try:
                    status = kind.apply(record, ctx)
                except KpiError as error:
                    if error.code not in RULE_REFUSALS:
                        raise
                    refused.append(RefusedRecord(kind.item_key(record), error))
                    continue
                name = kind.file if status == APPLIED else status
                counts[name] = counts.get(name, 0) + 1
                if status == HELD:
                    continue
                key = kind.item_key(record)
                if status == APPLIED and ctx.late is not None:
                    late.append((key, ctx.late))
                if all(ctx.has_attachment(sha) for sha in kind.attachments(record)):
                    received.append(key)
                else:  # stored, but acknowledged only once its file is here
                    counts["awaiting_files"] = counts.get("awaiting_files", 0) + 1
            if parse_error is not None:  # a row that does not parse, after those before it
                raise parse_error
            kind.finish(ctx)

    def _backup(self) -> None:
        """Copy the database before an import changes it; the last few copies are kept."""
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")
        backup_database(self._db.path, self._backup_dir / f"{_BACKUP_PREFIX}{stamp}.db")
        old = sorted(self._backup_dir.glob(f"{_BACKUP_PREFIX}*.db"))[:-_BACKUPS_KEPT]
        for path in old:
            with contextlib.suppress(OSError):
                path.unlink()
