"""The desktop window: navigation between the pages of the person working at this PC.

Pages come from :mod:`kpi_desktop.ui.pages.registry` (the official's pages for everyone, the
leader's pages for evaluators, settings at the end). Ctrl+1 … Ctrl+9 open the pages; the
language switches live from Settings or the Language menu and is remembered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui.pages.base import Page, UserContext
from kpi_desktop.ui.pages.common import mark_data
from kpi_desktop.ui.pages.registry import pages_for

DEFAULT_PERSON = "vp-cv1"


class DesktopWindow(QMainWindow):
    """The application window of one person (services and settings injected)."""

    def __init__(self, services: Any, *, settings: Settings | None = None,
                 settings_path: Path | None = None, person_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self.pages: list[Page] = []
        self.user: UserContext | None = None
        self.resize(1366, 768)
        self.setMinimumSize(QSize(1024, 640))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(200)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        self.person_label = QLabel()
        self.person = QComboBox()
        self.person.setMinimumWidth(320)
        mark_data(self.person)
        self.person_label.setBuddy(self.person)
        self.toolbar.addWidget(self.person_label)
        self.toolbar.addWidget(self.person)
        self.addToolBar(self.toolbar)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._page_chosen)
        self._fill_people()
        self.person.currentIndexChanged.connect(self._person_chosen)
        self.statusBar()
        wanted = person_id or self.settings.last_person_id or DEFAULT_PERSON
        self.set_person(wanted if self.person.findData(wanted) >= 0
                        else self.person.itemData(0))
        self.retranslate_ui()

    # -- building -------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.go_menu = bar.addMenu("")
        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setData(code)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def _fill_people(self) -> None:
        self.person.blockSignals(True)
        self.person.clear()
        for row in self.services.organisation.people_overview():
            self.person.addItem(f"{row['full_name']} — {row['position_name']}", row["id"])
        self.person.blockSignals(False)

    def set_person(self, person_id: str) -> None:
        """Show the desk of ``person_id`` (until sign-in exists, anyone may be chosen)."""
        info = self.services.daily.person(person_id)
        self.user = UserContext(person_id=info.id, full_name=info.full_name, role=info.role,
                                unit_id=info.unit_id, is_evaluator=info.is_evaluator)
        self.person.blockSignals(True)
        self.person.setCurrentIndex(self.person.findData(person_id))
        self.person.blockSignals(False)
        self._build_pages()
        if self.settings.last_person_id != person_id:
            self.settings.last_person_id = person_id
            self._save_settings()

    def _person_chosen(self, _index: int) -> None:
        data = self.person.currentData()
        if data and (self.user is None or data != self.user.person_id):
            self.set_person(data)

    def _build_pages(self) -> None:
        current = self.current_page().page_id if self.current_page() else None
        for page in self.pages:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = []
        self.nav.blockSignals(True)
        self.nav.clear()
        self.go_menu.clear()
        assert self.user is not None
        for number, cls in enumerate(pages_for(self.user), start=1):
            page = cls(self.services, self.user)
            self.pages.append(page)
            self.stack.addWidget(page)
            item = QListWidgetItem()
            item.setSizeHint(QSize(180, 36))
            self.nav.addItem(item)
            action = QAction(self)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, n=number - 1: self.show_page(n))
            self.go_menu.addAction(action)
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            page.data_changed.connect(self._data_changed)
            log = getattr(page, "log_requested", None)
            if log is not None:
                log.connect(self._log_assignment)
            request = getattr(page, "language_requested", None)
            if request is not None:
                request.connect(self.set_language)
        self.nav.blockSignals(False)
        self._retranslate_nav()
        index = next((i for i, p in enumerate(self.pages) if p.page_id == current), 0)
        self.show_page(index)

    # -- behaviour ------------------------------------------------------------------------
    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.page_id == page_id), None)

    def show_page(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.nav.setCurrentRow(index)
            self._page_chosen(index)

    def show_page_id(self, page_id: str) -> Page | None:
        for index, page in enumerate(self.pages):
            if page.page_id == page_id:
                self.show_page(index)
                return page
        return None

    def _page_chosen(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            page = self.pages[index]
            if self.stack.currentWidget() is not page:
                self.stack.setCurrentWidget(page)
                page.refresh()

    def _data_changed(self) -> None:
        sender = self.sender()
        for page in self.pages:
            if page is not sender:
                page.setProperty("kpiStale", True)
        current = self.current_page()
        if current is not None and current is not sender:
            current.refresh()

    def _log_assignment(self, assignment_id: str) -> None:
        page = self.show_page_id("today")
        if page is not None and hasattr(page, "log_assignment"):
            page.log_assignment(assignment_id)

    def set_language(self, language: str) -> None:
        """Switch every window's language now and remember it."""
        language = i18n.set_language(language)
        self.language_actions[language].setChecked(True)
        self.settings.language = language
        self._save_settings()

    def _save_settings(self) -> None:
        if self.settings_path is not None:
            self.settings.save(self.settings_path)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _retranslate_nav(self) -> None:
        for number, page in enumerate(self.pages, start=1):
            self.nav.item(number - 1).setText(page.title())
            self.nav.item(number - 1).setToolTip(self.tr("{page} (Ctrl+{n})").format(
                page=page.title(), n=number))
            self.go_menu.actions()[number - 1].setText(page.title())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop — work log and Decree 335 evaluation"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About KPI Desktop"))
        self.toolbar.setWindowTitle(self.tr("Person"))
        self.person_label.setText(self.tr("  &Working as: "))
        self.person.setToolTip(self.tr("Whose work log this is (sign-in comes with the "
                                       "personal keys)"))
        for code, action in self.language_actions.items():
            action.setChecked(code == i18n.current_language())
        self._retranslate_nav()

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About KPI Desktop"), self.tr(
            "KPI Desktop records daily work, computes the monthly score and the yearly "
            "classification of Decree 335/2025/NĐ-CP on this computer, and works offline."))


__all__ = ["DesktopWindow", "Qt"]
