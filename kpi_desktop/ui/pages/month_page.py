"""Month submission: the Form 01 self-assessment of the 30-point general criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EvaluationStatus, Period
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import level_label
from kpi_desktop.services.self_assessment import (
    criterion_description,
    criterion_title,
    group_title,
)
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import data_label, error_text, mark_data, refresh_when_visible
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.pages.score_page import month_name


def number_locale() -> QLocale:
    """The locale of number fields: 2,50 in Vietnamese, 2.50 in English."""
    if i18n.current_language() == "vi":
        return QLocale(QLocale.Language.Vietnamese)
    return QLocale(QLocale.Language.English)


def evaluation_status_label(status: EvaluationStatus) -> str:
    return {
        EvaluationStatus.OPEN: translate("EvaluationStatus", "open"),
        EvaluationStatus.SUBMITTED: translate("EvaluationStatus", "submitted for review"),
        EvaluationStatus.CONFIRMED: translate("EvaluationStatus", "confirmed by the evaluator"),
        EvaluationStatus.LOCKED: translate("EvaluationStatus", "locked"),
    }[status]


class MonthPage(Page):
    """Month submission (Form 01)."""

    page_id = "month"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.period = Period.containing(services.daily.today())
        self.assessment: Any = None
        self.heading = QLabel()
        self.month_label = QLabel()
        self.month = QComboBox()
        mark_data(self.month)
        self.status = data_label(wrap=True)
        self.groups: dict[str, QGroupBox] = {}
        self.titles: dict[str, QLabel] = {}
        self.maxima: dict[str, QLabel] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        criteria_box = QWidget()
        criteria_layout = QVBoxLayout(criteria_box)
        criteria_layout.setContentsMargins(0, 0, 0, 0)
        for criterion in services.self_assessment.criteria():
            box = self.groups.get(criterion.group)
            if box is None:
                box = QGroupBox()
                QGridLayout(box).setColumnStretch(0, 1)
                self.groups[criterion.group] = box
                criteria_layout.addWidget(box)
            grid = box.layout()
            row = grid.rowCount()
            title = QLabel()
            title.setWordWrap(True)
            spin = QDoubleSpinBox()
            spin.setRange(0, float(criterion.max_points))
            spin.setSingleStep(0.25)
            spin.setDecimals(2)
            spin.setMinimumWidth(90)
            maximum = data_label()
            title.setBuddy(spin)
            grid.addWidget(title, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(maximum, row, 2)
            self.titles[criterion.code] = title
            self.spins[criterion.code] = spin
            self.maxima[criterion.code] = maximum
            spin.valueChanged.connect(self._update_total)
        criteria_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(criteria_box)
        scroll.setWidgetResizable(True)
        self.results = QGroupBox()
        results_form = QFormLayout(self.results)
        self.result_labels: dict[str, QLabel] = {}
        self.result_values: dict[str, QLabel] = {}
        for key in ("abc", "task_points", "general", "total", "level", "entries"):
            label, value = QLabel(), data_label(wrap=True)
            self.result_labels[key], self.result_values[key] = label, value
            results_form.addRow(label, value)
        self.message = data_label(wrap=True)
        self.message.setObjectName("monthMessage")
        self.save_button = QPushButton()
        self.submit_button = QPushButton()
        right = QVBoxLayout()
        right.addWidget(self.results)
        right.addWidget(self.message)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        right.addLayout(buttons)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.month_label)
        top.addWidget(self.month)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(body, 1)
        self.month.currentIndexChanged.connect(self._month_chosen)
        self.save_button.clicked.connect(lambda: self.save(submit=False))
        self.submit_button.clicked.connect(self._confirm_submit)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Month submission")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Self-assessment of the month (Form 01)") + "</b>")
        self.month_label.setText(self.tr("&Month:"))
        self.month_label.setBuddy(self.month)
        for group, box in self.groups.items():
            box.setTitle(group_title(group))
        for criterion in self.services.self_assessment.criteria():
            code = criterion.code
            self.titles[code].setText(f"{code.split('.')[1]}. {criterion_title(code)}")
            description = criterion_description(code)
            self.titles[code].setToolTip(description)
            self.spins[code].setToolTip(description)
            self.spins[code].setLocale(number_locale())
            self.maxima[code].setText(self.tr("/ {max}").format(
                max=formatting.number(criterion.max_points)))
        self.results.setTitle(self.tr("Task results of the month"))
        texts = {"abc": self.tr("a / b / c:"), "task_points": self.tr("Task points (of 70):"),
                 "general": self.tr("General criteria (of 30):"),
                 "total": self.tr("Total:"), "level": self.tr("Indicative level:"),
                 "entries": self.tr("Entries:")}
        for key, text in texts.items():
            self.result_labels[key].setText(text)
        self.save_button.setText(self.tr("&Save self-scores"))
        self.submit_button.setText(self.tr("Submit the month for &review"))
        self.submit_button.setToolTip(self.tr("After submission the self-scores can no longer "
                                              "be changed; your evaluator confirms them."))
        refresh_when_visible(self)

    def _month_chosen(self, _index: int) -> None:
        data = self.month.currentData()
        if data:
            self.period = Period.parse(data)
            self.refresh()

    def print_request(self) -> PrintRequest:
        return PrintRequest(person_id=self.user.person_id, period=self.period)

    def refresh(self) -> None:
        today = self.services.daily.today()
        self.month.blockSignals(True)
        self.month.clear()
        month = Period.containing(today).shifted(-11)
        while month <= Period.containing(today):
            self.month.insertItem(0, month_name(month), str(month))
            month = month.next()
        self.month.setCurrentIndex(max(0, self.month.findData(str(self.period))))
        self.month.blockSignals(False)
        service = self.services.self_assessment
        self.assessment = service.load(self.user.person_id, self.period)
        editable = self.assessment.editable
        for code, spin in self.spins.items():
            spin.blockSignals(True)
            spin.setValue(float(self.assessment.self_criteria.get(code, Decimal(0))))
            spin.setEnabled(editable)
            spin.blockSignals(False)
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)
        status = self.tr("Status of {month}: {status}").format(
            month=month_name(self.period),
            status=evaluation_status_label(self.assessment.status))
        if self.assessment.submitted_at is not None:
            status += " · " + self.tr("submitted on {date}").format(
                date=formatting.date(self.assessment.submitted_at.date()))
        if self.assessment.confirmed_criteria:
            confirmed = sum(self.assessment.confirmed_criteria.values(), Decimal(0))
            status += " · " + self.tr("confirmed general criteria: {points}").format(
                points=formatting.number(confirmed))
        self.status.setText(status)
        self._show_results()

    def _show_results(self) -> None:
        result = self.services.self_assessment.task_results(self.user.person_id, self.period)
        score = result.score
        self.result_values["abc"].setText(" / ".join(
            formatting.percent(v) for v in (score.a, score.b, score.c)))
        self.result_values["task_points"].setText(formatting.number(score.task_points))
        entries = self.services.daily.month_entries(self.user.person_id, self.period)
        confirmed = sum(v.entry.status.value == "confirmed" for v in entries)
        self.result_values["entries"].setText(self.tr("{confirmed} of {n} confirmed").format(
            confirmed=confirmed, n=len(entries)))
        self._task_points = score.task_points
        self._insufficient = score.insufficient
        self._update_total()

    def scores(self) -> dict[str, Decimal]:
        return {code: Decimal(str(round(spin.value(), 2))) for code, spin in self.spins.items()}

    def _update_total(self, *_args: object) -> None:
        general = sum(self.scores().values(), Decimal(0))
        self.result_values["general"].setText(self.tr("{points} (your self-assessment)").format(
            points=formatting.number(general)))
        if getattr(self, "_insufficient", False) or getattr(self, "_task_points", None) is None:
            self.result_values["total"].setText("–")
            self.result_values["level"].setText(self.tr("insufficient data"))
            return
        from fractions import Fraction

        total = Fraction(general) + Fraction(self._task_points)
        self.result_values["total"].setText(f"<b>{formatting.number(total)}</b>")
        level = ("excellent" if total >= 90 else "good" if total >= 70
                 else "complete" if total >= 50 else "not_complete")
        self.result_values["level"].setText(level_label(level))

    def _confirm_submit(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Submit the month"),
            self.tr("Submit {month} for review? The self-scores can no longer be changed "
                    "afterwards.").format(month=month_name(self.period)))
        if answer == QMessageBox.StandardButton.Yes:
            self.save(submit=True)

    def save(self, *, submit: bool) -> bool:
        """Save (or submit) the self-scores on the serial lane; False when refused at once."""
        service, me, period, scores = (self.services.self_assessment, self.user.person_id,
                                       self.period, self.scores())

        def refused(error: KpiError) -> None:
            self.message.setStyleSheet("color: #b91c1c")
            self.message.setText(error_text(error))

        def saved(_result: Any) -> None:
            self.message.setStyleSheet("color: #15803d")
            self.message.setText(self.tr("The month was submitted for review.") if submit
                                 else self.tr("Self-scores saved."))
            self.refresh()
            self.data_changed.emit()

        task = Op(self, lambda: service.save(me, period, scores, submit=submit)) \
            .success(saved).failure(refused).run()
        return not (task.done and task.error is not None)
