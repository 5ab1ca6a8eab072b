"""Settings: the interface language (applies at once, remembered) and who is working here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.runtime import i18n
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.pages.common import data_label, mark_data, refresh_when_visible


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
        self.about_box = QGroupBox()
        self.about = data_label()
        QVBoxLayout(self.about_box).addWidget(self.about)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.language_box)
        layout.addWidget(self.about_box)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(self._chosen)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Settings")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Settings") + "</b>")
        self.language_box.setTitle(self.tr("Language"))
        self.language_label.setText(self.tr("Interface &language:"))
        self.language_label.setBuddy(self.language)
        self.language_note.setText(self.tr("The change applies at once in every window and is "
                                           "remembered for the next start."))
        self.about_box.setTitle(self.tr("This computer"))
        refresh_when_visible(self)

    def refresh(self) -> None:
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.language.blockSignals(False)
        info = self.services.daily.person(self.user.person_id)
        paths = self.services.paths
        self.about.setText(self.tr("Working as: {name} — {position}\nData folder: {folder}")
                           .format(name=info.full_name,
                                   position=info.position_vi if i18n.current_language() == "vi"
                                   else info.position_en, folder=str(paths.data_dir)))

    def _chosen(self, _index: int) -> None:
        code = self.language.currentData()
        if code and code != i18n.current_language():
            self.language_requested.emit(code)
