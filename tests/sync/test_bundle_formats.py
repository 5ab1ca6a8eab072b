"""Which format each peer gets: a PC deflates the data files of the encrypted bundles it
sends to a peer whose newest bundle said it reads format 2, and writes the first format for
anyone else (issue 18: bundles ~6× smaller over slow lines and on sticks)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from kpi_desktop.domain.model import EntryStatus, StatementKind
from kpi_desktop.sync import bundle as bundle_module

from .helpers import LEADER, OFFICIAL, World, log_week, opened, review, state


def _header(path: Path) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("header.json"))


def _exported(world: World, folder: Path, owner: str) -> dict[str, Path]:
    with opened(folder, owner) as pc:
        return {w.recipient_id: w.path for w in pc.sync.export(owner, world.usb)}


def test_each_peer_gets_the_format_it_said_it_reads(world: World) -> None:
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc)
    first = _exported(world, world.official, OFFICIAL)
    # The official heard from the agency (its organisation files): deflated for the agency;
    # never from the leader: the first format, which every version reads.
    assert _header(world.usb / first["agency"].name)["format_version"] == "2.0"
    assert _header(world.usb / first[LEADER].name)["format_version"] == "1.0"
    assert "deflated" not in _header(world.usb / first[LEADER].name)["encryption"]
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([world.usb / first[LEADER].name])[0].status == "imported"
        for entry_id in ids:
            review(pc, LEADER, entry_id, StatementKind.CONFIRM)
    answer = _exported(world, world.leader, LEADER)
    assert _header(world.usb / answer[OFFICIAL].name)["format_version"] == "2.0"
    assert _header(world.usb / answer["agency"].name)["format_version"] == "2.0"
    with opened(world.official, OFFICIAL) as pc:
        result = pc.sync.import_paths([world.usb / answer[OFFICIAL].name])[0]
        assert result.status == "imported", result.error
        with pc.db.unit_of_work(read_only=True) as uow:
            assert {uow.worklog.get(i).status for i in ids} == {EntryStatus.CONFIRMED}
        log_week(pc, days=1)
    again = _exported(world, world.official, OFFICIAL)
    assert _header(world.usb / again[LEADER].name)["format_version"] == "2.0"
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([world.usb / again[LEADER].name])[0].status == "imported"
    with opened(world.agency, "agency") as pc:
        results = pc.sync.import_paths([world.usb])
        assert all(r.ok for r in results), [pc.sync.describe_result(r) for r in results]
    assert set(state(world.leader)) <= set(state(world.agency))


def test_a_peer_back_on_an_older_version_gets_the_first_format_again(
        world: World, monkeypatch) -> None:
    """The newest bundle from a peer decides: one from a version that does not say what it
    reads (before format 2) brings the peer back to the first format."""
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc, days=2)
    first = _exported(world, world.official, OFFICIAL)
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([world.usb / first[LEADER].name])
        review(pc, LEADER, ids[0], StatementKind.CONFIRM)
    newer = _exported(world, world.leader, LEADER)
    with opened(world.official, OFFICIAL) as pc:
        pc.sync.import_paths([world.usb / newer[OFFICIAL].name])
        log_week(pc, days=3)
    assert _header(world.usb / _exported(world, world.official, OFFICIAL)[LEADER].name)[
        "format_version"] == "2.0"
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([world.usb])
        review(pc, LEADER, ids[1], StatementKind.CONFIRM)
    monkeypatch.setattr(bundle_module, "READS", None)  # the leader's PC on an older version
    older = _exported(world, world.leader, LEADER)
    monkeypatch.undo()
    with opened(world.official, OFFICIAL) as pc:
        assert pc.sync.import_paths([world.usb / older[OFFICIAL].name])[0].status == "imported"
        log_week(pc, days=5)
    assert _header(world.usb / _exported(world, world.official, OFFICIAL)[LEADER].name)[
        "format_version"] == "1.0"
