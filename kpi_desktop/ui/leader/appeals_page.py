"""The appeals the leader must decide (Điều 22): a countdown in working days to each deadline,
overdue ones highlighted, and the decision dialog (upheld, or changed with the new values)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import GENERAL_CRITERIA, Level, PeriodKind
from kpi_desktop.services.appeals import deadline_text, outcome_label, status_label
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    OVERDUE_BACKGROUND,
    data_label,
    date_format,
    error_text,
    from_qdate,
    mark_data,
    number_locale,
    show_error,
    to_qdate,
)
from kpi_desktop.ui.pages.appeals_page import history_html, period_text, result_text
from kpi_desktop.ui.pages.base import Page, UserContext

try:  # the official's side names the criteria (issue 3)
    from kpi_desktop.services.self_assessment import criterion_title
except ImportError:  # pragma: no cover - before that service exists
    def criterion_title(code: str) -> str:
        return code

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DUE_SOON = QColor("#fef3c7")


class LeaderAppealsPage(Page):
    """Appeals of the people the leader evaluates, nearest deadline first."""

    page_id = "leader.appeals"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._views: list[Any] = []
        self.summary = data_label(wrap=True)
        self.show_decided = QCheckBox()
        self.show_decided.toggled.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_decided)

        self.table = QTableWidget(0, 6)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.doubleClicked.connect(lambda _index: self.decide_selected())
        mark_data(self.table)

        self.detail_box = QGroupBox()
        detail = QFormLayout(self.detail_box)
        detail.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._labels = [QLabel() for _ in range(6)]
        self.d_person = data_label(wrap=True)
        self.d_reason = data_label(wrap=True)
        self.d_deadline = data_label(wrap=True)
        self.d_result = data_label(wrap=True)
        self.d_decision = data_label(wrap=True)
        self.d_history = data_label(wrap=True)
        self.d_history.setTextFormat(Qt.TextFormat.RichText)
        for label, value in zip(self._labels, [self.d_person, self.d_reason, self.d_deadline,
                                               self.d_result, self.d_decision, self.d_history],
                                strict=True):
            detail.addRow(label, value)
        self.decide_button = QPushButton()
        self.decide_button.clicked.connect(self.decide_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.decide_button)
        detail.addRow(row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Appeals to decide")

    def retranslate_ui(self) -> None:
        self.show_decided.setText(self.tr("Show decided appeals"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Person"), self.tr("Period"), self.tr("Received"), self.tr("Deadline"),
            self.tr("Time left"), self.tr("Status")])
        self.detail_box.setTitle(self.tr("Appeal"))
        for label, text in zip(self._labels, [
                self.tr("Person"), self.tr("Reason"), self.tr("Deadline"),
                self.tr("Result now"), self.tr("Decision"), self.tr("History")], strict=True):
            label.setText(text)
        self.decide_button.setText(self.tr("Decide…"))
        self.refresh()

    # ------------------------------------------------------------------ data -------------
    def refresh(self) -> None:
        try:
            self._views = self.services.appeals.for_decider(
                self.user.person_id, include_decided=self.show_decided.isChecked())
        except Exception as error:  # noqa: BLE001 - shown in the status bar
            self.status_message.emit(error_text(error))
            self._views = []
        selected = self.selected_id()
        open_views = [v for v in self._views if v.is_open]
        overdue = sum(v.overdue for v in open_views)
        self.summary.setText(self.tr(
            "{n} appeals wait for your decision; {late} past the 7-working-day deadline "
            "(Article 22).").format(n=len(open_views), late=overdue))
        self.table.setRowCount(len(self._views))
        for row, view in enumerate(self._views):
            appeal = view.appeal
            cells = [view.person_name, period_text(appeal.period),
                     formatting.date(appeal.received_on), formatting.date(view.deadline),
                     deadline_text(view), status_label(appeal.status)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, appeal.id)
                if view.overdue:
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    if column == 4:
                        item.setForeground(QBrush(QColor("#b91c1c")))
                elif view.is_open and view.days_left is not None and view.days_left <= 2:
                    item.setBackground(QBrush(DUE_SOON))
                self.table.setItem(row, column, item)
        if self._views:
            index = next((i for i, v in enumerate(self._views) if v.appeal.id == selected), 0)
            self.table.selectRow(index)
        self._show_selected()

    def selected_id(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def _selected_view(self) -> Any:
        chosen = self.selected_id()
        return next((v for v in self._views if v.appeal.id == chosen), None)

    def _show_selected(self) -> None:
        view = self._selected_view()
        values = (self.d_person, self.d_reason, self.d_deadline, self.d_result,
                  self.d_decision, self.d_history)
        if view is None:
            for label in values:
                label.setText("")
            self.decide_button.setEnabled(False)
            return
        appeal = view.appeal
        self.d_person.setText(f"{view.person_name} — {period_text(appeal.period)}")
        self.d_reason.setText(appeal.reason)
        self.d_deadline.setText(f"{formatting.date(view.deadline)} ({deadline_text(view)})"
                                if view.deadline else "–")
        self.d_result.setText(result_text(view.current_total, view.current_level))
        decision = appeal.decision or "–"
        if appeal.outcome is not None:
            decision = f"{outcome_label(appeal.outcome)}: {decision}"
        self.d_decision.setText(decision)
        history = self.services.appeals.result_history(appeal.person_id, appeal.period)
        self.d_history.setText(history_html(view, history))
        self.decide_button.setEnabled(view.can_decide)

    # ------------------------------------------------------------------ actions ----------
    def decide_selected(self) -> None:
        view = self._selected_view()
        if view is None or not view.can_decide:
            return
        context = self.services.appeals.decision_context(view.appeal.id)
        dialog = DecideDialog(view, context, self.services.appeals.today(), self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.services.appeals.decide(self.user.person_id, view.appeal.id,
                                             **dialog.values())
            except Exception as error:  # noqa: BLE001 - shown, the dialog stays open
                show_error(self, self.tr("Appeal not decided"), error)
                continue
            self.status_message.emit(self.tr("The decision on the appeal was recorded."))
            self.refresh()
            self.data_changed.emit()
            return


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
        choice = QHBoxLayout()
        choice.addWidget(self.upheld)
        choice.addWidget(self.changed)
        choice.addStretch(1)
        layout.addLayout(choice)

        self.change_box = QGroupBox(self.tr("New result"))
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.dd = QComboBox()
        self.e = QComboBox()
        self.level = QComboBox()
        self.decision_no = QLineEdit()
        self.decision_date = QDateEdit()
        if self._year:
            form = QFormLayout(self.change_box)
            for level in Level:
                self.level.addItem(level_label(level), level.value)
            current = context.classification
            if current is not None and current.decided_level is not None:
                self.level.setCurrentIndex(self.level.findData(current.decided_level.value))
            self.decision_date.setCalendarPopup(True)
            self.decision_date.setDisplayFormat(date_format())
            self.decision_date.setDate(to_qdate(today))
            form.addRow(self.tr("Level"), self.level)
            form.addRow(self.tr("Replacement decision No."), self.decision_no)
            form.addRow(self.tr("Decision date"), self.decision_date)
        else:
            grid = QGridLayout(self.change_box)
            evaluation = context.evaluation
            confirmed = dict(evaluation.confirmed_criteria) if evaluation else {}
            for row, criterion in enumerate(GENERAL_CRITERIA):
                label = QLabel(f"{criterion.code} {criterion_title(criterion.code)}")
                label.setToolTip(label.text())
                spin = QDoubleSpinBox()
                spin.setLocale(number_locale())
                spin.setRange(0, float(criterion.max_points))
                spin.setSingleStep(0.5)
                spin.setDecimals(2)
                spin.setValue(float(confirmed.get(criterion.code, 0)))
                grid.addWidget(label, row, 0)
                grid.addWidget(spin, row, 1)
                self.spins[criterion.code] = spin
            grid.setColumnStretch(0, 1)
            if context.is_leader and evaluation is not None:
                for combo, current in ((self.dd, evaluation.dd), (self.e, evaluation.e)):
                    combo.addItem("100 %", "100")
                    combo.addItem("50 %", "50")
                    if current is not None and int(current) == 50:
                        combo.setCurrentIndex(1)
                row = len(GENERAL_CRITERIA)
                grid.addWidget(QLabel(self.tr("đ: organising the work")), row, 0)
                grid.addWidget(self.dd, row, 1)
                grid.addWidget(QLabel(self.tr("e: rallying and uniting the staff")), row + 1, 0)
                grid.addWidget(self.e, row + 1, 1)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record the decision"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
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
