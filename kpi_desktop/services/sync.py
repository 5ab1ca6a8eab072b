"""Synchronisation use cases: publish and import the organisation, export and import work,
review and receipt bundles, through a folder (USB stick, network share) — DESIGN.md §6.

Rules kept here:

* Import verifies the bundle completely (:func:`kpi_desktop.sync.bundle.read_bundle`) before
  the database is touched, then backs the database up and applies everything in ONE unit of
  work: a refused bundle changes nothing; the same bundle twice, or bundles out of order, give
  the same state (records are keyed by id; statements whose revision has not arrived yet are
  held back unacknowledged, so the sender sends them again).
* Every record carries its author's signature; the importer checks each one against the
  author's published key and the author's right to make it (only an evaluator of the entry's
  author confirms or returns it).
* Export carries everything the recipient has not acknowledged yet; each bundle takes the next
  sequence number of (sender, recipient); receipts (``acks``) ride along in every bundle.
* Organisation bundles are signed by the agency key the PC was set up with; a lower version is
  a rollback and refused, the same version must have the same content.
* An official's proposals of new catalog items (Điều 13.3) go to the agency only, signed by
  their author, in ``data/proposals.jsonl``; the agency stores them as proposed (the decision
  is its own and never read from a work bundle). The agency's decisions travel back in the
  organisation file (``proposal_decisions``) and reach the proposals on their author's PC.
* Issue 9's records: organisation indicators and levels ride in the organisation file;
  appeals (signed by the official) in work bundles to the evaluators and the agency; appeal
  decisions, discipline events and decided annual classifications (signed by who decided,
  who must be an evaluator of the person or the level above, never the person) in review
  bundles to the person concerned and the agency.
* Agency key rotation (:meth:`SyncService.rotate_agency_key`): cross-signed links in every
  later organisation file move each PC's pin; files signed by a replaced key are refused.
* Device clocks are not trusted for ordering; a revision whose device time is in the future or
  before its work date is imported and flagged (audit ``sync.clock_flag``).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    AnnualClassification,
    Appeal,
    AppealStatus,
    Assignment,
    AuditEvent,
    CatalogProposal,
    DisciplineEvent,
    EntryRevision,
    EntryStatus,
    EvaluationStatus,
    MonthlyEvaluation,
    ProposalStatus,
    ReviewStatement,
    StatementKind,
    WorkLogEntry,
    utc_now,
)
from kpi_desktop.domain.sync import (
    AGENCY,
    BundleLogEntry,
    EncryptionKey,
    SealedKeyRecord,
    TrustedKey,
)
from kpi_desktop.domain.values import canonical_json
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.hub_limits import hub_limits_header
from kpi_desktop.services.keys import KeyService
from kpi_desktop.storage.backup import backup_database
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Bundle, Limits, enc_key_id, read_bundle, write_bundle
from kpi_desktop.sync.records import from_json, to_json
from kpi_desktop.sync.signing import (
    annual_bytes,
    appeal_bytes,
    appeal_decision_bytes,
    assignment_bytes,
    discipline_bytes,
    evaluation_confirmation_bytes,
    evaluation_self_bytes,
    proposal_bytes,
    revision_bytes,
    statement_bytes,
)

__all__ = ["BUNDLE_SUFFIX", "ExportResult", "ImportResult", "SyncService", "write_atomically"]

BUNDLE_SUFFIX = ".kpib"
_ORG_MANIFEST = "sync.org_manifest_sha256"
_AGENCY_CHAIN = "sync.agency_key_chain"  # the agency PC's rotation links, oldest first
_HUB_URL = "sync.hub_url"
_BACKUP_PREFIX = "kpi-before-import-"
_BACKUPS_KEPT = 5
_CLOCK_FUTURE = dt.timedelta(hours=1)
_NOT_MINE = frozenset({"bundle_wrong_recipient"})

# Organisation payload: name → domain type, in the order records are applied.
_ORG_PARTS: tuple[tuple[str, type], ...] = (
    ("organisations", model.Organisation),
    ("units", model.Unit),
    ("job_positions", model.JobPosition),
    ("people", model.Person),
    ("person_keys", model.PersonKey),
    ("memberships", model.UnitMembership),
    ("evaluator_relations", model.EvaluatorRelation),
    ("catalog_versions", model.CatalogVersion),
    ("catalog_items", model.CatalogItem),
    ("job_position_items", model.JobPositionItem),
    ("policies", model.PolicyVersion),
    ("calendar", model.CalendarDay),
    ("encryption_keys", EncryptionKey),
)


@dataclass(frozen=True, kw_only=True)
class _ProposalDecision:
    """The agency's decision on an official's proposal, as the organisation file carries it
    back to the official's PC (signed by the agency with the whole file)."""

    id: str
    person_id: str
    status: ProposalStatus
    accepted_item_code: str | None
    decision_note: str
    decided_by: str | None
    decided_at: dt.datetime | None


# Organisation payload applied by natural key after ``_ORG_PARTS`` (the agency's own records;
# only present when there are some, so older readers see the same files as before).
_ORG_RESULTS = "org_indicators", "org_evaluations", "proposal_decisions"


@dataclass(frozen=True)
class ImportResult:
    """What importing one bundle did."""

    source: str
    status: str  # "imported" | "already" | "refused" | "skipped" (for someone else)
    kind: str = ""
    bundle_id: str = ""
    sender_id: str = ""
    recipient_id: str = ""
    seq: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    error: KpiError | None = None

    @property
    def ok(self) -> bool:
        """Whether the bundle was imported, already there, or not meant for this PC."""
        return self.status != "refused"


@dataclass(frozen=True)
class ExportResult:
    """One bundle written by an export."""

    path: Path
    kind: str
    recipient_id: str
    seq: int
    counts: dict[str, int]


_KIND_ORDER = ("organisation", "plan", "work", "review", "receipt")


