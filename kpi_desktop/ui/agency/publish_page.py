"""Publish: the current and the next organisation version, what changed since the last one,
the agency key's fingerprint, and publishing to a folder (USB stick) and the hub, off the GUI
thread."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.services.messages import audit_action_label, describe
from kpi_desktop.ui.agency.base import AgencyPage
from kpi_desktop.ui.common import (
    ERROR_STYLE,
    OK_STYLE,
    date_text,
    form,
    mark_data,
    named,
    row,
)
from kpi_desktop.ui.operations import Op, Task
from kpi_desktop.ui.pages.base import UserContext


class PublishPage(AgencyPage):
    """Sign the organisation as it is now as the next version and hand it out."""

    page_id = "agency_publish"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent,
                         heading=lambda: self.tr("Publish the organisation"))
        self._task: Task | None = None
        self.outcome: Any = None
        texts = self.texts
        self.summary_box = texts.box(lambda: self.tr("Organisation file"))
        self.organisation = QLabel()
        self.versions = QLabel()
        self.last = QLabel()
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setWordWrap(True)
        for label in (self.organisation, self.versions, self.last, self.counts,
                      self.fingerprint):
            mark_data(label)
        _summary, self.labels = form(self.summary_box, [
            self.organisation, self.versions, self.last, self.counts, self.fingerprint])
        texts.each(self.labels, lambda: (self.tr("Organisation:"), self.tr("Version:"),
                                         self.tr("Last published:"), self.tr("Contents:"),
                                         self.tr("Agency key:")))
        self.changes_box = texts.box(lambda: self.tr("Changes since the last publication"))
        self.changes = QListWidget()
        self.changes.setObjectName("changes")
        mark_data(self.changes)
        QVBoxLayout(self.changes_box).addWidget(self.changes)

        self.target_box = texts.box(lambda: self.tr("Where to publish"))
        self.folder = named(QLineEdit(), "folder", data=True)
        self.hub = texts.set(named(QLineEdit(), "hub", data=True), placeholder=lambda: self.tr(
            "optional, for example http://hub.example:8335"))
        self.choose_button = texts.button(lambda: self.tr("&Choose…"), self._choose_folder,
                                          name="choose_folder")
        self.publish_button = texts.button(
            lambda: self.tr("&Sign and publish the next version"), self.publish, name="publish")
        target, labels = form(self.target_box, [row(self.folder, self.choose_button), self.hub])
        self.folder_label, self.hub_label = texts.each(labels, lambda: (
            self.tr("F&older (USB stick):"), self.tr("H&ub address:")))
        self.folder_label.setBuddy(self.folder)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        target.addRow(self.publish_button)
        target.addRow(self.progress)

        top = QHBoxLayout()
        top.addWidget(self.summary_box, 3)
        top.addWidget(self.changes_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top, 1)
        layout.addWidget(self.target_box)
        layout.addWidget(self.message)
        self.folder.textChanged.connect(lambda _t: self._update_button())
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Publish")

    def refresh(self) -> None:
        summary = self.admin.publish_summary()
        self.organisation.setText(summary.organisation_name)
        self.versions.setText(self.tr("now {current}; publishing makes version {next}").format(
            current=summary.current_version, next=summary.next_version))
        if summary.last_published_at is None:
            self.last.setText(self.tr("never"))
        else:
            local = summary.last_published_at.astimezone()
            self.last.setText(f"{date_text(local.date())} {local:%H:%M}")
        c = summary.counts
        self.counts.setText(self.tr(
            "{units} units, {people} people, {relations} current evaluator relations, "
            "{items} catalog items, {policies} policy versions").format(
            units=c["units"], people=c["people"], relations=c["relations"],
            items=c["catalog_items"], policies=c["policies"]))
        if summary.agency_readable:
            self.fingerprint.setTextFormat(Qt.TextFormat.RichText)
            self.fingerprint.setText(
                '<span style="font-family: monospace; font-size: large; font-weight: bold;">'
                + html.escape(summary.agency_readable) + "</span><br>" + html.escape(self.tr(
                    "Read it to the PCs' users so that they can compare it at set-up.")))
        else:
            self.fingerprint.setText(self.tr("no agency key on this PC"))
        self.changes.clear()
        for action, count in summary.changes:
            self.changes.addItem(f"{audit_action_label(action)}: {count}")
        for version in self.admin.policy_changes():  # each changed parameter, by its label
            self.changes.addItem(self.tr("Policy {version} in force from {date}:").format(
                version=version.version, date=date_text(version.active_from)))
            for change in version.changes:
                self.changes.addItem(f"    {change.label}: {change.before} → {change.after}")
        if not summary.changes:
            self.changes.addItem(self.tr("No changes since the last publication.")
                                 if summary.last_published_at else
                                 self.tr("Nothing published yet."))
        if not self.hub.text():
            self.hub.setText(summary.hub_url)
        self._update_button()

    def _update_button(self) -> None:
        self.publish_button.setEnabled(bool(self.folder.text().strip())
                                       and self._task is None)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Publish to a folder"))
        if folder:
            self.folder.setText(folder)

    def publish(self) -> None:
        """Sign and write the next version (off the GUI thread), then send it to the hub."""
        folder = self.folder.text().strip()
        if not folder:
            return
        hub = self.hub.text().strip()
        self.outcome = None
        self.progress.setRange(0, 2 if hub else 1)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.publish_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Signing and writing the organisation file…"))
        admin = self.admin
        task = Op.reporting(self, lambda progress, _cancelled: admin.publish(
            Path(folder), hub_url=hub, progress=progress)) \
            .on_progress(lambda done, _total: self.progress.setValue(done)) \
            .success(self._published).failure(self._failed).always(self._ended).run()
        self._task = None if task.done else task

    def _ended(self) -> None:
        self._task = None
        self.progress.setVisible(False)
        self._update_button()

    def _published(self, outcome: Any) -> None:
        self.outcome = outcome
        self.progress.setVisible(False)
        lines = [self.tr("Version {version} written to {path}. Copy it to the PCs or let them "
                         "fetch it from the hub.").format(version=outcome.version,
                                                          path=outcome.path)]
        style = OK_STYLE
        if outcome.hub_status:
            lines.append(self.tr("The hub has it."))
        elif outcome.hub_error is not None:
            lines.append(self.tr("Not sent to the hub: {reason}").format(
                reason=describe(outcome.hub_error)))
            style = ERROR_STYLE
        self.message.setStyleSheet(style)
        self.message.setText("\n".join(lines))
        self.status_message.emit(lines[0])
        self.refresh()
        self.data_changed.emit()

    def _failed(self, error: KpiError) -> None:
        self.show_error(error)
        self.refresh()
