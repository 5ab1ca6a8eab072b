"""A person's leave (Điều 11.2): the records of the year, a new one, removal with a reason.

Opened by a leader from the unit view (for a person they evaluate, or by the chairman for
anyone) and by the agency administrator from the People page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import LeaveKind
from kpi_desktop.services.leave import leave_kind_label
from kpi_desktop.services.messages import describe
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    LeaderReasonDialog,
    Texts,
    date_format,
    dialog_buttons,
    from_qdate,
    row,
    to_qdate,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.tables import Column, Fit, RecordTableView


class LeaveRecordDialog(QDialog):
    """The leave of one person: list, add, remove."""

    changed = Signal()

    def __init__(self, services: Any, actor_id: str, person_id: str, person_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor_id = actor_id
        self.person_id = person_id
        self.person_name = person_name
        today = services.clock.today()
        self.setMinimumWidth(640)
        self.texts = texts = Texts()
        self.heading = texts.label(lambda: self.tr(
            "Sick and maternity leave (social insurance) and unpaid personal leave (Article "
            "11.2): months entirely on leave do not enter the mean of the year."), wrap=True)
        self.table = RecordTableView.of([
            Column(lambda: self.tr("Kind"), lambda r: leave_kind_label(r.kind)),
            Column(lambda: self.tr("From"), lambda r: formatting.date(r.start_on),
                   sort=lambda r: r.start_on),
            Column(lambda: self.tr("To"), lambda r: formatting.date(r.end_on),
                   sort=lambda r: r.end_on),
            Column(lambda: self.tr("Decision"), lambda r: r.decision_no or ""),
            Column(lambda: self.tr("Note"), lambda r: r.note or "", fit=Fit.WRAP),
        ], key=lambda r: r.id, name="leave")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.remove_button = texts.button(lambda: self.tr("Re&move…"), self.remove_selected)

        self.form_box = texts.box(lambda: self.tr("Record leave"))
        self.kind = QComboBox()
        for kind in LeaveKind:
            self.kind.addItem(leave_kind_label(kind), kind.value)
        self.start = QDateEdit(to_qdate(today))
        self.end = QDateEdit(to_qdate(today))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.decision = QLineEdit()
        self.note = QLineEdit()
        form, labels = texts.form(self.form_box, [
            (lambda: self.tr("&Kind:"), self.kind), (lambda: self.tr("&From:"), self.start),
            (lambda: self.tr("&To:"), self.end),
            (lambda: self.tr("&Decision number:"), self.decision),
            (lambda: self.tr("&Note:"), self.note)])
        (self.kind_label, self.start_label, self.end_label, self.decision_label,
         self.note_label) = labels
        self.add_button = texts.button(lambda: self.tr("&Record"), self.add)
        self.add_button.setDefault(True)
        form.addRow(self.add_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = dialog_buttons(self, close=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(row((self.summary, 1), self.remove_button))
        layout.addWidget(self.form_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Leave of {name}").format(name=self.person_name))
        self.texts.apply()
        self.table.retranslate()

    def refresh(self) -> None:
        self.records = self.services.leave.list(self.person_id)
        self.table.set_rows(self.records)
        year = self.services.clock.today().year
        months = self.services.leave.year(self.person_id, year).months_on_leave
        self.summary.setText(self.tr("Months entirely on leave in {year}: {n}").format(
            year=year, n=len(months)))
        self.remove_button.setEnabled(bool(self.records))

    def _show(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet("color: #b91c1c" if error else "color: #15803d")
        self.message.setText(text)

    def add(self) -> bool:
        leave, actor, person, kind = (self.services.leave, self.actor_id, self.person_id,
                                      self.kind.currentData())
        values = dict(start_on=from_qdate(self.start.date()), end_on=from_qdate(self.end.date()),
                      decision_no=self.decision.text(), note=self.note.text())
        try:  # on the serial lane (the dialog keeps painting)
            record = Op(self, lambda: leave.add(actor, person, kind, **values)).wait()
        except KpiError as error:
            self._show(describe(error), error=True)
            return False
        self._show(self.tr("Leave of {name} recorded: {kind}, {start} – {end}.").format(
            name=self.person_name, kind=leave_kind_label(record.kind),
            start=formatting.date(record.start_on), end=formatting.date(record.end_on)),
            error=False)
        self.decision.clear()
        self.note.clear()
        self.refresh()
        self.changed.emit()
        return True

    def remove_selected(self, reason: str | None = None) -> bool:
        record = self.table.current_record()
        if record is None:
            return False
        if not isinstance(reason, str):
            dialog = LeaderReasonDialog(self.tr("Remove leave"),
                                        self.tr("Why is this leave removed?"), None, self)
            if not dialog.exec():
                return False
            reason = dialog.reason()
        leave, actor, chosen = self.services.leave, self.actor_id, record.id
        try:  # on the serial lane
            Op(self, lambda: leave.remove(actor, chosen, reason)).wait()
        except KpiError as error:
            self._show(describe(error), error=True)
            return False
        self._show(self.tr("Leave of {name} removed.").format(name=self.person_name),
                   error=False)
        self.refresh()
        self.changed.emit()
        return True
