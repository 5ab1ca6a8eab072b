"""Issue 15, findings 1, 2 and 4: the agency's policy reaches every number people read.

One person (hcc-pgd, whose February total is 88.20 and whose first quarter's mean is 89.66) is
read on every surface — score page, month page's live total, Form 01 (month and quarter),
Form 02 (months and year), the unit summary (rows, distribution, quota check), ``classify``,
the CSV/XLSX/JSON exports and ``score`` — once under a stored policy with every cut-off moved
(Excellent 80, Good 65, Satisfactory 45) and once under the Decree 335 defaults. Every surface
must give the level ``scoring.level_for`` gives for the figure it shows.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import unicodedata
from fractions import Fraction

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.model import Level, Period, PolicyVersion, utc_now
from kpi_desktop.scoring import ScoringPolicy, check_quota, level_for, period_mean

PERSON, NAME, UNIT = "hcc-pgd", "Bùi Thị Thu", "hcc"
MONTH, QUARTER, YEAR = Period.month(2026, 2), Period.quarter(2026, 1), 2026
MOVED = dataclasses.replace(ScoringPolicy.default(), version="moved-2026",
                            threshold_excellent=80, threshold_good=65, threshold_complete=45)
LABEL = {Level.EXCELLENT: "Excellent: completed tasks excellently",
         Level.GOOD: "Good: completed tasks well",
         Level.COMPLETE: "Satisfactory: completed tasks",
         Level.NOT_COMPLETE: "Unsatisfactory: did not complete tasks"}
SHORT = {Level.EXCELLENT: "Excellent", Level.GOOD: "Good", Level.COMPLETE: "Satisfactory",
         Level.NOT_COMPLETE: "Unsatisfactory"}


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", out)


def flat(text: str) -> str:
    return " ".join(text.split())


def form01_total(text: str, total: str, level) -> bool:
    """Form 01's item 3: "Total monitoring and evaluation points: 88.20 (corresponding to the
    level Good: completed tasks well)"."""
    return f"{total} (corresponding to the level {LABEL[level]})" in flat(text)


def unit_row_has(text: str, name: str, label: str) -> bool:
    """Whether the words of ``label`` are, in order, among the words of ``name``'s row in a
    unit summary (pdftotext -layout wraps a long level over the lines around the name)."""
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if name in x)
    words = iter(" ".join(lines[at - 1:at + 2]).split())
    return all(any(w == want for w in words) for want in label.split())


@pytest.fixture(scope="module", params=["moved", "default"])
def world(request, demo_master, tmp_path_factory):
    """A copy of the demo, with the moved policy stored in force from 1 January (or not)."""
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    folder = tmp_path_factory.mktemp(f"surfaces-{request.param}") / "demo"
    shutil.copytree(demo_master, folder)
    policy = MOVED if request.param == "moved" else ScoringPolicy.default()
    services = AppServices.open(app_paths(folder))
    if request.param == "moved":
        with services.db.unit_of_work() as uow:
            uow.policies.add(PolicyVersion(version=MOVED.version, policy_json=MOVED.to_json(),
                                           active_from=dt.date(2026, 1, 1),
                                           created_at=utc_now()))
    yield request.param, policy, folder, services
    services.close()


