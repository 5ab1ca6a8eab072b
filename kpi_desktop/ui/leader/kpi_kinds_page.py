"""Work by KPI kind (seed 001): assigned and completed tasks and points per person and for the
unit, split into spearhead, hard, soft and untagged KPIs, for a month, quarter or year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Period
from kpi_desktop.services.kpi_kinds import KIND_KEYS, ad_hoc_label, kpi_kind_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import mark_data, month_text, name_of, show_error
from kpi_desktop.ui.pages.base import Page, UserContext

KIND_COLOURS = {"spearhead": QColor("#b91c1c"), "hard": QColor("#2563eb"),
                "soft": QColor("#15803d"), "untagged": QColor("#6b7280")}


class KindChart(QWidget):
    """The unit's assigned and completed points per kind, as bars (drawn with QPainter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.totals: dict[str, Any] = {}
        self.setMinimumHeight(150)

    def set_totals(self, totals: dict[str, Any]) -> None:
        self.totals = dict(totals)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        rect = self.rect().adjusted(10, 8, -10, -8)
        metrics = painter.fontMetrics()
        line = metrics.height()
        text = self.palette().text().color()
        painter.setPen(text)
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft,
                         self.tr("Points completed of points assigned, by KPI kind"))
        labels = [kpi_kind_label(k).capitalize() for k in KIND_KEYS]
        label_width = max(metrics.horizontalAdvance(t) for t in labels) + 10
        top = rect.top() + line + 8
        slot = (rect.bottom() - top) / len(KIND_KEYS)
        biggest = max((float(self.totals[k].assigned_points) for k in KIND_KEYS
                       if k in self.totals), default=0.0) or 1.0
        width = rect.width() - label_width - metrics.horizontalAdvance("000 000 / 000 000 ")
        for index, key in enumerate(KIND_KEYS):
            y = top + index * slot
            bar = min(slot - 6, 1.6 * line)
            painter.setPen(text)
            painter.drawText(QRectF(rect.left(), y, label_width, bar),
                             Qt.AlignmentFlag.AlignVCenter, labels[index])
            figures = self.totals.get(key)
            if figures is None:
                continue
            assigned = float(figures.assigned_points) / biggest * width
            done = float(figures.completed_points) / biggest * width
            colour = KIND_COLOURS[key]
            light = QColor(colour)
            light.setAlpha(60)
            x = rect.left() + label_width
            painter.fillRect(QRectF(x, y, assigned, bar), light)
            painter.fillRect(QRectF(x, y, done, bar), colour)
            painter.setPen(text)
            painter.drawText(QRectF(x + assigned + 6, y, rect.right() - x - assigned, bar),
                             Qt.AlignmentFlag.AlignVCenter,
                             f"{formatting.number(figures.completed_points, 0)} / "
                             f"{formatting.number(figures.assigned_points, 0)}")


class KpiKindsPage(Page):
    """The assigned/completed report by KPI kind for the leader's unit."""

    page_id = "leader.kpi_kinds"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._report: Any = None
        self.unit_label = QLabel()
        self.unit = QComboBox()
        mark_data(self.unit)
        for unit in services.org_evaluation.units(user.person_id):
            self.unit.addItem(name_of(unit), unit.id)
        self.unit.currentIndexChanged.connect(self.refresh)
        self.period_label = QLabel()
        self.period = QComboBox()
        self.period.currentIndexChanged.connect(self.refresh)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.export_csv())
        top = QHBoxLayout()
        top.addWidget(self.unit_label)
        top.addWidget(self.unit)
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, 1 + len(KIND_KEYS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        mark_data(self.table)
        self.chart = KindChart()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.chart, 1)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Work by KPI kind")

    def _fill_periods(self) -> None:
        classification = getattr(self.services, "classification", None)
        today = classification.today() if classification is not None else dt.date.today()
        chosen = self.period.currentData()
        self.period.blockSignals(True)
        self.period.clear()
        year = today.year
        self.period.addItem(self.tr("Year {year}").format(year=year), str(year))
        for quarter in range(4, 0, -1):
            self.period.addItem(self.tr("Quarter {q}/{year}").format(q=quarter, year=year),
                                f"{year}-Q{quarter}")
        current = Period.containing(today)
        for step in range(0, 12):
            month = current.shifted(-step)
            self.period.addItem(month_text(month), str(month))
        self.period.setCurrentIndex(max(0, self.period.findData(chosen)) if chosen else 0)
        self.period.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.unit_label.setText(self.tr("Unit:"))
        self.period_label.setText(self.tr("Period:"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.hint.setText(self.tr(
            "Each cell: completed / assigned tasks · completed / assigned points. A task is "
            "completed when its confirmed quantity reaches the assigned one.") + " " + self.tr(
            "Work outside assignments (ad hoc or taken over, Article 18.1d) has its own row, "
            "by the kind of its catalog item: it adds completed tasks and points to the unit "
            "total, outside the assigned total."))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Person")] + [kpi_kind_label(k).capitalize() for k in KIND_KEYS])
        self._fill_periods()
        self.refresh()

    def refresh(self) -> None:
        unit_id = self.unit.currentData()
        if not unit_id or not self.period.currentData():
            return
        try:
            self._report = self.services.kpi_kinds.report(unit_id, self.period.currentData())
        except KpiError as error:
            show_error(self, self.title(), error)
            return
        rows = [(r.person.full_name, r.kinds) for r in self._report.people]
        rows.append((ad_hoc_label().capitalize(), self._report.ad_hoc))
        rows.append((self.tr("Unit total"), self._report.totals))
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        ad_hoc_row = len(rows) - 2
        for index, (name, kinds) in enumerate(rows):
            if index == ad_hoc_row:  # nothing assigned: completed tasks · points only
                cells = [name] + [f"{kinds[k].completed_count} · "
                                  f"{formatting.number(kinds[k].completed_points, 0)}"
                                  for k in KIND_KEYS]
            else:
                cells = [name] + [
                    f"{kinds[k].completed_count}/{kinds[k].assigned_count} · "
                    f"{formatting.number(kinds[k].completed_points, 0)}/"
                    f"{formatting.number(kinds[k].assigned_points, 0)}" for k in KIND_KEYS]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if index == len(rows) - 1:
                    cell.setFont(bold)
                if index == ad_hoc_row:
                    font = QFont(self.font())
                    font.setItalic(True)
                    cell.setFont(font)
                    cell.setToolTip(self.tr("Confirmed work outside assignments: completed "
                                            "tasks · completed points"))
                self.table.setItem(index, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart.set_totals(self._report.totals)

    def export_csv(self, path: str | None = None) -> bool:
        if self._report is None:
            return False
        if path is None:
            suggested = Path.home() / f"kpi-kinds-{self._report.unit_id}-{self._report.period}.csv"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), str(suggested),
                                                  self.tr("CSV files (*.csv)"))
            if not path:
                return False
        try:
            written = self.services.kpi_kinds.write_csv(self._report, path)
        except KpiError as error:
            show_error(self, self.tr("Export CSV"), error)
            return False
        self.status_message.emit(self.tr("Written {path}").format(path=written))
        return True
