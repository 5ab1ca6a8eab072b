"""The agency's pages: the administrator's user context, role names, and the page base with a
message line and a guarded way to run a change (an operation on the serial lane)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import PersonRole
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.common import (
    ERROR_STYLE,
    OK_STYLE,
    data_label,
    dialog_buttons,
    message_label,
    named,
    refresh_when_visible,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import AGENCY_ID as AGENCY_ID
from kpi_desktop.ui.pages.base import Page, Text, UserContext
from kpi_desktop.ui.tables import Column, RecordTableView, RowStyle

# AGENCY_ID (the owner id of the agency key; signing in with it opens the agency's pages)
# lives in pages.base.
AGENCY_ROLE = "agency"


def agency_user(services: Any) -> UserContext:
    """The user context of the agency administrator (signed in with the agency key)."""
    units = services.agency.units()
    return UserContext(person_id=AGENCY_ID,
                       full_name=translate("Agency", "Agency administrator"),
                       role=AGENCY_ROLE, unit_id=units[0].id if units else "",
                       is_evaluator=False)


def role_label(role: PersonRole | str) -> str:
    from kpi_desktop.services.messages import role_label as label

    return label(role)


def points_text(value: Any) -> str:
    """Points or a coefficient as written in the catalog: no decimals when whole."""
    from decimal import Decimal

    from kpi_desktop.ui.formatting import number

    whole = Decimal(str(value)) == Decimal(str(value)).to_integral_value()
    return number(value, 0 if whole else 2)


GREY = QColor("#6b7280")
RED = QColor("#b91c1c")


def error_label(name: str) -> QLabel:
    """A red line for a refusal, named for the tests."""
    label = named(data_label(wrap=True), name)
    label.setStyleSheet(ERROR_STYLE)
    return label


class ChangeDialog(QDialog):
    """A dialog whose OK button makes one change: the change runs as an operation on the
    serial lane (``change()`` returns the function, with the widgets' values taken), a refusal
    is shown in the dialog's red line and leaves it open; success stores the result in
    ``self.outcome`` and closes the dialog."""

    def __init__(self, parent: QWidget | None, accept_name: str) -> None:
        super().__init__(parent)
        self.outcome: Any = None
        self.error = error_label(f"{accept_name}_error")
        self.accept_button = named(QPushButton(), accept_name)
        self.cancel_button = QPushButton()
        self.buttons = dialog_buttons(self, own=(self.accept_button, self.cancel_button))

    def lay_out(self, *parts: QWidget | QLayout) -> None:
        """The dialog's parts from the top, then the red line and the buttons."""
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part, 1 if isinstance(part, RecordTableView) else 0)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def change(self) -> Callable[[], Any]:
        raise NotImplementedError

    def accept(self) -> None:
        work = self.change()
        self.accept_button.setEnabled(False)

        def done(result: Any) -> None:
            self.outcome = result
            QDialog.accept(self)

        def refused(error: KpiError) -> None:
            self.error.setText(describe(error))
            self.accept_button.setEnabled(True)

        Op(self, work).success(done).failure(refused).run()


class PreviewDialog(ChangeDialog):
    """A file read and checked row by row (``preview(path)``), shown in a table; the import
    (``change``) is possible only when the check found nothing wrong."""

    def __init__(self, services: Any, path: Any, columns: list[Column[Any]], *,
                 key: Callable[[Any], Any], accept_name: str, table_name: str,
                 row_style: Callable[[Any], RowStyle | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, accept_name)
        self.services = services
        self.path = path
        self.preview: Any = None
        self.setMinimumSize(900, 520)
        self.intro = data_label(wrap=True)
        self.rows = RecordTableView.of(columns, key=key, row_style=row_style, name=table_name)

    def check(self, read: Callable[[], Any], refused_text: str = "") -> bool:
        """Read the file (``read()``); a refusal is shown and disables the import."""
        try:
            self.preview = read()
        except KpiError as error:
            self.intro.setText(self.path.name)
            self.error.setText((refused_text + " " if refused_text else "") + describe(error))
            self.accept_button.setEnabled(False)
            return False
        return True


class AgencyPage(Page):
    """Base of the agency's pages: a message line and a guarded way to run a service call."""

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None, *,
                 heading: Text | None = None) -> None:
        super().__init__(services, user, parent, heading=heading)
        self.message = message_label()

    @property
    def admin(self) -> Any:
        return self.services.agency

    def retranslate_ui(self) -> None:
        """The declared texts, then the page's data again if it is shown (names of roles,
        states… come from the data)."""
        refresh_when_visible(self)

    def show_error(self, error: Exception) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(describe(error) if isinstance(error, KpiError) else str(error))

    def show_ok(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)
        self.status_message.emit(text)

    def attempt(self, action: Callable[[], Any], done: Callable[[Any], str],
                then: Callable[[Any], None] | None = None) -> bool:
        """Run the change ``action`` on the serial lane (it must not read widgets: take their
        values before); a refusal is shown (nothing was changed), success says ``done`` and
        then ``then(result)`` runs. False when the change was refused at once."""

        def succeeded(result: Any) -> None:
            self.show_ok(done(result))
            self.refresh()
            if then is not None:
                then(result)
            self.data_changed.emit()

        task = Op(self, action).success(succeeded).failure(self.show_error).run()
        return not (task.done and task.error is not None)
