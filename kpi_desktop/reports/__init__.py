"""PDF forms of Decree 335 (Mẫu số 01, Mẫu số 02) and the unit summary (reportlab only here).

The writers take the plain data of :mod:`kpi_desktop.reports.data`; the service layer
(``kpi_desktop.services.reports``) gathers it from the database.
"""

from kpi_desktop.reports.forms import render_form01, render_form02, render_unit_summary

__all__ = ["render_form01", "render_form02", "render_unit_summary"]
