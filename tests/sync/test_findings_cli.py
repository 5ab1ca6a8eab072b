"""Issue 13's findings 2, 3 and 6 through the command line (finding 1 is in
test_findings.py, finding 5 in test_attachments.py, "sync now" of finding 6 in
test_sync_now_refused.py): the hostile official writes the bundle file with the application's
own writer, the receiving PC's administrator imports it with ``kpi-desktop import`` and reads
the result with ``score``/``classify``/``sync status``."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.model import Period, StatementKind

from .helpers import OFFICIAL, PASSPHRASES, World, data_of, log_week, opened, review, snapshot
from .test_findings import (
    _carry,
    _confirmed_twice,
    _export,
    _first_confirmation,
    _import,
    _replay,
    statements_around_a_revocation,
)

MONTH = Period.parse("2026-11")


def _cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, folder: Path,
         owner: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES[owner])
    code = main(["--data-dir", str(folder), "--lang", "en", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _file(folder: Path, seq: int, data: bytes) -> Path:
    path = folder / f"KPI_work_{OFFICIAL}_to_agency_{seq:06d}.kpib"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _official_year(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                   world: World) -> dict[str, Any]:
    with opened(world.agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        unit = uow.org.get_person(OFFICIAL).unit_id
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "classify", "--unit",
                          unit, "--year", "2026", "--json")
    assert code == 0, err
    [row] = [r for r in json.loads(out)["people"] if r["id"] == OFFICIAL]
    return row


def test_finding_2_through_the_cli(world: World, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A forwarder opens the month and marks it insufficient in the confirmation it carries,
    then the genuine copy arrives: the agency still counts the evaluator's November. A signed
    field altered (insufficient data) is refused with exit 3 and the database unchanged."""
    _first, second = _confirmed_twice(world)
    _import(world.official, OFFICIAL, second[OFFICIAL])
    row = _first_confirmation(world, second[OFFICIAL])  # the newest decision
    wanted = Fraction(str(row["total"]))
    stick = world.usb / "forged"
    # The month's status is not signed: recomputed here from the signed parts, so a forwarder
    # who sends the month as "open" changes nothing.
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import",
                          str(_file(stick, 90, _replay(world, {**row, "status": "open"},
                                                       "agency", 90))), "--as", "agency")
    assert code == 0, err
    # "Insufficient data" is signed: altered, the whole bundle is refused and nothing changes.
    before = snapshot(world.agency)
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import",
                          str(_file(stick, 91, _replay(world, {**row, "insufficient": True},
                                                       "agency", 91))), "--as", "agency")
    assert code == 3 and "invalid signature" in err, (out, err)
    assert data_of(snapshot(world.agency)) == data_of(before)
    # The genuine copy arrives after both: November counts, with the evaluator's total.
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import",
                          str(second["agency"]), "--as", "agency")
    assert code == 0, err
    year = _official_year(capsys, monkeypatch, world)
    assert str(MONTH) in year["months"]
    assert Fraction(year["monthly_totals"][year["months"].index(str(MONTH))]) == wanted
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "score", "--person",
                          OFFICIAL, "--period", str(MONTH), "--json")
    assert code == 0, err
    assert Fraction(str(json.loads(out)["total"])) == wanted


def test_finding_3_through_the_cli(world: World, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A statement signed with the leader's revoked key after the revocation, carried in the
    official's bundle: exit 3, the reason named, the database unchanged. One signed before the
    revocation: imported, and flagged in the import line and in ``sync status``."""
    early, late = statements_around_a_revocation(world)
    stick = world.usb / "carried"
    before = snapshot(world.agency)
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import",
                          str(_file(stick, 80, _carry(world, "statements", late, 80))),
                          "--as", "agency")
    assert code == 3, (out, err)
    assert "revoked" in err and "nothing was imported" in err.lower()
    assert data_of(snapshot(world.agency)) == data_of(before)
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import",
                          str(_file(stick, 81, _carry(world, "statements", early, 81))),
                          "--as", "agency")
    assert code == 0, err
    assert "signed before the key was revoked" in out
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "sync", "status")
    assert code == 0, err
    with opened(world.agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        official = uow.org.get_person(OFFICIAL).full_name
    [flag] = [line for line in out.splitlines()
              if "signed before the key was revoked" in line.lower()]
    assert official in flag and f"({OFFICIAL})" not in flag  # by name


def test_finding_6_through_the_cli(world: World, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A record the agency refuses (the official "confirms" their own entry) is answered with
    a signed refusal; the official's PC names who refused it, stops sending it, and the
    official's later work is imported."""
    with opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc, days=2)
        review(pc, OFFICIAL, ids[0], StatementKind.CONFIRM)
    sent = _export(world.official, OFFICIAL, world.usb / "o1")
    known = _entries(world.agency)
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import",
                          str(sent["agency"]), "--as", "agency")
    assert code == 3 and "evaluator may confirm" in err, (out, err)
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "sync", "export",
                          "--to", str(world.usb / "a1"), "--as", "agency")
    assert code == 0, err
    [receipt] = (world.usb / "a1").glob(f"*_to_{OFFICIAL}_*.kpib")
    code, out, err = _cli(capsys, monkeypatch, world.official, OFFICIAL, "import",
                          str(receipt), "--as", OFFICIAL)
    assert code == 0, err
    assert "1 item refused by UBND" in out and "evaluator may confirm" in out
    assert "Nothing was imported" not in out  # the recipient's words, not the sender's
    code, out, err = _cli(capsys, monkeypatch, world.official, OFFICIAL, "sync", "status")
    assert code == 0 and "Refused by UBND" in out, (out, err)
    assert "evaluator may confirm" in out and "Nothing was imported" not in out
    code, out, err = _cli(capsys, monkeypatch, world.official, OFFICIAL, "log", "add",
                          "--person", OFFICIAL, "--date", "2026-11-20", "--item", "DC.04",
                          "--quantity", "1", "--submit")
    assert code == 0, err
    code, out, err = _cli(capsys, monkeypatch, world.official, OFFICIAL, "sync", "export",
                          "--to", str(world.usb / "o2"), "--as", OFFICIAL)
    assert code == 0, err
    [later] = (world.usb / "o2").glob(f"*_{OFFICIAL}_to_agency_*.kpib")
    code, out, err = _cli(capsys, monkeypatch, world.agency, "agency", "import", str(later),
                          "--as", "agency")
    assert code == 0, (out, err)
    with opened(world.agency) as pc, pc.db.unit_of_work(read_only=True) as uow:
        statements = uow.reviews.list_for_entry(ids[0])
    assert statements == []  # the refused statement never came in
    arrived = _entries(world.agency) - known
    assert len(arrived) == 3 and {ids[0], ids[1]} <= arrived  # the week and the later work


def _entries(folder: Path) -> set[str]:
    with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
        return {e.id for e in uow.worklog.list_for_person(OFFICIAL, MONTH.start, MONTH.end)}
