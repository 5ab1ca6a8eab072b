"""Reconciliation (đối soát) for the chairman, heads and the agency (issue 16 item 16): who has
not logged for N working days, who has not submitted the month, which leader has not confirmed
their people's work or months — by unit, with "Export CSV…"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import Period
from kpi_desktop.services.messages import month_status_label, os_error_text
from kpi_desktop.services.reconciliation import (
    DEFAULT_IDLE_DAYS,
    Reconciliation,
    ReconciliationService,
)
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    Said,
    data_label,
    last_finished,
    mark_data,
    month_periods,
    month_text,
    refresh_when_visible,
    row,
)
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView

_Index = QModelIndex | QPersistentModelIndex
WARN = QColor("#b91c1c")


class ReconciliationPage(Page):
    """Đối soát: who needs a reminder, by unit."""

    page_id = "reconciliation"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr("Who needs a reminder"))
        texts = self.texts
        self.report: Reconciliation | None = None
        today = self.service().today()
        self.period = QComboBox()
        mark_data(self.period)
        for period in month_periods(today, before=11, after=0):
            self.period.addItem(month_text(period), str(period))
        self.period.setCurrentIndex(max(0, self.period.findData(
            str(last_finished(today)))))
        self.period_label = texts.label(lambda: self.tr("&Month:"), buddy=self.period)
        self.idle = QSpinBox()
        self.idle.setRange(1, 60)
        self.idle.setValue(DEFAULT_IDLE_DAYS)
        self.idle_label = texts.label(lambda: self.tr("&Working days without an entry, at least:"),
                                      buddy=self.idle)
        self.only_reminders = texts.check(lambda: self.tr("Only people who need a &reminder"),
                                          checked=True)
        self.export_button = texts.button(lambda: self.tr("E&xport CSV…"), self._choose_export)
        self.summary = data_label(wrap=True)
        self.summary.setObjectName("reconciliationSummary")
        self.message = data_label(wrap=True)
        self.say = Said(self.message)
        self.table = self.texts.table(RecordTableView.of(self._columns(), key=lambda r: r.person_id,
                                        sortable=True, name="reconciliation"))
        self.model = self.table.source_model()
        top = row((self.heading, 1), self.period_label, self.period)
        top.addSpacing(12)
        top.addWidget(self.idle_label)
        top.addWidget(self.idle)
        top.addSpacing(12)
        top.addWidget(self.only_reminders)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.idle.valueChanged.connect(lambda _v: self.refresh())
        self.only_reminders.toggled.connect(lambda _c: self._show())
        self.retranslate_ui()

    def _columns(self) -> list[Column[Any]]:
        def warn(needs: Any) -> Any:
            return lambda r: WARN if self.report is not None and needs(self.report, r) else None

        def leader(text: Any) -> Any:
            return lambda r: text(r) if r.is_leader else ""

        return [
            Column(lambda: self.tr("Unit"), lambda r: r.unit_name, fit=Fit.WRAP, min_chars=14),
            Column(lambda: self.tr("Name"), lambda r: r.person_name, fit=Fit.NAME),
            Column(lambda: self.tr("Evaluator"), lambda r: r.evaluator_name or "–",
                   fit=Fit.NAME),
            Column(lambda: self.tr("Last work logged"),
                   lambda r: formatting.date(r.last_entry) if r.last_entry
                   else self.tr("never"), sort=lambda r: r.last_entry or dt.date.min,
                   foreground=warn(lambda report, r: report.not_logging(r))),
            Column(lambda: self.tr("Days without entry"), lambda r: str(r.idle_days),
                   sort=lambda r: r.idle_days, align=RIGHT,
                   foreground=warn(lambda report, r: report.not_logging(r))),
            Column(lambda: self.tr("The month"), lambda r: month_status_label(r.month_status),
                   foreground=warn(lambda report, r: report.not_submitted(r))),
            Column(lambda: self.tr("Waiting / overdue"),
                   leader(lambda r: f"{r.waiting} / {r.overdue}"),
                   sort=lambda r: (r.overdue, r.waiting), align=RIGHT,
                   foreground=warn(lambda _report, r: r.overdue)),
            Column(lambda: self.tr("Months to confirm"),
                   leader(lambda r: str(r.months_to_confirm)),
                   sort=lambda r: r.months_to_confirm, align=RIGHT,
                   foreground=warn(lambda _report, r: r.months_to_confirm)),
        ]

    def service(self) -> ReconciliationService:
        return self.services.reconciliation

    def title(self) -> str:
        return self.tr("Reconciliation")

    def retranslate_ui(self) -> None:
        self.say.again()  # what the last action said, in the new language
        refresh_when_visible(self)

    def refresh(self) -> None:
        period = Period.parse(self.period.currentData())
        self.report = self.service().report(self.user.person_id, period,
                                            idle_limit=self.idle.value())
        self._show()

    def shown_rows(self) -> list[Any]:
        if self.report is None:
            return []
        rows = list(self.report.rows)
        if self.only_reminders.isChecked():
            rows = [r for r in rows if self.report.needs_reminder(r)]
        return rows

    def _show(self) -> None:
        if self.report is None:
            return
        rows = self.shown_rows()
        self.table.set_rows(rows)
        idle, unsubmitted, behind = self.report.counts()
        sentence = self.tr(
            "{month}: {idle} of {n} people have logged nothing for a working day or more; "
            "{unsubmitted} have not submitted the month; {behind} leaders have overdue "
            "entries or months to confirm.") if self.report.idle_limit == 1 else self.tr(
            "{month}: {idle} of {n} people have logged nothing for {days} working days or "
            "more; {unsubmitted} have not submitted the month; {behind} leaders have overdue "
            "entries or months to confirm.")
        self.summary.setText(sentence.format(
            month=month_text(self.report.period), idle=idle, n=len(self.report.rows),
            days=self.report.idle_limit, unsubmitted=unsubmitted, behind=behind))

    def _choose_export(self) -> None:
        if self.report is None:
            return
        suggested = Path.home() / f"DoiSoat_{self.report.period}.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the reconciliation"),
                                              str(suggested), self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        """Write the rows shown as CSV; the message names the file and the count."""
        if self.report is None:
            return None
        rows = self.shown_rows()
        try:
            written = self.service().write_csv(self.report, path, rows)
        except OSError as error:
            failed = error  # kept for the sentence after a language switch
            self.say(lambda: self.tr("The file was not written: {reason}").format(
                reason=os_error_text(failed)), "#b91c1c")
            return None
        period = self.report.period
        self.say(lambda: self.tr("{n} people of {month} written to {path}.").format(
            n=len(rows), month=month_text(period), path=written), "#15803d")
        self.status_message.emit(self.message.text())
        return written
