"""Sync: the signed-in person's key, "Sync now" with the agency hub, export to and import from a
USB stick or shared folder, progress, a plain-language result and the history of bundles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.passphrases import MIN_PASSPHRASE
from kpi_desktop.ui.common import (
    Said,
    data_label,
    error_text,
    mark_data,
    named,
    refresh_when_visible,
    row,
)
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import Column, Fit, RecordTableModel, RecordTableView


class SyncPage(Page):
    """Outbox, inbox and history of the bundles that carry work between PCs."""

    page_id = "sync"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr("Send and receive"))
        self._busy = False  # an export, import or sync is running
        texts = self.texts
        self.key_box = texts.box(lambda: self.tr("Your key"))
        self.key_label = texts.label(lambda: self.tr("Fingerprint:"))
        self.key_value = data_label(wrap=True)
        self.agency_label = texts.label(lambda: self.tr("Agency key:"))
        self.agency_value = data_label()
        self.passphrase = texts.field(lambda: self.tr("Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = texts.button(lambda: self.tr("&Unlock"), self._unlock)
        self.create_button = texts.button(lambda: self.tr("&Create my key"), self._create_key)
        key_form = QFormLayout(self.key_box)
        key_form.addRow(self.key_label, self.key_value)
        key_form.addRow(self.agency_label, self.agency_value)
        key_form.addRow(row((self.passphrase, 1), self.unlock_button, self.create_button))

        self.send_box = texts.box(lambda: self.tr("Outbox and inbox"))
        self.outbox = data_label(wrap=True)
        # Bundles missing or held, records refused or flagged (issue 13), in words.
        self.attention = named(data_label(wrap=True), "sync_attention")
        self.attention.setVisible(False)
        self.hub_label = texts.label(lambda: self.tr("Hub address:"))
        self.hub_url = mark_data(QLineEdit())
        self.hub_url.setPlaceholderText("http://…")
        self.sync_button = texts.button(lambda: self.tr("&Sync now"), self.sync_now)
        self.export_button = texts.button(lambda: self.tr("&Export to USB…"),
                                          self._choose_export)
        self.import_button = texts.button(lambda: self.tr("&Import from USB…"),
                                          self._choose_import)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator while a task runs
        self.progress.setVisible(False)
        self.result = data_label(wrap=True)
        self.say = Said(self.result)
        send_layout = QVBoxLayout(self.send_box)
        send_layout.addWidget(self.outbox)
        send_layout.addWidget(self.attention)
        send_layout.addLayout(row(self.hub_label, (self.hub_url, 1), self.sync_button))
        send_layout.addLayout(row(self.export_button, self.import_button, None))
        send_layout.addWidget(self.progress)
        send_layout.addWidget(self.result)

        self.history_box = texts.box(lambda: self.tr("History"))
        self._known_names: dict[str, str] | None = None
        self.history_model = texts.table(RecordTableModel(self._history_columns(), parent=self))
        self.history = RecordTableView(self.history_model)
        QVBoxLayout(self.history_box).addWidget(self.history)

        # "My proposals": new catalog items this person proposed (Điều 13.3) and the agency's
        # decision, which comes back in the organisation file.
        self.proposals_box = texts.box(lambda: self.tr("My proposals of new catalog items"))
        self.proposals_model = texts.table(RecordTableModel(self._proposal_columns(),
                                                            parent=self))
        self.proposals = RecordTableView(self.proposals_model)
        QVBoxLayout(self.proposals_box).addWidget(self.proposals)
        self.proposals_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.key_box)
        layout.addWidget(self.send_box)
        layout.addWidget(self.proposals_box)
        layout.addWidget(self.history_box, 1)

        self.passphrase.returnPressed.connect(self._unlock)
        self.retranslate_ui()

    # ---------------------------------------------------------------- texts ----------------

    def title(self) -> str:
        return self.tr("Sync")

    def retranslate_ui(self) -> None:
        self.say.again()  # what the last action said, in the new language
        refresh_when_visible(self)

    def _history_columns(self) -> list[Column[Any]]:
        return [
            Column(lambda: self.tr("Time"),
                   lambda line: line.at.astimezone().strftime("%d/%m/%Y %H:%M"),
                   sort=lambda line: line.at),
            Column(lambda: self.tr("Direction"),
                   lambda line: self.tr("sent") if line.direction == "out"
                   else self.tr("received")),
            Column(lambda: self.tr("Kind"), lambda line: bundle_kind_label(line.kind)),
            Column(lambda: self.tr("From → to"),
                   lambda line: f"{self._name(line.sender_id)} → "
                   f"{self._name(line.recipient_id)}", fit=Fit.ELIDE),
            Column(lambda: self.tr("Number"), lambda line: str(line.seq)),
        ]

    def _names(self) -> dict[str, str]:
        """Person ids → names (the agency by its word), for what the page says."""
        names = {r["id"]: r["full_name"] for r in self.services.organisation.people_overview()}
        names["agency"] = self.tr("the agency")
        return names

    def _name(self, person_id: str) -> str:
        if self._known_names is None:
            self._known_names = self._names()
        return self._known_names.get(person_id, person_id)

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
        self.outbox.setText((self.tr("{count} record not yet received by the agency.")
                             if waiting == 1 else
                             self.tr("{count} records not yet received by the agency."))
                            .format(count=waiting) if waiting else
                            self.tr("The agency has received everything you sent."))
        attention = self.services.sync.attention_lines()
        self.attention.setText("\n".join(attention))
        self.attention.setVisible(bool(attention))
        if not self.hub_url.text():
            self.hub_url.setText(self.services.sync.hub_url())
        self._known_names = None  # names of the history's people, read once per refresh
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
            .success(lambda _info: self.say(lambda: self.tr("Key unlocked."))) \
            .failure(lambda error: self.say(lambda: error_text(error))) \
            .always(self.refresh).run()

    def _create_key(self) -> None:
        person, passphrase = self.user.person_id, self.passphrase.text()
        self.passphrase.clear()
        keys = self.services.keys

        def created(info: Any) -> None:
            def text() -> str:
                lines = [self.tr("Key of {name} created; fingerprint {fingerprint}.").format(
                    name=self.user.full_name, fingerprint=info.readable)]
                if not info.enrolled:  # the request goes where the person chooses (USB)
                    lines.append(self.tr("The agency must publish it: save the enrolment "
                                         "request to a USB stick with the button in the bar "
                                         "above."))
                return "\n".join(lines)

            self.say(text)
            self.data_changed.emit()  # the banner offers "Save the request to USB…"

        Op(self, lambda: keys.create(person, passphrase)).success(created) \
            .failure(lambda error: self.say(lambda: error_text(error))) \
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
        """Import every bundle in ``folder`` (off the GUI thread); the result is one summary
        in names and plain counts (bundles for other people are left on the stick)."""
        person, sync, summary = self.user.person_id, self.services.sync, \
            self.services.sync_summary
        self._run(lambda: summary.import_paths(sync, [folder], [person])[1], self._imported,
                  self.tr("Importing the bundles…"))

    def sync_now(self) -> None:
        """Fetch what the hub holds for this PC (the newest organisation file first), then
        send the outbox."""
        url = self.hub_url.text().strip()
        if not url:
            self.say(lambda: self.tr("Enter the hub address first."))
            return
        person, services = self.user.person_id, self.services
        from kpi_desktop.services.hub_client import sync_now

        summary = services.sync_summary

        def exchange() -> tuple[Any, Any]:
            services.sync.set_hub_url(url)  # remembered for the next time
            before = summary.snapshot(summary.concerned([person]))
            outcome = sync_now(services, url, person)
            return outcome, summary.summarise(outcome.received, before, [person])

        self._run(exchange, self._synced, self.tr("Exchanging with the hub…"))

    def is_busy(self) -> bool:
        """Whether an export, import or sync is running."""
        return self._busy

    def _run(self, work: Any, done: Any, label: str) -> None:
        self._busy = True
        self.progress.setVisible(True)
        self.say(lambda: self.tr("Working…"))
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
        self.say(lambda: error_text(error))

    def _exported(self, results: list[Any]) -> None:
        if not results:
            self.say(lambda: self.tr("Nothing to send: everything was acknowledged."))
            return

        def text() -> str:
            names = self._names()
            lines = [self.tr("Written {name} for {recipient}.").format(
                name=r.path.name, recipient=names.get(r.recipient_id, r.recipient_id))
                for r in results]
            lines.append(self.tr("You can remove the USB stick now."))
            return "\n".join(lines)

        self.say(text)
        self.status_message.emit((self.tr("{count} bundle written.") if len(results) == 1
                                  else self.tr("{count} bundles written.")).format(
            count=len(results)))

    def _imported(self, summary: Any) -> None:
        self.say(lambda: "\n".join(summary.lines()))
        self.status_message.emit(summary.lines()[0])

    def _synced(self, result: tuple[Any, Any]) -> None:
        outcome, summary = result
        from kpi_desktop.services.hub_client import describe_set_aside

        def text() -> str:
            # What arrived, in names and plain counts (issue 16 item 4).
            lines = summary.lines() if outcome.received else [
                self.tr("Nothing new from the hub.")]
            lines.append((self.tr("Sent {count} bundle to the hub.") if outcome.sent == 1 else
                          self.tr("Sent {count} bundles to the hub.")).format(
                count=outcome.sent))
            lines += [describe_set_aside(name, error) for name, error in outcome.refused]
            return "\n".join(lines)

        self.say(text)


def bundle_kind_label(kind: str) -> str:
    """A bundle's kind in words ("work" → "công việc")."""
    from kpi_desktop.runtime.i18n import translate

    return {
        "organisation": translate("BundleKind", "organisation file"),
        "plan": translate("BundleKind", "assignments"),
        "work": translate("BundleKind", "work log"),
        "review": translate("BundleKind", "leader's review"),
        "receipt": translate("BundleKind", "receipt"),
        "transfer": translate("BundleKind", "transfer"),
    }.get(kind, kind)


def _readable(fingerprint: str) -> str:
    text = fingerprint.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
