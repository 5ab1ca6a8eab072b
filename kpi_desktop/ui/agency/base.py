"""The agency's pages: the administrator's user context, role names, and the page base with a
message line and a guarded way to run a change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import PersonRole
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.common import ERROR_STYLE, OK_STYLE, mark_data, message_label
from kpi_desktop.ui.pages.base import AGENCY_ID as AGENCY_ID
from kpi_desktop.ui.pages.base import Page, UserContext

# AGENCY_ID (the owner id of the agency key; signing in with it opens the agency's pages)
# lives in pages.base.
AGENCY_ROLE = "agency"
ID_ROLE = Qt.ItemDataRole.UserRole


def agency_user(services: Any) -> UserContext:
    """The user context of the agency administrator (signed in with the agency key)."""
    units = services.agency.units()
    return UserContext(person_id=AGENCY_ID,
                       full_name=translate("Agency", "Agency administrator"),
                       role=AGENCY_ROLE, unit_id=units[0].id if units else "",
                       is_evaluator=False)


def role_label(role: PersonRole | str) -> str:
    value = getattr(role, "value", role)
    return {
        "official": translate("Agency", "civil servant"),
        "deputy": translate("Agency", "deputy head"),
        "head": translate("Agency", "head"),
        "admin": translate("Agency", "administrator"),
    }.get(str(value), str(value))




def points_text(value: Any) -> str:
    """Points or a coefficient as written in the catalog: no decimals when whole."""
    from decimal import Decimal

    from kpi_desktop.ui.formatting import number

    whole = Decimal(str(value)) == Decimal(str(value)).to_integral_value()
    return number(value, 0 if whole else 2)








def table(columns: int, *, stretch: int | None = None) -> QTableWidget:
    """A read-only, row-selecting table whose columns fit the width (no sideways scrolling)."""
    widget = QTableWidget(0, columns)
    mark_data(widget)
    widget.verticalHeader().setVisible(False)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setAlternatingRowColors(True)
    widget.setWordWrap(False)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[str]], ids: Sequence[Any] = ()) -> None:
    """Replace a table's rows; ``ids`` go to the first cell's user role."""
    widget.setUpdatesEnabled(False)
    widget.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c == 0 and r < len(ids):
                item.setData(ID_ROLE, ids[r])
            widget.setItem(r, c, item)
    widget.setUpdatesEnabled(True)


def selected_id(widget: QTableWidget) -> Any:
    row = widget.currentRow()
    item = widget.item(row, 0) if row >= 0 else None
    return item.data(ID_ROLE) if item is not None else None


def select_id(widget: QTableWidget, wanted: Any) -> bool:
    for row in range(widget.rowCount()):
        item = widget.item(row, 0)
        if item is not None and item.data(ID_ROLE) == wanted:
            widget.selectRow(row)
            widget.setCurrentCell(row, 0)
            return True
    return False




class AgencyPage(Page):
    """Base of the agency's pages: a message line and a guarded way to run a service call."""

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.message = message_label()

    @property
    def admin(self) -> Any:
        return self.services.agency

    def show_error(self, error: Exception) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(describe(error) if isinstance(error, KpiError) else str(error))

    def show_ok(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)
        self.status_message.emit(text)

    def attempt(self, action: Callable[[], Any], done: Callable[[Any], str]) -> bool:
        """Run ``action``; a refusal is shown (nothing was changed), success says ``done``."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = action()
        except KpiError as error:
            self.show_error(error)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_ok(done(result))
        self.refresh()
        self.data_changed.emit()
        return True
