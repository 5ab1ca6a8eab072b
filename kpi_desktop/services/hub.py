"""The agency hub's use cases, independent of HTTP (``kpi_desktop.hub.server`` serves them).

* :meth:`HubService.receive` verifies a bundle on arrival exactly as a PC would (signature by
  a known, unrevoked key; manifest; every file) without decrypting it, and stores it once.
  Only the agency's organisation files may be addressed to everyone (``*``); every other
  bundle names its recipient. A member may store at most the agency's daily quota
  (:mod:`~kpi_desktop.services.hub_limits`) of bundles and bytes in any 24 hours.
* Devices authenticate by their keys: :meth:`challenge` hands out a random challenge, the
  device signs it with the key of the person (or the agency) it acts for, and
  :meth:`login` returns a short-lived token. No clock is involved, so a PC with a wrong clock
  still logs in. Outstanding challenges are capped per address and in total, and expire
  after two minutes; tokens expire after ten minutes, and a token dies with its key as soon
  as the hub applies an organisation file that revokes or replaces that key.
* A newer organisation file received is also applied to the hub's own data folder (as
  ``org import`` would), so the hub knows new people and keys at once; an older one is stored
  for the devices that still need it, but not applied.
* :meth:`inbox` lists what is addressed to the token's owner (and every organisation file);
  :meth:`content` hands out one bundle to its recipient.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import queue
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.sync import AGENCY, HubBundle
from kpi_desktop.domain.values import utc_now
from kpi_desktop.services.hub_limits import HEADER_FIELD, SETTING, HubLimits
from kpi_desktop.services.sync import SyncService
from kpi_desktop.sync.bundle import read_bundle
from kpi_desktop.sync.keys import fingerprint, verify

__all__ = ["EVERYONE", "HubGuards", "HubService", "open_hub_database"]

# The recipient of an organisation file: every device of the organisation.
EVERYONE = "*"
_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,79}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BUNDLE_ID = re.compile(r"[A-Za-z0-9._-]{1,80}")
_DAY = dt.timedelta(days=1)
# receive_many hands verified bundles to its store transaction this many at a time, and
# verifies the next ones while the database stores them.
_STORE_AHEAD = 20


@dataclass(frozen=True)
class HubGuards:
    """The hub's limits against floods (the per-sender quota is the agency's, see
    :class:`~kpi_desktop.services.hub_limits.HubLimits`)."""

    challenge_seconds: float = 120.0
    challenges_per_address: int = 8
    challenges_total: int = 4096
    token_seconds: float = 600.0
    tokens_total: int = 20000


@dataclass(frozen=True)
class _Challenge:
    owner: str
    address: str
    expires: float


@dataclass(frozen=True)
class _Token:
    owner: str
    key: str  # the fingerprint of the key that signed in
    expires: float


@dataclass
class _Trust:
    """The hub data folder's organisation (id, version), the quota in force and the signers'
    keys found so far (by fingerprint, bundle kind and sender), kept between bundles."""

    version: tuple[str, int, str | None] | None  # id, version, the quota setting
    organisation: str | None
    limits: HubLimits
    keys: _KeptKeys | None = None


# An organisation file met among the bundles: its place, index line, header, quota in force.
_Organisation = tuple[int, HubBundle, Any, HubLimits]


@dataclass(eq=False)
class _Item:
    """A verified bundle on its way to the store, and what became of it."""

    index: int
    line: HubBundle
    data: bytes
    limits: HubLimits
    outcome: tuple[str, HubBundle] | BaseException | None = None

    def result(self) -> tuple[str, HubBundle] | RefusedValue:
        """The outcome; an unexpected error (the database's) is raised."""
        if isinstance(self.outcome, RefusedValue | tuple):
            return self.outcome
        assert self.outcome is not None
        raise self.outcome


class _GroupCommit:
    """Stores bundles of concurrent calls together (group commit). Whoever finds nobody
    storing stores everything waiting in one transaction, then again what arrived meanwhile,
    until its own bundles are done; the others wait for their outcome (or take over). A
    bundle that finds nobody storing is stored at once: there is no waiting for company."""

    def __init__(self, store: Callable[[list[_Item]], None]) -> None:
        self._store = store
        self._changed = threading.Condition()
        self._waiting: list[_Item] = []
        self._busy = False

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        """Keep the store to oneself (no group is stored meanwhile; those who submit wait)."""
        with self._changed:
            while self._busy:
                self._changed.wait()
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()

    def submit(self, items: list[_Item]) -> None:
        """Store ``items`` (each gets its outcome)."""
        if not items:
            return
        with self._changed:
            self._waiting.extend(items)
            while self._busy and any(item.outcome is None for item in items):
                self._changed.wait()
            if all(item.outcome is not None for item in items):
                return
            self._busy = True
        try:
            while any(item.outcome is None for item in items):
                with self._changed:
                    group, self._waiting = self._waiting, []
                try:
                    self._store(group)
                except BaseException as error:  # noqa: BLE001 - each caller raises it
                    for item in group:
                        if item.outcome is None:
                            item.outcome = error
                with self._changed:
                    self._changed.notify_all()
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()


@dataclass
class _Seen:
    """What one transaction of the store has learnt so far: the stored bundles found, the
    senders whose usage it read, their usage including what it stored."""

    known: dict[str, HubBundle] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)
    usage: dict[str, tuple[int, int]] = field(default_factory=dict)


