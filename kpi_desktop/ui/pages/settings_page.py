"""Settings: the interface language (applies at once, remembered) and who is working here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime import i18n
from kpi_desktop.services.integrity_messages import file_size, reason_label
from kpi_desktop.services.messages import describe
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import data_label, mark_data, refresh_when_visible, row
from kpi_desktop.ui.operations import Op, Runner
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView, RowStyle

# A backup that failed its check is shown in red.
_DAMAGED = QColor("#b71c1c")


class SettingsPage(Page):
    """Settings."""

    page_id = "settings"
    language_requested = Signal(str)

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr("Settings"))
        texts = self.texts
        self.language_box = texts.box(lambda: self.tr("Language"))
        self.language = QComboBox()
        mark_data(self.language)  # language names are written in their own language
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language_label = texts.label(lambda: self.tr("&Interface language:"),
                                          buddy=self.language)
        self.language_note = texts.label(lambda: self.tr(
            "The change applies at once in every window and is remembered for the next "
            "start."), wrap=True)
        form = QFormLayout(self.language_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language.setMinimumWidth(220)
        form.addRow(self.language_label, self.language)
        form.addRow(self.language_note)
        self.backup_box = texts.box(lambda: self.tr("Backups"))
        self.backup_note = texts.label(lambda: self.tr(
            "A copy of the database is made automatically every day (when the last check "
            "passed), before every upgrade and before every import. Restoring replaces all "
            "data on this computer with the chosen copy; the current data is kept as one more "
            "backup first."), wrap=True)
        self.backups = self.texts.table(RecordTableView.of([
            Column(lambda: self.tr("Made on"), self._made_text, sort=lambda b: b.made_at,
                   tooltip=lambda b: str(b.path)),
            Column(lambda: self.tr("Reason"), lambda b: reason_label(b.reason, b.revision),
                   fit=Fit.WRAP, min_chars=16),
            Column(lambda: self.tr("Size"), lambda b: file_size(b.size),
                   sort=lambda b: b.size, align=RIGHT),
            Column(lambda: self.tr("Check"), self._verdict_text),
        ], key=lambda b: str(b.path), row_style=lambda b: RowStyle(foreground=_DAMAGED)
            if b.verdict == "failed" else None, name="backups"))
        self.backups.setMinimumHeight(5 * (self.fontMetrics().height() + 10))
        self.backups.setMaximumHeight(180)
        self.backup_now = texts.button(lambda: self.tr("&Back up now"), self._backup_now)
        self.restore_button = texts.button(lambda: self.tr("&Restore the chosen backup…"),
                                           self._restore_chosen)
        self.check_button = texts.button(lambda: self.tr("Chec&k the database now"),
                                         self.check_now)
        self.check_state = QLabel()
        self.check_state.setWordWrap(True)
        self.check_state.setObjectName("check_state")
        backup_layout = QVBoxLayout(self.backup_box)
        backup_layout.addWidget(self.backup_note)
        backup_layout.addWidget(self.backups)
        backup_layout.addLayout(row(self.backup_now, self.restore_button, None,
                                    self.check_button))
        backup_layout.addWidget(self.check_state)
        self._lane = Runner(self)  # its own lane: a long check never holds up the pages' work
        self._check_task: Any = None
        self.about_box = texts.box(lambda: self.tr("This computer"))
        # Who works here and the data folder, both wrapping: a long path (it has no spaces)
        # breaks anywhere instead of widening the page past a 1366-pixel screen, and can
        # still be selected and copied whole.
        self.about = data_label(wrap=True)
        self.about_label = texts.label(lambda: self.tr("Working as:"))
        self.folder = QPlainTextEdit()
        self.folder.setReadOnly(True)
        self.folder.setObjectName("data_folder")
        self.folder.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.folder.setFrameShape(QFrame.Shape.NoFrame)
        self.folder.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.folder.setStyleSheet("QPlainTextEdit { background: transparent; }")
        self.folder.document().setDocumentMargin(0)
        self.folder.setFixedHeight(self.folder.fontMetrics().lineSpacing() * 2 + 4)
        mark_data(self.folder)
        self.folder_label = texts.label(lambda: self.tr("&Data folder:"), buddy=self.folder)
        about_form = QFormLayout(self.about_box)
        about_form.addRow(self.about_label, self.about)
        about_form.addRow(self.folder_label, self.folder)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.language_box)
        layout.addWidget(self.backup_box)
        layout.addWidget(self.about_box)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(self._chosen)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Settings")

    def retranslate_ui(self) -> None:
        refresh_when_visible(self)

    def refresh(self) -> None:
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.language.blockSignals(False)
        self._fill_backups()
        folder = str(self.services.paths.data_dir)
        self.folder.setPlainText(folder)
        if self.user.role == "agency":  # the agency administrator is not a person
            self.about.setText(f"{self.user.full_name} — "
                               f"{self.services.agency.organisation_name()}")
            return
        info = self.services.daily.person(self.user.person_id)
        position = info.position_vi if i18n.current_language() == "vi" else info.position_en
        self.about.setText(f"{info.full_name} — {position}" if position else info.full_name)

    @staticmethod
    def _made_text(backup: Any) -> str:
        local = backup.made_at.astimezone()
        return f"{formatting.date(local.date())} {local:%H:%M}"

    def _verdict_text(self, backup: Any) -> str:
        return {"passed": self.tr("passed"), "failed": self.tr("damaged"),
                "unchecked": self.tr("not checked yet")}.get(backup.verdict, backup.verdict)

    def _fill_backups(self) -> None:
        listing = self.services.backups.list_backups()
        self.backups.set_rows(listing)
        self.restore_button.setEnabled(bool(listing))
        self._show_check_state()

    def _show_check_state(self) -> None:
        if self._check_task is not None:
            return
        report = self.services.integrity.last_report()
        if report is None:
            self.check_state.setText(self.tr("The database has not been fully checked yet; "
                                             "the check runs by itself when the computer is "
                                             "idle."))
            return
        when = report.checked_at.astimezone()
        stamp = f"{formatting.date(when.date())} {when:%H:%M}"
        if report.ok:
            self.check_state.setText(self.tr("Last full check: {when}, intact.").format(
                when=stamp))
        elif report.damaged:
            self.check_state.setText(self.tr("Last full check: {when}, the database is "
                                             "damaged.").format(when=stamp))
        elif len(report.findings) == 1:
            self.check_state.setText(self.tr("Last full check: {when}, 1 problem found."
                                             ).format(when=stamp))
        else:
            self.check_state.setText(self.tr("Last full check: {when}, {count} problems "
                                             "found.").format(when=stamp,
                                                              count=len(report.findings)))

    def check_now(self) -> None:
        """Run the full check off the GUI thread, with its progress below the list."""
        if self._check_task is not None:
            return
        integrity = self.services.integrity
        self.check_button.setEnabled(False)
        self.check_state.setText(self.tr("Checking the database…"))
        self._check_task = Op.reporting(
            None, lambda progress, cancelled: integrity.full_check(progress=progress,
                                                                   cancelled=cancelled)
        ).on_progress(lambda done, total: self.check_state.setText(
            self.tr("Checking the database… {percent}%").format(
                percent=100 * done // max(total, 1)))
        ).success(self._checked).failure(self._check_failed).run(on=self._lane)

    def _checked(self, report: Any) -> None:
        from kpi_desktop.services.integrity_messages import describe_finding

        self._check_task = None
        self.check_button.setEnabled(True)
        self._fill_backups()
        if report.ok:
            self.status_message.emit(self.tr("The database was checked: intact."))
            return
        names = self.services.integrity.names()
        count = len(report.findings)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Backups"),
                          self.tr("The check found 1 problem.") if count == 1 else
                          self.tr("The check found {count} problems.").format(count=count),
                          QMessageBox.StandardButton.Close, self)
        box.setDetailedText("\n".join(describe_finding(f, names)
                                      for f in report.findings[:100]))
        if report.damaged:
            self.services.damage_found(report)
            box.setInformativeText(self.tr("The database is damaged: nothing can be changed "
                                           "until a backup is restored."))
        box.exec()

    def _check_failed(self, error: KpiError) -> None:
        self._check_task = None
        self.check_button.setEnabled(True)
        self.check_state.setText(describe(error))

    def _backup_now(self) -> None:
        backups = self.services.backups
        self.backup_now.setEnabled(False)
        Op(self, lambda: backups.make("manual")).progress(self.tr("Backing up the database…")
        ).titled(self.tr("Backups")).success(lambda _path: self._backed_up()).always(
            lambda: self.backup_now.setEnabled(True)).run()

    def _backed_up(self) -> None:
        self._fill_backups()
        self.status_message.emit(self.tr("Backup made."))

    def _restore_chosen(self) -> None:
        path = self.backups.current_key()
        if path is None:
            QMessageBox.information(self, self.tr("Backups"),
                                    self.tr("Choose a backup in the list first."))
            return
        made = self._made_text(self.backups.current_record())
        backups, agency = self.services.backups, self.user.role == "agency"
        # Whose work the restore replaces (the audit log of the copy), read off the GUI thread.
        Op(self, lambda: [] if agency else backups.restore_impact(Path(path))).titled(
            self.tr("Restore a backup")).success(
            lambda people: self.restore_backup(path) if self.confirm_restore(path, made, people)
            else None).run()

    def confirm_restore(self, path: str, made: str,
                        people: list[tuple[str, str]] | None = None) -> bool:
        """Ask before a restore. The agency administrator confirms once; anyone else is
        warned by name whose work recorded since the backup will be replaced (``people``:
        ``BackupService.restore_impact`` of the copy, read here when not given)."""
        question = self.tr("Replace all data on this computer with the backup of {made}? Work "
                           "recorded after it will no longer be shown (the current data is kept "
                           "as a backup).").format(made=made)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Restore a backup"), question,
                          parent=self)
        if self.user.role != "agency":
            if people is None:
                people = self.services.backups.restore_impact(Path(path))
            names = [f"{name} ({pid})" for pid, name in people if pid != "agency"]
            box.setIcon(QMessageBox.Icon.Warning)
            whose = self.tr("It replaces what these people recorded on this computer since the "
                            "backup: {names}.").format(names=", ".join(names)) if names \
                else self.tr("Nobody has recorded anything on this computer since the backup.")
            box.setInformativeText(self.tr(
                "Restoring is the agency administrator's task; continue only if the agency "
                "administrator or the IT staff asked you to.") + " " + whose)
        accept = box.addButton(self.tr("&Replace the data"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton(self.tr("&Cancel"),
                                           QMessageBox.ButtonRole.RejectRole))
        box.setProperty("accept_button", accept)
        self._restore_box = box
        box.exec()
        return box.clickedButton() is accept

    def restore_backup(self, path: str) -> None:
        """Replace the database with the backup at ``path`` (on the serial lane, after what
        the pages queued); every page reloads afterwards."""
        services = self.services
        Op(self, lambda: services.restore_backup(path)).progress(
            self.tr("Restoring the backup…")).titled(self.tr("Restore a backup")).success(
            lambda _kept: self._restored()).run()

    def _restored(self) -> None:
        self._fill_backups()
        self.status_message.emit(self.tr("The backup was restored."))
        self.data_changed.emit()

    def _chosen(self, _index: int) -> None:
        code = self.language.currentData()
        if code and code != i18n.current_language():
            self.language_requested.emit(code)
