"""Read a product/work catalog workbook laid out like xã Nghĩa Lâm's QĐ 283/QĐ-UBND.

The layout (one workbook, any sheet names):

* a **general-criteria sheet** (Phụ lục I): header ``TT | Tiêu chí chấm điểm | Điểm tối đa``;
  rows ``I``/``II``/``III`` are groups, rows ``1``, ``2``… are their sub-items, an optional
  ``CỘNG`` row is the total;
* one or more **item sheets** (Phụ lục II–IV): header ``STT | Mã CV | [Phòng, ban chuyên môn] |
  Nhiệm vụ | Công việc chi tiết | Sản phẩm đầu ra | Nhóm | Khung điểm | Điểm chấm |
  Hệ số quy đổi | Ghi chú``. A sheet with the division column holds per-division items; otherwise
  its title says whether it holds leadership ("lãnh đạo") or shared ("dùng chung") items.

Title rows above the header, blank rows, section rows and total rows are skipped. The conversion
coefficient column holds formulas (``=ROUND(H5/5,2)``), so it is never read as a value: the
coefficient is recomputed as ``round(points / standard_unit_points, 2)``. The divisor written in
those formulas gives the standard-unit points (5 when there are no formulas).

Pure Python plus openpyxl: no Qt, no SQLAlchemy. Every problem with the file's content raises
``RefusedValue("catalog_xlsx_invalid", sheet=…, row=…, reason=…, …)``.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.inputs import find_forbidden
from kpi_desktop.domain.values import fold_text

__all__ = [
    "ERROR_CODE",
    "CatalogData",
    "CatalogItemRow",
    "CriterionGroupRow",
    "CriterionRow",
    "read_catalog_xlsx",
]

ERROR_CODE = "catalog_xlsx_invalid"
# Bounds of a catalog workbook: unpacked size, rows per sheet, characters in one cell.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELL = 4000

Scope = Literal["leadership", "shared", "division"]

DEFAULT_STANDARD_UNIT_POINTS = Decimal(5)
_CENT = Decimal("0.01")
_HEADER_SCAN_ROWS = 20

# Normalised header text -> column key.
_ITEM_HEADERS = {
    "stt": "stt",
    "mã cv": "code",
    "phòng, ban chuyên môn": "division",
    "nhiệm vụ": "name",
    "công việc chi tiết": "detail",
    "sản phẩm đầu ra": "output",
    "nhóm": "group",
    "khung điểm": "range",
    "điểm chấm": "points",
    "hệ số quy đổi": "coefficient",
    "ghi chú": "note",
}
_ITEM_REQUIRED = (
    "stt",
    "code",
    "name",
    "detail",
    "output",
    "group",
    "range",
    "points",
    "coefficient",
)
_CRITERIA_HEADERS = {
    "tt": "number",
    "stt": "number",
    "tiêu chí chấm điểm": "text",
    "điểm tối đa": "max",
}
_CRITERIA_REQUIRED = ("number", "text", "max")

_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+$")
_GROUP_RE = re.compile(r"^(?:N|NHÓM|NHOM)?\s*([1-5])$", re.IGNORECASE)
_RANGE_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*[-–—]\s*(\d+(?:[.,]\d+)?)$")
_NUMBER_RE = re.compile(r"^[+]?\d+(?:[.,]\d+)?$")
_ROMAN_RE = re.compile(r"^(?=[IVX])(X{0,3})(IX|IV|V?I{0,3})$")
_ROUND_FORMULA_RE = re.compile(
    r"^=\s*ROUND\s*\(\s*\$?[A-Z]{1,3}\$?\d+\s*/\s*(\d+(?:\.\d+)?)\s*,\s*2\s*\)$",
    re.IGNORECASE,
)
_TOTAL_WORDS = {"cong", "tong", "tong cong"}


@dataclass(frozen=True, slots=True)
class CatalogItemRow:
    """One product/work item (a row of Phụ lục II, III or IV)."""

    code: str
    name_vi: str
    detail_vi: str
    output_vi: str
    group: str  # "N1".."N5"
    point_min: int
    point_max: int
    points: Decimal
    coefficient: Decimal  # points / standard_unit_points, rounded half-up to 2 places
    scope: Scope
    division_vi: str | None
    note: str | None
    # Where the row came from, for messages; not part of the value.
    sheet: str = field(default="", compare=False)
    row: int = field(default=0, compare=False)

    @property
    def complexity_level(self) -> int:
        """1..5 from the group N1..N5."""
        return int(self.group[1:])

    @property
    def code_prefix(self) -> str:
        """First segment of the code ("KTDC" for "KTDC.17", "DC" for "DC.QPPL.02")."""
        return self.code.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One sub-item of the general criteria (e.g. group "II", number 3, max 2.5)."""

    group: str  # "I", "II", "III"
    number: int
    text_vi: str
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class CriterionGroupRow:
    """A group heading of the general criteria (e.g. "I", max 10)."""

    group: str
    text_vi: str
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class CatalogData:
    """Everything read from one catalog workbook, in the workbook's order."""

    items: tuple[CatalogItemRow, ...]
    criteria: tuple[CriterionRow, ...]
    standard_unit_points: Decimal = DEFAULT_STANDARD_UNIT_POINTS
    criterion_groups: tuple[CriterionGroupRow, ...] = ()

    @property
    def criteria_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))


