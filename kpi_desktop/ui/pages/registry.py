"""Which pages the main window shows, in navigation order, for the signed-in person.

Each area adds its page classes here (official pages for everyone, leader pages for people who
evaluate somebody, agency pages for administrators).
"""

from __future__ import annotations

from kpi_desktop.ui.pages.base import Page, UserContext


def official_pages() -> list[type[Page]]:
    """Pages every person has (their own work)."""
    return []


def leader_pages() -> list[type[Page]]:
    """Pages of people who evaluate others (review inbox, evaluations, unit, …)."""
    return []


def common_pages() -> list[type[Page]]:
    """Pages at the end of the navigation for everyone (sync, settings)."""
    return []


def pages_for(user: UserContext) -> list[type[Page]]:
    """The page classes ``user`` sees, in navigation order."""
    pages = official_pages()
    if user.is_evaluator or user.role in ("head", "deputy"):
        pages += leader_pages()
    return pages + common_pages()
