"""The services of one open data folder, built once by the composition root."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi_desktop.domain.errors import KpiError, StorageProblem
from kpi_desktop.runtime.paths import AppPaths
from kpi_desktop.services.appeals import AppealService
from kpi_desktop.services.assignments import AssignmentService
from kpi_desktop.services.backups import BackupService
from kpi_desktop.services.calendar import CalendarService
from kpi_desktop.services.classification import ClassificationService
from kpi_desktop.services.clock import Clock
from kpi_desktop.services.daily import DailyWorkService
from kpi_desktop.services.data_folder import prepare_data_folder
from kpi_desktop.services.demo import DemoService
from kpi_desktop.services.evaluation import EvaluationService
from kpi_desktop.services.integrity import CheckReport, IntegrityService
from kpi_desktop.services.keys import KeyService
from kpi_desktop.services.organisation import OrganisationService
from kpi_desktop.services.proposals import ProposalService
from kpi_desktop.services.reports import ReportService
from kpi_desktop.services.review import ReviewService
from kpi_desktop.services.scores import ScoreService
from kpi_desktop.services.self_assessment import SelfAssessmentService
from kpi_desktop.services.sync import SyncService
from kpi_desktop.services.transfer_bundle import TransferBundleService
from kpi_desktop.services.transfers import TransferService
from kpi_desktop.services.worklog import WorkLogService
from kpi_desktop.storage.engine import open_database

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kpi_desktop.services.agency_admin import AgencyAdminService
    from kpi_desktop.services.discipline import DisciplineService
    from kpi_desktop.services.dossier import DossierService
    from kpi_desktop.services.favourites import FavouriteService
    from kpi_desktop.services.kpi_kinds import KpiKindService
    from kpi_desktop.services.leave import LeaveService
    from kpi_desktop.services.notifications import NotificationService
    from kpi_desktop.services.org_evaluation import OrgEvaluationService
    from kpi_desktop.services.reconciliation import ReconciliationService
    from kpi_desktop.services.sync_summary import SyncSummaryService


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
    appeals: AppealService | None = None  # Điều 22 (issue 9 §2)
    calendar: CalendarService | None = None  # working-day calendar (issue 9 §3)
    clock: Clock = field(default_factory=Clock)  # "today" of every service (issue 15)
    # What the start-up found that does not stop the work (a daily backup that could not
    # be made); the CLI prints them, the application shows them.
    warnings: list[KpiError] = field(default_factory=list)
    startup_report: CheckReport | None = None

    @classmethod
    def open(cls, paths: AppPaths, *, create_demo_if_empty: bool = False,
             today: dt.date | None = None) -> AppServices:
        """Open (and migrate) the database of ``paths``; optionally fill an empty one with the
        demo organisation."""
        prepare_data_folder(paths)  # a read-only folder is refused here, with its path
        # Both safety steps stay here, before anything can write: the start-up check must
        # refuse a damaged file before the first write (SQLite's full check and the row
        # seals, ~0.1 s on the demo: benchmarks/startup_check.py), and the daily backup must
        # exist before the day's first write.
        report = IntegrityService.for_paths(paths).startup_check()
        db = open_database(paths.database, backup_dir=paths.backup_dir)
        paths.protect()  # the database and its backups hold sealed keys: owner only
        keys = KeyService(db)
        clock = Clock(today)  # "today" of every service comes from here
        now = clock.today
        services = cls(paths=paths, db=db, organisation=OrganisationService(db),
                       worklog=WorkLogService(db, paths.attachments_dir, keys=keys, today=now),
                       scores=ScoreService(db, today=now), demo=DemoService(db), keys=keys,
                       sync=SyncService(db, paths.backup_dir, keys,
                                        attachments_dir=paths.attachments_dir, today=now),
                       daily=DailyWorkService(db, paths.attachments_dir, keys=keys, today=now),
                       self_assessment=SelfAssessmentService(db, keys=keys),
                       review=ReviewService(db, today=now),
                       assignments=AssignmentService(db, today=now),
                       evaluation=EvaluationService(db, today=now),
                       classification=ClassificationService(db, today=now),
                       reports=ReportService(db, today=now),
                       appeals=AppealService(db, keys=keys, today=now),
                       calendar=CalendarService(db, today=now), clock=clock)
        services.startup_report = report
        if create_demo_if_empty and services.organisation.is_empty():
            services.demo.create(today=clock.today())
        services.daily_backup()
        services.transfers.apply_due()  # a transfer dated in the future takes effect today
        return services

    def daily_backup(self) -> None:
        """Today's backup, only from a database that passed its last check; one that cannot
        be made (a full disk) is a warning, never a refusal of the work."""
        integrity = self.integrity
        try:
            self.backups.daily(allowed=integrity.backup_allowed(),
                               verified=bool(self.startup_report
                                             and self.startup_report.complete))
        except KpiError as error:
            log.warning("The daily backup was not made: %s", error)
            self.warnings.append(error)

    def restore_backup(self, backup: Path | str) -> Path:
        """Replace the database with ``backup`` while the application runs: every pooled
        connection is closed first (none may stay open on the replaced file) and, the copy
        having passed its check, writing is allowed again. Returns the safety copy of the
        replaced data (see :meth:`BackupService.restore`, whose refusals it raises)."""
        self.db.close()
        kept = self.backups.restore(Path(backup))
        self.db.refuse_writes(None)
        return kept

    def damage_found(self, report: CheckReport, detail: str = "") -> StorageProblem:
        """A full check found the file damaged while the application runs: from now on every
        write is refused with the returned error (which names the newest good backup)."""
        error = StorageProblem("database_damaged", path=str(self.paths.database),
                               detail=detail, backup=report.good_backup)
        self.db.refuse_writes(error)
        return error

    @property
    def integrity(self) -> IntegrityService:
        """Checks of this data folder's database (``kpi-desktop check``)."""
        return IntegrityService.for_paths(self.paths)

    @property
    def proposals(self) -> ProposalService:
        """Proposals of new catalog items (Điều 13.3): filed by officials, decided by the
        agency."""
        return ProposalService(self.db, self.keys)

    @property
    def org_evaluation(self) -> OrgEvaluationService:
        """Organisation indicators and levels (Điều 8), issue 9 §1."""
        from kpi_desktop.services.org_evaluation import OrgEvaluationService

        return OrgEvaluationService(self.db, today=self.clock.today)

    @property
    def discipline(self) -> DisciplineService:
        """Discipline events and the year they count for (Điều 20.4, 11.3), issue 9 §5."""
        from kpi_desktop.services.discipline import DisciplineService

        return DisciplineService(self.db, today=self.clock.today)

    @property
    def leave(self) -> LeaveService:
        """Leave records (Điều 11.2): sick, maternity, unpaid personal leave (issue 15)."""
        from kpi_desktop.services.leave import LeaveService

        return LeaveService(self.db, today=self.clock.today)

    @property
    def dossier(self) -> DossierService:
        """The electronic dossiers of Điều 24: a person's year in one archive, and its check."""
        from kpi_desktop.services.dossier import DossierService

        assert self.reports is not None
        return DossierService(self.db, self.reports)

    @property
    def kpi_kinds(self) -> KpiKindService:
        """Assigned/completed work by KPI kind, issue 9 §5."""
        from kpi_desktop.services.kpi_kinds import KpiKindService

        return KpiKindService(self.db)

    @property
    def transfers(self) -> TransferService:
        """Transfers and unit mergers inside the agency (issue 9 §4, Điều 19.1)."""
        return TransferService(self.db, today=self.clock.today)

    @property
    def transfer_bundles(self) -> TransferBundleService:
        """A person's monthly results sent to / received from another agency (Điều 19.1)."""
        return TransferBundleService(self.db, self.keys, backup_dir=self.paths.backup_dir)

    @property
    def agency(self) -> AgencyAdminService:
        """The agency administrator's editing and publishing of the organisation."""
        from kpi_desktop.services.agency_admin import AgencyAdminService

        return AgencyAdminService(self.db, keys=self.keys, sync=self.sync,
                                  today=self.clock.today)

    @property
    def notifications(self) -> NotificationService:
        """Sign-ins on this PC and what the banner tells each person (issue 16 item 3)."""
        from kpi_desktop.services.notifications import NotificationService

        return NotificationService(self.db, review=self.review, keys=self.keys,
                                   today=self.review.today if self.review else None)

    @property
    def sync_summary(self) -> SyncSummaryService:
        """What an import did, in names and plain counts; where submitted entries are."""
        from kpi_desktop.services.sync_summary import SyncSummaryService

        return SyncSummaryService(self.db, keys=self.keys,
                                  today=self.review.today if self.review else None)

    @property
    def reconciliation(self) -> ReconciliationService:
        """Who has not logged, not submitted, not confirmed: by unit (issue 16 item 16)."""
        from kpi_desktop.services.reconciliation import ReconciliationService

        return ReconciliationService(self.db, review=self.review,
                                     today=self.review.today if self.review else None)

    @property
    def favourites(self) -> FavouriteService:
        """A person's "việc hay làm" for one-click entry (issue 16 item 16)."""
        from kpi_desktop.services.favourites import FavouriteService

        return FavouriteService(self.db)

    @property
    def backups(self) -> BackupService:
        """Backups of this data folder's database."""
        return BackupService(self.paths.database, self.paths.backup_dir)

    def close(self) -> None:
        self.db.close()
