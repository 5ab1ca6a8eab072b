"""A :class:`~kpi_desktop.reports.document.Document` as an editable Word file (python-docx).

Offices file and sign their forms as Word documents: the same blocks as the PDF, in the same
order, on A4 with the same margins, in Times New Roman (the typeface of administrative
documents, NĐ 30/2020), with the footer's verification code, policy version and "Trang x/y"
(Word fields, so the count stays right after editing). Dotted blanks are tab leaders, so a
person can type on them.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kpi_desktop.reports import document as doc
from kpi_desktop.reports._text import nfc

FONT = "Times New Roman"
BODY_PT = 12
CELL_PT = 10.5
SMALL_PT = 9
LEFT, RIGHT, TOP, BOTTOM = 25, 15, 15, 18  # mm, as the PDF
WIDTH = 210 - LEFT - RIGHT
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}
_SIZES = {"title": 13.5, "subtitle": 12, "subtitle_bold": 12, "section": 12, "note": 10,
          "footnote": 10, "annex_title": 13.5}


def _font(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)


def _mark_size(paragraph: Any, size: float) -> None:
    """The paragraph mark in ``size`` too: Word and LibreOffice size a line by its mark as
    well as by its text, so a 9 pt cell whose mark stays at the body's 12 pt is a 12 pt row."""
    properties = paragraph._p.get_or_add_pPr()
    marks = properties.find(qn("w:rPr"))
    if marks is None:
        marks = OxmlElement("w:rPr")
        properties.append(marks)
    for tag in ("w:sz", "w:szCs"):
        for old in marks.findall(qn(tag)):
            marks.remove(old)
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(round(size * 2)))
        marks.append(element)


def _spacing(paragraph: Any, before: float = 0, after: float = 2) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _dots_to_end(paragraph: Any, width_mm: float = WIDTH) -> None:
    """A right tab at the end of the line with a dotted leader (a blank to write on)."""
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
    _font(paragraph.add_run("\t"), BODY_PT)


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _no_borders(table: Any) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _fixed_widths(table: Any, widths_mm: tuple[float, ...] | list[float]) -> None:
    """Column widths Word and LibreOffice both keep (the grid, each cell, a fixed layout)."""
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(width)
    for column, mm_width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(mm_width)
    for row in table.rows:
        for cell in row.cells:
            index, span = cell._tc.grid_offset, cell._tc.grid_span
            cell.width = Mm(sum(widths_mm[index:index + span]))


