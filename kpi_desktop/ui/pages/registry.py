"""Which pages the main window shows, in navigation order, for the signed-in person.

Each area adds its page classes here (official pages for everyone, leader pages for people who
evaluate somebody, agency pages for administrators).
"""

from __future__ import annotations

from kpi_desktop.ui.pages.base import Page, UserContext


def official_pages() -> list[type[Page]]:
    """Pages every person has (their own work)."""
    from kpi_desktop.ui.pages.assignments_page import AssignmentsPage
    from kpi_desktop.ui.pages.month_page import MonthPage
    from kpi_desktop.ui.pages.score_page import ScorePage
    from kpi_desktop.ui.pages.worklog_page import WorkLogPage

    return [WorkLogPage, AssignmentsPage, ScorePage, MonthPage]


def leader_pages() -> list[type[Page]]:
    """Pages of people who evaluate others (review inbox, evaluations, unit, …)."""
    from kpi_desktop.ui.leader.assignments_page import LeaderAssignmentsPage
    from kpi_desktop.ui.leader.classification_page import YearClassificationPage
    from kpi_desktop.ui.leader.evaluation_page import MonthlyEvaluationPage
    from kpi_desktop.ui.leader.inbox_page import ReviewInboxPage
    from kpi_desktop.ui.leader.unit_page import UnitViewPage

    return [ReviewInboxPage, LeaderAssignmentsPage, MonthlyEvaluationPage, UnitViewPage,
            YearClassificationPage]


def common_pages() -> list[type[Page]]:
    """Pages at the end of the navigation for everyone (sync, settings)."""
    from kpi_desktop.ui.pages.settings_page import SettingsPage
    from kpi_desktop.ui.pages.sync import SyncPage

    return [SyncPage, SettingsPage]


def pages_for(user: UserContext) -> list[type[Page]]:
    """The page classes ``user`` sees, in navigation order."""
    pages = official_pages()
    if user.is_evaluator or user.role in ("head", "deputy"):
        pages += leader_pages()
    return pages + common_pages()
