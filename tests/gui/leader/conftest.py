"""Fixtures of the leader's widget tests."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def leader_services(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.assignments import AssignmentService
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.evaluation import EvaluationService
    from kpi_desktop.services.review import ReviewService

    services = AppServices.open(app_paths(demo_dir))
    services.review = ReviewService(services.db, today=TODAY)
    services.assignments = AssignmentService(services.db, today=TODAY)
    services.evaluation = EvaluationService(services.db, today=TODAY)
    services.classification = ClassificationService(services.db, today=TODAY)
    yield services
    services.close()


def user(person_id: str):
    from kpi_desktop.ui.pages.base import UserContext

    known = {
        "hcc-gd": ("Head of HCC", "head", "hcc"),
        "ct": ("Chairman", "head", "xa"),
        "kt-tp": ("Head of KT", "head", "kt"),
    }
    name, role, unit = known[person_id]
    return UserContext(person_id=person_id, full_name=name, role=role, unit_id=unit,
                       is_evaluator=True)
