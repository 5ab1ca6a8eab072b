"""The whole round trip through a real hub process on 127.0.0.1, plus the hub's refusals."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import EntryStatus, StatementKind
from kpi_desktop.services.hub_client import HubClient, sync_now
from kpi_desktop.sync import keys as crypto

from .helpers import LEADER, OFFICIAL, World, craft, log_week, opened, review, state

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def hub_world(world_master: World, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The three PCs for this module's tests (they share one hub)."""
    return world_master.copy_to(tmp_path_factory.mktemp("hub") / "world")


@pytest.fixture(scope="module")
def hub(hub_world: World) -> Iterator[str]:
    """A hub process serving a data folder set up from the agency's organisation file."""
    world = hub_world
    folder = world.root / "hub"
    with opened(folder) as pc:
        results = pc.sync.import_paths([world.usb / "KPI_organisation_NL_v0002.kpib"])
        assert results[0].status == "imported"
    port = _free_port()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder), "--lang", "en",
         "hub", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=1) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise AssertionError(f"the hub did not start:\n{output}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_round_trip_through_the_hub(hub_world: World, hub: str) -> None:
    world = hub_world
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc)
        assert sync_now(pc, hub, OFFICIAL).sent == 2  # to the leader and to the agency
        assert not list((world.official / "outbox").iterdir())
    with opened(world.leader, LEADER) as pc:
        outcome = sync_now(pc, hub, LEADER)
        imported = [r for r in outcome.received if r.status == "imported"]
        assert [r.kind for r in imported] == ["work"] and imported[0].counts["revisions"] == 5
        for entry_id in ids[:4]:
            review(pc, LEADER, entry_id, StatementKind.CONFIRM)
        review(pc, LEADER, ids[4], StatementKind.RETURN, "Thiếu số văn bản")
        sync_now(pc, hub, LEADER)
    with opened(world.official, OFFICIAL) as pc:
        sync_now(pc, hub, OFFICIAL)
        with pc.db.unit_of_work(read_only=True) as uow:
            statuses = [uow.worklog.get(i).status for i in ids]
        assert statuses == [EntryStatus.CONFIRMED] * 4 + [EntryStatus.RETURNED]
    with opened(world.agency, "agency") as pc:
        outcome = sync_now(pc, hub, "agency")
        assert {r.kind for r in outcome.received if r.status == "imported"} >= {"work",
                                                                                  "review"}
        assert outcome.sent >= 1  # receipts back to the official and the leader
    with opened(world.official, OFFICIAL) as pc:
        sync_now(pc, hub, OFFICIAL)
        assert pc.sync.outbox_count(OFFICIAL) == 0  # the agency acknowledged everything
    assert set(state(world.leader)) <= set(state(world.agency))
    ours = [line for line in state(world.official) if any(i in line for i in ids)]
    assert ours and set(ours) <= set(state(world.agency))


def test_the_hub_refuses_bad_bundles_and_unknown_keys(hub: str) -> None:
    client = HubClient(hub)
    stranger = crypto.generate_key()
    with pytest.raises(RefusedValue) as refused:
        client.upload(craft(stranger, {}))
    assert refused.value.code == "hub_refused"
    assert "does not know" in refused.value.params["detail"]
    with pytest.raises(RefusedValue) as refused:
        client.upload(b"PK\x03\x04 not a zip")
    assert refused.value.code == "hub_refused"
    with pytest.raises(RefusedValue) as refused:
        client.login(OFFICIAL, stranger.sign)  # not the official's key
    assert refused.value.code == "hub_refused"
    with pytest.raises(RefusedValue) as refused:
        client.inbox()
    assert refused.value.code == "hub_refused"
    with pytest.raises(RefusedValue) as refused:
        HubClient("http://127.0.0.1:9").inbox()
    assert refused.value.code == "hub_unreachable"
