"""Organisation evaluation (Đánh giá, xếp loại chất lượng tổ chức, Điều 8–9): each unit's
indicators for a year, the level they give with its "why", and the competent person's decision.
The recorded level caps the head's annual level (Điều 20.6)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import Level, Period, PeriodKind
from kpi_desktop.domain.org_results import ORG_INDICATORS, IndicatorKind, indicator_def
from kpi_desktop.services.messages import level_label
from kpi_desktop.services.org_evaluation import indicator_label, why_text
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    LEVEL_COLOURS,
    PeriodPicker,
    add_fields,
    column,
    data_label,
    date_edit,
    date_format,
    dialog_buttons,
    fill_levels,
    from_qdate,
    mark_data,
    name_of,
    number_locale,
    period_text,
    row,
    scrolled,
    show_error,
    split,
    stacked,
    to_qdate,
    year_spin,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView


def _value_text(code: str, value: Decimal) -> str:
    definition = indicator_def(code)
    if definition is not None and definition.kind is IndicatorKind.FLAG:
        return "1" if value == 1 else "0"
    text = formatting.number(value, 0 if value == value.to_integral_value() else 2)
    if definition is not None and definition.kind is IndicatorKind.SHARE:
        return f"{text} %"
    return text


class OrgEvaluationPage(Page):
    """Units of the leader's organisation: indicators, computed level and why, decision."""

    page_id = "leader.org_evaluation"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._info: Any = None
        self._list: Any = None
        today = services.org_evaluation.today()
        texts = self.texts

        self.year_label = texts.label(lambda: self.tr("Year:"))
        self.year = year_spin(today.year)
        self.year.valueChanged.connect(self.refresh)
        self.import_button = texts.button(
            lambda: self.tr("Import CSV…"), lambda: self.import_csv(), tip=lambda: self.tr(
                "A CSV file with the columns unit, period, code, value (and optionally source); "
                "the whole file is refused if one row is wrong."))
        self.quota = data_label(wrap=True)
        top = row(self.year_label, self.year, (self.quota, 1), self.import_button)

        self.units = self.texts.table(RecordTableView.of([
            Column(lambda: self.tr("Unit"), lambda r: name_of(r.unit), fit=Fit.WRAP,
                   min_chars=14),
            Column(lambda: self.tr("By the indicators"), lambda r: level_label(r.computed)
                   if r.computed else self.tr("not enough data"), fit=Fit.WRAP, min_chars=8,
                   foreground=lambda r: LEVEL_COLOURS.get(r.computed, LEVEL_COLOURS[None])),
            Column(lambda: self.tr("Decided"), lambda r: level_label(r.recorded.level)
                   if r.recorded else "–", fit=Fit.WRAP, min_chars=8,
                   foreground=lambda r: LEVEL_COLOURS.get(
                       r.recorded.level if r.recorded else None, LEVEL_COLOURS[None])),
        ], key=lambda r: r.unit.id, name="units"))
        self.units.current_changed.connect(lambda _key: self._show_unit())

        # Indicators of the selected unit.
        self.indicators_box = texts.box(lambda: self.tr("Indicators"))
        indicators_layout = QVBoxLayout(self.indicators_box)
        self.indicators = self.texts.table(RecordTableView.of([
            Column(lambda: self.tr("Indicator"), lambda i: indicator_label(i.code),
                   tooltip=lambda i: f"{i.code} — {indicator_def(i.code).article}"
                   if indicator_def(i.code) else i.code, fit=Fit.WRAP, min_chars=24),
            Column(lambda: self.tr("Period"), lambda i: period_text(i.period),
                   sort=lambda i: i.period.start),
            Column(lambda: self.tr("Value"), lambda i: _value_text(i.code, i.value),
                   sort=lambda i: i.value, align=RIGHT),
            Column(lambda: self.tr("Source"), lambda i: i.source, fit=Fit.ELIDE,
                   min_chars=8),
        ], key=lambda i: (str(i.period), i.code), name="indicators"))
        self.indicators.doubleClicked.connect(lambda _index: self.edit_indicator())
        self.indicators.setMinimumHeight(8 * (self.fontMetrics().height() + 8))
        self.add_button = texts.button(lambda: self.tr("Add…"), lambda: self.add_indicator())
        self.edit_button = texts.button(lambda: self.tr("Edit…"), lambda: self.edit_indicator())
        indicators_layout.addWidget(self.indicators, 1)
        indicators_layout.addLayout(row(self.add_button, self.edit_button, None))

        # The computed level and its why.
        self.level_box = texts.box(lambda: self.tr("Level by the indicators (Article 8)"))
        level_layout = QVBoxLayout(self.level_box)
        self.level_line = data_label(wrap=True)
        self.level_line.setTextFormat(Qt.TextFormat.RichText)
        self.why = QListWidget()
        self.why.setWordWrap(True)
        self.why.setMinimumHeight(5 * (self.fontMetrics().height() + 6))
        mark_data(self.why)
        self.cap_line = data_label(wrap=True)
        level_layout.addWidget(self.level_line)
        level_layout.addWidget(self.why, 1)
        level_layout.addWidget(self.cap_line)

        # The decision.
        self.decision_box = texts.box(lambda: self.tr("Decision of the competent authority"))
        form = QFormLayout(self.decision_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.recorded_line = data_label(wrap=True)
        self.level_combo = QComboBox()
        self.decision_no = QLineEdit()
        self.decision_date = date_edit(today)
        self.note = QLineEdit()
        self.decide_button = texts.button(lambda: self.tr("Record the decision"),
                                          self.record_decision)
        form.addRow(self.recorded_line)
        self._form_labels = texts.each(add_fields(form, [
            self.level_combo, self.decision_no, self.decision_date, self.note]), lambda: (
            self.tr("Level"), self.tr("Decision number"), self.tr("Decision date"),
            self.tr("Note (needed for another level)")))
        form.addRow(self.decide_button)

        right = stacked((self.indicators_box, 3),
                       (row((self.level_box, 1), (self.decision_box, 1)), 2))
        scroll = scrolled(right, sideways=True)

        column(self, top, (split((self.units, 1, 540), (scroll, 3, 820)), 1))
        self.retranslate_ui()

    # ---------------------------------------------------------------- Page -----------------
    def title(self) -> str:
        return self.tr("Organisation evaluation")

    def retranslate_ui(self) -> None:
        self.decision_date.setDisplayFormat(date_format())
        fill_levels(self.level_combo,
                    (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE))
        self.refresh()

    # ---------------------------------------------------------------- showing --------------
    def refresh(self) -> None:
        chosen = self.selected_unit()
        service = self.services.org_evaluation
        self._list = service.list_year(self.user.person_id, self.year.value())
        rows = self._list.rows
        self.units.set_rows(rows)
        if self._list.excess:
            self.quota.setText(self.tr(
                "Excellent quota of the organisations (Article 8.5): {excellent} rated "
                "Excellent, {limit} allowed — the approver decides.").format(
                excellent=self._list.excellent, limit=self._list.limit))
            self.quota.setStyleSheet("background:#fef3c7; padding:4px;")
        else:
            self.quota.setText("")
            self.quota.setStyleSheet("")
        target = chosen or (self.user.unit_id if any(r.unit.id == self.user.unit_id
                                                     for r in rows) else None)
        if target is None and rows:
            target = rows[0].unit.id
        if target:
            self.select_unit(target)
        self._show_unit()

    def selected_unit(self) -> str | None:
        return self.units.current_key()

    def select_unit(self, unit_id: str) -> None:
        self.units.select_key(unit_id)

    def _show_unit(self) -> None:
        unit_id = self.selected_unit()
        self.why.clear()
        if unit_id is None:
            self._info = None
            self.indicators.set_rows([])
            self.level_line.setText(self.tr("Select a unit."))
            for box in (self.indicators_box, self.decision_box):
                box.setEnabled(False)
            return
        info = self._info = self.services.org_evaluation.year(
            self.user.person_id, unit_id, self.year.value())
        order = {d.code: i for i, d in enumerate(ORG_INDICATORS)}
        shown = sorted(info.indicators, key=lambda i: (i.period.kind.months * -1,
                                                        i.period.start, order.get(i.code, 99)))
        self.indicators.set_rows(shown)
        self.indicators_box.setTitle(self.tr("Indicators of {unit}, {year}").format(
            unit=name_of(info.unit), year=info.year))
        result = info.result
        colour = LEVEL_COLOURS.get(result.level, LEVEL_COLOURS[None]).name()
        if result.level is None:
            text = self.tr("Not enough data: enter the missing indicators.")
        else:
            text = self.tr("<b>{level}</b> — total {score} of 100").format(
                level=f"<span style='color:{colour}'>{level_label(result.level)}</span>",
                score=formatting.number(result.score))
            if result.needs_decision:
                text += "<br>" + self.tr("The competent authority weighs this case itself.")
        self.level_line.setText(text)
        for line in result.why:
            self.why.addItem(why_text(line))
        heads = ", ".join(p.full_name for p in info.heads)
        self.cap_line.setText(self.tr(
            "The head ({heads}) cannot be rated above the organisation's decided level "
            "(Article 20.6).").format(heads=heads) if heads else "")
        evaluation = info.evaluation
        if evaluation is not None:
            self.decision_no.setText(evaluation.decision_no)
            if evaluation.decision_date is not None:
                self.decision_date.setDate(to_qdate(evaluation.decision_date))
            self.note.setText(evaluation.note)
            self.recorded_line.setText(self.tr("Decided: {level}, decision {no} of {date}")
                                       .format(level=level_label(evaluation.level),
                                               no=evaluation.decision_no,
                                               date=formatting.date(evaluation.decision_date))
                                       + (f" — {evaluation.note}" if evaluation.note else ""))
        else:
            self.decision_no.clear()
            self.note.clear()
            self.recorded_line.setText(self.tr("No decision recorded yet."))
        proposed = evaluation.level if evaluation and evaluation.level else result.level
        if proposed is not None:
            self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(proposed.value)))
        self.indicators_box.setEnabled(True)
        for widget in (self.add_button, self.edit_button):
            widget.setEnabled(info.can_edit)
        self.decision_box.setEnabled(info.can_decide)
        if not info.can_decide:
            self.recorded_line.setText(self.recorded_line.text() + " " + self.tr(
                "(Only the competent authority records the decision.)"))

    # ---------------------------------------------------------------- actions --------------
    def _selected_indicator(self) -> tuple[str, str] | None:
        return self.indicators.current_key()

    def _changed(self, message: str) -> None:
        self.refresh()
        self.status_message.emit(message)
        self.data_changed.emit()

    def _run(self, work: Any, title: str, message: str) -> bool:
        """A change on the serial lane; a refusal is shown as a message. False when refused
        at once."""
        task = Op(self, work).failure(lambda error: show_error(self, title, error)) \
            .success(lambda _r: self._changed(message)).run()
        return not (task.done and task.error is not None)

    def add_indicator(self, dialog: IndicatorDialog | None = None) -> bool:
        """Enter a value (a dialog asks for it; tests may pass a filled dialog)."""
        if self._info is None:
            return False
        dialog = dialog or IndicatorDialog(str(self.year.value()), None, None, self)
        if dialog.result() != QDialog.DialogCode.Accepted and not dialog.exec():
            return False
        service, me, unit = self.services.org_evaluation, self.user.person_id, \
            self._info.unit.id
        period, code, source = str(dialog.period.period()), dialog.code.currentData(), \
            dialog.source.text()
        value = Decimal(str(round(dialog.value.value(), 2)))
        return self._run(lambda: service.set_indicator(me, unit, period, code, value,
                                                       source=source),
                         self.tr("Organisation evaluation"), self.tr("Indicator saved."))

    def edit_indicator(self) -> bool:
        chosen = self._selected_indicator()
        if chosen is None or self._info is None:
            return False
        period, code = chosen
        value = next((i.value for i in self._info.indicators
                      if str(i.period) == period and i.code == code), None)
        return self.add_indicator(IndicatorDialog(period, code, value, self))

    def import_csv(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import organisation indicators"), str(Path.home()),
                self.tr("CSV files (*.csv)"))
            if not path:
                return False
        service, me = self.services.org_evaluation, self.user.person_id
        task = Op(self, lambda: service.import_csv(me, path)) \
            .failure(lambda error: show_error(self, self.tr("Import CSV"), error)) \
            .success(lambda count: self._changed(self.tr(
                "{n} indicator values imported.").format(n=count))).run()
        return not (task.done and task.error is not None)

    def record_decision(self) -> bool:
        if self._info is None:
            return False
        service, me, unit, year = (self.services.org_evaluation, self.user.person_id,
                                   self._info.unit.id, self.year.value())
        level, number, day, note = (self.level_combo.currentData(), self.decision_no.text(),
                                    from_qdate(self.decision_date.date()), self.note.text())
        return self._run(lambda: service.decide(me, unit, year, level, decision_no=number,
                                                decision_date=day, note=note),
                         self.tr("Organisation evaluation"), self.tr("Decision recorded."))


