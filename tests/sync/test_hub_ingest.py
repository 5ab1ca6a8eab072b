"""The hub's ingest (issue 18): the organisation and the signers' keys kept between bundles
(and dropped as soon as the hub's organisation changes), no look-up before the insert, one
store transaction for a batch of bundles."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.hub import HubService
from kpi_desktop.services.hub_limits import SETTING, HubLimits
from kpi_desktop.sync import keys as crypto

from .helpers import LEADER, OFFICIAL, World, craft, opened


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
        # One write transaction for the store: one BEGIN IMMEDIATE … COMMIT of inserts.
        writes = [s for s in seen if s in ("INSERT", "COMMIT")]
        assert writes.count("COMMIT") == 1 and writes.count("INSERT") == 6
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
