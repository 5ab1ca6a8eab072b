"""People's keys on this PC: create, unlock, change passphrase, enrol (DESIGN.md §6).

Several people may share one PC: each has a key pair sealed with their own passphrase, and a
key is unlocked only for the session of the person who typed it (kept in memory by this
service, never written in the clear). The agency's own key pair is stored the same way under
the owner id ``"agency"``.

Enrolment: a person's new key counts for others once the agency publishes it in an organisation
bundle. On the PC that holds the agency key (the agency administrator's) a key is enrolled
directly; elsewhere :meth:`KeyService.enrolment_request` writes a small self-signed file that the
agency imports with :meth:`KeyService.enrol`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import AuditEvent, utc_now
from kpi_desktop.domain.passphrases import DEMO_PASSPHRASE, check_new_passphrase, unlock_delay
from kpi_desktop.domain.sync import AGENCY, EncryptionKey, SealedKeyRecord
from kpi_desktop.domain.values import canonical_json, normalize_text
from kpi_desktop.sync import keys as crypto

__all__ = ["KeyInfo", "KeyService"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyInfo:
    """What the PC knows about one owner's key, for display."""

    owner_id: str
    fingerprint: str
    readable: str
    enrolled: bool  # the organisation publishes this key for the owner
    unlocked: bool


def _sealed(record: SealedKeyRecord) -> crypto.SealedKey:
    return crypto.SealedKey(owner_id=record.owner_id, fingerprint=record.fingerprint,
                            public_key=record.public_key, x25519_public=record.x25519_public,
                            blob=record.blob)


