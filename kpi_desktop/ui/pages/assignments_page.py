"""My assignments: what the leader assigned for the month, and how far it is done."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import Period
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import data_label, mark_data, name_of, refresh_when_visible
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.pages.score_page import month_name

_Index = QModelIndex | QPersistentModelIndex


def _qty(value: Any) -> str:
    return formatting.number(value, 0 if value % 1 == 0 else 2)


class AssignmentModel(QAbstractTableModel):
    COLUMNS = 8

    def __init__(self, today: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views: list[Any] = []
        self.today = today

    def set_views(self, views: list[Any]) -> None:
        self.beginResetModel()
        self.views = list(views)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.views)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [self.tr("Code"), self.tr("Product / work"), self.tr("Group"),
                self.tr("Coefficient"), self.tr("Assigned"), self.tr("Logged"),
                self.tr("Confirmed"), self.tr("Deadline")][section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self.views[index.row()]
        a = view.assignment
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [view.item.code, name_of(view.item), view.item.group.value,
                    formatting.number(a.coefficient), _qty(a.quantity), _qty(view.logged),
                    _qty(view.confirmed), formatting.date(a.deadline)][column]
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        overdue = view.remaining > 0 and a.deadline < self.today
        if role == Qt.ItemDataRole.ForegroundRole and column == 7 and overdue:
            return QColor("#b91c1c")
        if role == Qt.ItemDataRole.ToolTipRole:
            if view.remaining > 0 and a.deadline < self.today:
                return self.tr("Overdue: {n} still to be confirmed").format(
                    n=_qty(view.remaining))
            if a.note:
                return a.note
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= column <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AssignmentsPage(Page):
    """My assignments."""

    page_id = "assignments"
    #: Asks the window to open the work log with a new entry for this assignment.
    log_requested = Signal(str)

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.period = Period.containing(services.daily.today())
        self.heading = QLabel()
        self.month_label = QLabel()
        self.month = QComboBox()
        mark_data(self.month)
        self.table = QTableView()
        self.model = AssignmentModel(services.daily.today(), self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
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
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.log_button.clicked.connect(self._log)
        self.table.activated.connect(lambda _i: self._log())
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("My assignments")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("What the leader assigned to me") + "</b>")
        self.month_label.setText(self.tr("&Month:"))
        self.month_label.setBuddy(self.month)
        self.log_button.setText(self.tr("Log &work for this assignment"))
        self.log_button.setToolTip(self.tr("Opens the work log with a new entry (Enter)"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          AssignmentModel.COLUMNS - 1)
        refresh_when_visible(self)

    def _month_chosen(self, _index: int) -> None:
        data = self.month.currentData()
        if data:
            self.period = Period.parse(data)
            self.refresh()

    def refresh(self) -> None:
        today = self.services.daily.today()
        self.month.blockSignals(True)
        self.month.clear()
        month = Period.containing(today).shifted(-11)
        while month <= Period.containing(today):
            self.month.insertItem(0, month_name(month), str(month))
            month = month.next()
        self.month.setCurrentIndex(max(0, self.month.findData(str(self.period))))
        self.month.blockSignals(False)
        views = self.services.daily.assignments(self.user.person_id, self.period)
        self.model.set_views(views)
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
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid() and self.log_button.isEnabled():
            self.log_requested.emit(self.model.index(index.row(), 0).data(
                Qt.ItemDataRole.UserRole))
