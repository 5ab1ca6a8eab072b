"""My assignments: what the leader assigned for the month, and how far it is done."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kpi_desktop.domain.model import Period
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import PeriodPicker, data_label, name_of, refresh_when_visible
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView

OVERDUE = QColor("#b91c1c")


def _qty(value: Any) -> str:
    return formatting.number(value, 0 if value % 1 == 0 else 2)


class AssignmentsPage(Page):
    """My assignments."""

    page_id = "assignments"
    # Asks the window to open the work log with a new entry for this assignment.
    log_requested = Signal(str)

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.today = services.daily.today()
        self.heading = QLabel()
        self.month_label = QLabel()
        self.month = PeriodPicker(self.today)
        self.month.set_period(Period.containing(self.today))  # this month's assignments
        self.table = RecordTableView.of(self._columns(), key=lambda v: v.assignment.id,
                                        name="assignments")
        self.model = self.table.source_model()
        self.summary = data_label(wrap=True)
        self.log_button = QPushButton()
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.month_label)
        top.addWidget(self.month)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.month.changed.connect(self.refresh)
        self.log_button.clicked.connect(self._log)
        self.table.activated.connect(lambda _i: self._log())
        self.retranslate_ui()

    def _columns(self) -> list[Column[Any]]:
        def overdue(view: Any) -> bool:
            return view.remaining > 0 and view.assignment.deadline < self.today

        def tooltip(view: Any) -> str | None:
            if overdue(view):
                return self.tr("Overdue: {n} still to be confirmed").format(
                    n=_qty(view.remaining))
            return view.assignment.note or None

        return [
            Column(lambda: self.tr("Code"), lambda v: v.item.code, tooltip=tooltip),
            Column(lambda: self.tr("Product / work"), lambda v: name_of(v.item),
                   tooltip=lambda v: name_of(v.item), fit=Fit.WRAP, min_chars=24),
            Column(lambda: self.tr("Group"), lambda v: v.item.group.value),
            Column(lambda: self.tr("Coefficient"),
                   lambda v: formatting.number(v.assignment.coefficient), align=RIGHT),
            Column(lambda: self.tr("Assigned"), lambda v: _qty(v.assignment.quantity),
                   align=RIGHT),
            Column(lambda: self.tr("Logged"), lambda v: _qty(v.logged), align=RIGHT),
            Column(lambda: self.tr("Confirmed"), lambda v: _qty(v.confirmed), align=RIGHT),
            Column(lambda: self.tr("Deadline"), lambda v: formatting.date(v.assignment.deadline),
                   sort=lambda v: v.assignment.deadline, tooltip=tooltip,
                   foreground=lambda v: OVERDUE if overdue(v) else None),
        ]

    @property
    def period(self) -> Period:
        return self.month.period()

    def title(self) -> str:
        return self.tr("My assignments")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("What the leader assigned to me") + "</b>")
        self.month_label.setText(self.tr("&Month:"))
        self.month_label.setBuddy(self.month.combo)
        self.log_button.setText(self.tr("Log &work for this assignment"))
        self.log_button.setToolTip(self.tr("Opens the work log with a new entry (Enter)"))
        self.table.retranslate()
        refresh_when_visible(self)

    def refresh(self) -> None:
        today = self.today = self.services.daily.today()
        views = self.services.daily.assignments(self.user.person_id, self.period)
        self.table.set_rows(views)
        units = sum((v.assignment.quantity * v.assignment.coefficient for v in views), 0)
        done = sum((min(v.confirmed, v.assignment.quantity) * v.assignment.coefficient
                    for v in views), 0)
        if views:
            self.summary.setText(self.tr("{n} assignments · {done} of {units} standard units "
                                         "confirmed").format(
                n=len(views), done=formatting.number(done), units=formatting.number(units)))
        else:
            self.summary.setText(self.tr("Nothing was assigned to you this month: the month's "
                                         "score will show “insufficient data”."))
        self.log_button.setEnabled(bool(views) and self.period == Period.containing(today))

    def _log(self) -> None:
        if not self.log_button.isEnabled():
            return
        key = self.table.current_key()
        if key is None and self.table.row_count():
            key = self.table.keys()[0]
        if key is not None:
            self.log_requested.emit(key)
