"""Month submission: the Form 01 self-assessment of the 30-point general criteria."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EntryStatus, Period
from kpi_desktop.services.messages import level_label, month_status_label
from kpi_desktop.services.self_assessment import (
    criterion_description,
    criterion_title,
    group_title,
)
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    Said,
    data_label,
    error_text,
    number_locale,
    refresh_when_visible,
    row,
    scrolled,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.pages.score_page import (
    OwnMonthPage,
    month_name,
    month_progress,
)

# The step of the self-scores; one step below 0 is "not scored yet".
UNSCORED_STEP = 0.25


class MonthPage(OwnMonthPage):
    """Month submission (Form 01)."""

    page_id = "month"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent,
                         heading=lambda: self.tr("Self-assessment of the month (Form 01)"),
                         month_label=lambda: self.tr("&Month:"))
        texts = self.texts
        # A month is submitted once it is over: the page opens on the last finished month.
        self.assessment: Any = None
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
            line = grid.rowCount()
            title = QLabel()
            title.setWordWrap(True)
            spin = QDoubleSpinBox()
            # One step below 0 means "not scored yet" (shown as "–"): a 0 must be typed.
            spin.setRange(-UNSCORED_STEP, float(criterion.max_points))
            spin.setSingleStep(UNSCORED_STEP)
            spin.setSpecialValueText("–")
            spin.setDecimals(2)
            spin.setMinimumWidth(90)
            maximum = data_label()
            title.setBuddy(spin)
            grid.addWidget(title, line, 0)
            grid.addWidget(spin, line, 1)
            grid.addWidget(maximum, line, 2)
            self.titles[criterion.code] = title
            self.spins[criterion.code] = spin
            self.maxima[criterion.code] = maximum
            spin.valueChanged.connect(self._update_total)
        criteria_layout.addStretch(1)
        scroll = scrolled(criteria_box, sideways=True)
        self.results = texts.box(lambda: self.tr("Task results of the month"))
        results_form = QFormLayout(self.results)
        self.result_labels: dict[str, QLabel] = {}
        self.result_values: dict[str, QLabel] = {}
        for key, text in (("abc", lambda: self.tr("a / b / c:")),
                          ("task_points", lambda: self.tr("Task points (of 70):")),
                          ("general", lambda: self.tr("General criteria (of 30):")),
                          ("total", lambda: self.tr("Total:")),
                          ("level", lambda: self.tr("Indicative level:")),
                          ("entries", lambda: self.tr("Entries:"))):
            label, value = texts.label(text), data_label(wrap=True)
            self.result_labels[key], self.result_values[key] = label, value
            results_form.addRow(label, value)
        self.message = data_label(wrap=True)
        self.say = Said(self.message)
        self.message.setObjectName("monthMessage")
        self.save_button = texts.button(lambda: self.tr("&Save self-scores"),
                                        lambda: self.save(submit=False))
        self.submit_button = texts.button(
            lambda: self.tr("Submit the month for &review"), self._confirm_submit,
            tip=lambda: self.tr("After submission the self-scores can no longer be changed; "
                                "your evaluator confirms them."))
        right = QVBoxLayout()
        right.addWidget(self.results)
        right.addWidget(self.message)
        right.addStretch(1)
        right.addLayout(row(None, self.save_button, self.submit_button))
        top = self.top_row()
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.provisional)
        layout.addLayout(body, 1)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Month submission")

    def retranslate_ui(self) -> None:
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
        self.say.again()  # what the last action said, in the new language
        refresh_when_visible(self)

    def refresh(self) -> None:
        current = Period.containing(self.services.daily.today())
        self.show_periods([current.shifted(-back) for back in range(12)])  # newest first
        service = self.services.self_assessment
        self.assessment = service.load(self.user.person_id, self.period)
        editable = self.assessment.editable
        for code, spin in self.spins.items():
            spin.blockSignals(True)
            saved = self.assessment.self_criteria.get(code)
            spin.setValue(-UNSCORED_STEP if saved is None else float(saved))
            spin.setEnabled(editable)
            spin.blockSignals(False)
        self.progress = self.show_notices()
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable)
        status = self.tr("Status of {month}: {status}").format(
            month=month_name(self.period),
            status=month_status_label(self.assessment.status))
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
        self._result = result
        self._update_total()

    def scores(self) -> dict[str, Decimal]:
        """The criteria scored so far (one not scored yet is left out)."""
        return {code: Decimal(str(round(spin.value(), 2))) for code, spin in self.spins.items()
                if spin.value() >= 0}

    def unscored(self) -> list[str]:
        """The criteria not scored yet, by their titles."""
        return [f"{code.split('.')[1]}. {criterion_title(code)}"
                for code, spin in self.spins.items() if spin.value() < 0]

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
        progress = getattr(self, "progress", None)
        if progress is not None and not progress.finished:
            self.result_values["level"].setText(self.tr("– (provisional)"))
            return
        self.result_values["level"].setText(level_label(self._result.level_of(total)))

    def submission_warnings(self) -> list[str]:
        """What the person should know before submitting: the month is not over, entries
        are not confirmed yet (only confirmed entries count)."""
        warnings = []
        progress = month_progress(self.services, self.period)
        if not progress.finished:
            warnings.append(self.tr(
                "{month} is not over: {left} of its {total} working days are still ahead, and "
                "work logged on them will not be in what you submit now.").format(
                month=month_name(self.period), left=progress.total - progress.elapsed,
                total=progress.total))
        entries = self.services.daily.month_entries(self.user.person_id, self.period)
        counts = {status: sum(v.entry.status is status for v in entries)
                  for status in (EntryStatus.DRAFT, EntryStatus.SUBMITTED,
                                 EntryStatus.RETURNED)}
        parts = [text.format(n=counts[status]) for status, text in (
            (EntryStatus.DRAFT, self.tr("{n} not submitted")),
            (EntryStatus.SUBMITTED, self.tr("{n} waiting for the leader")),
            (EntryStatus.RETURNED, self.tr("{n} returned to be fixed"))) if counts[status]]
        if parts:
            warnings.append(self.tr(
                "Not every entry is confirmed ({parts}): only confirmed entries count in the "
                "score.").format(parts=", ".join(parts)))
        return warnings

    def _confirm_submit(self) -> None:
        missing = self.unscored()
        if missing:  # every criterion needs a score, a deliberate 0 included
            self.say(lambda: self.tr(
                "Score every criterion before submitting ({n} not scored yet: {names}). Type 0 "
                "where none of the points is earned.").format(
                n=len(missing), names="; ".join(missing)), "#b91c1c")
            self.spins[next(c for c, s in self.spins.items() if s.value() < 0)].setFocus()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Submit the month"),
                          self.tr("Submit {month} of {person} for review? The self-scores "
                                  "can no longer be changed afterwards.").format(
                              month=month_name(self.period), person=self.user.full_name),
                          QMessageBox.StandardButton.Cancel, self)
        warnings = self.submission_warnings()
        if warnings:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setInformativeText("\n\n".join(warnings))
        submit = box.addButton(self.tr("&Submit the month"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel if warnings else submit)
        self.confirm_box = box  # the tests answer it
        box.exec()
        if box.clickedButton() is submit:
            self.save(submit=True)

    def save(self, *, submit: bool) -> bool:
        """Save (or submit) the self-scores on the serial lane; False when refused at once."""
        service, me, period, scores = (self.services.self_assessment, self.user.person_id,
                                       self.period, self.scores())

        def refused(error: KpiError) -> None:
            self.say(lambda: error_text(error), "#b91c1c")

        def saved(_result: Any) -> None:
            evaluator = self.services.daily.person(me).evaluator_name
            self.say(lambda: self.tr(
                "{month} of {person} is submitted for {evaluator}'s review; it reaches them "
                "with the next USB copy or synchronisation.").format(
                    month=month_name(period), person=self.user.full_name,
                    evaluator=evaluator or self.tr("the evaluator"))
                if submit else self.tr("Self-scores of {person} for {month} saved.").format(
                    person=self.user.full_name, month=month_name(period)), "#15803d")
            self.refresh()
            self.data_changed.emit()

        task = Op(self, lambda: service.save(me, period, scores, submit=submit)) \
            .success(saved).failure(refused).run()
        return not (task.done and task.error is not None)
