"""The official's appeals (kiến nghị, Điều 22): file one against a notified month or year,
follow its 7-working-day deadline, read the decision and the history of a changed result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import AppealStatus, Period, PeriodKind
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.appeals import deadline_text, outcome_label, status_label
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    OVERDUE_BACKGROUND,
    data_label,
    error_text,
    mark_data,
    row,
    stacked,
)
from kpi_desktop.ui.common import period_text as period_text
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import ID_ROLE as ID_ROLE
from kpi_desktop.ui.tables import Column, Fit, RecordTableView, RowStyle

OVERDUE = OVERDUE_BACKGROUND
STATUS_COLOURS = {AppealStatus.FILED: "#1d4ed8", AppealStatus.DECIDED: "#15803d",
                  AppealStatus.WITHDRAWN: "#6b7280"}


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


class AppealDetail(QGroupBox):
    """The chosen appeal as labelled lines (those of ``fields``) and one button under them."""

    def __init__(self, services: Any, fields: tuple[str, ...], button: QPushButton,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.fields = fields
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for field in fields:
            self.labels[field], self.values[field] = QLabel(), data_label(wrap=True)
            layout.addRow(self.labels[field], self.values[field])
        if "history" in self.values:
            self.values["history"].setTextFormat(Qt.TextFormat.RichText)
        layout.addRow(row(None, button))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Appeal"))
        names = {"person": self.tr("Person"), "period": self.tr("Period"),
                 "filed": self.tr("Filed"), "reason": self.tr("Reason"),
                 "deadline": self.tr("Deadline"), "decider": self.tr("Decided by"),
                 "decision": self.tr("Decision"), "result": self.tr("Result now"),
                 "history": self.tr("History")}
        for field, label in self.labels.items():
            label.setText(names[field])

    def show_view(self, view: Any) -> None:
        """Show ``view`` (an AppealView), or nothing."""
        if view is None:
            for value in self.values.values():
                value.setText("")
            return
        appeal = view.appeal
        decision = appeal.decision or "–"
        if appeal.outcome is not None:
            decision = f"{outcome_label(appeal.outcome)}: {decision}"
        texts = {
            "person": lambda: f"{view.person_name} — {period_text(appeal.period)}",
            "period": lambda: f"{period_text(appeal.period)} — {status_label(appeal.status)}",
            "filed": lambda: formatting.date(appeal.received_on or appeal.filed_at.date()),
            "reason": lambda: appeal.reason,
            "deadline": lambda: f"{formatting.date(view.deadline)} ({deadline_text(view)})"
            if view.deadline else "–",
            "decider": lambda: ", ".join(view.decider_names) or "–",
            "decision": lambda: decision,
            "result": lambda: result_text(view.current_total, view.current_level),
            "history": lambda: history_html(view, self._services.appeals.result_history(
                appeal.person_id, appeal.period)),
        }
        for field, value in self.values.items():
            value.setText(texts[field]())


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
        form.addRow(row(None, self.file_button))

        self.table = RecordTableView.of([
            Column(lambda: self.tr("Period"), lambda v: period_text(v.appeal.period),
                   sort=lambda v: v.appeal.period.start),
            Column(lambda: self.tr("Status"), lambda v: status_label(v.appeal.status),
                   foreground=lambda v: QColor(STATUS_COLOURS[v.appeal.status])),
            Column(lambda: self.tr("Deadline"),
                   lambda v: f"{formatting.date(v.deadline)} · {deadline_text(v)}"
                   if v.deadline else "–", fit=Fit.WRAP, min_chars=14),
            Column(lambda: self.tr("Decision"),
                   lambda v: outcome_label(v.appeal.outcome) or "–", fit=Fit.WRAP,
                   min_chars=10),
        ], key=lambda v: v.appeal.id, name="appeals",
            row_style=lambda v: RowStyle(background=OVERDUE) if v.overdue else None)
        self.table.current_changed.connect(lambda _key: self._show_selected())
        self.list_box = QGroupBox()
        QVBoxLayout(self.list_box).addWidget(self.table)

        self.withdraw_button = QPushButton()
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.detail_box = AppealDetail(services, (
            "period", "filed", "reason", "deadline", "decider", "decision", "result",
            "history"), self.withdraw_button)
        self.d_decider = self.detail_box.values["decider"]
        self.d_history = self.detail_box.values["history"]

        left = stacked(self.file_box, (self.list_box, 1))
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
        self.table.retranslate()
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
        except KpiError as error:
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
        self.table.show_rows(self._views)
        self._show_selected()

    def _show_selected(self) -> None:
        view = self.table.current_record()
        self.detail_box.setEnabled(view is not None)
        self.detail_box.show_view(view)
        self.withdraw_button.setEnabled(view is not None and view.is_open)

    # ------------------------------------------------------------------ actions ----------
    def _changed(self, message: str) -> None:
        self.refresh()
        self.status_message.emit(message)
        self.data_changed.emit()

    def file_appeal(self) -> None:
        period, reason = self.period.currentData() or "", self.reason.toPlainText()
        service, me = self.services.appeals, self.user.person_id

        def filed(appeal: Any) -> None:
            self.reason.clear()
            self._changed(self.tr("The appeal was filed."))
            self.table.select_key(appeal.id)

        Op(self, lambda: service.file(me, period, reason)) \
            .titled(self.tr("Appeal not filed")).success(filed).run()

    def withdraw_selected(self) -> None:
        view = self.table.current_record()
        if view is None:
            return
        answer = QMessageBox.question(self, self.tr("Withdraw the appeal"),
                                      self.tr("Withdraw this appeal? It will not be decided."))
        if answer != QMessageBox.StandardButton.Yes:
            return
        service, me, appeal_id = self.services.appeals, self.user.person_id, view.appeal.id
        Op(self, lambda: service.withdraw(me, appeal_id)) \
            .titled(self.tr("Appeal not withdrawn")) \
            .success(lambda _r: self._changed(self.tr("The appeal was withdrawn."))).run()
