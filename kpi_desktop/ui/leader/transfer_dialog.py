"""Organisation changes from the leader's unit view (issue 9 §4): transfer a person to another
unit (điều động, luân chuyển) with their membership history and the origin of each month,
and merge units (sáp nhập). Only the head of the agency (or the administrator) sees them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import Period
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import level_label
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import (
    column,
    data_label,
    date_edit,
    date_format,
    dialog_buttons,
    error_text,
    form,
    from_qdate,
    mark_data,
    month_text,
    name_of,
    names_of,
    row,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Retranslated
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView, RowStyle

ERROR_COLOUR = "#b91c1c"
OK_COLOUR = "#166534"


def decision_date_edit(today: dt.date) -> QDateEdit:
    """A date field for a decision's date that starts empty (never today by default): its
    lowest date shows as blank and means "not given"; the calendar opens on this month."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setSpecialValueText(" ")
    edit.setDate(edit.minimumDate())
    edit.calendarWidget().setCurrentPage(today.year, today.month)
    return edit


def chosen_date(edit: QDateEdit) -> dt.date | None:
    """The date of a :func:`decision_date_edit`, or None while it is empty."""
    return None if edit.date() == edit.minimumDate() else from_qdate(edit.date())


def confirm_far_date(parent: QWidget, error: KpiError) -> bool:
    """Ask whether a date far from today is really the decision's date."""
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("TransferDialog", "Check the date"),
        error_text(error) + "\n\n" + QCoreApplication.translate(
            "TransferDialog", "Is this the date of the decision?"))
    return answer == QMessageBox.StandardButton.Yes


def _first_of_next_month(day: dt.date) -> dt.date:
    return Period.containing(day).next().start


def _status(label: QLabel, text: str, *, error: bool) -> None:
    label.setStyleSheet(f"color: {ERROR_COLOUR if error else OK_COLOUR};")
    label.setText(text)


