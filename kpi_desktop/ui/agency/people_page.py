"""People: the list with search; add and edit a person; record that someone left the
organisation; enrol and revoke keys; import a staff list after a preview that shows every bad
row before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import PersonRole
from kpi_desktop.domain.values import fold_text, normalize_text
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.agency.base import (
    GREY,
    RED,
    AgencyPage,
    ChangeDialog,
    PreviewDialog,
    role_label,
)
from kpi_desktop.ui.common import (
    data_label,
    date_edit,
    date_text,
    form,
    from_qdate,
    named,
    refresh_when_visible,
    row,
    set_texts,
    to_qdate,
    with_side_panel,
)
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.tables import Column, Fit, RecordTableView, RowStyle


class StaffImportDialog(PreviewDialog):
    """A staff list checked row by row; Import is possible only when every row is good."""

    def __init__(self, services: Any, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(services, path, [
            Column(lambda: self.tr("Row"), lambda c: str(c.number), sort=lambda c: c.number),
            Column(lambda: self.tr("Identifier"), lambda c: c.values.get("id", "")),
            Column(lambda: self.tr("Full name"), lambda c: c.values.get("full_name", ""),
                   fit=Fit.NAME),
            Column(lambda: self.tr("Unit"), lambda c: c.values.get("unit_id", ""),
                   fit=Fit.ELIDE, min_chars=6),
            Column(lambda: self.tr("Role"), lambda c: c.values.get("role", "")),
            Column(lambda: self.tr("Evaluator"), lambda c: c.values.get("evaluator_id", "")),
            Column(lambda: self.tr("Result"), self._result_text),
        ], key=lambda c: c.number, accept_name="import_staff", table_name="staff_rows",
            row_style=lambda c: RowStyle(foreground=RED, tooltip=describe(c.error))
            if c.error is not None else None, parent=parent)
        self.import_button, self.errors = self.accept_button, self.error
        self.errors.setObjectName("staff_errors")
        self.lay_out(self.intro, self.rows)
        self.retranslate_ui()
        self._check()

    @property
    def summary(self) -> Any:
        """What the import did (after Import)."""
        return self.outcome

    def _result_text(self, check: Any) -> str:
        if check.error:
            return self.tr("error")
        return {"add": self.tr("new"), "update": self.tr("changed"),
                "same": self.tr("unchanged")}[check.action]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import a staff list"))
        self.rows.retranslate()
        self.import_button.setText(self.tr("&Import"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _check(self) -> None:
        if not self.check(lambda: self.services.agency.preview_staff(self.path)):
            return
        self.rows.set_rows(self.preview.rows)
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

    def change(self) -> Any:
        agency, path = self.services.agency, self.path
        return lambda: agency.import_staff(path)


class LeaveDialog(ChangeDialog):
    """A person left the organisation: their last day and, optionally, why. Accepting ends
    their membership and evaluator relations, revokes their key and hides them from sign-in
    and the lists (their history stays); a refusal is shown here and changes nothing."""

    def __init__(self, services: Any, person: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, "record_leave")
        self.services = services
        self.person = person
        self.ok_button = self.accept_button
        self.error.setObjectName("leave_error")
        self.intro = data_label(wrap=True)
        self.last_day = named(date_edit(services.agency.today()), "last_day")
        self.reason = named(QLineEdit(), "leave_reason")
        fields, (self.day_label, self.reason_label) = form(None, [self.last_day, self.reason])
        self.lay_out(self.intro, fields)
        self.setMinimumWidth(480)
        self.retranslate_ui()

    @property
    def result_view(self) -> Any:
        """The person as they are after leaving (None until recorded)."""
        return self.outcome

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
        self.ok_button.setText(self.tr("Record &departure"))
        self.cancel_button.setText(self.tr("Cancel"))

    def change(self) -> Any:
        agency, person_id = self.services.agency, self.person.id
        left_on, reason = from_qdate(self.last_day.date()), self.reason.text()
        return lambda: agency.deactivate_person(person_id, left_on=left_on, reason=reason)


class PeoplePage(AgencyPage):
    """Everyone in the organisation; one person edited at a time."""

    page_id = "agency_people"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent,
                         heading=lambda: self.tr("People of the organisation"))
        texts = self.texts
        self.search = texts.field(lambda: self.tr("Search by name, identifier or unit…"),
                                  name="search", search=True)
        self.import_button = texts.button(lambda: self.tr("Im&port staff list…"),
                                          self._choose_staff_list, name="import_staff_list")
        self.people = self.texts.table(RecordTableView.of([
            Column(lambda: self.tr("Identifier"), lambda p: p.id),
            Column(lambda: self.tr("Full name"), lambda p: p.full_name, fit=Fit.NAME),
            Column(lambda: self.tr("Unit"), lambda p: p.unit_name, fit=Fit.ELIDE,
                   min_chars=10),
            Column(lambda: self.tr("Role"), self._role_text, fit=Fit.WRAP, min_chars=8),
            Column(lambda: self.tr("Key"), lambda p: p.key_readable[:14] + "…"
                   if p.key_readable else "—", tooltip=lambda p: p.key_readable or None),
        ], key=lambda p: p.id, filtered=True, name="people",
            row_style=lambda p: None if p.active else RowStyle(foreground=GREY)))

        self.form_box = texts.box(lambda: self.tr("Person"))
        self.person_id = named(QLineEdit(), "person_id", data=True)
        self.full_name = named(QLineEdit(), "full_name")
        self.unit = named(QComboBox(), "unit", data=True)
        self.position = named(QComboBox(), "position", data=True)
        self.role = named(QComboBox(), "role")
        self.since = texts.set(date_edit(self.admin.today()), tip=lambda: self.tr(
            "The day the person joins, or moves to another unit."))
        fields, self.labels = form(self.form_box, [self.person_id, self.full_name, self.unit,
                                                   self.position, self.role, self.since])
        self.new_button = texts.button(lambda: self.tr("&New person"), self.new_person,
                                       name="new_person")
        self.save_button = texts.button(lambda: self.tr("&Save"), self.save,
                                        name="save_person")
        self.leave_button = texts.button(
            lambda: self.tr("Left the o&rganisation…"), self._ask_leave, name="person_left",
            tip=lambda: self.tr("End the membership and evaluator relations on the last day "
                                "and revoke the key; the history is kept."))
        self.leave_button.setEnabled(False)
        fields.addRow(row(self.new_button, self.save_button))
        fields.addRow(self.leave_button)
        # sick, maternity, unpaid leave (Điều 11.2)
        self.absence_button = texts.button(lambda: self.tr("Si&ck, maternity, unpaid leave…"),
                                           self.open_absence, name="person_absence")
        self.absence_button.setEnabled(False)
        fields.addRow(self.absence_button)

        self.key_box = texts.box(lambda: self.tr("Key"))
        self.key_value = data_label(wrap=True)
        self.enrol_button = texts.button(lambda: self.tr("&Enrol from request file…"),
                                         self._choose_request, name="enrol_key")
        self.revoke_button = texts.button(lambda: self.tr("Re&voke key…"), self._ask_revoke,
                                          name="revoke_key")
        key_layout = QVBoxLayout(self.key_box)
        key_layout.addWidget(self.key_value)
        key_layout.addLayout(row(self.enrol_button, self.revoke_button))

        layout = QVBoxLayout(self)
        layout.addLayout(row(self.heading, None, self.search, self.import_button))
        layout.addLayout(with_side_panel(self.people,
                                         [self.form_box, self.key_box, self.message], 430), 1)

        self._rows: list[Any] = []
        self._editing: str | None = None
        self.search.textChanged.connect(lambda _t: self._show_rows())
        self.people.current_changed.connect(lambda _key: self._selected())
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("People")

    def retranslate_ui(self) -> None:
        set_texts(self.labels, (self.tr("&Identifier:"), self.tr("Full n&ame:"),
                                self.tr("&Unit:"), self.tr("&Job position:"), self.tr("R&ole:"),
                                self.tr("Fro&m:")))
        current = self.role.currentData()
        self.role.clear()
        for role in (PersonRole.OFFICIAL, PersonRole.DEPUTY, PersonRole.HEAD, PersonRole.ADMIN):
            self.role.addItem(role_label(role), role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(current)))
        refresh_when_visible(self)

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
        self.refresh_rows()

    def _show_rows(self) -> None:
        wanted = fold_text(self.search.text())
        self.people.set_filter(lambda p: not wanted or wanted in fold_text(
            f"{p.full_name} {p.id} {p.unit_name} {p.position_name}"))
        if self._editing is not None:
            self.people.select_key(self._editing)

    def refresh_rows(self) -> None:
        self.people.set_rows(self._rows)
        self._show_rows()

    def _role_text(self, person: Any) -> str:
        if person.active:
            return role_label(person.role)
        return self.tr("{role}; left on {date}").format(role=role_label(person.role),
                                                        date=date_text(person.left_on))

    def _selected(self) -> None:
        person = self.people.current_record()
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
        from kpi_desktop.ui.leader.leave_dialog import LeaveRecordDialog

        person = next((p for p in self._rows if p.id == self._editing), None)
        if person is None:
            return None
        dialog = LeaveRecordDialog(self.services, AGENCY, person.id, person.full_name, self)
        dialog.open()
        return dialog

    def choose(self, person_id: str) -> None:
        self.search.clear()
        if not self.people.select_key(person_id):
            raise KeyError(person_id)
        self._selected()

    # ---------------------------------------------------------------- actions --------------

    def new_person(self) -> None:
        self._editing = None
        self.people.clearSelection()
        self.people.setCurrentIndex(self.people.model().index(-1, -1))
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
            new_id = self.person_id.text()

            def added(_person: Any) -> None:
                self._editing = normalize_text(new_id).lower()
                self._show_rows()

            return self.attempt(
                lambda: self.admin.add_person(person_id=new_id, joined_on=day, **values),
                lambda person: self.tr("{name} added.").format(name=person.full_name), added)
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
