"""Full and read-only disks, simulated honestly with small real file systems (issue 14).

Each test mounts a tmpfs (Linux, as root; skipped elsewhere), copies the demo's data folder
onto it, then fills it or remounts it read-only, and runs ``kpi-desktop`` as a process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.storage.backup import backup_database, dump_database

from .conftest import fresh_copy
from .helpers import can_mount, fill, kpi, listing, remount, tmpfs

pytestmark = pytest.mark.skipif(not can_mount(), reason="needs root to mount a tmpfs")


@pytest.fixture
def small_disk(demo_master: Path, tmp_path: Path) -> Iterator[Path]:
    """The demo's data folder alone on a 16 MB file system."""
    with tmpfs(tmp_path / "disk", "16M") as disk:
        yield fresh_copy(demo_master, disk / "data")


def test_a_read_only_data_folder_is_named_and_nothing_crashes(small_disk: Path) -> None:
    remount(small_disk.parent, "ro")
    for args in (["people"], ["check"], ["backup", "--list"], ["--selftest"]):
        result = kpi(small_disk, *args)
        assert result.returncode == 3, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"The data folder {small_disk} cannot be written" in result.stderr


def test_a_full_disk_still_reads_exports_and_prints(small_disk: Path, tmp_path: Path) -> None:
    before = dump_database(small_disk / "kpi.db")
    fill(small_disk.parent)
    files = listing(small_disk)
    people = kpi(small_disk, "people")
    assert people.returncode == 0, people.stderr
    assert "vp-cv1" in people.stdout
    assert "Warning: The disk is full" in people.stderr  # no daily backup: a warning only
    assert "Traceback" not in people.stderr
    elsewhere = tmp_path / "usb"  # another disk: the USB stick the form goes to
    elsewhere.mkdir()
    printed = kpi(small_disk, "report", "form01", "--person", "vp-cv1", "--period", "2026-10",
                  "--out", str(elsewhere / "form01.pdf"))
    assert printed.returncode == 0, printed.stderr
    assert (elsewhere / "form01.pdf").read_bytes().startswith(b"%PDF")
    exported = kpi(small_disk, "export", "--to", str(elsewhere / "export"), "--period",
                   "2026-10", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    assert kpi(small_disk, "score", "--person", "vp-cv1", "--period", "2026-10").returncode == 0
    written = kpi(small_disk, "log", "add", "--person", "vp-cv1", "--date", "2026-11-23",
                  "--item", "DC.01", "--quantity", "1")
    assert written.returncode == 3
    assert "The disk is full" in written.stderr and "needed" in written.stderr
    assert str(small_disk) in written.stderr
    assert "nothing was saved" in written.stderr
    assert not [f for f in listing(small_disk) if f not in files and "partial" in f]
    assert not [f for f in listing(small_disk) if "partial" in f or f.startswith(".")]
    for name in ("filler", "filler2"):
        (small_disk.parent / name).unlink(missing_ok=True)
    assert dump_database(small_disk / "kpi.db") == before


def test_a_nearly_full_disk_skips_the_backup_and_refuses_writes_cleanly(small_disk: Path
                                                                        ) -> None:
    """Room to open the database but not for the day's copy: the copy is a warning, and a
    write that does not fit says how much space is missing."""
    fill(small_disk.parent, leave=600 * 1024)
    result = kpi(small_disk, "people")
    assert result.returncode == 0, result.stderr
    assert "Warning: The disk is full" in result.stderr and "at least" in result.stderr
    assert not list((small_disk / "backups").glob("kpi-daily-*"))
    assert not [f for f in listing(small_disk) if "partial" in f]


def test_a_failed_backup_leaves_nothing_behind(small_disk: Path) -> None:
    fill(small_disk.parent, leave=200 * 1024)
    target = small_disk / "backups" / "kpi-manual-20261123T080000000000Z.db"
    with pytest.raises(StorageProblem) as failed:
        backup_database(small_disk / "kpi.db", target)
    assert failed.value.code == "disk_full"
    assert not [f for f in listing(small_disk / "backups") if "kpi-manual" in f]


def test_manual_backup_on_a_full_disk_says_how_much_is_needed(small_disk: Path) -> None:
    fill(small_disk.parent, leave=300 * 1024)
    files = listing(small_disk)
    result = kpi(small_disk, "backup")
    assert result.returncode == 3
    assert "The disk is full" in result.stderr and "at least" in result.stderr
    assert "MB needed" in result.stderr
    assert [f for f in listing(small_disk) if f not in files and "partial" in f] == []
