"""Assigning work: per person, assigned vs completed; assign, cancel, copy last month."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from kpi_desktop.domain.model import KpiKind, Period, fold_text
from kpi_desktop.runtime import i18n
from kpi_desktop.services.kpi_kinds import kpi_kind_label, parse_kpi_kind
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    add_fields,
    column,
    date_format,
    from_qdate,
    mark_data,
    month_periods,
    month_text,
    name_of,
    number_locale,
    row,
    split,
    stacked,
    to_qdate,
)
from kpi_desktop.ui.pages.base import Page, PrintRequest, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableModel, RecordTableView


class LeaderAssignmentsPage(Page):
    """The leader assigns catalog items to the people they evaluate."""

    page_id = "leader.assignments"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._rows: list[Any] = []
        self._items: list[Any] = []
        today = services.assignments.today()
        texts = self.texts

        self.period_label = texts.label(lambda: self.tr("Month:"))
        self.period = QComboBox()
        for period in month_periods(today, before=3, after=2):
            self.period.addItem(month_text(period), str(period))
        self.period.setCurrentIndex(self.period.findData(str(Period.containing(today))))
        self.period.currentIndexChanged.connect(self.refresh)
        self.copy_button = texts.button(
            lambda: self.tr("Copy last month's assignments"), self.copy_previous,
            tip=lambda: self.tr("Copies every person's assignments of the previous month; "
                                "people who already have assignments this month are left as "
                                "they are."))
        top = row(self.period_label, self.period, None, self.copy_button)

        self.people_model: RecordTableModel[Any] = self.texts.table(RecordTableModel(
            [Column(lambda: self.tr("Person"), lambda p: p.person_name, fit=Fit.NAME),
             Column(lambda: self.tr("Tasks"), lambda p: str(p.assignments),
                    sort=lambda p: p.assignments, align=RIGHT),
             Column(lambda: self.tr("Assigned"), lambda p: formatting.number(p.assigned_units),
                    sort=lambda p: p.assigned_units, align=RIGHT),
             Column(lambda: self.tr("Completed"),
                    lambda p: formatting.number(p.completed_units),
                    sort=lambda p: p.completed_units, align=RIGHT),
             Column(lambda: self.tr("Completed %"),
                    lambda p: "–" if p.completed_share is None
                    else formatting.percent(p.completed_share),
                    sort=lambda p: p.completed_share, align=RIGHT)],
            key=lambda p: p.person_id, parent=self))
        self.people = RecordTableView(self.people_model)
        self.people.current_changed.connect(lambda _key: self._show_person())

        self.model: RecordTableModel[Any] = self.texts.table(RecordTableModel(
            [Column(lambda: self.tr("Code"), lambda r: r.item_code),
             Column(lambda: self.tr("Product / work"), self._item_name, fit=Fit.WRAP),
             Column(lambda: self.tr("Quantity"),
                    lambda r: " ".join((formatting.number(r.assignment.quantity),
                                        r.unit_of_output)).strip(), align=RIGHT),
             Column(lambda: self.tr("Due"), lambda r: formatting.date(r.assignment.deadline),
                    sort=lambda r: r.assignment.deadline),
             Column(lambda: self.tr("Confirmed"),
                    lambda r: formatting.number(r.completed_quantity), align=RIGHT),
             Column(lambda: self.tr("Waiting"), lambda r: formatting.number(r.pending_quantity),
                    align=RIGHT)],
            key=lambda r: r.assignment.id, parent=self))
        self.table = RecordTableView(self.model)
        self.cancel_button = texts.button(lambda: self.tr("Cancel the selected assignment"),
                                          self.cancel_selected)

        self.form_box = texts.box(lambda: self.tr("Assign a task"))
        form = QFormLayout(self.form_box)
        self.person_combo = QComboBox()
        mark_data(self.person_combo)
        self.person_combo.currentIndexChanged.connect(self._load_items)
        self.item_combo = QComboBox()
        self.item_combo.setEditable(True)
        self.item_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.item_combo.model(), self.item_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.item_combo.setCompleter(completer)
        self.item_combo.setMinimumWidth(360)
        mark_data(self.item_combo)
        self.quantity = QDoubleSpinBox()
        self.quantity.setRange(0, 100000)
        self.quantity.setDecimals(2)
        self.quantity.setValue(1)
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.note = QLineEdit()
        self.kind_combo = QComboBox()  # KPI kind (seed 001); empty = the catalog item's kind
        self.assign_button = texts.button(lambda: self.tr("Assign"), self.assign)
        self._form_labels = texts.each(add_fields(form, [
            self.person_combo, self.item_combo, self.quantity, self.deadline, self.kind_combo,
            self.note]), lambda: (self.tr("Person"), self.tr("Catalog item"),
                                  self.tr("Quantity"), self.tr("Deadline"), self.tr("KPI kind"),
                                  self.tr("Note")))
        form.addRow(self.assign_button)

        self.people_title = texts.label(lambda: self.tr("Assigned vs completed (converted units)"))
        left = stacked(self.people_title, (self.people, 1), self.form_box)
        self.table_title = QLabel()
        right = stacked(self.table_title, (self.table, 1),
                       (self.cancel_button, 0, Qt.AlignmentFlag.AlignRight))
        column(self, top, (split((left, 2, 560), (right, 3, 800)), 1))
        self.retranslate_ui()

    # ---------------------------------------------------------------- Page -----------------
    def title(self) -> str:
        return self.tr("Assignments")

    def retranslate_ui(self) -> None:
        chosen_kind = self.kind_combo.currentData()
        self.kind_combo.clear()
        self.kind_combo.addItem(self.tr("as in the catalog"), "")
        for kind in KpiKind:
            self.kind_combo.addItem(kpi_kind_label(kind), kind.value)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(chosen_kind or "")))
        self.deadline.setDisplayFormat(date_format())
        self.quantity.setLocale(number_locale())
        self.refresh()

    def current_period(self) -> Period:
        return Period.parse(self.period.currentData())

    def refresh(self) -> None:
        period = self.current_period()
        chosen = self.selected_person()
        progress = self.services.assignments.progress(self.user.person_id, period)
        self._rows = self.services.assignments.list(self.user.person_id, period)
        self.people_model.set_rows(progress)
        # The assignment form's people.
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        for p in progress:
            self.person_combo.addItem(p.person_name, p.person_id)
        self.person_combo.blockSignals(False)
        self._load_items()
        self.deadline.setDate(to_qdate(period.end))
        if chosen is None or not self.people.select_key(chosen):
            self.people.select_first()
        self._show_person()

    def print_request(self) -> PrintRequest:
        return PrintRequest(person_id=self.selected_person(), period=self.current_period())

    def selected_person(self) -> str | None:
        return self.people.current_key()

    def select_person(self, person_id: str) -> None:
        self.people.select_key(person_id)

    def _item_name(self, row: Any) -> str:
        return row.item_name_vi if i18n.current_language() == "vi" else row.item_name_en

    def _show_person(self) -> None:
        person_id = self.selected_person()
        rows = [r for r in self._rows if r.assignment.person_id == person_id]
        self.model.set_rows(rows)
        self.table_title.setText(self.tr("Assignments of {name} for {month}").format(
            name=self.person_combo.itemText(max(0, self.person_combo.findData(person_id))),
            month=month_text(self.current_period())) if person_id else "")
        if person_id is not None:
            index = self.person_combo.findData(person_id)
            if index >= 0 and index != self.person_combo.currentIndex():
                self.person_combo.setCurrentIndex(index)
        self.cancel_button.setEnabled(bool(rows))

    def _load_items(self) -> None:
        person_id = self.person_combo.currentData()
        self.item_combo.clear()
        if not person_id:
            return
        self._items = self.services.assignments.allowed_items(person_id)
        for item in self._items:
            self.item_combo.addItem(f"{item.code} — {name_of(item)}", item.code)
            self.item_combo.setItemData(self.item_combo.count() - 1,
                                        fold_text(f"{item.code} {item.name_vi}"),
                                        Qt.ItemDataRole.UserRole + 2)
        self.item_combo.setCurrentIndex(-1)

    # ---------------------------------------------------------------- actions --------------
    def _item_code(self) -> str:
        index = self.item_combo.currentIndex()
        if index >= 0 and self.item_combo.itemText(index) == self.item_combo.currentText():
            return self.item_combo.itemData(index)
        typed = self.item_combo.currentText().split("—")[0].strip()
        return typed

    def assign(self) -> None:
        person_id = self.person_combo.currentData()
        if not person_id:
            return
        service, me, period = self.services.assignments, self.user.person_id, \
            self.current_period()
        code, quantity = self._item_code(), Decimal(str(round(self.quantity.value(), 2)))
        deadline, note = from_qdate(self.deadline.date()), self.note.text()
        kind = parse_kpi_kind(self.kind_combo.currentData())
        name = self.person_combo.currentText()

        def assigned(_result: Any) -> None:
            self.note.clear()
            self.select_person(person_id)

        self.run_change(lambda: service.assign(me, person_id, code, period, quantity, deadline,
                                               note=note, kpi_kind=kind),
                        title=self.tr("Assignments"), then=assigned,
                        done=self.tr("Task {code} assigned to {name}.").format(
                            code=code, name=name))

    def cancel_selected(self) -> None:
        assignment_id = self.table.current_key()
        if assignment_id is None:
            return
        service, me = self.services.assignments, self.user.person_id
        self.run_change(lambda: service.cancel(me, assignment_id),
                        title=self.tr("Assignments"), done=self.tr("Assignment cancelled."))

    def copy_previous(self) -> None:
        service, me, period = self.services.assignments, self.user.person_id, \
            self.current_period()
        self.run_change(lambda: service.copy_previous(me, period), title=self.tr("Assignments"),
                        done=lambda result: self.tr(
                            "{n} assignments copied for {people} people; {skipped} people "
                            "skipped.").format(n=sum(result.copied.values()),
                                               people=len(result.copied),
                                               skipped=len(result.skipped)))
