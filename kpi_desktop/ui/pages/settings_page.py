"""Settings: the interface language (applies at once, remembered) and who is working here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime import i18n
from kpi_desktop.services.backups import reason_label
from kpi_desktop.services.messages import describe
from kpi_desktop.ui import formatting
from kpi_desktop.ui.common import data_label, mark_data, refresh_when_visible
from kpi_desktop.ui.pages.base import Page, UserContext


class SettingsPage(Page):
    """Settings."""

    page_id = "settings"
    language_requested = Signal(str)

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.heading = QLabel()
        self.language_box = QGroupBox()
        self.language_label = QLabel()
        self.language = QComboBox()
        mark_data(self.language)  # language names are written in their own language
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        form = QFormLayout(self.language_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language.setMinimumWidth(220)
        form.addRow(self.language_label, self.language)
        form.addRow(self.language_note)
        self.backup_box = QGroupBox()
        self.backup_note = QLabel()
        self.backup_note.setWordWrap(True)
        self.backups = QTableWidget(0, 3)
        self.backups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backups.verticalHeader().hide()
        self.backups.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.backups.setMaximumHeight(180)
        self.backup_now = QPushButton()
        self.restore_button = QPushButton()
        self.backup_now.clicked.connect(self._backup_now)
        self.restore_button.clicked.connect(self._restore_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_now)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        backup_layout = QVBoxLayout(self.backup_box)
        backup_layout.addWidget(self.backup_note)
        backup_layout.addWidget(self.backups)
        backup_layout.addLayout(buttons)
        self.about_box = QGroupBox()
        # Who works here and the data folder, both wrapping: a long path (it has no spaces)
        # breaks anywhere instead of widening the page past a 1366-pixel screen, and can
        # still be selected and copied whole.
        self.about = data_label(wrap=True)
        self.about_label = QLabel()
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
        self.folder_label = QLabel()
        self.folder_label.setBuddy(self.folder)
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
        self.heading.setText("<b>" + self.tr("Settings") + "</b>")
        self.language_box.setTitle(self.tr("Language"))
        self.language_label.setText(self.tr("&Interface language:"))
        self.language_label.setBuddy(self.language)
        self.language_note.setText(self.tr("The change applies at once in every window and is "
                                           "remembered for the next start."))
        self.about_box.setTitle(self.tr("This computer"))
        self.about_label.setText(self.tr("Working as:"))
        self.folder_label.setText(self.tr("&Data folder:"))
        self.backup_box.setTitle(self.tr("Backups"))
        self.backup_note.setText(self.tr(
            "A copy of the database is made automatically every day, before every upgrade and "
            "before every import. Restoring replaces all data on this computer with the chosen "
            "copy; the current data is kept as one more backup first."))
        self.backups.setHorizontalHeaderLabels(
            [self.tr("Made on"), self.tr("Reason"), self.tr("Size")])
        self.backup_now.setText(self.tr("&Back up now"))
        self.restore_button.setText(self.tr("&Restore the chosen backup…"))
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

    def _fill_backups(self) -> None:
        listing = self.services.backups.list_backups()
        self.backups.setRowCount(len(listing))
        for row, info in enumerate(listing):
            local = info.made_at.astimezone()
            made = QTableWidgetItem(f"{formatting.date(local.date())} {local:%H:%M}")
            made.setData(Qt.ItemDataRole.UserRole, str(info.path))
            size = QTableWidgetItem(self.tr("{size} kB").format(
                size=formatting.number(info.size / 1024, 0)))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.backups.setItem(row, 0, made)
            self.backups.setItem(row, 1, QTableWidgetItem(reason_label(info.reason)))
            self.backups.setItem(row, 2, size)
        self.restore_button.setEnabled(bool(listing))

    def _backup_now(self) -> None:
        try:
            self.services.backups.make("manual")
        except KpiError as error:
            QMessageBox.warning(self, self.tr("Backups"), describe(error))
            return
        self._fill_backups()
        self.status_message.emit(self.tr("Backup made."))

    def _restore_chosen(self) -> None:
        row = self.backups.currentRow()
        if row < 0:
            QMessageBox.information(self, self.tr("Backups"),
                                    self.tr("Choose a backup in the list first."))
            return
        path = self.backups.item(row, 0).data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(self, self.tr("Restore a backup"), self.tr(
            "Replace all data on this computer with the backup of {made}? Work recorded after "
            "it will no longer be shown (the current data is kept as a backup).").format(
                made=self.backups.item(row, 0).text()))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_backup(path)

    def restore_backup(self, path: str) -> bool:
        """Replace the database with the backup at ``path``; every page reloads afterwards."""
        from pathlib import Path

        try:
            self.services.db.close()  # no connection may stay open on the replaced file
            self.services.backups.restore(Path(path))
        except KpiError as error:
            QMessageBox.warning(self, self.tr("Restore a backup"), describe(error))
            return False
        self._fill_backups()
        self.status_message.emit(self.tr("The backup was restored."))
        self.data_changed.emit()
        return True

    def _chosen(self, _index: int) -> None:
        code = self.language.currentData()
        if code and code != i18n.current_language():
            self.language_requested.emit(code)
