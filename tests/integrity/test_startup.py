"""The start-up check: a damaged database is never opened for writing (issues 13 and 14).

Damage is reported as damage — exit code 4 with the newest good backup named — by every
command, by ``--selftest``, and the file is not touched.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.integrity import IntegrityService
from kpi_desktop.storage.backup import dump_database

from .conftest import fresh_copy
from .helpers import foreign_update, kpi, listing, locked_month


def _index_page_damage(database: Path) -> None:
    """Damage an index only (the tables stay as they were): the kind of damage SQLite's
    quick check misses, and which the start-up check must still refuse."""
    import sqlite3

    with sqlite3.connect(database) as con:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND "
                           "name = 'ix_work_log_entries_person_date'").fetchone()[0]
    con.close()
    data = bytearray(database.read_bytes())
    start = (root - 1) * page_size
    cells = data[start + 8: start + page_size]
    at = next(i for i in range(len(cells) - 8, 0, -1) if cells[i:i + 5] == b"2026-")
    data[start + 8 + at + 3] ^= 0x01  # "2026-…" → "2027-…" inside one index entry
    database.write_bytes(bytes(data))


def test_a_damaged_index_stops_every_command_and_changes_nothing(demo_dir: Path) -> None:
    database = demo_dir / "kpi.db"
    services = AppServices.open(app_paths(demo_dir))
    services.close()
    [good] = sorted((demo_dir / "backups").glob("kpi-daily-*.db"))
    _index_page_damage(database)
    before, files = database.read_bytes(), listing(demo_dir)
    for command in (["people"], ["log", "add", "--person", "vp-cv1", "--date", "2026-11-23",
                                 "--item", "DC.01", "--quantity", "1"], ["check"]):
        result = kpi(demo_dir, *command)
        assert result.returncode == 4, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert str(good) in result.stderr
    assert "The database is damaged" in kpi(demo_dir, "people").stderr
    assert database.read_bytes() == before
    assert set(listing(demo_dir)) - set(files) <= {"integrity.json"}


def test_selftest_on_a_damaged_database_exits_4_with_the_reason(demo_dir: Path) -> None:
    month = locked_month(demo_dir / "kpi.db")
    foreign_update(demo_dir / "kpi.db", "UPDATE monthly_evaluations SET total = '12' WHERE "
                   "person_id = ? AND period = ?", month["person_id"], month["period"])
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "--selftest")
    assert result.returncode == 4, result.stderr
    assert "The database is damaged" in result.stderr
    assert "changed by another program" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump_database(demo_dir / "kpi.db") == before


def test_the_start_up_check_refuses_without_writing_and_the_full_check_is_remembered(
        demo_dir: Path) -> None:
    service = IntegrityService.for_paths(app_paths(demo_dir))
    report = service.startup_check()
    assert report.ok and report.complete
    month = locked_month(demo_dir / "kpi.db")
    foreign_update(demo_dir / "kpi.db", "UPDATE monthly_evaluations SET level = 'good' "
                   "WHERE person_id = ? AND period = ?", month["person_id"], month["period"])
    files = listing(demo_dir)
    with pytest.raises(StorageProblem) as first:
        service.startup_check()
    assert first.value.code == "database_damaged"
    assert first.value.params["findings"][0]["code"] == "seal_outside"
    assert listing(demo_dir) == files  # a refusal leaves the data folder as it was
    assert service.full_check().damaged
    state = json.loads((demo_dir / "integrity.json").read_text("utf-8"))
    assert state["damaged_file"] and state["last"]["damaged"]
    with pytest.raises(StorageProblem) as again:  # the same file: refused from the record
        service.startup_check(budget=0)
    codes = [f["code"] for f in again.value.params["findings"]]
    assert codes == ["seal_outside", "result_differs"]  # what the full check found


def test_a_refused_command_leaves_the_data_folder_as_it_was(demo_dir: Path) -> None:
    AppServices.open(app_paths(demo_dir)).close()  # today's backup exists, as on any day
    foreign_update(demo_dir / "kpi.db", "DELETE FROM review_statements WHERE rowid = "
                   "(SELECT min(rowid) FROM review_statements)")
    before, files = dump_database(demo_dir / "kpi.db"), listing(demo_dir)
    result = kpi(demo_dir, "people")
    assert result.returncode == 4
    assert "deleted by another program" in result.stderr
    assert listing(demo_dir) == files
    assert dump_database(demo_dir / "kpi.db") == before


def test_a_restored_backup_opens_again(demo_dir: Path) -> None:
    paths = app_paths(demo_dir)
    services = AppServices.open(paths)
    services.close()
    [good] = sorted(paths.backup_dir.glob("kpi-daily-*.db"))
    foreign_update(paths.database, "UPDATE people SET full_name = 'X' WHERE id = 'vp-cv1'")
    result = kpi(demo_dir, "people")
    assert result.returncode == 4
    restored = kpi(demo_dir, "backup", "--restore", str(good), "--yes")
    assert restored.returncode == 0, restored.stderr
    after = kpi(demo_dir, "people")
    assert after.returncode == 0, after.stderr
    assert "X" not in after.stdout.split()


def test_the_start_up_check_fits_its_budget_on_the_demo(demo_master: Path, tmp_path: Path
                                                        ) -> None:
    """The demo's whole database is checked at start (SQLite's full check and every seal)
    within the budget; the figure itself comes from benchmarks/startup_check.py."""
    folder = fresh_copy(demo_master, tmp_path / "copy")
    report = IntegrityService.for_paths(app_paths(folder)).startup_check(budget=10)
    assert report.complete and report.ok
    assert report.seconds < 5  # generous: a shared CI machine; the benchmark measures
    assert report.checked_at <= dt.datetime.now(dt.UTC)


def test_rows_the_application_deletes_leave_no_seal_behind(demo_dir: Path) -> None:
    """A deletion through the application (a calendar day the agency removes, a draft the
    official discards) takes its row's seal with it: the next start opens the database and
    ``check`` finds it intact."""
    from kpi_desktop.services.daily import EntryDraft

    paths = app_paths(demo_dir)
    services = AppServices.open(paths)
    try:
        day = dt.date(2026, 12, 24)
        services.calendar.declare(day, "day_off", "Nghỉ bù", as_agency=True)
        services.calendar.remove(day, as_agency=True)
        draft = services.daily.save("vp-cv1", EntryDraft(
            work_date=dt.date(2026, 11, 23), item_code="DC.01", quantity="1"))
        services.daily.delete_draft("vp-cv1", draft.id)
    finally:
        services.close()
    AppServices.open(paths).close()  # the start-up check passes
    result = kpi(demo_dir, "check")
    assert result.returncode == 0, result.stderr
    assert "The database is intact." in result.stdout
