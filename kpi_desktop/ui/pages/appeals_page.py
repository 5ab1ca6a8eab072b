"""The official's appeals (kiến nghị, Điều 22): file one against a notified month or year,
follow its 7-working-day deadline, read the decision and the history of a changed result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import AppealStatus, Period, PeriodKind
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.appeals import deadline_text, outcome_label, status_label
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import data_label, error_text, mark_data
from kpi_desktop.ui.pages.base import Page, UserContext

ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#fee2e2")
STATUS_COLOURS = {AppealStatus.FILED: "#1d4ed8", AppealStatus.DECIDED: "#15803d",
                  AppealStatus.WITHDRAWN: "#6b7280"}


def period_text(period: Period) -> str:
    """"10/2026", "Quý 1/2026", "Năm 2026" (or the English forms)."""
    if period.kind is PeriodKind.YEAR:
        return translate("Appeal", "Year {year}").format(year=period.year)
    if period.kind is PeriodKind.QUARTER:
        return translate("Appeal", "Quarter {n}/{year}").format(n=period.number,
                                                                year=period.year)
    if i18n.current_language() == "vi":
        return f"{period.number:02d}/{period.year}"
    return f"{period.start:%b %Y}"


def result_text(total: Any, level: Any) -> str:
    parts = []
    if total is not None:
        parts.append(translate("Appeal", "{points} points").format(
            points=formatting.number(total)))
    if level is not None:
        parts.append(level_label(level))
    return " · ".join(parts) if parts else "–"


def appeal_changes(services: Any, person_id: str, period: Period) -> list[str]:
    """"Changed after appeal on DATE: was X points LEVEL", oldest first, for a month (or
    quarter) whose result an appeal decision replaced (Điều 21.3); empty when unchanged."""
    appeals = getattr(services, "appeals", None)
    if appeals is None or period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        return []
    history = appeals.result_history(person_id, period)
    return [translate("Appeal", "Changed after appeal on {date}: was {points} points, {level}.")
            .format(date=formatting.date(old.replaced_at.date()),
                    points=formatting.number(old.total), level=level_label(old.level))
            for old in history.replaced]


def history_html(view: Any, history: Any) -> str:
    """The history of a changed result, oldest first, ending with the result now."""
    lines = []
    for old in history.replaced:
        lines.append(translate("Appeal", "{date}: {result} (replaced; {reason})").format(
            date=formatting.date(old.replaced_at.date()),
            result=result_text(old.total, old.level), reason=old.reason))
    for record in history.classifications:
        state = (translate("Appeal", "replaced") if record is not history.classifications[-1]
                 else translate("Appeal", "current"))
        lines.append(translate("Appeal", "Decision {no} of {date}: {level} ({state})").format(
            no=record.decision_no or "–", date=formatting.date(record.decision_date),
            level=level_label(record.decided_level), state=state))
    if history.replaced:
        lines.append(translate("Appeal", "Now: {result}").format(
            result=result_text(view.current_total, view.current_level)))
    if not lines:
        return translate("Appeal", "The result has not been changed.")
    return "<br>".join(lines)


class AppealsPage(Page):
    """File appeals and follow them."""

    page_id = "appeals"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._views: list[Any] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)

        self.file_box = QGroupBox()
        form = QFormLayout(self.file_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.period_label, self.reason_label = QLabel(), QLabel()
        self.period = QComboBox()
        self.period.setMinimumContentsLength(24)
        self.period.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        mark_data(self.period)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.file_button = QPushButton()
        self.file_button.clicked.connect(self.file_appeal)
        form.addRow(self.period_label, self.period)
        form.addRow(self.reason_label, self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.file_button)
        form.addRow(buttons)

        self.table = QTableWidget(0, 4)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        mark_data(self.table)
        self.list_box = QGroupBox()
        list_layout = QVBoxLayout(self.list_box)
        list_layout.addWidget(self.table)

        self.detail_box = QGroupBox()
        detail = QFormLayout(self.detail_box)
        detail.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._detail_labels = [QLabel() for _ in range(8)]
        self.d_period = data_label(wrap=True)
        self.d_filed = data_label(wrap=True)
        self.d_reason = data_label(wrap=True)
        self.d_deadline = data_label(wrap=True)
        self.d_decider = data_label(wrap=True)
        self.d_decision = data_label(wrap=True)
        self.d_result = data_label(wrap=True)
        self.d_history = data_label(wrap=True)
        self.d_history.setTextFormat(Qt.TextFormat.RichText)
        for label, value in zip(self._detail_labels,
                                [self.d_period, self.d_filed, self.d_reason, self.d_deadline,
                                 self.d_decider,
                                 self.d_decision, self.d_result, self.d_history], strict=True):
            detail.addRow(label, value)
        self.withdraw_button = QPushButton()
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.withdraw_button)
        detail.addRow(row)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.file_box)
        left_layout.addWidget(self.list_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Appeals")

    def retranslate_ui(self) -> None:
        self.intro.setText(self.tr(
            "If you disagree with the notified result of a month or of the year, you may file "
            "an appeal. The competent person must decide it within 7 working days of receipt "
            "(Article 22, Decree 335/2025/NĐ-CP); holidays and days off do not count."))
        self.file_box.setTitle(self.tr("File an appeal"))
        self.period_label.setText(self.tr("Result"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("What you disagree with, and why"))
        self.file_button.setText(self.tr("File the appeal"))
        self.list_box.setTitle(self.tr("My appeals"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Period"), self.tr("Status"), self.tr("Deadline"), self.tr("Decision")])
        self.detail_box.setTitle(self.tr("Appeal"))
        for label, text in zip(self._detail_labels, [
                self.tr("Period"), self.tr("Filed"), self.tr("Reason"), self.tr("Deadline"),
                self.tr("Decided by"), self.tr("Decision"), self.tr("Result now"),
                self.tr("History")], strict=True):
            label.setText(text)
        self.withdraw_button.setText(self.tr("Withdraw the appeal"))
        if self._views or self.period.count():
            self.refresh()

    # ------------------------------------------------------------------ data -------------
    def refresh(self) -> None:
        service = self.services.appeals
        chosen = self.period.currentData()
        self.period.clear()
        try:
            choices = service.appealable(self.user.person_id)
            self._views = service.for_person(self.user.person_id)
        except Exception as error:  # noqa: BLE001 - shown to the person
            self.status_message.emit(error_text(error))
            choices, self._views = [], []
        for choice in choices:
            self.period.addItem(f"{period_text(choice.period)} — "
                                f"{result_text(choice.total, choice.level)}",
                                str(choice.period))
        if chosen is not None:
            index = self.period.findData(chosen)
            if index >= 0:
                self.period.setCurrentIndex(index)
        self.file_button.setEnabled(bool(choices))
        selected = self.selected_id()
        self.table.setRowCount(len(self._views))
        for row, view in enumerate(self._views):
            appeal = view.appeal
            cells = [period_text(appeal.period), status_label(appeal.status),
                     f"{formatting.date(view.deadline)} · {deadline_text(view)}"
                     if view.deadline else "–",
                     outcome_label(appeal.outcome) or "–"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, appeal.id)
                if column == 1:
                    item.setForeground(QBrush(QColor(STATUS_COLOURS[appeal.status])))
                if view.overdue:
                    item.setBackground(QBrush(OVERDUE))
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
        self.detail_box.setEnabled(view is not None)
        if view is None:
            for label in (self.d_period, self.d_filed, self.d_reason, self.d_deadline,
                          self.d_decider,
                          self.d_decision, self.d_result, self.d_history):
                label.setText("")
            self.withdraw_button.setEnabled(False)
            return
        appeal = view.appeal
        self.d_period.setText(f"{period_text(appeal.period)} — {status_label(appeal.status)}")
        self.d_filed.setText(formatting.date(appeal.received_on or appeal.filed_at.date()))
        self.d_reason.setText(appeal.reason)
        self.d_deadline.setText(
            f"{formatting.date(view.deadline)} ({deadline_text(view)})" if view.deadline
            else "–")
        self.d_decider.setText(", ".join(view.decider_names) or "–")
        decision = appeal.decision or "–"
        if appeal.outcome is not None:
            decision = f"{outcome_label(appeal.outcome)}: {decision}"
        self.d_decision.setText(decision)
        self.d_result.setText(result_text(view.current_total, view.current_level))
        history = self.services.appeals.result_history(appeal.person_id, appeal.period)
        self.d_history.setText(history_html(view, history))
        self.withdraw_button.setEnabled(view.is_open)

    # ------------------------------------------------------------------ actions ----------
    def file_appeal(self) -> None:
        period = self.period.currentData()
        try:
            appeal = self.services.appeals.file(self.user.person_id, period or "",
                                                self.reason.toPlainText())
        except Exception as error:  # noqa: BLE001 - shown to the person
            QMessageBox.warning(self, self.tr("Appeal not filed"), error_text(error))
            return
        self.reason.clear()
        self.refresh()
        for row, view in enumerate(self._views):
            if view.appeal.id == appeal.id:
                self.table.selectRow(row)
        self.status_message.emit(self.tr("The appeal was filed."))
        self.data_changed.emit()

    def withdraw_selected(self) -> None:
        view = self._selected_view()
        if view is None:
            return
        answer = QMessageBox.question(self, self.tr("Withdraw the appeal"),
                                      self.tr("Withdraw this appeal? It will not be decided."))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.appeals.withdraw(self.user.person_id, view.appeal.id)
        except Exception as error:  # noqa: BLE001 - shown to the person
            QMessageBox.warning(self, self.tr("Appeal not withdrawn"), error_text(error))
            return
        self.refresh()
        self.status_message.emit(self.tr("The appeal was withdrawn."))
        self.data_changed.emit()
