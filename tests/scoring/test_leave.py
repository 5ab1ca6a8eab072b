"""Issue 15, finding 6: leave under Điều 11.2 — recorded, used by classification, shown.

vp-cv2 has ten evaluated months in 2026 (January to October). Rules (scoring/leave.py):
months entirely on leave leave the mean; sick or maternity leave → classified on the months
worked however few; unpaid personal leave → classified only with at least 6 months worked.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import unicodedata
from fractions import Fraction

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Period
from kpi_desktop.domain.scores import YearReason
from kpi_desktop.scoring import ScoringPolicy, level_for, period_mean
from kpi_desktop.scoring.leave import LeaveSpan, months_on_leave, qualifies_for_exception
from kpi_desktop.storage.backup import dump_database

TODAY = dt.date(2026, 11, 23)
PERSON, LEADER, UNIT = "vp-cv2", "vp-cvp", "vp"


@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir), today=TODAY)
    yield services
    services.close()


def _row(app, person=PERSON):
    result = app.scores.classify_unit(UNIT, 2026)
    return next(r for r in result.rows if r.person.id == person)


def _totals(app, months):
    with app.db.unit_of_work(read_only=True) as uow:
        stored = {str(e.period): e.total for e in uow.evaluations.list_monthly(
            person_id=PERSON, year=2026)}
    return [Fraction(stored[f"2026-{m:02d}"]) for m in months]


# ---------------------------------------------------------------- the pure rule -------------


def test_months_entirely_on_leave_by_working_days():
    # 2026-05-01 is a Friday (a public holiday), so a leave from 4 May covers May's working days.
    span = LeaveSpan(dt.date(2026, 5, 4), dt.date(2026, 6, 15), social_insurance=True)
    holidays = {dt.date(2026, 4, 30), dt.date(2026, 5, 1)}
    months = months_on_leave([span], 2026, lambda d: d.weekday() < 5 and d not in holidays)
    assert months == (5,)  # June is only partly on leave
    assert qualifies_for_exception([span], 2026)
    unpaid = LeaveSpan(dt.date(2026, 1, 1), dt.date(2026, 12, 31), social_insurance=False)
    assert not qualifies_for_exception([unpaid], 2026)
    assert not qualifies_for_exception([span], 2027)


# ---------------------------------------------------------------- classification ------------


def test_maternity_leave_with_four_months_worked_is_classified_on_them(app):
    before = _row(app)
    assert len(before.months) == 10 and before.result.reason is YearReason.CLASSIFIED
    app.leave.add(LEADER, PERSON, "maternity", start_on=dt.date(2026, 5, 1),
                  end_on=dt.date(2026, 10, 31), decision_no="25/QĐ-BHXH")
    row = _row(app)
    assert [str(m) for m in row.months] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert row.result.reason is YearReason.CLASSIFIED_ON_LEAVE and row.result.months == 4
    expected = period_mean(_totals(app, range(1, 5)))
    assert row.result.mean == expected  # the months on leave are absent from the mean
    assert row.result.level is level_for(ScoringPolicy.default(), expected)


def test_unpaid_leave_with_at_least_six_months_worked(app):
    app.leave.add(LEADER, PERSON, "unpaid", start_on=dt.date(2026, 8, 1),
                  end_on=dt.date(2026, 10, 31), decision_no="40/QĐ-UBND")
    row = _row(app)
    assert len(row.months) == 7 and row.result.reason is YearReason.CLASSIFIED
    assert row.result.mean == period_mean(_totals(app, range(1, 8)))


def test_unpaid_leave_with_fewer_than_six_months_worked_is_not_classified(app):
    app.leave.add(LEADER, PERSON, "unpaid", start_on=dt.date(2026, 4, 1),
                  end_on=dt.date(2026, 10, 31), decision_no="41/QĐ-UBND")
    row = _row(app)
    assert len(row.months) == 3 and row.result.reason is YearReason.TOO_FEW_MONTHS
    assert row.result.level is None


def test_a_month_partly_on_leave_is_a_month_worked(app):
    app.leave.add(LEADER, PERSON, "sick", start_on=dt.date(2026, 5, 12),
                  end_on=dt.date(2026, 10, 31), decision_no="7/GCN")
    row = _row(app)
    assert "2026-05" in [str(m) for m in row.months]  # May was worked until the 11th
    assert len(row.months) == 5


def test_half_year_and_quarter_leave_the_months_on_leave_out(app):
    app.leave.add(LEADER, PERSON, "maternity", start_on=dt.date(2026, 5, 1),
                  end_on=dt.date(2026, 10, 31), decision_no="25/QĐ-BHXH")
    h1 = app.scores.rollup(PERSON, "2026-H1")
    assert h1.months_on_leave == (Period.month(2026, 5), Period.month(2026, 6))
    assert h1.months_counted == 4
    assert h1.total == period_mean(_totals(app, range(1, 5)))
    q3 = app.scores.rollup(PERSON, "2026-Q3")
    assert q3.total is None and q3.months_counted == 0
    # The unit summary (which reads everyone's months and leave at once) agrees.
    row = next(r for r in app.reports.unit_data(UNIT, "2026-H1").rows if r.person_id == PERSON)
    assert (row.total, row.months_counted) == (h1.total, 4)


def test_removing_a_leave_restores_the_year(app):
    before = _row(app).result
    record = app.leave.add(LEADER, PERSON, "maternity", start_on=dt.date(2026, 5, 1),
                           end_on=dt.date(2026, 10, 31), decision_no="25/QĐ-BHXH")
    assert _row(app).result != before
    removed = app.leave.remove(LEADER, record.id, "Nhập nhầm người")
    assert removed.removed and removed.version == 2
    assert _row(app).result == before
    assert app.leave.list(PERSON) == []
    assert [r.id for r in app.leave.list(PERSON, include_removed=True)] == [record.id]


# ---------------------------------------------------------------- who, and refusals ---------


def test_who_may_record_leave_and_refusals_change_nothing(app):
    dump = dump_database(app.paths.database)
    cases = [
        (dict(actor=PERSON), "leave_not_allowed"),  # nobody records their own leave
        (dict(actor="kt-tp"), "leave_not_allowed"),  # another unit's head
        (dict(kind="holiday"), "leave_kind_unknown"),
        (dict(start=dt.date(2026, 6, 1), end=dt.date(2026, 5, 1)), "leave_dates_reversed"),
        (dict(decision=""), "reason_missing"),
        (dict(start=None), "date_malformed"),
    ]
    for change, code in cases:
        values = dict(actor=LEADER, kind="sick", start=dt.date(2026, 5, 1),
                      end=dt.date(2026, 5, 20), decision="7/GCN")
        values.update(change)
        with pytest.raises(KpiError) as info:
            app.leave.add(values["actor"], PERSON, values["kind"], start_on=values["start"],
                          end_on=values["end"], decision_no=values["decision"])
        assert info.value.code == code, change
    assert dump_database(app.paths.database) == dump
    app.leave.add("agency", PERSON, "sick", start_on=dt.date(2026, 5, 1),
                  end_on=dt.date(2026, 5, 20), decision_no="7/GCN")  # the administrator
    app.leave.add("ct", PERSON, "sick", start_on=dt.date(2026, 6, 1),
                  end_on=dt.date(2026, 6, 3), decision_no="8/GCN")  # the chairman
    with pytest.raises(KpiError) as info:
        app.leave.add(LEADER, PERSON, "sick", start_on=dt.date(2026, 5, 15),
                      end_on=dt.date(2026, 5, 25), decision_no="9/GCN")
    assert info.value.code == "leave_overlaps"
    with app.db.unit_of_work(read_only=True) as uow:
        audited = [e for e in uow.audit.list_events(action="leave.add")]
    assert len(audited) == 2 and {e.detail["by"] for e in audited} == {"agency", "ct"}


# ---------------------------------------------------------------- surfaces ------------------


def test_cli_leave_add_list_remove(demo_dir, capsys):
    base = ["--data-dir", str(demo_dir), "--lang", "en", "leave"]
    assert main([*base, "add", "--by", LEADER, "--person", PERSON, "--kind", "maternity",
                 "--from", "2026-05-01", "--to", "2026-10-31", "--decision", "25/QĐ-BHXH",
                 "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["kind"] == "maternity" and record["version"] == 1
    assert main([*base, "list", "--person", PERSON, "--year", "2026", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["months_on_leave"] == [f"2026-{m:02d}" for m in range(5, 11)]
    assert listed["classified_on_months_worked"] is True
    assert main(["--data-dir", str(demo_dir), "--lang", "en", "classify", "--unit", UNIT,
                 "--year", "2026", "--json"]) == 0
    row = next(p for p in json.loads(capsys.readouterr().out)["people"] if p["id"] == PERSON)
    assert row["months_counted"] == 4 and row["reason"] == "classified_on_leave"
    assert main([*base, "add", "--by", PERSON, "--person", PERSON, "--kind", "sick",
                 "--from", "2026-11-02", "--to", "2026-11-03", "--decision", "x"]) == 3
    assert main([*base, "remove", "--by", LEADER, "--reason", "nhầm", record["id"]]) == 0
    assert main([*base, "list", "--person", PERSON]) == 0
    assert "No leave is recorded" in capsys.readouterr().out


def test_form02_shows_the_leave_and_the_months_on_leave(app, tmp_path):
    app.leave.add(LEADER, PERSON, "maternity", start_on=dt.date(2026, 5, 1),
                  end_on=dt.date(2026, 10, 31), decision_no="25/QĐ-BHXH")
    data = app.reports.form02_data(PERSON, 2026)
    notes = {m.period: m.note for m in data.months}
    assert all(notes[f"2026-{m:02d}"] == "on_leave" for m in range(5, 11))
    assert data.months_counted == 4 and data.reason == "classified_on_leave"
    out = tmp_path / "f02.pdf"
    app.reports.form02(PERSON, 2026, out, "en")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(unicodedata.normalize("NFC", subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], check=True,
        capture_output=True).stdout.decode("utf-8")).split())
    assert "Leave: maternity leave (social insurance) from 2026-05-01 to 2026-10-31" in text
    assert "on leave the whole month" in text
    assert "classified on the months actually worked" in text


@pytest.mark.gui
def test_the_leave_dialog_and_the_unit_view_column(app, qtbot):
    from PySide6.QtCore import QDate, Qt

    from kpi_desktop.ui.leader.leave_dialog import LeaveRecordDialog
    from kpi_desktop.ui.leader.unit_page import UnitViewPage
    from kpi_desktop.ui.pages.base import UserContext

    dialog = LeaveRecordDialog(app, LEADER, PERSON, "Hoàng Văn Đức")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("maternity"))
    dialog.start.setDate(QDate(2026, 5, 1))
    dialog.end.setDate(QDate(2026, 10, 31))
    assert not dialog.add()  # no decision number: refused, said in words
    assert "reason" in dialog.message.text().lower() or dialog.message.text()
    dialog.decision.setText("25/QĐ-BHXH")
    assert dialog.add() and dialog.table.rowCount() == 1
    assert "Hoàng Văn Đức" in dialog.message.text()

    user = UserContext(person_id=LEADER, full_name="Trần Thị Mai", role="head", unit_id=UNIT,
                       is_evaluator=True)
    view = UnitViewPage(app, user)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=30000)
    table = view.table
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal)
               for c in range(table.columnCount())]
    row = table.keys().index(PERSON)
    column = headers.index("Months")
    assert table.text(row, column) == "4 (+6)"  # 4 months counted, 6 entirely on leave
    tip = table.model().index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "not in the mean" in tip

    dialog.table.selectRow(0)
    assert dialog.remove_selected("Nhập nhầm") and dialog.table.rowCount() == 0