def _cli(capsys, folder, *args):
    code = main(["--data-dir", str(folder), "--lang", "en", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_figures_chosen_cross_a_moved_cut_off(world):
    """The person and periods are chosen so the two policies disagree (else the test proves
    nothing)."""
    _name, _policy, _folder, services = world
    total = services.scores.person_period(PERSON, MONTH).score.total
    assert round(float(total), 2) == 88.20
    assert level_for(MOVED, total) is Level.EXCELLENT
    assert level_for(ScoringPolicy.default(), total) is Level.GOOD


def test_score_and_cli_and_form01_month(world, capsys, tmp_path):
    name, policy, folder, services = world
    result = services.scores.person_period(PERSON, MONTH)
    expected = level_for(policy, result.score.total)
    assert result.score.level is expected and result.score.policy_version == policy.version
    data = json.loads(_cli(capsys, folder, "score", "--person", PERSON, "--period", str(MONTH),
                           "--json"))
    assert data["level"] == expected.value and data["policy_version"] == policy.version
    text = _cli(capsys, folder, "score", "--person", PERSON, "--period", str(MONTH))
    from kpi_desktop.services.messages import level_label

    assert f"Total 88.20: {level_label(expected)}" in text
    out = tmp_path / "f01.pdf"
    _cli(capsys, folder, "report", "form01", "--person", PERSON, "--period", str(MONTH),
         "--out", str(out))
    assert form01_total(pdf_text(out), "88.20", expected)


def test_form01_quarter_level_and_one_rounding(world, capsys, tmp_path):
    _name, policy, folder, services = world
    data = services.reports.form01_data(PERSON, QUARTER)
    months = [services.scores.person_period(PERSON, m).score.total for m in QUARTER.months()]
    mean = period_mean([t for t in months if t is not None])
    assert data.total == mean
    expected = level_for(policy, mean)
    assert data.level is expected
    out = tmp_path / "f01q.pdf"
    _cli(capsys, folder, "report", "form01", "--person", PERSON, "--period", str(QUARTER),
         "--out", str(out))
    assert form01_total(pdf_text(out), f"{float(round(mean, 2)):.2f}", expected)


def test_form02_months_and_year(world, capsys, tmp_path):
    _name, policy, folder, services = world
    data = services.reports.form02_data(PERSON, YEAR)
    for month in data.months:
        if month.total is not None:
            assert month.level is level_for(policy, month.total), month.period
    assert data.months[1].level is level_for(policy, data.months[1].total)
    assert data.computed_level is level_for(policy, data.mean)
    out = tmp_path / "f02.pdf"
    _cli(capsys, folder, "report", "form02", "--person", PERSON, "--year", str(YEAR),
         "--out", str(out))
    assert LABEL[data.computed_level] in flat(pdf_text(out))


@pytest.mark.parametrize("period", [str(MONTH), str(QUARTER), str(YEAR)])
def test_unit_summary_rows_distribution_and_quota(world, capsys, tmp_path, period):
    _name, policy, folder, services = world
    data = services.reports.unit_data(UNIT, period)
    for row in data.rows:
        if row.total is not None:
            assert row.level is level_for(policy, row.total) or row.note in (
                "disciplined", "capped_by_org"), row.person_id
    mine = next(r for r in data.rows if r.person_id == PERSON)
    counts = {lv.value: sum(1 for r in data.rows if r.level is lv) for lv in Level}
    assert {k: data.distribution[k] for k in counts} == counts
    out = tmp_path / "unit.pdf"
    _cli(capsys, folder, "report", "unit", "--unit", UNIT, "--period", period, "--out", str(out))
    text = pdf_text(out)
    assert unit_row_has(text, NAME, LABEL[mine.level])
    others = [lv for lv in LABEL if lv is not mine.level]
    assert not any(unit_row_has(text, NAME, LABEL[lv]) for lv in others)
    for level, count in counts.items():
        row = next(x for x in text.splitlines() if x.strip().startswith(LABEL[Level(level)]))
        assert row.split()[len(LABEL[Level(level)].split())] == str(count)
    if data.quota is not None:
        quota = check_quota(policy, [r.level for r in data.rows])
        assert (data.quota.excellent, data.quota.limit, data.quota.excess) == (
            quota.excellent, quota.limit, quota.excess)


def test_classify_cli_and_service(world, capsys):
    _name, policy, folder, services = world
    data = json.loads(_cli(capsys, folder, "classify", "--unit", UNIT, "--year", str(YEAR),
                           "--json"))
    assert data["policy_version"] == policy.version
    row = next(p for p in data["people"] if p["id"] == PERSON)
    mean = period_mean([Fraction(str(t)) for t in row["monthly_totals"]])
    classified = services.scores.classify_unit(UNIT, YEAR)
    exact = next(r for r in classified.rows if r.person.id == PERSON)
    assert row["level"] == level_for(policy, exact.result.mean).value
    assert abs(float(mean) - row["mean"]) < 0.01
    levels = [Level(p["level"]) if p["level"] else None for p in data["people"]]
    quota = check_quota(policy, levels)
    assert data["quota"]["limit"] == quota.limit and data["quota"]["excess"] == quota.excess


@pytest.mark.parametrize("period", [str(MONTH), str(QUARTER), str(YEAR)])
def test_exports_csv_xlsx_json(world, capsys, tmp_path, period):
    from openpyxl import load_workbook

    _name, policy, folder, services = world
    _cli(capsys, folder, "export", "--to", str(tmp_path), "--period", period)
    with open(tmp_path / f"scores-{period}.csv", encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["person_id"] == PERSON]
    for r in rows:
        if r["total"]:
            exact = services.scores.person_period(PERSON, Period.parse(r["period"])).score
            assert r["level"] == level_for(policy, exact.total).value, r["period"]
    sheet = load_workbook(tmp_path / f"kpi-{period}.xlsx")["Scores"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c.value for c in row), strict=True))
             for row in sheet.iter_rows(min_row=2)]
    assert [(c["period"], c["level"]) for c in cells if c["person_id"] == PERSON] == [
        (r["period"], r["level"] or None) for r in rows]
    results = json.loads((tmp_path / f"results-{period}.json").read_text(encoding="utf-8"))
    person = next(p for p in results["people"] if p["id"] == PERSON)
    totals = [services.scores.person_period(PERSON, m).score.total
              for m in Period.parse(period).months()]
    mean = period_mean([t for t in totals if t is not None])
    assert person["result"]["level"] == level_for(policy, mean).value


