"""The services of one open data folder, built once by the composition root."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kpi_desktop.runtime.paths import AppPaths
from kpi_desktop.services.assignments import AssignmentService
from kpi_desktop.services.backups import BackupService, check_before_open
from kpi_desktop.services.classification import ClassificationService
from kpi_desktop.services.daily import DailyWorkService
from kpi_desktop.services.demo import DemoService
from kpi_desktop.services.evaluation import EvaluationService
from kpi_desktop.services.keys import KeyService
from kpi_desktop.services.organisation import OrganisationService
from kpi_desktop.services.proposals import ProposalService
from kpi_desktop.services.reports import ReportService
from kpi_desktop.services.review import ReviewService
from kpi_desktop.services.scores import ScoreService
from kpi_desktop.services.self_assessment import SelfAssessmentService
from kpi_desktop.services.sync import SyncService
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
    keys: KeyService
    sync: SyncService
    daily: DailyWorkService | None = None
    self_assessment: SelfAssessmentService | None = None
    review: ReviewService | None = None
    assignments: AssignmentService | None = None
    evaluation: EvaluationService | None = None
    classification: ClassificationService | None = None
    reports: ReportService | None = None

    @classmethod
    def open(cls, paths: AppPaths, *, create_demo_if_empty: bool = False,
             today: dt.date | None = None) -> AppServices:
        """Open (and migrate) the database of ``paths``; optionally fill an empty one with the
        demo organisation."""
        paths.ensure()
        check_before_open(paths.database)
        db = open_database(paths.database, backup_dir=paths.backup_dir)
        keys = KeyService(db)
        services = cls(paths=paths, db=db, organisation=OrganisationService(db),
                       worklog=WorkLogService(db, paths.attachments_dir, keys=keys),
                       scores=ScoreService(db), demo=DemoService(db), keys=keys,
                       sync=SyncService(db, paths.backup_dir, keys,
                                        attachments_dir=paths.attachments_dir),
                       daily=DailyWorkService(db, paths.attachments_dir, keys=keys),
                       self_assessment=SelfAssessmentService(db, keys=keys),
                       review=ReviewService(db), assignments=AssignmentService(db),
                       evaluation=EvaluationService(db),
                       classification=ClassificationService(db),
                       reports=ReportService(db))
        if create_demo_if_empty and services.organisation.is_empty():
            services.demo.create(today=today or dt.date.today())
        services.backups.daily()
        return services

    @property
    def proposals(self) -> ProposalService:
        """Proposals of new catalog items (Điều 13.3): filed by officials, decided by the
        agency."""
        return ProposalService(self.db, self.keys)

    @property
    def backups(self) -> BackupService:
        """Backups of this data folder's database."""
        return BackupService(self.paths.database, self.paths.backup_dir)

    def close(self) -> None:
        self.db.close()