class TransferDialog(Retranslated, QDialog):
    """Move a person to another unit from a date; shows where they were and where each
    evaluated month of the year came from."""

    changed = Signal()

    def __init__(self, services: Any, actor_id: str, person_id: str | None = None,
                 year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor_id = actor_id
        today = services.transfers.today()
        self.year = year or today.year
        texts = self.texts
        texts.set(self, window_title=lambda: self.tr("Transfer a person"))
        self.resize(1000, 700)
        self.person = QComboBox()
        self.person.setMinimumWidth(360)
        self.person.currentIndexChanged.connect(self.refresh)
        self.person_label = texts.label(lambda: self.tr("Person:"))
        self.current = mark_data(QLabel())
        top = row(self.person_label, (self.person, 1), self.current)

        self.history_box = texts.box(lambda: self.tr("Membership history"))
        self._unit_names: dict[str, str] = {}
        self.memberships = texts.table(RecordTableView.of([
            Column(lambda: self.tr("Unit"), lambda m: self._unit_names.get(m.unit_id,
                                                                           m.unit_name),
                   fit=Fit.WRAP, min_chars=16),
            Column(lambda: self.tr("From"), lambda m: formatting.date(m.start_on),
                   sort=lambda m: m.start_on),
            Column(lambda: self.tr("To"), lambda m: formatting.date(m.end_on)
                   if m.end_on else "…", sort=lambda m: m.end_on),
            Column(lambda: self.tr("Decision / reason"), lambda m: m.reason, fit=Fit.WRAP,
                   min_chars=16),
        ], key=lambda m: (m.unit_id, m.start_on), name="memberships"))
        self.memberships.setMaximumHeight(self.fontMetrics().height() * 7)
        self.evaluators = data_line()
        self.months_title = QLabel()
        self._person_unit = ""
        self.months = texts.table(RecordTableView.of([
            Column(lambda: self.tr("Month"), lambda m: month_text(m.period),
                   sort=lambda m: m.period.start),
            Column(lambda: self.tr("Total"), lambda m: formatting.number(m.total),
                   sort=lambda m: m.total, align=RIGHT),
            Column(lambda: self.tr("Indicative level"), lambda m: level_label(m.level),
                   fit=Fit.WRAP, min_chars=10),
            Column(lambda: self.tr("Unit"), self._month_unit, fit=Fit.WRAP, min_chars=14),
            Column(lambda: self.tr("Evaluator"), lambda m: m.evaluator_name, fit=Fit.NAME),
            Column(lambda: self.tr("Source"), lambda m: self.tr("this agency")
                   if m.source == "local" else self.tr("received from {agency}").format(
                       agency=m.agency_name), fit=Fit.WRAP, min_chars=12),
        ], key=lambda m: str(m.period), name="months", row_style=lambda m: RowStyle(
            foreground=QColor("#1d4ed8"))
            if m.unit_id != self._person_unit or m.source != "local" else None))
        history = QVBoxLayout(self.history_box)
        history.addWidget(self.memberships)
        history.addWidget(self.evaluators)
        history.addWidget(self.months_title)
        history.addWidget(self.months, 1)

        self.form_box = texts.box(lambda: self.tr("Transfer (reassignment or rotation)"))
        self.unit = QComboBox()
        self.from_date = decision_date_edit(today)  # empty until the decision's date is given
        self.decision = texts.field(lambda: self.tr("e.g. 112/QĐ-UBND"))
        self.reason = texts.field(lambda: self.tr("e.g. transfer according to work needs"))
        self.unit_label = texts.label(lambda: self.tr("New unit:"))
        self.date_label = texts.label(lambda: self.tr("From date:"))
        self.decision_label = texts.label(lambda: self.tr("Decision number:"))
        self.reason_label = texts.label(lambda: self.tr("Reason:"))
        self.form = QGridLayout()
        self.form.addWidget(self.unit_label, 0, 0)
        self.form.addWidget(self.unit, 0, 1)
        self.form.addWidget(self.date_label, 0, 2)
        self.form.addWidget(self.from_date, 0, 3)
        self.form.addWidget(self.decision_label, 1, 0)
        self.form.addWidget(self.decision, 1, 1)
        self.form.addWidget(self.reason_label, 1, 2)
        self.form.addWidget(self.reason, 1, 3)
        # A leader who evaluates others hands them over from the date (Điều 10).
        self.successor_label = texts.label(lambda: self.tr("Successor evaluator:"))
        self.successor = QComboBox()
        self.form.addWidget(self.successor_label, 2, 0)
        self.form.addWidget(self.successor, 2, 1)
        self.form.setColumnStretch(1, 1)
        self.form.setColumnStretch(3, 1)
        self.hand_over = data_line()
        self.note = texts.label(lambda: self.tr(
            "The current membership ends the day before; the head of the new unit becomes the "
            "evaluator. Months already evaluated stay with their unit and evaluator, and the "
            "new unit classifies the year with all of them (Decree 335, Article 19.1)."),
            wrap=True)
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(self.form)
        form_layout.addWidget(self.hand_over)
        form_layout.addWidget(self.note)
        self.from_date.dateChanged.connect(self.show_hand_over)
        self.successor.currentIndexChanged.connect(self.show_hand_over)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.apply_button = texts.button(lambda: self.tr("Transfer"))
        self.apply_button.setDefault(True)
        self.buttons = dialog_buttons(self, close=True, actions=((self.apply_button,
                                                                  self.submit),))
        column(self, top, (self.history_box, 1), self.form_box, self.status, self.buttons)
        self._load(person_id)
        self.retranslate_ui()

    # ---------------------------------------------------------------- content --------------
    def _load(self, person_id: str | None) -> None:
        units = {u.id: u for u in self.services.transfers.units(active_only=False)}
        self._unit_names = {uid: name_of(u) for uid, u in units.items()}
        wanted = person_id or self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        for person in self.services.transfers.people():
            unit = self._unit_names.get(person.unit_id, person.unit_id)
            self.person.addItem(f"{person.full_name} — {unit}", person.id)
        self.person.setCurrentIndex(max(0, self.person.findData(wanted)))
        self.person.blockSignals(False)
        current_unit = self.unit.currentData()
        self.unit.clear()
        for unit in self.services.transfers.units():
            self.unit.addItem(f"{name_of(unit)} ({unit.id})", unit.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(current_unit)))
        current_successor = self.successor.currentData()
        self.successor.blockSignals(True)
        self.successor.clear()
        self.successor.addItem(self.tr("The head above (default)"), "")
        for person in self.services.transfers.people():
            unit = self._unit_names.get(person.unit_id, person.unit_id)
            self.successor.addItem(f"{person.full_name} — {unit}", person.id)
        self.successor.setCurrentIndex(max(0, self.successor.findData(current_successor)))
        self.successor.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.successor.setItemText(0, self.tr("The head above (default)"))
        self.from_date.setDisplayFormat(date_format())
        self.refresh()

    def refresh(self) -> None:
        person_id = self.person.currentData()
        if not person_id:
            return
        history = self.services.transfers.history(person_id, self.year)
        self.current.setText(self.tr("Now in: {unit}").format(
            unit=self._unit_names.get(history.person.unit_id, history.unit_name)))
        self.memberships.set_rows(history.memberships)
        self.evaluators.setText(self.tr("Evaluators: {list}").format(list="; ".join(
            f"{e.evaluator_name} ({formatting.date(e.start_on)} – "
            f"{formatting.date(e.end_on) if e.end_on else '…'})" for e in history.evaluators)
            or "–"))
        self.months_title.setText(self.tr("Evaluated months of {year} and where they come "
                                          "from").format(year=self.year))
        self._person_unit = history.person.unit_id
        self.months.set_rows(history.months)
        self.show_hand_over()

    def _month_unit(self, month: Any) -> str:
        if month.source == "local":
            return self._unit_names.get(month.unit_id or "", month.unit_name)
        return month.unit_name

    def show_hand_over(self) -> None:
        """Show, before confirming, who the person evaluates and who takes them over."""
        person_id = self.person.currentData()
        if not person_id or chosen_date(self.from_date) is None:
            self.hand_over.clear()
            return
        try:
            preview = self.services.transfers.hand_over(
                person_id, from_qdate(self.from_date.date()),
                self.successor.currentData() or None)
        except KpiError as error:
            self.hand_over.setText(error_text(error))
            return
        leader = bool(preview.evaluatees)
        for widget in (self.successor_label, self.successor, self.hand_over):
            widget.setVisible(leader)
        if not leader:
            self.hand_over.clear()
            return
        names = ", ".join(p.full_name for p in preview.evaluatees)
        if preview.successor is None:
            text = self.tr("This person evaluates {n} people ({names}); there is no head above: "
                           "name the successor evaluator.")
            who = ""
        elif preview.named:
            text = self.tr("This person evaluates {n} people ({names}); from {date} they are "
                           "evaluated by {successor}.")
            who = preview.successor.full_name
        else:
            text = self.tr("This person evaluates {n} people ({names}); from {date} they are "
                           "evaluated by the head above, {successor}.")
            who = preview.successor.full_name
        self.hand_over.setText(text.format(n=len(preview.evaluatees), names=names,
                                           date=formatting.date(preview.from_date),
                                           successor=who))

    def submit(self, *, confirm_date: bool = False) -> bool:
        """Transfer the chosen person (an operation on the serial lane); False when refused at
        once. The decision's date is required (never today by default); a date more than 15
        days from today is asked about first (issue 15)."""
        transfers, actor = self.services.transfers, self.actor_id
        person, unit, start = (self.person.currentData(), self.unit.currentData(),
                               chosen_date(self.from_date))
        reason, decision, successor = (self.reason.text(), self.decision.text(),
                                       self.successor.currentData() or None)
        name = self.person.currentText().split(" — ")[0]
        asked: list[bool] = []

        def refused(error: KpiError) -> None:
            if error.code == "transfer_date_needs_confirmation" and not confirm_date:
                if confirm_far_date(self, error):
                    asked.append(self.submit(confirm_date=True))
                    return
                self.from_date.setFocus()
            _status(self.status, error_text(error), error=True)

        task = Op(self, lambda: transfers.transfer(
            person, unit, start, reason=reason, decision_no=decision, actor_id=actor,
            successor_id=successor, confirm_date=confirm_date)) \
            .failure(refused) \
            .success(lambda result: self._transferred(result, name)).run()
        if asked:
            return asked[0]
        return not (task.done and task.error is not None)

    def _transferred(self, result: Any, name: str) -> None:
        self._load(result.person_id)
        self.refresh()
        _status(self.status, self.tr("{person} belongs to {unit} from {date}.").format(
            person=name, unit=self._unit_names.get(result.to_unit_id, result.to_unit_id),
            date=formatting.date(result.from_date)), error=False)
        if result.reassigned:
            self.status.setText(self.status.text() + " " + self.tr(
                "{n} people they evaluated are now evaluated by {successor}.").format(
                n=len(result.reassigned), successor=self._person_name(result.successor_id)))
        self.changed.emit()

    def _person_name(self, person_id: str | None) -> str:
        index = self.successor.findData(person_id or "")
        return self.successor.itemText(index).split(" — ")[0] if index > 0 else (person_id or "–")