class KeyService:
    """Key pairs of the people (and the agency) who use this PC.

    Passphrases follow one rule (:func:`~kpi_desktop.domain.passphrases.check_new_passphrase`:
    at least eight characters, not one of the commonest; the public "demo" only for the demo
    organisation's keys). Keys are sealed with scrypt at ``cost`` (2^17 by default; tests pass
    a lower one); a key sealed at a lower cost is sealed again on its next successful unlock.
    Every wrong passphrase is recorded in the audit log, per owner; after five in a row each
    next try must wait (30 s, doubling, at most 15 minutes), and the count is kept in the
    database, so a restart does not reset it.
    """

    def __init__(self, db: Any, *, cost: int = crypto.DEFAULT_COST,
                 clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._db = db
        self.cost = cost
        self._clock = clock
        self._unlocked: dict[str, crypto.KeyPair] = {}

    # ---------------------------------------------------------------- creating -------------

    def create(self, owner_id: str, passphrase: str, *, enrol: bool | None = None,
               cost: int | None = None, replace: bool = False, demo: bool = False) -> KeyInfo:
        """Make and seal a new key pair for ``owner_id`` (a person id or ``"agency"``).

        ``enrol`` (default: when this PC holds the agency key, or for the agency itself)
        publishes the key for the person at once. The new key is left unlocked. ``demo``
        (the demo organisation only) allows the public passphrase "demo".

        Raises:
            NotFound: no such person.
            RefusedValue: ``key_exists`` unless ``replace``; ``passphrase_too_short``,
                ``passphrase_too_common``.
        """
        check_new_passphrase(passphrase, owner=owner_id,
                             demo=demo or self.is_demo_organisation())
        key = crypto.generate_key()
        sealed = crypto.seal(key, owner_id, passphrase, cost=cost or self.cost)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if owner_id != AGENCY and uow.org.find_person(owner_id) is None:
                raise NotFound("not_found", kind="person", id=owner_id)
            if uow.sync.sealed_key(owner_id) is not None and not replace:
                raise RefusedValue("key_exists", owner=owner_id)
            uow.sync.put_sealed_key(SealedKeyRecord(
                owner_id=owner_id, fingerprint=sealed.fingerprint, public_key=sealed.public_key,
                x25519_public=sealed.x25519_public, blob=sealed.blob, created_at=now,
                updated_at=now))
            if enrol is None:
                enrol = owner_id == AGENCY or uow.sync.sealed_key(AGENCY) is not None
            if enrol:
                self._publish(uow, owner_id, key.public_key, key.x25519_public, now)
            uow.audit.append(AuditEvent(at=now, action="key.create", object_type="key",
                                        object_id=key.fingerprint, actor_id=owner_id,
                                        detail={"owner": owner_id, "enrolled": bool(enrol)}))
        self._unlocked[owner_id] = key
        return self.info(owner_id)

    @staticmethod
    def _publish(uow: Any, owner_id: str, public_key: bytes, x25519_public: bytes,
                 at: Any) -> None:
        fp = crypto.fingerprint(public_key)
        if owner_id != AGENCY:
            uow.org.set_person_key(owner_id, public_key, fp, at)
        uow.sync.upsert([EncryptionKey(owner_id=owner_id, signing_fingerprint=fp,
                                       x25519_public=x25519_public)])

    # ---------------------------------------------------------------- session --------------

    def unlock(self, owner_id: str, passphrase: str) -> crypto.KeyPair:
        """Open the owner's key with their passphrase and keep it for this session (a key
        sealed at a lower cost than :attr:`cost` is sealed again at that cost).

        Raises:
            RefusedValue: ``key_missing`` (no key on this PC), ``passphrase_wrong`` (with
                ``failures`` and, from the fifth in a row, ``seconds`` to wait),
                ``unlock_delayed`` (``seconds`` still to wait before the next try).
        """
        record = self._record(owner_id)
        key = self._open(record, passphrase)
        stored = crypto.sealed_cost(record.blob)
        if stored is not None and stored < self.cost and \
                normalize_text(passphrase) != DEMO_PASSPHRASE:
            try:
                self._reseal(record, key, passphrase)
            except KpiError:  # a read-only or full disk: the key opens all the same
                log.warning("could not seal the key of %s again", owner_id, exc_info=True)
        self._unlocked[owner_id] = key
        return key

    def _open(self, record: SealedKeyRecord, passphrase: str) -> crypto.KeyPair:
        """Unseal ``record``, counting wrong passphrases (audited) and enforcing the delay."""
        owner_id = record.owner_id
        with self._db.unit_of_work(read_only=True) as uow:
            failures, last = uow.sync.unlock_failures(owner_id)
        now = self._clock()
        wait = unlock_delay(failures)
        if wait and last is not None:
            left = int((last + dt.timedelta(seconds=wait) - now).total_seconds() + 0.999)
            if left > 0:
                raise RefusedValue("unlock_delayed", owner=owner_id, seconds=left,
                                   failures=failures)
        try:
            key = crypto.unseal(_sealed(record), passphrase)
        except RefusedValue as error:
            if error.code != "passphrase_wrong":
                raise
            failures += 1
            try:
                with self._db.unit_of_work() as uow:
                    uow.sync.set_unlock_failures(owner_id, failures, now)
                    uow.audit.append(AuditEvent(
                        at=now, action="key.unlock_failed", object_type="key",
                        object_id=record.fingerprint, actor_id=owner_id,
                        detail={"owner": owner_id, "failures": failures}))
            except KpiError:  # the disk refuses the record: the refusal stays what it is
                log.warning("could not record the failed unlock of %s", owner_id,
                            exc_info=True)
            raise RefusedValue("passphrase_wrong", owner=owner_id, failures=failures,
                               seconds=unlock_delay(failures)) from None
        if failures:
            with self._db.unit_of_work() as uow:
                uow.sync.clear_unlock_failures(owner_id)
                uow.audit.append(AuditEvent(
                    at=now, action="key.unlock", object_type="key",
                    object_id=record.fingerprint, actor_id=owner_id,
                    detail={"owner": owner_id, "after_failures": failures}))
        return key

    def _reseal(self, record: SealedKeyRecord, key: crypto.KeyPair, passphrase: str) -> None:
        """Seal an opened key again at :attr:`cost` with the same passphrase."""
        sealed = crypto.seal(key, record.owner_id, passphrase, cost=self.cost)
        now = self._clock()
        with self._db.unit_of_work() as uow:
            uow.sync.put_sealed_key(SealedKeyRecord(
                owner_id=record.owner_id, fingerprint=sealed.fingerprint,
                public_key=sealed.public_key, x25519_public=sealed.x25519_public,
                blob=sealed.blob, created_at=record.created_at, updated_at=now))
            uow.audit.append(AuditEvent(
                at=now, action="key.reseal", object_type="key", object_id=record.fingerprint,
                actor_id=record.owner_id,
                detail={"from_cost": crypto.sealed_cost(record.blob), "to_cost": self.cost}))

    def is_demo_organisation(self) -> bool:
        """Whether this PC holds the demo organisation (``kpi-desktop demo`` made it here):
        only there may a key keep the public passphrase "demo"."""
        with self._db.unit_of_work(read_only=True) as uow:
            organisations = uow.org.list_organisations()
            return bool(organisations) and bool(uow.audit.list_events(
                action="demo.create", object_id=organisations[0].id, limit=1))

    def lock(self, owner_id: str | None = None) -> None:
        """Forget the unlocked key of ``owner_id`` (everyone's when ``None``)."""
        if owner_id is None:
            self._unlocked.clear()
        else:
            self._unlocked.pop(owner_id, None)

    def unlocked(self, owner_id: str) -> crypto.KeyPair | None:
        """The owner's key if unlocked in this session."""
        return self._unlocked.get(owner_id)

    def require(self, owner_id: str) -> crypto.KeyPair:
        """The owner's unlocked key, or ``key_locked``/``key_missing``."""
        key = self._unlocked.get(owner_id)
        if key is None:
            self._record(owner_id)
            raise RefusedValue("key_locked", owner=owner_id)
        return key

    def unlocked_owners(self) -> list[str]:
        """Owners whose key is unlocked now."""
        return sorted(self._unlocked)

    def change_passphrase(self, owner_id: str, old: str, new: str) -> None:
        """Seal the owner's key with ``new`` (``old`` must open it; a wrong one counts as a
        failed unlock).

        Raises:
            RefusedValue: the codes of :meth:`unlock` and of the passphrase rule.
        """
        record = self._record(owner_id)
        check_new_passphrase(new, owner=owner_id, demo=self.is_demo_organisation())
        key = self._open(record, old)
        sealed = crypto.seal(key, owner_id, new, cost=self.cost)
        now = self._clock()
        with self._db.unit_of_work() as uow:
            uow.sync.put_sealed_key(SealedKeyRecord(
                owner_id=owner_id, fingerprint=sealed.fingerprint, public_key=sealed.public_key,
                x25519_public=sealed.x25519_public, blob=sealed.blob,
                created_at=record.created_at, updated_at=now))
            uow.audit.append(AuditEvent(at=now, action="key.passphrase", object_type="key",
                                        object_id=record.fingerprint, actor_id=owner_id))

    # ---------------------------------------------------------------- reading --------------

    def _record(self, owner_id: str) -> SealedKeyRecord:
        with self._db.unit_of_work(read_only=True) as uow:
            record = uow.sync.sealed_key(owner_id)
        if record is None:
            raise RefusedValue("key_missing", owner=owner_id)
        return record

    def info(self, owner_id: str) -> KeyInfo:
        """The owner's key as shown to people."""
        record = self._record(owner_id)
        with self._db.unit_of_work(read_only=True) as uow:
            if owner_id == AGENCY:
                published = uow.sync.encryption_key(AGENCY)
                enrolled = published is not None and (
                    published.signing_fingerprint == record.fingerprint)
            else:
                person = uow.org.find_person(owner_id)
                enrolled = person is not None and person.key_fingerprint == record.fingerprint
        return KeyInfo(owner_id=owner_id, fingerprint=record.fingerprint,
                       readable=crypto.readable_fingerprint(record.fingerprint),
                       enrolled=enrolled, unlocked=owner_id in self._unlocked)

    def owners(self) -> list[str]:
        """Everyone with a key on this PC (the sign-in list)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return [r.owner_id for r in uow.sync.sealed_keys()]

    # ---------------------------------------------------------------- enrolment ------------

    def enrolment_request(self, owner_id: str) -> bytes:
        """A self-signed request asking the agency to publish the owner's key."""
        key = self.require(owner_id)
        body = {"kind": "enrolment", "person_id": owner_id,
                "public_key": base64.b64encode(key.public_key).decode(),
                "x25519_public": base64.b64encode(key.x25519_public).decode(),
                "requested_at": utc_now()}
        signed = canonical_json(body).encode("utf-8")
        return json.dumps({"body": signed.decode("utf-8"),
                           "sig": base64.b64encode(key.sign(signed)).decode()},
                          ensure_ascii=False).encode("utf-8")

    def enrol(self, request: bytes) -> KeyInfo:
        """On the agency's PC: publish the key of an enrolment request (the next organisation
        bundle carries it; the person's earlier key is kept as revoked history).

        Raises:
            RefusedValue: ``enrolment_invalid`` for a damaged or forged request.
            NotFound: no such person.
        """
        try:
            outer = json.loads(request)
            signed = outer["body"].encode("utf-8")
            body = json.loads(signed)
            public_key = base64.b64decode(body["public_key"], validate=True)
            x25519_public = base64.b64decode(body["x25519_public"], validate=True)
            signature = base64.b64decode(outer["sig"], validate=True)
            person_id = str(body["person_id"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise RefusedValue("enrolment_invalid") from None
        if body.get("kind") != "enrolment" or not crypto.verify(public_key, signature, signed):
            raise RefusedValue("enrolment_invalid")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if uow.org.find_person(person_id) is None:
                raise NotFound("not_found", kind="person", id=person_id)
            self._publish(uow, person_id, public_key, x25519_public, now)
            uow.audit.append(AuditEvent(at=now, action="key.enrol", object_type="key",
                                        object_id=crypto.fingerprint(public_key),
                                        detail={"person": person_id}))
        fp = crypto.fingerprint(public_key)
        return KeyInfo(owner_id=person_id, fingerprint=fp,
                       readable=crypto.readable_fingerprint(fp), enrolled=True,
                       unlocked=False)

    def revoke(self, fingerprint: str) -> None:
        """On the agency's PC: revoke a person's key (published in the next organisation
        bundle; the person then needs a new key)."""
        now = utc_now()
        with self._db.unit_of_work() as uow:
            key = uow.org.find_key(fingerprint)
            if key is None:
                raise NotFound("not_found", kind="key", id=fingerprint)
            uow.org.revoke_key(fingerprint, now)
            uow.audit.append(AuditEvent(at=now, action="key.revoke", object_type="key",
                                        object_id=fingerprint,
                                        detail={"person": key.person_id}))
