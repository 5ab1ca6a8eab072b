"""Identity and synchronisation bookkeeping (``uow.sync``), revision 0002.

* sealed key pairs of the people (and the agency) who use this PC;
* trusted keys (the agency key the PC was set up with) and published X25519 keys;
* the bundle log: every bundle written or imported (an imported id is applied once);
* per-(sender, recipient) sequence numbers;
* the outbox (items a recipient acknowledged are not sent again) and the inbox (items received
  from a sender that still need a receipt);
* :meth:`SyncRepository.upsert` to apply organisation records by primary key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import and_, func, select

from kpi_desktop.domain import model
from kpi_desktop.domain.sync import (
    BundleLogEntry,
    EncryptionKey,
    HeldBundle,
    HubBundle,
    RecordRefusal,
    SealedKeyRecord,
    SyncSequence,
    TrustedKey,
)
from kpi_desktop.domain.values import normalize_text
from kpi_desktop.storage import orm
from kpi_desktop.storage.repositories._base import (
    Repository,
    from_row,
    table_of,
    to_row,
)
from kpi_desktop.storage.repositories.catalog import item_row

_SEALED = table_of(orm.SealedKeyRow)
_TRUSTED = table_of(orm.TrustedKeyRow)
_ENC = table_of(orm.EncryptionKeyRow)
_LOG = table_of(orm.BundleLogRow)
_SEQ = table_of(orm.SyncSequenceRow)
_ACK = table_of(orm.SyncAckRow)
_RECV = table_of(orm.SyncReceivedRow)
_REFUSAL = table_of(orm.SyncRefusalRow)
_HELD = table_of(orm.SyncHeldRow)
_HELD_INDEX = [c for c in _HELD.columns if c.name != "content"]
_HUB = table_of(orm.HubBundleRow)
_HUB_INDEX = [c for c in _HUB.columns if c.name != "content"]
_FAIL = table_of(orm.UnlockFailureRow)
_REV = table_of(orm.EntryRevisionRow)
_STMT = table_of(orm.ReviewStatementRow)
_ENTRY = table_of(orm.WorkLogEntryRow)
_ASSIGN = table_of(orm.AssignmentRow)
_APPEAL = table_of(orm.AppealRow)
_DISC = table_of(orm.DisciplineEventRow)
_YEAR = table_of(orm.AnnualClassificationRow)
_BATCH = 500

# Domain type → (table, row builder) for :meth:`SyncRepository.upsert`.
_UPSERT: dict[type, tuple[Any, Callable[[Any], dict[str, Any]]]] = {
    model.Organisation: (table_of(orm.OrganisationRow), to_row),
    model.Unit: (table_of(orm.UnitRow), to_row),
    model.JobPosition: (table_of(orm.JobPositionRow), to_row),
    model.Person: (table_of(orm.PersonRow), to_row),
    model.PersonKey: (table_of(orm.PersonKeyRow), to_row),
    model.UnitMembership: (table_of(orm.UnitMembershipRow), to_row),
    model.EvaluatorRelation: (table_of(orm.EvaluatorRelationRow), to_row),
    model.CatalogVersion: (table_of(orm.CatalogVersionRow), to_row),
    model.CatalogItem: (table_of(orm.CatalogItemRow), item_row),
    model.JobPositionItem: (table_of(orm.JobPositionItemRow), to_row),
    model.CalendarDay: (table_of(orm.CalendarDayRow), to_row),
    model.Assignment: (table_of(orm.AssignmentRow), to_row),
    model.PolicyVersion: (table_of(orm.PolicyVersionRow), to_row),
    EncryptionKey: (_ENC, to_row),
}


class SyncRepository(Repository):
    """Keys, trust, bundle log, sequence numbers, outbox and inbox (``uow.sync``)."""

    # ---------------------------------------------------------------- sealed keys -----------

    def put_sealed_key(self, record: SealedKeyRecord) -> None:
        """Store (or replace) the sealed key pair of ``record.owner_id``."""
        if self._update(_SEALED, _SEALED.c.owner_id == record.owner_id, to_row(record)) == 0:
            self._insert(_SEALED, to_row(record))

    def sealed_key(self, owner_id: str) -> SealedKeyRecord | None:
        """The sealed key pair of ``owner_id`` on this PC, or ``None``."""
        return self._one(SealedKeyRecord, _SEALED, _SEALED.c.owner_id == owner_id)

    def sealed_keys(self) -> list[SealedKeyRecord]:
        """Every sealed key pair on this PC, by owner."""
        return self._all(SealedKeyRecord, select(_SEALED).order_by(_SEALED.c.owner_id))

    def delete_sealed_key(self, owner_id: str) -> None:
        """Forget a sealed key pair (after re-enrolment with a new key)."""
        self._session.execute(_SEALED.delete().where(_SEALED.c.owner_id == owner_id))

    # ---------------------------------------------------------------- failed unlocks -------

    def unlock_failures(self, owner_id: str) -> tuple[int, dt.datetime | None]:
        """Wrong passphrases in a row for ``owner_id`` and when the last one was typed."""
        row = self._session.execute(select(_FAIL.c.failures, _FAIL.c.last_failed_at)
                                    .where(_FAIL.c.owner_id == owner_id)).first()
        return (0, None) if row is None else (int(row[0]), row[1])

    def set_unlock_failures(self, owner_id: str, failures: int, at: dt.datetime) -> None:
        """Record ``failures`` wrong passphrases in a row, the last at ``at``."""
        values = {"owner_id": owner_id, "failures": failures, "last_failed_at": at}
        if self._update(_FAIL, _FAIL.c.owner_id == owner_id, values) == 0:
            self._insert(_FAIL, values)

    def clear_unlock_failures(self, owner_id: str) -> None:
        """Forget the wrong passphrases of ``owner_id`` (after a right one)."""
        self._session.execute(_FAIL.delete().where(_FAIL.c.owner_id == owner_id))

    # ---------------------------------------------------------------- trust ----------------

    def add_trusted_key(self, key: TrustedKey) -> None:
        """Pin a key (the agency key at set-up)."""
        self._insert(_TRUSTED, to_row(key))

    def trusted_key(self, fingerprint: str) -> TrustedKey | None:
        """A pinned key by fingerprint, or ``None``."""
        return self._one(TrustedKey, _TRUSTED, _TRUSTED.c.fingerprint == fingerprint)

    def trusted_keys(self, role: str | None = None) -> list[TrustedKey]:
        """Pinned keys (of one role), oldest first."""
        stmt = select(_TRUSTED)
        if role is not None:
            stmt = stmt.where(_TRUSTED.c.role == role)
        return self._all(TrustedKey, stmt.order_by(_TRUSTED.c.pinned_at, _TRUSTED.c.fingerprint))

    def revoke_trusted_key(self, fingerprint: str, at: dt.datetime) -> None:
        """Mark a pinned key revoked."""
        self._update(_TRUSTED, _TRUSTED.c.fingerprint == fingerprint, {"revoked_at": at})

    def encryption_key(self, owner_id: str) -> EncryptionKey | None:
        """The published X25519 key of a person or the agency, or ``None``."""
        return self._one(EncryptionKey, _ENC, _ENC.c.owner_id == owner_id)

    def encryption_keys(self) -> list[EncryptionKey]:
        """Every published X25519 key, by owner."""
        return self._all(EncryptionKey, select(_ENC).order_by(_ENC.c.owner_id))

    # ---------------------------------------------------------------- bundle log -----------

    def log_bundle(self, entry: BundleLogEntry) -> None:
        """Record a bundle written or imported."""
        self._insert(_LOG, to_row(entry))

    def find_bundle(self, bundle_id: str) -> BundleLogEntry | None:
        """The log line of a bundle, or ``None``."""
        return self._one(BundleLogEntry, _LOG, _LOG.c.bundle_id == bundle_id)

    def bundle_history(self, limit: int = 200) -> list[BundleLogEntry]:
        """The latest bundles, newest first."""
        stmt = select(_LOG).order_by(_LOG.c.at.desc(), _LOG.c.bundle_id).limit(limit)
        return self._all(BundleLogEntry, stmt)

    # ---------------------------------------------------------------- sequences ------------

    def sequence(self, sender_id: str, recipient_id: str) -> SyncSequence:
        """The sequence numbers of (sender, recipient) (zeros when none yet)."""
        found = self._one(SyncSequence, _SEQ, and_(_SEQ.c.sender_id == sender_id,
                                                   _SEQ.c.recipient_id == recipient_id))
        return found or SyncSequence(sender_id=sender_id, recipient_id=recipient_id)

    def _save_sequence(self, seq: SyncSequence) -> None:
        where = and_(_SEQ.c.sender_id == seq.sender_id, _SEQ.c.recipient_id == seq.recipient_id)
        if self._update(_SEQ, where, to_row(seq)) == 0:
            self._insert(_SEQ, to_row(seq))

    def next_sent(self, sender_id: str, recipient_id: str) -> int:
        """Take the next sequence number for a bundle from ``sender_id`` to ``recipient_id``."""
        current = self.sequence(sender_id, recipient_id)
        number = current.last_sent + 1
        self._save_sequence(SyncSequence(sender_id=sender_id, recipient_id=recipient_id,
                                         last_sent=number, last_received=current.last_received))
        return number

    def raise_last_sent(self, sender_id: str, recipient_id: str, at_least: int) -> None:
        """A receipt says the recipient already has bundle ``at_least`` from this sender (a
        PC restored from an old backup learns its last number before it sends again)."""
        current = self.sequence(sender_id, recipient_id)
        if at_least > current.last_sent:
            self._save_sequence(SyncSequence(sender_id=sender_id, recipient_id=recipient_id,
                                             last_sent=at_least,
                                             last_received=current.last_received))

    def received_with_seq(self, sender_id: str, recipient_id: str, seq: int
                          ) -> list[BundleLogEntry]:
        """Bundles imported here from ``sender_id`` to ``recipient_id`` with number ``seq``."""
        stmt = (select(_LOG).where(_LOG.c.direction == "in")
                .where(_LOG.c.sender_id == sender_id)
                .where(_LOG.c.recipient_id == recipient_id).where(_LOG.c.seq == seq))
        return self._all(BundleLogEntry, stmt)

    def received_numbers(self, sender_id: str, recipient_id: str, signer: str | None
                         ) -> set[int]:
        """Sequence numbers imported from ``sender_id`` to ``recipient_id`` under the key
        ``signer`` (bundles logged before the key was kept count for every key)."""
        stmt = (select(_LOG.c.seq).where(_LOG.c.direction == "in")
                .where(_LOG.c.sender_id == sender_id)
                .where(_LOG.c.recipient_id == recipient_id))
        if signer is not None:
            stmt = stmt.where((_LOG.c.signer == signer) | _LOG.c.signer.is_(None))
        return {int(r[0]) for r in self._session.execute(stmt)}

    def last_received(self, sender_id: str, recipient_id: str) -> tuple[int, str | None]:
        """The highest number received from ``sender_id`` to ``recipient_id`` under the key
        of the latest such bundle, and that key ((0, None) when none arrived)."""
        latest = self._session.execute(
            select(_LOG.c.signer).where(_LOG.c.direction == "in")
            .where(_LOG.c.sender_id == sender_id).where(_LOG.c.recipient_id == recipient_id)
            .order_by(_LOG.c.at.desc()).limit(1)).first()
        if latest is None:
            return 0, None
        numbers = self.received_numbers(sender_id, recipient_id, latest[0])
        return max(numbers, default=0), latest[0]

    def inbound_channels(self) -> list[tuple[str, str, str | None]]:
        """(sender, recipient, signer) of every channel bundles arrived on here."""
        stmt = (select(_LOG.c.sender_id, _LOG.c.recipient_id, _LOG.c.signer)
                .where(_LOG.c.direction == "in").where(_LOG.c.kind != "organisation")
                .distinct())
        return [(str(r[0]), str(r[1]), r[2]) for r in self._session.execute(stmt)]

    def note_received(self, sender_id: str, recipient_id: str, seq: int) -> None:
        """Raise the highest sequence number received from ``sender_id`` (never lowers it)."""
        current = self.sequence(sender_id, recipient_id)
        if seq > current.last_received:
            self._save_sequence(SyncSequence(sender_id=sender_id, recipient_id=recipient_id,
                                             last_sent=current.last_sent, last_received=seq))

    # ---------------------------------------------------------------- outbox / inbox -------

    def acknowledge(self, recipient_id: str, item_keys: Iterable[str], at: dt.datetime) -> int:
        """Record that ``recipient_id`` holds these items; returns how many were new."""
        known = self.acked_keys(recipient_id)
        new = sorted(set(item_keys) - known)
        self._insert_many(_ACK, [{"recipient_id": recipient_id, "item_key": k, "acked_at": at}
                                 for k in new])
        return len(new)

    def forget_acks(self, recipient_id: str) -> None:
        """Forget what ``recipient_id`` acknowledged (they were re-enrolled on a new PC)."""
        self._session.execute(_ACK.delete().where(_ACK.c.recipient_id == recipient_id))

    def acked_keys(self, recipient_id: str) -> set[str]:
        """The items ``recipient_id`` acknowledged."""
        rows = self._session.execute(
            select(_ACK.c.item_key).where(_ACK.c.recipient_id == recipient_id))
        return {str(r[0]) for r in rows}

    def note_items_received(self, sender_id: str, item_keys: Iterable[str],
                            at: dt.datetime) -> None:
        """Items received from ``sender_id``: each needs a receipt (again, if resent)."""
        keys = sorted(set(item_keys))
        for start in range(0, len(keys), _BATCH):
            part = keys[start : start + _BATCH]
            # Those received before need a receipt again; the others are new rows. (One JSON
            # parameter for the keys: a statement of the same text every time.)
            have = {str(r[0]) for r in self._session.execute(
                select(_RECV.c.item_key).where(_RECV.c.sender_id == sender_id)
                .where(self._in(_RECV.c.item_key, [normalize_text(k) for k in part])))}
            if have:
                self._update(_RECV, and_(_RECV.c.sender_id == sender_id,
                                         self._in(_RECV.c.item_key, sorted(have))),
                             {"receipted": False})
            self._insert_many(_RECV, [{"sender_id": sender_id, "item_key": k,
                                       "received_at": at, "receipted": False}
                                      for k in part if k not in have])

    def pending_receipts(self, sender_id: str) -> list[str]:
        """Items received from ``sender_id`` that no receipt acknowledged yet."""
        rows = self._session.execute(
            select(_RECV.c.item_key).where(_RECV.c.sender_id == sender_id)
            .where(_RECV.c.receipted.is_(False)).order_by(_RECV.c.item_key))
        return [str(r[0]) for r in rows]

    def senders_awaiting_receipt(self) -> list[str]:
        """Senders some received item of which still needs a receipt."""
        rows = self._session.execute(
            select(_RECV.c.sender_id).where(_RECV.c.receipted.is_(False)).distinct()
            .order_by(_RECV.c.sender_id))
        return [str(r[0]) for r in rows]

    def mark_receipted(self, sender_id: str, item_keys: Sequence[str]) -> None:
        """These items were acknowledged in a receipt to ``sender_id``."""
        keys = list(item_keys)
        for start in range(0, len(keys), _BATCH):
            part = keys[start : start + _BATCH]
            self._update(_RECV, and_(_RECV.c.sender_id == sender_id, _RECV.c.item_key.in_(part)),
                         {"receipted": True})

    # ---------------------------------------------------------------- refusals -------------

    def record_refusals(self, refusals: Sequence[RecordRefusal]) -> None:
        """Store refusals received from a recipient ("in"; one per peer and item). Refusals
        made here are owed beside the database, not in it (``services.sync.files``)."""
        for refusal in refusals:
            where = and_(_REFUSAL.c.direction == refusal.direction,
                         _REFUSAL.c.peer_id == refusal.peer_id,
                         _REFUSAL.c.item_key == refusal.item_key)
            if self._update(_REFUSAL, where, to_row(refusal)) == 0:
                self._insert(_REFUSAL, to_row(refusal))

    def refused_keys(self, peer_id: str) -> set[str]:
        """Items ``peer_id`` refused: never sent to them again."""
        rows = self._session.execute(
            select(_REFUSAL.c.item_key).where(_REFUSAL.c.direction == "in")
            .where(_REFUSAL.c.peer_id == peer_id))
        return {str(r[0]) for r in rows}

    def refusals(self, direction: str) -> list[RecordRefusal]:
        """Every refusal made here ("out") or received ("in"), newest first."""
        stmt = (select(_REFUSAL).where(_REFUSAL.c.direction == direction)
                .order_by(_REFUSAL.c.at.desc(), _REFUSAL.c.peer_id, _REFUSAL.c.item_key))
        return self._all(RecordRefusal, stmt)

    # ---------------------------------------------------------------- held bundles ---------

    def hold(self, held: HeldBundle, content: bytes) -> None:
        """Keep a bundle unapplied until someone decides (once per bundle id)."""
        known = self._session.execute(select(_HELD.c.bundle_id).where(
            _HELD.c.bundle_id == held.bundle_id)).first()
        if known is None:
            self._insert(_HELD, {**to_row(held), "content": content})

    def held_bundles(self) -> list[HeldBundle]:
        """Bundles held here, oldest first."""
        stmt = select(*_HELD_INDEX).order_by(_HELD.c.held_at, _HELD.c.bundle_id)
        return [HeldBundle(**row._mapping) for row in self._session.execute(stmt)]

    def held_content(self, bundle_id: str) -> bytes | None:
        """A held bundle's bytes, or ``None``."""
        return self._session.execute(select(_HELD.c.content).where(
            _HELD.c.bundle_id == bundle_id)).scalar_one_or_none()

    def drop_held(self, bundle_id: str) -> None:
        """Forget a held bundle (released or discarded)."""
        self._session.execute(_HELD.delete().where(_HELD.c.bundle_id == bundle_id))

    # ---------------------------------------------------------------- signed records -------

    def iter_signed(self, kind: str) -> Iterator[Any]:
        """The stored records of a kind that carry a signature (``kpi-desktop check``), a
        batch of rows at a time; statements come with the SHA-256 of the revision they are
        about. Read them inside the unit of work."""
        if kind == "statements":
            stmt = (select(_STMT, _REV.c.snapshot_sha256.label("revision_sha256"))
                    .join(_REV, and_(_REV.c.entry_id == _STMT.c.entry_id,
                                     _REV.c.revision == _STMT.c.revision))
                    .where(_STMT.c.signature.is_not(None)).order_by(_STMT.c.id)
                    .execution_options(yield_per=1000))
            result = self._session.execute(stmt)
            return ((from_row(model.ReviewStatement, row), str(row.revision_sha256))
                    for rows in result.partitions() for row in rows)
        table, cls, order = {
            "revisions": (_REV, model.EntryRevision, (_REV.c.entry_id, _REV.c.revision)),
            "assignments": (_ASSIGN, model.Assignment, (_ASSIGN.c.id,)),
            "appeals": (_APPEAL, model.Appeal, (_APPEAL.c.id,)),
            "discipline_events": (_DISC, model.DisciplineEvent, (_DISC.c.id,)),
            "annual_classifications": (_YEAR, model.AnnualClassification, (_YEAR.c.id,)),
        }[kind]
        signed = table.c.signature.is_not(None)
        if kind == "appeals":
            signed = signed | table.c.decision_signature.is_not(None)
        return self._stream(cls, select(table).where(signed).order_by(*order))

    def revision_hashes(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The snapshot SHA-256 of each (entry, revision) that is stored."""
        wanted = set(keys)
        entries = sorted({entry for entry, _number in wanted})
        found: dict[tuple[str, int], str] = {}
        for start in range(0, len(entries), _BATCH):
            stmt = (select(_REV.c.entry_id, _REV.c.revision, _REV.c.snapshot_sha256)
                    .where(_REV.c.entry_id.in_(entries[start : start + _BATCH])))
            for entry_id, number, sha in self._session.execute(stmt):
                if (entry_id, number) in wanted:
                    found[(str(entry_id), int(number))] = str(sha)
        return found

    def revisions_by_authors(self, author_ids: Iterable[str]) -> list[model.EntryRevision]:
        """Every revision written by these people, by entry and revision number."""
        stmt = (select(_REV).where(_REV.c.author_id.in_(list(author_ids)))
                .order_by(_REV.c.entry_id, _REV.c.revision))
        return self._all(model.EntryRevision, stmt)

    def assignments_of(self, person_id: str) -> list[model.Assignment]:
        """Every assignment of a person (all periods), oldest first."""
        stmt = (select(_ASSIGN).where(_ASSIGN.c.person_id == person_id)
                .order_by(_ASSIGN.c.created_at, _ASSIGN.c.id))
        return self._all(model.Assignment, stmt)

    def find_revision(self, entry_id: str, revision: int) -> model.EntryRevision | None:
        """One revision, or ``None``."""
        return self._one(model.EntryRevision, _REV,
                         and_(_REV.c.entry_id == entry_id, _REV.c.revision == revision))

    def set_revision_signature(self, entry_id: str, revision: int, signature: bytes,
                               key_fingerprint: str) -> None:
        """Sign a revision that was submitted while its author's key was locked."""
        values = {"signature": signature, "key_fingerprint": key_fingerprint}
        self._update(_REV, and_(_REV.c.entry_id == entry_id, _REV.c.revision == revision),
                     values)
        self._update(_ENTRY, and_(_ENTRY.c.id == entry_id,
                                  _ENTRY.c.current_revision == revision), values)

    def set_revision_signatures(self, revisions: Sequence[model.EntryRevision]) -> None:
        """:meth:`set_revision_signature` of many revisions (signed at an export), in one
        executemany a table."""
        rows = [(r.signature, r.key_fingerprint, r.entry_id, r.revision) for r in revisions]
        keys = ("signature", "key_fingerprint")
        self._update_rows(_REV, keys, ("entry_id", "revision"), rows)
        self._update_rows(_ENTRY, keys, ("id", "current_revision"), rows)

    def set_statement_signatures(self, signed: Sequence[tuple[str, bytes, str]]) -> None:
        """:meth:`set_statement_signature` of many (statement id, signature, fingerprint)."""
        self._update_rows(_STMT, ("signature", "key_fingerprint"), ("id",),
                          [(sig, fp, statement_id) for statement_id, sig, fp in signed])

    def set_statement_signature(self, statement_id: str, signature: bytes,
                                key_fingerprint: str) -> None:
        """Sign a statement that was made while its reviewer's key was locked."""
        self._update(_STMT, _STMT.c.id == statement_id,
                     {"signature": signature, "key_fingerprint": key_fingerprint})

    def statements_by_reviewers(self, reviewer_ids: Iterable[str]
                                ) -> list[model.ReviewStatement]:
        """Every statement made by these reviewers, oldest first."""
        stmt = (select(_STMT).where(_STMT.c.reviewer_id.in_(list(reviewer_ids)))
                .order_by(_STMT.c.created_at, _STMT.c.id))
        return self._all(model.ReviewStatement, stmt)

    def org_evaluations(self) -> list[model.OrgEvaluation]:
        """Every organisation level recorded (all years), by year and unit."""
        table = table_of(orm.OrgEvaluationRow)
        return self._all(model.OrgEvaluation,
                         select(table).order_by(table.c.year, table.c.unit_id))

    # -- appeals, discipline events, annual classifications (records of issue 9) -------------

    def appeals_decided_by(self, person_id: str) -> list[model.Appeal]:
        """Appeals decided by ``person_id``, oldest first."""
        stmt = (select(_APPEAL).where(_APPEAL.c.decided_by == person_id)
                .order_by(_APPEAL.c.filed_at, _APPEAL.c.id))
        return self._all(model.Appeal, stmt)

    def find_appeal(self, appeal_id: str) -> model.Appeal | None:
        """One appeal, or ``None``."""
        return self._one(model.Appeal, _APPEAL, _APPEAL.c.id == appeal_id)

    def put_appeal(self, appeal: model.Appeal) -> None:
        """Insert or fully replace an appeal as received (bundle import)."""
        if self._update(_APPEAL, _APPEAL.c.id == appeal.id, to_row(appeal)) == 0:
            self._insert(_APPEAL, to_row(appeal))

    def set_appeal_signatures(self, appeal_id: str, **values: Any) -> None:
        """Store the filing or decision signature of an appeal (signed at export)."""
        self._update(_APPEAL, _APPEAL.c.id == appeal_id, values)

    def discipline_recorded_by(self, person_id: str) -> list[model.DisciplineEvent]:
        """Discipline events recorded by ``person_id``, oldest first."""
        stmt = (select(_DISC).where(_DISC.c.recorded_by == person_id)
                .order_by(_DISC.c.created_at, _DISC.c.id))
        return self._all(model.DisciplineEvent, stmt)

    def find_discipline(self, event_id: str) -> model.DisciplineEvent | None:
        """One discipline event, or ``None``."""
        return self._one(model.DisciplineEvent, _DISC, _DISC.c.id == event_id)

    def set_discipline_signature(self, event_id: str, signature: bytes,
                                 key_fingerprint: str) -> None:
        """Sign a discipline event recorded while its author's key was locked."""
        self._update(_DISC, _DISC.c.id == event_id,
                     {"signature": signature, "key_fingerprint": key_fingerprint})

    def annual_decided_by(self, person_id: str) -> list[model.AnnualClassification]:
        """Annual classifications decided by ``person_id`` (replaced ones after the ones
        they replace), oldest first."""
        stmt = (select(_YEAR).where(_YEAR.c.decided_by == person_id)
                .where(_YEAR.c.decided_at.is_not(None))
                .order_by(_YEAR.c.created_at, _YEAR.c.id))
        return self._all(model.AnnualClassification, stmt)

    def find_annual(self, classification_id: str) -> model.AnnualClassification | None:
        """One annual classification, or ``None``."""
        return self._one(model.AnnualClassification, _YEAR, _YEAR.c.id == classification_id)

    def set_annual_signature(self, classification_id: str, signature: bytes,
                             key_fingerprint: str) -> None:
        """Sign a decided classification (its fields stay as decided)."""
        self._update(_YEAR, _YEAR.c.id == classification_id,
                     {"signature": signature, "key_fingerprint": key_fingerprint})

    def statements_about_authors(self, author_ids: Iterable[str]
                                 ) -> list[model.ReviewStatement]:
        """Every statement about entries of these people, oldest first."""
        entries = select(_ENTRY.c.id).where(_ENTRY.c.person_id.in_(list(author_ids)))
        stmt = (select(_STMT).where(_STMT.c.entry_id.in_(entries))
                .order_by(_STMT.c.created_at, _STMT.c.id))
        return self._all(model.ReviewStatement, stmt)

    def put_entry(self, entry: model.WorkLogEntry) -> None:
        """Insert or fully replace an entry row as received (bundle import)."""
        if self._update_where(_ENTRY, {"id": entry.id}, to_row(entry)) == 0:
            self._insert(_ENTRY, to_row(entry))

    def delete_missing(self, kind: type, keep: Iterable[object]) -> int:
        """Delete evaluator relations or job-position permissions absent from ``keep``."""
        table, build = _UPSERT[kind]
        wanted = {tuple(build(o)[c.name] for c in table.primary_key.columns) for o in keep}
        removed = 0
        for row in self._session.execute(select(*table.primary_key.columns)).all():
            if tuple(row) not in wanted:
                where = and_(*[c == v for c, v in zip(table.primary_key.columns, row,
                                                        strict=True)])
                self._session.execute(table.delete().where(where))
                removed += 1
        return removed

    # ---------------------------------------------------------------- hub --------------------

    def hub_store(self, bundle: HubBundle, content: bytes) -> None:
        """Store a bundle received by the hub."""
        self._insert(_HUB, {**to_row(bundle), "content": content})

    def hub_store_new(self, bundle: HubBundle, content: bytes) -> bool:
        """Store a bundle received by the hub unless one with its id is stored already (no
        find first, no refused insert to roll back: ``INSERT … ON CONFLICT DO NOTHING`` on
        SQLite and PostgreSQL); whether it was stored now."""
        dialect = self._session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:  # pragma: no cover - the hub's stores are SQLite and PostgreSQL
            if self.hub_find(bundle.bundle_id) is not None:
                return False
            self.hub_store(bundle, content)
            return True
        stmt = (dialect_insert(_HUB).values(**to_row(bundle), content=content)
                .on_conflict_do_nothing(index_elements=["bundle_id"])
                .returning(_HUB.c.bundle_id))
        return self._session.execute(stmt).first() is not None  # (rowcount is unreliable)

    def hub_store_new_many(self, bundles: Sequence[tuple[HubBundle, bytes]]) -> set[str]:
        """:meth:`hub_store_new` for several bundles in one statement; the ids stored now."""
        if not bundles:
            return set()
        dialect = self._session.get_bind().dialect.name
        if dialect not in ("postgresql", "sqlite"):  # pragma: no cover
            return {b.bundle_id for b, content in bundles if self.hub_store_new(b, content)}
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        rows = [{**to_row(b), "content": content} for b, content in bundles]
        if dialect == "postgresql":
            return self._hub_insert_pg(rows)
        # One executemany (SQLAlchemy sends it as multi-row INSERTs and gathers what each
        # returns); a compiled statement that stays the same whatever the batch's size.
        stmt = (dialect_insert(_HUB).on_conflict_do_nothing(index_elements=["bundle_id"])
                .returning(_HUB.c.bundle_id))
        return {row[0] for row in self._session.execute(stmt, rows)}

    def _hub_insert_pg(self, rows: list[dict[str, Any]]) -> set[str]:
        """The batch's insert on PostgreSQL through the driver's own executemany (pipelined,
        one round trip for the batch; the columns' types still convert the values): half
        the time of SQLAlchemy's rendering of 28 KB bundles."""
        connection = self._session.connection()
        dialect = connection.dialect
        columns = [c for c in _HUB.columns]
        convert = [c.type.bind_processor(dialect) for c in columns]
        values = [tuple(value if processor is None else processor(value)
                        for value, processor in zip((row[c.name] for c in columns), convert,
                                                    strict=True))
                  for row in rows]
        names = ", ".join(c.name for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        sql = (f"INSERT INTO {_HUB.name} ({names}) VALUES ({marks}) "
               f"ON CONFLICT (bundle_id) DO NOTHING RETURNING bundle_id")
        stored: set[str] = set()
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(sql, values, returning=True)
            while True:
                stored.update(row[0] for row in cursor.fetchall())
                if not cursor.nextset():
                    break
        finally:
            cursor.close()
        return stored

    def hub_find_many(self, bundle_ids: Iterable[str]) -> dict[str, HubBundle]:
        """The stored index lines of these ids (those stored), by id."""
        ids = list(bundle_ids)
        if not ids:
            return {}
        rows = self._session.execute(select(*_HUB_INDEX).where(_HUB.c.bundle_id.in_(ids)))
        return {row.bundle_id: HubBundle(**row._mapping) for row in rows}

    def hub_usages(self, sender_ids: Iterable[str], since: dt.datetime
                   ) -> dict[str, tuple[int, int]]:
        """:meth:`hub_usage` of several senders in one query (those without any are
        absent)."""
        ids = list(sender_ids)
        if not ids:
            return {}
        rows = self._session.execute(
            select(_HUB.c.sender_id, func.count(), func.coalesce(func.sum(_HUB.c.size), 0))
            .where(_HUB.c.sender_id.in_(ids), _HUB.c.received_at >= since)
            .group_by(_HUB.c.sender_id))
        return {sender: (int(count), int(size)) for sender, count, size in rows}

    def hub_find(self, bundle_id: str) -> HubBundle | None:
        """A stored bundle's index line, or ``None``."""
        row = self._session.execute(select(*_HUB_INDEX).where(_HUB.c.bundle_id == bundle_id)
                                    ).first()
        return None if row is None else HubBundle(**row._mapping)

    def hub_content(self, bundle_id: str) -> bytes | None:
        """A stored bundle's bytes, or ``None``."""
        return self._session.execute(select(_HUB.c.content).where(_HUB.c.bundle_id == bundle_id)
                                     ).scalar_one_or_none()

    def hub_usage(self, sender_id: str, since: dt.datetime) -> tuple[int, int]:
        """How many bundles of ``sender_id`` the hub stored since ``since``, and their bytes."""
        row = self._session.execute(
            select(func.count(), func.coalesce(func.sum(_HUB.c.size), 0))
            .where(_HUB.c.sender_id == sender_id, _HUB.c.received_at >= since)).one()
        return int(row[0]), int(row[1])

    def hub_inbox(self, recipient_ids: Iterable[str]) -> list[HubBundle]:
        """Bundles addressed to any of ``recipient_ids``, oldest first."""
        stmt = (select(*_HUB_INDEX).where(_HUB.c.recipient_id.in_(list(recipient_ids)))
                .order_by(_HUB.c.received_at, _HUB.c.bundle_id))
        return [HubBundle(**row._mapping) for row in self._session.execute(stmt)]

    # ---------------------------------------------------------------- organisation ---------

    def upsert(self, objects: Iterable[object]) -> tuple[int, int]:
        """Insert or replace records by primary key; returns (inserted, updated).

        Records are written in runs of the same type, in the order given: pass parents
        before children (units before people). Unchanged rows are left alone.
        """
        inserted = updated = 0
        run: list[object] = []
        for obj in [*objects, None]:
            if run and (obj is None or type(obj) is not type(run[0])):
                i, u = self._upsert_run(run)
                inserted, updated, run = inserted + i, updated + u, []
            if obj is not None:
                run.append(obj)
        return inserted, updated

    def _upsert_run(self, objects: list[object]) -> tuple[int, int]:
        table, build = _UPSERT[type(objects[0])]
        keys = list(table.primary_key.columns)
        existing = {tuple(row._mapping[c.name] for c in keys): row._mapping
                    for row in self._session.execute(select(table))}
        new_rows: list[dict[str, Any]] = []
        updated = 0
        for obj in objects:
            row = build(obj)
            key = tuple(row[c.name] for c in keys)
            old = existing.get(key)
            if old is None:
                new_rows.append(row)
            elif any(old[k] != v for k, v in row.items() if k in old):
                self._update(table, and_(*[c == row[c.name] for c in keys]), row)
                updated += 1
        # Units may refer to each other: insert them one by one, in the order given.
        if table is table_of(orm.UnitRow):
            for row in new_rows:
                self._insert(table, row)
        else:
            self._insert_many(table, new_rows)
        return len(new_rows), updated
