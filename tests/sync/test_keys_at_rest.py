"""Keys at rest (issue 14): one passphrase rule, scrypt 2^17 and re-sealing, wrong passphrases
audited and slowed down across restarts, owner-only files, "no passphrase given"."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from hardening.cli_run import kpi

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.passphrases import check_new_passphrase, unlock_delay
from kpi_desktop.storage.backup import dump_database

from .helpers import OFFICIAL, PASSPHRASES, World, opened


def _cost(folder: Path, owner: str) -> int:
    with sqlite3.connect(folder / "kpi.db") as con:
        blob = con.execute("SELECT blob FROM sealed_keys WHERE owner_id = ?", (owner,)).fetchone()
    return int(json.loads(blob[0])["log_n"])


def _audit(folder: Path, action: str) -> list[tuple[str, str]]:
    with sqlite3.connect(folder / "kpi.db") as con:
        return con.execute("SELECT actor_id, detail FROM audit_events WHERE action = ? ORDER BY id",
                           (action,)).fetchall()


# ---------------------------------------------------------------- one rule -------------------


@pytest.mark.parametrize(("passphrase", "needle"), [
    ("abc12", "at least 8 characters"),
    ("demo", "at least 8 characters"),
    ("12345678", "among the first that anyone would try"),
    ("Mật khẩu 123", "among the first that anyone would try"),
    ("password1", "among the first that anyone would try"),
    ("01011990", "among the first that anyone would try"),
    ("vp-cv1vp-cv1", "among the first that anyone would try"),
])
def test_one_passphrase_rule_on_the_command_line(world: World, passphrase: str,
                                                 needle: str) -> None:
    before = dump_database(world.official / "kpi.db")
    result = kpi(world.official, "keys", "create", "--person", "vp-cv1",
                 env={"KPI_DESKTOP_PASSPHRASE": passphrase})
    assert result.returncode == 3, result.stderr
    assert needle in result.stderr
    assert dump_database(world.official / "kpi.db") == before


def test_the_demo_passphrase_only_for_the_demo_organisation() -> None:
    assert check_new_passphrase("demo", demo=True) == "demo"
    with pytest.raises(RefusedValue) as refused:
        check_new_passphrase("demo")
    assert refused.value.code == "passphrase_too_short"
    assert refused.value.params == {"minimum": 8}
    assert check_new_passphrase("ba con mèo đen") == "ba con mèo đen"


def test_the_pages_and_the_wizard_state_the_same_rule() -> None:
    from kpi_desktop.domain.passphrases import MIN_PASSPHRASE
    from kpi_desktop.ui import setup_wizard
    from kpi_desktop.ui.agency import setup_page
    from kpi_desktop.ui.pages import sync

    assert setup_wizard.MIN_PASSPHRASE == setup_page.MIN_PASSPHRASE == MIN_PASSPHRASE == 8
    source = Path(sync.__file__).read_text(encoding="utf-8")
    assert "four characters" not in source and "{minimum} characters" in source


# ---------------------------------------------------------------- scrypt cost ----------------


def test_new_keys_cost_2_17_and_old_ones_are_sealed_again_on_unlock(world: World,
                                                                     tmp_path: Path) -> None:
    created = kpi(world.official, "keys", "create", "--person", "vp-cv1",
                  "--request", str(tmp_path / "request.json"),
                  env={"KPI_DESKTOP_PASSPHRASE": "ba con mèo đen"})
    assert created.returncode == 0, created.stderr
    assert _cost(world.official, "vp-cv1") == 17
    # The official's key was sealed at 2^10 (the tests' fast cost): the next unlock by the
    # program re-seals it at 2^17, and the same passphrase still opens it.
    assert _cost(world.official, OFFICIAL) == 10
    env = {"KPI_DESKTOP_PASSPHRASE": PASSPHRASES[OFFICIAL]}
    first = kpi(world.official, "sync", "export", "--to", str(tmp_path / "usb"), "--as",
                OFFICIAL, env=env)
    assert first.returncode == 0, first.stderr
    assert _cost(world.official, OFFICIAL) == 17
    assert [actor for actor, _ in _audit(world.official, "key.reseal")] == [OFFICIAL]
    again = kpi(world.official, "sync", "export", "--to", str(tmp_path / "usb"), "--as",
                OFFICIAL, env=env)
    assert again.returncode == 0, again.stderr
    assert len(_audit(world.official, "key.reseal")) == 1


def test_the_demo_keys_are_not_sealed_again(demo_dir: Path, tmp_path: Path) -> None:
    before = _cost(demo_dir, "agency")
    result = kpi(demo_dir, "sync", "export", "--to", str(tmp_path / "usb"), "--as", "agency",
                 env={"KPI_DESKTOP_PASSPHRASE": "demo"})
    assert result.returncode == 0, result.stderr
    assert _cost(demo_dir, "agency") == before == 12  # "demo" is public: no point


# ---------------------------------------------------------------- wrong passphrases ----------


def test_wrong_passphrases_are_audited_and_slowed_down_across_restarts(world: World,
                                                                       tmp_path: Path) -> None:
    usb = str(tmp_path / "usb")
    wrong = {"KPI_DESKTOP_PASSPHRASE": "not the passphrase"}
    for attempt in range(1, 6):
        result = kpi(world.official, "sync", "export", "--to", usb, "--as", OFFICIAL, env=wrong)
        assert result.returncode == 3
        if attempt < 5:
            assert result.stderr == "Refused: The passphrase is wrong.\n"
        else:
            assert "The passphrase is wrong (5 times in a row): wait 30 seconds" in \
                result.stderr
    failures = _audit(world.official, "key.unlock_failed")
    assert [actor for actor, _ in failures] == [OFFICIAL] * 5
    assert [json.loads(detail)["failures"] for _, detail in failures] == [1, 2, 3, 4, 5]
    with sqlite3.connect(world.official / "kpi.db") as con:
        assert con.execute("SELECT failures FROM unlock_failures WHERE owner_id = ?",
                           (OFFICIAL,)).fetchone() == (5,)
    # Two more failures a moment ago (120 s to wait), so the slow machine's next starts
    # surely fall inside the wait — written through the storage layer, so the row seals
    # follow (a write by another program would be reported as damage, docs/integrity.md).
    from kpi_desktop.storage.engine import Database

    db = Database(world.official / "kpi.db")
    try:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE unlock_failures SET failures = 7, last_failed_at = ?",
                (dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),))
    finally:
        db.close()
    # A new process (a restart) still waits, even with the right passphrase, and the try
    # during the wait is not counted.
    right = {"KPI_DESKTOP_PASSPHRASE": PASSPHRASES[OFFICIAL]}
    result = kpi(world.official, "sync", "export", "--to", usb, "--as", OFFICIAL, env=right)
    assert result.returncode == 3
    assert "Too many wrong passphrases for hcc-cv1 (7 in a row): wait" in result.stderr
    assert len(_audit(world.official, "key.unlock_failed")) == 5
    vietnamese = kpi(world.official, "sync", "export", "--to", usb, "--as", OFFICIAL,
                     env=right, lang="vi")
    assert vietnamese.returncode == 3 and "Nhập sai mật khẩu" in vietnamese.stderr


def test_the_delay_grows_and_a_right_passphrase_clears_it(world: World) -> None:
    assert [unlock_delay(n) for n in (0, 4, 5, 6, 7, 8, 9, 10, 30)] == \
        [0, 0, 30, 60, 120, 240, 480, 900, 900]
    moment = [dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)]
    with opened(world.official) as pc:
        pc.keys._clock = lambda: moment[0]
        for number in range(1, 7):
            with pytest.raises(RefusedValue) as refused:
                pc.keys.unlock(OFFICIAL, "wrong guess")
            assert refused.value.params["seconds"] == unlock_delay(number)
            if number < 6:
                moment[0] += dt.timedelta(seconds=unlock_delay(number))
        moment[0] += dt.timedelta(seconds=59)  # the sixth asks for 60 s: 1 s to go
        with pytest.raises(RefusedValue) as refused:
            pc.keys.unlock(OFFICIAL, PASSPHRASES[OFFICIAL])
        assert refused.value.code == "unlock_delayed" and refused.value.params["seconds"] == 1
        moment[0] += dt.timedelta(seconds=1)
        pc.keys.unlock(OFFICIAL, PASSPHRASES[OFFICIAL])
        with pc.db.unit_of_work(read_only=True) as uow:
            assert uow.sync.unlock_failures(OFFICIAL) == (0, None)
    assert [json.loads(d)["after_failures"] for _, d in _audit(world.official, "key.unlock")] \
        == [6]


def test_no_passphrase_given_is_not_a_wrong_passphrase(world: World, tmp_path: Path) -> None:
    before = dump_database(world.official / "kpi.db")
    result = kpi(world.official, "sync", "export", "--to", str(tmp_path / "usb"), "--as",
                 OFFICIAL)  # no terminal, no variable
    assert result.returncode == 3
    assert "No passphrase was given for hcc-cv1" in result.stderr
    assert "KPI_DESKTOP_PASSPHRASE" in result.stderr
    assert "wrong" not in result.stderr
    assert dump_database(world.official / "kpi.db") == before  # not counted as a failure


# ---------------------------------------------------------------- files ----------------------


@pytest.mark.skipif(not hasattr(stat, "S_IMODE") or __import__("os").name != "posix",
                    reason="POSIX modes")
def test_key_and_database_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    result = kpi(folder, "demo", "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert kpi(folder, "backup").returncode == 0
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(folder) == 0o700
    assert mode(folder / "backups") == 0o700 and mode(folder / "logs") == 0o700
    assert mode(folder / "kpi.db") == 0o600
    backups = list((folder / "backups").glob("*.db"))
    assert backups and {mode(p) for p in backups} == {0o600}
    # An older installation's files are tightened at the next start.
    (folder / "kpi.db").chmod(0o644)
    backups[0].chmod(0o644)
    assert kpi(folder, "people").returncode == 0
    assert mode(folder / "kpi.db") == 0o600 and mode(backups[0]) == 0o600
