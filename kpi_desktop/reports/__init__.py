"""The forms of Decree 335 (Mẫu số 01, Mẫu số 02) and the unit summary, as PDF (reportlab) and
as editable Word files (python-docx); both libraries are used only in this package.

The writers take the plain data of :mod:`kpi_desktop.reports.data`; the service layer
(``kpi_desktop.services.reports``) gathers it from the database.
"""

from __future__ import annotations

from typing import Any

__all__ = ["form01_document", "form02_document", "render_form01", "render_form01_docx",
           "render_form02", "render_form02_docx", "render_unit_summary",
           "render_unit_summary_docx", "unit_summary_document"]


def __getattr__(name: str) -> Any:
    """The writers, imported on first use: reportlab takes ~0.3-0.6 s to import, which the
    application's start does not need (``kpi_desktop.reports.data`` imports this package)."""
    if name in __all__:
        from kpi_desktop.reports import forms

        return getattr(forms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
