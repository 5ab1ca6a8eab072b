"""Sync: the signed-in person's key, "Sync now" with the agency hub, export to and import from a
USB stick or shared folder, progress, a plain-language result and the history of bundles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.passphrases import MIN_PASSPHRASE
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.pages.common import data_label, error_text, mark_data, refresh_when_visible
from kpi_desktop.ui.tasks import TaskRunner


class SyncPage(Page):
    """Outbox, inbox and history of the bundles that carry work between PCs."""

    page_id = "sync"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.runner = TaskRunner(self)
        self.heading = QLabel()
        self.key_box = QGroupBox()
        self.key_label = QLabel()
        self.key_value = data_label(wrap=True)
        self.agency_label = QLabel()
        self.agency_value = data_label()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton()
        self.create_button = QPushButton()
        unlock_row = QHBoxLayout()
        unlock_row.addWidget(self.passphrase, 1)
        unlock_row.addWidget(self.unlock_button)
        unlock_row.addWidget(self.create_button)
        key_form = QFormLayout(self.key_box)
        key_form.addRow(self.key_label, self.key_value)
        key_form.addRow(self.agency_label, self.agency_value)
        key_form.addRow(unlock_row)

        self.send_box = QGroupBox()
        self.outbox = data_label(wrap=True)
        self.hub_label = QLabel()
        self.hub_url = QLineEdit()
        mark_data(self.hub_url)
        self.sync_button = QPushButton()
        self.export_button = QPushButton()
        self.import_button = QPushButton()
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub_label)
        hub_row.addWidget(self.hub_url, 1)
        hub_row.addWidget(self.sync_button)
        usb_row = QHBoxLayout()
        usb_row.addWidget(self.export_button)
        usb_row.addWidget(self.import_button)
        usb_row.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator while a task runs
        self.progress.setVisible(False)
        self.result = data_label(wrap=True)
        send_layout = QVBoxLayout(self.send_box)
        send_layout.addWidget(self.outbox)
        send_layout.addLayout(hub_row)
        send_layout.addLayout(usb_row)
        send_layout.addWidget(self.progress)
        send_layout.addWidget(self.result)

        self.history_box = QGroupBox()
        self.history = QTableWidget(0, 5)
        mark_data(self.history)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        QVBoxLayout(self.history_box).addWidget(self.history)

        # "My proposals": new catalog items this person proposed (Điều 13.3) and the agency's
        # decision, which comes back in the organisation file.
        self.proposals_box = QGroupBox()
        self.proposals = QTableWidget(0, 4)
        mark_data(self.proposals)
        self.proposals.verticalHeader().setVisible(False)
        self.proposals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.proposals.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        QVBoxLayout(self.proposals_box).addWidget(self.proposals)
        self.proposals_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.key_box)
        layout.addWidget(self.send_box)
        layout.addWidget(self.proposals_box)
        layout.addWidget(self.history_box, 1)

        self.unlock_button.clicked.connect(self._unlock)
        self.create_button.clicked.connect(self._create_key)
        self.passphrase.returnPressed.connect(self._unlock)
        self.sync_button.clicked.connect(self.sync_now)
        self.export_button.clicked.connect(self._choose_export)
        self.import_button.clicked.connect(self._choose_import)
        self.retranslate_ui()

    # ---------------------------------------------------------------- texts ----------------

    def title(self) -> str:
        return self.tr("Sync")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Send and receive") + "</b>")
        self.key_box.setTitle(self.tr("Your key"))
        self.key_label.setText(self.tr("Fingerprint:"))
        self.agency_label.setText(self.tr("Agency key:"))
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.create_button.setText(self.tr("&Create my key"))
        self.send_box.setTitle(self.tr("Outbox and inbox"))
        self.hub_label.setText(self.tr("Hub address:"))
        self.hub_url.setPlaceholderText("http://…")
        self.sync_button.setText(self.tr("&Sync now"))
        self.export_button.setText(self.tr("&Export to USB…"))
        self.import_button.setText(self.tr("&Import from USB…"))
        self.history_box.setTitle(self.tr("History"))
        self.proposals_box.setTitle(self.tr("My proposals of new catalog items"))
        self.proposals.setHorizontalHeaderLabels([
            self.tr("Proposed on"), self.tr("Product or task"), self.tr("Status"),
            self.tr("Agency's decision")])
        self.history.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Direction"), self.tr("Kind"), self.tr("From → to"),
            self.tr("Number")])
        refresh_when_visible(self)

    def refresh(self) -> None:
        person = self.user.person_id
        keys = self.services.keys
        if person in keys.owners():
            info = keys.info(person)
            state = self.tr("published by the agency") if info.enrolled else \
                self.tr("waiting for the agency to publish it")
            lock = self.tr("unlocked") if info.unlocked else self.tr("locked")
            self.key_value.setText(f"{info.readable}\n{state}; {lock}")
            self.passphrase.setVisible(not info.unlocked)
            self.unlock_button.setVisible(not info.unlocked)
            self.create_button.setVisible(False)
        else:
            self.key_value.setText(self.tr("No key on this PC yet: choose a passphrase of at "
                                           "least {minimum} characters that others cannot "
                                           "guess, and create your key.").format(
                minimum=MIN_PASSPHRASE))
            self.passphrase.setVisible(True)
            self.unlock_button.setVisible(False)
            self.create_button.setVisible(True)
        agency = self.services.sync.agency_fingerprint()
        self.agency_value.setText(_readable(agency) if agency else self.tr("not set up"))
        waiting = self.services.sync.outbox_count(person)
        self.outbox.setText(self.tr("{count} records not yet received by the agency.")
                            .format(count=waiting) if waiting else
                            self.tr("The agency has received everything you sent."))
        if not self.hub_url.text():
            self.hub_url.setText(self.services.sync.hub_url())
        self._fill_history()
        self._fill_proposals()
        unlocked = keys.unlocked(person) is not None
        for button in (self.sync_button, self.export_button, self.import_button):
            button.setEnabled(unlocked and not self.runner.busy())

    def _fill_history(self) -> None:
        lines = self.services.sync.history(limit=100)
        self.history.setRowCount(len(lines))
        for row, line in enumerate(lines):
            direction = self.tr("sent") if line.direction == "out" else self.tr("received")
            cells = [line.at.astimezone().strftime("%d/%m/%Y %H:%M"), direction, line.kind,
                     f"{line.sender_id} → {line.recipient_id}", str(line.seq)]
            for column, text in enumerate(cells):
                self.history.setItem(row, column, QTableWidgetItem(text))

    def _fill_proposals(self) -> None:
        from kpi_desktop.services.messages import proposal_status_label

        proposals = self.services.proposals.proposals_of(self.user.person_id)
        self.proposals_box.setVisible(bool(proposals))
        self.proposals.setRowCount(len(proposals))
        for row, proposal in enumerate(proposals):
            decision = proposal.decision_note
            if proposal.accepted_item_code:
                decision = self.tr("item {code}").format(code=proposal.accepted_item_code) + (
                    f"; {decision}" if decision else "")
            if proposal.decided_at is not None:
                decision = (proposal.decided_at.astimezone().strftime("%d/%m/%Y") + ": "
                            + decision)
            cells = [proposal.proposed_at.astimezone().strftime("%d/%m/%Y"), proposal.name_vi,
                     proposal_status_label(proposal.status), decision]
            for column, text in enumerate(cells):
                self.proposals.setItem(row, column, QTableWidgetItem(text))

    # ---------------------------------------------------------------- actions --------------

    def _unlock(self) -> None:
        try:
            self.services.keys.unlock(self.user.person_id, self.passphrase.text())
        except Exception as error:  # noqa: BLE001 - shown to the person
            self.result.setText(error_text(error))
        else:
            self.result.setText(self.tr("Key unlocked."))
        self.passphrase.clear()
        self.refresh()

    def _create_key(self) -> None:
        person = self.user.person_id
        try:
            info = self.services.keys.create(person, self.passphrase.text())
        except Exception as error:  # noqa: BLE001 - shown to the person
            self.result.setText(error_text(error))
        else:
            lines = [self.tr("Key created; fingerprint {fingerprint}.").format(
                fingerprint=info.readable)]
            if not info.enrolled:
                request = Path(self.services.paths.data_dir) / f"KPI_enrolment_{person}.json"
                request.write_bytes(self.services.keys.enrolment_request(person))
                lines.append(self.tr("Give {path} to the agency (on a USB stick) so that it "
                                     "publishes your key.").format(path=request))
            self.result.setText("\n".join(lines))
        self.passphrase.clear()
        self.refresh()

    def _choose_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to a USB stick"))
        if folder:
            self.export_to(Path(folder))

    def _choose_import(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import from a USB stick"))
        if folder:
            self.import_from(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write the outbox to ``folder`` (off the GUI thread)."""
        person = self.user.person_id
        self._run(lambda _p, _c: self.services.sync.export(person, folder), self._exported)

    def import_from(self, folder: Path) -> None:
        """Import every bundle in ``folder`` (off the GUI thread)."""
        self._run(lambda _p, _c: self.services.sync.import_paths([folder]), self._imported)

    def sync_now(self) -> None:
        """Fetch what the hub holds for this PC (the newest organisation file first), then
        send the outbox."""
        url = self.hub_url.text().strip()
        if not url:
            self.result.setText(self.tr("Enter the hub address first."))
            return
        self.services.sync.set_hub_url(url)
        person = self.user.person_id
        from kpi_desktop.services.hub_client import sync_now

        self._run(lambda _p, _c: sync_now(self.services, url, person), self._synced)

    def _run(self, work: Any, done: Any) -> None:
        self.progress.setVisible(True)
        self.result.setText(self.tr("Working…"))
        for button in (self.sync_button, self.export_button, self.import_button):
            button.setEnabled(False)
        self.runner.start(work, on_finished=lambda result: self._finish(done, result),
                          on_failed=self._failed)

    def _finish(self, done: Any, result: Any) -> None:
        self.progress.setVisible(False)
        done(result)
        self.refresh()
        self.data_changed.emit()

    def _failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.result.setText(error_text(error) if isinstance(error, Exception) else str(error))
        self.refresh()

    def _exported(self, results: list[Any]) -> None:
        if not results:
            self.result.setText(self.tr("Nothing to send: everything was acknowledged."))
            return
        lines = [self.tr("Written {name} for {recipient}.").format(
            name=r.path.name, recipient=r.recipient_id) for r in results]
        lines.append(self.tr("You can remove the USB stick now."))
        self.result.setText("\n".join(lines))
        self.status_message.emit(self.tr("{count} bundles written.").format(count=len(results)))

    def _imported(self, results: list[Any]) -> None:
        if not results:
            self.result.setText(self.tr("No bundles found in that folder."))
            return
        self.result.setText("\n".join(self.services.sync.describe_result(r) for r in results))

    def _synced(self, outcome: Any) -> None:
        lines = [self.services.sync.describe_result(r) for r in outcome.received]
        if not outcome.received:
            lines.append(self.tr("Nothing new from the hub."))
        lines.append(self.tr("Sent {count} bundles to the hub.").format(count=outcome.sent))
        self.result.setText("\n".join(lines))


def _readable(fingerprint: str) -> str:
    text = fingerprint.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