class IndicatorDialog(QDialog):
    """One indicator value: period, indicator, value, source."""

    def __init__(self, period: str, code: str | None, value: Decimal | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Organisation indicator"))
        self.setMinimumWidth(520)
        chosen = Period.parse(period)
        self.period = PeriodPicker(chosen.end, (PeriodKind.YEAR, PeriodKind.QUARTER,
                                                PeriodKind.MONTH))
        self.period.set_period(chosen)
        self.code = QComboBox()
        for definition in ORG_INDICATORS:
            self.code.addItem(indicator_label(definition.code), definition.code)
        if code is not None:
            self.code.setCurrentIndex(max(0, self.code.findData(code)))
            self.code.setEnabled(False)
            self.period.setEnabled(False)
        self.value = QDoubleSpinBox()
        self.value.setDecimals(2)
        self.value.setLocale(number_locale())
        self.code.currentIndexChanged.connect(self._range)
        self._range()
        if value is not None:
            self.value.setValue(float(value))
        self.source = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("Period"), self.period)
        form.addRow(self.tr("Indicator"), self.code)
        form.addRow(self.tr("Value"), self.value)
        form.addRow(self.tr("Source"), self.source)
        form.addRow(dialog_buttons(self))

    def _range(self) -> None:
        definition = indicator_def(self.code.currentData() or "")
        maximum = float(definition.maximum) if definition else 100.0
        self.value.setRange(0, maximum)
        self.value.setSingleStep(1 if definition and definition.kind is IndicatorKind.FLAG
                                 else 0.5)