def bundle_order(name: str) -> tuple[int, str]:
    """Sort key for bundle files found together: the organisation first, then plans, work,
    reviews and receipts (a review's statements are about entries in work bundles that may
    arrive in the same folder), each in name order — a sender's sequence number is in it."""
    parts = name.split("_", 2)
    kind = parts[1] if len(parts) > 2 and parts[0] == "KPI" else ""
    rank = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
    return rank, name


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` via a temporary name, fsync and rename, so a pulled
    USB stick never leaves a half file that looks whole."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = folder / f".{name}.part"
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise RefusedValue("export_write_failed", path=str(target), detail=str(exc)) from exc
    return target


@dataclass(frozen=True)
class _EvaluationPart:
    """One signed part of a monthly evaluation: the person's self-assessment ("self") or the
    evaluator's confirmation ("confirmation")."""

    part: str
    evaluation: MonthlyEvaluation

    @property
    def signed_bytes(self) -> bytes:
        if self.part == "self":
            return evaluation_self_bytes(self.evaluation)
        return evaluation_confirmation_bytes(self.evaluation)

    @property
    def author_id(self) -> str | None:
        return (self.evaluation.person_id if self.part == "self"
                else self.evaluation.evaluator_id)

    @property
    def signature(self) -> tuple[bytes | None, str | None]:
        e = self.evaluation
        if self.part == "self":
            return e.self_signature, e.self_key_fingerprint
        return e.evaluator_signature, e.evaluator_key_fingerprint


@dataclass(frozen=True)
class _AppealPart:
    """One signed part of an appeal (Điều 22): as filed (or withdrawn) by the official
    ("filing"), or the decision on it ("decision") with the filing it answers."""

    part: str
    appeal: Appeal

    @property
    def signed_bytes(self) -> bytes:
        if self.part == "filing":
            return appeal_bytes(self.appeal)
        return appeal_decision_bytes(self.appeal)


_Item = (EntryRevision | ReviewStatement | _EvaluationPart | Assignment | CatalogProposal
         | _AppealPart | DisciplineEvent | AnnualClassification)


def _item_key(record: _Item) -> str:
    if isinstance(record, Assignment):
        digest = hashlib.sha256(assignment_bytes(record)).hexdigest()[:16]
        return f"plan:{record.id}:{digest}"
    if isinstance(record, EntryRevision):
        return f"rev:{record.entry_id}:{record.revision}"
    if isinstance(record, CatalogProposal):
        return f"prop:{record.id}"
    if isinstance(record, _AppealPart):
        digest = hashlib.sha256(record.signed_bytes).hexdigest()[:16]
        return f"appeal-{record.part}:{record.appeal.id}:{digest}"
    if isinstance(record, DisciplineEvent):  # its year may move: a change is sent again
        return f"disc:{record.id}:{hashlib.sha256(discipline_bytes(record)).hexdigest()[:16]}"
    if isinstance(record, AnnualClassification):
        return f"annual:{record.id}"
    if isinstance(record, _EvaluationPart):
        digest = hashlib.sha256(record.signed_bytes).hexdigest()[:16]
        e = record.evaluation
        return f"eval-{record.part}:{e.person_id}:{e.period}:{digest}"
    return f"stmt:{record.id}"


def _topological_units(units: list[model.Unit]) -> list[model.Unit]:
    by_id = {u.id: u for u in units}
    ordered: list[model.Unit] = []
    seen: set[str] = set()

    def visit(unit: model.Unit, depth: int = 0) -> None:
        if unit.id in seen or depth > len(units):
            return
        for parent in (unit.parent_id, unit.merged_into_id):
            if parent in by_id and parent != unit.id:
                visit(by_id[parent], depth + 1)
        seen.add(unit.id)
        ordered.append(unit)

    for unit in units:
        visit(unit)
    return ordered


def _entry_from_revision(revision: EntryRevision, data: dict[str, Any]) -> WorkLogEntry:
    snapshot = from_json(_Snapshot, data)
    return WorkLogEntry(
        id=snapshot.id, person_id=snapshot.person_id, work_date=snapshot.work_date,
        catalog_item_id=snapshot.catalog_item_id, quantity=snapshot.quantity,
        coefficient=snapshot.coefficient, created_at=revision.created_at,
        updated_at=revision.created_at, assignment_id=snapshot.assignment_id,
        extra_kind=snapshot.extra_kind, taken_over_from_id=snapshot.taken_over_from_id,
        time_norm_minutes=snapshot.time_norm_minutes,
        complexity_level=snapshot.complexity_level,
        output_doc_number=snapshot.output_doc_number,
        output_description=snapshot.output_description,
        attachment_sha256=snapshot.attachment_sha256, attachment_name=snapshot.attachment_name,
        deadline=snapshot.deadline, completed_on=snapshot.completed_on,
        status=EntryStatus.SUBMITTED, current_revision=revision.revision,
        signature=revision.signature, key_fingerprint=revision.key_fingerprint)


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


@dataclass
class _Batch:
    """Bundles imported together (:meth:`SyncService.import_paths`): one backup, made before
    the first bundle that changes anything."""

    backed_up: bool = False


class _Known:
    """What importing one bundle's records reads from the database, loaded in a few queries
    (:meth:`preload`) instead of a dozen single-row queries a record, and the entries,
    revisions and statements it adds, written in bulk by :meth:`flush` (issue 8).

    Every lookup falls back to a query for what was not preloaded, and sees what this import
    added before the flush (a statement about a revision of the same bundle)."""

    def __init__(self, uow: Any) -> None:
        self._uow = uow
        self._keys: dict[str, model.PersonKey | None] = {}
        self._people: dict[str, model.Person | None] = {}
        self._items: dict[str, bool] = {}
        self._assignments: dict[str, bool] = {}
        self._relations: dict[str, list[model.EvaluatorRelation]] = {}
        self._entries: dict[str, WorkLogEntry | None] = {}
        self._revisions: dict[tuple[str, int], EntryRevision] = {}
        self._revisions_of: set[str] = set()  # entries whose stored revisions are loaded
        self._statements: dict[str, bool] = {}
        self._new_entries: dict[str, WorkLogEntry] = {}
        self._changed_entries: dict[str, WorkLogEntry] = {}
        self._new_revisions: list[EntryRevision] = []
        self._new_statements: list[ReviewStatement] = []

    def preload(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Load, in bulk, what the records of a bundle's payload will look up."""
        uow = self._uow
        fps = {str(r["key_fingerprint"]) for part in rows.values() for r in part
               if isinstance(r, dict) and isinstance(r.get("key_fingerprint"), str)}
        found = uow.org.find_keys(sorted(fps - set(self._keys)))
        self._keys.update({fp: found.get(fp) for fp in fps if fp not in self._keys})
        entry_ids: set[str] = set()
        people: set[str] = set()
        items: set[str] = set()
        assignments: set[str] = set()
        for row in rows.get("revisions", []):
            if isinstance(row, dict) and isinstance(row.get("entry_id"), str):
                entry_ids.add(row["entry_id"])
            try:
                snapshot = json.loads(str(row["snapshot_json"]))
            except (KeyError, TypeError, ValueError):
                continue  # refused with its reason when the record is applied
            if not isinstance(snapshot, dict):
                continue
            for name, into in (("person_id", people), ("catalog_item_id", items),
                               ("assignment_id", assignments)):
                if isinstance(snapshot.get(name), str):
                    into.add(snapshot[name])
        for row in rows.get("statements", []):
            if isinstance(row, dict) and isinstance(row.get("entry_id"), str):
                entry_ids.add(row["entry_id"])
        for name in ("assignments", "evaluations"):
            for row in rows.get(name, []):
                if isinstance(row, dict) and isinstance(row.get("person_id"), str):
                    people.add(row["person_id"])
        for row in rows.get("assignments", []):
            if isinstance(row, dict) and isinstance(row.get("catalog_item_id"), str):
                items.add(row["catalog_item_id"])
        entry_ids -= self._revisions_of
        if entry_ids:
            entries = uow.worklog.get_many(sorted(entry_ids))
            for entry_id in entry_ids:
                self._entries.setdefault(entry_id, entries.get(entry_id))
            for key, revision in uow.worklog.revisions_of(sorted(entry_ids)).items():
                self._revisions.setdefault(key, revision)
            self._revisions_of |= entry_ids
            people |= {e.person_id for e in entries.values()}
        statement_ids = [str(r["id"]) for r in rows.get("statements", [])
                         if isinstance(r, dict) and isinstance(r.get("id"), str)]
        stored = uow.reviews.existing_ids(statement_ids)
        for statement_id in statement_ids:
            self._statements.setdefault(statement_id, statement_id in stored)
        people -= set(self._people)
        found_people = uow.org.get_people(sorted(people))
        self._people.update({p: found_people.get(p) for p in people})
        self._load_relations(people)
        items -= set(self._items)
        found_items = uow.catalog.get_items(sorted(items))
        self._items.update({i: i in found_items for i in items})
        assignments -= {a for a, known in self._assignments.items() if known}
        found_assignments = uow.assignments.get_many(sorted(assignments))
        self._assignments.update({a: a in found_assignments for a in assignments})

    def _load_relations(self, people: Iterable[str]) -> None:
        missing = sorted(set(people) - set(self._relations))
        if missing:
            self._relations.update(self._uow.org.relations_of_evaluatees(missing))

    # -- lookups ---------------------------------------------------------------------------

    def key(self, fp: str) -> model.PersonKey | None:
        if fp not in self._keys:
            self._keys[fp] = self._uow.org.find_key(fp)
        return self._keys[fp]

    def person(self, person_id: str) -> model.Person | None:
        if person_id not in self._people:
            self._people[person_id] = self._uow.org.find_person(person_id)
        return self._people[person_id]

    def has_item(self, item_id: str) -> bool:
        if item_id not in self._items:
            self._items[item_id] = self._uow.catalog.find_item(item_id) is not None
        return self._items[item_id]

    def has_assignment(self, assignment_id: str) -> bool:
        """Whether the assignment is stored (assignments are applied before revisions; one
        not found is looked up again: it may have arrived since)."""
        if not self._assignments.get(assignment_id):
            self._assignments[assignment_id] = (
                self._uow.assignments.find(assignment_id) is not None)
        return self._assignments[assignment_id]

    def evaluators(self, person_id: str, days: Iterable[dt.date]) -> set[str]:
        """Who evaluates ``person_id`` on any of ``days`` (``uow.org.evaluators_of``)."""
        self._load_relations([person_id])
        relations = self._relations[person_id]
        return {r.evaluator_id for day in days for r in relations if r.active_on(day)}

    def entry(self, entry_id: str) -> WorkLogEntry | None:
        if entry_id in self._new_entries:
            return self._new_entries[entry_id]
        if entry_id in self._changed_entries:
            return self._changed_entries[entry_id]
        if entry_id not in self._entries:
            self._entries[entry_id] = self._uow.worklog.find(entry_id)
        return self._entries[entry_id]

    def revision(self, entry_id: str, number: int) -> EntryRevision | None:
        if entry_id not in self._revisions_of:
            for key, revision in self._uow.worklog.revisions_of([entry_id]).items():
                self._revisions.setdefault(key, revision)
            self._revisions_of.add(entry_id)
        return self._revisions.get((entry_id, number))

    def has_statement(self, statement_id: str) -> bool:
        if statement_id not in self._statements:
            self._statements[statement_id] = (
                self._uow.reviews.find(statement_id) is not None)
        return self._statements[statement_id]

    # -- writes (kept until flush) ---------------------------------------------------------

    def put_entry(self, entry: WorkLogEntry) -> None:
        """Insert or fully replace an entry row (``uow.sync.put_entry``)."""
        self.entry(entry.id)
        if self._entries.get(entry.id) is None:
            self._new_entries[entry.id] = entry
        else:
            self._changed_entries[entry.id] = entry

    def add_revision(self, revision: EntryRevision) -> None:
        self.revision(revision.entry_id, revision.revision)
        self._revisions[(revision.entry_id, revision.revision)] = revision
        self._new_revisions.append(revision)

    def add_statement(self, statement: ReviewStatement) -> None:
        self._statements[statement.id] = True
        self._new_statements.append(statement)

    def flush(self) -> None:
        """Write what was added: entries, then their revisions, then statements."""
        uow = self._uow
        uow.bulk_insert(self._new_entries.values())
        for entry in self._changed_entries.values():
            uow.sync.put_entry(entry)
        uow.bulk_insert(self._new_revisions)
        uow.bulk_insert(self._new_statements)
        self._entries.update(self._new_entries)
        self._entries.update(self._changed_entries)
        self._new_entries, self._changed_entries = {}, {}
        self._new_revisions, self._new_statements = [], []


class SyncService:
    """Publishing, exporting and importing bundles for one data folder."""

    def __init__(self, db: Any, backup_dir: Path, keys: KeyService, *,
                 attachments_dir: Path | None = None,
                 today: Callable[[], dt.date] | None = None,
                 limits: Limits | None = None) -> None:
        self._db = db
        self._backup_dir = backup_dir
        self._attachments = attachments_dir
        self.keys = keys
        self._today = today or dt.date.today
        self._limits = limits or Limits()

    @property
    def today(self) -> Callable[[], dt.date]:
        """The clock this service dates things by (tests fix it)."""
        return self._today

    # ============================================================ agency ==================

    def is_agency(self) -> bool:
        """Whether this PC holds the agency key (the administrator's PC)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.sync.sealed_key(AGENCY) is not None

    def create_agency_key(self, passphrase: str, *, cost: int | None = None,
                          replace: bool = False) -> str:
        """Make the agency key on the administrator's PC and pin it; returns its fingerprint.

        ``replace`` is the lost-key path (the old key cannot sign a rotation any more): the
        PCs then need the next organisation file imported with the new fingerprint checked
        by phone (:meth:`repin_agency_key`). With the old key at hand, use
        :meth:`rotate_agency_key` instead.
        """
        info = self.keys.create(AGENCY, passphrase, cost=cost, replace=replace)
        key = self.keys.require(AGENCY)
        with self._db.unit_of_work() as uow:
            self._pin_agency(uow, key.fingerprint, key.public_key, key.x25519_public,
                             utc_now())
            uow.settings.delete(_AGENCY_CHAIN)  # a new trust root: no chain leads to it
        return info.fingerprint

    def agency_fingerprint(self) -> str | None:
        """The pinned agency key's fingerprint (shown at set-up), or ``None``."""
        with self._db.unit_of_work(read_only=True) as uow:
            pinned = [k for k in uow.sync.trusted_keys("agency") if k.revoked_at is None]
        return pinned[-1].fingerprint if pinned else None

    def rotate_agency_key(self, new_passphrase: str, *, cost: int | None = None) -> str:
        """Replace the agency key (the old one must be unlocked); returns the new fingerprint.

        The old key signs a rotation link naming the new key, and the new key signs it too
        (cross-signed). Every organisation file from now on is signed by the new key and
        carries all links, so a PC that pinned any earlier agency key — even one that
        skipped versions — follows the chain to the new key, pins it and from then on
        refuses files signed by the old one. The new X25519 key is published in the same
        file; records encrypted to the old key and not yet acknowledged are simply sent
        again by their senders (each export carries everything unacknowledged).

        Raises:
            RefusedValue: ``key_locked``/``key_missing`` without the unlocked agency key;
                ``passphrase_too_short``; ``organisation_missing``.
        """
        old = self.keys.require(AGENCY)
        new = crypto.generate_key()
        sealed = crypto.seal(new, AGENCY, new_passphrase, cost=cost or self.keys.cost)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            org = self._organisation(uow)
            body = canonical_json({
                "kind": "agency_key_rotation", "organisation": org.id,
                "from": old.fingerprint, "to": new.fingerprint,
                "public_key": base64.b64encode(new.public_key).decode(),
                "x25519_public": base64.b64encode(new.x25519_public).decode(), "at": now})
            link = {"body": body,
                    "old_sig": base64.b64encode(old.sign(body.encode("utf-8"))).decode(),
                    "new_sig": base64.b64encode(new.sign(body.encode("utf-8"))).decode()}
            chain = [*self._agency_chain(uow), link]
            uow.settings.set(_AGENCY_CHAIN, json.dumps(chain, ensure_ascii=False))
            record = uow.sync.sealed_key(AGENCY)
            uow.sync.put_sealed_key(SealedKeyRecord(
                owner_id=AGENCY, fingerprint=sealed.fingerprint, public_key=sealed.public_key,
                x25519_public=sealed.x25519_public, blob=sealed.blob,
                created_at=record.created_at if record else now, updated_at=now))
            uow.sync.upsert([EncryptionKey(owner_id=AGENCY, signing_fingerprint=new.fingerprint,
                                           x25519_public=new.x25519_public)])
            self._pin_agency(uow, new.fingerprint, new.public_key, new.x25519_public, now)
            uow.audit.append(AuditEvent(at=now, action="key.agency_rotate", object_type="key",
                                        object_id=new.fingerprint, actor_id=None,
                                        detail={"previous": old.fingerprint}))
        self.keys.unlock(AGENCY, new_passphrase)
        return new.fingerprint

    def repin_agency_key(self, path: Path, fingerprint: str) -> ImportResult:
        """The lost-agency-key path: import an organisation file signed by a NEW agency key
        whose fingerprint the person was given by phone (``fingerprint``, spaces allowed);
        the PC then trusts that key instead of the one it had.

        Raises:
            RefusedValue: ``agency_key_mismatch`` when the file is signed by another key;
                the ``bundle_*`` refusals of an ordinary import. Nothing changes then.
        """
        expected = fingerprint.replace(" ", "").lower()
        data = path.read_bytes()

        def signer(fp: str, header: dict[str, Any]) -> bytes:
            if fp != expected or header.get("kind") != "organisation":
                raise RefusedValue("agency_key_mismatch", key=crypto.readable_fingerprint(fp),
                                   expected=crypto.readable_fingerprint(expected))
            return self._header_agency_key(header, fp)

        with self._db.unit_of_work(read_only=True) as uow:
            bundle = read_bundle(data, signer_key=signer, decrypt=False, limits=self._limits)
            self._check_addressed(uow, bundle)
        self._same_organisation(bundle)  # an older version or a conflict: nothing changes
        now = utc_now()
        with self._db.unit_of_work() as uow:
            agency = bundle.header["agency"]
            self._pin_agency(uow, expected, self._header_agency_key(bundle.header, expected),
                             base64.b64decode(agency.get("x25519_public") or ""), now)
            uow.audit.append(AuditEvent(at=now, action="sync.agency_repin", object_type="key",
                                        object_id=expected, actor_id=None, detail={}))
        return self.import_bytes(data, source=str(path))

    @staticmethod
    def _agency_chain(uow: Any) -> list[dict[str, str]]:
        text = uow.settings.get(_AGENCY_CHAIN)
        return json.loads(text) if text else []

    @staticmethod
    def _pin_agency(uow: Any, fp: str, public_key: bytes, x25519_public: bytes,
                    now: dt.datetime) -> None:
        """Trust ``fp`` as the agency key; every other agency key pinned here is retired."""
        for old in uow.sync.trusted_keys("agency"):
            if old.fingerprint != fp and old.revoked_at is None:
                uow.sync.revoke_trusted_key(old.fingerprint, now)
        if uow.sync.trusted_key(fp) is None:
            uow.sync.add_trusted_key(TrustedKey(
                fingerprint=fp, owner_id=AGENCY, role="agency", public_key=public_key,
                x25519_public=x25519_public, pinned_at=now))

    @staticmethod
    def _header_agency_key(header: dict[str, Any], fp: str) -> bytes:
        """The agency key a header names, checked against the fingerprint that signed it."""
        try:
            agency = base64.b64decode(header["agency"]["public_key"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise RefusedValue("bundle_malformed", file="header.json", detail="agency") from None
        if crypto.fingerprint(agency) != fp:
            raise RefusedValue("bundle_signature_invalid")
        return agency

    def publish_organisation(self, out_dir: Path) -> ExportResult:
        """Sign the organisation as it is now with the agency key, as the next version.

        Raises:
            RefusedValue: ``key_locked``/``key_missing`` without the unlocked agency key;
                ``organisation_missing`` when there is nothing to publish.
        """
        key = self.keys.require(AGENCY)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            organisations = uow.org.list_organisations()
            if len(organisations) != 1:
                raise RefusedValue("organisation_missing")
            org = organisations[0]
            version = org.org_version + 1
            chain = self._agency_chain(uow)
            org = dataclasses.replace(org, org_version=version, updated_at=now)
            uow.org.update_organisation(org)
            records = self._organisation_records(uow, org)
            data = write_bundle(
                kind="organisation", sender_id=AGENCY, recipient_id="*", seq=version,
                key=key, records=records,
                extra={"organisation": {"id": org.id, "version": version},
                       **hub_limits_header(uow),
                       "agency": {"public_key": base64.b64encode(key.public_key).decode(),
                                  "x25519_public":
                                      base64.b64encode(key.x25519_public).decode(),
                                  **({"chain": chain} if chain else {})}})
            bundle = self._verify_own(data, key)
            uow.settings.set(_ORG_MANIFEST, str(bundle.header["manifest_sha256"]))
            name = f"KPI_organisation_{org.code or org.id}_v{version:04d}{BUNDLE_SUFFIX}"
            counts = {k: len(v) for k, v in records.items()}
            uow.sync.log_bundle(BundleLogEntry(
                bundle_id=bundle.bundle_id, direction="out", kind="organisation",
                sender_id=AGENCY, recipient_id="*", seq=version,
                header_sha256=bundle.header_sha256, at=now, file_name=name, summary=counts))
            uow.audit.append(AuditEvent(at=now, action="org.publish", object_type="organisation",
                                        object_id=org.id, actor_id=None,
                                        detail={"version": version}))
            path = write_atomically(out_dir, name, data)
        return ExportResult(path=path, kind="organisation", recipient_id="*", seq=version,
                            counts=counts)

    @staticmethod
    def _organisation_records(uow: Any, org: model.Organisation) -> dict[str, list[dict]]:
        people = uow.org.list_people(active_only=False)
        positions = uow.org.list_job_positions()
        parts: dict[str, list[Any]] = {
            "organisations": [org],
            "units": _topological_units(uow.org.list_units()),
            "job_positions": positions,
            "people": people,
            "person_keys": [k for p in people for k in uow.org.list_person_keys(p.id)],
            "memberships": [m for p in people for m in uow.org.memberships_of(p.id)],
            "evaluator_relations": uow.org.list_evaluator_relations(),
            "catalog_versions": uow.catalog.list_versions(),
            "catalog_items": [i for v in uow.catalog.list_versions()
                              for i in uow.catalog.list_items(version_id=v.id)],
            "job_position_items": [
                model.JobPositionItem(job_position_id=p.id, catalog_item_id=i)
                for p in positions for i in sorted(uow.catalog.position_item_ids(p.id))],
            "policies": uow.policies.list_versions(),
            "calendar": uow.calendar.between(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
            "encryption_keys": uow.sync.encryption_keys(),
            # Organisation results (Điều 8) and decisions on proposals (Điều 13.3).
            "org_indicators": uow.org_results.list_indicators(),
            "org_evaluations": uow.sync.org_evaluations(),
            "proposal_decisions": [
                _ProposalDecision(id=p.id, person_id=p.person_id, status=p.status,
                                  accepted_item_code=p.accepted_item_code,
                                  decision_note=p.decision_note, decided_by=p.decided_by,
                                  decided_at=p.decided_at)
                for p in uow.proposals.list() if p.status is not ProposalStatus.PROPOSED],
        }
        return {name: [to_json(o) for o in objects] for name, objects in parts.items()
                if objects or name not in _ORG_RESULTS}

    def _verify_own(self, data: bytes, key: crypto.KeyPair) -> Bundle:
        """Read back what was just written (a bad write never leaves as a good bundle)."""
        return read_bundle(data, signer_key=lambda _fp, _h: key.public_key,
                           limits=self._limits, decrypt=False)

    # ============================================================ export ==================

    def export(self, owner_id: str, to_dir: Path) -> list[ExportResult]:
        """Write one bundle per recipient with everything they have not acknowledged.

        Recipients: the owner's evaluators (their entries and revisions), the people they
        evaluate (statements about those people's entries) and the agency (all of it, plus
        the revisions of the people they evaluate, forwarded). Unsigned records of the owner
        are signed now with the owner's unlocked key.
        """
        key = self.keys.require(owner_id)
        today = self._today()
        now = utc_now()
        results: list[ExportResult] = []
        with self._db.unit_of_work() as uow:
            org = self._organisation(uow)
            if owner_id == AGENCY:  # the agency sends receipts only
                if uow.sync.trusted_key(key.fingerprint) is None:
                    raise RefusedValue("key_not_enrolled", owner=owner_id)
                evaluators, evaluatees = [], []
                own_revisions, own_statements = [], []
                own_self, own_confirmations, forwarded_self = [], [], []
                own_assignments: list[Assignment] = []
                own_proposals: list[CatalogProposal] = []
                own_appeals: list[_AppealPart] = []
                own_decided: list[_Item] = []
            else:
                person = uow.org.get_person(owner_id)
                if person.key_fingerprint != key.fingerprint:
                    raise RefusedValue("key_not_enrolled", owner=owner_id)
                evaluators = sorted({r.evaluator_id
                                     for r in uow.org.evaluators_of(owner_id, today)})
                evaluatees = sorted({r.evaluatee_id
                                     for r in uow.org.evaluatees_of(owner_id, today)})
                own_revisions = self._sign_revisions(uow, owner_id, key)
                own_statements = self._sign_statements(uow, owner_id, key)
                own_self, own_confirmations = self._sign_evaluations(uow, owner_id, key)
                own_assignments = self._sign_assignments(uow, owner_id, evaluatees, key)
                own_proposals = self._sign_proposals(uow, owner_id, key)
                own_appeals = self._sign_appeals(uow, owner_id, key)
                # Decisions about someone (appeal decisions, discipline events, annual
                # classifications): to that person and to the agency.
                own_decided = [*self._sign_appeal_decisions(uow, owner_id, key),
                               *self._sign_discipline(uow, owner_id, key),
                               *self._sign_annual(uow, owner_id, key)]
                forwarded_self = [
                    _EvaluationPart("self", e)
                    for e in uow.evaluations.list_monthly(person_ids=evaluatees)
                    if e.self_signature is not None] if evaluatees else []
            entry_authors = self._entry_authors(uow, [s.entry_id for s in own_statements])
            forwarded = uow.sync.revisions_by_authors(evaluatees) if evaluatees else []
            forwarded = [r for r in forwarded if r.signature is not None]
            plan: dict[str, list[_Item]] = {}
            for evaluator in evaluators:
                plan.setdefault(evaluator, []).extend([*own_revisions, *own_self,
                                                       *own_appeals])
            for decided in own_decided:
                plan.setdefault(_subject_of(decided), []).append(decided)
            for evaluatee in evaluatees:
                # The person's own signed records go back to them too (once: their receipt
                # stops it), so a re-enrolled person on a new PC gets their history back.
                plan.setdefault(evaluatee, []).extend(
                    r for r in forwarded if r.author_id == evaluatee)
                plan[evaluatee].extend(p for p in forwarded_self
                                       if p.evaluation.person_id == evaluatee)
                plan[evaluatee].extend(
                    s for s in own_statements if entry_authors.get(s.entry_id) == evaluatee)
                plan[evaluatee].extend(c for c in own_confirmations
                                       if c.evaluation.person_id == evaluatee)
                plan[evaluatee].extend(a for a in own_assignments
                                       if a.person_id == evaluatee)
            if owner_id != AGENCY and uow.sync.encryption_key(AGENCY) is not None:
                plan.setdefault(AGENCY, []).extend([*own_assignments, *own_revisions,
                                                    *forwarded, *own_statements, *own_self,
                                                    *forwarded_self, *own_confirmations,
                                                    *own_proposals, *own_appeals,
                                                    *own_decided])
            for sender in uow.sync.senders_awaiting_receipt():
                if sender != owner_id:
                    plan.setdefault(sender, [])
            pending: list[tuple[str, bytes, ExportResult]] = []
            for recipient in sorted(plan):
                result = self._bundle_for(uow, key, owner_id, recipient, plan[recipient], org,
                                          now)
                if result is not None:
                    pending.append(result)
            for name, data, result in pending:
                path = write_atomically(to_dir, name, data)
                results.append(dataclasses.replace(result, path=path))
        return results

    def _bundle_for(self, uow: Any, key: crypto.KeyPair, owner_id: str, recipient: str,
                    items: list[_Item], org: model.Organisation,
                    now: dt.datetime) -> tuple[str, bytes, ExportResult] | None:
        acked = uow.sync.acked_keys(recipient)
        unique: dict[str, _Item] = {}
        for item in items:
            unique.setdefault(_item_key(item), item)
        todo = {k: v for k, v in unique.items() if k not in acked}
        acks = uow.sync.pending_receipts(recipient)
        if not todo and not acks:
            return None
        revisions = [to_json(v) for v in todo.values() if isinstance(v, EntryRevision)]
        files = self._attachment_files(todo.values())
        statements = []
        for item in todo.values():
            if isinstance(item, ReviewStatement):
                revision = uow.sync.find_revision(item.entry_id, item.revision)
                statements.append({**to_json(item),
                                   "revision_sha256": revision.snapshot_sha256})
        evaluations = [{"part": v.part, **to_json(v.evaluation)} for v in todo.values()
                       if isinstance(v, _EvaluationPart)]
        assignments = [to_json(v) for v in todo.values() if isinstance(v, Assignment)]
        proposals = [to_json(v) for v in todo.values() if isinstance(v, CatalogProposal)]
        appeals = [to_json(v.appeal) for v in todo.values()
                   if isinstance(v, _AppealPart) and v.part == "filing"]
        decisions = []
        for item in todo.values():
            if isinstance(item, _AppealPart) and item.part == "decision":
                row = to_json(item.appeal)
                # The results the decision replaced (Điều 21.3: the history is kept).
                history = uow.replaced_evaluations.list_for_appeal(item.appeal.id)
                if history:
                    row["replaced"] = [to_json(h) for h in history]
                decisions.append(row)
        discipline = [to_json(v) for v in todo.values() if isinstance(v, DisciplineEvent)]
        annual = [to_json(v) for v in todo.values() if isinstance(v, AnnualClassification)]
        reviewing = (statements or any(e["part"] == "confirmation" for e in evaluations)
                     or decisions or discipline or annual)
        kind = ("review" if reviewing
                else "work" if revisions or evaluations or proposals or appeals
                else "plan" if assignments else "receipt")
        records = {"assignments": assignments, "revisions": revisions,
                   "statements": statements, "evaluations": evaluations,
                   "acks": [{"item_key": k} for k in acks]}
        # The files below only when there are some: older readers see the same files as before.
        extra_parts = {"proposals": proposals, "appeals": appeals,
                       "appeal_decisions": decisions, "discipline_events": discipline,
                       "annual_classifications": annual}
        records.update({name: rows for name, rows in extra_parts.items() if rows})
        enc = uow.sync.encryption_key(recipient)
        seq = uow.sync.next_sent(owner_id, recipient)
        data = write_bundle(kind=kind, sender_id=owner_id, recipient_id=recipient, seq=seq,
                            key=key, records=records, files=files,
                            encrypt_to=None if enc is None else enc.x25519_public,
                            extra={"organisation": {"id": org.id, "version": org.org_version}})
        bundle = self._verify_own(data, key)
        name = f"KPI_{kind}_{owner_id}_to_{recipient}_{seq:06d}{BUNDLE_SUFFIX}"
        counts = {"revisions": len(revisions), "statements": len(statements),
                  "acks": len(acks)}
        if evaluations:
            counts["evaluations"] = len(evaluations)
        if assignments:
            counts["assignments"] = len(assignments)
        counts.update({name: len(rows) for name, rows in extra_parts.items() if rows})
        if files:
            counts["files"] = len(files)
        uow.sync.log_bundle(BundleLogEntry(
            bundle_id=bundle.bundle_id, direction="out", kind=kind, sender_id=owner_id,
            recipient_id=recipient, seq=seq, header_sha256=bundle.header_sha256, at=now,
            file_name=name,
            summary=counts))
        uow.sync.mark_receipted(recipient, acks)
        return name, data, ExportResult(path=Path(name), kind=kind, recipient_id=recipient,
                                        seq=seq, counts=counts)

    def _attachment_path(self, sha256: str) -> Path | None:
        if self._attachments is None:
            return None
        return self._attachments / sha256[:2] / sha256

    def _attachment_files(self, items: Iterable[_Item]) -> dict[str, bytes]:
        """The attachments the revisions refer to that this PC holds (by content)."""
        files: dict[str, bytes] = {}
        for item in items:
            if not isinstance(item, EntryRevision):
                continue
            sha = _json_object(item.snapshot_json, _item_key(item)).get("attachment_sha256")
            path = self._attachment_path(sha) if isinstance(sha, str) else None
            if path is not None and path.is_file():
                files[sha] = path.read_bytes()
        return files

    def _store_attachments(self, files: dict[str, bytes]) -> None:
        """Keep received attachments (content-addressed: writing one twice is harmless)."""
        for sha, content in files.items():
            path = self._attachment_path(sha)
            if path is None or path.exists():
                continue
            write_atomically(path.parent, path.name, content)

    @staticmethod
    def _sign_revisions(uow: Any, owner_id: str, key: crypto.KeyPair) -> list[EntryRevision]:
        signed = []
        for revision in uow.sync.revisions_by_authors([owner_id]):
            if revision.signature is None:
                signature = key.sign(revision_bytes(revision))
                uow.sync.set_revision_signature(revision.entry_id, revision.revision,
                                                signature, key.fingerprint)
                revision = dataclasses.replace(revision, signature=signature,
                                               key_fingerprint=key.fingerprint)
            signed.append(revision)
        return signed

    @staticmethod
    def _sign_statements(uow: Any, owner_id: str, key: crypto.KeyPair
                         ) -> list[ReviewStatement]:
        signed = []
        for statement in uow.sync.statements_by_reviewers([owner_id]):
            if statement.signature is None:
                revision = uow.sync.find_revision(statement.entry_id, statement.revision)
                if revision is None:
                    continue
                signature = key.sign(statement_bytes(statement, revision.snapshot_sha256))
                uow.sync.set_statement_signature(statement.id, signature, key.fingerprint)
                statement = dataclasses.replace(statement, signature=signature,
                                                key_fingerprint=key.fingerprint)
            signed.append(statement)
        return signed

    @staticmethod
    def _sign_proposals(uow: Any, owner_id: str, key: crypto.KeyPair
                        ) -> list[CatalogProposal]:
        """The owner's proposals of new catalog items, signed now where not signed yet."""
        signed = []
        for proposal in uow.proposals.list(person_id=owner_id):
            data = proposal_bytes(proposal)
            if (proposal.signature is None or proposal.key_fingerprint != key.fingerprint
                    or not crypto.verify(key.public_key, proposal.signature, data)):
                proposal = dataclasses.replace(proposal, signature=key.sign(data),
                                               key_fingerprint=key.fingerprint)
                uow.proposals.set_signature(proposal.id, proposal.signature, key.fingerprint)
            signed.append(proposal)
        return signed

    @staticmethod
    def _sign_appeals(uow: Any, owner_id: str, key: crypto.KeyPair) -> list[_AppealPart]:
        """The owner's appeals as filed (or withdrawn), signed now where not signed yet or
        no longer matching."""
        signed = []
        for appeal in uow.appeals.list_for_person(owner_id):
            part = _AppealPart("filing", appeal)
            if not _signed_by(key, appeal.signature, appeal.key_fingerprint,
                              part.signed_bytes):
                appeal = dataclasses.replace(appeal, signature=key.sign(part.signed_bytes),
                                             key_fingerprint=key.fingerprint)
                uow.sync.set_appeal_signatures(appeal.id, signature=appeal.signature,
                                               key_fingerprint=key.fingerprint)
                part = _AppealPart("filing", appeal)
            signed.append(part)
        return signed

    @staticmethod
    def _sign_appeal_decisions(uow: Any, owner_id: str, key: crypto.KeyPair
                               ) -> list[_AppealPart]:
        """The owner's decisions on appeals whose filing arrived signed, signed now."""
        signed = []
        for appeal in uow.sync.appeals_decided_by(owner_id):
            if (appeal.status is not AppealStatus.DECIDED or appeal.signature is None
                    or appeal.decided_at is None or appeal.outcome is None):
                continue
            part = _AppealPart("decision", appeal)
            if not _signed_by(key, appeal.decision_signature,
                              appeal.decision_key_fingerprint, part.signed_bytes):
                appeal = dataclasses.replace(
                    appeal, decision_signature=key.sign(part.signed_bytes),
                    decision_key_fingerprint=key.fingerprint)
                uow.sync.set_appeal_signatures(
                    appeal.id, decision_signature=appeal.decision_signature,
                    decision_key_fingerprint=key.fingerprint)
                part = _AppealPart("decision", appeal)
            signed.append(part)
        return signed

    @staticmethod
    def _sign_discipline(uow: Any, owner_id: str, key: crypto.KeyPair
                         ) -> list[DisciplineEvent]:
        """Discipline events the owner recorded, signed now where needed."""
        signed = []
        for event in uow.sync.discipline_recorded_by(owner_id):
            data = discipline_bytes(event)
            if not _signed_by(key, event.signature, event.key_fingerprint, data):
                event = dataclasses.replace(event, signature=key.sign(data),
                                            key_fingerprint=key.fingerprint)
                uow.sync.set_discipline_signature(event.id, event.signature, key.fingerprint)
            signed.append(event)
        return signed

    @staticmethod
    def _sign_annual(uow: Any, owner_id: str, key: crypto.KeyPair
                     ) -> list[AnnualClassification]:
        """Annual classifications the owner decided, signed now where needed (replaced ones
        before the decisions that replace them)."""
        signed = []
        for classification in uow.sync.annual_decided_by(owner_id):
            data = annual_bytes(classification)
            if not _signed_by(key, classification.signature, classification.key_fingerprint,
                              data):
                classification = dataclasses.replace(
                    classification, signature=key.sign(data), key_fingerprint=key.fingerprint)
                uow.sync.set_annual_signature(classification.id, classification.signature,
                                              key.fingerprint)
            signed.append(classification)
        return signed

    @staticmethod
    def _sign_assignments(uow: Any, owner_id: str, people: list[str], key: crypto.KeyPair
                          ) -> list[Assignment]:
        """The assignments the owner gave the people they evaluate, signed (again when
        they changed since)."""
        signed = []
        for person in people:
            for assignment in uow.sync.assignments_of(person):
                if assignment.assigner_id != owner_id:
                    continue
                data = assignment_bytes(assignment)
                if (assignment.signature is None or assignment.key_fingerprint != key.fingerprint
                        or not crypto.verify(key.public_key, assignment.signature, data)):
                    assignment = dataclasses.replace(assignment, signature=key.sign(data),
                                                     key_fingerprint=key.fingerprint)
                    uow.assignments.update(assignment)
                signed.append(assignment)
        return signed

    @staticmethod
    def _sign_evaluations(uow: Any, owner_id: str, key: crypto.KeyPair
                          ) -> tuple[list[_EvaluationPart], list[_EvaluationPart]]:
        """The owner's submitted self-assessments and their confirmations of others, signed
        now where the signature is missing or no longer matches the content."""
        own, confirmations = [], []
        for evaluation in uow.evaluations.list_monthly(person_id=owner_id):
            if evaluation.submitted_at is None or not evaluation.self_criteria:
                continue
            part = _EvaluationPart("self", evaluation)
            signature, fp = part.signature
            if signature is None or fp != key.fingerprint or not crypto.verify(
                    key.public_key, signature, part.signed_bytes):
                evaluation = dataclasses.replace(
                    evaluation, self_signature=key.sign(part.signed_bytes),
                    self_key_fingerprint=key.fingerprint)
                uow.evaluations.upsert_monthly(evaluation)
                part = _EvaluationPart("self", evaluation)
            own.append(part)
        for evaluation in uow.evaluations.evaluated_by(owner_id):
            if evaluation.confirmed_at is None:
                continue
            part = _EvaluationPart("confirmation", evaluation)
            signature, fp = part.signature
            if signature is None or fp != key.fingerprint or not crypto.verify(
                    key.public_key, signature, part.signed_bytes):
                evaluation = dataclasses.replace(
                    evaluation, evaluator_signature=key.sign(part.signed_bytes),
                    evaluator_key_fingerprint=key.fingerprint)
                uow.evaluations.upsert_monthly(evaluation)
                part = _EvaluationPart("confirmation", evaluation)
            confirmations.append(part)
        return own, confirmations

    @staticmethod
    def _entry_authors(uow: Any, entry_ids: Iterable[str]) -> dict[str, str]:
        authors = {}
        for entry_id in set(entry_ids):
            entry = uow.worklog.find(entry_id)
            if entry is not None:
                authors[entry_id] = entry.person_id
        return authors

    @staticmethod
    def _organisation(uow: Any) -> model.Organisation:
        organisations = uow.org.list_organisations()
        if len(organisations) != 1:
            raise RefusedValue("organisation_missing")
        return organisations[0]

    # ============================================================ import ==================

    def import_paths(self, paths: Iterable[Path]) -> list[ImportResult]:
        """Import every bundle file given, and every bundle file inside given folders.

        Each file is reported on its own; a refused one does not stop the others. Bundles are
        taken in the order of :func:`bundle_order`.
        """
        files: list[tuple[Path, bool]] = []
        for path in paths:
            if path.is_dir():
                files.extend((p, True) for p in path.iterdir()
                             if p.suffix == BUNDLE_SUFFIX and not p.name.startswith("."))
            else:
                files.append((path, False))
        files.sort(key=lambda f: bundle_order(f[0].name))
        results = []
        batch = _Batch()  # one backup for the whole batch, before its first change
        for file, scanned in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                results.append(ImportResult(source=str(file), status="refused",
                                            error=RefusedValue("bundle_unreadable",
                                                               path=str(file),
                                                               detail=str(exc))))
                continue
            result = self._import_refusing(data, str(file), batch)
            if scanned and result.error is not None and result.error.code in _NOT_MINE:
                # A shared stick or folder holds bundles for other people: not an error.
                result = dataclasses.replace(result, status="skipped")
            results.append(result)
        return results

    def import_bytes(self, data: bytes, *, source: str = "") -> ImportResult:
        """Verify and import one bundle; refusals are returned, not raised."""
        return self._import_refusing(data, source, _Batch())

    def _import_refusing(self, data: bytes, source: str, batch: _Batch) -> ImportResult:
        try:
            return self._import(data, source, batch)
        except KpiError as error:
            return ImportResult(source=source, status="refused", error=error)

    def _import(self, data: bytes, source: str, batch: _Batch) -> ImportResult:
        with self._db.unit_of_work(read_only=True) as uow:
            bundle = read_bundle(data, signer_key=lambda fp, h: self._signer_key(uow, fp, h),
                                 decrypt_key=lambda kid: self._decrypt_key(uow, kid),
                                 limits=self._limits)
            self._check_addressed(uow, bundle)
            known = uow.sync.find_bundle(bundle.bundle_id)
        base = dict(source=source, kind=bundle.kind, bundle_id=bundle.bundle_id,
                    sender_id=bundle.sender_id, recipient_id=bundle.recipient_id,
                    seq=bundle.seq)
        if known is not None:
            if known.header_sha256 != bundle.header_sha256:
                raise RefusedValue("bundle_id_conflict", bundle=bundle.bundle_id)
            # The very file imported before (an old copy left on a stick): nothing to do.
            return ImportResult(status="already", **base)
        if bundle.kind == "organisation" and self._same_organisation(bundle):
            return ImportResult(status="already", **base)
        now = utc_now()
        # Applied once, in one transaction: any record-level refusal rolls it back, before
        # any backup, so a refused bundle leaves the data folder exactly as it was. Once
        # everything is applied, and before the commit, the database is copied (the copy
        # reads the last committed state: WAL readers never see an open transaction) unless
        # an earlier bundle of the same batch made the copy already.
        with self._db.unit_of_work() as uow:
            counts = self._apply(uow, bundle, source, now)
            if not batch.backed_up:
                self._backup()
                batch.backed_up = True
        self._store_attachments(bundle.files)
        return ImportResult(status="imported", counts=counts, **base)

    def _apply(self, uow: Any, bundle: Bundle, source: str, now: dt.datetime
               ) -> dict[str, int]:
        if bundle.kind == "organisation":
            counts = self._apply_organisation(uow, bundle, now)
        else:
            counts = self._apply_records(uow, bundle, now)
        uow.sync.note_received(bundle.sender_id, bundle.recipient_id, bundle.seq)
        uow.sync.log_bundle(BundleLogEntry(
            bundle_id=bundle.bundle_id, direction="in", kind=bundle.kind,
            sender_id=bundle.sender_id, recipient_id=bundle.recipient_id, seq=bundle.seq,
            header_sha256=bundle.header_sha256, at=now,
            file_name=Path(source).name if source else "", summary=counts))
        uow.audit.append(AuditEvent(at=now, action="sync.import", object_type="bundle",
                                    object_id=bundle.bundle_id, actor_id=None,
                                    detail={"kind": bundle.kind, "sender": bundle.sender_id,
                                            "seq": bundle.seq, **counts}))
        return counts

    def _backup(self) -> None:
        """Copy the database before an import changes it; the last few copies are kept."""
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")
        backup_database(self._db.path, self._backup_dir / f"{_BACKUP_PREFIX}{stamp}.db")
        old = sorted(self._backup_dir.glob(f"{_BACKUP_PREFIX}*.db"))[:-_BACKUPS_KEPT]
        for path in old:
            with contextlib.suppress(OSError):
                path.unlink()

    # -- trust -------------------------------------------------------------------------------

    def _signer_key(self, uow: Any, fp: str, header: dict[str, Any]) -> bytes:
        kind = header.get("kind")
        pinned = {k.fingerprint: k for k in uow.sync.trusted_keys("agency")}
        if fp in pinned:
            if pinned[fp].revoked_at is not None:
                self._refuse_retired(uow, pinned, fp, header)
            if kind not in ("organisation", "receipt"):
                raise RefusedValue("bundle_signer_not_allowed", kind=str(kind))
            return pinned[fp].public_key
        person_key = uow.org.find_key(fp)
        if kind == "organisation":
            if person_key is not None:
                raise RefusedValue("bundle_signer_not_allowed", kind="organisation")
            if pinned:
                # A rotated agency key: follow the chain from the key pinned here.
                path = self._follow_chain(uow, pinned, header)
                if not path or path[-1][0] != fp:
                    raise RefusedValue("bundle_signer_unknown",
                                       key=crypto.readable_fingerprint(fp))
                return path[-1][1]
            if uow.org.list_organisations():
                raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
            # First set-up of this PC: trust the agency key the bundle names (shown to people).
            return self._header_agency_key(header, fp)
        if person_key is None:
            raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
        if person_key.revoked_at is not None:
            raise RefusedValue("bundle_signer_revoked", key=crypto.readable_fingerprint(fp))
        sender = header.get("sender")
        if not isinstance(sender, dict) or sender.get("id") != person_key.person_id:
            raise RefusedValue("bundle_signer_not_allowed", kind=str(kind))
        return person_key.public_key

    @staticmethod
    def _refuse_retired(uow: Any, pinned: dict[str, TrustedKey], fp: str,
                        header: dict[str, Any]) -> None:
        """A file signed by an agency key this PC no longer trusts: refused, except an
        organisation file no newer than the one in use (an old copy on a stick, which the
        version rules then treat as already imported or older)."""
        current = [k for k in pinned.values() if k.revoked_at is None]
        if not current:
            raise RefusedValue("bundle_signer_revoked", key=crypto.readable_fingerprint(fp))
        organisations = uow.org.list_organisations()
        org = header.get("organisation")
        version = org.get("version") if isinstance(org, dict) else None
        if (header.get("kind") == "organisation" and organisations
                and isinstance(version, int) and version <= organisations[0].org_version):
            return
        raise RefusedValue("bundle_agency_key_replaced", key=crypto.readable_fingerprint(fp),
                           current=crypto.readable_fingerprint(current[-1].fingerprint))

    @staticmethod
    def _follow_chain(uow: Any, pinned: dict[str, TrustedKey], header: dict[str, Any]
                      ) -> list[tuple[str, bytes]]:
        """The agency keys the header's rotation links lead to from the agency key pinned
        here, in order (each link signed by the key it replaces and by the new key)."""
        agency = header.get("agency")
        chain = agency.get("chain") if isinstance(agency, dict) else None
        current = [k for k in pinned.values() if k.revoked_at is None]
        organisations = uow.org.list_organisations()
        if not isinstance(chain, list) or not current or not organisations:
            return []
        at_fp, at_key = current[-1].fingerprint, current[-1].public_key
        path: list[tuple[str, bytes]] = []
        for link in chain:
            try:
                body_text = link["body"]
                body = json.loads(body_text)
                old_sig = base64.b64decode(link["old_sig"], validate=True)
                new_sig = base64.b64decode(link["new_sig"], validate=True)
                new_key = base64.b64decode(body["public_key"], validate=True)
                if body["kind"] != "agency_key_rotation":
                    raise ValueError(body["kind"])
            except (KeyError, TypeError, ValueError, AttributeError):
                raise RefusedValue("bundle_malformed", file="header.json",
                                   detail="agency.chain") from None
            if body.get("from") != at_fp:
                continue  # a link before the key pinned here
            signed = str(body_text).encode("utf-8")
            if (body.get("organisation") != organisations[0].id
                    or body.get("to") != crypto.fingerprint(new_key)
                    or not crypto.verify(at_key, old_sig, signed)
                    or not crypto.verify(new_key, new_sig, signed)):
                raise RefusedValue("bundle_signature_invalid")
            at_fp, at_key = body["to"], new_key
            path.append((at_fp, at_key))
        return path

    def _decrypt_key(self, uow: Any, key_id: str) -> crypto.KeyPair | None:
        for owner in self.keys.unlocked_owners():  # usually the one recipient: no scan
            key = self.keys.unlocked(owner)
            record = uow.sync.sealed_key(owner)
            if (key is not None and record is not None and record.x25519_public
                    == key.x25519_public and enc_key_id(key.x25519_public) == key_id):
                return key
        for record in uow.sync.sealed_keys():
            if enc_key_id(record.x25519_public) == key_id:
                key = self.keys.unlocked(record.owner_id)
                if key is None:
                    raise RefusedValue("key_locked", owner=record.owner_id)
                return key
        return None

    def _check_addressed(self, uow: Any, bundle: Bundle) -> None:
        org_header = bundle.header.get("organisation")
        if not (isinstance(org_header, dict) and isinstance(org_header.get("id"), str)
                and isinstance(org_header.get("version"), int)
                and not isinstance(org_header.get("version"), bool)):
            raise RefusedValue("bundle_malformed", file="header.json", detail="organisation")
        organisations = uow.org.list_organisations()
        if organisations and organisations[0].id != org_header["id"]:
            raise RefusedValue("bundle_other_unit", organisation=org_header["id"])
        if bundle.kind == "organisation":
            return
        if not organisations:
            raise RefusedValue("organisation_missing")
        if uow.sync.sealed_key(bundle.recipient_id) is None:
            raise RefusedValue("bundle_wrong_recipient", recipient=bundle.recipient_id)

    # -- organisation ------------------------------------------------------------------------

    def _same_organisation(self, bundle: Bundle) -> bool:
        """Version checks; ``True`` when this exact organisation version is already here."""
        version = int(bundle.header["organisation"]["version"])
        with self._db.unit_of_work(read_only=True) as uow:
            organisations = uow.org.list_organisations()
            current = organisations[0].org_version if organisations else 0
            manifest = uow.settings.get(_ORG_MANIFEST)
        if version < current:
            raise RefusedValue("bundle_org_older", version=version, current=current)
        if version == current:
            if manifest == bundle.header["manifest_sha256"]:
                return True
            raise RefusedValue("bundle_org_conflict", version=version)
        return False

    def _apply_organisation(self, uow: Any, bundle: Bundle, now: dt.datetime) -> dict[str, int]:
        parsed: dict[str, list[Any]] = {}
        for name, cls in _ORG_PARTS:
            parsed[name] = [from_json(cls, row) for row in bundle.records.get(name, [])]
        version = int(bundle.header["organisation"]["version"])
        orgs = parsed["organisations"]
        if len(orgs) != 1 or orgs[0].id != bundle.header["organisation"]["id"]:
            raise RefusedValue("bundle_malformed", file="organisations", detail="organisation")
        parsed["organisations"] = [dataclasses.replace(orgs[0], org_version=version)]
        counts: dict[str, int] = {}
        before = {p.id: p.key_fingerprint for p in uow.org.list_people(active_only=False)}
        for name, _cls in _ORG_PARTS:
            inserted, updated = uow.sync.upsert(parsed[name])
            counts[name] = inserted + updated
        for person in parsed["people"]:
            if person.id in before and before[person.id] != person.key_fingerprint:
                # A new key means a new PC (or a reset one): send it everything again.
                uow.sync.forget_acks(person.id)
        counts.update(self._apply_org_results(uow, bundle))
        uow.sync.delete_missing(model.EvaluatorRelation, parsed["evaluator_relations"])
        uow.sync.delete_missing(model.JobPositionItem, parsed["job_position_items"])
        uow.settings.set(_ORG_MANIFEST, str(bundle.header["manifest_sha256"]))
        if uow.sync.trusted_key(bundle.signer) is None:
            # First set-up, or a rotated agency key reached through the chain: pin it (the
            # key pinned before is retired: files it signs from now on are refused, and so
            # are files signed by the keys in between, which this PC never used).
            pinned = {k.fingerprint: k for k in uow.sync.trusted_keys("agency")}
            for fp, public_key in self._follow_chain(uow, pinned, bundle.header)[:-1]:
                uow.sync.add_trusted_key(TrustedKey(
                    fingerprint=fp, owner_id=AGENCY, role="agency", public_key=public_key,
                    pinned_at=now, revoked_at=now))
            agency = bundle.header["agency"]
            self._pin_agency(uow, bundle.signer, base64.b64decode(agency["public_key"]),
                             base64.b64decode(agency.get("x25519_public") or ""), now)
            counts["agency_key"] = 1
        return counts

    @staticmethod
    def _apply_org_results(uow: Any, bundle: Bundle) -> dict[str, int]:
        """Organisation indicators and levels (by unit, period/year and code: the agency's
        newest organisation file wins) and the agency's decisions on proposals (applied to
        the proposals this PC holds, i.e. on their author's PC)."""
        indicators = [from_json(model.OrgIndicator, r)
                      for r in bundle.records.get("org_indicators", [])]
        levels = [from_json(model.OrgEvaluation, r)
                  for r in bundle.records.get("org_evaluations", [])]
        decisions = [from_json(_ProposalDecision, r)
                     for r in bundle.records.get("proposal_decisions", [])]
        counts = {"org_indicators": 0, "org_evaluations": 0, "proposal_decisions": 0}
        for indicator in indicators:
            old = {(i.code, str(i.period)): i
                   for i in uow.org_results.list_indicators(unit_id=indicator.unit_id,
                                                            period=indicator.period)}
            known = old.get((indicator.code, str(indicator.period)))
            if known is None or dataclasses.replace(known, id=indicator.id) != indicator:
                uow.org_results.upsert_indicator(indicator)
                counts["org_indicators"] += 1
        for level in levels:
            known = uow.org_results.get_evaluation(level.unit_id, level.year)
            if known is None or dataclasses.replace(known, id=level.id) != level:
                uow.org_results.upsert_evaluation(level)
                counts["org_evaluations"] += 1
        for decision in decisions:
            if decision.status is ProposalStatus.PROPOSED or decision.decided_by is None \
                    or decision.decided_at is None:
                raise RefusedValue("bundle_malformed", file="proposal_decisions",
                                   detail=decision.id)
            local = uow.proposals.find(decision.id)
            if local is None:
                continue  # someone else's proposal: it lives on its author's PC
            if local.person_id != decision.person_id:
                raise RefusedValue("bundle_record_conflict", record=f"prop:{decision.id}")
            mine = (local.status, local.accepted_item_code, local.decision_note,
                    local.decided_by, local.decided_at)
            theirs = (decision.status, decision.accepted_item_code, decision.decision_note,
                      decision.decided_by, decision.decided_at)
            if mine != theirs:
                uow.proposals.decide(decision.id, status=decision.status,
                                     decided_by=decision.decided_by,
                                     decided_at=decision.decided_at,
                                     accepted_item_code=decision.accepted_item_code,
                                     note=decision.decision_note)
                counts["proposal_decisions"] += 1
        return counts

    # -- work, review, receipt ---------------------------------------------------------------

    def _apply_records(self, uow: Any, bundle: Bundle, now: dt.datetime) -> dict[str, int]:
        counts = {"assignments": 0, "revisions": 0, "statements": 0, "duplicates": 0,
                  "held": 0, "acks": 0, "clock_flagged": 0}
        received: list[str] = []
        touched: set[str] = set()
        known = _Known(uow)
        known.preload(bundle.records)
        for row in bundle.records.get("assignments", []):
            assignment = from_json(Assignment, row)
            status = self._apply_assignment(uow, assignment, known)
            counts[status] = counts.get(status, 0) + 1
            received.append(_item_key(assignment))
        for row in bundle.records.get("revisions", []):
            revision = from_json(EntryRevision, row)
            status = self._apply_revision(uow, revision, now, known)
            counts[status] += 1
            if status != "held":
                received.append(_item_key(revision))
                touched.add(revision.entry_id)
        known.flush()
        for row in bundle.records.get("statements", []):
            statement = from_json(ReviewStatement, row)
            sha = row.get("revision_sha256")
            if not isinstance(sha, str):
                raise RefusedValue("bundle_malformed", file="statements",
                                   detail="revision_sha256")
            status = self._apply_statement(uow, statement, sha, known)
            counts[status] += 1
            if status != "held":
                received.append(_item_key(statement))
                touched.add(statement.entry_id)
        known.flush()
        for row in bundle.records.get("evaluations", []):
            part = row.get("part")
            if part not in ("self", "confirmation"):
                raise RefusedValue("bundle_malformed", file="evaluations", detail="part")
            item = _EvaluationPart(str(part), from_json(MonthlyEvaluation, row))
            status = self._apply_evaluation(uow, item, known)
            counts["evaluations" if status == "applied" else status] = counts.get(
                "evaluations" if status == "applied" else status, 0) + 1
            received.append(_item_key(item))
        for row in bundle.records.get("proposals", []):
            proposal = from_json(CatalogProposal, row)
            status = self._apply_proposal(uow, proposal)
            counts[status] = counts.get(status, 0) + 1
            received.append(_item_key(proposal))
        decided: list[tuple[str, Callable[[Any, Any], str], type]] = [
            ("appeals", self._apply_appeal, Appeal),
            ("appeal_decisions", self._apply_appeal_decision, Appeal),
            ("discipline_events", self._apply_discipline, DisciplineEvent),
            ("annual_classifications", self._apply_annual, AnnualClassification)]
        for name, apply, cls in decided:
            for row in bundle.records.get(name, []):
                record = from_json(cls, row)
                status = apply(uow, record)
                if cls is DisciplineEvent:
                    self._settle_discipline_years(uow, record.person_id)
                if name == "appeal_decisions":
                    self._apply_replaced(uow, record, row.get("replaced", []))
                counts[status] = counts.get(status, 0) + 1
                if status != "held":
                    part = ("filing" if name == "appeals" else "decision")
                    received.append(_item_key(_AppealPart(part, record) if cls is Appeal
                                              else record))
        for row in bundle.records.get("acks", []):
            if not isinstance(row.get("item_key"), str):
                raise RefusedValue("bundle_malformed", file="acks", detail="item_key")
        acks = [str(r["item_key"]) for r in bundle.records.get("acks", [])]
        counts["acks"] = uow.sync.acknowledge(bundle.sender_id, acks, now)
        uow.sync.note_items_received(bundle.sender_id, received, now)
        counts["clock_flagged"] = self._flag_clock(uow, bundle, now)
        self._refresh_status(uow, touched, now, known)
        return counts

    def _author_key(self, uow: Any, fp: str | None, author_id: str, what: str,
                    known: _Known | None = None) -> bytes:
        if fp is None:
            raise RefusedValue("bundle_record_unsigned", record=what)
        key = uow.org.find_key(fp) if known is None else known.key(fp)
        if key is None:
            raise RefusedValue("bundle_signer_unknown", key=crypto.readable_fingerprint(fp))
        if key.person_id != author_id:
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        return key.public_key

    def _apply_revision(self, uow: Any, revision: EntryRevision, now: dt.datetime,
                        known: _Known) -> str:
        what = _item_key(revision)
        public_key = self._author_key(uow, revision.key_fingerprint, revision.author_id, what,
                                      known)
        text = revision.snapshot_json.encode("utf-8")
        if hashlib.sha256(text).hexdigest() != revision.snapshot_sha256:
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        existing = known.revision(revision.entry_id, revision.revision)
        if existing is not None and existing.signature is not None and (
                existing.snapshot_sha256, existing.signature, existing.key_fingerprint,
                existing.author_id) == (revision.snapshot_sha256, revision.signature,
                                        revision.key_fingerprint, revision.author_id):
            # The very signed record stored here before (forwarded again by the author's
            # evaluator): its signature and content were checked when it arrived.
            return "duplicates"
        if revision.signature is None or not crypto.verify(public_key, revision.signature,
                                                           revision_bytes(revision)):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        data = _json_object(revision.snapshot_json, what)
        entry = _entry_from_revision(revision, data)
        if entry.id != revision.entry_id or entry.person_id != revision.author_id:
            raise RefusedValue("bundle_signer_not_allowed", kind="revision")
        if existing is not None:
            if existing.snapshot_sha256 != revision.snapshot_sha256:
                raise RefusedValue("bundle_record_conflict", record=what)
            return "duplicates"
        if known.person(entry.person_id) is None:
            raise RefusedValue("bundle_signer_unknown", key=revision.key_fingerprint)
        if not known.has_item(entry.catalog_item_id):
            raise NotFound("not_found", kind="catalog_item", id=entry.catalog_item_id)
        if entry.assignment_id and not known.has_assignment(entry.assignment_id):
            return "held"  # its plan has not arrived yet: not acknowledged, sent again
        current = known.entry(entry.id)
        if current is None or current.current_revision < revision.revision:
            known.put_entry(entry if current is None else dataclasses.replace(
                entry, created_at=current.created_at,
                confirmed_revision=current.confirmed_revision))
        known.add_revision(revision)
        return "revisions"

    def _apply_statement(self, uow: Any, statement: ReviewStatement, revision_sha: str,
                         known: _Known) -> str:
        what = _item_key(statement)
        public_key = self._author_key(uow, statement.key_fingerprint, statement.reviewer_id,
                                      what, known)
        if statement.signature is None or not crypto.verify(
                public_key, statement.signature, statement_bytes(statement, revision_sha)):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        revision = known.revision(statement.entry_id, statement.revision)
        if revision is None:
            return "held"  # not acknowledged: the sender sends it again with its revision
        if revision.snapshot_sha256 != revision_sha:
            raise RefusedValue("bundle_record_conflict", record=what)
        entry = known.entry(statement.entry_id)
        if entry is None:
            raise NotFound("not_found", kind="entry", id=statement.entry_id)
        allowed = known.evaluators(entry.person_id, (entry.work_date, self._today()))
        if statement.reviewer_id not in allowed:
            raise RefusedValue("bundle_signer_not_allowed", kind="statement",
                               person=statement.reviewer_id)
        if known.has_statement(statement.id):
            return "duplicates"
        known.add_statement(statement)
        return "statements"

    def _apply_assignment(self, uow: Any, assignment: Assignment, known: _Known) -> str:
        """Store or update an assignment signed by its assigner (an evaluator of the
        person); returns "assignments" or "duplicates"."""
        what = _item_key(assignment)
        public_key = self._author_key(uow, assignment.key_fingerprint, assignment.assigner_id,
                                      what, known)
        if assignment.signature is None or not crypto.verify(
                public_key, assignment.signature, assignment_bytes(assignment)):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        evaluators = known.evaluators(assignment.person_id,
                                      (assignment.period.end, self._today()))
        if assignment.assigner_id not in evaluators:
            raise RefusedValue("bundle_signer_not_allowed", kind="assignment",
                               person=assignment.assigner_id)
        if not known.has_item(assignment.catalog_item_id):
            raise NotFound("not_found", kind="catalog_item", id=assignment.catalog_item_id)
        local = uow.assignments.find(assignment.id)
        if local is None:
            uow.assignments.add(assignment)
            return "assignments"
        if local.signature == assignment.signature:
            return "duplicates"
        # One writer (the assigner): the later of its own versions wins.
        def changed(a: Assignment) -> dt.datetime:
            return a.updated_at or a.created_at

        if changed(assignment) >= changed(local):
            uow.assignments.update(assignment)
        return "assignments"

    def _apply_proposal(self, uow: Any, proposal: CatalogProposal) -> str:
        """Store an official's signed proposal of a new catalog item (Điều 13.3) as proposed;
        returns "proposals" or "duplicates". Decision fields are the agency's: never taken
        from a bundle."""
        what = _item_key(proposal)
        public_key = self._author_key(uow, proposal.key_fingerprint, proposal.person_id, what)
        if proposal.signature is None or not crypto.verify(public_key, proposal.signature,
                                                           proposal_bytes(proposal)):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        local = uow.proposals.find(proposal.id)
        if local is not None:
            if proposal_bytes(local) != proposal_bytes(proposal):
                raise RefusedValue("bundle_record_conflict", record=what)
            return "duplicates"
        uow.proposals.add(dataclasses.replace(
            proposal, status=ProposalStatus.PROPOSED, decided_by=None, decided_at=None,
            accepted_item_code=None, decision_note=""))
        return "proposals"

    def _competent(self, uow: Any, person_id: str, days: Iterable[dt.date]) -> set[str]:
        """Who may decide about ``person_id`` (appeals, discipline, classification): their
        evaluators on any of ``days`` or today, and those evaluators' own evaluators (the
        level above, for an appeal against the evaluator's own decision)."""
        first = {r.evaluator_id for day in (*days, self._today())
                 for r in uow.org.evaluators_of(person_id, day)}
        above = {r.evaluator_id for evaluator in first
                 for r in uow.org.evaluators_of(evaluator, self._today())}
        return (first | above) - {person_id}

    def _apply_appeal(self, uow: Any, appeal: Appeal) -> str:
        """An official's appeal as filed or withdrawn (Điều 22), signed by the official;
        returns "appeals" or "duplicates". Decision fields are never taken from a filing."""
        part = _AppealPart("filing", appeal)
        what = _item_key(part)
        public_key = self._author_key(uow, appeal.key_fingerprint, appeal.person_id, what)
        if appeal.signature is None or not crypto.verify(public_key, appeal.signature,
                                                         part.signed_bytes):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        withdrawn = appeal.status is AppealStatus.WITHDRAWN
        local = uow.sync.find_appeal(appeal.id)
        if local is None:
            uow.sync.put_appeal(dataclasses.replace(
                appeal, status=AppealStatus.WITHDRAWN if withdrawn else AppealStatus.FILED,
                # Received today on this PC: the 7-working-day deadline counts from here,
                # never from the sender's clock.
                received_on=self._today(), decision="", outcome=None,
                decided_by=None, decided_at=None, decision_signature=None,
                decision_key_fingerprint=None, decided_on=None))
            return "appeals"
        if _filing(local) != _filing(appeal):
            raise RefusedValue("bundle_record_conflict", record=what)
        # Filed → withdrawn by its author; a decision already made stays.
        if withdrawn and local.status is AppealStatus.FILED:
            uow.sync.put_appeal(dataclasses.replace(
                local, status=AppealStatus.WITHDRAWN, signature=appeal.signature,
                key_fingerprint=appeal.key_fingerprint))
            return "appeals"
        return "duplicates"

    def _apply_appeal_decision(self, uow: Any, appeal: Appeal) -> str:
        """The decision on an appeal, signed by who decided it (an evaluator of the person or
        the level above; never the person), carried with the signed filing it answers;
        returns "appeal_decisions" or "duplicates"."""
        part = _AppealPart("decision", appeal)
        what = _item_key(part)
        filing = _AppealPart("filing", dataclasses.replace(appeal, status=AppealStatus.FILED))
        public_key = self._author_key(uow, appeal.key_fingerprint, appeal.person_id, what)
        if appeal.signature is None or not crypto.verify(public_key, appeal.signature,
                                                         filing.signed_bytes):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        if (appeal.status is not AppealStatus.DECIDED or appeal.decided_by is None
                or appeal.decided_at is None or appeal.outcome is None):
            raise RefusedValue("bundle_malformed", file="appeal_decisions", detail=appeal.id)
        decider = self._author_key(uow, appeal.decision_key_fingerprint, appeal.decided_by,
                                   what)
        if appeal.decision_signature is None or not crypto.verify(
                decider, appeal.decision_signature, part.signed_bytes):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        if appeal.decided_by not in self._competent(uow, appeal.person_id,
                                                    [appeal.period.end]):
            raise RefusedValue("bundle_signer_not_allowed", kind="appeal_decision",
                               person=appeal.decided_by)
        local = uow.sync.find_appeal(appeal.id)
        if local is not None:
            if _filing(local) != _filing(appeal):
                raise RefusedValue("bundle_record_conflict", record=what)
            if local.decision_signature == appeal.decision_signature:
                return "duplicates"
            if local.status is AppealStatus.DECIDED and local.decision_signature is not None \
                    and _newer(_AppealPart("decision", local), part):
                return "duplicates"  # the decider's later decision is already here
        uow.sync.put_appeal(dataclasses.replace(
            appeal, received_on=(local.received_on if local is not None else None)
            or appeal.received_on or self._today()))
        return "appeal_decisions"

    def _apply_discipline(self, uow: Any, event: DisciplineEvent) -> str:
        """A discipline event (Điều 20.4), signed by who recorded it: an evaluator of the
        person (or the level above), never the person; returns "discipline_events",
        "duplicates" or "held" (the related event has not arrived)."""
        what = _item_key(event)
        if event.recorded_by is None:
            raise RefusedValue("bundle_malformed", file="discipline_events",
                               detail="recorded_by")
        public_key = self._author_key(uow, event.key_fingerprint, event.recorded_by, what)
        if event.signature is None or not crypto.verify(public_key, event.signature,
                                                        discipline_bytes(event)):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        if event.recorded_by not in self._competent(uow, event.person_id, [event.decided_on]):
            raise RefusedValue("bundle_signer_not_allowed", kind="discipline_event",
                               person=event.recorded_by)
        local = uow.sync.find_discipline(event.id)
        if local is not None:
            # Everything but the year it counts for is fixed; the year follows the related
            # decisions (see _settle_discipline_years).
            if _discipline_core(local) != _discipline_core(event):
                raise RefusedValue("bundle_record_conflict", record=what)
            return "duplicates"
        if event.related_event_id and uow.sync.find_discipline(event.related_event_id) is None:
            return "held"
        uow.discipline.add(event)
        return "discipline_events"

    def _apply_replaced(self, uow: Any, appeal: Appeal, rows: Any) -> None:
        """Keep the evaluations a "changed" appeal decision replaced (the history of a
        changed result), once each. Each must be about the appeal's person and period and
        name the appeal and its decider; a replaced evaluation that carries its evaluator's
        signature must still verify."""
        if not isinstance(rows, list):
            raise RefusedValue("bundle_malformed", file="appeal_decisions", detail="replaced")
        known = {r.id for r in uow.replaced_evaluations.list_for_appeal(appeal.id)}
        for row in rows:
            if not isinstance(row, dict):
                raise RefusedValue("bundle_malformed", file="appeal_decisions",
                                   detail="replaced")
            record = from_json(model.ReplacedEvaluation, row)
            what = f"replaced:{record.id}"
            old = from_json(MonthlyEvaluation, _json_object(record.snapshot_json, what))
            if (record.appeal_id != appeal.id or record.person_id != appeal.person_id
                    or record.period != appeal.period or record.replaced_by != appeal.decided_by
                    or appeal.outcome is not model.AppealOutcome.CHANGED
                    or old.person_id != appeal.person_id or old.period != appeal.period):
                raise RefusedValue("bundle_record_conflict", record=what)
            if old.evaluator_signature is not None and old.evaluator_id is not None:
                part = _EvaluationPart("confirmation", old)
                key = self._author_key(uow, old.evaluator_key_fingerprint, old.evaluator_id,
                                       what)
                if not crypto.verify(key, old.evaluator_signature, part.signed_bytes):
                    raise RefusedValue("bundle_record_signature_invalid", record=what)
            if record.id not in known:
                uow.replaced_evaluations.add(record)
                known.add(record.id)

    @staticmethod
    def _settle_discipline_years(uow: Any, person_id: str) -> None:
        """Decisions about one act (linked by ``related_event_id``) count in one year, the
        earliest of their years (Điều 11.3a), as on the recorder's PC: a function of the set
        of events, so any import order gives the same years."""
        events = uow.discipline.list_for_person(person_id)
        parent = {e.id: e.id for e in events}

        def root(key: str) -> str:
            while parent[key] != key:
                key = parent[key]
            return key

        for event in events:
            if event.related_event_id in parent:
                a, b = root(event.id), root(str(event.related_event_id))
                parent[max(a, b)] = min(a, b)
        year: dict[str, int] = {}
        for event in events:
            group = root(event.id)
            year[group] = min(year.get(group, event.effective_year), event.effective_year)
        for event in events:
            if event.effective_year != year[root(event.id)]:
                uow.discipline.set_effective_year(event.id, year[root(event.id)])

    def _apply_annual(self, uow: Any, classification: AnnualClassification) -> str:
        """A decided annual classification (Form 02), signed by who decided it (an evaluator
        of the person or the level above); a replacement decision waits ("held") for the one
        it replaces. Returns "annual_classifications", "duplicates" or "held"."""
        what = _item_key(classification)
        if classification.decided_by is None or classification.decided_at is None:
            raise RefusedValue("bundle_malformed", file="annual_classifications",
                               detail="decided_by")
        public_key = self._author_key(uow, classification.key_fingerprint,
                                      classification.decided_by, what)
        if classification.signature is None or not crypto.verify(
                public_key, classification.signature, annual_bytes(classification)):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        if classification.decided_by not in self._competent(
                uow, classification.person_id, [dt.date(classification.year, 12, 31)]):
            raise RefusedValue("bundle_signer_not_allowed", kind="annual_classification",
                               person=classification.decided_by)
        local = uow.sync.find_annual(classification.id)
        if local is not None:
            if annual_bytes(local) != annual_bytes(classification):
                raise RefusedValue("bundle_record_conflict", record=what)
            return "duplicates"
        if classification.supersedes_id and uow.sync.find_annual(
                classification.supersedes_id) is None:
            return "held"
        uow.evaluations.add_annual(classification)
        return "annual_classifications"

    def _apply_evaluation(self, uow: Any, item: _EvaluationPart, known: _Known) -> str:
        """Merge one signed part of a monthly evaluation; returns "applied" or "duplicates"."""
        incoming = item.evaluation
        what = _item_key(item)
        author = item.author_id
        signature, fp = item.signature
        if author is None:
            raise RefusedValue("bundle_malformed", file="evaluations", detail="evaluator_id")
        public_key = self._author_key(uow, fp, author, what, known)
        if signature is None or not crypto.verify(public_key, signature, item.signed_bytes):
            raise RefusedValue("bundle_record_signature_invalid", record=what)
        person = known.person(incoming.person_id)
        if person is None:
            raise NotFound("not_found", kind="person", id=incoming.person_id)
        local = uow.evaluations.get_monthly(incoming.person_id, incoming.period)
        if item.part == "self":
            if local is not None and local.self_signature == signature:
                return "duplicates"
            base = local or MonthlyEvaluation(person_id=incoming.person_id,
                                              period=incoming.period, unit_id=person.unit_id)
            merged = dataclasses.replace(
                base, self_criteria=incoming.self_criteria, submitted_at=incoming.submitted_at,
                self_signature=signature, self_key_fingerprint=fp,
                updated_at=incoming.submitted_at)
            if base.status in (EvaluationStatus.OPEN, EvaluationStatus.SUBMITTED):
                merged = dataclasses.replace(
                    merged, status=EvaluationStatus.SUBMITTED, a=incoming.a, b=incoming.b,
                    c=incoming.c, task_ratio=incoming.task_ratio,
                    task_points=incoming.task_points, general_points=incoming.general_points,
                    total=incoming.total, level=incoming.level,
                    insufficient=incoming.insufficient, policy_version=incoming.policy_version)
            uow.evaluations.upsert_monthly(merged)
            return "applied"
        evaluators = known.evaluators(incoming.person_id, (incoming.period.end, self._today()))
        if author not in evaluators:
            raise RefusedValue("bundle_signer_not_allowed", kind="evaluation", person=author)
        if local is not None and local.evaluator_signature == signature:
            return "duplicates"
        base = local or dataclasses.replace(incoming, self_signature=None,
                                            self_key_fingerprint=None)
        merged = dataclasses.replace(
            base, status=incoming.status, unit_id=base.unit_id or incoming.unit_id,
            confirmed_criteria=incoming.confirmed_criteria, evaluator_id=author,
            comment=incoming.comment, d=incoming.d, dd=incoming.dd, e=incoming.e,
            a=incoming.a, b=incoming.b, c=incoming.c, task_ratio=incoming.task_ratio,
            task_points=incoming.task_points, general_points=incoming.general_points,
            total=incoming.total, level=incoming.level, insufficient=incoming.insufficient,
            policy_version=incoming.policy_version, confirmed_at=incoming.confirmed_at,
            locked_at=incoming.locked_at, updated_at=incoming.confirmed_at,
            evaluator_signature=signature, evaluator_key_fingerprint=fp)
        uow.evaluations.upsert_monthly(merged)
        return "applied"

    def _refresh_status(self, uow: Any, entry_ids: set[str], now: dt.datetime,
                        known: _Known) -> None:
        ids = sorted(entry_ids)
        tallies = uow.reviews.tallies(ids)
        changes: list[tuple[str, EntryStatus, dt.datetime, int | None]] = []
        for entry_id in ids:
            entry = known.entry(entry_id)  # as stored, with what this import wrote
            if entry is None:
                raise NotFound("not_found", kind="entry", id=entry_id)
            tally = tallies[entry_id]
            if tally.verdict is None or tally.verdict_revision != entry.current_revision:
                continue
            # The statement's own time, not the import time: same state in any order.
            at = tally.verdict_at or now
            if tally.verdict is StatementKind.CONFIRM:
                if entry.status is not EntryStatus.CONFIRMED:
                    changes.append((entry_id, EntryStatus.CONFIRMED, at,
                                    entry.current_revision))
            elif entry.status is EntryStatus.SUBMITTED:
                changes.append((entry_id, EntryStatus.RETURNED, at, None))
        uow.worklog.set_statuses(changes)

    def _flag_clock(self, uow: Any, bundle: Bundle, now: dt.datetime) -> int:
        flagged = []
        for row in bundle.records.get("revisions", []):
            created = dt.datetime.fromisoformat(str(row["created_at"]))
            work_date = _json_object(str(row["snapshot_json"]), "snapshot").get("work_date")
            early = isinstance(work_date, str) and created.date() < (
                dt.date.fromisoformat(work_date) - dt.timedelta(days=1))
            if created > now + _CLOCK_FUTURE or early:
                flagged.append(f"{row['entry_id']}:{row['revision']}")
        if flagged:
            uow.audit.append(AuditEvent(at=now, action="sync.clock_flag", object_type="bundle",
                                        object_id=bundle.bundle_id,
                                        detail={"sender": bundle.sender_id,
                                                "revisions": flagged[:200]}))
        return len(flagged)

    # ============================================================ reading =================

    def hub_url(self) -> str:
        """The hub address remembered with the data ("" when none)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.settings.get(_HUB_URL, "") or ""

    def set_hub_url(self, url: str) -> None:
        """Remember the hub address."""
        with self._db.unit_of_work() as uow:
            uow.settings.set(_HUB_URL, url.strip())

    def history(self, limit: int = 100) -> list[BundleLogEntry]:
        """Bundles written and imported on this PC, newest first."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.sync.bundle_history(limit)

    def outbox_count(self, owner_id: str) -> int:
        """How many of the owner's submitted records the agency has not acknowledged."""
        with self._db.unit_of_work(read_only=True) as uow:
            acked = uow.sync.acked_keys(AGENCY)
            items = [_item_key(r) for r in uow.sync.revisions_by_authors([owner_id])]
            items += [_item_key(s) for s in uow.sync.statements_by_reviewers([owner_id])]
            items += [_item_key(p) for p in uow.proposals.list(person_id=owner_id)]
            items += [_item_key(_AppealPart("filing", a))
                      for a in uow.appeals.list_for_person(owner_id)]
        return sum(1 for k in items if k not in acked)

    @staticmethod
    def describe_result(result: ImportResult) -> str:
        """A plain-language line about one imported (or refused) bundle."""
        from kpi_desktop.services.messages import describe

        name = Path(result.source).name or result.bundle_id
        if result.status == "refused" and result.error is not None:
            return translate("Sync", "{name}: not imported. {reason}").format(
                name=name, reason=describe(result.error))
        if result.status == "skipped":
            return translate("Sync", "{name}: addressed to someone else; left in place.").format(
                name=name)
        if result.status == "already":
            return translate("Sync", "{name}: already imported earlier; nothing to do.").format(
                name=name)
        parts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()) if v)
        return translate("Sync", "{name}: imported ({details}).").format(
            name=name, details=parts or "0")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise RefusedValue("bundle_malformed", file=what, detail="snapshot") from None
    if not isinstance(value, dict):
        raise RefusedValue("bundle_malformed", file=what, detail="snapshot")
    return value


def _signed_by(key: crypto.KeyPair, signature: bytes | None, fingerprint: str | None,
               data: bytes) -> bool:
    """Whether ``signature`` is ``key``'s valid signature of ``data``."""
    return (signature is not None and fingerprint == key.fingerprint
            and crypto.verify(key.public_key, signature, data))


def _subject_of(item: _Item) -> str:
    """The person a decision is about (its recipient besides the agency)."""
    if isinstance(item, _AppealPart):
        return item.appeal.person_id
    if isinstance(item, DisciplineEvent | AnnualClassification):
        return item.person_id
    raise TypeError(type(item).__name__)


def _filing(appeal: Appeal) -> tuple[Any, ...]:
    """What the official filed (the part nobody else may change)."""
    return (appeal.id, appeal.person_id, str(appeal.period), appeal.reason, appeal.filed_at)


def _newer(first: _AppealPart, second: _AppealPart) -> bool:
    """Whether ``first`` is the later of two decisions by order-independent rules: the later
    decision time, then the larger hash of the signed bytes."""
    def rank(part: _AppealPart) -> tuple[dt.datetime, str]:
        assert part.appeal.decided_at is not None
        return part.appeal.decided_at, hashlib.sha256(part.signed_bytes).hexdigest()

    return rank(first) >= rank(second)


def _discipline_core(event: DisciplineEvent) -> bytes:
    """A discipline event's fixed content (all but the year it counts for)."""
    return discipline_bytes(dataclasses.replace(event, effective_year=0))
