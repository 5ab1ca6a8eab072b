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
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.passphrases import MIN_PASSPHRASE
from kpi_desktop.ui.common import data_label, error_text, mark_data, refresh_when_visible
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import Column, Fit, RecordTableModel, RecordTableView


class SyncPage(Page):
    """Outbox, inbox and history of the bundles that carry work between PCs."""

    page_id = "sync"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self._busy = False  # an export, import or sync is running
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
        # Bundles missing or held, records refused or flagged (issue 13), in words.
        self.attention = data_label(wrap=True)
        self.attention.setObjectName("sync_attention")
        self.attention.setVisible(False)
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
        send_layout.addWidget(self.attention)
        send_layout.addLayout(hub_row)
        send_layout.addLayout(usb_row)
        send_layout.addWidget(self.progress)
        send_layout.addWidget(self.result)

        self.history_box = QGroupBox()
        self.history_model = RecordTableModel(self._history_columns(), parent=self)
        self.history = RecordTableView(self.history_model)
        QVBoxLayout(self.history_box).addWidget(self.history)

        # "My proposals": new catalog items this person proposed (Điều 13.3) and the agency's
        # decision, which comes back in the organisation file.
        self.proposals_box = QGroupBox()
        self.proposals_model = RecordTableModel(self._proposal_columns(), parent=self)
        self.proposals = RecordTableView(self.proposals_model)
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
        self.history_model.retranslate()
        self.proposals_model.retranslate()
        refresh_when_visible(self)

    def _history_columns(self) -> list[Column[Any]]:
        return [
            Column(lambda: self.tr("Time"),
                   lambda line: line.at.astimezone().strftime("%d/%m/%Y %H:%M"),
                   sort=lambda line: line.at),
            Column(lambda: self.tr("Direction"),
                   lambda line: self.tr("sent") if line.direction == "out"
                   else self.tr("received")),
            Column(lambda: self.tr("Kind"), lambda line: line.kind),
            Column(lambda: self.tr("From → to"),
                   lambda line: f"{line.sender_id} → {line.recipient_id}", fit=Fit.ELIDE),
            Column(lambda: self.tr("Number"), lambda line: str(line.seq)),
        ]

    def _proposal_columns(self) -> list[Column[Any]]:
        from kpi_desktop.services.messages import proposal_status_label

        return [
            Column(lambda: self.tr("Proposed on"),
                   lambda p: p.proposed_at.astimezone().strftime("%d/%m/%Y"),
                   sort=lambda p: p.proposed_at),
            Column(lambda: self.tr("Product or task"), lambda p: p.name_vi, fit=Fit.WRAP),
            Column(lambda: self.tr("Status"), lambda p: proposal_status_label(p.status)),
            Column(lambda: self.tr("Agency's decision"), self._decision_text, fit=Fit.WRAP),
        ]

    def _decision_text(self, proposal: Any) -> str:
        decision = proposal.decision_note
        if proposal.accepted_item_code:
            decision = self.tr("item {code}").format(code=proposal.accepted_item_code) + (
                f"; {decision}" if decision else "")
        if proposal.decided_at is not None:
            decision = proposal.decided_at.astimezone().strftime("%d/%m/%Y") + ": " + decision
        return decision

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
        attention = self.services.sync.attention_lines()
        self.attention.setText("\n".join(attention))
        self.attention.setVisible(bool(attention))
        if not self.hub_url.text():
            self.hub_url.setText(self.services.sync.hub_url())
        self.history_model.set_rows(self.services.sync.history(limit=100))
        proposals = self.services.proposals.proposals_of(self.user.person_id)
        self.proposals_model.set_rows(proposals)
        self.proposals_box.setVisible(bool(proposals))
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        """Sync, export and import need the unlocked key and no other of them running."""
        unlocked = self.services.keys.unlocked(self.user.person_id) is not None
        for button in (self.sync_button, self.export_button, self.import_button):
            button.setEnabled(unlocked and not self._busy)

    # ---------------------------------------------------------------- actions --------------

    def _unlock(self) -> None:
        person, passphrase = self.user.person_id, self.passphrase.text()
        self.passphrase.clear()
        Op(self, lambda: self.services.keys.unlock(person, passphrase)) \
            .success(lambda _info: self.result.setText(self.tr("Key unlocked."))) \
            .failure(lambda error: self.result.setText(error_text(error))) \
            .always(self.refresh).run()

    def _create_key(self) -> None:
        person, passphrase = self.user.person_id, self.passphrase.text()
        self.passphrase.clear()
        keys, folder = self.services.keys, Path(self.services.paths.data_dir)

        def create() -> tuple[Any, Path | None]:
            info = keys.create(person, passphrase)
            if info.enrolled:
                return info, None
            request = folder / f"KPI_enrolment_{person}.json"
            request.write_bytes(keys.enrolment_request(person))
            return info, request

        def created(outcome: tuple[Any, Path | None]) -> None:
            info, request = outcome
            lines = [self.tr("Key created; fingerprint {fingerprint}.").format(
                fingerprint=info.readable)]
            if request is not None:
                lines.append(self.tr("Give {path} to the agency (on a USB stick) so that it "
                                     "publishes your key.").format(path=request))
            self.result.setText("\n".join(lines))

        Op(self, create).success(created) \
            .failure(lambda error: self.result.setText(error_text(error))) \
            .always(self.refresh).run()

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
        person, sync = self.user.person_id, self.services.sync
        self._run(lambda: sync.export(person, folder), self._exported,
                  self.tr("Writing the bundles…"))

    def import_from(self, folder: Path) -> None:
        """Import every bundle in ``folder`` (off the GUI thread)."""
        sync = self.services.sync
        self._run(lambda: sync.import_paths([folder]), self._imported,
                  self.tr("Importing the bundles…"))

    def sync_now(self) -> None:
        """Fetch what the hub holds for this PC (the newest organisation file first), then
        send the outbox."""
        url = self.hub_url.text().strip()
        if not url:
            self.result.setText(self.tr("Enter the hub address first."))
            return
        person, services = self.user.person_id, self.services
        from kpi_desktop.services.hub_client import sync_now

        def work() -> Any:
            services.sync.set_hub_url(url)  # remembered for the next time
            return sync_now(services, url, person)

        self._run(work, self._synced, self.tr("Exchanging with the hub…"))

    def is_busy(self) -> bool:
        """Whether an export, import or sync is running."""
        return self._busy

    def _run(self, work: Any, done: Any, label: str) -> None:
        self._busy = True
        self.progress.setVisible(True)
        self.result.setText(self.tr("Working…"))
        self._enable_buttons()
        Op(self, work).progress(label).success(lambda result: self._finish(done, result)) \
            .failure(self._failed).always(self._ended).run()

    def _ended(self) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.refresh()  # the buttons come back (issue 16, item 10)

    def _finish(self, done: Any, result: Any) -> None:
        done(result)
        self.data_changed.emit()

    def _failed(self, error: KpiError) -> None:
        self.result.setText(error_text(error))

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
        from kpi_desktop.services.hub_client import describe_set_aside

        lines += [describe_set_aside(name, error) for name, error in outcome.refused]
        self.result.setText("\n".join(lines))


def _readable(fingerprint: str) -> str:
    text = fingerprint.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
