"""Rotating backups, restore, and recovery from a damaged database."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.backups import KEEP_DAILY, BackupService
from kpi_desktop.storage.backup import dump_database, integrity_check


@pytest.fixture
def service(demo_dir, tmp_path):
    return BackupService(demo_dir / "kpi.db", tmp_path / "backups")


def test_daily_backup_once_a_day_and_rotated(service):
    start = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
    assert service.daily(now=start) is not None
    assert service.daily(now=start + dt.timedelta(hours=5)) is None  # same day: nothing
    for day in range(1, 12):
        service.daily(now=start + dt.timedelta(days=day))
    daily = [b for b in service.list_backups() if b.reason == "daily"]
    assert len(daily) == KEEP_DAILY
    assert daily[0].made_at.date() == dt.date(2026, 11, 12)
    assert all(not integrity_check(b.path) for b in daily)


def test_restore_brings_back_the_data_and_keeps_the_current_file(service, demo_dir):
    database = demo_dir / "kpi.db"
    before = dump_database(database)
    backup = service.make("manual")
    database.write_bytes(b"this is not a database" * 100)
    assert integrity_check(database)
    assert service.last_good().path == backup
    kept = service.restore(backup)
    assert dump_database(database) == before
    assert kept.exists()


def test_a_damaged_backup_is_refused_and_changes_nothing(service, demo_dir, tmp_path):
    database = demo_dir / "kpi.db"
    before = dump_database(database)
    bad = tmp_path / "kpi-manual-20260101T000000Z.db"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(RefusedValue) as error:
        service.restore(bad)
    assert error.value.code == "backup_damaged"
    assert dump_database(database) == before
