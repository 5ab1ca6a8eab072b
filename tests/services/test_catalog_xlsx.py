"""The catalog workbook parser and the demo catalog built from xã Nghĩa Lâm's QĐ 283."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.catalog_xlsx import CatalogData, read_catalog_xlsx

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build_demo_catalog.py"
CATALOG_JSON = ROOT / "resources" / "demo" / "catalog_nghia_lam.json"
CATALOG_EN_JSON = ROOT / "resources" / "demo" / "catalog_nghia_lam_en.json"


def _load_build_module() -> Any:
    spec = importlib.util.spec_from_file_location("build_demo_catalog", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()


@pytest.fixture(scope="module")
def source() -> Path:
    try:
        return build.find_source()
    except build.BuildError:
        pytest.skip("the QĐ 283 workbook is not available")


@pytest.fixture(scope="module")
def catalog(source: Path) -> CatalogData:
    return read_catalog_xlsx(source)


def _item(catalog: CatalogData, code: str):
    return next(item for item in catalog.items if item.code == code)


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _strings(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from _strings(child)


# ---------------------------------------------------------------------------------------------
# The real workbook


def test_counts_per_sheet_scope_division_and_field(catalog: CatalogData) -> None:
    assert Counter(item.sheet for item in catalog.items) == {
        "PL II - Lanh dao QL": 18,
        "PL III - Dung chung": 62,
        "PL IV - Rieng phong": 291,
    }
    assert Counter(item.scope for item in catalog.items) == {
        "leadership": 18,
        "shared": 62,
        "division": 291,
    }
    assert Counter(item.division_vi for item in catalog.items if item.scope == "division") == {
        "Văn phòng HĐND-UBND": 42,
        "Trung tâm Phục vụ hành chính công": 42,
        "Phòng Kinh tế": 136,
        "Phòng Văn hóa - Xã hội": 71,
    }
    assert Counter(i.code_prefix for i in catalog.items if i.scope == "division") == {
        "VP": 42, "HCC": 42,
        "KTTC": 21, "KTXD": 17, "KTNN": 20, "KTMT": 16, "KTDC": 40, "GPMB": 22,
        "NV": 18, "VHTT": 14, "ASXH": 16, "GD": 8, "YTE": 9, "VHXHKT": 6,
    }  # fmt: skip
    assert all(i.code.startswith("QL.") for i in catalog.items if i.scope == "leadership")
    assert all(i.code.startswith("DC.") for i in catalog.items if i.scope == "shared")
    assert all(i.division_vi is None for i in catalog.items if i.scope != "division")
    assert len({item.code for item in catalog.items}) == len(catalog.items) == 371
    assert catalog.standard_unit_points == Decimal(5)


@pytest.mark.parametrize(
    ("code", "group", "points", "coefficient"),
    [
        ("DC.01", "N1", "5", "1.00"),
        ("DC.16", "N1", "3", "0.60"),
        ("DC.27", "N1", "8", "1.60"),
        ("DC.22", "N2", "45", "9.00"),
        ("DC.05", "N3", "60", "12.00"),
        ("DC.QPPL.02", "N4", "150", "30.00"),
        ("QL.01", "N3", "70", "14.00"),
        ("QL.09", "N3", "65", "13.00"),
    ],
)
def test_domain_sample_rows(
    catalog: CatalogData, code: str, group: str, points: str, coefficient: str
) -> None:
    item = _item(catalog, code)
    assert item.group == group
    assert item.points == Decimal(points)
    assert item.coefficient == Decimal(coefficient)
    assert str(item.coefficient) == coefficient  # two places, as printed in the decision


def test_first_row_in_full(catalog: CatalogData) -> None:
    item = _item(catalog, "DC.01")
    assert item.name_vi == "Soạn thảo văn bản hành chính đơn giản"
    assert item.detail_vi == "Soạn công văn/thông báo/giấy mời theo mẫu, nội dung đơn giản"
    assert item.output_vi == "Văn bản hành chính"
    assert (item.point_min, item.point_max) == (1, 10)
    assert item.scope == "shared"
    assert item.note is None
    # Phụ lục III's note column is headed "Sản phẩm chuẩn = 5 điểm = hệ số 1,00".
    assert _item(catalog, "DC.12").note == "Tách theo ví dụ tại Công văn Sở Nội vụ"
    assert _item(catalog, "KTDC.17").division_vi == "Phòng Kinh tế"


def test_groups_ranges_and_coefficients(catalog: CatalogData) -> None:
    ranges = {item.group: (item.point_min, item.point_max) for item in catalog.items}
    assert ranges == {"N1": (1, 10), "N2": (11, 50), "N3": (51, 100), "N4": (101, 200)}
    for item in catalog.items:
        assert item.point_min <= item.points <= item.point_max
        expected = (item.points / 5).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert item.coefficient == expected, item.code


def test_general_criteria(catalog: CatalogData) -> None:
    assert catalog.criteria_total == 30
    assert [(g.group, g.max_points) for g in catalog.criterion_groups] == [
        ("I", 10),
        ("II", 10),
        ("III", 10),
    ]
    per_group: Counter[str] = Counter()
    for criterion in catalog.criteria:
        per_group[criterion.group] += criterion.max_points
    assert per_group == {"I": 10, "II": 10, "III": 10}
    assert [(c.group, c.number) for c in catalog.criteria] == [
        ("I", 1), ("I", 2),
        ("II", 1), ("II", 2), ("II", 3), ("II", 4),
        ("III", 1), ("III", 2), ("III", 3), ("III", 4),
    ]  # fmt: skip
    assert catalog.criteria[2].max_points == Decimal("2.5")
    assert catalog.criteria[0].text_vi == (
        "Phẩm chất chính trị, phẩm chất đạo đức, văn hóa thực thi công vụ"
    )


def test_all_parsed_text_is_trimmed_nfc(catalog: CatalogData) -> None:
    texts = [
        value
        for row in (*catalog.items, *catalog.criteria, *catalog.criterion_groups)
        for value in (getattr(row, name, None) for name in row.__slots__)
        if isinstance(value, str)
    ]
    assert len(texts) > 371 * 5
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), text
        assert text == text.strip() and "  " not in text, text


# ---------------------------------------------------------------------------------------------
# The committed demo catalog


def test_committed_json_is_what_the_build_script_produces(source: Path, tmp_path: Path) -> None:
    output = tmp_path / "catalog.json"
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--source", str(source), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_bytes() == CATALOG_JSON.read_bytes(), (
        "resources/demo/catalog_nghia_lam.json is stale: run packaging/build_demo_catalog.py"
    )


def test_committed_json_content(catalog: CatalogData) -> None:
    document = json.loads(CATALOG_JSON.read_text(encoding="utf-8"))
    header = document["catalog"]
    assert header["version"] == "NL-QD283-2026.1"
    assert header["standard_unit_points"] == "5"
    assert header["source_document"]["number"] == "283/QĐ-UBND"
    assert header["counts"] == {"leadership": 18, "shared": 62, "division": 291, "total": 371}

    items = document["items"]
    assert [i["code"] for i in items] == [i.code for i in catalog.items]
    for entry, row in zip(items, catalog.items, strict=True):
        assert entry["points"] == str(row.points)
        assert entry["coefficient"] == str(row.coefficient)
        assert entry["complexity_level"] == int(row.group[1:])
        assert entry["time_norm_minutes"] == int(row.points * 6)
        for key in ("name_en", "output_en"):
            english = entry[key]
            assert english and english == english.strip(), (row.code, key)
            assert english.casefold() != entry[key.replace("_en", "_vi")].casefold()
            assert english.isascii(), (row.code, english)  # no Vietnamese copied in
        if row.scope == "division":
            assert entry["field_code"] == row.code_prefix
            assert entry["division_code"] and entry["division_en"]
    assert len({i["name_en"] for i in items}) == len(items)

    divisions = {d["code"]: d for d in document["divisions"]}
    assert {c: d["name_en"] for c, d in divisions.items()} == {
        "VP": "Office of the People's Council and People's Committee",
        "TTPVHCC": "Public Administrative Service Centre",
        "PKT": "Economic Division",
        "PVHXH": "Culture and Social Affairs Division",
    }
    fields = {f["code"]: f for f in document["fields"]}
    assert set(fields) == {
        "VP", "HCC", "KTDC", "GPMB", "KTTC", "KTNN", "NV",
        "KTXD", "KTMT", "ASXH", "VHTT", "YTE", "GD", "VHXHKT",
    }  # fmt: skip
    assert sum(f["item_count"] for f in fields.values()) == 291
    criteria = document["general_criteria"]
    assert criteria["max_points"] == "30"
    assert [g["max_points"] for g in criteria["groups"]] == ["10", "10", "10"]
    assert all(sub["text_en"] for g in criteria["groups"] for sub in g["items"])


def test_committed_files_are_nfc_utf8() -> None:
    for path in (CATALOG_JSON, CATALOG_EN_JSON):
        text = path.read_bytes().decode("utf-8")
        assert unicodedata.is_normalized("NFC", text), path
        for string in _strings(json.loads(text)):
            assert unicodedata.is_normalized("NFC", string), string


def test_build_refuses_an_item_without_english(source: Path, tmp_path: Path) -> None:
    translations = json.loads(CATALOG_EN_JSON.read_text(encoding="utf-8"))
    del translations["items"]["KTDC.17"]
    translations["items"]["DC.05"]["name_en"] = "Báo cáo định kỳ"
    bad = tmp_path / "en.json"
    bad.write_text(json.dumps(translations, ensure_ascii=False), encoding="utf-8")
    output = tmp_path / "catalog.json"
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--source", str(source),
         "--translations", str(bad), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "KTDC.17 name_en: no English text" in result.stderr
    assert "DC.05 name_en" in result.stderr
    assert not output.exists()


# ---------------------------------------------------------------------------------------------
# Damaged workbooks

ITEM_HEADER = [
    "STT", "Mã CV", "Nhiệm vụ", "Công việc chi tiết", "Sản phẩm đầu ra", "Nhóm",
    "Khung điểm", "Điểm chấm", "Hệ số quy đổi", "Ghi chú",
]  # fmt: skip
DIVISION_HEADER = [*ITEM_HEADER[:2], "Phòng, ban chuyên môn", *ITEM_HEADER[2:]]
CRITERIA = [
    ["TT", "Tiêu chí chấm điểm", "Điểm tối đa"],
    ["I", "Phẩm chất chính trị, đạo đức", 10],
    [1, "Phẩm chất chính trị", 5],
    [2, "Ý thức kỷ luật", 5],
    ["II", "Năng lực chuyên môn", 10],
    *[[n, f"Tiêu chí {n}", 2.5] for n in range(1, 5)],
    ["III", "Đổi mới, sáng tạo", 10],
    *[[n, f"Đổi mới {n}", 2.5] for n in range(1, 5)],
    [None, "CỘNG", 30],
]


def _shared_rows(divisor: int = 5) -> list[list[Any]]:
    return [
        [1, "DC.01", "Soạn thảo văn bản hành chính đơn giản", "Soạn theo mẫu", "Văn bản",
         "N1", "1-10", 5, f"=ROUND(H5/{divisor},2)", None],
        [None, None, None, None, None, None, None, None, None, None],
        [2, "DC.22", "Xử lý đơn thư", "Phân loại", "Công văn",
         "N2", "11-50", 45, f"=ROUND(H7/{divisor},2)", "Ghi chú"],
    ]  # fmt: skip


def _make_workbook(
    path: Path,
    *,
    shared_header: list[str] | None = None,
    shared_rows: list[list[Any]] | None = None,
    division_rows: list[list[Any]] | None = None,
    divisor: int = 5,
) -> Path:
    workbook = Workbook()
    criteria = workbook.active
    criteria.title = "PL I - Tieu chi chung"
    criteria.append(["PHỤ LỤC I: TIÊU CHÍ CHUNG"])
    criteria.append(["(Kèm theo Quyết định số 283/QĐ-UBND)"])
    for row in CRITERIA:
        criteria.append(row)

    leadership = workbook.create_sheet("PL II - Lanh dao QL")
    leadership.append(["PHỤ LỤC II"])
    leadership.append(["DANH MỤC SẢN PHẨM/CÔNG VIỆC QUY ĐỔI - NHIỆM VỤ LÃNH ĐẠO, QUẢN LÝ"])
    leadership.append(["(Kèm theo Quyết định)"])
    leadership.append(ITEM_HEADER)
    leadership.append([1, "QL.01", "Chỉ đạo xây dựng kế hoạch", "Rà soát", "Kế hoạch",
                       "N3", "51-100", 70, f"=ROUND(H5/{divisor},2)", None])  # fmt: skip

    shared = workbook.create_sheet("PL III - Dung chung")
    shared.append(["PHỤ LỤC III"])
    shared.append(["DANH MỤC SẢN PHẨM/CÔNG VIỆC DÙNG CHUNG"])
    shared.append(["(Kèm theo Quyết định)"])
    shared.append(shared_header or [*ITEM_HEADER[:-1], "Sản phẩm chuẩn = 5 điểm = hệ số 1,00"])
    for row in _shared_rows(divisor) if shared_rows is None else shared_rows:
        shared.append(row)

    division = workbook.create_sheet("PL IV - Rieng phong")
    division.append(["PHỤ LỤC IV"])
    division.append(["DANH MỤC RIÊNG THEO PHÒNG"])
    division.append(["(Kèm theo Quyết định)"])
    division.append([])
    division.append(DIVISION_HEADER)
    default_division_rows = [
        [None, "A. PHÒNG KINH TẾ"],  # section row
        [1, "KTDC.17", "Phòng Kinh tế", "Tham mưu quy hoạch", "Tổng hợp", "Báo cáo",
         "N4", "101-200", 120, f"=ROUND(I7/{divisor},2)", None],
    ]  # fmt: skip
    for row in default_division_rows if division_rows is None else division_rows:
        division.append(row)
    workbook.save(path)
    return path


def _refusal(path: Path) -> dict[str, Any]:
    with pytest.raises(RefusedValue) as caught:
        read_catalog_xlsx(path)
    assert caught.value.code == "catalog_xlsx_invalid"
    return caught.value.params


def test_synthetic_workbook_parses(tmp_path: Path) -> None:
    rows = _shared_rows()
    rows[0][2] = unicodedata.normalize("NFD", "  Soạn thảo văn bản  hành chính ")
    data = read_catalog_xlsx(_make_workbook(tmp_path / "ok.xlsx", shared_rows=rows))
    assert [(i.code, i.scope, str(i.coefficient)) for i in data.items] == [
        ("QL.01", "leadership", "14.00"),
        ("DC.01", "shared", "1.00"),
        ("DC.22", "shared", "9.00"),
        ("KTDC.17", "division", "24.00"),
    ]
    assert data.items[1].name_vi == "Soạn thảo văn bản hành chính"
    assert data.items[2].note == "Ghi chú"
    assert data.items[3].division_vi == "Phòng Kinh tế"
    assert (data.items[3].sheet, data.items[3].row) == ("PL IV - Rieng phong", 7)
    assert data.criteria_total == 30


def test_standard_unit_comes_from_the_formulas(tmp_path: Path) -> None:
    data = read_catalog_xlsx(_make_workbook(tmp_path / "unit25.xlsx", divisor=25))
    assert data.standard_unit_points == 25
    assert [str(i.coefficient) for i in data.items] == ["2.80", "0.20", "1.80", "4.80"]


def test_mixed_standard_units_are_refused(tmp_path: Path) -> None:
    rows = _shared_rows()
    rows[0][8] = "=ROUND(H5/25,2)"
    with pytest.raises(RefusedValue) as caught:
        read_catalog_xlsx(_make_workbook(tmp_path / "mixed.xlsx", shared_rows=rows))
    assert caught.value.params["reason"] == "standard_unit_conflict"


def test_wrong_header_is_refused(tmp_path: Path) -> None:
    header = [*ITEM_HEADER]
    header[7] = "Điểm"  # instead of "Điểm chấm"
    params = _refusal(_make_workbook(tmp_path / "header.xlsx", shared_header=header))
    assert params["sheet"] == "PL III - Dung chung"
    assert params["row"] == 4
    assert params["reason"] == "header_missing_column"
    assert params["columns"] == ["points"]


def test_missing_header_row_is_refused(tmp_path: Path) -> None:
    header = [*ITEM_HEADER]
    header[0], header[1] = "Số", "Mã"
    params = _refusal(_make_workbook(tmp_path / "noheader.xlsx", shared_header=header))
    assert (params["sheet"], params["reason"]) == ("PL III - Dung chung", "header_not_found")


def test_duplicate_code_is_refused(tmp_path: Path) -> None:
    rows = _shared_rows()
    rows[2][1] = "DC.01"
    params = _refusal(_make_workbook(tmp_path / "dup.xlsx", shared_rows=rows))
    assert params["sheet"] == "PL III - Dung chung"
    assert params["row"] == 7
    assert params["reason"] == "duplicate_code"
    assert params["code"] == "DC.01"
    assert (params["first_sheet"], params["first_row"]) == ("PL III - Dung chung", 5)


def test_duplicate_code_across_sheets_is_refused(tmp_path: Path) -> None:
    rows = [[1, "DC.22", "Phòng Kinh tế", "Trùng mã", "", "Báo cáo",
             "N2", "11-50", 20, "=ROUND(I6/5,2)", None]]  # fmt: skip
    params = _refusal(_make_workbook(tmp_path / "dup2.xlsx", division_rows=rows))
    assert (params["sheet"], params["row"], params["reason"]) == (
        "PL IV - Rieng phong",
        6,
        "duplicate_code",
    )


@pytest.mark.parametrize("value", ["năm", "45 điểm", "=H5*2", True])
def test_non_numeric_points_are_refused(tmp_path: Path, value: Any) -> None:
    rows = _shared_rows()
    rows[2][7] = value
    params = _refusal(_make_workbook(tmp_path / "points.xlsx", shared_rows=rows))
    assert params["sheet"] == "PL III - Dung chung"
    assert params["row"] == 7
    assert params["reason"] == "points_not_numeric"
    assert params["code"] == "DC.22"


def test_points_outside_the_group_range_are_refused(tmp_path: Path) -> None:
    rows = _shared_rows()
    rows[0][7] = 12  # N1 is 1-10
    params = _refusal(_make_workbook(tmp_path / "range.xlsx", shared_rows=rows))
    assert params["sheet"] == "PL III - Dung chung"
    assert params["row"] == 5
    assert params["reason"] == "points_out_of_range"
    assert (params["code"], params["group"], params["range"]) == ("DC.01", "N1", "1-10")


def test_unknown_group_is_refused(tmp_path: Path) -> None:
    rows = _shared_rows()
    rows[0][5] = "N7"
    params = _refusal(_make_workbook(tmp_path / "group.xlsx", shared_rows=rows))
    assert (params["row"], params["reason"], params["value"]) == (5, "bad_group", "N7")


def test_points_without_a_code_are_refused(tmp_path: Path) -> None:
    rows = _shared_rows()
    rows[2][1] = None
    params = _refusal(_make_workbook(tmp_path / "code.xlsx", shared_rows=rows))
    assert (params["row"], params["reason"]) == (7, "code_missing")


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    path.write_text("STT;Mã CV\n1;DC.01\n", encoding="utf-8")
    params = _refusal(path)
    assert (params["sheet"], params["row"], params["reason"]) == (None, None, "not_xlsx")


def test_a_workbook_in_another_layout_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Điểm"])
    workbook.save(tmp_path / "other.xlsx")
    params = _refusal(tmp_path / "other.xlsx")
    assert params["reason"] == "no_item_sheet"


def test_unrelated_sheets_are_ignored_but_unknown_appendices_are_not(tmp_path: Path) -> None:
    path = _make_workbook(tmp_path / "extra.xlsx")
    workbook = load_workbook(path)
    staff = workbook.create_sheet("Danh sách công chức")
    staff.append(["STT", "Họ và tên", "Chức vụ"])
    staff.append([1, "Nguyễn Văn A", "Chuyên viên"])
    workbook.save(path)
    assert len(read_catalog_xlsx(path).items) == 4

    workbook.create_sheet("PL V - Khac").append(["STT", "Nội dung", "Điểm"])
    workbook.save(path)
    params = _refusal(path)
    assert (params["sheet"], params["row"], params["reason"]) == (
        "PL V - Khac",
        1,
        "header_unrecognised",
    )
