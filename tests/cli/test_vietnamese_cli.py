"""The command line in Vietnamese (issue 17 §6): argparse's own words, labels instead of keys,
periods and errors a commune official can read. Each case also runs in English."""

from __future__ import annotations

import json
import re

import pytest

from kpi_desktop.app import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse's --help and usage errors
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("language", "words"), [
    ("vi", ("cách dùng:", "tùy chọn:", "hiện hướng dẫn này rồi thoát")),
    ("en", ("usage:", "options:", "show this help message and exit")),
])
def test_help_is_in_the_message_language(demo_dir, capsys, language, words):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", language, "score", "-h")
    assert code == 0
    for word in words:
        assert word in out, out
    if language == "vi":
        assert not re.search(r"\b(usage|options|positional arguments|show this help)\b", out)


@pytest.mark.parametrize(("args", "vi", "en"), [
    (("score", "--person", "vp-cv1"),
     "lỗi: còn thiếu các tham số bắt buộc: --period",
     "error: the following arguments are required: --period"),
    (("report", "form01", "--person", "vp-cv1", "--period", "2026-09", "--out", "x.pdf",
      "--lang", "fr"),
     "lựa chọn không hợp lệ: 'fr'", "invalid choice: 'fr'"),
    (("people", "--bogus"), "không hiểu các tham số: --bogus", "unrecognized arguments: --bogus"),
])
def test_usage_errors_are_in_the_message_language(demo_dir, capsys, args, vi, en):
    for language, expected in (("vi", vi), ("en", en)):
        code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", language, *args)
        assert code == 2
        assert expected in err, err
        assert ("cách dùng:" in err) == (language == "vi"), err
        if language == "vi":
            assert "error:" not in err and "usage:" not in err


def test_people_show_roles_in_words_and_json_keeps_keys(demo_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "people")
    assert code == 0
    assert "người đứng đầu" in out and "cấp phó" in out and "công chức" in out
    assert not re.search(r"\b(head|deputy|official)\b", out)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "people")
    assert "deputy head" in out
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "people", "--json")
    roles = {row["role"] for row in json.loads(out)}
    assert roles >= {"head", "deputy", "official"}


def test_review_inbox_flags_in_words(demo_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "review", "inbox",
                       "--by", "kt-tp")
    assert code == 0
    assert "Chờ quá hạn" in out
    assert not re.search(r"\b(overdue|completed_late|day_over_norm)\b", out)
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "review", "inbox",
                       "--by", "kt-tp", "--json")
    assert "overdue" in {flag for row in json.loads(out) for flag in row["flags"]}


def test_backup_list_reasons_in_words_and_a_missing_backup_is_not_damaged(demo_dir, capsys,
                                                                          tmp_path):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "backup")
    assert code == 0
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "backup", "--list")
    assert code == 0 and "theo yêu cầu" in out and " manual " not in out
    missing = tmp_path / "khong-co.db"
    for language, expected, wrong in (("vi", "Không tìm thấy tệp sao lưu", "hỏng"),
                                      ("en", "There is no backup file", "damaged")):
        code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", language, "backup",
                           "--restore", str(missing))
        assert code == 3
        assert expected in err and wrong not in err, err


def test_no_raw_os_error(demo_dir, capsys, tmp_path):
    for language, expected in (("vi", "không tồn tại"), ("en", "does not exist")):
        code, out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", language, "import",
                             str(tmp_path / "khong-co.kpib"))
        text = out + err
        assert code != 0
        assert "Errno" not in text and "No such file" not in text.replace(expected, "")
        assert expected in text, text


def test_an_empty_data_folder_says_no_organisation(tmp_path, capsys):
    for language, expected in (("vi", "Máy này chưa thiết lập tổ chức"),
                               ("en", "No organisation is set up on this PC")):
        code, _, err = run(capsys, "--data-dir", str(tmp_path / "empty"), "--lang", language,
                           "score", "--person", "vp-cv1", "--period", "2026-09")
        assert code == 3
        assert expected in err and "vp-cv1" not in err, err


