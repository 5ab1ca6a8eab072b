"""The printed forms as plain blocks, written once and laid out twice (PDF and Word).

:mod:`kpi_desktop.reports.forms` turns the data of a form into a :class:`Document` — a list of
blocks (letterhead, title, paragraphs, tables, tick lists, signatures, footnotes…) with the
words already in the report's language. :mod:`kpi_desktop.reports._layout` lays a document out
as a PDF (reportlab), :mod:`kpi_desktop.reports.docx_writer` as an editable Word file
(python-docx); both show the same text in the same order, with the same footer and
verification code, so what a tester reads back from one equals the other.

Text in blocks is plain (no mark-up). Typography that must not depend on the writer is done
here by :func:`typeset`: no-break spaces inside legal citations, formulas and the compounds of
narrow table headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from kpi_desktop.reports._text import nfc
from kpi_desktop.reports.data import Letterhead, ReportMeta

NBSP = "\u00a0"
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph. ``kind`` picks the style: ``body``, ``section`` (I., II. headings),
    ``title``, ``subtitle``, ``subtitle_bold``, ``note`` (small italic under a table),
    ``footnote``, ``annex_title``; ``keep_with_next`` never leaves it alone at a page foot."""

    runs: tuple[Run, ...]
    kind: str = "body"
    align: Align = "left"
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class FillLine:
    """``label`` and a value, or dots to fill in by hand when there is no value."""

    label: str
    value: str = ""
    value_italic: bool = False


@dataclass(frozen=True)
class DottedLines:
    """Empty dotted lines to write on."""

    count: int


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "left"
    small: bool = False  # the header style of dense tables


@dataclass(frozen=True)
class Table:
    """A ruled table; the first ``header_rows`` rows are shaded and repeat on each page.
    ``spans`` are ((column, row), (last column, last row)) rectangles; ``shaded`` rows are
    light grey (group lines)."""

    rows: tuple[tuple[Cell, ...], ...]
    widths_mm: tuple[float, ...]
    header_rows: int = 1
    spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    shaded: tuple[int, ...] = ()
    compact: bool = False  # less padding (twelve months on one page)
    keep_together: bool = False
    keep_with_next: tuple[int, ...] = ()  # rows never left at a page's foot (group headings)


@dataclass(frozen=True)
class CheckList:
    """Tick boxes, one under another (Mẫu số 02, sections II and III)."""

    items: tuple[tuple[bool, str], ...]


@dataclass(frozen=True)
class Signatures:
    """Two signature blocks side by side: date line, title, hint, room, printed name."""

    left_title: str
    right_title: str
    left_name: str = ""
    right_name: str = ""
    room_mm: float = 20
    date_line: str = "......, ngày .... tháng .... năm ......"
    hint: str = "(Ký tên, ghi rõ họ tên)"


@dataclass(frozen=True)
class FootRule:
    """The short line above footnotes."""


@dataclass(frozen=True)
class PageBreak:
    """The rest starts on a new page (the annex of Mẫu số 01)."""


