"""Mẫu số 01 and 02 against the decree's Phụ lục II, and the typography of every form
(issue 17 §3; the review's tables in reviews/vietnamese-language-and-forms.md §1)."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from fractions import Fraction
from pathlib import Path

import pytest

from kpi_desktop.domain.model import Period
from tests.reports.conftest import fmt, pdf_text

LEVELS_VI = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
             "Không hoàn thành nhiệm vụ")


def pages(path: Path, *, layout: bool = True) -> list[str]:
    """The text of each page (NFC); ``layout`` keeps the lines as printed, otherwise the
    words come in reading order (a table cell's lines together)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    options = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return [unicodedata.normalize("NFC", page) for page in out.split("\f") if page.strip()]


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- Mẫu số 02 ---------------------------------------------------------------------------------


def test_form02_heading_iii_verbatim_and_both_footnotes(services, tmp_path):
    out = tmp_path / "f02.pdf"
    services.reports.form02("vp-cv1", "2026", out, "vi")
    text = pdf_text(out)
    assert "III. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG CỦA CẤP CÓ THẨM QUYỀN CÔNG CHỨC1" in text
    assert "IV. ĐỀ XUẤT PHƯƠNG ÁN XỬ LÝ2" in text
    assert ("Việc xếp loại chất lượng công chức căn cứ vào quy định tại Điều 20 Nghị định số "
            "335/2025/NĐ-CP.") in text
    assert ("Việc đề xuất phương án xử lý căn cứ quy định tại Điều 23 Nghị định số "
            "335/2025/NĐ-CP.") in text
    assert "CẤP CÓ THẨM QUYỀN XẾP LOẠI" in text
    assert len(pages(out)) == 1


def test_form02_months_before_joining_read_not_yet_in_service(services, tmp_path):
    """vp-cv3 joined in July: January to June are "chưa công tác", never "chưa đánh giá"."""
    out = tmp_path / "f02.pdf"
    data = services.reports.form02_data("vp-cv3", "2026")
    joined = services.organisation.people_overview()  # the person exists and joined mid-year
    assert any(r["id"] == "vp-cv3" for r in joined)
    notes = [m.note for m in data.months]
    assert notes[:6] == ["not_employed"] * 6 and "not_employed" not in notes[6:]
    services.reports.form02("vp-cv3", "2026", out, "vi")
    lines = [line for line in pages(out)[0].splitlines() if re.match(r"\s+[1-6]\s", line)]
    assert len(lines) == 6 and all("chưa công tác" in line for line in lines), lines
    assert "chưa đánh giá" not in " ".join(lines)
    services.reports.form02("vp-cv3", "2026", tmp_path / "en.pdf", "en")
    assert "not yet in service" in pdf_text(tmp_path / "en.pdf")


def test_form02_computed_level_is_for_reference_and_cites_the_point(services, tmp_path):
    out = tmp_path / "f02.pdf"
    services.reports.form02("kt-cv4", "2026", out, "vi")
    text = pdf_text(out)
    assert ("Mức xếp loại tương ứng với điểm (tham khảo): Không hoàn thành nhiệm vụ; bị kỷ luật "
            "(điểm c khoản 4 Điều 20).") in text
    assert "phần mềm tính" not in text and " — " not in text
    services.reports.form02("vp-cv3", "2026", out, "vi")
    assert "thời gian công tác chưa đủ 06 tháng (khoản 1 Điều 11)" in pdf_text(out)


# -- Mẫu số 01 ---------------------------------------------------------------------------------


def test_form01_month_prints_no_level_except_as_corresponding(services, tmp_path):
    out = tmp_path / "f01.pdf"
    services.reports.form01("vp-cv1", "2026-09", out, "vi")
    comment = services.reports.form01_data("vp-cv1", "2026-09").comment
    text = pdf_text(out).replace(comment, "")  # the evaluator's words are theirs
    for level in LEVELS_VI:
        for found in re.finditer(re.escape(level), text):
            before = text[max(0, found.start() - 16):found.start()]
            assert "tương ứng mức" in before, text[found.start() - 60:found.end()]
    assert "(tương ứng mức Hoàn thành xuất sắc nhiệm vụ)" in text
    assert "(Kỳ theo dõi, đánh giá: tháng 9 năm 2026)" in text and "tháng 09" not in text


def test_form01_details_are_an_annex_after_the_signatures(services, tmp_path):
    out = tmp_path / "f01.pdf"
    services.reports.form01("vp-cv1", "2026-09", out, "vi")
    texts = [_flat(p) for p in pages(out, layout=False)]
    signed = next(i for i, t in enumerate(texts) if "CÔNG CHỨC TỰ ĐÁNH GIÁ" in t)
    annex = next(i for i, t in enumerate(texts)
                 if "BẢNG CHI TIẾT KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in t)
    assert annex > signed
    assert texts[annex].startswith("BẢNG CHI TIẾT KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    assert "(Kèm theo Phiếu theo dõi, đánh giá công chức của Phạm Thị Hoa, kỳ tháng 9 năm 2026)"\
        in texts[annex]
    before = " ".join(texts[:annex])
    for detail in ("Số lượng a =", "Sai sót lớn", "Ngoài kế hoạch", "Hệ số quy đổi"):
        assert detail not in before and detail in texts[annex], detail
    assert "tối đa 70 điểm = 70,00" in texts[annex]  # a = 103,23%: the cap is visible


def test_form01_column_5_is_marked_as_an_addition(services, tmp_path):
    out = tmp_path / "f01.pdf"
    services.reports.form01("vp-cv1", "2026-09", out, "vi")
    text = _flat(subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], check=True,
                                capture_output=True).stdout.decode("utf-8"))
    assert "Điểm do cấp có thẩm quyền xác nhận (*)" in unicodedata.normalize("NFC", text)
    text = unicodedata.normalize("NFC", text)
    assert ("(*) Cột (5) không có trong Mẫu số 01, được bổ sung để ghi điểm do cấp có thẩm quyền "
            "theo dõi, đánh giá xác nhận (khoản 2 Điều 17).") in text


def test_form01_section_ii_stays_together(services, tmp_path):
    for person, period in (("vp-cv1", "2026-09"), ("kt-tp", "2026-10"), ("vp-cv1", "2026-Q3")):
        out = tmp_path / "f01.pdf"
        services.reports.form01(person, period, out, "vi")
        texts = [_flat(p) for p in pages(out)]
        heading = "II. TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC"
        with_heading = [t for t in texts if heading in t]
        assert len(with_heading) == 1
        assert "6. Ý kiến nhận xét của cấp có thẩm quyền theo dõi, đánh giá" in with_heading[0]
        assert "1. Điểm tiêu chí chung" in with_heading[0]


def test_form01_quarter_has_one_number_in_table_and_summary(services, tmp_path):
    out = tmp_path / "q.pdf"
    data = services.reports.form01_data("vp-cv1", "2026-Q3")
    services.reports.form01("vp-cv1", "2026-Q3", out, "vi")
    text = pdf_text(out)
    confirmed = fmt(data.general_confirmed)
    assert f"1. Điểm tiêu chí chung: {fmt(data.general_points)}" in text
    total_row = re.search(r"Tổng cộng 30 (\S+) (\S+)", text)
    assert total_row and total_row.group(2) == confirmed == fmt(data.general_points)
    months = [services.scores.person_period("vp-cv1", m).score.total
              for m in Period.parse("2026-Q3").months()]
    assert fmt(sum(Fraction(m) for m in months) / 3) in text


# -- every form --------------------------------------------------------------------------------

FORMS = [("form01", "vp-cv1", "2026-09"), ("form01", "vp-cv1", "2026-Q3"),
         ("form01", "kt-tp", "2026-10"), ("form02", "kt-cv4", "2026"),
         ("form02", "vp-cv3", "2026"), ("unit", "xa", "2026"), ("unit", "xa", "2026-09")]


def _document(services, kind, subject, period, language):  # noqa: ANN001
    from kpi_desktop.reports import forms
    from kpi_desktop.reports.data import ReportMeta

    meta = ReportMeta(code="X", policy_version="p")
    if kind == "form01":
        return forms.form01_document(services.reports.form01_data(subject, period), meta,
                                     language)
    if kind == "form02":
        return forms.form02_document(services.reports.form02_data(subject, period), meta,
                                     language)
    return forms.unit_summary_document(services.reports.unit_data(subject, period), meta,
                                       language)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("kind", "subject", "period"), FORMS)