def _cell_margins(table: Any, side_mm: float = 1.0, top_mm: float = 0.3) -> None:
    """Narrow cell margins (Word's default 1.9 mm would split the words of narrow headers)."""
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", top_mm), ("left", side_mm), ("bottom", top_mm),
                       ("right", side_mm)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(size / 25.4 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cant_split(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _field(paragraph: Any, code: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        _font(run, size)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == code:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {code} "
            run._r.append(instruction)
        else:
            run.text = text


class _Writer:
    def __init__(self, document: doc.Document) -> None:
        self.source = document
        self.docx = docx.Document()
        section = self.docx.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
        section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
        section.footer_distance = Mm(8)
        normal = self.docx.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        # single line spacing (NĐ 30/2020's minimum; the template's 1.15 made Mẫu 02 run
        # onto a second page in Word and LibreOffice while its PDF has one)
        normal.paragraph_format.line_spacing = 1.0
        normal.paragraph_format.space_after = Pt(0)
        properties = self.docx.core_properties
        properties.title = nfc(document.title)
        properties.author = nfc(document.author)
        properties.subject = document.meta.code
        properties.keywords = document.meta.code
        properties.comments = document.footer.left
        properties.language = document.language

    # -- blocks --------------------------------------------------------------------------------

    def paragraph(self, container: Any = None, *, align: str = "left", before: float = 0,
                  after: float = 2, keep: bool = False) -> Any:
        paragraph = (container or self.docx).add_paragraph()
        paragraph.alignment = _ALIGN[align]
        _spacing(paragraph, before, after)
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def write(self, blocks: tuple[doc.Block, ...], keep: bool = False) -> None:
        for index, block in enumerate(blocks):
            glue = keep and index < len(blocks) - 1
            if isinstance(block, doc.LetterheadBlock):
                self.letterhead(block)
            elif isinstance(block, doc.Para):
                self.para(block, glue)
            elif isinstance(block, doc.FillLine):
                self.fill_line(block, glue)
            elif isinstance(block, doc.DottedLines):
                for _ in range(block.count):
                    paragraph = self.paragraph(keep=glue)
                    _dots_to_end(paragraph)
            elif isinstance(block, doc.Table):
                self.table(block)
            elif isinstance(block, doc.CheckList):
                self.checklist(block, glue)
            elif isinstance(block, doc.Signatures):
                self.signatures(block)
            elif isinstance(block, doc.FootRule):
                paragraph = self.paragraph(before=2, after=0, keep=True)
                _font(paragraph.add_run("_" * 24), 8)
            elif isinstance(block, doc.PageBreak):
                paragraph = self.paragraph(after=0)
                paragraph.add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(block, doc.Keep):
                self.write(block.blocks, keep=True)

    def letterhead(self, block: doc.LetterheadBlock) -> None:
        if block.form_no:
            paragraph = self.paragraph(align="right", after=4)
            _font(paragraph.add_run(block.form_no), CELL_PT, bold=True)
        table = self.docx.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        _fixed_widths(table, (70, WIDTH - 70))
        left, right = table.rows[0].cells
        head = block.head
        first = left.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(first, 0, 0)
        _font(first.add_run(head.agency.upper()), BODY_PT, bold=not head.unit)
        if head.unit:
            unit = left.add_paragraph()
            unit.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(unit, 0, 0)
            _font(unit.add_run(head.unit.upper()), BODY_PT, bold=True)
        rule = left.add_paragraph()
        rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(rule, 0, 0)
        rule.paragraph_format.line_spacing = Pt(8)
        _font(rule.add_run("-------"), 8)
        motto = right.paragraphs[0]
        motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(motto, 0, 0)
        _font(motto.add_run(block.country), BODY_PT, bold=True)
        line = right.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(line, 0, 0)
        _font(line.add_run(block.motto), 13, bold=True)
        rule = right.add_paragraph()
        rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(rule, 0, 0)
        rule.paragraph_format.line_spacing = Pt(8)
        _font(rule.add_run("---------------"), 8)

    def para(self, block: doc.Para, keep: bool) -> None:
        size = _SIZES.get(block.kind, BODY_PT)
        before = {"title": 8, "section": 4, "annex_title": 4, "note": 2}.get(block.kind, 0)
        after = {"subtitle": 8, "subtitle_bold": 6, "section": 3}.get(block.kind, 2)
        paragraph = self.paragraph(align=block.align, before=before, after=after,
                                   keep=keep or block.keep_with_next)
        bold = block.kind in ("title", "section", "annex_title", "subtitle_bold")
        italic = block.kind in ("subtitle", "note", "footnote")
        for run in block.runs:
            out = paragraph.add_run(run.text)
            _font(out, size, bold=bold or run.bold, italic=italic or run.italic)
            if run.superscript:
                out.font.superscript = True

    def fill_line(self, block: doc.FillLine, keep: bool) -> None:
        paragraph = self.paragraph(keep=keep)
        _font(paragraph.add_run(block.label), BODY_PT)
        if block.value:
            _font(paragraph.add_run(" " + block.value), BODY_PT, bold=not block.value_italic,
                  italic=block.value_italic)
        else:
            _dots_to_end(paragraph)

    def table(self, block: doc.Table) -> None:
        columns = len(block.widths_mm)
        table = self.docx.add_table(rows=len(block.rows), cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _cell_margins(table)
        for r, row in enumerate(block.rows):
            word_row = table.rows[r]
            if r < block.header_rows:
                _repeat_header(word_row)
            _cant_split(word_row)
            for c, source in enumerate(row):
                target = word_row.cells[c]
                target.width = Mm(block.widths_mm[c])
                paragraph = target.paragraphs[0]
                paragraph.alignment = _ALIGN[source.align]
                _spacing(paragraph, 0 if block.compact else 1, 0 if block.compact else 1)
                if (block.keep_together or r in block.keep_with_next) \
                        and r < len(block.rows) - 1:
                    paragraph.paragraph_format.keep_with_next = True
                size = SMALL_PT if source.small or block.compact else CELL_PT
                _font(paragraph.add_run(source.text), size, bold=source.bold,
                      italic=source.italic)
                _mark_size(paragraph, size)
                if r < block.header_rows:
                    _shade(target, "EEEEEE")
                elif r in block.shaded:
                    _shade(target, "F6F6F6")
        for (c0, r0), (c1, r1) in block.spans:
            merged = table.cell(r0, c0).merge(table.cell(r1, c1))
            paragraphs = merged.paragraphs
            keep = [p._element for p in paragraphs if p.text.strip()] or [paragraphs[0]._element]
            for paragraph in paragraphs:
                if paragraph._element not in keep:
                    paragraph._element.getparent().remove(paragraph._element)
        _fixed_widths(table, block.widths_mm)
        self._gap()

    def _gap(self) -> None:
        """A paragraph of almost no height after a table: Word joins two tables that touch."""
        gap = self.paragraph(after=0)
        gap.paragraph_format.line_spacing = Pt(2)
        _font(gap.add_run(""), 1)

    def checklist(self, block: doc.CheckList, keep: bool) -> None:
        for index, (checked, label) in enumerate(block.items):
            glue = keep or index < len(block.items) - 1
            paragraph = self.paragraph(keep=glue, after=0)
            paragraph.paragraph_format.left_indent = Mm(6)
            _font(paragraph.add_run("☒ " if checked else "☐ "), BODY_PT)
            _font(paragraph.add_run(label), BODY_PT, bold=checked)

    def signatures(self, block: doc.Signatures) -> None:
        """Two columns whose rows line up (date, title, hint, room to sign, name), as the PDF."""
        spacer = self.paragraph(after=0, keep=True)
        _font(spacer.add_run(""), 4)
        left_title, right_title = block.left_title.split("\n"), block.right_title.split("\n")
        lines = [((block.date_line, block.date_line), False, True),
                 (("\n".join(left_title), "\n".join(right_title)), True, False),
                 ((block.hint, block.hint), False, True),
                 (("", ""), False, False),
                 ((block.left_name, block.right_name), True, False)]
        table = self.docx.add_table(rows=len(lines), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        _cell_margins(table, 0, 0)
        _fixed_widths(table, (WIDTH / 2, WIDTH / 2))
        for index, ((left, right), bold, italic) in enumerate(lines):
            row = table.rows[index]
            _cant_split(row)
            for target, text in zip(row.cells, (left, right), strict=True):
                paragraph = target.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _spacing(paragraph, 0, 0)
                paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
                for number, piece in enumerate(text.split("\n")):
                    run = paragraph.add_run(piece)
                    _font(run, BODY_PT, bold=bold, italic=italic)
                    if number < len(text.split("\n")) - 1:
                        run.add_break()
                if index == 3:
                    paragraph.paragraph_format.space_after = Mm(block.room_mm)

    def footer(self) -> None:
        footer = self.docx.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        _spacing(paragraph, 0, 0)
        grey = RGBColor(0x44, 0x44, 0x44)
        run = paragraph.add_run(self.source.footer.left + "\t")
        _font(run, 8)
        run.font.color.rgb = grey
        pattern = self.source.footer.page_pattern
        before, _, rest = pattern.partition("{page}")
        middle, _, after = rest.partition("{pages}")
        for text, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
            if text:
                piece = paragraph.add_run(text)
                _font(piece, 8)
                piece.font.color.rgb = grey
            if field:
                _field(paragraph, field, 8)
        if self.source.footer.printed:
            printed = footer.add_paragraph()
            _spacing(printed, 0, 0)
            run = printed.add_run(self.source.footer.printed)
            _font(run, 8)
            run.font.color.rgb = grey

    def save(self) -> bytes:
        self.write(self.source.blocks)
        self.footer()
        out = io.BytesIO()
        self.docx.save(out)
        return out.getvalue()


def build_docx(document: doc.Document) -> bytes:
    """``document`` as the bytes of a .docx file."""
    return _Writer(document).save()
