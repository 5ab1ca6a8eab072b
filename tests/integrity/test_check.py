"""``kpi-desktop check`` (issue 13, "Integrity you can check"): real files, real damage.

Every stored value is covered three ways: SQLite's own check, the row seals (a digest of every
row written with it), and the records (signatures, results computed again, attachments). The
tests change the demo's database the ways a broken disk, another program and a person who
re-seals on purpose would, and ``check`` must exit 4 naming whose record is wrong.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from kpi_desktop.app import main
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.daily import DailyWorkService, EntryDraft
from kpi_desktop.services.integrity import IntegrityService
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.storage.engine import Database
from kpi_desktop.storage.health import check_file

from .helpers import flip_in_file, foreign_update, kpi, locked_month, unique_total

TODAY = dt.date(2026, 11, 23)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _other(value: str) -> str:
    """The same number with one digit changed (still a number)."""
    for index, char in enumerate(value):
        if char.isdigit():
            return value[:index] + str((int(char) + 1) % 10) + value[index + 1:]
    raise AssertionError(value)


def test_a_healthy_demo_is_intact(demo_dir: Path) -> None:
    result = kpi(demo_dir, "check")
    assert result.returncode == 0, result.stderr
    assert "The database is intact." in result.stdout
    state = json.loads((demo_dir / "integrity.json").read_text("utf-8"))
    assert state["last"]["ok"] is True and state["last"]["kind"] == "full"


def test_one_flipped_digit_in_a_locked_total_is_damage(demo_dir: Path) -> None:
    """The issue's case: 99 → 89 by one byte of the file; ``check`` and every command refuse
    it, name the month, and change nothing."""
    database = demo_dir / "kpi.db"
    month, pattern, offset = unique_total(database)
    flip_in_file(database, pattern, offset, ord(_other(month["total"][0])))
    before = dump_database(database)
    assert before != []
    checked = kpi(demo_dir, "check")
    assert checked.returncode == 4
    assert "The database has problems" in checked.stderr
    assert "changed although nothing wrote it" in checked.stderr
    assert "No backup passed its check." in checked.stderr
    person = month["person_id"]
    assert any(f"({person}), {_said(month['period'])}" in line and "monthly evaluation" in line
               for line in checked.stderr.splitlines())
    used = kpi(demo_dir, "people")
    assert used.returncode == 4
    assert "The database is damaged" in used.stderr and "Traceback" not in used.stderr
    assert dump_database(database) == before


COLUMNS = ("total", "general_points", "task_points", "task_ratio", "a", "b", "c")


def _said(period: str) -> str:
    """A month as the English messages write it ("2026-01" → "1/2026")."""
    return f"{int(period[5:7])}/{period[:4]}"


@pytest.mark.parametrize("column", [*COLUMNS, "level", "confirmed_criteria", "insufficient"])
def test_each_stored_value_of_a_locked_month_changed_by_another_program(
        demo_dir: Path, capsys: pytest.CaptureFixture[str], column: str) -> None:
    database = demo_dir / "kpi.db"
    month = locked_month(database)
    if column == "level":
        new: object = "good" if month["level"] != "good" else "excellent"
    elif column == "confirmed_criteria":
        criteria = json.loads(month["confirmed_criteria"])
        code = sorted(criteria)[0]
        criteria[code] = str(Decimal(criteria[code]) - 1)
        new = json.dumps(criteria, sort_keys=True, separators=(",", ":"))
    elif column == "insufficient":
        new = 1 - int(month["insufficient"])
    else:
        new = _other(str(month[column]))
    assert foreign_update(database, f"UPDATE monthly_evaluations SET {column} = ? "
                          "WHERE person_id = ? AND period = ?", new, month["person_id"],
                          month["period"]) == 1
    before = dump_database(database)
    code, _out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "check")
    assert code == 4
    assert "changed by another program" in err
    assert f"({month['person_id']}), {_said(month['period'])}" in err
    code, _out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "score",
                          "--person", month["person_id"], "--period", month["period"])
    assert code == 4 and "damaged" in err
    assert dump_database(database) == before


@pytest.mark.parametrize("column", [*COLUMNS, "level", "confirmed_criteria", "dd"])
def test_a_resealed_change_of_a_locked_month_is_found_by_recomputing(
        demo_dir: Path, capsys: pytest.CaptureFixture[str], column: str) -> None:
    """Someone who writes through the application's own storage (so the seals follow) is
    still caught: the stored results no longer equal those computed from the inputs."""
    database = demo_dir / "kpi.db"
    with contextlib.closing(sqlite3.connect(database)) as con:
        con.row_factory = sqlite3.Row
        where = "status = 'locked' AND a IS NOT NULL"
        if column == "dd":
            where += " AND dd IS NOT NULL AND dd = '100'"
        month = dict(con.execute(f"SELECT * FROM monthly_evaluations WHERE {where} "
                                 "ORDER BY person_id, period LIMIT 1").fetchone())
    if column == "level":
        new: object = "not_complete"
    elif column == "confirmed_criteria":
        criteria = json.loads(month["confirmed_criteria"])
        code = sorted(criteria)[0]
        criteria[code] = str(Decimal(criteria[code]) - 1)
        new = json.dumps(criteria, sort_keys=True, separators=(",", ":"))
    elif column == "dd":
        new = "50"
    else:
        new = _other(str(month[column]))
    db = Database(database)
    try:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                f"UPDATE monthly_evaluations SET {column} = ? WHERE person_id = ? AND "
                "period = ?", (new, month["person_id"], month["period"]))
    finally:
        db.close()
    assert check_file(database)[0] == []  # sealed: the storage layer cannot tell
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "check",
                         "--json")
    assert code == 4
    report = json.loads(out)
    assert not report["ok"] and not report["damaged"]
    wrong = [f for f in report["findings"] if f["code"] == "result_differs"]
    assert wrong and all(f["person_id"] == month["person_id"] for f in wrong)
    assert {f["period"] for f in wrong} == {month["period"]}


def test_thirty_random_byte_flips_never_pass_as_intact(demo_master: Path,
                                                       tmp_path: Path) -> None:
    """Seeded: 30 single-bit flips anywhere in the demo's file. Whenever the database's
    content (its full SQL dump) changed, or no longer dumps, the check reports a problem."""
    original = demo_master / "kpi.db"
    baseline = dump_database(original)
    rng = random.Random(1335)
    size = original.stat().st_size
    changed = 0
    for _ in range(30):
        target = tmp_path / "flipped.db"
        shutil.copyfile(original, target)
        data = bytearray(target.read_bytes())
        data[rng.randrange(size)] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(data))
        try:
            differs = dump_database(target) != baseline
        except Exception:  # noqa: BLE001 - a file that no longer dumps changed too
            differs = True
        found, complete = check_file(target, full=True)
        assert complete
        if differs:
            changed += 1
            assert found, "a changed database passed as intact"
    assert changed >= 10  # the flips did reach stored values


def test_check_names_the_newest_backup_that_passed(demo_dir: Path) -> None:
    paths = app_paths(demo_dir)
    services = AppServices.open(paths)  # the day's backup, from a database that passed
    services.close()
    backups = sorted((demo_dir / "backups").glob("kpi-daily-*.db"))
    assert len(backups) == 1
    month = locked_month(demo_dir / "kpi.db")
    foreign_update(demo_dir / "kpi.db", "UPDATE monthly_evaluations SET total = '1' "
                   "WHERE person_id = ? AND period = ?", month["person_id"], month["period"])
    checked = kpi(demo_dir, "check")
    assert checked.returncode == 4
    assert f"The newest backup that passed its check: {backups[0]}" in checked.stderr


@pytest.fixture
def with_attachment(demo_dir: Path, tmp_path: Path) -> tuple[Path, str, str]:
    paths = app_paths(demo_dir)
    services = AppServices.open(paths)
    try:
        daily = DailyWorkService(services.db, paths.attachments_dir, today=lambda: TODAY)
        source = tmp_path / "bien-ban.pdf"
        source.write_bytes(b"%PDF-1.4 bien ban hop " * 200)
        entry = daily.save("vp-cv1", EntryDraft(work_date=TODAY, item_code="DC.01",
                                                quantity="1", completed_on=TODAY,
                                                attachment=source))
        sha = daily.entry(entry.id).entry.attachment_sha256
    finally:
        services.close()
    assert sha
    return paths.attachments_dir / sha[:2] / sha, entry.id, sha


def test_a_missing_attachment_is_reported(demo_dir: Path, with_attachment) -> None:  # noqa: ANN001
    stored, entry_id, _sha = with_attachment
    assert kpi(demo_dir, "check").returncode == 0
    stored.unlink()
    checked = kpi(demo_dir, "check")
    assert checked.returncode == 4
    assert "“bien-ban.pdf” is missing" in checked.stderr
    assert entry_id in checked.stderr and "(vp-cv1)" in checked.stderr
    assert kpi(demo_dir, "people").returncode == 0  # the database itself is intact


def test_an_altered_attachment_is_reported(demo_dir: Path, with_attachment) -> None:  # noqa: ANN001
    stored, entry_id, _sha = with_attachment
    stored.write_bytes(stored.read_bytes()[:-1] + b"!")
    checked = kpi(demo_dir, "check", "--json")
    assert checked.returncode == 4
    report = json.loads(checked.stdout)
    [finding] = report["findings"]
    assert finding["code"] == "attachment_altered" and finding["record"] == entry_id
    assert any("was altered" in line for line in report["problems"])


def test_a_signature_that_no_longer_matches_is_reported(demo_dir: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """Records signed at export; one signed statement changed through the application's own
    storage afterwards (sealed) fails its signature."""
    paths = app_paths(demo_dir)
    services = AppServices.open(paths)
    try:
        services.keys.unlock("vp-cvp", "demo")
        services.sync.export("vp-cvp", tmp_path / "out")
    finally:
        services.close()
    assert run(capsys, "--data-dir", str(demo_dir), "check")[0] == 0
    db = Database(demo_dir / "kpi.db")
    try:
        with db.engine.begin() as connection:
            statement_id = connection.exec_driver_sql(
                "SELECT id FROM review_statements WHERE signature IS NOT NULL AND "
                "reviewer_id = 'vp-cvp' ORDER BY id LIMIT 1").scalar_one()
            connection.exec_driver_sql("UPDATE review_statements SET reason = 'sửa' "
                                       "WHERE id = ?", (statement_id,))
    finally:
        db.close()
    code, out, _err = run(capsys, "--data-dir", str(demo_dir), "check", "--json")
    assert code == 4
    report = json.loads(out)
    assert [(f["code"], f["record"]) for f in report["findings"]] == [
        ("signature_invalid", statement_id)]


def test_the_full_check_reports_progress_and_keeps_its_result(demo_dir: Path) -> None:
    service = IntegrityService.for_paths(app_paths(demo_dir))
    seen: list[tuple[int, int]] = []
    report = service.full_check(progress=lambda done, total: seen.append((done, total)))
    assert report.ok and report.complete
    assert seen[-1] == (100, 100) and all(b >= a for (a, _), (b, _) in zip(seen, seen[1:],
                                                                           strict=False))
    assert service.last_report().ok
    assert not service.full_check_due(idle=True)
    assert not service.full_check_due(idle=False)
    assert service.full_check_due(idle=True, now=report.checked_at + dt.timedelta(days=1))
    assert not service.full_check_due(idle=False,
                                      now=report.checked_at + dt.timedelta(days=6))
    assert service.full_check_due(idle=False, now=report.checked_at + dt.timedelta(days=7))


def test_seals_written_at_commit_are_the_seals_a_full_reseal_computes(demo_dir: Path) -> None:
    """The commit hook computes digests inside SQL (seal_pending); a full reseal computes them
    row by row in Python. Rows inserted, updated and deleted in one transaction get exactly
    the digests a reseal of the whole file gives, and a deleted row leaves no seal."""
    from kpi_desktop.storage import seals

    con = sqlite3.connect(demo_dir / "kpi.db", isolation_level=None)
    try:
        con.execute("BEGIN")
        con.execute("UPDATE entry_revisions SET key_fingerprint = key_fingerprint || ''")
        con.execute("UPDATE work_log_entries SET output_description = 'Hồ sơ đã sửa: ' || "
                    "output_description, quantity = '2' WHERE rowid % 3 = 0")
        deleted = con.execute("SELECT json_array(id) FROM work_log_entries "
                              "ORDER BY id LIMIT 1").fetchone()[0]
        con.execute("DELETE FROM work_log_entries WHERE id = json_extract(?, '$[0]')",
                    (deleted,))
        sealed = seals.seal_pending(con)
        assert sealed > 100
        assert con.execute(f"SELECT count(*) FROM {seals.SEAL_TABLE} "
                           "WHERE digest IS NULL").fetchone() == (0,)
        after_commit = dict(((t, k), d) for t, k, d in con.execute(
            f"SELECT tbl, key, digest FROM {seals.SEAL_TABLE}"))
        assert ("work_log_entries", deleted) not in after_commit
        seals.reseal_all(con)
        resealed = dict(((t, k), d) for t, k, d in con.execute(
            f"SELECT tbl, key, digest FROM {seals.SEAL_TABLE}"))
        assert after_commit == resealed
        problems, _ = seals.verify(con, transaction=False)
        assert problems == []
        con.execute("ROLLBACK")
    finally:
        con.close()
