"""The hub's ingest (issue 18): the organisation and the signers' keys kept between bundles
(and dropped as soon as the hub's organisation changes), no look-up before the insert, one
store transaction for a batch of bundles."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import event

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.hub import _STORE_AHEAD, HubService
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


# -- a long batch: stored a few at a time while the next are verified, in one transaction --

def _codes(outcomes: list) -> list[str]:
    return [o[0] if isinstance(o, tuple) else o.code for o in outcomes]


def test_a_long_batch_is_stored_while_it_is_verified_in_one_transaction(world: World) -> None:
    """More bundles than are handed to the store at once: the store works on the first ones
    while the next are verified, still in one transaction, with a repeat across the pieces
    answered "already" and a damaged bundle refused in its place."""
    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(3 * _STORE_AHEAD + 7)]
    batch = [*bundles[:5], b"not a bundle", *bundles[5:], bundles[1], bundles[-1]]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        seen = _statements(pc.db)
        outcomes = hub.receive_many(batch)
        codes = _codes(outcomes)
        assert codes[:5] == ["stored"] * 5 and codes[5].startswith("bundle_")
        assert codes[6:-2] == ["stored"] * (len(bundles) - 5)
        assert codes[-2:] == ["already", "already"]
        assert outcomes[-2][1] == outcomes[1][1] and outcomes[-1][1] == outcomes[-3][1]
        assert seen.count("COMMIT") == 1, seen
        assert 2 <= seen.count("INSERT") <= 5, seen  # a few pieces, not one a bundle
        with pc.db.unit_of_work(read_only=True) as uow:
            found = uow.sync.hub_find_many(o[1].bundle_id for o in outcomes
                                           if isinstance(o, tuple))
        assert len(found) == len(bundles)
        assert hub.receive(bundles[7])[0] == "already"
        assert hub.receive(craft(key, {}))[0] == "stored"


def test_the_quota_runs_across_the_pieces_of_a_long_batch(world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        assert hub.receive(craft(key, {}))[0] == "stored"
        limit = 2 * _STORE_AHEAD + 3
        with pc.db.unit_of_work() as uow:
            uow.settings.set(SETTING, HubLimits(bundles_per_day=limit,
                                                megabytes_per_day=10).to_setting())
        fresh = [craft(key, {}) for _ in range(3 * _STORE_AHEAD)]
        # A repeat of the first piece's bundle in a later piece is not counted again.
        outcomes = hub.receive_many([*fresh[:_STORE_AHEAD + 1], fresh[0], *fresh[
            _STORE_AHEAD + 1:]])
        assert _codes(outcomes) == ["stored"] * _STORE_AHEAD + ["stored", "already"] + [
            "stored"] * (limit - _STORE_AHEAD - 2) + ["hub_quota_exceeded"] * (
            3 * _STORE_AHEAD - limit + 1)


def test_an_organisation_file_inside_a_long_batch_applies_to_what_follows(
        world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    with opened(world.agency, "agency") as agency:
        agency.keys.revoke(key.fingerprint)
        revoking = agency.sync.publish_organisation(world.usb).path.read_bytes()
    before = [craft(key, {}) for _ in range(_STORE_AHEAD + 4)]
    after = [craft(key, {}) for _ in range(_STORE_AHEAD + 4)]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        codes = _codes(hub.receive_many([*before, revoking, *after]))
    assert codes == ["stored"] * len(before) + ["stored"] + [
        "bundle_signer_revoked"] * len(after)


def test_a_failing_store_stores_nothing_of_a_long_batch_and_the_hub_goes_on(
        world: World) -> None:
    """The database fails on the second piece: the whole batch is rolled back, every
    bundle's call gets the error (none is reported stored), and the store is free again."""
    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(2 * _STORE_AHEAD + 5)]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        original = type(hub)._store_some
        calls: list[int] = []

        def failing(self: HubService, uow: object, seen: object, items: list) -> None:
            calls.append(len(items))
            original(self, uow, seen, items)
            if len(calls) == 2:
                raise OSError("disk I/O error")

        hub._store_some = failing.__get__(hub)  # type: ignore[method-assign]
        with pytest.raises(OSError, match="disk I/O"):
            hub.receive_many(bundles)
        assert len(calls) >= 2
        del hub._store_some
        # Nothing of the failed batch was kept: every bundle is new to the hub.
        assert _codes(hub.receive_many(bundles)) == ["stored"] * len(bundles)


