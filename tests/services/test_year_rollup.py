"""The year-end roll-up in SQL (`Calculator.classify_unit`) gives exactly what the exact
computation gives: every person's periods, totals, mean and level, on a 300-person unit's year
(the benchmark's organisation) with every kind of stored total a database can hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from kpi_desktop.domain.model import (
    DisciplineAuthority,
    DisciplineEvent,
    DisciplineKind,
    EvaluationStatus,
    Level,
    MonthlyEvaluation,
    OrgEvaluation,
    Period,
    PersonRole,
    PolicyVersion,
    utc_now,
)
from kpi_desktop.domain.transfers import TransferredMonth
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.scoring import ScoringPolicy, classify_year
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.scores import (
    EVALUATED,
    OVERRIDE_KINDS,
    members_at_year_end,
    unit_tree,
    with_transferred_months,
)

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
YEAR = 2026


def _generate():
    if "generate" not in sys.modules:
        sys.path.insert(0, str(BENCHMARKS))
        spec = importlib.util.spec_from_file_location("generate", BENCHMARKS / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["generate"] = module
        spec.loader.exec_module(module)
    return sys.modules["generate"]


#: Totals near and at the cut-offs, long decimals, fractions that are no decimal, the ends of
#: the scale: each replaces a generated total somewhere.
AWKWARD = ["90", "89.9999", "90.0001", "70", "69.995", "69.99999", "50", "49.99995",
           "1000/11", "629/9", "350/7", "0", "100", "84.123456", "12.5", "89.995", "90.005"]


def _reference(app: AppServices, unit_id: str, policy: ScoringPolicy) -> dict[str, tuple]:
    """Every person's (periods, totals, mean, level, score level, reason) computed the exact
    way, one Fraction at a time, from what is stored (as before the roll-up in SQL)."""
    with app.db.unit_of_work(read_only=True) as uow:
        people = members_at_year_end(uow, unit_tree(uow, unit_id), YEAR)
        ids = [p.id for p in people]
        totals = with_transferred_months(uow, uow.evaluations.monthly_totals(
            person_ids=ids, year=YEAR, statuses=EVALUATED), ids, YEAR)
        disciplined = {e.person_id for e in uow.discipline.list_for_year(YEAR)
                       if e.kind in OVERRIDE_KINDS}
        org_levels = {e.unit_id: e.level for e in uow.org_results.list_evaluations(YEAR)
                      if e.level is not None}
    found = {}
    for person in people:
        mine = sorted((t for t in totals if t.person_id == person.id and t.total is not None),
                      key=lambda t: (t.period.start, t.period.kind.months))
        result = classify_year(policy, [Fraction(t.total) for t in mine],
                               disciplined=person.id in disciplined,
                               org_level=org_levels.get(person.unit_id)
                               if person.role is PersonRole.HEAD else None)
        found[person.id] = (tuple(t.period for t in mine), tuple(t.total for t in mine),
                            result)
    return found


@pytest.fixture(scope="module")
def unit_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's 300-person unit with a year of stored monthly totals (no work log)."""
    generate = _generate()
    folder = tmp_path_factory.mktemp("unit-year")
    rng = random.Random(18)
    policy = ScoringPolicy.default()
    app = AppServices.open(app_paths(folder))
    try:
        with app.db.unit_of_work() as uow:
            org = generate.write_organisation(uow, "unit", policy)
            evaluations = []
            for index, person in enumerate(org.people):
                # Some people worked fewer than 6 months; a few have an insufficient month.
                months = range(1, 13) if index % 17 else range(1, 6)
                for month in months:
                    e = generate.evaluation(rng, person, org.profiles[person.id],
                                            Period.month(YEAR, month),
                                            org.evaluator.get(person.id, person.id), policy)
                    if index % 5 == 0 and month % 4 == 0:
                        e = dataclasses.replace(e, total=Fraction(rng.choice(AWKWARD)))
                    if index % 23 == 0 and month == 3:
                        e = dataclasses.replace(e, total=None, insufficient=True)
                    if index % 29 == 0 and month == 7:
                        e = dataclasses.replace(e, status=EvaluationStatus.SUBMITTED)
                    evaluations.append(e)
            # A year just under the cut-off (mean 89.99999…), one exactly on 70 whose floats
            # add up to 69.99999999999999, and one just above 70.
            edges = {7: ["89.9999"] + ["90"] * 11,
                     8: ["60.4", "78.783", "73.7297", "74.52", "75.274", "71.057", "64.62",
                         "75.219", "78.5301", "76.8", "63.718", "47.3492"],
                     9: ["70.1", "69.9", "70.0001"] * 4}
            evaluations = [e for e in evaluations if e.person_id not in
                           {org.people[i].id for i in edges}]
            for index, totals in edges.items():
                edge = org.people[index]
                for month, total in enumerate(totals, start=1):
                    evaluations.append(MonthlyEvaluation(
                        person_id=edge.id, period=Period.month(YEAR, month),
                        status=EvaluationStatus.LOCKED, unit_id=edge.unit_id,
                        self_criteria={}, confirmed_criteria={}, total=Fraction(total),
                        insufficient=False))
            # Stored without a total and not insufficient: computed from the (empty) work log.
            evaluations = [dataclasses.replace(e, total=None) if (
                e.person_id == org.people[11].id and e.period.number == 5) else e
                for e in evaluations]
            uow.evaluations.add_monthly_many(evaluations)
            # Months received from another agency: one only submitted here (counts), one that
            # was evaluated here (ignored), and a sixth month of someone who worked five
            # months here.
            received = [(org.people[29].id, 7, "77.25"), (org.people[29].id, 2, "10"),
                        (org.people[17].id, 9, "1234/17")]
            uow.transfers.add_months([TransferredMonth(
                person_id=pid, period=Period.month(YEAR, month), source_agency_id="other",
                source_agency_name="Xã khác", source_fingerprint="f", unit_id="u",
                unit_name="Phòng", evaluator_id=None, evaluator_name="", total=Fraction(total),
                level=None, insufficient=False, policy_version=policy.version, bundle_id="b",
                imported_at=utc_now()) for pid, month, total in received])
            # A head capped by the organisation's level.
            head = next(p for p in org.people if p.role is PersonRole.HEAD and p.id != "ct")
            uow.org_results.upsert_evaluation(OrgEvaluation(
                id="oe-1", unit_id=head.unit_id, year=YEAR, level=Level.COMPLETE))
            for person in org.people[::41]:
                uow.discipline.add(DisciplineEvent(
                    id=f"d-{person.id}", person_id=person.id, kind=DisciplineKind.REPRIMAND,
                    decided_on=dt.date(YEAR, 6, 1), effective_year=YEAR,
                    created_at=utc_now(), authority=DisciplineAuthority.ADMINISTRATIVE,
                    decision_no="12/QĐ-UBND", note="", recorded_by="ct"))
    finally:
        app.close()
    return folder