def data_line() -> QLabel:
    return data_label(wrap=True)


class MergeUnitsDialog(Retranslated, QDialog):
    """Merge units into an existing or a new unit from a date (sáp nhập)."""

    changed = Signal()

    def __init__(self, services: Any, actor_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor_id = actor_id
        texts = self.texts
        texts.set(self, window_title=lambda: self.tr("Merge units"))
        self.resize(960, 480)
        self.units_label = texts.label(lambda: self.tr("Units to merge:"))
        self.units = QListWidget()
        mark_data(self.units)
        self.units.itemChanged.connect(self._preview)
        self.into = QComboBox()
        self.into.currentIndexChanged.connect(self._into_changed)
        self.new_id = texts.field(lambda: self.tr("e.g. ktxh"))
        self.new_name = texts.field(lambda: self.tr("e.g. Phòng Kinh tế - Xã hội"))
        self.from_date = date_edit(_first_of_next_month(services.transfers.today()))
        self.decision = texts.field(lambda: self.tr("e.g. 15/NQ-HĐND"))
        self.reason = QLineEdit()
        fields, self.labels = form(None, [self.into, self.new_id, self.new_name,
                                          self.from_date, self.decision, self.reason])
        texts.each(self.labels, lambda: (
            self.tr("Merged into:"), self.tr("New unit identifier:"), self.tr("New unit name:"),
            self.tr("From date:"), self.tr("Decision number:"), self.tr("Reason:")))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        mark_data(self.preview)
        self.note = texts.label(lambda: self.tr(
            "Everyone and every sub-unit of the merged units moves; the merged units are closed "
            "and keep their history. Evaluators stay until new leaders are named; months "
            "already evaluated keep their unit and evaluator."), wrap=True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.apply_button = texts.button(lambda: self.tr("Merge"))
        self.buttons = dialog_buttons(self, close=True, actions=((self.apply_button,
                                                                  self.submit),))
        left = QVBoxLayout()
        left.addWidget(self.units_label)
        left.addWidget(self.units, 1)
        right = QVBoxLayout()
        right.addLayout(fields)
        right.addWidget(self.preview)
        right.addWidget(self.note)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._load()
        self.retranslate_ui()

    def _load(self) -> None:
        self.units.blockSignals(True)
        self.units.clear()
        self._active = self.services.transfers.units()
        for unit in self._active:
            item = QListWidgetItem(f"{name_of(unit)} ({unit.id})")
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.units.blockSignals(False)

    def _fill_into(self) -> None:
        current = self.into.currentData()
        self.into.blockSignals(True)
        self.into.clear()
        self.into.addItem(self.tr("A new unit"), "")
        for unit in self._active:
            self.into.addItem(f"{name_of(unit)} ({unit.id})", unit.id)
        self.into.setCurrentIndex(max(0, self.into.findData(current)))
        self.into.blockSignals(False)
        self._into_changed()

    def retranslate_ui(self) -> None:
        self.from_date.setDisplayFormat(date_format())
        self._fill_into()
        self._preview()

    def _into_changed(self) -> None:
        new = not self.into.currentData()
        self.new_id.setEnabled(new)
        self.new_name.setEnabled(new)

    def selected(self) -> list[str]:
        return [self.units.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]

    def check(self, unit_ids: list[str]) -> None:
        for i in range(self.units.count()):
            item = self.units.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in unit_ids else Qt.CheckState.Unchecked)

    def _preview(self) -> None:
        chosen = self.selected()
        people = self.services.transfers.people(chosen) if chosen else []
        self.preview.setText(self.tr("{units} unit(s) chosen: {people} people will move.")
                             .format(units=len(chosen), people=len(people)))

    def submit(self) -> bool:
        """Merge the chosen units (an operation on the serial lane); False when refused at
        once."""
        transfers, actor = self.services.transfers, self.actor_id
        into = self.into.currentData() or self.new_id.text().strip()
        chosen, start = self.selected(), from_qdate(self.from_date.date())
        name = self.new_name.text() if not self.into.currentData() else None
        reason, decision = self.reason.text(), self.decision.text()
        task = Op(self, lambda: transfers.merge(chosen, into, start, name=name, reason=reason,
                                                decision_no=decision, actor_id=actor)) \
            .failure(lambda error: _status(self.status, error_text(error), error=True)) \
            .success(self._merged).run()
        return not (task.done and task.error is not None)

    def _merged(self, result: Any) -> None:
        self._load()
        self._fill_into()
        self._preview()
        _status(self.status, self.tr("Merged into {unit}: {people} people and {subunits} "
                                     "sub-units moved.").format(
            unit=names_of(self.services)(result.into_unit_id), people=len(result.people),
            subunits=len(result.sub_units)), error=False)
        self.changed.emit()


class OrganisationChangesButton(Retranslated, QPushButton):
    """"Organisation changes…" with a menu: transfer a person, merge units."""

    def __init__(self, services: Any, actor_id: str, on_changed: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor_id = actor_id
        self.on_changed = on_changed
        self.menu_ = QMenu(self)
        self.transfer_action = self.menu_.addAction("")
        self.transfer_action.triggered.connect(lambda: self.open_transfer())
        self.merge_action = self.menu_.addAction("")
        self.merge_action.triggered.connect(lambda: self.open_merge())
        self.setMenu(self.menu_)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setText(self.tr("Organisation changes…"))
        self.transfer_action.setText(self.tr("Transfer a person…"))
        self.merge_action.setText(self.tr("Merge units…"))

    def transfer_dialog(self, person_id: str | None = None) -> TransferDialog:
        dialog = TransferDialog(self.services, self.actor_id, person_id, parent=self)
        dialog.changed.connect(self.on_changed)
        return dialog

    def merge_dialog(self) -> MergeUnitsDialog:
        dialog = MergeUnitsDialog(self.services, self.actor_id, parent=self)
        dialog.changed.connect(self.on_changed)
        return dialog

    def open_transfer(self, person_id: str | None = None) -> None:
        self.transfer_dialog(person_id).exec()

    def open_merge(self) -> None:
        self.merge_dialog().exec()


def organisation_changes_button(services: Any, actor_id: str, on_changed: Callable[[], None],
                                parent: QWidget | None = None
                                ) -> OrganisationChangesButton | None:
    """The button for the unit view, or ``None`` when ``actor_id`` may not change the
    organisation (only the head of the agency or the administrator may)."""
    transfers = getattr(services, "transfers", None)
    if transfers is None or not transfers.can_manage(actor_id):
        return None
    return OrganisationChangesButton(services, actor_id, on_changed, parent)


def month_origins(services: Any, person_ids: list[str], year: int
                  ) -> dict[tuple[str, str], Any]:
    """(person, "YYYY-MM") → the origin of each evaluated month, for the unit view."""
    transfers = getattr(services, "transfers", None)
    return transfers.month_origins(person_ids, year) if transfers is not None else {}


def origin_differs(origin: Any, unit_id: str) -> bool:
    """Whether a month was evaluated in another unit or agency (the unit view shows it in
    italics, with :func:`origin_text` as its tooltip)."""
    return origin is not None and (origin.unit_id != unit_id or origin.source != "local")


def why_origin_line(services: Any, person_id: str, period: str) -> str:
    """The line the "why" adds for a month: where and by whom it was evaluated."""
    origin = month_origins(services, [person_id], int(period[:4])).get((person_id, period))
    return "" if origin is None else origin_text(origin)


def origin_text(origin: Any) -> str:
    """Where a month was evaluated and by whom."""
    if origin.source == "local":
        return translate("Transfers", "Evaluated in {unit} by {evaluator}").format(
            unit=origin.unit_name, evaluator=origin.evaluator_name or "–")
    return translate("Transfers", "Evaluated in {unit} ({agency}) by {evaluator}; received "
                                  "with the transfer").format(
        unit=origin.unit_name, agency=origin.agency_name, evaluator=origin.evaluator_name or "–")
