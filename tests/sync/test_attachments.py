"""Durable attachments: files are written and fsynced before the commit that references them;
an import killed (SIGKILL) at any step leaves, after a restart and a re-import, every
attachment present; the same bundle again rewrites a file lost since; a revision is
acknowledged in a receipt only once its attachment is here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kpi_desktop.domain.model import utc_now

from .helpers import LEADER, OFFICIAL, PASSPHRASES, TODAY, World, opened

SCAN = "Quyết định số 12/QĐ-UBND về việc giao chỉ tiêu".encode() * 200
SHA = hashlib.sha256(SCAN).hexdigest()
STEPS = ("import-verified", "import-applied", "import-files-written", "import-committed")


def _attached_entry(world: World, *, with_file: bool = True) -> str:
    """The official submits an entry with a scanned document (kept by its hash)."""
    with opened(world.official, OFFICIAL) as pc:
        with pc.db.unit_of_work(read_only=True) as uow:
            code = uow.catalog.allowed_items(OFFICIAL)[0].code
        draft = pc.worklog.add_entry(person_id=OFFICIAL, work_date=TODAY - dt.timedelta(days=3),
                                     item_code=code, quantity=Decimal(1))
        if with_file:
            folder = world.official / "files" / SHA[:2]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / SHA).write_bytes(SCAN)
        with pc.db.unit_of_work() as uow:
            uow.worklog.update_draft(dataclasses.replace(draft, attachment_sha256=SHA,
                                                         attachment_name="qd12.pdf"))
            uow.worklog.submit(draft.id, author_id=OFFICIAL, at=utc_now())
        return draft.id


def _export(world: World, usb: Path) -> Path:
    with opened(world.official, OFFICIAL) as pc:
        return next(r.path for r in pc.sync.export(OFFICIAL, usb) if r.recipient_id == LEADER)


def _cli_import(folder: Path, bundle: Path, crash_at: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KPI_DESKTOP_PASSPHRASE": PASSPHRASES[LEADER],
           "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KPI_DESKTOP_CRASH_AT", None)
    if crash_at:
        env["KPI_DESKTOP_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder),
                           "--lang", "en", "import", str(bundle), "--as", LEADER],
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def _attachment(folder: Path) -> Path:
    return folder / "files" / SHA[:2] / SHA


@pytest.mark.parametrize("step", STEPS)
def test_an_import_killed_at_any_step_ends_with_every_attachment(world: World,
                                                                  step: str) -> None:
    _attached_entry(world)
    bundle = _export(world, world.usb)
    killed = _cli_import(world.leader, bundle, step)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    committed = step == "import-committed"
    with opened(world.leader) as pc, pc.db.unit_of_work(read_only=True) as uow:
        entries = uow.worklog.list_for_person(OFFICIAL, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert len(entries) == (1 if committed else 0)  # all or nothing
    if step in ("import-files-written", "import-committed"):
        assert _attachment(world.leader).read_bytes() == SCAN  # on disk before the commit
    again = _cli_import(world.leader, bundle, None)  # restart, import the same file again
    assert again.returncode == 0, again.stderr
    # the import's summary (issue 16 item 4): "1 bundle was imported before."
    assert ("imported before" in again.stdout) == committed
    assert _attachment(world.leader).read_bytes() == SCAN
    with opened(world.leader) as pc, pc.db.unit_of_work(read_only=True) as uow:
        [entry] = uow.worklog.list_for_person(OFFICIAL, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert entry.attachment_sha256 == SHA


def test_the_same_bundle_again_rewrites_an_attachment_lost_since(world: World) -> None:
    _attached_entry(world)
    bundle = _export(world, world.usb)
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([bundle])[0].status == "imported"
    _attachment(world.leader).unlink()  # a crash of the disk, a careless hand
    with opened(world.leader, LEADER) as pc:
        assert pc.sync.import_paths([bundle])[0].status == "already"
    assert _attachment(world.leader).read_bytes() == SCAN


def test_a_revision_is_acknowledged_only_when_its_attachment_is_here(world: World) -> None:
    entry_id = _attached_entry(world, with_file=False)  # the sender lost the file itself
    first = _export(world, world.usb / "1")
    with opened(world.leader, LEADER) as pc:
        [result] = pc.sync.import_paths([first])
        assert result.status == "imported" and result.counts["awaiting_files"] == 1
        back = {r.recipient_id: r for r in pc.sync.export(LEADER, world.usb / "b")}
    assert OFFICIAL not in back or back[OFFICIAL].counts["acks"] == 0
    # The file turns up on the official's PC; the revision goes again, with it.
    folder = world.official / "files" / SHA[:2]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SHA).write_bytes(SCAN)
    again = _export(world, world.usb / "2")
    with opened(world.leader, LEADER) as pc:
        [result] = pc.sync.import_paths([again])
        assert result.counts.get("awaiting_files", 0) == 0
        back = {r.recipient_id: r for r in pc.sync.export(LEADER, world.usb / "c")}
    assert back[OFFICIAL].counts["acks"] >= 1
    assert _attachment(world.leader).read_bytes() == SCAN
    with opened(world.official, OFFICIAL) as pc:
        pc.sync.import_paths([back[OFFICIAL].path])
        with pc.db.unit_of_work(read_only=True) as uow:
            assert f"rev:{entry_id}:1" in uow.sync.acked_keys(LEADER)


def _cli_check(folder: Path) -> tuple[int, dict]:
    import json

    done = subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder),
                           "--lang", "en", "check", "--json"],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=300, check=False)
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("step", STEPS)
def test_after_a_kill_at_any_step_check_says_intact_only_when_every_attachment_is_here(
        world: World, step: str) -> None:
    """Integrity side of the kill tests: right after the kill, before any re-import, the
    leader's database is whole (a killed import leaves no half transaction, no row without
    its seal, no entry without its file); losing the file afterwards is then found by
    ``check`` (exit 4, naming the attachment and whose entry it belongs to)."""
    _attached_entry(world)
    bundle = _export(world, world.usb)
    assert _cli_import(world.leader, bundle, step).returncode == -signal.SIGKILL
    code, report = _cli_check(world.leader)
    assert (code, report["ok"]) == (0, True), report["problems"]
    if step != "import-committed":
        return  # nothing was committed: no entry refers to the file
    _attachment(world.leader).unlink()
    code, report = _cli_check(world.leader)
    assert code == 4 and not report["ok"]
    assert [f["code"] for f in report["findings"]] == ["attachment_missing"]
    assert report["findings"][0]["person_id"] == OFFICIAL