@pytest.mark.gui
def test_score_page_and_month_page_live_total(world, qtbot):
    from kpi_desktop.services.messages import level_label
    from kpi_desktop.ui.pages.base import UserContext
    from kpi_desktop.ui.pages.month_page import MonthPage
    from kpi_desktop.ui.pages.score_page import ScorePage

    _name, policy, _folder, services = world
    user = UserContext(person_id=PERSON, full_name=NAME, role="deputy", unit_id=UNIT,
                       is_evaluator=True)
    page = ScorePage(services, user)
    qtbot.addWidget(page)
    page.show_period(MONTH)
    expected = level_for(policy, page.result.score.total)
    assert level_label(expected) in page.values["level"].text()
    assert page.chart.lines == (policy.threshold_excellent, policy.threshold_good,
                                policy.threshold_complete)

    month = MonthPage(services, user)
    qtbot.addWidget(month)
    month.period = MONTH
    month.refresh()
    spin = next(iter(month.spins.values()))
    for value in (spin.minimum(), spin.maximum()):  # the live total follows the typing
        spin.setValue(value)
        general = sum(month.scores().values())
        total = Fraction(general) + Fraction(month._result.score.task_points)
        assert month.result_values["level"].text() == level_label(level_for(policy, total))


def test_a_future_policy_version_is_never_in_force(demo_dir):
    """Stored today, in force from next month: scoring, the agency's page, review and the
    resolver all keep today's policy (the agency's page used to show the future one)."""
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.agency_admin import AgencyAdminService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.policies import policy_in_force

    services = AppServices.open(app_paths(demo_dir))
    try:
        future = dataclasses.replace(MOVED, version="future-2027")
        with services.db.unit_of_work() as uow:
            uow.policies.add(PolicyVersion(version=future.version,
                                           policy_json=future.to_json(),
                                           active_from=dt.date(2027, 1, 1),
                                           created_at=utc_now()))
        today = dt.date(2026, 11, 23)
        with services.db.unit_of_work(read_only=True) as uow:
            assert policy_in_force(uow, today).version == ScoringPolicy.default().version
            assert policy_in_force(uow, dt.date(2026, 12, 31)).version != future.version
            assert policy_in_force(uow, dt.date(2027, 1, 1)).version == future.version
            # Only the future version stored: the defaults are in force, not the future one.
            uow_versions = [v.version for v in uow.policies.list_versions()]
        assert future.version in uow_versions
        admin = AgencyAdminService(services.db, today=lambda: today)
        view = admin.current_policy()
        assert view.version == ScoringPolicy.default().version
        assert services.scores.person_period(PERSON, Period.month(2026, 11)).score \
            .policy_version == ScoringPolicy.default().version
        assert services.scores.person_period(PERSON, Period.month(2026, 12)).score \
            .policy_version == ScoringPolicy.default().version
    finally:
        services.close()


