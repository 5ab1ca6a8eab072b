"""The one rule of the policy in force (services.policies.PolicyTimeline), read through every
way the application asks it: a single day, a period, and a unit's year through the calculator
(which reads every version once)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kpi_desktop.domain.model import Period, PolicyVersion
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.services.policies import (
    PolicyTimeline,
    policy_for_period,
    policy_in_force,
    stored_policy_in_force,
)
from kpi_desktop.services.scores import Calculator
from kpi_desktop.storage.engine import open_database

T = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)


def _version(name: str, active_from: dt.date, stored_at: dt.datetime) -> PolicyVersion:
    policy = dataclasses.replace(ScoringPolicy.default(), version=name)
    return PolicyVersion(version=name, policy_json=policy.to_json(), active_from=active_from,
                         created_at=stored_at)


def test_the_version_in_force_on_each_day_is_the_same_whoever_asks(tmp_path):
    db = open_database(tmp_path / "kpi.db")
    with db.unit_of_work() as uow:
        assert policy_in_force(uow, dt.date(2026, 3, 1)) == ScoringPolicy.default()
        assert stored_policy_in_force(uow, dt.date(2026, 3, 1))[1] is None
        # Stored out of order; two start on 1 April (the one stored last wins); one starts
        # in the future (never in force before its day, even though stored first).
        uow.policies.add(_version("future", dt.date(2027, 1, 1), T))
        uow.policies.add(_version("april-b", dt.date(2026, 4, 1), T + dt.timedelta(days=2)))
        uow.policies.add(_version("jan", dt.date(2026, 1, 1), T))
        uow.policies.add(_version("april-a", dt.date(2026, 4, 1), T + dt.timedelta(days=1)))
    expected = {dt.date(2025, 12, 31): ScoringPolicy.default().version,
                dt.date(2026, 1, 1): "jan", dt.date(2026, 3, 31): "jan",
                dt.date(2026, 4, 1): "april-b", dt.date(2026, 12, 31): "april-b",
                dt.date(2027, 1, 1): "future"}
    with db.unit_of_work(read_only=True) as uow:
        timeline = PolicyTimeline(uow)
        calculator = Calculator(uow)
        for day, version in expected.items():
            assert timeline.on(day).version == version, day
            assert policy_in_force(uow, day).version == version, day
            stored = stored_policy_in_force(uow, day)[1]
            assert (stored.version if stored else ScoringPolicy.default().version) == version
        for period, version in ((Period.month(2026, 3), "jan"), (Period.quarter(2026, 1), "jan"),
                                (Period.month(2026, 4), "april-b"),
                                (Period.parse("2026-H1"), "april-b"),
                                (Period.whole_year(2026), "april-b"),
                                (Period.month(2025, 12), ScoringPolicy.default().version)):
            assert policy_for_period(uow, period).version == version, period
            assert calculator.policy(period).version == version, period
    db.close()
