"""Evaluators: who evaluates whom (Điều 10), from and to which day; nobody evaluates themself
and the relations never go round in a circle."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.ui.agency.base import AgencyPage
from kpi_desktop.ui.common import (
    buttons,
    date_edit,
    date_text,
    form,
    from_qdate,
    named,
    row,
    set_texts,
    to_qdate,
    with_side_panel,
)
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.tables import Column, Fit, RecordTableView


class EvaluatorsPage(AgencyPage):
    """The evaluator relations, current ones first; one relation edited at a time."""

    page_id = "agency_evaluators"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.heading = QLabel()
        self.current_only = named(QCheckBox(), "current_only")
        self.current_only.setChecked(True)
        self.relations = RecordTableView.of([
            Column(lambda: self.tr("Evaluated person"), lambda r: r.evaluatee_name,
                   fit=Fit.NAME),
            Column(lambda: self.tr("Evaluator"), lambda r: r.evaluator_name, fit=Fit.NAME),
            Column(lambda: self.tr("From"), lambda r: date_text(r.start_on),
                   sort=lambda r: r.start_on),
            Column(lambda: self.tr("To"), lambda r: date_text(r.end_on),
                   sort=lambda r: r.end_on),
            Column(lambda: self.tr("Kind"), self._kind_text, fit=Fit.ELIDE, min_chars=6),
        ], key=lambda r: r.id, name="relations")

        self.form_box = QGroupBox()
        self.evaluatee = named(QComboBox(), "evaluatee", data=True)
        self.evaluator = named(QComboBox(), "evaluator", data=True)
        today = self.admin.today()
        self.start = named(date_edit(today), "start")
        self.open_ended = named(QCheckBox(), "open_ended")
        self.open_ended.setChecked(True)
        self.end = named(date_edit(today), "end")
        self.end.setEnabled(False)
        self.note = named(QLineEdit(), "note")
        fields, self.labels = form(self.form_box, [
            self.evaluatee, self.evaluator, self.start, row(self.open_ended, self.end),
            self.note])
        self.labels[3].setBuddy(self.open_ended)
        self.add_button, self.save_button, self.end_button = buttons(
            "add_relation", "save_relation", "end_relation")
        fields.addRow(row(self.add_button, self.save_button, self.end_button))
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        fields.addRow(self.rules)

        layout = QVBoxLayout(self)
        layout.addLayout(row(self.heading, None, self.current_only))
        layout.addLayout(with_side_panel(self.relations, [self.form_box, self.message], 450),
                         1)

        self._rows: list[Any] = []
        self.current_only.toggled.connect(lambda _on: self._show_rows())
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.relations.current_changed.connect(lambda _key: self._selected())
        self.add_button.clicked.connect(self.add_relation)
        self.save_button.clicked.connect(self.save_relation)
        self.end_button.clicked.connect(self.end_relation)
        self.retranslate_ui()
        self.refresh()

    def _kind_text(self, relation: Any) -> str:
        kinds = {"direct": self.tr("direct"), "acting": self.tr("acting")}
        return kinds.get(relation.kind.value, relation.kind.value)

    def title(self) -> str:
        return self.tr("Evaluators")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Who evaluates whom") + "</b>")
        self.current_only.setText(self.tr("&Current relations only"))
        self.relations.retranslate()
        self.form_box.setTitle(self.tr("Relation"))
        set_texts(self.labels, (self.tr("Evaluated &person:"), self.tr("E&valuator:"),
                                self.tr("F&rom:"), self.tr("&To:"), self.tr("N&ote:")))
        self.open_ended.setText(self.tr("no end"))
        self.add_button.setText(self.tr("&Add"))
        self.save_button.setText(self.tr("&Save changes"))
        self.end_button.setText(self.tr("&End on the “To” day"))
        self.rules.setText(self.tr(
            "A new evaluator ends the person's current one the day before. Nobody evaluates "
            "themself, and evaluators cannot go round in a circle."))
        if self.isVisible():
            self.refresh()

    # ---------------------------------------------------------------- data -----------------

    def refresh(self) -> None:
        people = [p for p in self.admin.people() if p.active]
        for combo in (self.evaluatee, self.evaluator):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for p in people:
                combo.addItem(f"{p.full_name} ({p.unit_name})", p.id)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        self._rows = self.admin.relations()
        self._show_rows()

    def _show_rows(self) -> None:
        today = self.admin.today()
        self.relations.set_rows(
            r for r in self._rows if not self.current_only.isChecked()
            or (r.start_on <= today and (r.end_on is None or r.end_on >= today))
            or r.start_on > today)
        chosen = self.relations.current_key() is not None
        self.save_button.setEnabled(chosen)
        self.end_button.setEnabled(chosen)

    def _selected(self) -> None:
        relation = self.relations.current_record()
        self.save_button.setEnabled(relation is not None)
        self.end_button.setEnabled(relation is not None)
        if relation is None:
            return
        self.evaluatee.setCurrentIndex(max(0, self.evaluatee.findData(relation.evaluatee_id)))
        self.evaluator.setCurrentIndex(max(0, self.evaluator.findData(relation.evaluator_id)))
        self.start.setDate(to_qdate(relation.start_on))
        self.open_ended.setChecked(relation.end_on is None)
        if relation.end_on is not None:
            self.end.setDate(to_qdate(relation.end_on))
        self.note.setText(relation.note)

    def choose(self, relation_id: str) -> None:
        self.current_only.setChecked(False)
        if not self.relations.select_key(relation_id):
            raise KeyError(relation_id)
        self._selected()

    def set_pair(self, evaluatee_id: str, evaluator_id: str) -> None:
        """Choose the two people in the form (tests and keyboard users)."""
        self.evaluatee.setCurrentIndex(self.evaluatee.findData(evaluatee_id))
        self.evaluator.setCurrentIndex(self.evaluator.findData(evaluator_id))

    # ---------------------------------------------------------------- actions --------------

    def _end_day(self) -> Any:
        return None if self.open_ended.isChecked() else from_qdate(self.end.date())

    def add_relation(self) -> bool:
        evaluatee, evaluator = self.evaluatee.currentData(), self.evaluator.currentData()
        if evaluatee is None or evaluator is None:
            return False
        start, end, note = from_qdate(self.start.date()), self._end_day(), self.note.text()
        return self.attempt(
            lambda: self.admin.add_relation(evaluator_id=evaluator, evaluatee_id=evaluatee,
                                            start_on=start, end_on=end, note=note),
            lambda r: self.tr("{evaluator} evaluates {person} from {start}.").format(
                evaluator=r.evaluator_name, person=r.evaluatee_name,
                start=date_text(r.start_on)))

    def save_relation(self) -> bool:
        relation_id = self.relations.current_key()
        if relation_id is None:
            return False
        evaluator, start, end, note = (self.evaluator.currentData(),
                                       from_qdate(self.start.date()), self._end_day(),
                                       self.note.text())
        return self.attempt(
            lambda: self.admin.update_relation(relation_id, evaluator_id=evaluator,
                                               start_on=start, end_on=end, note=note),
            lambda _r: self.tr("Relation saved."))

    def end_relation(self) -> bool:
        relation_id = self.relations.current_key()
        if relation_id is None:
            return False
        day = from_qdate(self.end.date())
        return self.attempt(lambda: self.admin.end_relation(relation_id, day),
                            lambda _r: self.tr("Relation ended on {day}.").format(
                                day=date_text(day)))
