"""Which pages the main window shows, in navigation order, for the signed-in person.

Each area adds its page classes here (official pages for everyone, leader pages for people who
evaluate somebody, agency pages for administrators).
"""

from __future__ import annotations

from kpi_desktop.ui.pages.base import Page, UserContext


def official_pages() -> list[type[Page]]:
    """Pages every person has (their own work)."""
    from kpi_desktop.ui.pages.appeals_page import AppealsPage
    from kpi_desktop.ui.pages.assignments_page import AssignmentsPage
    from kpi_desktop.ui.pages.month_page import MonthPage
    from kpi_desktop.ui.pages.score_page import ScorePage
    from kpi_desktop.ui.pages.worklog_page import WorkLogPage

    return [WorkLogPage, AssignmentsPage, ScorePage, MonthPage, AppealsPage]


def leader_pages() -> list[type[Page]]:
    """Pages of people who evaluate others (review inbox, evaluations, unit, …)."""
    from kpi_desktop.ui.leader.appeals_page import LeaderAppealsPage
    from kpi_desktop.ui.leader.assignments_page import LeaderAssignmentsPage
    from kpi_desktop.ui.leader.classification_page import YearClassificationPage
    from kpi_desktop.ui.leader.evaluation_page import MonthlyEvaluationPage
    from kpi_desktop.ui.leader.inbox_page import ReviewInboxPage
    from kpi_desktop.ui.leader.kpi_kinds_page import KpiKindsPage
    from kpi_desktop.ui.leader.org_evaluation_page import OrgEvaluationPage
    from kpi_desktop.ui.leader.unit_page import UnitViewPage
    from kpi_desktop.ui.pages.calendar_page import CalendarPage

    return [ReviewInboxPage, LeaderAssignmentsPage, MonthlyEvaluationPage, UnitViewPage,
            YearClassificationPage, KpiKindsPage, OrgEvaluationPage, LeaderAppealsPage,
            CalendarPage]


def agency_pages() -> list[type[Page]]:
    """Pages of the agency administrator (signed in with the agency key)."""
    from kpi_desktop.ui.agency.catalog_page import CatalogPage
    from kpi_desktop.ui.agency.evaluators_page import EvaluatorsPage
    from kpi_desktop.ui.agency.organisation_page import OrganisationPage
    from kpi_desktop.ui.agency.people_page import PeoplePage
    from kpi_desktop.ui.agency.policy_page import PolicyPage
    from kpi_desktop.ui.agency.proposals_page import ProposalsPage
    from kpi_desktop.ui.agency.publish_page import PublishPage
    from kpi_desktop.ui.leader.org_evaluation_page import OrgEvaluationPage
    from kpi_desktop.ui.leader.reconciliation_page import ReconciliationPage
    from kpi_desktop.ui.pages.calendar_page import CalendarPage

    return [OrganisationPage, PeoplePage, EvaluatorsPage, CatalogPage, PolicyPage,
            ProposalsPage, PublishPage, ReconciliationPage, OrgEvaluationPage, CalendarPage]


def common_pages() -> list[type[Page]]:
    """Pages at the end of the navigation for everyone (sync, settings)."""
    from kpi_desktop.ui.pages.settings_page import SettingsPage
    from kpi_desktop.ui.pages.sync import SyncPage

    return [SyncPage, SettingsPage]


def pages_for(user: UserContext) -> list[type[Page]]:
    """The page classes ``user`` sees, in navigation order."""
    if user.role == "agency":  # the agency key signed in: the agency's pages only
        return agency_pages() + common_pages()
    pages = official_pages()
    if user.is_evaluator or user.role in ("head", "deputy"):
        pages += leader_pages()
    if user.role == "head":  # reconciliation: the chairman sees everyone, a head their unit
        from kpi_desktop.ui.leader.reconciliation_page import ReconciliationPage

        pages.append(ReconciliationPage)
    return pages + common_pages()
