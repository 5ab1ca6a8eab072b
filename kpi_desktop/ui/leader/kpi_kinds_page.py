"""Work by KPI kind (seed 001): assigned and completed tasks and points per person and for the
unit, split into spearhead, hard, soft and untagged KPIs, for a month, quarter or year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Period
from kpi_desktop.services.kpi_kinds import KIND_KEYS, ad_hoc_label, kpi_kind_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.charts import Bar, BarChart
from kpi_desktop.ui.common import mark_data, name_of, period_text, row, show_error
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView, RowStyle

PERSON, AD_HOC, TOTAL = "person", "ad_hoc", "total"

KIND_COLOURS = {"spearhead": QColor("#b91c1c"), "hard": QColor("#2563eb"),
                "soft": QColor("#15803d"), "untagged": QColor("#6b7280")}


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
        top = row(self.unit_label, self.unit, self.period_label, self.period, None,
                  self.export_button)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.table = RecordTableView.of(
            [Column(lambda: self.tr("Person"), lambda r: r[1], fit=Fit.NAME)]
            + [self._kind_column(key) for key in KIND_KEYS],
            key=lambda r: r[3], name="kinds", row_style=self._row_style)
        self.chart = BarChart(lambda: self.tr("Points completed of points assigned, by KPI "
                                              "kind"), figure_sample="000 000 / 000 000")
        self.chart.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.chart, 1)
        self.retranslate_ui()

    def _kind_column(self, key: str) -> Column[Any]:
        def text(record: tuple[str, str, Any, str]) -> str:
            figures = record[2][key]
            done = formatting.number(figures.completed_points, 0)
            if record[0] == AD_HOC:  # nothing assigned: completed tasks · points only
                return f"{figures.completed_count} · {done}"
            return (f"{figures.completed_count}/{figures.assigned_count} · {done}/"
                    f"{formatting.number(figures.assigned_points, 0)}")

        return Column(lambda: kpi_kind_label(key).capitalize(), text, align=RIGHT,
                      sort=lambda r: r[2][key].completed_points)

    def _row_style(self, record: tuple[str, str, Any, str]) -> RowStyle | None:
        if record[0] == TOTAL:
            return RowStyle(bold=True)
        if record[0] == AD_HOC:
            return RowStyle(italic=True, tooltip=self.tr(
                "Confirmed work outside assignments: completed tasks · completed points"))
        return None

    def title(self) -> str:
        return self.tr("Work by KPI kind")

    def _fill_periods(self) -> None:
        classification = getattr(self.services, "classification", None)
        today = classification.today() if classification is not None else dt.date.today()
        chosen = self.period.currentData()
        current = Period.containing(today)
        periods = [Period.whole_year(today.year)] + [
            Period.quarter(today.year, q) for q in range(4, 0, -1)] + [
            current.shifted(-step) for step in range(12)]
        self.period.blockSignals(True)
        self.period.clear()
        for period in periods:
            self.period.addItem(period_text(period), str(period))
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
        self.table.retranslate()
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
        self.table.set_rows(
            [(PERSON, r.person.full_name, r.kinds, r.person.id) for r in self._report.people]
            + [(AD_HOC, ad_hoc_label().capitalize(), self._report.ad_hoc, AD_HOC),
               (TOTAL, self.tr("Unit total"), self._report.totals, TOTAL)])
        totals = self._report.totals
        self.chart.set_bars([Bar(
            kpi_kind_label(key).capitalize(),
            float(totals[key].completed_points) if key in totals else 0.0, KIND_COLOURS[key],
            f"{formatting.number(totals[key].completed_points, 0)} / "
            f"{formatting.number(totals[key].assigned_points, 0)}" if key in totals else "",
            float(totals[key].assigned_points) if key in totals else 0.0)
            for key in KIND_KEYS])

    def print_request(self) -> PrintRequest:
        return PrintRequest(unit_id=self.unit.currentData(),
                            period=Period.parse(self.period.currentData()), kind="unit")

    def export_csv(self, path: str | None = None) -> bool:
        if self._report is None:
            return False
        if path is None:
            suggested = Path.home() / f"kpi-kinds-{self._report.unit_id}-{self._report.period}.csv"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), str(suggested),
                                                  self.tr("CSV files (*.csv)"))
            if not path:
                return False
        report, service = self._report, self.services.kpi_kinds
        task = Op(self, lambda: service.write_csv(report, path)) \
            .failure(lambda error: show_error(self, self.tr("Export CSV"), error)) \
            .success(lambda written: self.status_message.emit(
                self.tr("Written {path}").format(path=written))).run()
        return not (task.done and task.error is not None)