# --------------------------------------------------------------------------------------------
# Public entry point


def read_catalog_xlsx(path: str | os.PathLike[str]) -> CatalogData:
    """Parse the workbook at ``path``.

    Raises ``RefusedValue("catalog_xlsx_invalid", sheet=…, row=…, reason=…)`` when the file is
    not an xlsx workbook in this layout or its content is inconsistent (duplicate code, points
    outside the group's range, non-numeric points, a control character in a cell, …), and
    ``reason="file_unreadable"`` when the file cannot be opened.
    """
    _check_package(path)
    try:
        workbook = load_workbook(os.fspath(path), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _refuse(None, None, "not_xlsx", detail=type(exc).__name__) from exc
    except OSError:
        raise _refuse(None, None, "file_unreadable", path=os.fspath(path)) from None
    except Exception as exc:  # openpyxl on a damaged or hostile workbook: any parser error
        raise _refuse(None, None, "not_xlsx", detail=type(exc).__name__) from exc
    try:
        sheets = []
        for ws in workbook.worksheets:
            if hasattr(ws, "reset_dimensions"):
                # Some producers write a wrong <dimension>; read every stored row instead.
                ws.reset_dimensions()
            rows = []
            for values in ws.iter_rows(values_only=True):
                rows.append(values)
                if len(rows) > MAX_ROWS:
                    raise _refuse(ws.title, len(rows), "too_many_rows", maximum=MAX_ROWS)
            sheets.append((ws.title, rows))
    except RefusedValue:
        raise
    except OSError:
        raise _refuse(None, None, "file_unreadable", path=os.fspath(path)) from None
    except Exception as exc:  # the same, while the rows are parsed
        raise _refuse(None, None, "not_xlsx", detail=type(exc).__name__) from exc
    finally:
        workbook.close()
    _check_cells(sheets)
    return _parse_workbook(sheets)


def _check_package(path: str | os.PathLike[str]) -> None:
    """An .xlsx is a zip: its unpacked size is bounded before anything is parsed."""
    try:
        with zipfile.ZipFile(os.fspath(path)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as exc:
        raise _refuse(None, None, "not_xlsx", detail=type(exc).__name__) from exc
    except OSError:
        raise _refuse(None, None, "file_unreadable", path=os.fspath(path)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(None, None, "file_too_large",
                      maximum=MAX_UNPACKED_BYTES // (1024 * 1024))


def _check_cells(sheets: Sequence[tuple[str, list[tuple[Any, ...]]]]) -> None:
    """No control character in any text cell (line breaks and tabs are allowed: headers and
    long descriptions wrap), no cell longer than :data:`MAX_CELL`."""
    from openpyxl.utils import get_column_letter

    for title, rows in sheets:
        bad_title = find_forbidden(str(title))
        if bad_title is not None:
            raise _refuse(title, None, "control_character", column="",
                          char=f"U+{ord(bad_title):04X}")
        for number, values in enumerate(rows, start=1):
            for index, value in enumerate(values):
                if not isinstance(value, str):
                    continue
                bad = find_forbidden(value)
                if bad is not None:
                    raise _refuse(title, number, "control_character",
                                  column=get_column_letter(index + 1),
                                  char=f"U+{ord(bad):04X}")
                if len(value) > MAX_CELL:
                    raise _refuse(title, number, "cell_too_long",
                                  column=get_column_letter(index + 1), maximum=MAX_CELL)


# --------------------------------------------------------------------------------------------
# Workbook level


def _parse_workbook(sheets: Sequence[tuple[str, list[tuple[Any, ...]]]]) -> CatalogData:
    items: list[CatalogItemRow] = []
    criteria: list[CriterionRow] = []
    groups: list[CriterionGroupRow] = []
    divisors: dict[Decimal, tuple[str, int]] = {}
    raw_items: list[_RawItem] = []
    saw_criteria = saw_items = False

    for title, rows in sheets:
        kind, header_index = _find_header(title, rows)
        if kind is None:
            continue
        if kind == "criteria":
            if saw_criteria:
                raise _refuse(title, header_index + 1, "duplicate_criteria_sheet")
            saw_criteria = True
            sheet_groups, sheet_criteria = _parse_criteria(title, rows, header_index)
            groups.extend(sheet_groups)
            criteria.extend(sheet_criteria)
        else:
            saw_items = True
            raw_items.extend(_parse_item_sheet(title, rows, header_index, divisors))

    if not saw_items:
        raise _refuse(None, None, "no_item_sheet")
    if not saw_criteria:
        raise _refuse(None, None, "no_criteria_sheet")

    standard = next(iter(divisors), DEFAULT_STANDARD_UNIT_POINTS)

    _check_codes_and_ranges(raw_items)
    for raw in raw_items:
        items.append(
            CatalogItemRow(
                code=raw.code,
                name_vi=raw.name,
                detail_vi=raw.detail,
                output_vi=raw.output,
                group=raw.group,
                point_min=raw.point_min,
                point_max=raw.point_max,
                points=raw.points,
                coefficient=(raw.points / standard).quantize(_CENT, rounding=ROUND_HALF_UP),
                scope=raw.scope,
                division_vi=raw.division,
                note=raw.note,
                sheet=raw.sheet,
                row=raw.row,
            )
        )
    return CatalogData(
        items=tuple(items),
        criteria=tuple(criteria),
        standard_unit_points=standard,
        criterion_groups=tuple(groups),
    )


def _find_header(title: str, rows: Sequence[tuple[Any, ...]]) -> tuple[str | None, int]:
    """Return ("items" | "criteria" | None, 0-based header row index)."""
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        first = next((c for c in row if _text(c)), None)
        if first is None or _fold(first) not in ("stt", "tt"):
            continue
        labels = {_fold(c) for c in row if _text(c)}
        if "mã cv" in labels:
            return "items", index
        if "tiêu chí chấm điểm" in labels:
            return "criteria", index
        if _looks_like_catalog_sheet(title):
            raise _refuse(title, index + 1, "header_unrecognised")
        return None, -1  # some other table (a staff list, a summary…): not ours
    if _looks_like_catalog_sheet(title):
        raise _refuse(title, None, "header_not_found")
    return None, -1


def _looks_like_catalog_sheet(title: str) -> bool:
    """Sheet names of the template ("PL I - …", "Phụ lục II", …) must have a header."""
    folded = _ascii_fold(title)
    return bool(re.match(r"^(pl|phu luc)\s*[ivx]+\b", folded))


def _column_map(
    title: str,
    header: tuple[Any, ...],
    row_number: int,
    known: dict[str, str],
    required: Iterable[str],
) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = known.get(_fold(cell)) if _text(cell) else None
        if key is None:
            continue
        if key in columns:
            raise _refuse(title, row_number, "header_duplicate_column", column=_text(cell))
        columns[key] = index
    missing = [k for k in required if k not in columns]
    if missing:
        raise _refuse(title, row_number, "header_missing_column", columns=missing)
    return columns


# --------------------------------------------------------------------------------------------
# Item sheets


@dataclass(slots=True)
class _RawItem:
    sheet: str
    row: int
    code: str
    name: str
    detail: str
    output: str
    group: str
    point_min: int
    point_max: int
    points: Decimal
    scope: Scope
    division: str | None
    note: str | None


def _parse_item_sheet(
    title: str,
    rows: Sequence[tuple[Any, ...]],
    header_index: int,
    divisors: dict[Decimal, tuple[str, int]],
) -> list[_RawItem]:
    header = rows[header_index]
    columns = _column_map(title, header, header_index + 1, _ITEM_HEADERS, _ITEM_REQUIRED)
    if "note" not in columns:
        # Phụ lục III labels its note column "Sản phẩm chuẩn = 5 điểm = hệ số 1,00": take the
        # first labelled column after the coefficient.
        after = columns["coefficient"] + 1
        for index in range(after, len(header)):
            if _text(header[index]):
                columns["note"] = index
                break
    scope = _sheet_scope(title, rows[:header_index], "division" in columns, header_index + 1)

    result: list[_RawItem] = []
    for index in range(header_index + 1, len(rows)):
        row_number = index + 1
        cells = rows[index]

        def cell(key: str, cells: tuple[Any, ...] = cells) -> Any:
            col = columns.get(key)
            return cells[col] if col is not None and col < len(cells) else None

        code = _text(cell("code"))
        points_cell = cell("points")
        if not code or not _CODE_RE.match(code):
            if _is_blank(points_cell) or _is_total_row(cells):
                continue  # blank, section ("A. PHÒNG KINH TẾ") or total row
            if not code:
                raise _refuse(title, row_number, "code_missing")
            raise _refuse(title, row_number, "bad_code", code=code)

        name = _text(cell("name"))
        if not name:
            raise _refuse(title, row_number, "name_missing", code=code)
        group = _parse_group(title, row_number, code, cell("group"))
        point_min, point_max = _parse_range(title, row_number, code, cell("range"))
        points = _parse_points(title, row_number, code, points_cell)
        if not point_min <= points <= point_max:
            raise _refuse(
                title,
                row_number,
                "points_out_of_range",
                code=code,
                points=str(points),
                group=group,
                range=f"{point_min}-{point_max}",
            )
        division: str | None = None
        if scope == "division":
            division = _text(cell("division"))
            if not division:
                raise _refuse(title, row_number, "division_missing", code=code)

        formula = cell("coefficient")
        if isinstance(formula, str):
            match = _ROUND_FORMULA_RE.match(formula.strip())
            if match:
                divisor = Decimal(match.group(1))
                if divisors and divisor not in divisors:
                    raise _refuse(
                        title,
                        row_number,
                        "standard_unit_conflict",
                        code=code,
                        value=str(divisor),
                        expected=str(next(iter(divisors))),
                    )
                divisors.setdefault(divisor, (title, row_number))

        result.append(
            _RawItem(
                sheet=title,
                row=row_number,
                code=code,
                name=name,
                detail=_text(cell("detail")),
                output=_text(cell("output")),
                group=group,
                point_min=point_min,
                point_max=point_max,
                points=points,
                scope=scope,
                division=division,
                note=_text(cell("note")) or None,
            )
        )
    return result


def _sheet_scope(
    title: str, banner_rows: Sequence[tuple[Any, ...]], has_division: bool, header_row: int
) -> Scope:
    if has_division:
        return "division"
    words = " ".join([title, *(_text(c) for row in banner_rows for c in row)])
    folded = _ascii_fold(words)
    leadership = "lanh dao" in folded
    shared = "dung chung" in folded
    if leadership and not shared:
        return "leadership"
    if shared and not leadership:
        return "shared"
    raise _refuse(title, header_row, "scope_unknown")


def _check_codes_and_ranges(items: Sequence[_RawItem]) -> None:
    seen: dict[str, _RawItem] = {}
    ranges: dict[str, _RawItem] = {}
    for item in items:
        first = seen.get(item.code)
        if first is not None:
            raise _refuse(
                item.sheet,
                item.row,
                "duplicate_code",
                code=item.code,
                first_sheet=first.sheet,
                first_row=first.row,
            )
        seen[item.code] = item
        other = ranges.setdefault(item.group, item)
        if (other.point_min, other.point_max) != (item.point_min, item.point_max):
            raise _refuse(
                item.sheet,
                item.row,
                "group_range_conflict",
                code=item.code,
                group=item.group,
                range=f"{item.point_min}-{item.point_max}",
                expected=f"{other.point_min}-{other.point_max}",
            )


def _parse_group(sheet: str, row: int, code: str, value: Any) -> str:
    text = _text(value) if not isinstance(value, bool) else ""
    match = _GROUP_RE.match(text) if text else None
    if not match:
        raise _refuse(sheet, row, "bad_group", code=code, value=text)
    return f"N{match.group(1)}"


def _parse_range(sheet: str, row: int, code: str, value: Any) -> tuple[int, int]:
    text = _text(value) if isinstance(value, str) else ""
    match = _RANGE_RE.match(text) if text else None
    if not match:
        raise _refuse(sheet, row, "bad_point_range", code=code, value=_text(value))
    low, high = (_decimal_from_text(g) for g in match.groups())
    if low != low.to_integral_value() or high != high.to_integral_value() or low > high:
        raise _refuse(sheet, row, "bad_point_range", code=code, value=text)
    return int(low), int(high)


def _parse_points(sheet: str, row: int, code: str, value: Any) -> Decimal:
    if _is_blank(value):
        raise _refuse(sheet, row, "points_missing", code=code)
    number = _to_decimal(value)
    if number is None:
        raise _refuse(sheet, row, "points_not_numeric", code=code, value=_text(value))
    if number <= 0:
        raise _refuse(sheet, row, "points_out_of_range", code=code, points=str(number))
    return number


# --------------------------------------------------------------------------------------------
# Criteria sheet


def _parse_criteria(
    title: str, rows: Sequence[tuple[Any, ...]], header_index: int
) -> tuple[list[CriterionGroupRow], list[CriterionRow]]:
    columns = _column_map(
        title, rows[header_index], header_index + 1, _CRITERIA_HEADERS, _CRITERIA_REQUIRED
    )
    groups: list[CriterionGroupRow] = []
    criteria: list[CriterionRow] = []
    sums: dict[str, Decimal] = {}
    group_rows: dict[str, int] = {}
    total: tuple[Decimal, int] | None = None
    current: str | None = None

    for index in range(header_index + 1, len(rows)):
        row_number = index + 1
        cells = rows[index]

        def cell(key: str, cells: tuple[Any, ...] = cells) -> Any:
            col = columns[key]
            return cells[col] if col < len(cells) else None

        number, text, maximum = cell("number"), _text(cell("text")), cell("max")
        number_text = _text(number)
        if not number_text and not text and _is_blank(maximum):
            continue
        if not number_text:
            if _ascii_fold(text) in _TOTAL_WORDS:
                total = (_criterion_points(title, row_number, maximum), row_number)
                continue
            if _is_blank(maximum):
                continue  # explanatory or section row
            raise _refuse(title, row_number, "bad_criterion_row")
        if not text:
            raise _refuse(title, row_number, "criterion_text_missing")
        points = _criterion_points(title, row_number, maximum)
        roman = number_text.upper()
        if isinstance(number, str) and _ROMAN_RE.match(roman):
            if roman in sums:
                raise _refuse(title, row_number, "duplicate_criterion_group", group=roman)
            current = roman
            sums[roman] = Decimal(0)
            group_rows[roman] = row_number
            groups.append(CriterionGroupRow(group=roman, text_vi=text, max_points=points))
            continue
        sub = _to_decimal(number)
        if sub is None or sub != sub.to_integral_value() or sub < 1:
            raise _refuse(title, row_number, "bad_criterion_number", value=number_text)
        if current is None:
            raise _refuse(title, row_number, "criterion_without_group")
        if any(c.group == current and c.number == int(sub) for c in criteria):
            raise _refuse(title, row_number, "duplicate_criterion", group=current, number=int(sub))
        criteria.append(
            CriterionRow(group=current, number=int(sub), text_vi=text, max_points=points)
        )
        sums[current] += points

    if not groups:
        raise _refuse(title, None, "no_criteria")
    for group in groups:
        if sums[group.group] != group.max_points:
            raise _refuse(
                title,
                group_rows[group.group],
                "criteria_sum_mismatch",
                group=group.group,
                expected=str(group.max_points),
                actual=str(sums[group.group]),
            )
    if total is not None:
        expected = sum((g.max_points for g in groups), Decimal(0))
        if total[0] != expected:
            raise _refuse(
                title,
                total[1],
                "criteria_total_mismatch",
                expected=str(expected),
                actual=str(total[0]),
            )
    return groups, criteria


def _criterion_points(sheet: str, row: int, value: Any) -> Decimal:
    number = _to_decimal(value)
    if number is None or number <= 0:
        raise _refuse(sheet, row, "bad_criterion_points", value=_text(value))
    return number


# --------------------------------------------------------------------------------------------
# Cell helpers


def _text(value: Any) -> str:
    """Cell value as NFC text with whitespace runs collapsed and trimmed ("" for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _fold(value: Any) -> str:
    """Header comparison key: trimmed NFC text, case-folded."""
    return _text(value).casefold()


def _ascii_fold(value: str) -> str:
    """Lower-case text without Vietnamese diacritics ("Dùng chung" -> "dung chung")."""
    return fold_text(_text(value))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_total_row(cells: tuple[Any, ...]) -> bool:
    return any(isinstance(c, str) and _ascii_fold(c) in _TOTAL_WORDS for c in cells)


def _decimal_from_text(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _to_decimal(value: Any) -> Decimal | None:
    """A finite number from a numeric cell or a plain numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value.is_integer():
            return Decimal(int(value))
        try:
            number = Decimal(repr(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        text = _text(value)
        if _NUMBER_RE.match(text):
            return _decimal_from_text(text.lstrip("+"))
    return None


def _refuse(sheet: str | None, row: int | None, reason: str, **extra: Any) -> RefusedValue:
    return RefusedValue(ERROR_CODE, sheet=sheet, row=row, reason=reason, **extra)
