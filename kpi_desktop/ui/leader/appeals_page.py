"""The appeals the leader must decide (Điều 22): a countdown in working days to each deadline,
overdue ones highlighted, and the decision dialog (upheld, or changed with the new values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import GENERAL_CRITERIA, Level, PeriodKind
from kpi_desktop.services.appeals import deadline_text, status_label
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    OVERDUE_BACKGROUND,
    data_label,
    date_edit,
    dialog_buttons,
    error_text,
    from_qdate,
    number_locale,
    row,
    show_error,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.appeals_page import AppealDetail, period_text, result_text
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import ID_ROLE as ID_ROLE
from kpi_desktop.ui.tables import Column, Fit, RecordTableView, RowStyle

try:  # the official's side names the criteria (issue 3)
    from kpi_desktop.services.self_assessment import criterion_title
except ImportError:  # pragma: no cover - before that service exists
    def criterion_title(code: str) -> str:
        return code

DUE_SOON = QColor("#fef3c7")
LATE = QColor("#b91c1c")


class LeaderAppealsPage(Page):
    """Appeals of the people the leader evaluates, nearest deadline first."""

    page_id = "leader.appeals"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._views: list[Any] = []
        self.summary = data_label(wrap=True)
        self.show_decided = QCheckBox()
        self.show_decided.toggled.connect(self.refresh)
        self.table = RecordTableView.of([
            Column(lambda: self.tr("Person"), lambda v: v.person_name, fit=Fit.NAME),
            Column(lambda: self.tr("Period"), lambda v: period_text(v.appeal.period),
                   sort=lambda v: v.appeal.period.start),
            Column(lambda: self.tr("Received"), lambda v: formatting.date(v.appeal.received_on),
                   sort=lambda v: v.appeal.received_on),
            Column(lambda: self.tr("Deadline"), lambda v: formatting.date(v.deadline),
                   sort=lambda v: v.deadline),
            Column(lambda: self.tr("Time left"), deadline_text, fit=Fit.WRAP, min_chars=12,
                   foreground=lambda v: LATE if v.overdue else None),
            Column(lambda: self.tr("Status"), lambda v: status_label(v.appeal.status),
                   fit=Fit.WRAP, min_chars=8),
        ], key=lambda v: v.appeal.id, name="appeals", row_style=self._row_style)
        self.table.current_changed.connect(lambda _key: self._show_selected())
        self.table.doubleClicked.connect(lambda _index: self.decide_selected())

        self.decide_button = QPushButton()
        self.decide_button.clicked.connect(self.decide_selected)
        self.detail_box = AppealDetail(services, (
            "person", "reason", "deadline", "result", "decision", "history"),
            self.decide_button)
        self.d_history = self.detail_box.values["history"]

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row(self.summary, self.show_decided))
        layout.itemAt(0).layout().setStretch(0, 1)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    @staticmethod
    def _row_style(view: Any) -> RowStyle | None:
        if view.overdue:
            return RowStyle(background=OVERDUE_BACKGROUND)
        if view.is_open and view.days_left is not None and view.days_left <= 2:
            return RowStyle(background=DUE_SOON)
        return None

    def title(self) -> str:
        return self.tr("Appeals to decide")

    def retranslate_ui(self) -> None:
        self.show_decided.setText(self.tr("Show decided appeals"))
        self.table.retranslate()
        self.decide_button.setText(self.tr("Decide…"))
        self.refresh()

    # ------------------------------------------------------------------ data -------------
    def refresh(self) -> None:
        try:
            self._views = self.services.appeals.for_decider(
                self.user.person_id, include_decided=self.show_decided.isChecked())
        except KpiError as error:
            self.status_message.emit(error_text(error))
            self._views = []
        open_views = [v for v in self._views if v.is_open]
        overdue = sum(v.overdue for v in open_views)
        self.summary.setText(self.tr(
            "{n} appeals wait for your decision; {late} past the 7-working-day deadline "
            "(Article 22).").format(n=len(open_views), late=overdue))
        self.table.show_rows(self._views)
        self._show_selected()

    def _show_selected(self) -> None:
        view = self.table.current_record()
        self.detail_box.show_view(view)
        self.decide_button.setEnabled(view is not None and view.can_decide)

    # ------------------------------------------------------------------ actions ----------
    def decide_selected(self) -> None:
        view = self.table.current_record()
        if view is None or not view.can_decide:
            return
        context = self.services.appeals.decision_context(view.appeal.id)
        self._ask(DecideDialog(view, context, self.services.appeals.today(), self), view)

    def _ask(self, dialog: DecideDialog, view: Any) -> None:
        """Record the decision of ``dialog``; a refusal is shown and the dialog comes back."""
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        service, me, values = self.services.appeals, self.user.person_id, dialog.values()

        def refused(error: KpiError) -> None:
            show_error(self, self.tr("Appeal not decided"), error)
            self._ask(dialog, view)

        def decided(_result: Any) -> None:
            self.status_message.emit(self.tr("The decision on the appeal was recorded: "
                                             "{name}, {period}.").format(
                name=view.person_name, period=period_text(view.appeal.period)))
            self.refresh()
            self.data_changed.emit()

        Op(self, lambda: service.decide(me, view.appeal.id, **values)) \
            .failure(refused).success(decided).run()


class DecideDialog(QDialog):
    """Upheld, or changed: new general criteria (and đ/e) of a month, or a new level."""

    def __init__(self, view: Any, context: Any, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Decide the appeal"))
        self.setMinimumWidth(800)
        self._year = view.appeal.period.kind is PeriodKind.YEAR
        layout = QVBoxLayout(self)
        heading = data_label(f"{view.person_name} — {period_text(view.appeal.period)}: "
                             f"{result_text(view.current_total, view.current_level)}",
                             wrap=True)
        layout.addWidget(heading)
        reason = data_label(view.appeal.reason, wrap=True)
        reason.setStyleSheet("color: #374151; font-style: italic;")
        layout.addWidget(reason)
        self.upheld = QRadioButton(self.tr("Uphold the result"))
        self.changed = QRadioButton(self.tr("Change the result"))
        self.upheld.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.upheld)
        group.addButton(self.changed)
        layout.addLayout(row(self.upheld, self.changed, None))

        self.change_box = QGroupBox(self.tr("New result"))
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.dd = QComboBox()
        self.e = QComboBox()
        self.level = QComboBox()
        self.decision_no = QLineEdit()
        self.decision_date = date_edit(today)
        if self._year:
            form = QFormLayout(self.change_box)
            for level in Level:
                self.level.addItem(level_label(level), level.value)
            current = context.classification
            if current is not None and current.decided_level is not None:
                self.level.setCurrentIndex(self.level.findData(current.decided_level.value))
            form.addRow(self.tr("Level"), self.level)
            form.addRow(self.tr("Replacement decision No."), self.decision_no)
            form.addRow(self.tr("Decision date"), self.decision_date)
        else:
            grid = QGridLayout(self.change_box)
            evaluation = context.evaluation
            confirmed = dict(evaluation.confirmed_criteria) if evaluation else {}
            for line, criterion in enumerate(GENERAL_CRITERIA):
                label = QLabel(f"{criterion.code} {criterion_title(criterion.code)}")
                label.setToolTip(label.text())
                spin = QDoubleSpinBox()
                spin.setLocale(number_locale())
                spin.setRange(0, float(criterion.max_points))
                spin.setSingleStep(0.5)
                spin.setDecimals(2)
                spin.setValue(float(confirmed.get(criterion.code, 0)))
                grid.addWidget(label, line, 0)
                grid.addWidget(spin, line, 1)
                self.spins[criterion.code] = spin
            grid.setColumnStretch(0, 1)
            if context.is_leader and evaluation is not None:
                for combo, current in ((self.dd, evaluation.dd), (self.e, evaluation.e)):
                    combo.addItem("100 %", "100")
                    combo.addItem("50 %", "50")
                    if current is not None and int(current) == 50:
                        combo.setCurrentIndex(1)
                line = len(GENERAL_CRITERIA)
                grid.addWidget(QLabel(self.tr("đ: organising the work")), line, 0)
                grid.addWidget(self.dd, line, 1)
                grid.addWidget(QLabel(self.tr("e: rallying and uniting the staff")), line + 1, 0)
                grid.addWidget(self.e, line + 1, 1)
                self._factors = (str(int(evaluation.dd or 100)), str(int(evaluation.e or 100)))
            else:
                self.dd.hide()
                self.e.hide()
                self._factors = None
        self.change_box.setEnabled(False)
        self.changed.toggled.connect(self.change_box.setEnabled)
        layout.addWidget(self.change_box)
        layout.addWidget(QLabel(self.tr("Decision (content and grounds)")))
        self.decision = QPlainTextEdit()
        self.decision.setTabChangesFocus(True)
        self.decision.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        layout.addWidget(self.decision)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, accept=self._accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record the decision"))
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.decision.toPlainText().strip():
            self.error.setText(self.tr("Write the decision first."))
            self.decision.setFocus()
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        """Keyword arguments of :meth:`AppealService.decide` (without actor and appeal)."""
        values: dict[str, Any] = {"decision": self.decision.toPlainText(),
                                  "outcome": "changed" if self.changed.isChecked()
                                  else "upheld"}
        if not self.changed.isChecked():
            return values
        if self._year:
            values.update(level=self.level.currentData(), decision_no=self.decision_no.text(),
                          decision_date=from_qdate(self.decision_date.date()))
            return values
        values["criteria"] = {code: Decimal(str(round(spin.value(), 2)))
                              for code, spin in self.spins.items()}
        if self._factors is not None:
            chosen = (self.dd.currentData(), self.e.currentData())
            if chosen != self._factors:
                values.update(dd=chosen[0], e=chosen[1])
        return values


__all__ = ["DecideDialog", "LeaderAppealsPage"]