def test_uploads_during_a_long_batch_wait_for_it_and_are_stored(world: World) -> None:
    """An HTTP upload arriving while a long batch holds the store is stored after it."""
    import threading

    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(2 * _STORE_AHEAD + 5)]
    single = craft(key, {})
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        original = type(hub)._store_some
        started = threading.Event()
        release = threading.Event()

        def slow(self: HubService, uow: object, seen: object, items: list) -> None:
            started.set()
            release.wait(10)
            original(self, uow, seen, items)

        hub._store_some = slow.__get__(hub)  # type: ignore[method-assign]
        result: dict[str, object] = {}
        batch = threading.Thread(target=lambda: result.update(batch=hub.receive_many(bundles)))
        batch.start()
        assert started.wait(10)
        upload = threading.Thread(target=lambda: result.update(single=hub.receive(single)))
        upload.start()
        upload.join(0.3)
        assert upload.is_alive()  # waits for the batch's transaction
        release.set()
        batch.join(30)
        upload.join(30)
        assert _codes(result["batch"]) == ["stored"] * len(bundles)  # type: ignore[arg-type]
        assert result["single"][0] == "stored"  # type: ignore[index]


def test_a_long_batch_on_postgresql(pg_url: str, world: World) -> None:  # noqa: F811
    from kpi_desktop.storage.server_database import open_database_url

    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(2 * _STORE_AHEAD + 5)]
    store = open_database_url(pg_url)
    try:
        with opened(folder) as pc:
            hub = HubService(pc.db, pc.sync, store)
            seen = _statements(store)
            assert _codes(hub.receive_many([*bundles, bundles[0]])) == [
                "stored"] * len(bundles) + ["already"]
            assert seen.count("COMMIT") == 1, seen
    finally:
        store.close()
    assert _rows(pg_url, "SELECT count(*) FROM hub_bundles") == [(len(bundles),)]


def test_a_failing_commit_of_a_long_batch_is_every_bundles_error(world: World) -> None:
    """The commit itself fails (after the last piece): every bundle of the batch gets the
    error, nothing is kept, and the hub goes on."""
    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(_STORE_AHEAD + 5)]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)

        def refuse(_connection: object) -> None:
            raise OSError("disk full at commit")

        event.listen(pc.db.engine, "commit", refuse)
        try:
            with pytest.raises(OSError, match="disk full"):
                hub.receive_many(bundles)
        finally:
            event.remove(pc.db.engine, "commit", refuse)
        assert _codes(hub.receive_many(bundles)) == ["stored"] * len(bundles)


def test_a_long_batch_whose_verification_fails_keeps_nothing(world: World) -> None:
    """An unexpected error while the batch is verified (the pieces before it already handed
    to the store): the error reaches the caller and nothing of the batch is kept."""
    folder = _hub_folder(world)
    key = _key(world)
    bundles = [craft(key, {}) for _ in range(2 * _STORE_AHEAD + 5)]
    with opened(folder) as pc:
        hub = HubService(pc.db, pc.sync)
        original = type(hub)._verified
        seen: list[int] = []

        def failing(self: HubService, uow: object, trust: object, data: bytes) -> object:
            seen.append(1)
            if len(seen) == _STORE_AHEAD + 3:
                raise RuntimeError("the data folder went away")
            return original(self, uow, trust, data)

        hub._verified = failing.__get__(hub)  # type: ignore[method-assign]
        with pytest.raises(RuntimeError, match="went away"):
            hub.receive_many(bundles)
        del hub._verified
        assert _codes(hub.receive_many(bundles)) == ["stored"] * len(bundles)
