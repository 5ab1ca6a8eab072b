"""Synchronisation use cases: publish and import the organisation, export and import work,
plan, review and receipt bundles through a folder (USB stick, network share) — DESIGN.md §6.

The service orchestrates; the rules live elsewhere: what each signed record kind is, who may
author it, how it supersedes and how it is applied in ``kinds/`` (one module each, one
``REGISTRY``); who is trusted in ``trust``; the organisation file in ``organisation``; who
receives what in ``plan``; import, refusals, held bundles and attachments in ``importer``.
The trust rules are described in ``docs/sync.md``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import AuditEvent, utc_now
from kpi_desktop.domain.sync import (
    AGENCY,
    BundleLogEntry,
    HeldBundle,
    RecordRefusal,
)
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.keys import KeyService
from kpi_desktop.services.sync import agency, channels
from kpi_desktop.services.sync.channels import Gap
from kpi_desktop.services.sync.files import (
    BUNDLE_SUFFIX,
    AttachmentStore,
    ExportResult,
    ImportResult,
    RefusalsOwed,
    write_atomically,
)
from kpi_desktop.services.sync.importer import Batch, Importer
from kpi_desktop.services.sync.kinds.base import ExportContext
from kpi_desktop.services.sync.organisation import publish_organisation, same_organisation
from kpi_desktop.services.sync.plan import bundle_for, plan_export
from kpi_desktop.services.sync.trust import (
    check_addressed,
    header_agency_key,
    organisation_of,
    pin_agency,
    signer_key,
)
from kpi_desktop.sync import keys as crypto
from kpi_desktop.sync.bundle import Limits, read_bundle

__all__ = ["Gap", "SyncService"]

_HUB_URL = "sync.hub_url"
_NOT_MINE = frozenset({"bundle_wrong_recipient"})


class SyncService:
    """Publishing, exporting and importing bundles for one data folder."""

    def __init__(self, db: Any, backup_dir: Path, keys: KeyService, *,
                 attachments_dir: Path | None = None,
                 today: Callable[[], dt.date] | None = None,
                 limits: Limits | None = None) -> None:
        self._db = db
        self._backup_dir = backup_dir
        self._attachments = AttachmentStore(attachments_dir)
        self.keys = keys
        self._today = today or dt.date.today
        self._limits = limits or Limits()

    @property
    def today(self) -> Callable[[], dt.date]:
        """The clock this service dates things by (tests fix it)."""
        return self._today

    def _importer(self) -> Importer:
        return Importer(self._db, self.keys, self._backup_dir, self._attachments,
                        lambda: self._today(), self._limits)

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
        return agency.create_agency_key(self._db, self.keys, passphrase, cost=cost,
                                        replace=replace)

    def agency_fingerprint(self) -> str | None:
        """The pinned agency key's fingerprint (shown at set-up), or ``None``."""
        with self._db.unit_of_work(read_only=True) as uow:
            pinned = [k for k in uow.sync.trusted_keys("agency") if k.revoked_at is None]
        return pinned[-1].fingerprint if pinned else None

    def rotate_agency_key(self, new_passphrase: str, *, cost: int | None = None) -> str:
        """Replace the agency key (the old one must be unlocked); returns the new fingerprint.

        The old key signs a rotation link naming the new key, and the new key signs it too;
        every later organisation file carries the links, so every PC follows them.

        Raises:
            RefusedValue: ``key_locked``/``key_missing`` without the unlocked agency key;
                ``passphrase_too_short``; ``organisation_missing``.
        """
        return agency.rotate_agency_key(self._db, self.keys, new_passphrase, cost=cost)

    def repin_agency_key(self, path: Path, fingerprint: str) -> ImportResult:
        """The lost-agency-key path: import an organisation file signed by a NEW agency key
        whose fingerprint the person was given by phone (spaces allowed).

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
            return header_agency_key(header, fp)

        with self._db.unit_of_work(read_only=True) as uow:
            bundle = read_bundle(data, signer_key=signer, decrypt=False, limits=self._limits)
            check_addressed(uow, bundle)
            same_organisation(uow, bundle)  # an older version or a conflict: nothing changes
        now = utc_now()
        with self._db.unit_of_work() as uow:
            agency_header = bundle.header["agency"]
            pin_agency(uow, expected, header_agency_key(bundle.header, expected),
                       base64.b64decode(agency_header.get("x25519_public") or ""), now)
            uow.audit.append(AuditEvent(at=now, action="sync.agency_repin", object_type="key",
                                        object_id=expected, actor_id=None, detail={}))
        return self.import_bytes(data, source=str(path))

    def publish_organisation(self, out_dir: Path) -> ExportResult:
        """Sign the organisation as it is now with the agency key, as the next version.

        Raises:
            RefusedValue: ``key_locked``/``key_missing`` without the unlocked agency key;
                ``organisation_missing`` when there is nothing to publish.
        """
        key = self.keys.require(AGENCY)
        with self._db.unit_of_work() as uow:
            return publish_organisation(uow, key, out_dir, self._limits)

    # ============================================================ export ==================

    def export(self, owner_id: str, to_dir: Path) -> list[ExportResult]:
        """Write one bundle per recipient with everything they have not acknowledged, the
        receipts and refusals owed to them. Unsigned records of the owner are signed now
        with the owner's unlocked key; who receives what is each record kind's rule."""
        key = self.keys.require(owner_id)
        today = self._today()
        now = utc_now()
        results: list[ExportResult] = []
        with self._db.unit_of_work() as uow:
            org = organisation_of(uow)
            if owner_id == AGENCY:  # the agency sends receipts (and refusals) only
                if uow.sync.trusted_key(key.fingerprint) is None:
                    raise RefusedValue("key_not_enrolled", owner=owner_id)
                evaluators: list[str] = []
                evaluatees: list[str] = []
            else:
                person = uow.org.get_person(owner_id)
                if person.key_fingerprint != key.fingerprint:
                    raise RefusedValue("key_not_enrolled", owner=owner_id)
                evaluators = sorted({r.evaluator_id
                                     for r in uow.org.evaluators_of(owner_id, today)} - {owner_id})
                evaluatees = sorted({r.evaluatee_id
                                     for r in uow.org.evaluatees_of(owner_id, today)} - {owner_id})
            ctx = ExportContext(
                uow=uow, owner_id=owner_id, key=key, today=today, now=now,
                evaluators=evaluators, evaluatees=evaluatees,
                to_agency=owner_id != AGENCY and uow.sync.encryption_key(AGENCY) is not None)
            owed = RefusalsOwed(self._db.path)
            plan = plan_export(ctx, owed)
            rows: dict[tuple[str, str], str] = {}  # payload lines, rendered once an export
            pending = [found for recipient in sorted(plan)
                       if (found := bundle_for(uow, key, owner_id, recipient, plan[recipient],
                                               org, now, self._attachments, self._limits,
                                               owed, rows))]
            for name, data, result in pending:
                path = write_atomically(to_dir, name, data)
                results.append(dataclasses.replace(result, path=path))
        for result in results:  # the bundles are written and committed: the refusals went
            owed.sent(result.recipient_id, [r["item_key"] for r in owed.owed(
                result.recipient_id)] if result.counts.get("refusals") else [])
        return results

    # ============================================================ import ==================

    def import_paths(self, paths: Iterable[Path]) -> list[ImportResult]:
        """Import every bundle file given, and every bundle file inside given folders.

        Each file is reported on its own; a refused one does not stop the others. Bundles are
        taken in the order of :func:`bundle_order`.
        """
        from kpi_desktop.services.sync.files import bundle_order

        files: list[tuple[Path, bool]] = []
        for path in paths:
            if path.is_dir():
                files.extend((p, True) for p in path.iterdir()
                             if p.suffix == BUNDLE_SUFFIX and not p.name.startswith("."))
            else:
                files.append((path, False))
        files.sort(key=lambda f: bundle_order(f[0].name))
        importer = self._importer()
        results = []
        batch = Batch()  # one backup for the whole batch, before its first change
        contents = [_read(file) for file, _scanned in files[:1]]
        for index, (file, scanned) in enumerate(files):
            # The next file is read now: its signatures are verified while this one is
            # applied (Importer.run's ``following``).
            contents += [_read(next_file) for next_file, _s in files[index + 1:index + 2]]
            data = contents[index]
            contents[index] = b""
            if isinstance(data, OSError):
                results.append(ImportResult(source=str(file), status="refused",
                                            error=RefusedValue("bundle_unreadable",
                                                               path=str(file),
                                                               detail=str(data))))
                continue
            following = contents[index + 1] if index + 1 < len(contents) else None
            result = importer.run(data, str(file), batch,
                                  following=following if isinstance(following, bytes) else None)
            if scanned and result.error is not None and result.error.code in _NOT_MINE:
                # A shared stick or folder holds bundles for other people: not an error.
                result = dataclasses.replace(result, status="skipped")
            results.append(result)
        return results

    def import_bytes(self, data: bytes, *, source: str = "") -> ImportResult:
        """Verify and import one bundle; refusals are returned, not raised."""
        return self._importer().run(data, source, Batch())

    def signer_key(self, uow: Any, fp: str, header: dict[str, Any]) -> bytes:
        """The key that may sign a bundle with this header (the hub verifies like a PC)."""
        return signer_key(uow, fp, header)

    _signer_key = signer_key  # the name the hub used before the package

    # ============================================================ held, gaps, refusals ====

    def held_bundles(self) -> list[HeldBundle]:
        """Bundles held for a reused sequence number, oldest first."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.sync.held_bundles()

    def release_held(self, bundle_id: str, actor_id: str | None = None) -> ImportResult:
        """Apply a held bundle after all (someone checked it is genuine)."""
        with self._db.unit_of_work(read_only=True) as uow:
            content = uow.sync.held_content(bundle_id)
        if content is None:
            raise NotFound("not_found", kind="bundle", id=bundle_id)
        result = self._importer().run(content, f"held:{bundle_id}", Batch(), release=True)
        if result.status in ("imported", "already"):
            self._forget_held(bundle_id, actor_id, "sync.held_release")
        return result

    def discard_held(self, bundle_id: str, actor_id: str | None = None) -> None:
        """Drop a held bundle unapplied (a cloned PC's work: its sender re-sends what counts)."""
        with self._db.unit_of_work(read_only=True) as uow:
            if uow.sync.held_content(bundle_id) is None:
                raise NotFound("not_found", kind="bundle", id=bundle_id)
        self._forget_held(bundle_id, actor_id, "sync.held_discard")

    def _forget_held(self, bundle_id: str, actor_id: str | None, action: str) -> None:
        now = utc_now()
        with self._db.unit_of_work() as uow:
            uow.sync.drop_held(bundle_id)
            uow.audit.append(AuditEvent(at=now, action=action, object_type="bundle",
                                        object_id=bundle_id, actor_id=actor_id, detail={}))

    def gaps(self) -> list[Gap]:
        """Senders some of whose numbered bundles never arrived here."""
        with self._db.unit_of_work(read_only=True) as uow:
            return channels.gaps(uow)

    def refusals(self, direction: str = "in") -> list[RecordRefusal]:
        """Records refused: by the recipients of this PC's bundles ("in"), or here and not
        answered yet ("out")."""
        if direction == "out":
            return [RecordRefusal(direction="out", peer_id=str(r["peer"]),
                                  item_key=str(r["item_key"]), code=str(r["code"]),
                                  params=dict(r.get("params", {})),
                                  at=dt.datetime.fromisoformat(str(r["at"])))
                    for r in RefusalsOwed(self._db.path).owed()]
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.sync.refusals(direction)

    def flags(self, limit: int = 500) -> list[AuditEvent]:
        """Records accepted though signed by a key revoked since (signed before it was
        revoked, arrived after), newest first: for the agency to look at."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.audit.list_events(action="sync.signed_before_revocation",
                                         newest_first=True, limit=limit)

    def attention_lines(self) -> list[str]:
        """What a person should know about this PC's channels, in words (the Sync page and
        ``kpi-desktop sync status``): bundles missing or held, records refused or flagged."""
        with self._db.unit_of_work(read_only=True) as uow:
            return channels.attention_lines(uow)

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
        from kpi_desktop.services.sync.kinds import BY_FILE

        with self._db.unit_of_work(read_only=True) as uow:
            done = uow.sync.acked_keys(AGENCY) | uow.sync.refused_keys(AGENCY)
            revisions = BY_FILE["revisions"]
            proposals, appeals = BY_FILE["proposals"], BY_FILE["appeals"]
            keys = [revisions.item_key(r) for r in uow.sync.revisions_by_authors([owner_id])]
            keys += [f"stmt:{s.id}" for s in uow.sync.statements_by_reviewers([owner_id])]
            keys += [proposals.item_key(p) for p in uow.proposals.list(person_id=owner_id)]
            keys += [appeals.item_key(a) for a in uow.appeals.list_for_person(owner_id)]
        return sum(1 for k in keys if k not in done)

    @staticmethod
    def describe_result(result: ImportResult) -> str:
        """A plain-language line about one imported (or refused, or held) bundle."""
        from kpi_desktop.services.messages import describe

        name = Path(result.source).name or result.bundle_id
        if result.status in ("refused", "held") and result.error is not None:
            line = translate("Sync", "{name}: not imported. {reason}").format(
                name=name, reason=describe(result.error))
            extra = [describe(r.error) for r in result.refused[1:]]
            return " ".join([line, *extra])
        if result.status == "skipped":
            return translate("Sync", "{name}: addressed to someone else; left in place.").format(
                name=name)
        if result.status == "already":
            return translate("Sync", "{name}: already imported earlier; nothing to do.").format(
                name=name)
        parts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()) if v)
        line = translate("Sync", "{name}: imported ({details}).").format(
            name=name, details=parts or "0")
        older = result.counts.get("superseded", 0)
        notices = [KpiError("sync_older_ignored", count=older)] if older else []
        return " ".join([line, *(describe(n) for n in [*notices, *result.notices])])


def _read(path: Path) -> bytes | OSError:
    """A bundle file's bytes, or why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return exc
