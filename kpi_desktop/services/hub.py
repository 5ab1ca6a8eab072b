"""The agency hub's use cases, independent of HTTP (``kpi_desktop.hub.server`` serves them).

* :meth:`HubService.receive` verifies a bundle on arrival exactly as a PC would (signature by
  a known, unrevoked key; manifest; every file) without decrypting it, and stores it once.
* Devices authenticate by their keys: :meth:`challenge` hands out a random challenge, the
  device signs it with the key of the person (or the agency) it acts for, and
  :meth:`login` returns a short-lived token. No clock is involved, so a PC with a wrong clock
  still logs in.
* A newer organisation file received is also applied to the hub's own data folder (as
  ``org import`` would), so the hub knows new people and keys at once; an older one is stored
  for the devices that still need it, but not applied.
* :meth:`inbox` lists what is addressed to the token's owner (and every organisation file);
  :meth:`content` hands out one bundle to its recipient.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.sync import AGENCY, HubBundle
from kpi_desktop.domain.values import utc_now
from kpi_desktop.services.sync import SyncService
from kpi_desktop.sync.bundle import read_bundle
from kpi_desktop.sync.keys import verify

__all__ = ["HubService"]

_TOKEN_SECONDS = 600
_CHALLENGE_SECONDS = 120


@dataclass(frozen=True)
class _Pending:
    owner: str
    expires: float


class HubService:
    """Receives, stores and hands out bundles for one organisation."""

    def __init__(self, db: Any, sync: SyncService, store: Any | None = None) -> None:
        """``db`` is the data folder's database, set up from the organisation file: it says
        which keys and people exist. Bundles and their index go to ``store`` (by default the
        same database; a PostgreSQL database from :func:`open_hub_database`)."""
        self._db = db
        self._store = db if store is None else store
        self._sync = sync
        self._lock = threading.Lock()
        self._challenges: dict[str, _Pending] = {}
        self._tokens: dict[str, _Pending] = {}

    # ---------------------------------------------------------------- receiving ------------

    def receive(self, data: bytes) -> tuple[str, HubBundle]:
        """Verify and store a bundle; returns ("stored" | "already", its index line).

        Raises:
            RefusedValue: a ``bundle_*`` code, as on a PC.
        """
        with self._lock:
            with self._db.unit_of_work(read_only=True) as uow:
                bundle = read_bundle(
                    data, signer_key=lambda fp, h: self._sync.signer_key(uow, fp, h),
                    decrypt=False)
                org = bundle.header.get("organisation")
                organisations = uow.org.list_organisations()
                if not isinstance(org, dict) or not organisations or \
                        org.get("id") != organisations[0].id:
                    raise RefusedValue("bundle_other_unit", organisation=str(
                        org.get("id") if isinstance(org, dict) else ""))
            line = HubBundle(bundle_id=bundle.bundle_id, kind=bundle.kind,
                             sender_id=bundle.sender_id, recipient_id=bundle.recipient_id,
                             seq=bundle.seq, header_sha256=bundle.header_sha256,
                             received_at=utc_now(), size=len(data))
            if bundle.kind == "organisation":
                self._apply_organisation(data)
            return self._keep(line, data)

    def _apply_organisation(self, data: bytes) -> None:
        """Bring the hub's own data up to a newer organisation file (the lock is held)."""
        result = self._sync.import_bytes(data, source="hub")
        error = result.error
        if error is not None and error.code != "bundle_org_older":
            raise error

    def _keep(self, line: HubBundle, data: bytes) -> tuple[str, HubBundle]:
        """Store a verified bundle once (the lock is held). Another hub process on the same
        database may store the same bundle at the same moment: the loser of that race finds
        it stored when its insert is refused, and reports "already" like any repeat."""
        try:
            with self._store.unit_of_work() as uow:
                known = uow.sync.hub_find(line.bundle_id)
                if known is None:
                    uow.sync.hub_store(line, data)
        except RefusedValue as error:
            if error.code != "duplicate_record":
                raise
            with self._store.unit_of_work(read_only=True) as uow:
                known = uow.sync.hub_find(line.bundle_id)
            if known is None:
                raise
        if known is None:
            return "stored", line
        if known.header_sha256 != line.header_sha256:
            raise RefusedValue("bundle_id_conflict", bundle=line.bundle_id)
        return "already", known

    # ---------------------------------------------------------------- devices --------------

    def challenge(self, owner: str) -> str:
        """A random challenge for ``owner`` to sign."""
        value = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._challenges = {k: v for k, v in self._challenges.items() if v.expires > now}
            self._challenges[value] = _Pending(owner, now + _CHALLENGE_SECONDS)
        return value

    def login(self, challenge: str, signature_b64: str) -> str:
        """A token for the owner of ``challenge`` when ``signature_b64`` signs it with that
        owner's current key.

        Raises:
            RefusedValue: ``hub_refused``.
        """
        with self._lock:
            pending = self._challenges.pop(challenge, None)
        if pending is None or pending.expires < time.monotonic():
            raise RefusedValue("hub_refused", detail="unknown or expired challenge")
        try:
            signature = base64.b64decode(signature_b64, validate=True)
        except ValueError:
            raise RefusedValue("hub_refused", detail="signature") from None
        if not any(verify(key, signature, challenge.encode()) for key in
                   self._current_keys(pending.owner)):
            raise RefusedValue("hub_refused", detail="signature")
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = _Pending(pending.owner, time.monotonic() + _TOKEN_SECONDS)
        return token

    def _current_keys(self, owner: str) -> list[bytes]:
        with self._db.unit_of_work(read_only=True) as uow:
            if owner == AGENCY:
                return [k.public_key for k in uow.sync.trusted_keys("agency")
                        if k.revoked_at is None]
            person = uow.org.find_person(owner)
            if person is None or person.public_key is None:
                return []
            key = uow.org.find_key(person.key_fingerprint or "")
            return [] if key is None or key.revoked_at is not None else [person.public_key]

    def owner_of(self, token: str) -> str:
        """Whose token it is.

        Raises:
            RefusedValue: ``hub_refused`` for an unknown or expired token.
        """
        with self._lock:
            pending = self._tokens.get(token)
        if pending is None or pending.expires < time.monotonic():
            raise RefusedValue("hub_refused", detail="please log in again")
        return pending.owner

    def inbox(self, token: str) -> list[HubBundle]:
        """What is addressed to the token's owner, and every organisation file."""
        owner = self.owner_of(token)
        with self._store.unit_of_work(read_only=True) as uow:
            return uow.sync.hub_inbox([owner, "*"])

    def content(self, token: str, bundle_id: str) -> bytes:
        """The bytes of one bundle addressed to the token's owner (or to everyone)."""
        owner = self.owner_of(token)
        with self._store.unit_of_work(read_only=True) as uow:
            line = uow.sync.hub_find(bundle_id)
            if line is None or line.recipient_id not in (owner, "*"):
                raise RefusedValue("hub_refused", detail="no such bundle for you")
            content = uow.sync.hub_content(bundle_id)
        assert content is not None
        return content


def open_hub_database(url: str) -> Any:
    """The hub's store from a SQLAlchemy URL, migrated: ``sqlite:///FILE`` or
    ``postgresql+psycopg://user:password@host/database``.

    Raises:
        RefusedValue: ``hub_database_unsupported`` for other URLs.
        StorageProblem: ``database_server_unreachable`` and the other storage errors.
    """
    from kpi_desktop.storage.server_database import open_database_url

    return open_database_url(url)