def test_only_a_future_version_stored_leaves_the_defaults_in_force(tmp_path):
    from kpi_desktop.services.agency_admin import AgencyAdminService
    from kpi_desktop.services.policies import stored_policy_in_force
    from kpi_desktop.storage.engine import open_database

    db = open_database(tmp_path / "kpi.db")
    try:
        with db.unit_of_work() as uow:
            uow.policies.add(PolicyVersion(version="future", policy_json=dataclasses.replace(
                MOVED, version="future").to_json(), active_from=dt.date(2027, 1, 1),
                created_at=utc_now()))
        with db.unit_of_work(read_only=True) as uow:
            policy, stored = stored_policy_in_force(uow, dt.date(2026, 12, 6))
        assert stored is None and policy == ScoringPolicy.default()
        view = AgencyAdminService(db, today=lambda: dt.date(2026, 12, 6)).current_policy()
        assert view.version == ScoringPolicy.default().version and view.active_from is None
    finally:
        db.close()


@pytest.mark.gui
@pytest.mark.parametrize("span", [0, 1, 2])
def test_leader_unit_view_levels(world, qtbot, span):
    """The leader's unit view: each row's level is the classification's for the year and
    ``scoring.level_for`` of the half's mean (under the half's policy) for a half year."""
    from PySide6.QtCore import Qt

    from kpi_desktop.domain.numbers import decimal_text
    from kpi_desktop.services.messages import level_label
    from kpi_desktop.ui.leader.unit_page import UnitViewPage
    from kpi_desktop.ui.pages.base import UserContext

    _name, policy, _folder, services = world
    head = UserContext(person_id="hcc-gd", full_name="Võ Minh Tuấn", role="head",
                       unit_id=UNIT, is_evaluator=True)
    view = UnitViewPage(services, head)
    qtbot.addWidget(view)
    view.show()
    view.show_span(span)
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=30000)
    table = view.table
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal)
               for c in range(table.columnCount())]
    level_at, mean_at = headers.index("Level"), headers.index("Mean")
    classified = {r.person.id: r for r in services.scores.classify_unit(UNIT, YEAR).rows}
    seen = set()
    for r in range(table.row_count()):
        person = view.person_at(r)
        row = classified[person]
        if span == 0:
            level, mean = row.result.level, row.result.mean
        else:
            half = Period.parse(f"{YEAR}-H{span}")
            totals = [t for m, t in zip(row.months, row.monthly_totals, strict=True)
                      if half.contains(m.start)]
            mean = period_mean(totals) if totals else None
            level = None if mean is None else level_for(policy, mean)
        assert table.text(r, level_at) == level_label(level), person
        assert table.text(r, mean_at) == ("–" if mean is None else decimal_text(mean)), person
        seen.add(person)
    assert PERSON in seen
    mine = classified[PERSON]
    if span == 0:  # the year's mean, 89.01, is Excellent only under the moved policy
        assert mine.result.level is level_for(policy, mine.result.mean)


def test_a_locked_month_keeps_its_total_under_a_later_policy(world):
    """A head's month total depends on the cut-offs (the share of subordinates who complete
    their tasks): a policy stored after the month was confirmed changes its level, never the
    total people signed — the score page, Form 01 and the year read the same figure."""
    from kpi_desktop.domain.model import EvaluationStatus

    _name, policy, _folder, services = world
    with services.db.unit_of_work(read_only=True) as uow:
        locked = [e for e in uow.evaluations.list_monthly(year=YEAR)
                  if e.status is EvaluationStatus.LOCKED and e.total is not None]
    leaders = [e for e in locked if e.d is not None]  # staff totals do not move
    assert len(leaders) > 20
    for stored in leaders:
        score = services.scores.person_period(stored.person_id, stored.period).score
        assert score.total == stored.total, (stored.person_id, str(stored.period))
        assert score.level is level_for(policy, stored.total)
