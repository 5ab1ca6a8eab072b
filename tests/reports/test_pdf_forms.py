"""Form 01, Form 02 and the unit summary: content, numbers against the engine, codes."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from kpi_desktop.domain.model import Period
from kpi_desktop.services.reports import ReportCancelled, parse_code
from tests.reports.conftest import fmt, pdf_text

LEVELS_VI = {"excellent": "Hoàn thành xuất sắc nhiệm vụ", "good": "Hoàn thành tốt nhiệm vụ",
             "complete": "Hoàn thành nhiệm vụ", "not_complete": "Không hoàn thành nhiệm vụ"}


def test_form01_vietnamese_shows_the_engine_numbers(services, tmp_path):
    out = tmp_path / "f01.pdf"
    started = time.perf_counter()
    result = services.reports.form01("kt-cv1", "2026-03", out, "vi")
    elapsed = time.perf_counter() - started
    assert elapsed < 5
    text = pdf_text(out)
    # the decree's layout, with Vietnamese diacritics intact
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Mẫu số 01", "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC",
                   "Kỳ theo dõi, đánh giá: tháng 3 năm 2026", "Họ và tên: Nguyễn Thị Thảo",
                   "PHÒNG KINH TẾ", "I. KẾT QUẢ THEO DÕI, ĐÁNH GIÁ THEO TIÊU CHÍ CHUNG",
                   "Ý thức kỷ luật, kỷ cương trong thực thi công vụ",
                   "CÔNG CHỨC TỰ ĐÁNH GIÁ", "(Ký tên, ghi rõ họ tên)", "Trang 1/",
                   "nd335-2026.1", result.code):
        assert phrase in text, phrase
    score = services.scores.person_period("kt-cv1", "2026-03").score
    assert f"1. Điểm tiêu chí chung: {fmt(score.general_points)}" in text
    assert f"2. Điểm tiêu chí kết quả thực hiện nhiệm vụ: {fmt(score.task_points)}" in text
    assert f"3. Tổng điểm theo dõi, đánh giá công chức: {fmt(score.total)}" in text
    assert (f"Số lượng a = {fmt(score.a)}%; chất lượng b = {fmt(score.b)}%; "
            f"tiến độ c = {fmt(score.c)}%") in text
    assert f"{fmt(score.total)} (tương ứng mức {LEVELS_VI[score.level.value]})" in text
    # products of the month, by catalog code
    for line in services.scores.person_period("kt-cv1", "2026-03").lines:
        assert line.code in text


def test_form01_english_leader_with_factors(services, tmp_path):
    out = tmp_path / "f01-en.pdf"
    services.reports.form01("kt-tp", "2026-10", out, "en")
    text = pdf_text(out)
    result = services.scores.person_period("kt-tp", "2026-10")
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text
    assert "CIVIL SERVANT MONITORING AND EVALUATION FORM" in text
    assert "Phan Văn Quang" in text
    assert f"Total monitoring and evaluation points: {fmt(result.score.total, 'en')}" in text
    leader = result.leader
    assert f"d = {leader.d}%; đ = {leader.dd}%; e = {leader.e}%" in text


def test_form01_quarter_is_the_mean_of_its_months(services, tmp_path):
    out = tmp_path / "q.pdf"
    services.reports.form01("hcc-cv2", "2026-Q2", out, "vi")
    text = pdf_text(out)
    totals = [services.scores.person_period("hcc-cv2", m).score.total
              for m in Period.parse("2026-Q2").months()]
    mean = sum(Fraction(t) for t in totals) / 3
    assert "quý II năm 2026" in text
    assert f"3. Tổng điểm theo dõi, đánh giá công chức: {fmt(mean)}" in text
    for total in totals:
        assert fmt(total) in text


def test_form01_insufficient_data(services, tmp_path):
    out = tmp_path / "i.pdf"
    services.reports.form01("kt-cv3", "2026-05", out, "en")
    assert "Insufficient data" in pdf_text(out)


def test_form02_shows_the_monthly_totals_and_the_mean(services, tmp_path):
    out = tmp_path / "f02.pdf"
    result = services.reports.form02("kt-cv1", "2026", out, "vi")
    text = pdf_text(out)
    for phrase in ("Mẫu số 02", "PHIẾU XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC", "Năm 2026",
                   "Tổng điểm trung bình cả năm", "Hoàn thành xuất sắc nhiệm vụ",
                   "Không hoàn thành nhiệm vụ", "CÔNG CHỨC TỰ XẾP LOẠI",
                   "IV. ĐỀ XUẤT PHƯƠNG ÁN XỬ LÝ", result.code):
        assert phrase in text, phrase
    classification = services.scores.classify_unit("kt", 2026)
    row = next(r for r in classification.rows if r.person.id == "kt-cv1")
    for total in row.monthly_totals:
        assert fmt(total) in text
    assert f"Tổng điểm trung bình cả năm {fmt(row.result.mean)}" in text
    assert result.pages == 1


def test_unit_summary_progress_and_cancel(services, tmp_path):
    seen: list[tuple[int, int]] = []
    out = tmp_path / "unit.pdf"
    services.reports.unit_summary("kt", "2026-03", out, "en",
                                  progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 7
    text = pdf_text(out)
    for person in ("Phan Văn Quang", "Nguyễn Thị Thảo", "Lê Thị Yến"):
        assert person in text
    assert "DISTRIBUTION BY LEVEL" in text and "REVIEW OF THE WORK LOG" in text
    total = services.scores.person_period("kt-cv5", "2026-03").score.total
    assert fmt(total, "en") in text

    cancelled = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        services.reports.unit_summary("kt", "2026-03", cancelled, cancel=lambda: True)
    assert not cancelled.exists()


def test_unit_summary_year_has_the_quota(services, tmp_path):
    out = tmp_path / "year.pdf"
    services.reports.unit_summary("xa", "2026", out, "vi")
    text = pdf_text(out)
    quota = services.scores.classify_unit("xa", 2026).quota
    assert "BẢNG TỔNG HỢP KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC" in text
    assert (f"{quota.excellent} người Hoàn thành xuất sắc nhiệm vụ; "
            f"tối đa được {quota.limit} người") in text
    assert "Đặng Thị Lan" in text and "thời gian công tác chưa đủ 06" in text


def test_verify_detects_a_changed_row(demo_dir, tmp_path):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    paths = app_paths(demo_dir)
    services = AppServices.open(paths)
    try:
        code = services.reports.form01("kt-cv1", "2026-03", tmp_path / "a.pdf").code
        f02 = services.reports.form02("kt-cv1", "2026", tmp_path / "b.pdf").code
        assert parse_code(code)[:3] == ("form01", "kt-cv1", "2026-03")
        assert services.reports.verify(code).ok
        assert services.reports.verify(f02).ok
        assert services.reports.verify("F01.kt-cv1.2026-03.AAAAAAAA").status == "mismatch"
        assert services.reports.verify("F01.nobody.2026-03.AAAAAAAA").status == "unknown"
        assert services.reports.verify("nonsense").status == "malformed"
        # change one confirmed entry's quantity in the database
        entry_id = next(line.entry_ids[0] for line in
                        services.scores.person_period("kt-cv1", "2026-03").lines
                        if line.completed and line.entry_ids)
    finally:
        services.close()
    # Through the application's own storage (the row seals follow): a change made with another
    # program would be refused as damage by the start-up check before any form is verified.
    from kpi_desktop.storage.engine import create_sqlite_engine

    engine = create_sqlite_engine(paths.database, pooled=False)
    with engine.begin() as connection:
        changed = connection.exec_driver_sql(
            "UPDATE work_log_entries SET quantity = '0.5' WHERE id = ?", (entry_id,)).rowcount
    engine.dispose()
    assert changed == 1
    services = AppServices.open(paths)
    try:
        result = services.reports.verify(code)
        assert result.status == "mismatch" and not result.ok
        assert result.current_code != code
        assert "does not match" in result.describe()
    finally:
        services.close()


def test_verify_detects_a_changed_evaluation(demo_dir, tmp_path):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    try:
        code = services.reports.form01("vp-cv1", "2026-02", tmp_path / "a.pdf").code
        with services.db.unit_of_work() as uow:
            evaluation = uow.evaluations.get_monthly("vp-cv1", "2026-02")
            criteria = dict(evaluation.confirmed_criteria)
            criteria["I.1"] = Decimal(criteria.get("I.1", 0)) - Decimal("0.5")
            uow.evaluations.upsert_monthly(replace(evaluation, confirmed_criteria=criteria))
        assert services.reports.verify(code).status == "mismatch"
    finally:
        services.close()


def test_unwritable_output_is_refused_before_any_work(services, tmp_path):
    from kpi_desktop.domain.errors import RefusedValue

    with pytest.raises(RefusedValue) as caught:
        services.reports.form01("kt-cv1", "2026-03", tmp_path / "missing" / "x.pdf")
    assert caught.value.code == "output_unwritable"
    assert not (tmp_path / "missing").exists()


def test_text_is_nfc_and_the_font_is_embedded(services, tmp_path):
    import unicodedata

    from kpi_desktop.reports import render_form01
    from kpi_desktop.reports.data import ReportMeta

    data = services.reports.form01_data("kt-cv1", "2026-03")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thảo Đặng")
    data = replace(data, person=replace(data.person, full_name=decomposed))
    pdf = render_form01(data, ReportMeta(code="F01.x.2026-03.AAAAAAAA", policy_version="p"), "en")
    assert b"BeVietnamPro" in pdf and pdf.startswith(b"%PDF")
    out = tmp_path / "nfc.pdf"
    out.write_bytes(pdf)
    assert "Nguyễn Thị Thảo Đặng" in pdf_text(out)


def test_language_override_is_per_thread():
    import threading

    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.i18n import translate

    seen = {}

    def worker():
        with i18n.language_override("vi"):
            seen["inside"] = translate("Level", "Excellent")
            seen["lang"] = i18n.effective_language()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == {"inside": "Hoàn thành xuất sắc nhiệm vụ", "lang": "vi"}
    assert translate("Level", "Excellent") == "Excellent"
    assert i18n.current_language() == "en" and i18n.effective_language() == "en"
