"""The hub's ingest (issue 18): the organisation and the signers' keys kept between bundles
(and dropped as soon as the hub's organisation changes), no look-up before the insert, one
store transaction for a batch of bundles."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import event

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.hub import HubService
from kpi_desktop.services.hub_limits import SETTING, HubLimits
from kpi_desktop.sync import keys as crypto

from .helpers import LEADER, OFFICIAL, World, craft, opened
from .test_hub_postgres import _rows, pg_server, pg_url  # noqa: F401 - PostgreSQL fixtures


def _hub_folder(world: World) -> Path:
    folder = world.root / "hub"
    with opened(folder) as pc:
        results = pc.sync.import_paths([world.usb / "KPI_organisation_NL_v0002.kpib"])
        assert results[0].status == "imported"
    return folder


def _key(world: World, owner: str = OFFICIAL) -> crypto.KeyPair:
    with opened(world.official if owner == OFFICIAL else world.leader, owner) as pc:
        return pc.keys.require(owner)


def _statements(db: object) -> list[str]:
    """The first word of every statement run on ``db`` from now on, and "COMMIT" for every
    commit."""
    seen: list[str] = []
    engine = db.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: seen.append(statement.split()[0].upper()))
    event.listen(engine, "commit", lambda _c: seen.append("COMMIT"))
    return seen


def test_a_batch_is_verified_and_stored_in_one_transaction(world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(5)]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        seen = _statements(pc.db)
        outcomes = hub.receive_many([*bundles, b"not a bundle", bundles[0]])
        assert [o[0] for o in outcomes[:5]] == ["stored"] * 5
        assert isinstance(outcomes[5], RefusedValue) and outcomes[5].code.startswith("bundle_")
        assert outcomes[6][0] == "already"  # the same bundle twice in one batch
        # One transaction of the store: what is stored already, the sender's usage, one
        # insert of the five, the repeat's look-up; a number of statements that does not
        # grow with the batch.
        assert seen.count("COMMIT") == 1 and seen.count("INSERT") == 1, seen
        assert len([s for s in seen if s != "BEGIN"]) <= 9, seen
        seen.clear()
        assert hub.receive(craft(key, {}))[0] == "stored"
        # A bundle alone: the organisation and quota setting read (kept keys), the sender's
        # usage, the insert — and no look-up of the bundle first.
        assert seen.count("SELECT") <= 3 and seen.count("INSERT") == 1, seen
        assert hub.receive(bundles[1])[0] == "already"


def test_kept_keys_follow_the_organisation(world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        assert hub.receive(craft(key, {}))[0] == "stored"  # the official's key is now kept
        with opened(world.agency, "agency") as agency:
            agency.keys.revoke(key.fingerprint)
            revoking = agency.sync.publish_organisation(world.usb).path.read_bytes()
        # The organisation file and a bundle signed with the revoked key, in one batch.
        outcomes = hub.receive_many([revoking, craft(key, {})])
        assert outcomes[0][0] == "stored"
        assert isinstance(outcomes[1], RefusedValue)
        assert outcomes[1].code == "bundle_signer_revoked"
        with pytest.raises(RefusedValue) as refused:
            hub.receive(craft(key, {}))
        assert refused.value.code == "bundle_signer_revoked"
        leader = _key(world, LEADER)
        assert hub.receive(craft(leader, {}, header={
            "sender": {"id": LEADER, "key": leader.fingerprint},
            "recipient": {"id": OFFICIAL},
            "organisation": {"id": "nghia-lam", "version": 3}}))[0] == "stored"


def test_the_quota_counts_the_bundles_of_the_batch(world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        assert hub.receive(craft(key, {}))[0] == "stored"  # the quota setting is now kept
        with pc.db.unit_of_work() as uow:  # set on the hub's data folder: seen at once
            uow.settings.set(SETTING, HubLimits(bundles_per_day=3,
                                                megabytes_per_day=10).to_setting())
        outcomes = hub.receive_many([craft(key, {}) for _ in range(3)])
        assert [o[0] if isinstance(o, tuple) else o.code for o in outcomes] == [
            "stored", "stored", "hub_quota_exceeded"]


def test_a_batch_on_postgresql(pg_url: str, world: World) -> None:  # noqa: F811
    """The same on the PostgreSQL store (the driver's own batched insert)."""
    from kpi_desktop.storage.server_database import open_database_url

    folder = _hub_folder(world)
    key = _key(world)
    payloads = [b"x" * n for n in range(1, 6)]
    bundles = [craft(key, {f"files/{hashlib.sha256(p).hexdigest()}": p}) for p in payloads]
    store = open_database_url(pg_url)
    try:
        with opened(folder) as pc:
            hub = HubService(pc.db, pc.sync, store)
            assert hub.receive(bundles[0])[0] == "stored"
            outcomes = hub.receive_many([*bundles, b"not a bundle", bundles[2]])
            assert [o[0] if isinstance(o, tuple) else o.code[:7] for o in outcomes] == [
                "already", "stored", "stored", "stored", "stored", "bundle_", "already"]
            with store.unit_of_work(read_only=True) as uow:
                stored = uow.sync.hub_find_many(o[1].bundle_id for o in outcomes
                                                if isinstance(o, tuple))
                assert uow.sync.hub_content(outcomes[1][1].bundle_id) == bundles[1]
            assert len(stored) == 5
            assert all(line.received_at.tzinfo is not None for line in stored.values())
    finally:
        store.close()
    assert _rows(pg_url, "SELECT count(*) FROM hub_bundles") == [(5,)]


def test_concurrent_uploads_share_a_transaction(world: World) -> None:
    """Bundles that arrive while another one is being stored are stored together next
    (group commit); each caller gets its own outcome."""
    import threading
    import time

    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(8)]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        groups: list[int] = []
        original = hub._commit._store

        def slow_store(items: list) -> None:
            groups.append(len(items))
            if len(groups) == 1:
                time.sleep(0.5)  # the first transaction is slow: the others queue up
            original(items)

        hub._commit._store = slow_store
        outcomes: dict[int, object] = {}

        def upload(number: int) -> None:
            try:
                outcomes[number] = hub.receive(bundles[number])[0]
            except Exception as error:  # noqa: BLE001 - reported by the assertion
                outcomes[number] = error

        first = threading.Thread(target=upload, args=(0,))
        first.start()
        while not groups:
            time.sleep(0.01)
        others = [threading.Thread(target=upload, args=(n,)) for n in range(1, 8)]
        for thread in others:
            thread.start()
        for thread in [first, *others]:
            thread.join(30)
        assert outcomes == dict.fromkeys(range(8), "stored")
        assert groups[0] == 1 and sum(groups) == 8 and len(groups) < 8, groups
        assert hub.receive(bundles[3])[0] == "already"


def test_bundles_are_stored_uncompressed_on_postgresql(pg_url: str) -> None:  # noqa: F811
    """Encrypted bundles do not compress: the store does not try (migration 0017)."""
    from sqlalchemy import text

    from kpi_desktop.storage.server_database import open_database_url

    store = open_database_url(pg_url)
    try:
        with store.engine.connect() as connection:
            storage = connection.execute(text(
                "SELECT attstorage FROM pg_attribute WHERE attrelid = 'hub_bundles'::regclass "
                "AND attname = 'content'")).scalar_one()
    finally:
        store.close()
    assert storage == "e"  # EXTERNAL: out of line, never compressed