class _StoreStream:
    """One transaction of the store, fed verified bundles a few at a time and storing them
    on its own thread while the caller verifies the next ones: the database works (in its
    own process, or in SQLite with the GIL released) while Python verifies. ``close``
    commits; an outcome is final only then (a failed commit gives every bundle its error)."""

    def __init__(self, hub: HubService) -> None:
        self._chunks: queue.SimpleQueue[list[_Item] | None] = queue.SimpleQueue()
        self._items: list[_Item] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(hub,), name="hub-store",
                                        daemon=True)
        self._thread.start()

    def put(self, items: list[_Item]) -> None:
        """Store ``items`` next, in the transaction."""
        if items:
            self._items += items
            self._chunks.put(items)

    def close(self, *, commit: bool = True) -> None:
        """Commit what was put (or roll it all back) and wait for the thread."""
        self._chunks.put(None if commit else [])
        self._thread.join()
        if self._error is not None:
            for item in self._items:
                item.outcome = self._error

    def _run(self, hub: HubService) -> None:
        ended = False
        try:
            with hub._store.unit_of_work() as uow:
                seen = _Seen()
                while (items := self._chunks.get()) is not None:
                    if not items:  # the caller failed: nothing of this transaction is kept
                        ended = True
                        raise _Abandoned
                    hub._store_some(uow, seen, items)
                ended = True
        except BaseException as error:  # noqa: BLE001 - the caller raises it for each bundle
            self._error = error
            while not ended:  # the caller's last chunks, up to its end
                ended = self._chunks.get() in (None, [])


class _Abandoned(Exception):
    """The caller of a store stream failed before its end: the transaction is rolled back."""


class _KeptKeys:
    """What the trust rules read to find a signer's key (the agency's pinned keys, every
    person's keys), read from the hub's data folder once and kept while its organisation
    stays the same: a province's 20,000 senders cost one query, not two a bundle. Anything
    else the rules read comes from the data folder itself."""

    def __init__(self, uow: Any) -> None:
        self.agency = uow.sync.trusted_keys("agency")
        self.people = uow.org.all_keys()

    def over(self, uow: Any) -> Any:
        """``uow`` with these keys in place of the queries for them."""
        return _KeysOver(uow, self)


class _KeysOver:
    def __init__(self, uow: Any, kept: _KeptKeys) -> None:
        self._uow = uow
        self.sync = _Delegate(uow.sync, trusted_keys=lambda role=None: (
            kept.agency if role == "agency" else uow.sync.trusted_keys(role)))
        self.org = _Delegate(uow.org, find_key=kept.people.get)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)


class _Delegate:
    """A repository with some methods answered from memory."""

    def __init__(self, target: Any, **answers: Any) -> None:
        self._target = target
        self.__dict__.update(answers)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


def _is_everyone_allowed(line: HubBundle) -> bool:
    """Only the agency's organisation files go to everyone."""
    return line.kind == "organisation" and line.sender_id == AGENCY


