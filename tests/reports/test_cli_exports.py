"""`report`, `export` and `verify` from the command line; CSV/XLSX/JSON contents."""

from __future__ import annotations

import csv
import json
import os

import pytest

from kpi_desktop.app import main
from tests.reports.conftest import pdf_text


def run(capsys, data_dir, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_commands_write_pdfs_and_verify(report_dir, tmp_path, capsys):
    out = tmp_path / "f01.pdf"
    code, stdout, _ = run(capsys, report_dir, "report", "form01", "--person", "vp-cv2",
                          "--period", "2026-09", "--out", str(out), "--lang", "vi")
    assert code == 0 and out.exists()
    printed = stdout.strip().split("verification code ")[1].rstrip(".")
    assert printed in pdf_text(out)
    assert "Hoàng Văn Đức" in pdf_text(out)
    code, stdout, _ = run(capsys, report_dir, "verify", printed)
    assert code == 0 and "matches" in stdout

    out2 = tmp_path / "f02.pdf"
    assert run(capsys, report_dir, "report", "form02", "--person", "vp-cv2", "--year", "2026",
               "--out", str(out2))[0] == 0
    assert "CIVIL SERVANT QUALITY CLASSIFICATION FORM" in pdf_text(out2)
    out3 = tmp_path / "unit.pdf"
    assert run(capsys, report_dir, "report", "unit", "--unit", "vp", "--period", "2026-Q3",
               "--out", str(out3))[0] == 0
    assert "Quarter III of 2026" in pdf_text(out3)
    code, _, err = run(capsys, report_dir, "verify", "F01.vp-cv2.2026-09.AAAAAAAA")
    assert code == 3 and "does not match" in err


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["report", "form01", "--person", "nobody", "--period", "2026-03"], "nobody"),
        (["report", "form01", "--person", "kt-cv1", "--period", "2026-13"], "2026-13"),
        (["report", "form02", "--person", "kt-cv1", "--year", "26"], "26"),
        (["report", "unit", "--unit", "nowhere", "--period", "2026"], "nowhere"),
        (["report", "unit", "--unit", "kt", "--period", "2026-H3"], "2026-H3"),
    ],
)
def test_bad_input_exits_3_and_writes_nothing(report_dir, tmp_path, capsys, args, reason):
    out = tmp_path / "x.pdf"
    code, _, err = run(capsys, report_dir, *args, "--out", str(out))
    assert code == 3
    assert reason in err and "Refused" in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_exits_3(report_dir, tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "x.pdf"
    code, _, err = run(capsys, report_dir, "report", "form01", "--person", "kt-cv1",
                       "--period", "2026-03", "--out", str(target))
    assert code == 3 and "cannot be written" in err
    assert not target.parent.exists()
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, _ = run(capsys, report_dir, "report", "form01", "--person", "kt-cv1",
                         "--period", "2026-03", "--out", str(locked / "x.pdf"))
        assert code == 3 and list(locked.iterdir()) == []


def test_unknown_code_is_refused_in_vietnamese(report_dir, capsys):
    code = main(["--data-dir", str(report_dir), "--lang", "vi", "verify", "bogus"])
    _, err = capsys.readouterr()
    assert code == 3 and "không phải là mã kiểm tra" in err


def test_export_csv_xlsx_json(report_dir, tmp_path, capsys):
    from openpyxl import load_workbook

    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    folder = tmp_path / "out"
    code, stdout, _ = run(capsys, report_dir, "export", "--to", str(folder), "--period",
                          "2026-Q1")
    assert code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["kpi-2026-Q1.xlsx", "results-2026-Q1.json", "scores-2026-Q1.csv",
                     "worklog-2026-Q1.csv"]
    services = AppServices.open(app_paths(report_dir))
    try:
        people = services.organisation.people_overview()
        expected = services.scores.person_period("kt-cv1", "2026-02").score
        with services.db.unit_of_work(read_only=True) as uow:
            entries = sum(len(uow.worklog.list_for_period(p["id"], "2026-Q1")) for p in people)
    finally:
        services.close()

    with open(folder / "scores-2026-Q1.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(people) * 3
    row = next(r for r in rows if r["person_id"] == "kt-cv1" and r["period"] == "2026-02")
    assert row["full_name"] == "Nguyễn Thị Thảo"
    assert float(row["total"]) == expected.rounded("total")
    with open(folder / "worklog-2026-Q1.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == entries

    book = load_workbook(folder / "kpi-2026-Q1.xlsx", read_only=True)
    assert book.sheetnames == ["Scores", "Work log"]
    assert book["Scores"].max_row == len(people) * 3 + 1
    assert book["Work log"].max_row == entries + 1

    data = json.loads((folder / "results-2026-Q1.json").read_text(encoding="utf-8"))
    assert data["format"] == "kpi-desktop-results" and data["period_kind"] == "quarter"
    person = next(p for p in data["people"] if p["id"] == "kt-cv1")
    assert [m["period"] for m in person["months"]] == ["2026-01", "2026-02", "2026-03"]
    assert person["result"]["months_counted"] == 3

    code, _, err = run(capsys, report_dir, "export", "--to", str(tmp_path / "o2"), "--period",
                       "2026-99")
    assert code == 3 and not (tmp_path / "o2").exists()


def test_export_year_json_uses_the_classification(report_dir, tmp_path, capsys):
    folder = tmp_path / "y"
    assert run(capsys, report_dir, "export", "--to", str(folder), "--period", "2026",
               "--format", "json")[0] == 0
    assert [p.name for p in folder.iterdir()] == ["results-2026.json"]
    data = json.loads((folder / "results-2026.json").read_text(encoding="utf-8"))
    lan = next(p for p in data["people"] if p["id"] == "vp-cv3")
    assert lan["result"]["level"] is None and lan["result"]["reason"] == "too_few_months"
    assert len(lan["months"]) == 12
