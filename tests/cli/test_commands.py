"""The headless commands of DESIGN.md §8, run in-process through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from kpi_desktop.app import main
from kpi_desktop.scoring import ScoringPolicy, TaskLine, score_period
from kpi_desktop.storage.backup import dump_database


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_matches_a_hand_computation(demo_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "score",
                       "--person", "vp-cv2", "--period", "2026-09", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("a", "b", "c", "task_points", "general_points", "total", "level", "why"):
        assert key in data
    # Recompute a, b, c by hand from the "why" lines (converted units) and compare.
    why = data["why"]
    assigned = sum(Fraction(w["coefficient"]) * Fraction(w["quantity"]) for w in why
                   if not w["extra"])
    done = sum(Fraction(w["coefficient"]) * Fraction(w["quantity"]) for w in why
               if w["completed"])
    quality = sum(Fraction(w["coefficient"]) * Fraction(w["quantity"])
                  * max(0, 1 - Fraction(w["failed_reviews"], 4)) for w in why if w["completed"])
    on_time = sum(Fraction(w["coefficient"]) * Fraction(w["quantity"])
                  * max(0, 1 - Fraction(w["delays"], 4)) for w in why if w["completed"])
    a, b, c = done / assigned * 100, quality / assigned * 100, on_time / assigned * 100
    assert data["a"] == pytest.approx(float(a), abs=0.005)
    assert data["b"] == pytest.approx(float(b), abs=0.005)
    assert data["c"] == pytest.approx(float(c), abs=0.005)
    task_points = min(Fraction(70), (a + b + c) / 3 / 100 * 70)
    assert data["task_points"] == pytest.approx(float(task_points), abs=0.005)
    total = task_points + Fraction(str(data["general_points"]))
    assert data["total"] == pytest.approx(float(total), abs=0.006)
    # ... and the engine agrees with the same lines.
    lines = [TaskLine(w["coefficient"], w["quantity"], w["completed"], w["failed_reviews"],
                      w["delays"], extra=w["extra"], objective_cause=w["objective_cause"])
             for w in why]
    engine = score_period(ScoringPolicy.default(), lines, str(data["general_points"]))
    assert engine.rounded("total") == data["total"]
    assert data["level"] in {"excellent", "good", "complete", "not_complete"}
    assert data["policy_version"] == ScoringPolicy.default().version


def test_score_text_in_vietnamese(demo_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "score",
                       "--person", "hcc-cv1", "--period", "2026-03")
    assert code == 0
    assert "a (số lượng)" in out and "Tổng điểm" in out


@pytest.mark.parametrize(("lang", "months"), [
    ("vi", "từ tháng 1/2026 đến tháng 11/2026"), ("en", "months 1/2026 to 11/2026")])
def test_the_demo_names_its_months_as_people_write_them(tmp_path, capsys, lang, months):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "d"), "--lang", lang, "demo",
                       "--today", "2026-11-23")
    assert code == 0
    assert months in out and "2026-01" not in out and "2026-11" not in out


def test_classify_json(demo_dir, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "classify", "--unit", "xa",
                       "--year", "2026", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["people"]) == 25
    assert data["quota"]["limit"] >= 0
    assert sum(data["distribution"].values()) == 25


@pytest.mark.parametrize(
    ("args", "needle_en", "needle_vi"),
    [
        (["score", "--person", "nobody", "--period", "2026-03"], "nobody", "nobody"),
        (["score", "--person", "vp-cv1", "--period", "2026-13"], "not a period",
         "không phải là kỳ đánh giá"),
        (["score", "--person", "vp-cv1", "--period", "March"], "not a period",
         "không phải là kỳ đánh giá"),
        (["classify", "--unit", "xa", "--year", "20x6"], "not a year", "không phải là năm"),
        (["classify", "--unit", "nowhere", "--year", "2026"], "nowhere", "nowhere"),
        (["log", "add", "--person", "vp-cv1", "--date", "2026-11-02", "--item", "DC.01",
          "--quantity", "-2"], "greater than zero", "lớn hơn 0"),
        (["log", "add", "--person", "vp-cv1", "--date", "2026-02-30", "--item", "DC.01",
          "--quantity", "1"], "not a date", "không phải là ngày"),
        (["log", "add", "--person", "vp-cv1", "--date", "2099-01-05", "--item", "DC.01",
          "--quantity", "1"], "in the future", "ở tương lai"),
        (["log", "add", "--person", "vp-cv1", "--date", "2026-11-02", "--item", "NOPE.1",
          "--quantity", "1"], "NOPE.1", "NOPE.1"),
        (["log", "add", "--person", "vp-cv1", "--date", "2026-11-02", "--item", "HCC.01",
          "--quantity", "1"], "not in the list", "không thuộc danh mục"),
        (["log", "add", "--person", "vp-cv1", "--date", "2026-03-02", "--item", "DC.01",
          "--quantity", "1"], "locked", "đã khóa"),
    ],
)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_refused_values_exit_3_and_change_nothing(demo_dir, capsys, args, needle_en, needle_vi,
                                                  language):
    database = demo_dir / "kpi.db"
    before = dump_database(database)
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "--lang", language, *args)
    assert code == 3, err
    assert (needle_en if language == "en" else needle_vi) in err
    assert out == ""
    assert dump_database(database) == before


def test_log_add_stores_a_draft_and_submits(demo_dir, capsys):
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "log", "add", "--person", "vp-cv1",
                         "--date", "2026-11-20", "--item", "DC.01", "--quantity", "2",
                         "--doc-number", "12/UBND", "--description", "Cong van", "--submit",
                         "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "submitted" and data["revision"] == 1
    assert data["quantity"] == "2" and data["coefficient"] == "1.00"


def test_unknown_command_exits_2():
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_check_reports_intact_and_damaged(demo_dir, capsys, tmp_path):
    code, _, _ = run(capsys, "--data-dir", str(demo_dir), "check")
    assert code == 0
    broken = tmp_path / "broken"
    broken.mkdir()
    data = (demo_dir / "kpi.db").read_bytes()
    (broken / "kpi.db").write_bytes(data[:4096] + b"\x00garbage" * 2000 + data[20000:])
    code, _, err = run(capsys, "--data-dir", str(broken), "check")
    assert code == 4
    assert err


def test_entry_point_runs_as_a_program(demo_master):
    result = subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(demo_master),
                             "--lang", "en", "score", "--person", "nobody", "--period", "2026-03"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 3
    assert "nobody" in result.stderr


def test_a_half_year_before_joining_reads_not_yet_in_service(demo_dir, capsys):
    """Someone who joined on 1 July: the first half year is 'chưa công tác' month by month
    (the same rule as the printed forms), not 'insufficient data'."""
    import dataclasses
    import datetime as dt

    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    try:
        with services.db.unit_of_work() as uow:
            model = uow.org.find_person("hcc-cv1")
            uow.org.add_person(dataclasses.replace(model, id="hcc-new", full_name="Lê Văn Mới",
                                                   joined_on=dt.date(2026, 7, 1)))
    finally:
        services.close()
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "vi", "score",
                       "--person", "hcc-new", "--period", "2026-H1")
    assert code == 0
    assert out.count("chưa công tác") == 6 and "chưa đủ dữ liệu" not in out
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "score",
                       "--person", "hcc-new", "--period", "2026-H1", "--json")
    assert [m["note"] for m in json.loads(out)["months"]] == ["not_employed"] * 6
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "--lang", "en", "score",
                       "--person", "hcc-new", "--period", "2026-H2")
    assert "not yet in service" not in out and "insufficient data" in out
