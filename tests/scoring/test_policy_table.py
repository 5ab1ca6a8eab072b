"""Issue 15, finding 3: one declarative table of policy parameters.

The policy's fields, its validation and serialisation, the agency's policy page, the publish
change list and docs/policy-parameters.md all come from ``scoring.POLICY_PARAMETERS``; every
parameter (the three organisation shares included) is editable by the agency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from kpi_desktop.scoring import ScoringInputError, ScoringPolicy
from kpi_desktop.scoring.policy import POLICY_PARAMETERS, ParameterKind, policy_parameter

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)
ORG = ("org_exceeded_share_min", "org_late_share_max", "org_plan_completion_min")


def test_the_policy_has_exactly_the_fields_of_the_table():
    names = [f.name for f in dataclasses.fields(ScoringPolicy)]
    assert names == ["version"] + [p.name for p in POLICY_PARAMETERS]
    data = ScoringPolicy.default().to_dict()
    assert set(data) == {"format", "version"} | {p.name for p in POLICY_PARAMETERS}
    for p in POLICY_PARAMETERS:
        assert getattr(ScoringPolicy.default(), p.name) == p.default, p.name
        assert p.label and p.group, p.name


@pytest.mark.parametrize("parameter", POLICY_PARAMETERS, ids=lambda p: p.name)
def test_bounds_of_each_line_are_enforced(parameter):
    """A value just outside the line's bounds is refused with the parameter's name."""
    bad: list[object] = []
    if parameter.kind is ParameterKind.SWITCH:
        bad = ["yes", 1]
    elif parameter.kind is ParameterKind.CHOICE:
        bad = ["week", 3]
    elif parameter.kind is ParameterKind.FACTORS:
        bad = [(), ("1", "-1")]
    else:
        if parameter.minimum is not None:
            bad.append(parameter.minimum if parameter.above_minimum
                       else parameter.minimum - 1)
        if parameter.maximum is not None:
            bad.append(parameter.maximum + 1)
        if parameter.kind is ParameterKind.INTEGER:
            bad.append(Fraction(1, 2))
    for value in bad:
        with pytest.raises(ScoringInputError) as info:
            dataclasses.replace(ScoringPolicy.default(), **{parameter.name: value})
        assert info.value.code == "policy_invalid"
        assert info.value.params["field"] == parameter.name


def test_policy_stored_before_the_org_keys_still_loads():
    data = ScoringPolicy.default().to_dict()
    for name in ORG:
        del data[name]
        assert policy_parameter(name).added_later
    assert ScoringPolicy.from_dict(data) == ScoringPolicy.default()
    del data["task_max"]
    with pytest.raises(ScoringInputError) as info:
        ScoringPolicy.from_dict(data)
    assert info.value.code == "policy_key_missing"


def test_the_docs_table_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "policy_docs.py"),
                             "--check"], cwd=ROOT)
    assert result.returncode == 0, "run python packaging/policy_docs.py"
    text = (ROOT / "docs" / "policy-parameters.md").read_text(encoding="utf-8")
    for p in POLICY_PARAMETERS:
        assert f"`{p.name}`" in text
    assert "Article 20.1" in text and "Article 8.4(b)" in text


@pytest.fixture
def agency(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    yield services
    services.close()


def test_every_parameter_is_editable_by_the_agency(agency):
    from kpi_desktop.services.agency_admin import AgencyAdminService
    from kpi_desktop.services.policies import policy_in_force

    admin = AgencyAdminService(agency.db, today=lambda: TODAY)
    names = [v.name for v in admin.policy_parameters()]
    assert names == [p.name for p in POLICY_PARAMETERS]
    view = admin.current_policy()
    assert set(view.values) == set(names)
    version = admin.save_policy({"org_exceeded_share_min": "0,35", "org_late_share_max": "0.1",
                                 "org_plan_completion_min": "0.75",
                                 "complexity_factors": "1; 1,25; 2",
                                 "evaluation_period": "quarter",
                                 "round_before_compare": True},
                                version="xa-2027.1", active_from=dt.date(2027, 1, 1))
    with agency.db.unit_of_work(read_only=True) as uow:
        stored = policy_in_force(uow, dt.date(2027, 1, 1))
    assert stored.version == version
    assert (stored.org_exceeded_share_min, stored.org_late_share_max,
            stored.org_plan_completion_min) == (Fraction(7, 20), Fraction(1, 10),
                                                Fraction(3, 4))
    assert stored.complexity_factors == (1, Fraction(5, 4), 2)
    assert stored.round_before_compare is True
    # The publish change list names each changed parameter by its label, before → after.
    change = admin.policy_changes()[-1]
    assert change.version == "xa-2027.1"
    lines = {c.name: (c.label, c.before, c.after) for c in change.changes}
    assert lines["org_late_share_max"] == (
        "Organisation rated Satisfactory: share of tasks behind schedule, at most", "0.2", "0.1")
    assert lines["evaluation_period"][1:] == ("monthly", "quarterly")
    assert set(lines) == {"org_exceeded_share_min", "org_late_share_max",
                          "org_plan_completion_min", "complexity_factors",
                          "evaluation_period", "round_before_compare"}


@pytest.mark.gui
def test_policy_page_and_publish_page_come_from_the_table(agency, qtbot):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

    from kpi_desktop.runtime import i18n
    from kpi_desktop.services.policy_parameters import citation
    from kpi_desktop.ui.agency.policy_page import PolicyPage
    from kpi_desktop.ui.agency.publish_page import PublishPage
    from kpi_desktop.ui.pages.base import UserContext

    user = UserContext(person_id="admin", full_name="Admin", role="admin", unit_id="xa",
                       is_evaluator=False)
    agency.sync._today = lambda: TODAY  # noqa: SLF001 - the agency's clock for this test
    page = PolicyPage(agency, user)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    widget_kind = {ParameterKind.SWITCH: QCheckBox, ParameterKind.INTEGER: QSpinBox,
                   ParameterKind.CHOICE: QComboBox}
    assert list(page.fields) == [p.name for p in POLICY_PARAMETERS]
    for p in POLICY_PARAMETERS:
        assert isinstance(page.fields[p.name], widget_kind.get(p.kind, QLineEdit)), p.name
        assert page.labels[p.name].text().rstrip(":")
        expected = citation(p.article) if p.article else "local rule"
        assert expected in page.labels[p.name].toolTip()
    page.fields["org_late_share_max"].setText("0.15")
    page.version.setText("xa-2027.2")
    page.active_from.setDate(page.active_from.date().addDays(60))
    assert page.save(), page.message.text()
    publish = PublishPage(agency, user)
    qtbot.addWidget(publish)
    publish.refresh()
    items = [publish.changes.item(i).text() for i in range(publish.changes.count())]
    assert any("xa-2027.2" in t for t in items)
    assert any("share of tasks behind schedule" in t and "0.2 → 0.15" in t for t in items)
    i18n.set_language("vi")
    try:
        page.retranslate_ui()
        assert "khoản 1 Điều 20" in page.labels["threshold_excellent"].toolTip()
        assert "điểm b khoản 2 Điều 14" in page.labels["failed_review_deduction"].toolTip()
        assert page.labels["org_late_share_max"].text() != \
            "Organisation rated Satisfactory: share of tasks behind schedule, at most:"
    finally:
        i18n.set_language("en")
