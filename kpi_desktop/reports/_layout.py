"""Page, fonts and the building blocks shared by the forms (reportlab)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kpi_desktop.reports import document as doc
from kpi_desktop.reports._text import nfc
from kpi_desktop.reports.data import Letterhead
from kpi_desktop.runtime.paths import resource_root

FONT, BOLD, ITALIC = "BeVietnamPro", "BeVietnamPro-Bold", "BeVietnamPro-Italic"
PAGE = A4
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 15 * mm, 15 * mm, 18 * mm
WIDTH = PAGE[0] - LEFT - RIGHT  # 170 mm
BODY_SIZE = 10
GRID = colors.HexColor("#333333")
HEAD_FILL = colors.HexColor("#EEEEEE")

_fonts_lock = threading.Lock()
_fonts_ready = False


def font_dir() -> Path:
    return resource_root() / "fonts"


def register_fonts() -> None:
    """Register Be Vietnam Pro (OFL, resources/fonts) once per process."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        folder = font_dir()
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "BeVietnamPro-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(folder / "BeVietnamPro-Bold.ttf")))
        pdfmetrics.registerFont(TTFont(ITALIC, str(folder / "BeVietnamPro-Italic.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                      boldItalic=BOLD)
        _fonts_ready = True


def style(name: str, *, size: float = BODY_SIZE, font: str = FONT, align: int = TA_LEFT,
          leading: float | None = None, before: float = 0, after: float = 0,
          indent: float = 0, first: float = 0) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=font, fontSize=size, leading=leading or size * 1.3, alignment=align,
        spaceBefore=before, spaceAfter=after, leftIndent=indent, firstLineIndent=first,
    )


class Styles:
    body = style("body", after=2)
    body_keep = ParagraphStyle("body_keep", parent=style("b", after=2), keepWithNext=1)
    body_j = style("body_j", after=2)
    small = style("small", size=8)
    cell = style("cell", size=9, leading=11)
    cell_b = style("cell_b", size=9, font=BOLD, leading=11)
    cell_c = style("cell_c", size=9, leading=11, align=TA_CENTER)
    cell_cb = style("cell_cb", size=9, font=BOLD, leading=11, align=TA_CENTER)
    cell_h = style("cell_h", size=8, font=BOLD, leading=9.5, align=TA_CENTER)
    cell_ci = style("cell_ci", size=8, font=ITALIC, leading=10, align=TA_CENTER)
    cell_r = style("cell_r", size=9, leading=11, align=TA_RIGHT)
    head_l = style("head_l", size=10, align=TA_CENTER, leading=13)
    head_lb = style("head_lb", size=10, font=BOLD, align=TA_CENTER, leading=13)
    head_r = style("head_r", size=10, font=BOLD, align=TA_CENTER, leading=13)
    head_motto = style("head_motto", size=10.5, font=BOLD, align=TA_CENTER, leading=13)
    form_no = style("form_no", size=9, font=BOLD, align=TA_RIGHT)
    title = style("title", size=13, font=BOLD, align=TA_CENTER, leading=17, before=10)
    subtitle = style("subtitle", size=10.5, font=ITALIC, align=TA_CENTER, after=8)
    subtitle_bold = style("subtitle_bold", size=10.5, font=BOLD, align=TA_CENTER, after=6)
    annex_title = style("annex_title", size=12, font=BOLD, align=TA_CENTER, leading=16)
    note = style("note", size=8.5, font=ITALIC, leading=10.5, before=1.5, after=2)
    section = style("section", size=10.5, font=BOLD, before=7, after=3)
    sign_date = style("sign_date", size=10, font=ITALIC, align=TA_CENTER)
    sign_title = style("sign_title", size=10, font=BOLD, align=TA_CENTER, leading=13)
    sign_hint = style("sign_hint", size=9.5, font=ITALIC, align=TA_CENTER)
    sign_name = style("sign_name", size=10, font=BOLD, align=TA_CENTER)
    footnote = style("footnote", size=8, font=ITALIC, leading=10)


def esc(text: object) -> str:
    """``text`` (NFC) made safe for a reportlab Paragraph."""
    return nfc(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, st: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of already-escaped mark-up (``<b>``, ``<i>``)."""
    return Paragraph(nfc(text), st or Styles.body)


class Rule(Flowable):
    """A short centred line under a heading, as on Vietnamese official documents."""

    def __init__(self, width: float, total: float) -> None:
        super().__init__()
        self.rule_width, self.width, self.height = width, total, 5

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        start = (self.width - self.rule_width) / 2
        self.canv.line(start, 1, start + self.rule_width, 1)


class FootRule(Flowable):
    """The short line above footnotes."""

    def __init__(self) -> None:
        super().__init__()
        self.width, self.height = 40 * mm, 2

    def draw(self) -> None:
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 1, self.width, 1)


class CheckBox(Flowable):
    """A square box, crossed when ``checked``."""

    def __init__(self, checked: bool, size: float = 3.4 * mm) -> None:
        super().__init__()
        self.checked, self.width, self.height = checked, size, size

    def draw(self) -> None:
        c, s = self.canv, self.width
        c.setLineWidth(0.7)
        c.rect(0, 0, s, s)
        if self.checked:
            c.setLineWidth(1.1)
            c.line(s * 0.18, s * 0.5, s * 0.42, s * 0.2)
            c.line(s * 0.42, s * 0.2, s * 0.85, s * 0.85)


def letterhead(head: Letterhead, form_no: str = "", country: str = "", motto: str = ""
               ) -> list[Flowable]:
    """The two-column heading: agency left, national motto right."""
    left: list[Flowable] = [para(esc(head.agency.upper()),
                                 Styles.head_l if head.unit else Styles.head_lb)]
    if head.unit:
        left.append(para(esc(head.unit.upper()), Styles.head_lb))
    left.append(Rule(22 * mm, 68 * mm))
    right: list[Flowable] = [
        para(esc(country), Styles.head_r),
        para(esc(motto), Styles.head_motto),
        Rule(52 * mm, 102 * mm),
    ]
    table = Table([[left, right]], colWidths=[68 * mm, 102 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    out: list[Flowable] = []
    if form_no:
        out.append(para(esc(form_no), Styles.form_no))
        out.append(Spacer(1, 2 * mm))
    out.append(table)
    return out


def _dots(width: float, st: ParagraphStyle) -> str:
    return "." * max(3, int(width / pdfmetrics.stringWidth(".", st.fontName, st.fontSize)) - 4)


def _plain_width(markup: str, st: ParagraphStyle) -> float:
    """Width of one line of simple mark-up (``<b>`` counted as bold)."""
    import re

    width = 0.0
    for bold, text in re.findall(r"(<b>)?([^<]+)(?:</b>)?", markup):
        plain = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        width += pdfmetrics.stringWidth(plain, BOLD if bold else st.fontName, st.fontSize)
    return width


def fill_line(markup: str, st: ParagraphStyle | None = None) -> Paragraph:
    """``markup`` followed by dots to the end of the line (a blank to fill in by hand)."""
    st = st or Styles.body
    used = _plain_width(markup, st) % WIDTH
    return para(f"{markup} {_dots(WIDTH - used - 8, st)}", st)


def field_line(label: str, value: str) -> Paragraph:
    """ "Họ và tên: <b>…</b>" — a dotted line to fill in by hand when the value is empty."""
    if value:
        return para(f"{esc(label)} <b>{esc(value)}</b>", Styles.body)
    return fill_line(esc(label))


def dotted_lines(count: int) -> list[Flowable]:
    return [para(_dots(WIDTH, Styles.body), Styles.body) for _ in range(count)]


def grid_table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header_rows: int = 1,
               extra: Sequence[tuple] = ()) -> Table:
    """A ruled table with a shaded, repeated header."""
    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL))
    commands.extend(extra)
    table.setStyle(TableStyle(commands))
    return table


def signatures(block: doc.Signatures) -> KeepTogether:
    """Two signature blocks side by side, with room to sign; their rows line up."""
    left_title, right_title = block.left_title, block.right_title
    left_name, right_name, room = block.left_name, block.right_name, block.room_mm * mm
    date_line, hint = esc(block.date_line), esc(block.hint)
    rows = [
        [para(date_line, Styles.sign_date), para(date_line, Styles.sign_date)],
        [para(esc(left_title).replace("\n", "<br/>"), Styles.sign_title),
         para(esc(right_title).replace("\n", "<br/>"), Styles.sign_title)],
        [para(hint, Styles.sign_hint), para(hint, Styles.sign_hint)],
        [Spacer(1, room), Spacer(1, room)],
        [para(esc(left_name), Styles.sign_name), para(esc(right_name), Styles.sign_name)],
    ]
    table = Table(rows, colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return KeepTogether([Spacer(1, 4 * mm), table])


def _footer_factory(footer: doc.Footer) -> type[pdfcanvas.Canvas]:
    left = footer.left
    printed = footer.printed

    class FooterCanvas(pdfcanvas.Canvas):
        """Draws "page x/y" and the verification line once the page count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            self.saveState()
            self.setStrokeColor(colors.HexColor("#888888"))
            self.setLineWidth(0.4)
            y = BOTTOM - 6 * mm
            self.line(LEFT, y + 3.2 * mm, PAGE[0] - RIGHT, y + 3.2 * mm)
            self.setFillColor(colors.HexColor("#444444"))
            self.setFont(FONT, 7.5)
            self.drawString(LEFT, y, left)
            self.drawRightString(PAGE[0] - RIGHT, y, nfc(footer.page_pattern.format(
                page=self._pageNumber, pages=total)))
            if printed:
                self.drawString(LEFT, y - 3.4 * mm, nfc(printed))
            self.restoreState()

    return FooterCanvas


# -- a document's blocks as reportlab flowables ----------------------------------------------

_PARA_STYLES = {
    "body": Styles.body, "section": Styles.section, "title": Styles.title,
    "subtitle": Styles.subtitle, "subtitle_bold": Styles.subtitle_bold, "note": Styles.note,
    "footnote": Styles.footnote, "annex_title": Styles.annex_title,
}
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _markup(runs: tuple[doc.Run, ...]) -> str:
    out = []
    for run in runs:
        text = esc(run.text).replace("\n", "<br/>")
        if run.superscript:
            text = f"<super>{text}</super>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        out.append(text)
    return "".join(out)


def _para_style(block: doc.Para) -> ParagraphStyle:
    base = _PARA_STYLES.get(block.kind, Styles.body)
    wanted = _ALIGN[block.align]
    if base.alignment == wanted:
        return base
    return ParagraphStyle(f"{base.name}_{block.align}", parent=base, alignment=wanted)


def _cell(c: doc.Cell) -> Paragraph:
    if c.small:
        st = Styles.cell_ci if c.italic else Styles.cell_h
    elif c.bold:
        st = Styles.cell_cb if c.align == "center" else Styles.cell_b
    elif c.italic:
        st = Styles.cell_ci
    else:
        st = {"center": Styles.cell_c, "right": Styles.cell_r}.get(c.align, Styles.cell)
    if c.small and not c.italic and c.align != "center":
        st = ParagraphStyle(f"{st.name}_{c.align}", parent=st, alignment=_ALIGN[c.align])
    return Paragraph(esc(c.text).replace("\n", "<br/>"), st)


def _table(block: doc.Table) -> Flowable:
    rows = [[_cell(c) for c in row] for row in block.rows]
    extra: list[tuple] = []
    for (c0, r0), (c1, r1) in block.spans:
        extra.append(("SPAN", (c0, r0), (c1, r1)))
    for row in block.shaded:
        extra.append(("BACKGROUND", (0, row), (-1, row),
                      HEAD_FILL if row < block.header_rows else colors.HexColor("#F6F6F6")))
    for row in block.keep_with_next:
        if row + 1 < len(block.rows):
            extra.append(("NOSPLIT", (0, row), (-1, row + 1)))
    if block.compact:
        extra += [("TOPPADDING", (0, 1), (-1, -1), 0.6), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2)]
    table = grid_table(rows, [w * mm for w in block.widths_mm], header_rows=block.header_rows,
                       extra=extra)
    return KeepTogether(table) if block.keep_together else table


def _checklist(block: doc.CheckList) -> Table:
    rows = [[CheckBox(checked), para(f"<b>{esc(label)}</b>" if checked else esc(label))]
            for checked, label in block.items]
    table = Table(rows, colWidths=[10 * mm, WIDTH - 10 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
    ]))
    return table


def flowables(blocks: tuple[doc.Block, ...]) -> list[Flowable]:
    """reportlab flowables of ``blocks``."""
    out: list[Flowable] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, doc.LetterheadBlock):
            out += letterhead(block.head, block.form_no, block.country, block.motto)
        elif isinstance(block, doc.Para):
            if block.keep_with_next:
                # Never a heading alone at a page's foot: a new page unless there is room
                # for it and a few lines of what follows (a long table then splits normally).
                out.append(CondPageBreak(30 * mm))
            out.append(Paragraph(_markup(block.runs), _para_style(block)))
        elif isinstance(block, doc.FillLine):
            if block.value:
                tag = "i" if block.value_italic else "b"
                out.append(para(f"{esc(block.label)} <{tag}>{esc(block.value)}</{tag}>"))
            else:
                out.append(fill_line(esc(block.label)))
        elif isinstance(block, doc.DottedLines):
            out += dotted_lines(block.count)
        elif isinstance(block, doc.Table):
            out.append(_table(block))
            if not (isinstance(following, doc.Para) and following.kind == "note"):
                out.append(Spacer(1, 1.5 * mm))
        elif isinstance(block, doc.CheckList):
            out.append(_checklist(block))
        elif isinstance(block, doc.Signatures):
            out.append(signatures(block))
        elif isinstance(block, doc.FootRule):
            out += [Spacer(1, 2 * mm), FootRule()]
        elif isinstance(block, doc.PageBreak):
            out.append(PageBreak())
        elif isinstance(block, doc.Keep):
            out.append(KeepTogether(flowables(block.blocks)))
    return out


