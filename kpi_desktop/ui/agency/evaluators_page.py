"""Evaluators: who evaluates whom (Điều 10), from and to which day; nobody evaluates themself
and the relations never go round in a circle."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.ui.agency.base import AgencyPage, fill, select_id, selected_id, table
from kpi_desktop.ui.common import date_edit, date_text, from_qdate, mark_data, to_qdate
from kpi_desktop.ui.pages.base import UserContext


class EvaluatorsPage(AgencyPage):
    """The evaluator relations, current ones first; one relation edited at a time."""

    page_id = "agency_evaluators"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.heading = QLabel()
        self.current_only = QCheckBox()
        self.current_only.setObjectName("current_only")
        self.current_only.setChecked(True)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.current_only)
        self.relations = table(5, stretch=0)
        self.relations.setObjectName("relations")

        self.form_box = QGroupBox()
        self.evaluatee = QComboBox()
        self.evaluatee.setObjectName("evaluatee")
        self.evaluator = QComboBox()
        self.evaluator.setObjectName("evaluator")
        for combo in (self.evaluatee, self.evaluator):
            mark_data(combo)
            combo.setEditable(False)
        today = self.admin.today()
        self.start = date_edit(today)
        self.start.setObjectName("start")
        self.open_ended = QCheckBox()
        self.open_ended.setObjectName("open_ended")
        self.open_ended.setChecked(True)
        self.end = date_edit(today)
        self.end.setObjectName("end")
        self.end.setEnabled(False)
        end_row = QHBoxLayout()
        end_row.addWidget(self.open_ended)
        end_row.addWidget(self.end, 1)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.labels = [QLabel() for _ in range(5)]
        form = QFormLayout(self.form_box)
        for label, field in zip(self.labels, (self.evaluatee, self.evaluator, self.start,
                                              end_row, self.note), strict=True):
            if isinstance(field, QWidget):
                label.setBuddy(field)
            form.addRow(label, field)
        self.labels[3].setBuddy(self.open_ended)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_relation")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_relation")
        self.end_button = QPushButton()
        self.end_button.setObjectName("end_relation")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.end_button)
        form.addRow(buttons)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        form.addRow(self.rules)

        side = QVBoxLayout()
        side.addWidget(self.form_box)
        side.addWidget(self.message)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(450)
        body = QHBoxLayout()
        body.addWidget(self.relations, 1)
        body.addWidget(side_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

        self._rows: list[Any] = []
        self.current_only.toggled.connect(lambda _on: self._show_rows())
        self.open_ended.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.relations.itemSelectionChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add_relation)
        self.save_button.clicked.connect(self.save_relation)
        self.end_button.clicked.connect(self.end_relation)
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Evaluators")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Who evaluates whom") + "</b>")
        self.current_only.setText(self.tr("&Current relations only"))
        self.relations.setHorizontalHeaderLabels([
            self.tr("Evaluated person"), self.tr("Evaluator"), self.tr("From"), self.tr("To"),
            self.tr("Kind")])
        self.form_box.setTitle(self.tr("Relation"))
        for label, text in zip(self.labels, (
                self.tr("Evaluated &person:"), self.tr("E&valuator:"), self.tr("F&rom:"),
                self.tr("&To:"), self.tr("N&ote:")), strict=True):
            label.setText(text)
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
        rows = [r for r in self._rows if not self.current_only.isChecked()
                or (r.start_on <= today and (r.end_on is None or r.end_on >= today))
                or r.start_on > today]
        chosen = selected_id(self.relations)
        kinds = {"direct": self.tr("direct"), "acting": self.tr("acting")}
        self.relations.blockSignals(True)
        fill(self.relations, [[r.evaluatee_name, r.evaluator_name, date_text(r.start_on),
                               date_text(r.end_on), kinds.get(r.kind.value, r.kind.value)]
                              for r in rows], [r.id for r in rows])
        self.relations.blockSignals(False)
        if chosen is not None:
            select_id(self.relations, chosen)
        self.save_button.setEnabled(selected_id(self.relations) is not None)
        self.end_button.setEnabled(selected_id(self.relations) is not None)

    def _selected(self) -> None:
        relation_id = selected_id(self.relations)
        relation = next((r for r in self._rows if r.id == relation_id), None)
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
        if not select_id(self.relations, relation_id):
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
        return self.attempt(
            lambda: self.admin.add_relation(evaluator_id=evaluator, evaluatee_id=evaluatee,
                                            start_on=from_qdate(self.start.date()),
                                            end_on=self._end_day(), note=self.note.text()),
            lambda r: self.tr("{evaluator} evaluates {person} from {start}.").format(
                evaluator=r.evaluator_name, person=r.evaluatee_name,
                start=date_text(r.start_on)))

    def save_relation(self) -> bool:
        relation_id = selected_id(self.relations)
        if relation_id is None:
            return False
        return self.attempt(
            lambda: self.admin.update_relation(
                relation_id, evaluator_id=self.evaluator.currentData(),
                start_on=from_qdate(self.start.date()), end_on=self._end_day(),
                note=self.note.text()),
            lambda _r: self.tr("Relation saved."))

    def end_relation(self) -> bool:
        relation_id = selected_id(self.relations)
        if relation_id is None:
            return False
        day = from_qdate(self.end.date())
        return self.attempt(lambda: self.admin.end_relation(relation_id, day),
                            lambda _r: self.tr("Relation ended on {day}.").format(
                                day=date_text(day)))
