"""Every form and the unit summary as an editable Word file with the PDF's content (issue 17 §4).

Each case is written twice through the real service (``--out x.pdf`` and ``--out x.docx``);
the Word file is read back with python-docx and its words compared with the PDF's (pdftotext):
the same words, as many times, in both languages; the same verification code in both footers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

CASES = [
    ("form01", "vp-cv1", "2026-09"),  # a month
    ("form01", "vp-cv1", "2026-Q3"),  # a quarter
    ("form01", "kt-tp", "2026-10"),  # a leader (d, đ, e)
    ("form02", "vp-cv1", "2026"),
    ("form02", "kt-cv4", "2026"),  # disciplined
    ("form02", "vp-cv3", "2026"),  # joined in July: "chưa công tác"
    ("unit", "xa", "2026"),
    ("unit", "xa", "2026-09"),
]
_FILLER = re.compile(r"^[.\-_…·☐☒]+$")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return [w for w in text.split() if not _FILLER.match(w)]


def docx_text(path: Path) -> tuple[str, str]:
    """(body, footer) text of a Word file, body in reading order, merged cells once."""
    document = Document(str(path))
    body: list[str] = []

    def text(element) -> str:  # noqa: ANN001 - an lxml element
        return "".join(t.text or "" if t.tag == qn("w:t") else " "
                       for t in element.iter(qn("w:t"), qn("w:br"), qn("w:tab")))

    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            body.append(text(element))
        elif element.tag == qn("w:tbl"):
            for cell in element.iter(qn("w:tc")):  # a merged cell is one w:tc (gridSpan)
                body.append(" ".join(text(p) for p in cell.iter(qn("w:p"))))
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    return "\n".join(body), footer


def pdf_plain(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", out)


def _table_headers(services, kind: str, subject: str, period: str, language: str
                   ) -> list[Counter]:
    """The words of each table's header rows, from the document both files are made of."""
    from kpi_desktop.reports import document as doc
    from kpi_desktop.reports import forms
    from kpi_desktop.reports.data import ReportMeta

    meta = ReportMeta(code="X", policy_version="p")
    if kind == "form01":
        built = forms.form01_document(services.reports.form01_data(subject, period), meta,
                                      language)
    elif kind == "form02":
        built = forms.form02_document(services.reports.form02_data(subject, period), meta,
                                      language)
    else:
        built = forms.unit_summary_document(services.reports.unit_data(subject, period), meta,
                                            language)
    found = []

    def walk(blocks) -> None:  # noqa: ANN001
        for block in blocks:
            if isinstance(block, doc.Keep):
                walk(block.blocks)
            elif isinstance(block, doc.Table):
                found.append(Counter(w for row in block.rows[:block.header_rows]
                                     for c in row for w in _words(c.text)))

    walk(built.blocks)
    return found


def _write(services, kind: str, subject: str, period: str, out: Path, language: str):
    if kind == "form01":
        return services.reports.form01(subject, period, out, language)
    if kind == "form02":
        return services.reports.form02(subject, period, out, language)
    return services.reports.unit_summary(subject, period, out, language)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("kind", "subject", "period"), CASES)
def test_the_word_copy_says_what_the_pdf_says(services, tmp_path, kind, subject, period,
                                             language):
    pdf = _write(services, kind, subject, period, tmp_path / "form.pdf", language)
    word = _write(services, kind, subject, period, tmp_path / "form.docx", language)
    assert word.code == pdf.code and word.pages == 0 and pdf.pages >= 1
    assert (tmp_path / "form.docx").read_bytes()[:2] == b"PK"
    body, footer = docx_text(tmp_path / "form.docx")
    pdf_text = pdf_plain(tmp_path / "form.pdf")
    # The footer: once in Word (its page number is a field), once per page in the PDF.
    assert pdf.code in footer and pdf.code in pdf_text
    footer_lines = [line for line in pdf_text.splitlines()
                    if pdf.code in line or re.fullmatch(r"(Trang|Page) \d+/\d+", line.strip())
                    or line.startswith(("In từ KPI Desktop", "Printed by KPI Desktop"))]
    assert len([x for x in footer_lines if pdf.code in x]) == pdf.pages
    page_words = Counter(w for line in footer_lines for w in _words(line))
    pdf_words = Counter(_words(pdf_text)) - page_words
    word_words = Counter(_words(body))
    # A table longer than a page repeats its header on the next page of the PDF; Word
    # repeats it too, but as a property of the row, so its words are in the file once.
    for header in _table_headers(services, kind, subject, period, language):
        while header and not header - (pdf_words - word_words):
            pdf_words -= header
    assert word_words == pdf_words, (
        f"only in Word: {word_words - pdf_words}\nonly in the PDF: {pdf_words - word_words}")
    properties = Document(str(tmp_path / "form.docx")).core_properties
    assert properties.keywords == pdf.code and properties.subject == pdf.code


def test_the_word_copy_is_a_form_to_fill_in(services, tmp_path):
    """Blanks are dotted tab leaders one can type on; the checked level is bold; A4 margins."""
    out = tmp_path / "f02.docx"
    services.reports.form02("vp-cv1", "2026", out, "vi")
    document = Document(str(out))
    leaders = [t for t in document.element.body.iter(qn("w:tab"))
               if t.get(qn("w:leader")) == "dot"]
    assert len(leaders) >= 2  # the two lines of section IV
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 25
    texts = [p.text.replace("\u00a0", " ") for p in document.paragraphs]
    assert any(t.startswith("III. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG CỦA CẤP CÓ THẨM QUYỀN CÔNG CHỨC")
               for t in texts)
    assert any("Điều 23" in t for t in texts)


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout
    return int(re.search(rb"Pages:\s+(\d+)", info)[1])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_word_copy_has_the_pdfs_pages(services, tmp_path, language):
    """Laid out by a word processor (LibreOffice, the same metrics as Word's Times New Roman),
    each Word copy has as many pages as its PDF: Mẫu 02 fits on one page (it ran onto a
    second while the PDF had one: the template's 1.15 line spacing and 12 pt paragraph marks
    in 9 pt cells)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice (soffice) or poppler's pdfinfo is not installed")
    expected = {}
    for index, (kind, subject, period) in enumerate(CASES):
        name = f"{index}-{kind}"
        result = _write(services, kind, subject, period, tmp_path / f"{name}.pdf", language)
        _write(services, kind, subject, period, tmp_path / f"{name}.docx", language)
        expected[name] = result.pages
    out = tmp_path / "laid-out"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *sorted(str(p) for p in tmp_path.glob("*.docx"))],
                   check=True, capture_output=True, timeout=600)
    pages = {name: _pdf_pages(out / f"{name}.pdf") for name in expected}
    assert pages == expected
    assert all(pages[name] == 1 for name in pages if name.endswith("form02"))


def test_word_lines_are_single_spaced_and_cells_sized_by_their_text(services, tmp_path):
    """No line of a cell is taller than its text: the paragraph mark has the text's size."""
    out = tmp_path / "f02.docx"
    services.reports.form02("vp-cv1", "2026", out, "vi")
    document = Document(str(out))
    assert document.styles["Normal"].paragraph_format.line_spacing == 1.0
    table = next(t for t in document.tables if "Tháng" in t.rows[0].cells[0].text)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                marks = paragraph._p.pPr.find(qn("w:rPr"))
                sizes = {run.font.size.pt for run in paragraph.runs if run.font.size}
                assert marks is not None and sizes
                assert {int(marks.find(qn("w:sz")).get(qn("w:val"))) / 2} == sizes
