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
