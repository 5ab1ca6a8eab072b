"""Every automatic backup is visible and restorable (issue 14, "Backups invisible").

Before-import and before-upgrade copies are listed with their reason, time and size and can
be restored; a copy of an empty first-run database is never offered; each reason keeps its
own count; a daily copy is only made from a database that passed its last check, and the
newest copy that passed survives every rotation.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.backups import KEEP_DAILY, KEEP_OTHER, BackupService
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.integrity import IntegrityService
from kpi_desktop.storage.backup import backup_database, dump_database

from .helpers import foreign_update, kpi, locked_month

STAMP = dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.UTC)


def _automatic_copies(demo_dir: Path) -> dict[str, Path]:
    """The names the import, the transfer import and the schema upgrade write."""
    database, folder = demo_dir / "kpi.db", demo_dir / "backups"
    names = {
        "import": f"kpi-before-import-{STAMP:%Y%m%dT%H%M%S%f}.db",  # services/sync.py
        "transfer": f"kpi-before-transfer-{STAMP:%Y%m%dT%H%M%S%f}.db",
        "upgrade": f"kpi-before-0001-{STAMP:%Y%m%dT%H%M%S}Z.db",  # storage/engine.py
    }
    return {reason: backup_database(database, folder / name) for reason, name in names.items()}


def test_every_automatic_backup_is_listed_with_reason_time_and_size(demo_dir: Path) -> None:
    copies = _automatic_copies(demo_dir)
    result = kpi(demo_dir, "backup", "--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    local = STAMP.astimezone()
    for reason, label in (("import", "before an import"),
                          ("transfer", "before a transfer import"),
                          ("upgrade", "before a program upgrade (data version 0001)")):
        [line] = [x for x in lines if str(copies[reason]) in x]
        assert label in line and f"{local:%Y-%m-%d %H:%M:%S}" in line
        assert " MB" in line or " kB" in line
    listed = {b.reason for b in BackupService(demo_dir / "kpi.db",
                                              demo_dir / "backups").list_backups()}
    assert {"import", "transfer", "upgrade"} <= listed


@pytest.mark.parametrize("reason", ["import", "upgrade"])
def test_an_automatic_backup_can_be_restored(demo_dir: Path, reason: str) -> None:
    copies = _automatic_copies(demo_dir)
    before = dump_database(demo_dir / "kpi.db")
    changed = kpi(demo_dir, "log", "add", "--person", "vp-cv1", "--date", "2026-11-23",
                  "--item", "DC.01", "--quantity", "1")
    assert changed.returncode == 0, changed.stderr
    assert dump_database(demo_dir / "kpi.db") != before
    restored = kpi(demo_dir, "backup", "--restore", str(copies[reason]), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Database restored" in restored.stdout
    assert dump_database(demo_dir / "kpi.db") == before


def test_restoring_warns_by_name_whose_data_is_replaced(demo_dir: Path) -> None:
    copies = _automatic_copies(demo_dir)
    assert kpi(demo_dir, "log", "add", "--person", "vp-cv1", "--date", "2026-11-23",
               "--item", "DC.01", "--quantity", "1").returncode == 0
    restored = kpi(demo_dir, "backup", "--restore", copies["import"].name, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Warning: restoring replaces the data" in restored.stderr
    assert "(vp-cv1)" in restored.stderr  # who logged work since, named


def test_an_empty_first_run_database_is_not_offered(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    first = kpi(folder, "people")  # the first start: an empty database, no organisation yet
    assert first.returncode == 3 and (folder / "kpi.db").is_file(), first.stderr
    assert not list((folder / "backups").glob("kpi-daily-*.db"))
    empty = backup_database(folder / "kpi.db", folder / "backups" /
                            "kpi-daily-20261101T080000000000Z.db")
    assert kpi(folder, "demo", "--today", "2026-11-23").returncode == 0
    assert kpi(folder, "people").returncode == 0  # the day's backup now holds the demo
    listed = kpi(folder, "backup", "--list").stdout
    assert str(empty) not in listed and "kpi-daily-" in listed
    refused = kpi(folder, "backup", "--restore", str(empty), "--yes")
    assert refused.returncode == 3
    assert "holds no organisation" in refused.stderr


def test_each_reason_keeps_its_own_count(demo_dir: Path) -> None:
    service = BackupService(demo_dir / "kpi.db", demo_dir / "backups")
    for day in range(12):
        moment = STAMP + dt.timedelta(days=day)
        service.daily(now=moment)
        service.make("import", now=moment)
        service.make("manual", now=moment)
    counts = service.counts()
    assert counts == {"daily": KEEP_DAILY, "import": KEEP_OTHER, "manual": KEEP_OTHER}


def test_the_newest_backup_that_passed_outlives_the_rotation(demo_dir: Path) -> None:
    service = BackupService(demo_dir / "kpi.db", demo_dir / "backups")
    good = service.daily(now=STAMP, verified=True)
    assert good is not None
    for day in range(1, 10):  # later copies that were never checked
        service.daily(now=STAMP + dt.timedelta(days=day))
    daily = [b.path for b in service.list_backups() if b.reason == "daily"]
    assert good in daily and len(daily) == KEEP_DAILY + 1
    assert service.last_good() is not None


def test_no_daily_backup_from_a_database_that_failed_its_check(demo_dir: Path) -> None:
    paths = app_paths(demo_dir)
    month = locked_month(paths.database)
    foreign_update(paths.database, "UPDATE monthly_evaluations SET total = '5' WHERE "
                   "person_id = ? AND period = ?", month["person_id"], month["period"])
    assert not IntegrityService.for_paths(paths).full_check().ok
    assert not IntegrityService.for_paths(paths).backup_allowed()
    service = BackupService(paths.database, paths.backup_dir)
    assert service.daily(allowed=False) is None
    assert not list(paths.backup_dir.glob("kpi-daily-*.db"))


def test_a_damaged_backup_is_not_the_newest_good_one(demo_dir: Path) -> None:
    paths = app_paths(demo_dir)
    service = BackupService(paths.database, paths.backup_dir)
    older = service.make("manual", now=STAMP)
    newer = service.make("manual", now=STAMP + dt.timedelta(hours=1))
    data = bytearray(newer.read_bytes())
    data[len(data) // 2] ^= 0xFF
    newer.write_bytes(bytes(data))
    assert service.last_good().path == older
    verdicts = {b.path: b.verdict for b in service.list_backups()}
    assert verdicts[older] == "passed"
    with pytest.raises(RefusedValue) as refused:
        service.restore(newer)
    assert refused.value.code == "backup_damaged"


def test_the_daily_backup_is_taken_at_start_and_marked_as_passed(demo_dir: Path) -> None:
    paths = app_paths(demo_dir)
    shutil.rmtree(paths.backup_dir)
    services = AppServices.open(paths)
    services.close()
    [daily] = BackupService(paths.database, paths.backup_dir).list_backups()
    assert daily.reason == "daily" and daily.passed