def _compare(app: AppServices, policy: ScoringPolicy) -> int:
    expected = _reference(app, "xa", policy)
    got = app.scores.classify_unit("xa", YEAR)
    assert [r.person.id for r in got.rows] == list(expected)
    for row in got.rows:
        periods, totals, result = expected[row.person.id]
        assert row.months == periods, row.person.id
        assert row.monthly_totals == totals, row.person.id
        assert all(type(t) is Fraction for t in row.monthly_totals)
        assert row.result == result, row.person.id
        assert type(row.result.mean) is (Fraction if result.mean is not None else type(None))
    levels = {r.result.level for r in got.rows}
    assert {Level.EXCELLENT, Level.GOOD, None} <= levels
    return len(got.rows)


def test_every_person_identical_to_the_exact_computation(unit_year: Path) -> None:
    app = AppServices.open(app_paths(unit_year))
    try:
        assert _compare(app, ScoringPolicy.default()) == 300
        rows = {r.person.id: r for r in app.scores.classify_unit("xa", YEAR).rows}
        # 11 × 90 + 89.9999: just under 90, Good (a float so near the cut-off must not decide).
        edge = [r for r in rows.values() if r.result.mean == Fraction("1079.9999") / 12]
        assert len(edge) == 1 and edge[0].result.level is Level.GOOD
        on_it = [r for r in rows.values() if r.result.mean == 70]
        assert on_it and all(r.result.score_level is Level.GOOD for r in on_it)
        capped = [r for r in rows.values() if r.result.reason.value == "capped_by_org"]
        assert capped and all(r.result.level is Level.COMPLETE for r in capped)
        sixth = next(r for r in rows.values() if Fraction(1234, 17) in r.monthly_totals)
        assert len(sixth.months) == 6 and sixth.result.level is not None
        assert any(Fraction("77.25") in r.monthly_totals and Fraction(10) not in r.monthly_totals
                   for r in rows.values())
        assert sum(r.disciplined for r in rows.values()) == 8
    finally:
        app.close()


def test_identical_when_the_policy_rounds_before_comparing(unit_year: Path,
                                                           tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(unit_year, folder)
    policy = dataclasses.replace(ScoringPolicy.default(), version="rounding-1",
                                 round_before_compare=True)
    app = AppServices.open(app_paths(folder))
    try:
        with app.db.unit_of_work() as uow:
            uow.policies.add(PolicyVersion(version=policy.version, policy_json=policy.to_json(),
                                           active_from=dt.date(YEAR, 6, 1),
                                           created_at=utc_now()))
        assert _compare(app, policy) == 300
        # 89.995 rounds to 90.00: Excellent under this policy.
        rounded = [r for r in app.scores.classify_unit("xa", YEAR).rows
                   if r.result.mean is not None and Fraction("89.995") <= r.result.mean < 90]
        assert all(r.result.score_level is Level.EXCELLENT for r in rounded)
    finally:
        app.close()