def test_no_word_of_a_table_is_cut(services, kind, subject, period, language):
    """Every word (a compound such as "tối đa" counts as one) fits its column."""
    from kpi_desktop.reports import document as doc
    from kpi_desktop.reports._layout import overfull_words

    def tables(blocks):  # noqa: ANN001, ANN202
        for block in blocks:
            if isinstance(block, doc.Keep):
                yield from tables(block.blocks)
            elif isinstance(block, doc.Table):
                yield block

    built = _document(services, kind, subject, period, language)
    found = [word for table in tables(built.blocks) for word in overfull_words(table)]
    assert found == []
    headers = " ".join(c.text for table in tables(built.blocks) for c in table.rows[0])
    if kind == "form01" and language == "vi":
        assert "tối\u00a0đa" in headers and "cá\u00a0nhân" in headers


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("kind", "subject", "period"), FORMS)
def test_citations_and_figures_never_break_and_percent_is_written_like_the_decree(
        services, tmp_path, kind, subject, period, language):
    out = tmp_path / "form.pdf"
    if kind == "form01":
        services.reports.form01(subject, period, out, language)
    elif kind == "form02":
        services.reports.form02(subject, period, out, language)
    else:
        services.reports.unit_summary(subject, period, out, language)
    for page in pages(out):
        for line in page.splitlines():
            words = line.split()
            if not words:
                continue
            assert words[-1] not in ("Điều", "khoản", "điểm", "Article", "=", "×"), line
            assert words[0] not in ("%", "=") and not re.match(r"^\d+\)", words[0]), line
            assert not re.search(r"\d %", line), line
            assert not re.search(r"tháng 0[3-9]\b", line), line
            assert " — " not in line, line
    built = _document(services, kind, subject, period, language)
    from kpi_desktop.reports.document import plain_text

    assert plain_text(built)  # the model both writers lay out


def test_typeset_binds_citations_and_formulas():
    from kpi_desktop.reports.document import NBSP, typeset

    text = typeset("bị kỷ luật (điểm c khoản 4 Điều 20); a = 100 %; 103,23 % × 70")
    assert f"điểm{NBSP}c{NBSP}khoản{NBSP}4{NBSP}Điều{NBSP}20" in text
    assert f"a{NBSP}={NBSP}100%" in text and f"103,23%{NBSP}×{NBSP}70" in text


def test_unit_summary_words(services, tmp_path):
    out = tmp_path / "m.pdf"
    services.reports.unit_summary("xa", "2026-09", out, "vi")
    text = pdf_text(out)
    assert "Mức tương ứng" in text and "NGƯỜI ĐỨNG ĐẦU CƠ QUAN, ĐƠN VỊ" in text
    assert "THỦ TRƯỞNG" not in text and "—" not in text.split("Quy tắc chấm điểm")[0]
    assert "Tháng 9 năm 2026" in text