def test_period_hints_are_complete(demo_dir, capsys, tmp_path):
    """The hint lists exactly the forms the command takes (review §3 #2, #3, #13)."""
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "report", "form01",
                       "--person", "vp-cv1", "--period", "2026-13", "--out",
                       str(tmp_path / "x.pdf"))
    assert code == 3, err
    assert "Cách ghi: tháng: 9/2026 hoặc 2026-09; quý: 2026-Q3." in err, err
    assert "năm: 2026" not in err
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "appeal", "file",
                       "--as", "vp-cv1", "--period", "2026/09", "--reason", "x")
    assert code == 3 and "“2026/09” is not a period." in err, err
    assert "a month as 9/2026 or 2026-09" in err and "a quarter as 2026-Q3" in err
    assert "a year as 2026" in err
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "score",
                       "--person", "vp-cv1", "--period", "13/2026")
    assert code == 3 and "“13/2026” không phải là kỳ đánh giá." in err, err
    assert "tháng: 9/2026 hoặc 2026-09" in err


@pytest.mark.parametrize("typed", ["9/2026", "09/2026", " 9/2026 "])
def test_a_month_typed_month_first_is_understood(demo_dir, capsys, tmp_path, typed):
    """"9/2026" is how a Vietnamese official writes September 2026 (review §3 #3): every
    command that takes a month reads it as 2026-09."""
    code, iso, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "score",
                       "--person", "vp-cv1", "--period", "2026-09", "--json")
    assert code == 0
    code, typed_out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "en",
                               "score", "--person", "vp-cv1", "--period", typed, "--json")
    assert code == 0, err
    assert json.loads(typed_out) == json.loads(iso)
    out_file = tmp_path / "f01.pdf"
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "report",
                         "form01", "--person", "vp-cv1", "--period", typed, "--out",
                         str(out_file))
    assert code == 0 and out_file.exists(), err


def test_chained_reasons_continue_the_sentence(demo_dir, capsys, tmp_path):
    """Two messages joined by a colon read as one sentence: no capital after the colon
    (review §3 #12)."""
    missing = tmp_path / "khong-co.csv"
    for language, expected in (
            ("vi", "Không đọc được danh sách công chức: không mở được tệp"),
            ("en", "The staff list cannot be read: the file")):
        code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", language, "org",
                           "staff", str(missing))
        assert code == 3 and expected in err, err


def test_periods_read_as_people_write_them(demo_dir, capsys):
    code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "review", "month",
                       "--by", "kt-tp", "--person", "kt-cv1", "--period", "2026-11")
    assert code == 3
    assert "tháng 11/2026" in err and "2026-11" not in err, err


def test_page_counts_are_plural_right(demo_dir, capsys, tmp_path):
    from kpi_desktop.runtime import i18n
    from kpi_desktop.services.messages import pages_text

    i18n.set_language("en")
    assert pages_text(1) == "1 page" and pages_text(2) == "2 pages"
    i18n.set_language("vi")
    assert pages_text(1) == "1 trang" and pages_text(3) == "3 trang"
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "report", "form01",
                       "--person", "vp-cv1", "--period", "2026-09", "--out",
                       str(tmp_path / "x.pdf"))
    assert code == 0 and re.search(r"\(\d+ pages?\)", out) and "(1 pages)" not in out


def test_a_refused_policy_file_says_why_in_vietnamese(demo_dir, capsys, tmp_path):
    from kpi_desktop.scoring import ScoringPolicy

    bad_value = json.loads(ScoringPolicy.default().to_json())
    bad_value["quota_share"] = "abc"
    cases = {
        "not-json.json": ("{not json", "tệp không phải văn bản JSON"),
        "value.json": (json.dumps(bad_value), "giá trị “abc” của “Tỷ lệ hoàn thành xuất sắc"),
        "missing.json": (None, "tệp hoặc thư mục không tồn tại"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content, encoding="utf-8")
        code, _, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "org", "policy",
                           str(path), "--from", "2027-01-01")
        assert code == 3 and "Tệp quy tắc chấm điểm không hợp lệ" in err, err
        assert expected in err, err
        assert not re.search(r"\b(Expecting|value|invalid|Errno|quota_share)\b", err), err


