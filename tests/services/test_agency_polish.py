"""Polish of the agency's services: the reasons inside "staff list / catalog file cannot be
read" are translated sentences, and the command line's staff import refuses what the GUI
refuses (self-evaluation, evaluator cycles), changing nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.runtime import i18n
from kpi_desktop.services import agency_messages
from kpi_desktop.services.agency_setup import AgencySetupService
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.messages import describe
from kpi_desktop.storage.backup import dump_database

from .test_agency_admin import STAFF, agency  # noqa: F401 - the agency PC fixture
from .test_catalog_xlsx import ITEM_HEADER, _make_workbook

SERVICES = Path(__file__).resolve().parents[2] / "kpi_desktop" / "services"


def _reason_codes(module: str) -> set[str]:
    """Every reason code a module raises (``_refuse(…, "code"…)``)."""
    source = (SERVICES / module).read_text(encoding="utf-8")
    return set(re.findall(r'_refuse\(\s*[^"]*?"([a-z_]+)"', source))


def test_every_catalog_and_staff_reason_has_a_vietnamese_sentence() -> None:
    catalog, staff = _reason_codes("catalog_xlsx.py"), _reason_codes("agency_setup.py")
    assert {"not_xlsx", "criteria_total_mismatch", "bad_group"} <= catalog
    assert {"file_unreadable", "columns_missing", "role_unknown", "date_malformed"} <= staff
    params = dict(code="1.2", value="x", column="code", columns=["points", "code"],
                  points="7", range="1-5", group="N1", expected="5", actual="6", number=2,
                  first_sheet="PL II", first_row=5, path="/tmp/x.csv")
    i18n.set_language("en")
    english = {("c", r): agency_messages.catalog_reason({**params, "reason": r})
               for r in catalog}
    english |= {("s", r): agency_messages.staff_reason({**params, "reason": r})
                for r in staff}
    fallbacks = {agency_messages.catalog_reason({"reason": "?"}),
                 agency_messages.staff_reason({"reason": "?"})}
    assert not fallbacks & set(english.values())  # each code has its own sentence
    i18n.set_language("vi")
    for (kind, reason), text in english.items():
        function = agency_messages.catalog_reason if kind == "c" else agency_messages.staff_reason
        vietnamese = function({**params, "reason": reason})
        assert vietnamese != text and vietnamese.endswith("."), (reason, vietnamese)
        assert reason not in vietnamese


def _refused_in_vi(services: AppServices, action, code: str) -> str:
    before = dump_database(services.paths.database)
    with pytest.raises(RefusedValue) as caught:
        action()
    assert caught.value.code == code
    assert dump_database(services.paths.database) == before
    i18n.set_language("vi")
    try:
        return describe(caught.value)
    finally:
        i18n.set_language("en")


def test_unreadable_staff_lists_and_catalogs_are_explained_in_vietnamese(
        agency: AppServices, tmp_path: Path) -> None:  # noqa: F811
    cases = {
        "empty.csv": ("", "Không đọc được danh sách công chức (dòng 1): tệp không có dữ liệu."),
        "columns.csv": ("id,name\na,B\n", "dòng tiêu đề thiếu các cột full_name, unit_id"),
        "utf16.csv": ("id,full_name,unit_id\nx,Trần,vp\n".encode("utf-16"),
                       "tệp không phải văn bản UTF-8"),
        "absent.csv": (None, "Không đọc được danh sách công chức: không mở được tệp"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content, encoding="utf-8")
        for action in (lambda p=path: agency.agency.import_staff(p),
                       lambda p=path: AgencySetupService(agency.db).import_staff(p)):
            text = _refused_in_vi(agency, action, "staff_list_invalid")
            assert expected in text, text
            assert not re.search(r"\b(empty|missing|column|unknown|file)\b", text), text
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    text = _refused_in_vi(agency, lambda: agency.agency.import_catalog(bad, version_id="V2"),
                          "catalog_xlsx_invalid")
    assert text == ("Không đọc được tệp danh mục: đây không phải tệp Excel (.xlsx); hãy "
                    "lưu lại dưới dạng .xlsx rồi thử lại.")
    header = [*ITEM_HEADER]
    header[7] = "Điểm"  # instead of "Điểm chấm"
    workbook = _make_workbook(tmp_path / "header.xlsx", shared_header=header)
    text = _refused_in_vi(agency, lambda: agency.agency.preview_catalog(workbook),
                          "catalog_xlsx_invalid")
    assert text == ("Không đọc được tệp danh mục (trang “PL III - Dung chung”, dòng 4): "
                    "dòng tiêu đề thiếu các cột “Điểm chấm”.")


@pytest.mark.parametrize(("rows", "code", "sentence"), [
    ("x1,Người Một,vp,official,x1,\n", "staff_evaluator_self",
     "Row 2: x1 cannot be their own evaluator."),
    ("x1,Người Một,vp,official,x2,\nx2,Người Hai,vp,official,x1,\n", "staff_evaluator_cycle",
     "Row 2: the evaluators go round in a circle"),
    # With the relations already in the organisation: vp-tp evaluates vp-cv1.
    ("vp-tp,Trần Thị Văn,vp,head,vp-cv1,\n", "staff_evaluator_cycle",
     "go round in a circle (vp-tp → vp-cv1 → vp-tp)"),
])
def test_the_command_line_refuses_what_the_people_page_refuses(
        agency: AppServices, tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        rows: str, code: str, sentence: str) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text("id,full_name,unit_id,role,evaluator_id,joined_on\n" + rows,
                     encoding="utf-8")
    assert agency.agency.preview_staff(staff).errors[0].error.code == code  # the GUI's check
    before = dump_database(agency.paths.database)
    result = main(["--data-dir", str(agency.paths.data_dir), "--lang", "en", "org", "staff",
                   str(staff)])
    err = capsys.readouterr().err
    assert result == 3 and sentence in err, err
    assert dump_database(agency.paths.database) == before
    assert "vp-tp" in STAFF  # the fixture's list: vp-tp evaluates vp-cv1