def build_pdf(document: doc.Document) -> bytes:
    """Lay ``document`` out on A4 pages with its footer and return the PDF bytes."""
    register_fonts()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out, pagesize=PAGE, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=nfc(document.title), author=nfc(document.author),
        subject=document.meta.code, creator="KPI Desktop", keywords=document.meta.code,
    )
    pdf.build(flowables(document.blocks), canvasmaker=_footer_factory(document.footer))
    return out.getvalue()


Callback = Callable[[int, int], None]


def overfull_words(block: doc.Table) -> list[tuple[int, int, str]]:
    """(row, column, word) of every word of ``block`` wider than its column: reportlab would
    cut such a word in the middle ("Điểm tối / đa" once the compound is kept whole). The
    forms' tests require none."""
    register_fonts()
    found = []
    padding = 6  # LEFTPADDING + RIGHTPADDING of grid_table
    spans = {(c0, r0): c1 for (c0, r0), (c1, _r1) in block.spans}
    for r, row in enumerate(block.rows):
        for c, source in enumerate(row):
            last = spans.get((c, r), c)
            width = sum(block.widths_mm[c:last + 1]) * mm - padding
            st = _cell(source).style
            for word in source.text.replace("\n", " ").split(" "):
                if word and pdfmetrics.stringWidth(word, st.fontName, st.fontSize) > width:
                    found.append((r, c, word.replace(doc.NBSP, " ")))
    return found
