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
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kpi_desktop.reports._text import date_text, nfc, translate
from kpi_desktop.reports.data import Letterhead, ReportMeta
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
    section = style("section", size=10.5, font=BOLD, before=8, after=4)
    sign_date = style("sign_date", size=10, font=ITALIC, align=TA_CENTER)
    sign_title = style("sign_title", size=10, font=BOLD, align=TA_CENTER, leading=13)
    sign_hint = style("sign_hint", size=9.5, font=ITALIC, align=TA_CENTER)
    sign_name = style("sign_name", size=10, font=BOLD, align=TA_CENTER)
    footnote = style("footnote", size=8, font=ITALIC, leading=10)


def esc(text: object) -> str:
    """``text`` (NFC) made safe for a reportlab Paragraph."""
    return (nfc(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace(" %", "\u00a0%"))


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


def letterhead(head: Letterhead, form_no: str = "") -> list[Flowable]:
    """The two-column heading: agency left, national motto right."""
    left: list[Flowable] = [para(esc(head.agency.upper()),
                                 Styles.head_l if head.unit else Styles.head_lb)]
    if head.unit:
        left.append(para(esc(head.unit.upper()), Styles.head_lb))
    left.append(Rule(22 * mm, 68 * mm))
    right: list[Flowable] = [
        para(esc(translate("Report", "SOCIALIST REPUBLIC OF VIET NAM")), Styles.head_r),
        para(esc(translate("Report", "Independence - Freedom - Happiness")), Styles.head_motto),
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


def signatures(left_title: str, right_title: str, left_name: str = "",
               right_name: str = "", room: float = 20 * mm) -> KeepTogether:
    """Two signature blocks side by side, with room to sign; their rows line up."""
    date_line = esc(translate("Report", "......, day .... month .... year ......"))
    hint = esc(translate("Report", "(Signature and full name)"))
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


def _footer_factory(form_label: str, meta: ReportMeta) -> type[pdfcanvas.Canvas]:
    policy = translate("Report", "Scoring policy {version}").format(version=meta.policy_version)
    code = translate("Report", "Verification code {code}").format(code=meta.code)
    page_text = translate("Report", "Page {page}/{pages}")
    printed = ""
    if meta.generated_on:
        printed = translate("Report", "Printed by KPI Desktop on {date}").format(
            date=date_text(meta.generated_on))
    left = nfc("  ·  ".join(x for x in (form_label, policy, code) if x))

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
            self.drawRightString(PAGE[0] - RIGHT, y,
                                 nfc(page_text.format(page=self._pageNumber, pages=total)))
            if printed:
                self.drawString(LEFT, y - 3.4 * mm, nfc(printed))
            self.restoreState()

    return FooterCanvas


def build_pdf(story: list[Flowable], *, title: str, form_label: str, meta: ReportMeta,
              author: str = "") -> bytes:
    """Lay ``story`` out on A4 pages with the footer and return the PDF bytes."""
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=PAGE, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
        bottomMargin=BOTTOM, title=nfc(title), author=nfc(author), subject=meta.code,
        creator="KPI Desktop", keywords=meta.code,
    )
    doc.build(story, canvasmaker=_footer_factory(form_label, meta))
    return out.getvalue()


Callback = Callable[[int, int], None]