@pytest.mark.parametrize(("args", "heading_vi", "heading_en"), [
    (("score", "--person", "vp-cv1", "--period", "2026-09"), "— tháng 9/2026", "— 9/2026"),
    (("score", "--person", "kt-tp", "--period", "2026-09"), "— tháng 9/2026", "— 9/2026"),
    (("score", "--person", "vp-cv1", "--period", "2026-Q3"), "— quý III/2026",
     "— quarter III/2026"),
    (("score", "--person", "vp-cv1", "--period", "2026-H2"), "— 6 tháng cuối năm 2026",
     "— second half of 2026"),
    (("classify", "--unit", "vp", "--year", "2026"), "năm 2026", "2026"),
])
def test_scores_print_with_the_one_number_formatter_and_period_texts(demo_dir, capsys, args,
                                                                      heading_vi, heading_en):
    """score and classify (issue 17 §6): decimals with a comma in Vietnamese, a dot in
    English; periods as people write them, never "2026-09"; "25%" without a space."""
    from kpi_desktop.domain.numbers import format_number

    code, vi, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", *args)
    assert code == 0, err
    code, en, err = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", *args)
    assert code == 0, err
    assert heading_vi in vi.splitlines()[0] and heading_en in en.splitlines()[0]
    for text in (vi, en):
        assert not re.search(r"\b2026-(\d\d|Q\d|H\d)\b", text), text
        assert " %" not in text, text
    assert not re.search(r"\d\.\d\d\b", vi), vi  # no dot decimals in Vietnamese
    assert not re.search(r"\d,\d\d\b", en), en
    figures_vi = re.findall(r"\d+,\d\d", vi)
    figures_en = re.findall(r"\d+\.\d\d", en)
    assert figures_vi and figures_vi == [f.replace(".", ",") for f in figures_en]
    if args[0] == "score" and args[-1] == "2026-09":
        data = json.loads(run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", *args,
                              "--json")[1])
        assert format_number(data["total"], language="vi") in vi  # JSON keeps its dot
        assert data["period"] == "2026-09"


def test_a_mean_of_one_month_is_singular():
    """"Mean of 1 month", never "1 months" (a quarter with one month worked)."""
    from fractions import Fraction

    from kpi_desktop.domain.model import Level, Period
    from kpi_desktop.runtime import i18n
    from kpi_desktop.services.scores import MonthFigures, PeriodRollup, ScoreService

    months = tuple(MonthFigures(period=m, general_points=Fraction(29), task_points=None,
                                total=Fraction(9917, 100) if m.number == 9 else None,
                                level=Level.EXCELLENT if m.number == 9 else None,
                                insufficient=m.number != 9, evaluated=m.number == 9)
                   for m in Period.parse("2026-Q3").months())
    rollup = PeriodRollup("vp-cv1", Period.parse("2026-Q3"), months, Fraction(29),
                          Fraction(7017, 100), Fraction(9917, 100), Level.EXCELLENT, "nd335")
    i18n.set_language("en")
    try:
        english = ScoreService.rollup_as_text(rollup, "Phạm Thị Hoa")
        assert "Mean of 1 month 99.17: Excellent" in english and "1 months" not in english
        i18n.set_language("vi")
        vietnamese = ScoreService.rollup_as_text(rollup, "Phạm Thị Hoa")
        assert "Điểm trung bình cộng của 1 tháng 99,17" in vietnamese
        assert vietnamese.splitlines()[0] == "Phạm Thị Hoa — quý III/2026"
    finally:
        i18n.set_language("en")