@dataclass(frozen=True)
class Keep:
    """Blocks that stay on one page (a section never split from its heading)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class LetterheadBlock:
    """The agency at the left, the national motto at the right (the form number above)."""

    head: Letterhead
    form_no: str = ""
    country: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập - Tự do - Hạnh phúc"


Block = (Para | FillLine | DottedLines | Table | CheckList | Signatures | FootRule | PageBreak
         | Keep | LetterheadBlock)


@dataclass(frozen=True)
class Footer:
    """What every page says at its foot (the parts, so each writer can join and number them)."""

    left: str  # "Mẫu số 01 · Quy tắc chấm điểm … · Mã kiểm tra …"
    page_pattern: str  # "Trang {page}/{pages}"
    printed: str = ""  # "In từ KPI Desktop ngày 06/12/2026"


@dataclass(frozen=True)
class Document:
    """One form, ready for a writer."""

    blocks: tuple[Block, ...]
    title: str
    author: str
    meta: ReportMeta
    footer: Footer
    language: str = "vi"
    extra: dict[str, str] = field(default_factory=dict)


def para(text: str, kind: str = "body", *, bold: bool = False, italic: bool = False,
         align: Align = "left", keep_with_next: bool = False) -> Para:
    """A paragraph of one run."""
    return Para((Run(typeset(text), bold=bold, italic=italic),), kind, align, keep_with_next)


def runs(*parts: Run | str, kind: str = "body", align: Align = "left",
         keep_with_next: bool = False) -> Para:
    """A paragraph of several runs (plain strings are regular text)."""
    return Para(tuple(p if isinstance(p, Run) else Run(typeset(p)) for p in parts), kind, align,
                keep_with_next)


# Words that must stay on one line: a citation's parts, a figure and its unit, and the
# compounds of table headers (a header such as "Điểm tối / đa" must not split a word).
_CITATION = re.compile(r"\b(Điều|khoản|Article|Decree|Nghị định|No\.|số)\s+(?=[\dA-ZĐ])")
_POINT = re.compile(r"\b(điểm)\s+(?=[a-zđ]\s+khoản)")
_BEFORE_ARTICLE = re.compile(r"(\b[0-9]+|\b[a-zđ])\s+(?=(?:khoản|Điều)\b)")
_COMPOUNDS = (
    "tối đa", "cá nhân", "tự chấm", "thẩm quyền", "xác nhận", "được giao", "hoàn thành",
    "kế hoạch", "sai sót", "tiến độ", "hệ số", "quy đổi", "trung bình", "tiêu chí",
    "nhiệm vụ", "sản phẩm", "công việc", "tổng điểm", "ghi chú", "số người", "tỷ lệ",
    "số tháng", "chức vụ", "chức danh", "họ và tên", "ngày làm việc", "đang chờ", "quá hạn",
    "cử tri", "kiến nghị", "kinh tế", "một cửa", "trung tâm", "xây dựng", "văn hóa",
    "xã hội", "tư pháp", "hộ tịch", "địa chính", "tài chính", "kế toán", "tổng hợp",
    "văn phòng", "chuyên viên", "phó chủ tịch", "chủ tịch", "mức xếp loại", "tương ứng",
    "xử lý", "số mục", "làm việc",
)
_COMPOUND = re.compile("|".join(re.escape(c) for c in sorted(_COMPOUNDS, key=len, reverse=True)),
                       re.IGNORECASE)


def typeset(text: str) -> str:
    """``text`` (NFC) with no-break spaces where a line must not break: "Điều 20",
    "khoản 4 Điều 20", "điểm c khoản 4", "= 100%", "× 70", and "25%" without a space."""
    text = nfc(text)
    text = re.sub(r"\s+%", "%", text)
    text = _CITATION.sub(lambda m: m.group(1) + NBSP, text)
    text = _POINT.sub(lambda m: m.group(1) + NBSP, text)
    text = _BEFORE_ARTICLE.sub(lambda m: m.group(1) + NBSP, text)
    text = re.sub(r"\s([=×÷])\s", lambda m: NBSP + m.group(1) + NBSP, text)
    return text


def keep_words(text: str) -> str:
    """``text`` with the spaces inside known compounds made no-break (narrow table cells)."""
    return _COMPOUND.sub(lambda m: m.group(0).replace(" ", NBSP), typeset(text))


def cell(text: str, *, bold: bool = False, italic: bool = False, align: Align = "left",
         small: bool = False, compound: bool = False) -> Cell:
    """A table cell; ``compound`` keeps the compounds of ``text`` whole (headers, names)."""
    return Cell(keep_words(text) if compound else typeset(text), bold, italic, align, small)


def plain_text(document: Document) -> str:
    """Every word of ``document`` in reading order, white space collapsed (what both the PDF
    and the Word file must contain)."""
    out: list[str] = []

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Keep):
                walk(block.blocks)
            elif isinstance(block, LetterheadBlock):
                out.extend([block.form_no, block.head.agency.upper(), block.head.unit.upper(),
                            block.country, block.motto])
            elif isinstance(block, Para):
                out.append(block.text)
            elif isinstance(block, FillLine):
                out.extend([block.label, block.value])
            elif isinstance(block, Table):
                out.extend(c.text for row in block.rows for c in row)
            elif isinstance(block, CheckList):
                out.extend(label for _checked, label in block.items)
            elif isinstance(block, Signatures):
                out.extend([block.date_line, block.date_line, block.left_title, block.right_title,
                            block.hint, block.hint, block.left_name, block.right_name])

    walk(document.blocks)
    return " ".join(" ".join(out).replace(NBSP, " ").split())
