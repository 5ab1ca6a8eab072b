"""Issue 15, finding 5: half-year results (Điều 17.3 "06 tháng (bằng điểm trung bình cộng của
06 tháng)", used by Điều 23.2) wherever quarters exist, equal to the mean of their months on
every surface: ``score``, ``report unit``, ``export``, the score page and the unit view."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import unicodedata
from fractions import Fraction

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import Period, PeriodKind
from kpi_desktop.domain.numbers import decimal_text

PERSON, UNIT = "hcc-pgd", "hcc"


@pytest.fixture(scope="module")
def world(demo_master, tmp_path_factory):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    folder = tmp_path_factory.mktemp("halves") / "demo"
    shutil.copytree(demo_master, folder)
    services = AppServices.open(app_paths(folder))
    yield folder, services
    services.close()


def _cli(capsys, folder, *args):
    code = main(["--data-dir", str(folder), "--lang", "en", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _month_totals(services, person, half):
    """The totals each month of the half shows on its own (score of the month)."""
    return [services.scores.person_period(person, m).score.total for m in half.months()]


def _mean(values):
    found = [Fraction(v) for v in values if v is not None]
    return sum(found, Fraction(0)) / len(found)


def test_half_year_periods_parse():
    assert str(Period.parse("2026-H1")) == "2026-H1"
    h2 = Period.parse("2026-h2")
    assert h2.kind is PeriodKind.HALF and h2.months()[0] == Period.month(2026, 7)
    with pytest.raises(RefusedValue):
        Period.parse("2026-H3")


@pytest.mark.parametrize("half", ["2026-H1", "2026-H2"])
def test_score_cli_is_the_mean_of_the_months(world, capsys, half):
    folder, services = world
    period = Period.parse(half)
    expected = _mean(_month_totals(services, PERSON, period))
    data = json.loads(_cli(capsys, folder, "score", "--person", PERSON, "--period", half,
                           "--json"))
    assert data["period"] == half and data["period_kind"] == "half"
    assert data["total"] == float(decimal_text(expected))
    assert data["months_counted"] == sum(1 for t in _month_totals(services, PERSON, period)
                                         if t is not None)
    assert [m["period"] for m in data["months"]] == [str(m) for m in period.months()]
    text = _cli(capsys, folder, "score", "--person", PERSON, "--period", half)
    assert f"Mean of {data['months_counted']} months {decimal_text(expected)}" in text


def test_unit_summary_half_rows_are_means_of_the_month_summaries(world, capsys, tmp_path):
    folder, services = world
    half = Period.parse("2026-H1")
    months = {str(m): {r.person_id: r for r in services.reports.unit_data(UNIT, m).rows}
              for m in half.months()}
    data = services.reports.unit_data(UNIT, half)
    for row in data.rows:
        totals = [months[str(m)][row.person_id].total for m in half.months()]
        if any(t is not None for t in totals):
            assert row.total == _mean(totals), row.person_id
            assert row.months_counted == sum(t is not None for t in totals)
    out = tmp_path / "unit-h1.pdf"
    _cli(capsys, folder, "report", "unit", "--unit", UNIT, "--period", "2026-H1",
         "--out", str(out))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = unicodedata.normalize("NFC", subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(out), "-"], check=True,
        capture_output=True).stdout.decode("utf-8"))
    assert "first half of 2026" in text.lower()
    mine = next(r for r in data.rows if r.person_id == PERSON)
    line = next(x for x in text.splitlines() if "Bùi Thị Thu" in x)
    assert decimal_text(mine.total) in line.split()


def test_export_half_year_csv_json(world, capsys, tmp_path):
    folder, services = world
    _cli(capsys, folder, "export", "--to", str(tmp_path), "--period", "2026-H1")
    with open(tmp_path / "scores-2026-H1.csv", encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["person_id"] == PERSON]
    assert [r["period"] for r in rows] == [f"2026-0{m}" for m in range(1, 7)]
    results = json.loads((tmp_path / "results-2026-H1.json").read_text(encoding="utf-8"))
    assert results["period"] == "2026-H1" and results["period_kind"] == "half"
    person = next(p for p in results["people"] if p["id"] == PERSON)
    totals = [m["total"] for m in person["months"]]
    exact = _mean(_month_totals(services, PERSON, Period.parse("2026-H1")))
    assert person["result"]["total"] == decimal_text(exact)
    assert [m["total"] for m in person["months"]] == [r["total"] for r in rows] == totals


@pytest.mark.gui
def test_score_page_and_unit_view_show_half_years(world, qtbot):
    from PySide6.QtCore import Qt

    from kpi_desktop.ui.leader.unit_page import UnitViewPage
    from kpi_desktop.ui.pages.base import UserContext
    from kpi_desktop.ui.pages.score_page import ScorePage

    _folder, services = world
    user = UserContext(person_id=PERSON, full_name="Bùi Thị Thu", role="deputy", unit_id=UNIT,
                       is_evaluator=True)
    page = ScorePage(services, user)
    qtbot.addWidget(page)
    page.refresh()
    assert page.month.findData("2026-H1") >= 0 and page.month.findData("2026-Q1") >= 0
    page.month.setCurrentIndex(page.month.findData("2026-H1"))
    exact = _mean(_month_totals(services, PERSON, Period.parse("2026-H1")))
    assert decimal_text(exact) in page.values["total"].text()
    assert not page.values["a"].isVisible()

    head = UserContext(person_id="hcc-gd", full_name="Võ Minh Tuấn", role="head",
                       unit_id=UNIT, is_evaluator=True)
    view = UnitViewPage(services, head)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=20000)
    table = view.table
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal)
               for c in range(table.columnCount())]
    mean = headers.index("Mean")
    for half, months in ((1, range(0, 6)), (2, range(6, 12))):
        view.show_span(half)
        qtbot.waitUntil(lambda: not view.is_loading(), timeout=20000)
        for r in range(table.row_count()):
            shown = [float(t) for t in (table.text(r, 2 + m) for m in months) if t]
            cell = table.text(r, mean)
            if shown:  # the mean of the month cells (rounded for display): within rounding
                assert float(cell) == pytest.approx(sum(shown) / len(shown), abs=0.006)
            else:
                assert cell == "–"


# ------------------------------------------------- a half year under its own policy ----------

HEAD = "hcc-gd"  # first half 83.58: Excellent under the moved cut-offs, Good under the decree's


@pytest.fixture(scope="module")
def shifting(demo_master, tmp_path_factory):
    """Cut-offs moved (Excellent 80, Good 65, Satisfactory 45) from 1 January, the decree's
    back from 1 July: the first half is scored under the moved ones, the second half and the
    year under the decree's (a period's policy is the one in force on its last day)."""
    import dataclasses
    import datetime as dt

    from kpi_desktop.domain.model import PolicyVersion, utc_now
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.scoring import ScoringPolicy
    from kpi_desktop.services.context import AppServices

    folder = tmp_path_factory.mktemp("halves-shifting") / "demo"
    shutil.copytree(demo_master, folder)
    moved = dataclasses.replace(ScoringPolicy.default(), version="moved-2026",
                                threshold_excellent=80, threshold_good=65, threshold_complete=45)
    back = dataclasses.replace(ScoringPolicy.default(), version="back-2026")
    services = AppServices.open(app_paths(folder))
    with services.db.unit_of_work() as uow:
        for policy, start in ((moved, dt.date(2026, 1, 1)), (back, dt.date(2026, 7, 1))):
            uow.policies.add(PolicyVersion(version=policy.version, policy_json=policy.to_json(),
                                           active_from=start, created_at=utc_now()))
    yield folder, services, {"2026-H1": moved, "2026-H2": back}
    services.close()


def test_the_first_half_crosses_a_cut_off_the_second_policy_does_not(shifting):
    _folder, services, policies = shifting
    from kpi_desktop.domain.model import Level
    from kpi_desktop.scoring import level_for

    mean = _mean(_month_totals(services, HEAD, Period.parse("2026-H1")))
    assert level_for(policies["2026-H1"], mean) is Level.EXCELLENT
    assert level_for(policies["2026-H2"], mean) is Level.GOOD


@pytest.mark.parametrize("half", ["2026-H1", "2026-H2"])
def test_each_half_is_classified_under_its_own_policy_on_every_surface(shifting, capsys,
                                                                      tmp_path, half):
    from openpyxl import load_workbook

    from kpi_desktop.scoring import level_for

    folder, services, policies = shifting
    policy = policies[half]
    period = Period.parse(half)
    mean = _mean(_month_totals(services, HEAD, period))
    level = level_for(policy, mean)
    data = json.loads(_cli(capsys, folder, "score", "--person", HEAD, "--period", half,
                           "--json"))
    assert (data["level"], data["policy_version"]) == (level.value, policy.version)
    assert data["total"] == float(decimal_text(mean))
    row = next(r for r in services.reports.unit_data(UNIT, period).rows if r.person_id == HEAD)
    assert (row.total, row.level) == (mean, level)
    _cli(capsys, folder, "export", "--to", str(tmp_path), "--period", half)
    results = json.loads((tmp_path / f"results-{half}.json").read_text(encoding="utf-8"))
    person = next(p for p in results["people"] if p["id"] == HEAD)
    assert person["result"]["level"] == level.value
    assert person["result"]["total"] == decimal_text(mean)
    sheet = load_workbook(tmp_path / f"kpi-{half}.xlsx")["Scores"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c.value for c in r), strict=True))
             for r in sheet.iter_rows(min_row=2)]
    mine = [c for c in cells if c["person_id"] == HEAD]
    assert [c["period"] for c in mine] == [str(m) for m in period.months()]
    for cell in mine:  # each month under its own month's policy, as the month page says
        month = Period.parse(cell["period"])
        total = services.scores.person_period(HEAD, month).score.total
        if total is None:  # not evaluated yet (November, December)
            assert not cell["level"], cell
            continue
        assert cell["level"] == level_for(policies["2026-H1" if month.start.month <= 6
                                                  else "2026-H2"], total).value


@pytest.mark.gui
def test_unit_view_halves_under_their_own_policy(shifting, qtbot):
    from PySide6.QtCore import Qt

    from kpi_desktop.scoring import level_for
    from kpi_desktop.services.messages import level_label
    from kpi_desktop.ui.leader.unit_page import UnitViewPage
    from kpi_desktop.ui.pages.base import UserContext

    _folder, services, policies = shifting
    head = UserContext(person_id=HEAD, full_name="Võ Minh Tuấn", role="head", unit_id=UNIT,
                       is_evaluator=True)
    view = UnitViewPage(services, head)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=30000)
    for span, half in ((1, "2026-H1"), (2, "2026-H2")):
        view.show_span(span)
        qtbot.waitUntil(lambda: not view.is_loading(), timeout=30000)
        table = view.table
        headers = [table.model().headerData(c, Qt.Orientation.Horizontal)
                   for c in range(table.columnCount())]
        at = view.table.keys().index(HEAD)
        # The view's months are the evaluated ones (November, in progress, is not yet).
        year = next(r for r in services.scores.classify_unit(UNIT, 2026).rows
                    if r.person.id == HEAD)
        mean = _mean([t for m, t in zip(year.months, year.monthly_totals, strict=True)
                      if Period.parse(half).contains(m.start)])
        if half == "2026-H1":  # every month evaluated: the same mean as every other surface
            assert mean == _mean(_month_totals(services, HEAD, Period.parse(half)))
        assert table.text(at, headers.index("Mean")) == decimal_text(mean)
        assert table.text(at, headers.index("Level")) == level_label(
            level_for(policies[half], mean)), half


def test_a_running_half_year_shows_the_unfinished_month_but_leaves_it_out_of_the_mean(
        demo_master, tmp_path):
    """On 23 November the second half year is running: November (and December) are shown
    as provisional, never in the mean — on the score command's data, the unit summary and
    Form 01 alike (the month itself has no level until it ends)."""
    import datetime as dt

    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    folder = tmp_path / "demo"
    shutil.copytree(demo_master, folder)
    services = AppServices.open(app_paths(folder), today=dt.date(2026, 11, 23))
    try:
        half = Period.parse("2026-H2")
        rollup = services.scores.rollup(PERSON, half)
        assert rollup.notes[4:] == ("provisional", "provisional")
        assert rollup.months[4].total is not None  # November's running total is shown
        finished = _month_totals(services, PERSON, half)[:4]
        assert rollup.months_counted == 4 and rollup.total == _mean(finished)
        row = next(r for r in services.reports.unit_data(UNIT, half).rows
                   if r.person_id == PERSON)
        assert row.months_counted == 4 and row.total == rollup.total
        assert "provisional" in services.scores.rollup_as_text(rollup)
    finally:
        services.close()
