"""Sequence numbers are read: a second, different bundle with a number already received from
the same sender (a cloned PC, or one restored from an old backup that goes on signing) is held
and shown by name until someone decides; a gap is reported; a PC restored from an old backup
learns its last number from the receipts it gets before it sends again."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kpi_desktop.app import main

from .helpers import LEADER, OFFICIAL, PASSPHRASES, World, log_week, opened, state

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _export(folder: Path, owner: str, usb: Path) -> dict[str, Path]:
    with opened(folder, owner) as pc:
        return {r.recipient_id: r.path for r in pc.sync.export(owner, usb)}


def _work(folder: Path, usb: Path, days: int = 1) -> Path:
    with opened(folder, OFFICIAL) as pc:
        log_week(pc, days=days)
    return _export(folder, OFFICIAL, usb)[LEADER]


def test_a_cloned_pc_is_held_and_named_until_someone_decides(world: World, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    first = _work(world.official, world.usb / "1")
    clone = tmp_path / "clone"
    shutil.copytree(world.official, clone)  # the same PC, copied: same key, same numbers
    genuine = _work(world.official, world.usb / "2")
    copied = _work(clone, world.usb / "3")
    assert genuine.name == copied.name  # both are number 2
    with opened(world.leader, LEADER) as pc:
        results = pc.sync.import_paths([first, genuine])
        assert [r.status for r in results] == ["imported", "imported"]
    before = state(world.leader)
    with opened(world.leader, LEADER) as pc:
        held = pc.sync.import_bytes(copied.read_bytes(), source=str(copied))
        line = pc.sync.describe_result(held)
        listed = pc.sync.held_bundles()
        with pc.db.unit_of_work(read_only=True) as uow:
            name = uow.org.get_person(OFFICIAL).full_name
    assert held.status == "held" and not held.ok
    assert held.error is not None and held.error.code == "bundle_sequence_reused"
    assert f"{name} already sent a different bundle with number 2" in line
    assert [h.bundle_id for h in listed] == [held.bundle_id]
    assert state(world.leader) == before  # held, not applied
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_bytes(copied.read_bytes()).status == "held"  # again: held
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES[LEADER])
    code = main(["--data-dir", str(world.leader), "--lang", "en", "sync", "status"])
    out = capsys.readouterr().out
    assert code == 0 and f"Held: bundle {held.bundle_id} from {name}, number 2" in out
    # Someone checked with the official: release applies it (its entry was genuine work).
    code = main(["--data-dir", str(world.leader), "--lang", "en", "sync", "release",
                 held.bundle_id, "--as", LEADER])
    assert code == 0, capsys.readouterr().err
    with opened(world.leader) as pc:
        assert pc.sync.held_bundles() == []
        with pc.db.unit_of_work(read_only=True) as uow:
            assert len(uow.worklog.list_for_person(OFFICIAL, *YEAR)) == 3


def test_a_held_bundle_can_be_discarded(world: World, tmp_path: Path) -> None:
    _work(world.official, world.usb / "1")
    clone = tmp_path / "clone"
    shutil.copytree(world.official, clone)
    genuine = _work(world.official, world.usb / "2")
    copied = _work(clone, world.usb / "3")
    with opened(world.leader, LEADER) as pc:
        pc.sync.import_paths([genuine])
        held = pc.sync.import_bytes(copied.read_bytes())
        pc.sync.discard_held(held.bundle_id, LEADER)
        assert pc.sync.held_bundles() == []
        with pc.db.unit_of_work(read_only=True) as uow:
            assert len(uow.worklog.list_for_person(OFFICIAL, *YEAR)) == 2
            [event] = uow.audit.list_events(action="sync.held_discard")
        assert event.actor_id == LEADER


def test_a_missing_number_is_reported_by_name(world: World) -> None:
    first = _work(world.official, world.usb / "1")
    _lost = _work(world.official, world.usb / "2")
    third = _work(world.official, world.usb / "3")
    with opened(world.leader, LEADER) as pc:
        [one, three] = pc.sync.import_paths([first, third])
        line = pc.sync.describe_result(three)
        gaps = pc.sync.gaps()
        with pc.db.unit_of_work(read_only=True) as uow:
            name = uow.org.get_person(OFFICIAL).full_name
    assert one.notices == ()
    assert f"1 bundle from {name} has not arrived" in line
    assert [(g.sender_id, g.missing) for g in gaps] == [(OFFICIAL, (2,))]
    with opened(world.leader, LEADER) as pc:  # it arrives after all: no gap any more
        assert pc.sync.import_paths([_lost])[0].status == "imported"
        assert pc.sync.gaps() == []


def test_a_restored_pc_learns_its_last_number_before_sending_again(world: World,
                                                                   tmp_path: Path) -> None:
    _work(world.official, world.usb / "0")
    backup = tmp_path / "backup"
    shutil.copytree(world.official, backup)  # the official's PC as backed up
    sent = [_work(world.official, world.usb / f"{n}") for n in (1, 2)]
    with opened(world.leader, LEADER) as pc:
        assert all(r.ok for r in pc.sync.import_paths(sent))
    back = _export(world.leader, LEADER, world.usb / "back")[OFFICIAL]
    # The PC dies; the official restores the old backup and imports what the leader sent.
    shutil.rmtree(world.official)
    shutil.copytree(backup, world.official)
    with opened(world.official, OFFICIAL) as pc:
        assert pc.sync.import_paths([back])[0].status == "imported"
    again = _work(world.official, world.usb / "again")
    assert again.name.endswith("_000004.kpib")  # not 2 again: the receipt said 3 arrived
    with opened(world.leader, LEADER) as pc:
        result = pc.sync.import_paths([again])[0]
    assert result.status == "imported" and result.seq == 4
