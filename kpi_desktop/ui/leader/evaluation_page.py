"""The evaluator's monthly evaluation: review Form 01, confirm or adjust, d/đ/e, lock, unlock."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import GENERAL_CRITERIA, EvaluationStatus, Period
from kpi_desktop.services.discipline import authority_label, count_label, discipline_kind_label
from kpi_desktop.services.messages import audit_action_label, level_label, month_status_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    LEVEL_COLOURS,
    DetailSplitter,
    LeaderReasonDialog,
    data_label,
    date_edit,
    dialog_buttons,
    error_text,
    from_qdate,
    last_finished,
    mark_data,
    month_periods,
    month_text,
    number_locale,
    row,
    scrolled,
)
from kpi_desktop.ui.operations import Loader, Op, Task
from kpi_desktop.ui.pages.appeals_page import appeal_changes
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableModel, RecordTableView

if TYPE_CHECKING:
    from kpi_desktop.services.context import AppServices

try:  # the official's side names the criteria (issue 3)
    from kpi_desktop.services.self_assessment import criterion_title
except ImportError:  # pragma: no cover - before that service exists
    def criterion_title(code: str) -> str:
        return code


class MonthlyEvaluationPage(Page):
    """Form 01 of each person the leader evaluates, for one month."""

    page_id = "leader.evaluation"

    def __init__(self, services: AppServices, user: UserContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.loader: Loader[Any] = Loader(self)
        self._rows: list[Any] = []
        self._task: Task | None = None
        today = services.evaluation.today()

        texts = self.texts
        self.period_label = texts.label(lambda: self.tr("Month:"))
        self.period = QComboBox()
        for period in month_periods(today, before=11, after=0):
            self.period.addItem(month_text(period), str(period))
        # The last finished month first: the running month is only provisional.
        self.period.setCurrentIndex(max(0, self.period.findData(str(last_finished(today)))))
        self.period.currentIndexChanged.connect(self.refresh)
        self.confirm_all_button = texts.button(
            lambda: self.tr("Confirm all submitted self-assessments"), self.confirm_all)
        self.progress = QProgressBar()
        self.progress.hide()
        self.delegate_button = texts.button(
            lambda: self.tr("Acting evaluator…"), self.delegate, tip=lambda: self.tr(
                "Let a colleague evaluate your people for a date range (recorded and audited)."))
        self.acting = data_label(wrap=True)

        self.model: RecordTableModel[Any] = self.texts.table(RecordTableModel(
            self._columns(), key=lambda r: r.person_id, parent=self))
        self.table = RecordTableView(self.model)
        self.table.current_changed.connect(lambda _key: self._show_form())

        # Form 01 of the selected person: everything wraps, nothing scrolls sideways.
        self.form_box = texts.box(lambda: self.tr("Form 01"))
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
        self.head_code = texts.label(lambda: self.tr("General criteria"))
        self.head_self = texts.label(lambda: self.tr("Self"))
        self.head_confirmed = texts.label(lambda: self.tr("Evaluator"))
        grid.addWidget(self.head_code, 0, 0)
        grid.addWidget(self.head_self, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.head_confirmed, 0, 2)
        self.criterion_labels: dict[str, QLabel] = {}
        self.self_values: dict[str, QLabel] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        for line, criterion in enumerate(GENERAL_CRITERIA, start=1):
            label = QLabel()
            label.setWordWrap(True)
            own = data_label()
            spin = QDoubleSpinBox()
            spin.setRange(0, float(criterion.max_points))
            spin.setSingleStep(0.5)
            spin.setDecimals(2)
            spin.valueChanged.connect(self._update_total)
            grid.addWidget(label, line, 0)
            grid.addWidget(own, line, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(spin, line, 2)
            self.criterion_labels[criterion.code] = label
            self.self_values[criterion.code] = own
            self.spins[criterion.code] = spin
        grid.setColumnStretch(0, 1)
        form_layout.addLayout(grid)
        self.total_line = data_label()
        form_layout.addWidget(self.total_line)
        # Leaders' factors d, đ, e: the long labels wrap above their value.
        factors = QGridLayout()
        self.d_label = texts.label(lambda: self.tr(
            "d — unit performance result (from the staff's scores)"))
        self.dd_label = texts.label(lambda: self.tr("đ — capacity to organise implementation"))
        self.e_label = texts.label(lambda: self.tr("e — capacity to rally and unite staff"))
        self.d_value = data_label()
        self.dd_combo, self.e_combo = QComboBox(), QComboBox()
        for combo in (self.dd_combo, self.e_combo):
            combo.addItem("100 %", 100)
            combo.addItem("50 %", 50)
        for line, (label, value) in enumerate(((self.d_label, self.d_value),
                                               (self.dd_label, self.dd_combo),
                                               (self.e_label, self.e_combo))):
            label.setWordWrap(True)
            factors.addWidget(label, line, 0)
            factors.addWidget(value, line, 1)
        factors.setColumnStretch(0, 1)
        form_layout.addLayout(factors)
        self.comment_label = texts.label(
            lambda: self.tr("Comment (required when you change the points)"), wrap=True)
        self.comment = QPlainTextEdit()
        self.comment.setFixedHeight(60)
        self.comment.setTabChangesFocus(True)
        form_layout.addWidget(self.comment_label)
        form_layout.addWidget(self.comment)
        self.confirm_button = texts.button(lambda: self.tr("Confirm and lock the month"),
                                           self.confirm_current)
        self.unlock_button = texts.button(lambda: self.tr("Unlock…"), self.unlock_current)
        form_layout.addLayout(row(self.confirm_button, self.unlock_button))
        self.history_label = texts.label(lambda: self.tr("History"))
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.setMaximumHeight(90)
        mark_data(self.history)
        form_layout.addWidget(self.history_label)
        form_layout.addWidget(self.history)
        scroll = scrolled(self.form_box)
        self.splitter = DetailSplitter(self.table, scroll, detail_width=430)

        layout = QVBoxLayout(self)
        layout.addLayout(row(self.period_label, self.period, (self.acting, 1),
                             self.delegate_button, self.progress, self.confirm_all_button,
                             self.splitter.fold_button))
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()

    def _columns(self) -> list[Column[Any]]:
        def done(row: Any) -> bool:
            return row.status in (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)

        def running() -> bool:  # a month not over yet has no level (issue 16 item 7)
            return self.services.evaluation.today() < self.current_period().end

        def level(row: Any) -> str:
            score = row.result.score
            if running():
                return self.tr("provisional")
            return self.tr("insufficient data") if score.insufficient \
                else level_label(score.level)

        return [
            Column(lambda: self.tr("Person"), lambda r: r.person_name, fit=Fit.NAME),
            Column(lambda: self.tr("Status"), lambda r: month_status_label(r.status)),
            Column(lambda: self.tr("Self-assessed"),
                   lambda r: formatting.number(r.self_points), sort=lambda r: r.self_points,
                   align=RIGHT),
            Column(lambda: self.tr("Confirmed"),
                   lambda r: formatting.number(r.confirmed_points) if done(r) else "–",
                   sort=lambda r: r.confirmed_points if done(r) else None, align=RIGHT),
            Column(lambda: self.tr("Task points"),
                   lambda r: formatting.number(r.result.score.task_points),
                   sort=lambda r: r.result.score.task_points, align=RIGHT),
            Column(lambda: self.tr("Total"), lambda r: formatting.number(r.result.score.total),
                   sort=lambda r: r.result.score.total, align=RIGHT),
            Column(lambda: self.tr("Indicative level"), level,
                   foreground=lambda r: LEVEL_COLOURS[None] if running() else
                   LEVEL_COLOURS.get(r.result.score.level, LEVEL_COLOURS[None])),
        ]

    # ---------------------------------------------------------------- Page -----------------
    def title(self) -> str:
        return self.tr("Monthly evaluation")

    def retranslate_ui(self) -> None:
        for code, label in self.criterion_labels.items():
            label.setText(f"{code}. {criterion_title(code)}")
            self.spins[code].setLocale(number_locale())
        self.refresh()

    def current_period(self) -> Period:
        return Period.parse(self.period.currentData())

    def print_request(self) -> PrintRequest:
        return PrintRequest(person_id=self.selected_person(), period=self.current_period())

    def is_loading(self) -> bool:
        return self.loader.is_loading()

    def refresh(self) -> None:
        """Load the month's overview off the GUI thread."""
        evaluation, me, period = self.services.evaluation, self.user.person_id, \
            self.current_period()

        def fetch() -> tuple[list[Any], list[str]]:
            today = evaluation.today()
            names = dict(evaluation.acting_candidates(me))
            acting = sorted({self.tr("{name} acts for you {start} – {end}").format(
                name=names.get(r.evaluator_id, r.evaluator_id),
                start=formatting.date(r.start_on), end=formatting.date(r.end_on))
                for r in evaluation.delegations(me)
                if r.active_on(today) or r.start_on > today})
            return evaluation.overview(me, period), acting

        self.loader.load(fetch, self._loaded)

    def _loaded(self, data: tuple[list[Any], list[str]]) -> None:
        rows, acting = data
        self.acting.setText("; ".join(acting))
        self._rows = rows
        self.table.show_rows(rows)  # the person chosen before, else the first
        self._show_form()

    def selected_person(self) -> str | None:
        return self.table.current_key()

    def select_person(self, person_id: str) -> None:
        self.table.select_key(person_id)

    def _row(self) -> Any:
        return self.model.record_of(self.selected_person())

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
        self.person_name.setText(f"<b>{html.escape(row.person_name)}</b> — "
                                 f"{month_status_label(row.status)}")
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
        names = dict(self.services.evaluation.acting_candidates(self.user.person_id))
        names[self.user.person_id] = self.user.full_name
        names[row.person_id] = row.person_name
        for event in self.services.evaluation.history(row.person_id, self.current_period()):
            self.history.addItem(self.tr("{date}: {who} {action} {reason}").format(
                date=formatting.date(event.at.date()), action=audit_action_label(event.action),
                who=names.get(event.actor_id or "", event.actor_id or ""),
                reason=event.detail.get("reason", "")).strip())

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
        evaluation, me, period = self.services.evaluation, self.user.person_id, \
            self.current_period()
        criteria, comment = self.criteria(), self.comment.toPlainText()
        dd = self.dd_combo.currentData() if row.is_leader else None
        e = self.e_combo.currentData() if row.is_leader else None
        Op(self, lambda: evaluation.confirm(me, row.person_id, period, criteria=criteria,
                                            comment=comment, dd=dd, e=e)) \
            .titled(self.tr("Monthly evaluation")) \
            .success(lambda _r: self._changed(self.tr(
                "The month {month} of {name} is confirmed and locked.").format(
                month=month_text(period), name=row.person_name))).run()

    def _changed(self, message: str) -> None:
        self.status_message.emit(message)
        self.refresh()
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
        evaluation, me, period = self.services.evaluation, self.user.person_id, \
            self.current_period()
        reason = dialog.reason()
        Op(self, lambda: evaluation.unlock(me, row.person_id, period, reason)) \
            .titled(self.tr("Monthly evaluation")) \
            .success(lambda _r: self._changed(self.tr(
                "The month {month} of {name} is open again.").format(
                month=month_text(period), name=row.person_name))).run()

    def delegate(self) -> None:
        service = self.services.evaluation
        dialog = ActingDialog(service.acting_candidates(self.user.person_id), service.today(),
                              self)
        if not dialog.exec() or dialog.person.currentData() is None:
            return
        me, acting, name = self.user.person_id, dialog.person.currentData(), \
            dialog.person.currentText()
        start, end, note = (from_qdate(dialog.start.date()), from_qdate(dialog.end.date()),
                            dialog.note.text())
        Op(self, lambda: service.delegate(me, acting, start, end, note)) \
            .titled(self.tr("Acting evaluator")) \
            .success(lambda _r: self._changed(self.tr(
                "Acting evaluator recorded: {name}, {start} – {end}.").format(
                name=name, start=formatting.date(start), end=formatting.date(end)))).run()

    def confirm_all(self) -> None:
        if self._task is not None:
            return
        waiting = [r for r in self._rows if r.status is EvaluationStatus.SUBMITTED]
        if not waiting:
            self.status_message.emit(self.tr("No submitted self-assessment waits in {month}.")
                                     .format(month=month_text(self.current_period())))
            return
        names = ", ".join(r.person_name for r in waiting[:6]) + (
            ", …" if len(waiting) > 6 else "")
        answer = QMessageBox.question(self, self.tr("Confirm all"), self.tr(
            "Confirm and lock the month {month} of {n} people as they assessed themselves: "
            "{names}?").format(month=month_text(self.current_period()), n=len(waiting),
                               names=names))
        if answer != QMessageBox.StandardButton.Yes:
            return
        service, evaluator, period = (self.services.evaluation, self.user.person_id,
                                      self.current_period())
        self.progress.setRange(0, max(1, len(self._rows)))
        self.progress.setValue(0)
        self.progress.show()
        self.confirm_all_button.setEnabled(False)
        task = Op.reporting(self, lambda progress, _cancelled: service.confirm_many(
            evaluator, period, progress=progress)) \
            .titled(self.tr("Monthly evaluation")) \
            .on_progress(lambda done, _total: self.progress.setValue(done)) \
            .success(self._all_done).always(self._finish).run()
        self._task = None if task.done else task

    def _finish(self) -> None:
        self._task = None
        self.progress.hide()
        self.confirm_all_button.setEnabled(True)
        self.refresh()
        self.data_changed.emit()

    def _all_done(self, result: Any) -> None:
        message = self.tr("{n} months confirmed and locked.").format(n=len(result.confirmed))
        if result.skipped:
            message += " " + self.tr("{n} skipped, e.g. {reason}").format(
                n=len(result.skipped), reason=error_text(result.skipped[0][1]))
        self.status_message.emit(message)


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
        self.start = date_edit(today)
        self.end = date_edit(today + dt.timedelta(days=7))
        self.note = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("Acting evaluator"), self.person)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(dialog_buttons(self))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
