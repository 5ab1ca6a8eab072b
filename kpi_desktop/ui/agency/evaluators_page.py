"""Evaluators: who evaluates whom (Điều 10), from and to which day; nobody evaluates themself
and the relations never go round in a circle."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QWidget,
)

from kpi_desktop.ui.agency.base import AgencyPage
from kpi_desktop.ui.common import (
    column,
    date_edit,
    date_text,
    from_qdate,
    named,
    row,
    to_qdate,
    with_side_panel,
)
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.tables import Column, Fit, RecordTableView


class EvaluatorsPage(AgencyPage):
    """The evaluator relations, current ones first; one relation edited at a time."""

    page_id = "agency_evaluators"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr("Who evaluates whom"))
        texts = self.texts
        self.current_only = texts.check(lambda: self.tr("&Current relations only"),
                                        name="current_only", checked=True)
        self.relations = texts.table(RecordTableView.of([
            Column(lambda: self.tr("Evaluated person"), lambda r: r.evaluatee_name,
                   fit=Fit.NAME),
            Column(lambda: self.tr("Evaluator"), lambda r: r.evaluator_name, fit=Fit.NAME),
            Column(lambda: self.tr("From"), lambda r: date_text(r.start_on),
                   sort=lambda r: r.start_on),
            Column(lambda: self.tr("To"), lambda r: date_text(r.end_on),
                   sort=lambda r: r.end_on),
            Column(lambda: self.tr("Kind"), self._kind_text, fit=Fit.ELIDE, min_chars=6),
        ], key=lambda r: r.id, name="relations"))

        self.form_box = texts.box(lambda: self.tr("Relation"))
        self.evaluatee = named(QComboBox(), "evaluatee", data=True)
        self.evaluator = named(QComboBox(), "evaluator", data=True)
        today = self.admin.today()
        self.start = named(date_edit(today), "start")
        self.open_ended = texts.check(lambda: self.tr("no end"), name="open_ended",
                                      checked=True)
        self.end = named(date_edit(today), "end")
        self.end.setEnabled(False)
        self.note = named(QLineEdit(), "note")
        fields, self.labels = texts.form(self.form_box, [
            (lambda: self.tr("Evaluated &person:"), self.evaluatee),
            (lambda: self.tr("E&valuator:"), self.evaluator),
            (lambda: self.tr("F&rom:"), self.start),
            (lambda: self.tr("&To:"), row(self.open_ended, self.end)),
            (lambda: self.tr("N&ote:"), self.note)])
        self.labels[3].setBuddy(self.open_ended)
        self.add_button = texts.button(lambda: self.tr("&Add"), self.add_relation,
                                       name="add_relation")
        self.save_button = texts.button(lambda: self.tr("&Save changes"), self.save_relation,
                                        name="save_relation")
        self.end_button = texts.button(lambda: self.tr("&End on the “To” day"),
                                       self.end_relation, name="end_relation")
        fields.addRow(row(self.add_button, self.save_button, self.end_button))
        self.rules = texts.label(lambda: self.tr(
            "A new evaluator ends the person's current one the day before. Nobody evaluates "
            "themself, and evaluators cannot go round in a circle."), wrap=True)
        fields.addRow(self.rules)

        column(self, row(self.heading, None, self.current_only),
               (with_side_panel(self.relations, [self.form_box, self.message], 450), 1))

        self._rows: list[Any] = []
        self.current_only.toggled.connect(lambda _on: self._show_rows())
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.relations.current_changed.connect(lambda _key: self._selected())
        self.retranslate_ui()
        self.refresh()

    def _kind_text(self, relation: Any) -> str:
        kinds = {"direct": self.tr("direct"), "acting": self.tr("acting")}
        return kinds.get(relation.kind.value, relation.kind.value)

    def title(self) -> str:
        return self.tr("Evaluators")

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
