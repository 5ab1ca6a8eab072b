"""One repository per aggregate; each takes the unit of work's session and never commits.

Repositories return frozen dataclasses of :mod:`kpi_desktop.domain.model`, never ORM objects.
"""

from kpi_desktop.storage.repositories.assignments import AssignmentRepository
from kpi_desktop.storage.repositories.audit import AuditRepository
from kpi_desktop.storage.repositories.catalog import CatalogRepository
from kpi_desktop.storage.repositories.evaluations import EvaluationRepository
from kpi_desktop.storage.repositories.organisation import OrganisationRepository
from kpi_desktop.storage.repositories.proposals import ProposalRepository
from kpi_desktop.storage.repositories.records import (
    AppealRepository,
    CalendarRepository,
    DisciplineRepository,
    LeaveRepository,
    OrgResultRepository,
    PolicyRepository,
    SettingsRepository,
)
from kpi_desktop.storage.repositories.reviews import ReviewRepository
from kpi_desktop.storage.repositories.worklog import WorkLogRepository, snapshot_of

__all__ = [
    "AppealRepository",
    "AssignmentRepository",
    "AuditRepository",
    "CalendarRepository",
    "CatalogRepository",
    "DisciplineRepository",
    "LeaveRepository",
    "EvaluationRepository",
    "OrgResultRepository",
    "OrganisationRepository",
    "PolicyRepository",
    "ProposalRepository",
    "ReviewRepository",
    "SettingsRepository",
    "WorkLogRepository",
    "snapshot_of",
]
