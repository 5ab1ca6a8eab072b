"""The services of one open data folder, built once by the composition root."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kpi_desktop.runtime.paths import AppPaths
from kpi_desktop.services.demo import DemoService
from kpi_desktop.services.organisation import OrganisationService
from kpi_desktop.services.scores import ScoreService
from kpi_desktop.services.worklog import WorkLogService
from kpi_desktop.storage.engine import open_database


@dataclass
class AppServices:
    """Every use case of the application, sharing one database."""

    paths: AppPaths
    db: Any
    organisation: OrganisationService
    worklog: WorkLogService
    scores: ScoreService
    demo: DemoService

    @classmethod
    def open(cls, paths: AppPaths, *, create_demo_if_empty: bool = False,
             today: dt.date | None = None) -> AppServices:
        """Open (and migrate) the database of ``paths``; optionally fill an empty one with the
        demo organisation."""
        paths.ensure()
        db = open_database(paths.database, backup_dir=paths.backup_dir)
        services = cls(paths=paths, db=db, organisation=OrganisationService(db),
                       worklog=WorkLogService(db, paths.attachments_dir),
                       scores=ScoreService(db), demo=DemoService(db))
        if create_demo_if_empty and services.organisation.is_empty():
            services.demo.create(today=today or dt.date.today())
        return services

    def close(self) -> None:
        self.db.close()