class HubService:
    """Receives, stores and hands out bundles for one organisation."""

    def __init__(self, db: Any, sync: SyncService, store: Any | None = None, *,
                 guards: HubGuards | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``db`` is the data folder's database, set up from the organisation file: it says
        which keys and people exist. Bundles and their index go to ``store`` (by default the
        same database; a PostgreSQL database from :func:`open_hub_database`)."""
        self._db = db
        self._store = db if store is None else store
        self._sync = sync
        self.guards = guards or HubGuards()
        self._clock = clock
        self._lock = threading.Lock()  # receiving: one bundle at a time
        self._auth = threading.Lock()  # challenges and tokens
        # Insertion order is expiry order (one lifetime each): expired ones are at the front.
        self._challenges: OrderedDict[str, _Challenge] = OrderedDict()
        self._per_address: dict[str, int] = {}
        self._tokens: OrderedDict[str, _Token] = OrderedDict()
        self._trusted: _Trust | None = None  # see _trust_for
        self._commit = _GroupCommit(self._store_all)

    # ---------------------------------------------------------------- receiving ------------

    def limits(self) -> HubLimits:
        """The per-sender quota in force (the agency's newest, or the defaults)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return HubLimits.from_setting(uow.settings.get(SETTING))

    def receive(self, data: bytes) -> tuple[str, HubBundle]:
        """Verify and store a bundle; returns ("stored" | "already", its index line).

        Raises:
            RefusedValue: a ``bundle_*`` code, as on a PC; ``hub_recipient_everyone`` for a
                bundle other than the agency's organisation file addressed to everyone;
                ``hub_quota_exceeded`` when the sender used up the day's quota.
        """
        (outcome,) = self.receive_many([data])
        if isinstance(outcome, RefusedValue):
            raise outcome
        return outcome

    def receive_many(self, datas: list[bytes]) -> list[tuple[str, HubBundle] | RefusedValue]:
        """:meth:`receive` for several bundles, each one's outcome or refusal in order; the
        bundles are stored in one transaction of the store (a refused one is left out), a
        few at a time while the next ones are verified (:class:`_StoreStream`).

        The organisation's id and version, the quota and the signers' keys are read once and
        kept between calls until the hub's data folder holds another organisation version or
        quota (two small queries a call check it): receiving a bundle is then its
        verification, and its share of one quota query and one insert
        (``INSERT … ON CONFLICT DO NOTHING``, no look-up first). Bundles of concurrent calls
        (the HTTP handler's threads) that wait while a transaction commits are stored
        together in the next one (group commit, :class:`_GroupCommit`).
        """
        outcomes: list[tuple[str, HubBundle] | RefusedValue | None] = [None] * len(datas)
        index = 0
        while index < len(datas):
            if len(datas) - index > _STORE_AHEAD:
                index, pending, organisation = self._verify_and_store(datas, index, outcomes)
            else:
                index, pending, organisation = self._verify(datas, index, outcomes)
                self._commit.submit(pending)
            for item in pending:
                outcomes[item.index] = item.result()
            if organisation is not None:
                # It changes who may sign what: one at a time, applied after what came before
                # it is stored; the keys are read again (a new read) for what follows.
                at, line, header, limits = organisation
                with self._lock:
                    try:
                        self._apply_organisation(datas[at], header)
                    except RefusedValue as error:
                        outcomes[at] = error
                    else:
                        item = _Item(at, line, datas[at], limits)
                        self._commit.submit([item])
                        outcomes[at] = item.result()
        return [o for o in outcomes if o is not None]

    def _verify(self, datas: list[bytes], index: int, outcomes: list[Any], *,
                stream: _StoreStream | None = None
                ) -> tuple[int, list[_Item], _Organisation | None]:
        """Verify ``datas`` from ``index`` up to the end or an organisation file (kept aside:
        it is applied alone). Refusals go to ``outcomes``; the verified bundles are returned
        with the index reached, or handed to ``stream`` a few at a time as they come."""
        pending: list[_Item] = []
        verified: list[_Item] = []
        organisation = None
        with self._db.unit_of_work(read_only=True) as uow:
            trust = self._trust_for(uow)
            while index < len(datas) and organisation is None:
                try:
                    line, header = self._verified(uow, trust, datas[index])
                except RefusedValue as error:
                    outcomes[index] = error
                else:
                    if line.kind == "organisation":
                        organisation = (index, line, header, trust.limits)
                    else:
                        pending.append(_Item(index, line, datas[index], trust.limits))
                index += 1
                if stream is not None and len(pending) >= _STORE_AHEAD:
                    stream.put(pending)
                    verified += pending
                    pending = []
        if stream is not None:
            stream.put(pending)
        return index, verified + pending, organisation

    def _verify_and_store(self, datas: list[bytes], index: int, outcomes: list[Any]
                          ) -> tuple[int, list[_Item], _Organisation | None]:
        """:meth:`_verify`, with the bundles stored in one transaction as they are verified
        (the store is kept alone meanwhile, as for one group of the group commit)."""
        with self._commit.alone():
            stream = _StoreStream(self)
            try:
                found = self._verify(datas, index, outcomes, stream=stream)
            except BaseException:
                stream.close(commit=False)
                raise
            stream.close()
            return found

    def _trust_for(self, uow: Any) -> _Trust:
        """What verifying and storing need from the hub's data folder, kept between calls
        while the organisation's version stays the same."""
        organisations = uow.org.list_organisations()
        setting = uow.settings.get(SETTING)
        version = ((organisations[0].id, organisations[0].org_version, setting)
                   if organisations else None)
        trusted = self._trusted
        if trusted is None or trusted.version != version:
            trusted = self._trusted = _Trust(
                version=version, organisation=organisations[0].id if organisations else None,
                limits=HubLimits.from_setting(setting))
        return trusted

    def _verified(self, uow: Any, trust: _Trust, data: bytes) -> tuple[HubBundle, Any]:
        """The bundle's index line and header, verified as a PC verifies it (signer known
        and allowed, manifest, every file) without decrypting it."""

        def signer_key(fp: str, header: dict[str, Any]) -> bytes:
            if header.get("kind") == "organisation":  # the agency's chain decides: not kept
                return self._sync.signer_key(uow, fp, header)
            # The sync rules (sync.trust.signer_key) on the keys read once for every bundle.
            if trust.keys is None:
                trust.keys = _KeptKeys(uow)
            return self._sync.signer_key(trust.keys.over(uow), fp, header)

        bundle = read_bundle(data, signer_key=signer_key, decrypt=False)
        org = bundle.header.get("organisation")
        if not isinstance(org, dict) or trust.organisation is None or \
                org.get("id") != trust.organisation:
            raise RefusedValue("bundle_other_unit", organisation=str(
                org.get("id") if isinstance(org, dict) else ""))
        line = HubBundle(bundle_id=bundle.bundle_id, kind=bundle.kind,
                         sender_id=bundle.sender_id, recipient_id=bundle.recipient_id,
                         seq=bundle.seq, header_sha256=bundle.header_sha256,
                         received_at=utc_now(), size=len(data))
        if line.recipient_id == EVERYONE and not _is_everyone_allowed(line):
            raise RefusedValue("hub_recipient_everyone", kind=line.kind, sender=line.sender_id)
        return line, bundle.header

    def _apply_organisation(self, data: bytes, header: dict[str, Any]) -> None:
        """Bring the hub's own data up to a newer organisation file (the lock is held): its
        people and keys, and the agency's quota. Tokens of keys it revokes or replaces die."""
        result = self._sync.import_bytes(data, source="hub")
        error = result.error
        if error is not None and error.code != "bundle_org_older":
            raise error
        if result.status == "imported":
            if HEADER_FIELD in header:
                try:
                    limits = HubLimits.from_json(header[HEADER_FIELD])
                except RefusedValue:
                    limits = None  # a signed but unusable quota: keep the one in force
                if limits is not None:
                    with self._db.unit_of_work() as uow:
                        uow.settings.set(SETTING, limits.to_setting())
            self._trusted = None
            self._drop_stale_tokens()

    def _store_all(self, items: list[_Item]) -> None:
        """Store verified bundles once, in one transaction of the store (one group of the
        group commit). Another hub process on the same database may store the same bundle
        at the same moment: whoever comes second finds it stored and reports "already", like
        any repeat. A member's bundles and bytes of the last 24 hours, with these, stay within
        the agency's quota (the agency itself is not counted; a repeat is not counted)."""
        with self._store.unit_of_work() as uow:
            if len(items) == 1:  # a bundle alone (the HTTP handler): no look-up first
                item = items[0]
                line = item.line
                usage = {} if line.sender_id == AGENCY else {
                    line.sender_id: uow.sync.hub_usage(line.sender_id, line.received_at - _DAY)}
                if not self._over(line, usage, item.limits) and \
                        uow.sync.hub_store_new(line, item.data):
                    item.outcome = ("stored", line)
                else:
                    item.outcome = self._not_stored(line, uow.sync.hub_find(line.bundle_id),
                                                    item.limits)
                return
            self._store_some(uow, _Seen(), items)

    def _store_some(self, uow: Any, seen: _Seen, items: list[_Item]) -> None:
        """Store several verified bundles in the store's transaction ``uow`` (one of its
        groups, or one of a stream's chunks): what is stored already, and the usage of the
        senders not seen before in this transaction, one query each; then the quota in
        order (a repeat is not counted), one insert."""
        known = seen.known
        known.update(uow.sync.hub_find_many(item.line.bundle_id for item in items))
        senders = {item.line.sender_id for item in items
                   if item.line.sender_id != AGENCY} - seen.asked
        if senders:
            since = min(item.line.received_at for item in items) - _DAY
            seen.usage.update(uow.sync.hub_usages(senders, since))
            seen.asked |= senders
        usage = seen.usage
        new: dict[str, _Item] = {}
        for item in items:
            line = item.line
            if line.bundle_id in known or line.bundle_id in new:
                continue
            if self._over(line, usage, item.limits):
                item.outcome = self._not_stored(line, None, item.limits)
                continue
            new[line.bundle_id] = item
            if line.sender_id != AGENCY:
                count, size = usage.get(line.sender_id, (0, 0))
                usage[line.sender_id] = (count + 1, size + line.size)
        stored = uow.sync.hub_store_new_many([(i.line, i.data) for i in new.values()])
        for item in new.values():
            if item.line.bundle_id in stored:
                item.outcome = ("stored", item.line)
                known[item.line.bundle_id] = item.line  # a repeat in a later piece: "already"
        late = [item.line.bundle_id for item in items if item.outcome is None]
        if late:  # repeats, and bundles another hub process stored meanwhile
            known.update(uow.sync.hub_find_many(late))
        for item in items:
            if item.outcome is None:
                item.outcome = self._not_stored(item.line, known.get(item.line.bundle_id),
                                                item.limits)

    @staticmethod
    def _over(line: HubBundle, usage: dict[str, tuple[int, int]], limits: HubLimits) -> bool:
        """Whether storing ``line`` would take its sender over the day's quota (the agency
        itself is not counted)."""
        if line.sender_id == AGENCY:
            return False
        count, size = usage.get(line.sender_id, (0, 0))
        return count + 1 > limits.bundles_per_day or size + line.size > limits.bytes_per_day

    @staticmethod
    def _not_stored(line: HubBundle, known: HubBundle | None, limits: HubLimits
                    ) -> tuple[str, HubBundle] | RefusedValue:
        """The outcome of a bundle not stored now: a repeat, another bundle under its id, or
        over its sender's quota."""
        if known is None:
            return RefusedValue("hub_quota_exceeded", sender=line.sender_id,
                                bundles=limits.bundles_per_day,
                                megabytes=limits.megabytes_per_day)
        if known.header_sha256 != line.header_sha256:
            return RefusedValue("bundle_id_conflict", bundle=line.bundle_id)
        return ("already", known)

    # ---------------------------------------------------------------- devices --------------

    def _purge(self, now: float) -> None:
        """Forget expired challenges and tokens (the auth lock is held): they sit at the
        front of their queues, so this looks only at what it removes, plus one."""
        while self._challenges:
            value, pending = next(iter(self._challenges.items()))
            if pending.expires > now:
                break
            self._forget_challenge(value)
        while self._tokens:
            token = next(iter(self._tokens.values()))
            if token.expires > now:
                break
            self._tokens.popitem(last=False)

    def _forget_challenge(self, value: str) -> _Challenge | None:
        pending = self._challenges.pop(value, None)
        if pending is not None:
            left = self._per_address.get(pending.address, 0) - 1
            if left > 0:
                self._per_address[pending.address] = left
            else:
                self._per_address.pop(pending.address, None)
        return pending

    def challenge(self, owner: str, address: str = "") -> str:
        """A random challenge for ``owner`` to sign, asked from ``address``.

        Raises:
            RefusedValue: ``hub_field_invalid`` for an owner that is no identifier;
                ``hub_busy`` when this address (or everyone together) holds too many
                unanswered challenges.
        """
        if not isinstance(owner, str) or not _OWNER.fullmatch(owner):
            raise RefusedValue("hub_field_invalid", field="owner")
        value = secrets.token_urlsafe(32)
        with self._auth:
            now = self._clock()
            self._purge(now)
            if self._per_address.get(address, 0) >= self.guards.challenges_per_address \
                    or len(self._challenges) >= self.guards.challenges_total:
                raise RefusedValue("hub_busy", seconds=int(self.guards.challenge_seconds))
            self._challenges[value] = _Challenge(owner, address,
                                                 now + self.guards.challenge_seconds)
            self._per_address[address] = self._per_address.get(address, 0) + 1
        return value

    def login(self, challenge: str, signature_b64: str) -> str:
        """A token for the owner of ``challenge`` when ``signature_b64`` signs it with that
        owner's current key.

        Raises:
            RefusedValue: ``hub_refused``; ``hub_field_invalid`` for fields of the wrong form.
        """
        if not isinstance(challenge, str) or not _SECRET.fullmatch(challenge):
            raise RefusedValue("hub_field_invalid", field="challenge")
        if not isinstance(signature_b64, str) or not 0 < len(signature_b64) <= 128:
            raise RefusedValue("hub_field_invalid", field="signature")
        with self._auth:
            now = self._clock()
            self._purge(now)
            pending = self._forget_challenge(challenge)
        if pending is None or pending.expires <= now:
            raise RefusedValue("hub_refused", detail="unknown or expired challenge")
        try:
            signature = base64.b64decode(signature_b64, validate=True)
        except ValueError:
            raise RefusedValue("hub_refused", detail="signature") from None
        signer = next((key for key in self._current_keys(pending.owner)
                       if verify(key, signature, challenge.encode())), None)
        if signer is None:
            raise RefusedValue("hub_refused", detail="signature")
        token = secrets.token_urlsafe(32)
        with self._auth:
            now = self._clock()
            self._purge(now)
            while len(self._tokens) >= self.guards.tokens_total:
                self._tokens.popitem(last=False)
            self._tokens[token] = _Token(pending.owner, fingerprint(signer),
                                         now + self.guards.token_seconds)
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

    def _drop_stale_tokens(self) -> None:
        """After an organisation file: forget every token whose key is no longer its
        owner's current key (revoked, or replaced by a re-enrolment)."""
        with self._auth:
            owners = {t.owner for t in self._tokens.values()}
        current = {owner: {fingerprint(k) for k in self._current_keys(owner)}
                   for owner in owners}
        with self._auth:
            for token, held in list(self._tokens.items()):
                if held.key not in current.get(held.owner, set()):
                    del self._tokens[token]

    def owner_of(self, token: str) -> str:
        """Whose token it is.

        Raises:
            RefusedValue: ``hub_refused`` for an unknown or expired token.
        """
        if not isinstance(token, str) or not _SECRET.fullmatch(token):
            raise RefusedValue("hub_refused", detail="please log in again")
        with self._auth:
            now = self._clock()
            self._purge(now)
            held = self._tokens.get(token)
        if held is None or held.expires <= now:
            raise RefusedValue("hub_refused", detail="please log in again")
        return held.owner

    def outstanding(self) -> tuple[int, int]:
        """Challenges and tokens held now (after dropping the expired ones)."""
        with self._auth:
            self._purge(self._clock())
            return len(self._challenges), len(self._tokens)

    def inbox(self, token: str) -> list[HubBundle]:
        """What is addressed to the token's owner, and every organisation file of the agency
        (a bundle to everyone from anyone else, stored before the hub refused them, is not
        handed out)."""
        owner = self.owner_of(token)
        with self._store.unit_of_work(read_only=True) as uow:
            lines = uow.sync.hub_inbox([owner, EVERYONE])
        return [line for line in lines
                if line.recipient_id != EVERYONE or _is_everyone_allowed(line)]

    def content(self, token: str, bundle_id: str) -> bytes:
        """The bytes of one bundle addressed to the token's owner (or to everyone)."""
        owner = self.owner_of(token)
        if not isinstance(bundle_id, str) or not _BUNDLE_ID.fullmatch(bundle_id):
            raise RefusedValue("hub_refused", detail="no such bundle for you")
        with self._store.unit_of_work(read_only=True) as uow:
            line = uow.sync.hub_find(bundle_id)
            if line is None or not (line.recipient_id == owner or (
                    line.recipient_id == EVERYONE and _is_everyone_allowed(line))):
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
