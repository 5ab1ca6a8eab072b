"""The headless commands: an agency built from a catalog workbook and a staff list, a PC set
up from its organisation file, enrolment, export to a folder and refusals (exit code 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_desktop.app import main

from .helpers import OFFICIAL, PASSPHRASES, World

WORKBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "nghia-lam-qd283-catalog.xlsx"

STAFF = ("id,full_name,unit_id,unit_name,role,job_position_id,job_position_name,field_codes,"
         "evaluator_id,joined_on\n") + """\
ct,Nguyễn Văn Chủ,xa-a,,head,lanh-dao,Lãnh đạo UBND,,,2025-07-01
vp-tp,Trần Thị Văn,vp,Văn phòng HĐND và UBND,head,tp-vp,Chánh Văn phòng,VP,ct,2025-07-01
vp-cv1,Lê Văn Một,vp,,official,cv-vp,Chuyên viên văn phòng,VP,vp-tp,2025-07-01
vp-cv2,Phạm Thị Hai,vp,,công chức,cv-vp,,VP,vp-tp,
"""


def _run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), "--lang", "en", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_agency_is_built_without_programming_and_a_pc_set_up_from_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    agency, pc, usb = tmp_path / "agency", tmp_path / "pc", tmp_path / "usb"
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "agency secret")
    assert _run(capsys, agency, "org", "create", "--id", "xa-a", "--name", "UBND xã A",
                "--code", "XA")[0] == 0
    code, out, _ = _run(capsys, agency, "org", "catalog", str(WORKBOOK), "--version",
                        "QD283", "--label", "QĐ 283/QĐ-UBND")
    assert code == 0 and "items imported" in out
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    code, out, err = _run(capsys, agency, "org", "staff", str(staff))
    assert code == 0, err
    assert "4 people added" in out and "3 evaluator relations" in out
    import json

    from kpi_desktop.scoring import ScoringPolicy

    policy = json.loads(ScoringPolicy.default().to_json())
    policy["version"] = "xa-a-2027.1"
    (tmp_path / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
    code, out, err = _run(capsys, agency, "org", "policy", str(tmp_path / "policy.json"),
                          "--from", "2027-01-01")
    assert code == 0 and "xa-a-2027.1" in out, err
    (tmp_path / "bad.json").write_text('{"version": "x"}', encoding="utf-8")
    code, _, err = _run(capsys, agency, "org", "policy", str(tmp_path / "bad.json"),
                        "--from", "2027-01-01")
    assert code == 3 and "policy file is not valid" in err
    code, out, _ = _run(capsys, agency, "keys", "agency-init")
    assert code == 0 and "fingerprint" in out
    fingerprint = out.split("fingerprint ")[1].rstrip(".\n")
    assert _run(capsys, agency, "org", "publish", "--out", str(usb))[0] == 0
    [first] = usb.glob("KPI_organisation_*_v0001.kpib")
    code, out, err = _run(capsys, pc, "org", "import", str(first))
    assert code == 0, err
    assert f"Agency key: {fingerprint}" in out  # shown at set-up, to compare by phone
    assert "policies 1" in out and "people 4" in out

    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "my own passphrase")
    request = tmp_path / "request.json"
    code, out, _ = _run(capsys, pc, "keys", "create", "--person", "vp-cv1", "--request",
                        str(request))
    assert code == 0 and request.exists()
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "agency secret")
    assert _run(capsys, agency, "keys", "enrol", str(request))[0] == 0
    assert _run(capsys, agency, "org", "publish", "--out", str(usb))[0] == 0
    code, out, _ = _run(capsys, pc, "import", str(usb))
    # One summary in plain words (issue 16 item 4): the new file imported, the old one known.
    assert code == 0 and "The organisation file was imported." in out
    assert "1 bundle was imported before." in out
    code, out, _ = _run(capsys, pc, "keys", "list")
    assert "vp-cv1" in out and "published" in out

    code, _, err = _run(capsys, pc, "org", "import", str(first))  # the same file again
    assert code == 0
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", "wrong")
    code, _, err = _run(capsys, pc, "sync", "export", "--to", str(usb), "--as", "vp-cv1")
    assert code == 3 and "passphrase is wrong" in err


def test_export_and_refusal_by_command(world: World, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES[OFFICIAL])
    code, out, err = _run(capsys, world.official, "log", "add", "--person", OFFICIAL,
                          "--date", "2026-11-20", "--item", "DC.04", "--quantity", "1",
                          "--submit")
    assert code == 0, err
    target = world.root / "stick"
    code, out, err = _run(capsys, world.official, "sync", "export", "--to", str(target),
                          "--as", OFFICIAL)
    assert code == 0, err
    files = sorted(target.glob("*.kpib"))
    assert len(files) == 2 and "number 1" in out
    damaged = target / "damaged.kpib"
    damaged.write_bytes(files[0].read_bytes()[:-200])
    code, out, err = _run(capsys, world.agency, "import", str(damaged))
    assert code == 3
    assert "damaged or incomplete" in err
