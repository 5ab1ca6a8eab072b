"""Two hubs on one PostgreSQL database receive the same bundle at the same moment: one stores
it, the other reports it as already there (not a "duplicate record" error)."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.services.hub import HubService
from kpi_desktop.storage.repositories.sync import SyncRepository
from kpi_desktop.storage.server_database import open_database_url

from .helpers import LEADER, OFFICIAL, World, log_week, opened
from .test_hub_postgres import _rows, pg_server, pg_url  # noqa: F401 - PostgreSQL fixtures


def test_two_hubs_receiving_the_same_bundle_at_once(pg_url: str, world: World,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folders = [world.root / "hub-a", world.root / "hub-b"]
    for folder in folders:
        with opened(folder) as pc:
            results = pc.sync.import_paths([world.usb / "KPI_organisation_NL_v0002.kpib"])
            assert results[0].status == "imported"
    with opened(world.official, OFFICIAL) as pc:
        log_week(pc, days=2)
        sent = {r.recipient_id: r.path for r in pc.sync.export(OFFICIAL, world.usb)}
    data = Path(sent[LEADER]).read_bytes()

    # Both hubs have verified the bundle and checked the quota, and insert it at the same
    # moment: the race, made certain (the database's unique key decides who stores it).
    barrier = threading.Barrier(2, timeout=20)
    original = SyncRepository.hub_store_new

    def wait_then_store(self: SyncRepository, bundle: Any, content: bytes) -> bool:
        barrier.wait()
        return original(self, bundle, content)

    monkeypatch.setattr(SyncRepository, "hub_store_new", wait_then_store)
    outcomes: dict[str, object] = {}
    with ExitStack() as stack:
        hubs = []
        for folder in folders:
            pc = stack.enter_context(opened(folder))
            store = open_database_url(pg_url)
            stack.callback(store.close)
            hubs.append(HubService(pc.db, pc.sync, store))

        def receive(name: str, hub: HubService) -> None:
            try:
                outcomes[name] = hub.receive(data)[0]
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcomes[name] = error

        threads = [threading.Thread(target=receive, args=(n, h))
                   for n, h in zip("ab", hubs, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(map(str, outcomes.values())) == ["already", "stored"], outcomes
    assert _rows(pg_url, "SELECT count(*) FROM hub_bundles") == [(1,)]
