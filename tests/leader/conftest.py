"""Fixtures of the leader's service tests: the demo organisation on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 23)


class Leader:
    """The demo data folder with the leader's services, "today" fixed at the demo date."""

    def __init__(self, folder):
        from kpi_desktop.runtime.paths import app_paths
        from kpi_desktop.services.assignments import AssignmentService
        from kpi_desktop.services.classification import ClassificationService
        from kpi_desktop.services.context import AppServices
        from kpi_desktop.services.evaluation import EvaluationService
        from kpi_desktop.services.review import ReviewService

        self.folder = folder
        self.app = AppServices.open(app_paths(folder))
        self.db = self.app.db
        self.review = ReviewService(self.db, today=TODAY)
        self.assignments = AssignmentService(self.db, today=TODAY)
        self.evaluation = EvaluationService(self.db, today=TODAY)
        self.classification = ClassificationService(self.db, today=TODAY)

    def dump(self) -> list[str]:
        from kpi_desktop.storage.backup import dump_database

        return dump_database(self.app.paths.database)

    def entry(self, entry_id):
        with self.db.unit_of_work(read_only=True) as uow:
            return uow.worklog.get(entry_id)

    def audit(self, **filters):
        with self.db.unit_of_work(read_only=True) as uow:
            return uow.audit.list_events(**filters)


@pytest.fixture
def leader(demo_dir):
    services = Leader(demo_dir)
    yield services
    services.app.close()
