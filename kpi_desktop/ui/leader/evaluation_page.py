"""The evaluator's monthly evaluation: review Form 01, confirm or adjust, d/đ/e, lock, unlock."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import GENERAL_CRITERIA, EvaluationStatus, Period
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.discipline import authority_label, count_label, discipline_kind_label
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    LEVEL_COLOURS,
    LeaderReasonDialog,
    data_label,
    date_format,
    error_text,
    from_qdate,
    mark_data,
    month_periods,
    month_text,
    number_locale,
    show_error,
    to_qdate,
)
from kpi_desktop.ui.pages.appeals_page import appeal_changes
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tasks import TaskRunner

try:  # the official's side names the criteria (issue 3)
    from kpi_desktop.services.self_assessment import criterion_title
except ImportError:  # pragma: no cover - before that service exists
    def criterion_title(code: str) -> str:
        return code

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


def evaluation_status_label(status: EvaluationStatus) -> str:
    return {
        EvaluationStatus.OPEN: translate("LeaderEvaluationStatus", "open"),
        EvaluationStatus.SUBMITTED: translate("LeaderEvaluationStatus", "submitted"),
        EvaluationStatus.CONFIRMED: translate("LeaderEvaluationStatus", "confirmed"),
        EvaluationStatus.LOCKED: translate("LeaderEvaluationStatus", "locked"),
    }[status]


class MonthlyEvaluationPage(Page):
    """Form 01 of each person the leader evaluates, for one month."""

    page_id = "leader.evaluation"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.runner = TaskRunner(self)
        self._rows: list[Any] = []
        self._task = None
        today = services.evaluation.today()

        self.period_label = QLabel()
        self.period = QComboBox()
        for period in month_periods(today, before=11, after=0):
            self.period.addItem(month_text(period), str(period))
        self.period.currentIndexChanged.connect(self.refresh)
        self.confirm_all_button = QPushButton()
        self.confirm_all_button.clicked.connect(self.confirm_all)
        self.progress = QProgressBar()
        self.progress.hide()
        self.delegate_button = QPushButton()
        self.delegate_button.clicked.connect(self.delegate)
        self.acting = data_label()
        top = QHBoxLayout()
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addWidget(self.acting, 1)
        top.addWidget(self.delegate_button)
        top.addWidget(self.progress)
        top.addWidget(self.confirm_all_button)

        self.table = QTableWidget(0, 7)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.itemSelectionChanged.connect(self._show_form)
        mark_data(self.table)

        # Form 01 of the selected person.
        self.form_box = QGroupBox()
        form_layout = QVBoxLayout(self.form_box)
        self.person_name = data_label(wrap=True)
        self.score_line = data_label(wrap=True)
        form_layout.addWidget(self.person_name)
        form_layout.addWidget(self.score_line)
        # Discipline decisions of the year (Điều 20.4), shown before the general criteria.
        self.discipline_line = data_label(wrap=True)
        self.discipline_line.setTextFormat(Qt.TextFormat.RichText)
        form_layout.addWidget(self.discipline_line)
        # The history of a result changed by an appeal (Điều 21.3).
        self.appeal_line = data_label(wrap=True)
        self.appeal_line.setStyleSheet("background:#fef3c7; padding:4px;")
        self.appeal_line.hide()
        form_layout.addWidget(self.appeal_line)
        grid = QGridLayout()
        self.head_code = QLabel()
        self.head_self = QLabel()
        self.head_confirmed = QLabel()
        grid.addWidget(self.head_code, 0, 0)
        grid.addWidget(self.head_self, 0, 1)
        grid.addWidget(self.head_confirmed, 0, 2)
        self.criterion_labels: dict[str, QLabel] = {}
        self.self_values: dict[str, QLabel] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        for row, criterion in enumerate(GENERAL_CRITERIA, start=1):
            label = QLabel()
            label.setWordWrap(True)
            own = data_label()
            spin = QDoubleSpinBox()
            spin.setRange(0, float(criterion.max_points))
            spin.setSingleStep(0.5)
            spin.setDecimals(2)
            spin.valueChanged.connect(self._update_total)
            grid.addWidget(label, row, 0)
            grid.addWidget(own, row, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(spin, row, 2)
            self.criterion_labels[criterion.code] = label
            self.self_values[criterion.code] = own
            self.spins[criterion.code] = spin
        grid.setColumnStretch(0, 1)
        form_layout.addLayout(grid)
        self.total_line = data_label()
        form_layout.addWidget(self.total_line)
        factors = QFormLayout()
        self.d_label, self.dd_label, self.e_label = QLabel(), QLabel(), QLabel()
        self.d_value = data_label()
        self.dd_combo, self.e_combo = QComboBox(), QComboBox()
        for combo in (self.dd_combo, self.e_combo):
            combo.addItem("100 %", 100)
            combo.addItem("50 %", 50)
        factors.addRow(self.d_label, self.d_value)
        factors.addRow(self.dd_label, self.dd_combo)
        factors.addRow(self.e_label, self.e_combo)
        form_layout.addLayout(factors)
        self.comment_label = QLabel()
        self.comment = QPlainTextEdit()
        self.comment.setFixedHeight(60)
        self.comment.setTabChangesFocus(True)
        form_layout.addWidget(self.comment_label)
        form_layout.addWidget(self.comment)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self.confirm_current)
        self.unlock_button = QPushButton()
        self.unlock_button.clicked.connect(self.unlock_current)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.unlock_button)
        form_layout.addLayout(buttons)
        self.history_label = QLabel()
        self.history = QListWidget()
        self.history.setMaximumHeight(90)
        mark_data(self.history)
        form_layout.addWidget(self.history_label)
        form_layout.addWidget(self.history)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_box)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    # ---------------------------------------------------------------- Page -----------------
    def title(self) -> str:
        return self.tr("Monthly evaluation")

    def retranslate_ui(self) -> None:
        self.period_label.setText(self.tr("Month:"))
        self.confirm_all_button.setText(self.tr("Confirm all submitted self-assessments"))
        self.delegate_button.setText(self.tr("Acting evaluator…"))
        self.delegate_button.setToolTip(self.tr(
            "Let a colleague evaluate your people for a date range (recorded and audited)."))
        self.table.setHorizontalHeaderLabels([
            self.tr("Person"), self.tr("Status"), self.tr("Self-assessed"),
            self.tr("Confirmed"), self.tr("Task points"), self.tr("Total"),
            self.tr("Indicative level")])
        self.form_box.setTitle(self.tr("Form 01"))
        self.head_code.setText(self.tr("General criteria"))
        self.head_self.setText(self.tr("Self"))
        self.head_confirmed.setText(self.tr("Evaluator"))
        for code, label in self.criterion_labels.items():
            label.setText(f"{code}. {criterion_title(code)}")
            self.spins[code].setLocale(number_locale())
        self.d_label.setText(self.tr("d — unit performance result (from the staff's scores)"))
        self.dd_label.setText(self.tr("đ — capacity to organise implementation"))
        self.e_label.setText(self.tr("e — capacity to rally and unite staff"))
        self.comment_label.setText(self.tr("Comment (required when you change the points)"))
        self.confirm_button.setText(self.tr("Confirm and lock the month"))
        self.unlock_button.setText(self.tr("Unlock…"))
        self.history_label.setText(self.tr("History"))
        self.refresh()

    def current_period(self) -> Period:
        return Period.parse(self.period.currentData())

    def refresh(self) -> None:
        chosen = self.selected_person()
        today = self.services.evaluation.today()
        names = dict(self.services.evaluation.acting_candidates(self.user.person_id))
        current = [r for r in self.services.evaluation.delegations(self.user.person_id)
                   if r.active_on(today) or r.start_on > today]
        self.acting.setText("; ".join(sorted({self.tr("{name} acts for you {start} – {end}")
                                              .format(name=names.get(r.evaluator_id,
                                                                     r.evaluator_id),
                                                      start=formatting.date(r.start_on),
                                                      end=formatting.date(r.end_on))
                                              for r in current})))
        self._rows = self.services.evaluation.overview(self.user.person_id,
                                                       self.current_period())
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            score = row.result.score
            values = [row.person_name, evaluation_status_label(row.status),
                      formatting.number(row.self_points), formatting.number(row.confirmed_points)
                      if row.status in (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
                      else "–", formatting.number(score.task_points),
                      formatting.number(score.total),
                      level_label(score.level) if not score.insufficient
                      else self.tr("insufficient data")]
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setData(PERSON_ROLE, row.person_id)
                if 2 <= column <= 5:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == 6:
                    cell.setForeground(QBrush(LEVEL_COLOURS.get(score.level,
                                                                LEVEL_COLOURS[None])))
                self.table.setItem(index, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if chosen:
            self.select_person(chosen)
        elif self._rows:
            self.table.selectRow(0)
        self._show_form()

    def selected_person(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.table.item(rows[0].row(), 0).data(PERSON_ROLE) if rows else None

    def select_person(self, person_id: str) -> None:
        for index in range(self.table.rowCount()):
            if self.table.item(index, 0).data(PERSON_ROLE) == person_id:
                self.table.selectRow(index)
                return

    def _row(self) -> Any:
        person_id = self.selected_person()
        return next((r for r in self._rows if r.person_id == person_id), None)

    def _show_form(self) -> None:
        row = self._row()
        self.form_box.setEnabled(row is not None and self._task is None)
        self.history.clear()
        if row is None:
            self.person_name.setText("")
            self.appeal_line.hide()
            return
        evaluation = row.evaluation
        done = row.status in (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
        own = dict(evaluation.self_criteria) if evaluation else {}
        confirmed = dict(evaluation.confirmed_criteria) if evaluation else {}
        start = confirmed if done and confirmed else own
        self.person_name.setText(f"<b>{row.person_name}</b> — "
                                 f"{evaluation_status_label(row.status)}")
        score = row.result.score
        self.score_line.setText(self.tr(
            "a {a} %, b {b} %, c {c} % → task points {tp} of 70").format(
            a=formatting.number(score.a), b=formatting.number(score.b),
            c=formatting.number(score.c), tp=formatting.number(score.task_points)))
        self._show_discipline(row.person_id)
        changes = appeal_changes(self.services, row.person_id, self.current_period())
        self.appeal_line.setText("\n".join(changes))
        self.appeal_line.setVisible(bool(changes))
        for criterion in GENERAL_CRITERIA:
            code = criterion.code
            self.self_values[code].setText(formatting.number(own.get(code)) if own else "–")
            spin = self.spins[code]
            spin.blockSignals(True)
            spin.setValue(float(start.get(code, 0)))
            spin.blockSignals(False)
            spin.setEnabled(not done)
        leader = row.result.leader
        for widget in (self.d_label, self.d_value, self.dd_label, self.dd_combo, self.e_label,
                       self.e_combo):
            widget.setVisible(row.is_leader)
        if leader is not None:
            self.d_value.setText(f"{leader.d} %")
            self.dd_combo.setCurrentIndex(self.dd_combo.findData(int(leader.dd)))
            self.e_combo.setCurrentIndex(self.e_combo.findData(int(leader.e)))
        self.dd_combo.setEnabled(not done)
        self.e_combo.setEnabled(not done)
        self.comment.setPlainText(evaluation.comment if evaluation else "")
        self.comment.setReadOnly(done)
        self.confirm_button.setEnabled(not done)
        self.unlock_button.setEnabled(done)
        self._update_total()
        for event in self.services.evaluation.history(row.person_id, self.current_period()):
            self.history.addItem(self.tr("{date}: {action} by {who} {reason}").format(
                date=formatting.date(event.at.date()), action=_action_label(event.action),
                who=event.actor_id or "", reason=event.detail.get("reason", "")).strip())

    def _show_discipline(self, person_id: str) -> None:
        """The person's discipline decisions of this year (kind, number, date, which year they
        count for), so the evaluator sees them when confirming the general criteria."""
        service = getattr(self.services, "discipline", None)
        shown = service.for_period(person_id, self.current_period()) if service else []
        self.discipline_line.setVisible(bool(shown))
        if not shown:
            self.discipline_line.setText("")
            return
        lines = [self.tr("{kind} — decision {no} of {date} ({authority}); {counts}").format(
            kind=_first_upper(discipline_kind_label(s.event.kind)),
            no=html.escape(s.event.decision_no),
            date=formatting.date(s.event.decided_on),
            authority=authority_label(s.event.authority), counts=count_label(s.year))
            for s in shown]
        self.discipline_line.setText(
            "<b>" + self.tr("Discipline this year (Article 20.4):") + "</b><br>"
            + "<br>".join(lines))
        self.discipline_line.setStyleSheet("background:#fee2e2; padding:4px;")

    def _update_total(self) -> None:
        total = sum((Decimal(str(round(s.value(), 2))) for s in self.spins.values()),
                    Decimal(0))
        self.total_line.setText(self.tr("General criteria: {points} of 30").format(
            points=formatting.number(total)))

    def criteria(self) -> dict[str, Decimal]:
        return {code: Decimal(str(round(spin.value(), 2))) for code, spin in self.spins.items()}

    # ---------------------------------------------------------------- actions --------------
    def confirm_current(self) -> None:
        row = self._row()
        if row is None:
            return
        try:
            self.services.evaluation.confirm(
                self.user.person_id, row.person_id, self.current_period(),
                criteria=self.criteria(), comment=self.comment.toPlainText(),
                dd=self.dd_combo.currentData() if row.is_leader else None,
                e=self.e_combo.currentData() if row.is_leader else None)
        except KpiError as error:
            show_error(self, self.tr("Monthly evaluation"), error)
            return
        self.refresh()
        self.status_message.emit(self.tr("The month of {name} is confirmed and locked.")
                                 .format(name=row.person_name))
        self.data_changed.emit()

    def unlock_current(self) -> None:
        row = self._row()
        if row is None:
            return
        dialog = LeaderReasonDialog(self.tr("Unlock the month"),
                                    self.tr("Why must this month be reopened? The reason is "
                                            "kept in the audit log."), None, self)
        if not dialog.exec():
            return
        try:
            self.services.evaluation.unlock(self.user.person_id, row.person_id,
                                            self.current_period(), dialog.reason())
        except KpiError as error:
            show_error(self, self.tr("Monthly evaluation"), error)
            return
        self.refresh()
        self.data_changed.emit()

    def delegate(self) -> None:
        service = self.services.evaluation
        dialog = ActingDialog(service.acting_candidates(self.user.person_id), service.today(),
                              self)
        if not dialog.exec() or dialog.person.currentData() is None:
            return
        try:
            service.delegate(self.user.person_id, dialog.person.currentData(),
                             from_qdate(dialog.start.date()), from_qdate(dialog.end.date()),
                             dialog.note.text())
        except KpiError as error:
            show_error(self, self.tr("Acting evaluator"), error)
            return
        self.refresh()
        self.status_message.emit(self.tr("Acting evaluator recorded."))
        self.data_changed.emit()

    def confirm_all(self) -> None:
        if self._task is not None:
            return
        service, evaluator, period = (self.services.evaluation, self.user.person_id,
                                      self.current_period())
        self.progress.setRange(0, max(1, len(self._rows)))
        self.progress.setValue(0)
        self.progress.show()
        self.confirm_all_button.setEnabled(False)
        self._task = self.runner.start(
            lambda progress, cancelled: service.confirm_many(evaluator, period,
                                                             progress=progress),
            on_progress=lambda done, total: self.progress.setValue(done),
            on_finished=self._all_done, on_failed=self._all_failed)

    def _finish(self) -> None:
        self._task = None
        self.progress.hide()
        self.confirm_all_button.setEnabled(True)
        self.refresh()
        self.data_changed.emit()

    def _all_done(self, result: Any) -> None:
        self._finish()
        message = self.tr("{n} months confirmed and locked.").format(n=len(result.confirmed))
        if result.skipped:
            message += " " + self.tr("{n} skipped, e.g. {reason}").format(
                n=len(result.skipped), reason=error_text(result.skipped[0][1]))
        self.status_message.emit(message)

    def _all_failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, Exception):
            show_error(self, self.tr("Monthly evaluation"), error)


class ActingDialog(QDialog):
    """Who acts as evaluator, and from when to when."""

    def __init__(self, candidates: list[tuple[str, str]], today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Acting evaluator"))
        self.person = QComboBox()
        for person_id, name in candidates:
            self.person.addItem(name, person_id)
        mark_data(self.person)
        self.start = QDateEdit(to_qdate(today))
        self.end = QDateEdit(to_qdate(today + dt.timedelta(days=7)))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.note = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("Acting evaluator"), self.person)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def _action_label(action: str) -> str:
    return {
        "evaluation.confirm": translate("AuditAction", "confirmed"),
        "evaluation.lock": translate("AuditAction", "locked"),
        "evaluation.unlock": translate("AuditAction", "unlocked"),
        "evaluation.submit": translate("AuditAction", "submitted"),
        "evaluation.appeal_change": translate("AuditAction", "changed after an appeal"),
    }.get(action, action)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
