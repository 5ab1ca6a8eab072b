"""People: the list with search; add and edit a person; record that someone left the
organisation; enrol and revoke keys; import a staff list after a preview that shows every bad
row before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import PersonRole
from kpi_desktop.domain.values import fold_text, normalize_text
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.agency.base import AgencyPage, fill, role_label, select_id, selected_id, table
from kpi_desktop.ui.common import ERROR_STYLE, date_edit, date_text, from_qdate, mark_data, to_qdate
from kpi_desktop.ui.pages.base import UserContext

_fold = fold_text  # the one diacritic fold (domain.values)


class StaffImportDialog(QDialog):
    """A staff list checked row by row; Import is possible only when every row is good."""

    def __init__(self, services: Any, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.path = path
        self.preview: Any = None
        self.summary: Any = None
        self.setMinimumSize(900, 520)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        mark_data(self.intro)
        self.rows = table(7, stretch=2)
        self.rows.setObjectName("staff_rows")
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setObjectName("staff_errors")
        self.errors.setStyleSheet(ERROR_STYLE)
        mark_data(self.errors)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_staff")
        self.cancel_button = QPushButton()
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self._check()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import a staff list"))
        self.rows.setHorizontalHeaderLabels([
            self.tr("Row"), self.tr("Identifier"), self.tr("Full name"), self.tr("Unit"),
            self.tr("Role"), self.tr("Evaluator"), self.tr("Result")])
        self.import_button.setText(self.tr("&Import"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _check(self) -> None:
        try:
            self.preview = self.services.agency.preview_staff(self.path)
        except KpiError as error:
            self.intro.setText(self.path.name)
            self.errors.setText(describe(error))
            self.import_button.setEnabled(False)
            return
        actions = {"add": self.tr("new"), "update": self.tr("changed"),
                   "same": self.tr("unchanged")}
        rows = []
        for check in self.preview.rows:
            v = check.values
            rows.append([str(check.number), v.get("id", ""), v.get("full_name", ""),
                         v.get("unit_id", ""), v.get("role", ""), v.get("evaluator_id", ""),
                         self.tr("error") if check.error else actions[check.action]])
        fill(self.rows, rows)
        for r, check in enumerate(self.preview.rows):
            if check.error is not None:
                for c in range(self.rows.columnCount()):
                    self.rows.item(r, c).setForeground(Qt.GlobalColor.red)
                    self.rows.item(r, c).setToolTip(describe(check.error))
        self.intro.setText(self.tr(
            "{file}: {rows} rows — {new} new people, {changed} changed, {same} unchanged. "
            "Nothing is written until you press Import.").format(
            file=self.path.name, rows=len(self.preview.rows), new=self.preview.count("add"),
            changed=self.preview.count("update"), same=self.preview.count("same")))
        errors = self.preview.errors
        if errors:
            lines = [describe(c.error) for c in errors[:8]]
            if len(errors) > 8:
                lines.append(self.tr("… and {count} more rows with errors.").format(
                    count=len(errors) - 8))
            self.errors.setText(self.tr("Correct these rows in the file and choose it "
                                        "again:") + "\n" + "\n".join(lines))
        self.import_button.setEnabled(not errors)

    def accept(self) -> None:
        try:
            self.summary = self.services.agency.import_staff(self.path)
        except KpiError as error:
            self.errors.setText(describe(error))
            return
        super().accept()


class LeaveDialog(QDialog):
    """A person left the organisation: their last day and, optionally, why. Accepting ends
    their membership and evaluator relations, revokes their key and hides them from sign-in
    and the lists (their history stays); a refusal is shown here and changes nothing."""

    def __init__(self, services: Any, person: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person = person
        self.result_view: Any = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        mark_data(self.intro)
        self.last_day = date_edit(services.agency.today())
        self.last_day.setObjectName("last_day")
        self.reason = QLineEdit()
        self.reason.setObjectName("leave_reason")
        self.day_label = QLabel()
        self.day_label.setBuddy(self.last_day)
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("leave_error")
        self.error.setStyleSheet(ERROR_STYLE)
        mark_data(self.error)
        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton()
        self.ok_button.setObjectName("record_leave")
        self.cancel_button = QPushButton()
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.day_label, self.last_day)
        form.addRow(self.reason_label, self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Left the organisation"))
        self.intro.setText(self.tr(
            "{name} leaves the organisation. Their unit membership and evaluator relations "
            "end on the last day, their key is revoked and, after the next publication, they "
            "no longer appear at sign-in or in the lists. Their work log and evaluations are "
            "kept.").format(name=self.person.full_name))
        self.day_label.setText(self.tr("&Last day:"))
        self.reason_label.setText(self.tr("&Reason (optional):"))
        self.reason.setPlaceholderText(self.tr("retirement, transfer to another agency…"))
        self.ok_button.setText(self.tr("&Record departure"))
        self.cancel_button.setText(self.tr("Cancel"))

    def accept(self) -> None:
        try:
            self.result_view = self.services.agency.deactivate_person(
                self.person.id, left_on=from_qdate(self.last_day.date()),
                reason=self.reason.text())
        except KpiError as error:
            self.error.setText(describe(error))
            return
        super().accept()


class PeoplePage(AgencyPage):
    """Everyone in the organisation; one person edited at a time."""

    page_id = "agency_people"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.heading = QLabel()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_staff_list")
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.search, 1)
        top.addWidget(self.import_button)
        self.people = table(5, stretch=1)
        self.people.setObjectName("people")

        self.form_box = QGroupBox()
        self.person_id = QLineEdit()
        self.person_id.setObjectName("person_id")
        mark_data(self.person_id)
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        mark_data(self.unit)
        self.position = QComboBox()
        self.position.setObjectName("position")
        mark_data(self.position)
        self.role = QComboBox()
        self.role.setObjectName("role")
        self.since = date_edit(self.admin.today())
        self.labels = [QLabel() for _ in range(6)]
        form = QFormLayout(self.form_box)
        for label, field in zip(self.labels, (self.person_id, self.full_name, self.unit,
                                              self.position, self.role, self.since),
                                strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_person")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_person")
        self.leave_button = QPushButton()
        self.leave_button.setObjectName("person_left")
        self.leave_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        form.addRow(self.leave_button)
        self.absence_button = QPushButton()  # sick, maternity, unpaid leave (Điều 11.2)
        self.absence_button.setObjectName("person_absence")
        self.absence_button.setEnabled(False)
        self.absence_button.clicked.connect(self.open_absence)
        form.addRow(self.absence_button)

        self.key_box = QGroupBox()
        self.key_value = QLabel()
        self.key_value.setWordWrap(True)
        mark_data(self.key_value)
        self.key_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrol_key")
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("revoke_key")
        key_layout = QVBoxLayout(self.key_box)
        key_layout.addWidget(self.key_value)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.enrol_button)
        key_buttons.addWidget(self.revoke_button)
        key_layout.addLayout(key_buttons)

        side = QVBoxLayout()
        side.addWidget(self.form_box)
        side.addWidget(self.key_box)
        side.addWidget(self.message)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(430)
        body = QHBoxLayout()
        body.addWidget(self.people, 1)
        body.addWidget(side_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

        self._rows: list[Any] = []
        self._editing: str | None = None
        self.search.textChanged.connect(lambda _t: self._show_rows())
        self.people.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_person)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self._choose_staff_list)
        self.enrol_button.clicked.connect(self._choose_request)
        self.revoke_button.clicked.connect(self._ask_revoke)
        self.leave_button.clicked.connect(self._ask_leave)
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("People")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("People of the organisation") + "</b>")
        self.search.setPlaceholderText(self.tr("Search by name, identifier or unit…"))
        self.import_button.setText(self.tr("Import staff &list…"))
        self.people.setHorizontalHeaderLabels([
            self.tr("Identifier"), self.tr("Full name"), self.tr("Unit"), self.tr("Role"),
            self.tr("Key")])
        self.form_box.setTitle(self.tr("Person"))
        for label, text in zip(self.labels, (
                self.tr("&Identifier:"), self.tr("&Full name:"), self.tr("&Unit:"),
                self.tr("&Job position:"), self.tr("R&ole:"), self.tr("Fro&m:")), strict=True):
            label.setText(text)
        self.since.setToolTip(self.tr("The day the person joins, or moves to another unit."))
        self.new_button.setText(self.tr("&New person"))
        self.save_button.setText(self.tr("&Save"))
        self.leave_button.setText(self.tr("Left the or&ganisation…"))
        self.absence_button.setText(self.tr("Sick, maternity, unpaid lea&ve…"))
        self.leave_button.setToolTip(self.tr(
            "End the membership and evaluator relations on the last day and revoke the key; "
            "the history is kept."))
        self.key_box.setTitle(self.tr("Key"))
        self.enrol_button.setText(self.tr("&Enrol from request file…"))
        self.revoke_button.setText(self.tr("Re&voke key…"))
        current = self.role.currentData()
        self.role.clear()
        for role in (PersonRole.OFFICIAL, PersonRole.DEPUTY, PersonRole.HEAD, PersonRole.ADMIN):
            self.role.addItem(role_label(role), role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(current)))
        if self.isVisible():
            self.refresh()

    # ---------------------------------------------------------------- data -----------------

    def refresh(self) -> None:
        self._rows = self.admin.people()
        unit = self.unit.currentData()
        self.unit.clear()
        for u in self.admin.units():
            if u.active:
                self.unit.addItem(u.name_vi, u.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit)))
        position = self.position.currentData()
        self.position.clear()
        self.position.addItem(self.tr("(none)"), None)
        for p in self.admin.positions():
            self.position.addItem(p.name_vi, p.id)
        self.position.setCurrentIndex(max(0, self.position.findData(position)))
        self._show_rows()

    def _show_rows(self) -> None:
        wanted = _fold(self.search.text())
        rows = [p for p in self._rows if not wanted or wanted in _fold(
            f"{p.full_name} {p.id} {p.unit_name} {p.position_name}")]
        chosen = self._editing
        self.people.blockSignals(True)
        fill(self.people, [[p.id, p.full_name, p.unit_name, self._role_text(p),
                            p.key_readable[:14] + "…" if p.key_readable else "—"]
                           for p in rows], [p.id for p in rows])
        for r, p in enumerate(rows):
            if not p.active:  # someone who left: listed for the history, greyed
                for c in range(self.people.columnCount()):
                    self.people.item(r, c).setForeground(Qt.GlobalColor.gray)
        self.people.blockSignals(False)
        if chosen is not None:
            select_id(self.people, chosen)

    def _role_text(self, person: Any) -> str:
        if person.active:
            return role_label(person.role)
        return self.tr("{role}; left on {date}").format(role=role_label(person.role),
                                                        date=date_text(person.left_on))

    def _selected(self) -> None:
        person_id = selected_id(self.people)
        person = next((p for p in self._rows if p.id == person_id), None)
        if person is None:
            return
        self._editing = person.id
        self.person_id.setText(person.id)
        self.person_id.setReadOnly(True)
        self.full_name.setText(person.full_name)
        if self.unit.findData(person.unit_id) < 0:
            self.unit.addItem(person.unit_name, person.unit_id)
        self.unit.setCurrentIndex(self.unit.findData(person.unit_id))
        self.position.setCurrentIndex(max(0, self.position.findData(person.job_position_id)))
        self.role.setCurrentIndex(max(0, self.role.findData(person.role.value)))
        self.since.setDate(to_qdate(self.admin.today()))
        if person.key_fingerprint:
            self.key_value.setText(self.tr("Published key: {fingerprint}").format(
                fingerprint=person.key_readable))
        else:
            self.key_value.setText(self.tr("No published key: enrol the request file the "
                                           "person made on their PC."))
        if not person.active:
            self.key_value.setText(self.tr("Left the organisation on {date}; key revoked.")
                                   .format(date=date_text(person.left_on)))
        self.revoke_button.setEnabled(bool(person.key_fingerprint))
        self.leave_button.setEnabled(person.active)
        self.absence_button.setEnabled(True)

    def open_absence(self) -> Any:
        """The selected person's leave, recorded by the agency administrator (Điều 11.2)."""
        from kpi_desktop.domain.sync import AGENCY
        from kpi_desktop.ui.leader.leave_dialog import LeaveDialog

        person = next((p for p in self._rows if p.id == self._editing), None)
        if person is None:
            return None
        dialog = LeaveDialog(self.services, AGENCY, person.id, person.full_name, self)
        dialog.open()
        return dialog

    def choose(self, person_id: str) -> None:
        self.search.clear()
        if not select_id(self.people, person_id):
            raise KeyError(person_id)
        self._selected()

    # ---------------------------------------------------------------- actions --------------

    def new_person(self) -> None:
        self._editing = None
        self.people.clearSelection()
        self.person_id.clear()
        self.person_id.setReadOnly(False)
        self.full_name.clear()
        self.position.setCurrentIndex(0)
        self.role.setCurrentIndex(0)
        self.key_value.clear()
        self.revoke_button.setEnabled(False)
        self.leave_button.setEnabled(False)
        self.person_id.setFocus()

    def save(self) -> bool:
        values = dict(full_name=self.full_name.text(), unit_id=self.unit.currentData() or "",
                      role=self.role.currentData(), job_position_id=self.position.currentData())
        day = from_qdate(self.since.date())
        if self._editing is None:
            ok = self.attempt(
                lambda: self.admin.add_person(person_id=self.person_id.text(), joined_on=day,
                                              **values),
                lambda person: self.tr("{name} added.").format(name=person.full_name))
            if ok:
                self._editing = normalize_text(self.person_id.text()).lower()
                self._show_rows()
            return ok
        person_id = self._editing
        return self.attempt(
            lambda: self.admin.update_person(person_id, moved_on=day, **values),
            lambda person: self.tr("{name} saved.").format(name=person.full_name))

    def _choose_staff_list(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Staff list"), "", self.tr("Staff lists (*.csv *.xlsx);;All files (*)"))
        if path:
            self.open_staff_list(Path(path)).exec()

    def open_staff_list(self, path: Path) -> StaffImportDialog:
        """The preview dialog of a staff list (the caller shows it)."""
        dialog = StaffImportDialog(self.services, path, self)
        dialog.accepted.connect(lambda: self._staff_imported(dialog.summary))
        return dialog

    def _staff_imported(self, summary: Any) -> None:
        self.show_ok(self.tr(
            "Staff list imported: {added} people added, {updated} changed, {units} units and "
            "{positions} job positions added, {relations} evaluator relations set.").format(
            added=summary.people_added, updated=summary.people_updated,
            units=summary.units_added, positions=summary.positions_added,
            relations=summary.relations_added))
        self.refresh()
        self.data_changed.emit()

    def _choose_request(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Enrolment request"), "",
            self.tr("Enrolment requests (*.json);;All files (*)"))
        if path:
            self.enrol(Path(path))

    def enrol(self, path: Path) -> bool:
        """Publish the key of an enrolment request file (with the next organisation file)."""
        def action() -> Any:
            try:
                data = path.read_bytes()
            except OSError:
                from kpi_desktop.domain.errors import RefusedValue

                raise RefusedValue("enrolment_invalid") from None
            return self.services.keys.enrol(data)

        return self.attempt(action, lambda info: self.tr(
            "Key {fingerprint} of {person} enrolled; publish the organisation to send it "
            "out.").format(fingerprint=info.readable, person=info.owner_id))

    def _ask_leave(self) -> None:
        dialog = self.open_leave_dialog()
        if dialog is not None:
            dialog.exec()

    def open_leave_dialog(self) -> LeaveDialog | None:
        """The "left the organisation" dialog of the chosen person (the caller shows it)."""
        person = next((p for p in self._rows if p.id == self._editing), None)
        if person is None or not person.active:
            return None
        dialog = LeaveDialog(self.services, person, self)
        dialog.accepted.connect(lambda: self._left(dialog.result_view))
        return dialog

    def _left(self, person: Any) -> None:
        self.show_ok(self.tr("{name} left the organisation on {date}; publish the "
                             "organisation to send it out.").format(
            name=person.full_name, date=date_text(person.left_on)))
        self.refresh()
        self._selected()
        self.data_changed.emit()

    def _ask_revoke(self) -> None:
        reason, ok = QInputDialog.getText(
            self, self.tr("Revoke key"), self.tr("Why is the key revoked (lost PC, forgotten "
                                                 "passphrase, left the agency…)?"))
        if ok:
            self.revoke_key(reason)

    def revoke_key(self, reason: str) -> bool:
        person_id = self._editing
        if person_id is None:
            return False
        return self.attempt(lambda: self.admin.revoke_key(person_id, reason=reason),
                            lambda _r: self.tr("Key revoked; publish the organisation to "
                                               "send it out."))
