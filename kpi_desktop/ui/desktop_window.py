"""The desktop window: navigation between the pages of the person working at this PC.

Pages come from :mod:`kpi_desktop.ui.pages.registry` (the official's pages for everyone, the
leader's pages for evaluators, settings at the end). Ctrl+1 … Ctrl+9 open the pages; the
language switches live from Settings or the Language menu and is remembered. The toolbar
shows who is signed in; File → Switch user… locks that person's key and asks who is next.

The application's start shows the window before the data folder is open (``services`` None:
menus, toolbar and an empty navigation, "Opening the data folder…"); :meth:`attach` then
gives it the services and the person. A page is built when it is first shown (the
navigation lists every page from its class), so the start builds one page, not sixteen.
This module imports nothing of the data layer: the window can paint before SQLAlchemy and
the ORM are loaded (BENCHMARKS.md, cold start).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QLocale, QSize, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.ui.notices import NoticeBanner
from kpi_desktop.ui.pages.base import AGENCY_ID, Page, UserContext, mark_data

DEFAULT_PERSON = "vp-cv1"


if TYPE_CHECKING:
    from kpi_desktop.services.notifications import Notices
    from kpi_desktop.ui.reports_dialog import ReportsDialog

# The navigation's width and the height of a one-line entry (pixels).
NAV_WIDTH = 210
NAV_ROW_HEIGHT = 30


class DesktopWindow(QMainWindow):
    """The application window of the person signed in (services and settings injected).

    ``person_id`` is who signed in (the sign-in dialog or the first-run wizard unlocked their
    key); without it the last person of the settings is shown (tests, screenshots, self-test).
    ``load_after_paint`` (the application's start) leaves the first page's data to be loaded
    just after the window's first paint, so the window appears before the page's queries run;
    otherwise the first page is loaded while the window is built.
    """

    def __init__(self, services: Any = None, *, settings: Settings | None = None,
                 settings_path: Path | None = None, person_id: str | None = None,
                 parent: QWidget | None = None, load_after_paint: bool = False) -> None:
        super().__init__(parent)
        self._load_after_paint = load_after_paint
        self._painted = False
        self._after_paint: list[Any] = []
        self.services = services
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self._classes: list[type[Page]] = []
        self._built: dict[int, Page] = {}
        self.user: UserContext | None = None
        self._position = ""
        self.resize(1366, 768)
        self.setMinimumSize(QSize(1024, 640))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setSpacing(1)
        # Long page names ("Đánh giá, xếp loại chất lượng tổ chức") wrap onto a second line
        # instead of being cut; each item is as tall as its text (see _retranslate_nav).
        self.nav.setWordWrap(True)
        self.stack = QStackedWidget()
        # What happened to the person's work (issue 16 item 3), above the pages.
        self.banner = NoticeBanner()
        self.banner.open_entry.connect(self._open_entry)
        self.banner.open_page.connect(self.show_page_id)
        self.banner.save_request.connect(self.save_enrolment_request)
        self.notices: Notices | None = None
        self._confirmed_since = 0
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(4)
        outer.addWidget(self.banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        self.person_label = QLabel()
        mark_data(self.person_label)
        self.toolbar.addWidget(self.person_label)
        self.addToolBar(self.toolbar)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._page_chosen)
        self.statusBar()
        if not load_after_paint:
            self._standard_shortcuts()
        if services is not None:
            self.attach(services, person_id)
        else:  # the application's start: painted before the data folder is opened
            self.switch_action.setEnabled(False)
            self.reports_action.setEnabled(False)
        self.retranslate_ui()

    def attach(self, services: Any, person_id: str | None = None) -> None:
        """Work on ``services`` (the open data folder) as ``person_id`` (who signed in;
        without it the last person of the settings)."""
        self.services = services
        people = [row["id"] for row in self.services.organisation.people_overview()]
        if services.sync.is_agency():
            people.append(AGENCY_ID)  # the agency administrator signs in with the agency key
        wanted = person_id or self.settings.last_person_id or DEFAULT_PERSON
        self.switch_action.setEnabled(True)
        self.set_person(wanted if wanted in people else people[0],
                        signed_in=person_id is not None and person_id in people)
        if self._painted:
            self._retranslate_person()

    def _standard_shortcuts(self) -> None:
        """Print and Quit (the start sets them just after the first paint: PySide builds its
        QKeySequence enumerations, ~15 ms, on first use)."""
        self.reports_action.setShortcut(QKeySequence.StandardKey.Print)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.guide_action.setShortcut(QKeySequence("F1"))  # the user guide

    def after_paint(self, callback: Any) -> None:
        """Run ``callback`` from the event loop once the window has been painted (at once, from
        the event loop, when it has been already)."""
        if self._painted:
            QTimer.singleShot(0, callback)
        else:
            self._after_paint.append(callback)

    # -- building -------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.switch_action = self._menu_action(self.file_menu, self.switch_user)
        self.reports_action = self._menu_action(self.file_menu, self.open_reports)
        self.file_menu.addSeparator()
        self.quit_action = self._menu_action(self.file_menu, self.close)
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
        self.guide_action = self._menu_action(self.help_menu, self.open_guide)
        self.about_action = self._menu_action(self.help_menu, self._about)
        self.help_dialog: Any = None

    def _menu_action(self, menu: Any, slot: Any) -> QAction:
        """An entry of ``menu`` that runs ``slot`` (its text is set when translated)."""
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def set_person(self, person_id: str, *, signed_in: bool = False) -> None:
        """Show the desk of ``person_id``; ``signed_in``: they have just signed in (the sign-in
        is recorded, and the banner counts what was confirmed since the previous one)."""
        if person_id == AGENCY_ID:
            from kpi_desktop.ui.agency.base import agency_user

            self.user, self._position = agency_user(self.services), ""
        else:
            info = self.services.daily.person(person_id)
            self.user = UserContext(person_id=info.id, full_name=info.full_name,
                                    role=info.role, unit_id=info.unit_id,
                                    is_evaluator=info.is_evaluator)
            self._position = next((row["position_name"] for row in
                                   self.services.organisation.people_overview()
                                   if row["id"] == person_id), "")
        self.reports_action.setEnabled(person_id != AGENCY_ID)
        self._confirmed_since = 0
        self.notices = self._count_notices()
        # A leader with work waiting lands on the inbox (built first, instead of "today").
        landing = "leader.inbox" if signed_in and self.notices is not None and \
            self.notices.waiting else None
        self._build_pages(landing)
        self.refresh_notices()
        if signed_in and person_id != AGENCY_ID:
            self._record_sign_in(person_id)
        self._retranslate_person()
        if self.settings.last_person_id != person_id:
            self.settings.last_person_id = person_id
            self._save_settings()

    def _record_sign_in(self, person_id: str) -> None:
        """Record the sign-in on the serial lane; the banner then also counts the entries
        confirmed since the previous one."""
        from kpi_desktop.ui.operations import Op  # after the first paint (cold start)

        def recorded(confirmed: int) -> None:
            if self.user is not None and self.user.person_id == person_id:
                self._confirmed_since = confirmed
                self.refresh_notices()

        notifications = self.services.notifications
        Op(self, lambda: notifications.record_sign_in(person_id)).success(recorded).run()

    def switch_user(self) -> bool:
        """Lock the signed-in person's key and ask who works next; Cancel closes the window
        (nobody stays signed in). Returns whether someone signed in."""
        from kpi_desktop.ui.sign_in import SignInDialog

        if self.user is not None:
            self.services.keys.lock(self.user.person_id)
        dialog = SignInDialog(self.services, settings=self.settings, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.person_id is None:
            self.close()
            return False
        self.set_person(dialog.person_id, signed_in=True)
        self.statusBar().showMessage(self.tr("Signed in as {name}.").format(
            name=self.user.full_name if self.user else ""), 5000)
        return True

    def _build_pages(self, landing: str | None = None) -> None:
        from kpi_desktop.ui.pages.registry import pages_for

        current = landing or (self.current_page().page_id if self.current_page() else None)
        for page in self._built.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self._built = {}
        self.nav.blockSignals(True)
        self.nav.clear()
        self.go_menu.clear()
        assert self.user is not None
        self._classes = list(pages_for(self.user))
        for number, _cls in enumerate(self._classes, start=1):
            item = QListWidgetItem()
            self.nav.addItem(item)
            action = QAction(self)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, n=number - 1: self.show_page(n))
            self.go_menu.addAction(action)
        self.nav.blockSignals(False)
        self._retranslate_nav()
        index = next((i for i, cls in enumerate(self._classes) if cls.page_id == current), 0)
        self.show_page(index)

    def _page_at(self, index: int) -> Page:
        """The page at ``index`` of the navigation, built now if it was not yet (without
        loading its data: the window refreshes a page when it shows it)."""
        page = self._built.get(index)
        if page is None:
            assert self.user is not None
            with Page.building():
                page = self._classes[index](self.services, self.user)
            self._built[index] = page
            self.stack.addWidget(page)
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            page.data_changed.connect(self._data_changed)
            log = getattr(page, "log_requested", None)
            if log is not None:
                log.connect(self._log_assignment)
            request = getattr(page, "language_requested", None)
            if request is not None:
                request.connect(self.set_language)
        return page

    @property
    def pages(self) -> list[Page]:
        """Every page of the navigation, in order (building those not shown yet)."""
        return [self._page_at(i) for i in range(len(self._classes))]

    def built_pages(self) -> list[Page]:
        """The pages built so far (shown at least once), in navigation order."""
        return [self._built[i] for i in sorted(self._built)]

    # -- behaviour ------------------------------------------------------------------------
    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def page(self, page_id: str) -> Page | None:
        index = next((i for i, cls in enumerate(self._classes) if cls.page_id == page_id),
                     None)
        return None if index is None else self._page_at(index)

    def show_page(self, index: int) -> None:
        if 0 <= index < len(self._classes):
            self.nav.setCurrentRow(index)
            self._page_chosen(index)

    def show_page_id(self, page_id: str) -> Page | None:
        for index, cls in enumerate(self._classes):
            if cls.page_id == page_id:
                self.show_page(index)
                return self._built.get(index)
        return None

    def _page_chosen(self, index: int) -> None:
        if not 0 <= index < len(self._classes):
            return
        page = self._page_at(index)
        if self.stack.currentWidget() is not page:
            self.stack.setCurrentWidget(page)
        elif not page.refresh_pending():
            return  # current and loaded already
        if self._load_after_paint:
            # The start: the first page's data is loaded once the window (and the page's
            # frame) has been painted.
            if self._painted:
                QTimer.singleShot(0, self._load_current_page)
            return
        page.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:  # the first frame is being drawn
            self._painted = True
            if self._load_after_paint:
                QTimer.singleShot(0, self._standard_shortcuts)
            if self._load_after_paint and self.current_page() is not None:
                QTimer.singleShot(0, self._load_current_page)  # the page's data next
            for callback in self._after_paint:
                QTimer.singleShot(0, callback)
            self._after_paint = []

    def _load_current_page(self) -> None:
        self._load_after_paint = False  # from now on a page loads when it is shown
        page = self.current_page()
        if page is not None and page.refresh_pending():
            page.refresh()

    def _data_changed(self) -> None:
        sender = self.sender()
        for page in self._built.values():  # pages built later load the data then
            if page is not sender:
                page.setProperty("kpiStale", True)
        current = self.current_page()
        if current is not None and current is not sender:
            current.refresh()
        self.refresh_notices()

    # -- notices (issue 16 item 3) ----------------------------------------------------------
    def _count_notices(self) -> Notices | None:
        if self.services is None or self.user is None or self.user.person_id == AGENCY_ID:
            return None
        return self.services.notifications.notices(
            self.user.person_id, confirmed_since_sign_in=self._confirmed_since)

    def refresh_notices(self) -> None:
        """Recount what the banner and the navigation tell the signed-in person."""
        self.notices = self._count_notices()
        if self.notices is None:
            self.banner.setVisible(False)
        else:
            self.banner.show_notices(self.notices)
        self._retranslate_nav()

    def _open_entry(self, entry_id: str, day: str) -> None:
        import datetime as dt

        page = self.show_page_id("today")
        if page is not None and hasattr(page, "set_day"):
            page.set_day(dt.date.fromisoformat(day))
            page.select_entry(entry_id)

    def save_enrolment_request(self) -> None:
        """Save the signed-in person's enrolment request where they choose (a USB stick)."""
        from kpi_desktop.services.messages import os_error_text
        from kpi_desktop.ui.enrolment import choose_and_save_request

        if self.user is None:
            return
        try:
            path = choose_and_save_request(self, self.services, self.user.person_id)
        except OSError as error:
            QMessageBox.warning(self, self.tr("Enrolment request"), self.tr(
                "The enrolment request of {name} was not saved: {reason}").format(
                name=self.user.full_name, reason=os_error_text(error)))
            return
        if path is not None:
            self.statusBar().showMessage(self.tr(
                "The enrolment request of {name} is saved as {path}: take it to the agency."
            ).format(name=self.user.full_name, path=path), 15000)

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
            self.setLocale(QLocale())  # calendars and date fields: month names of the language
            self.retranslate_ui()
            self.banner.retranslate_ui()
        super().changeEvent(event)

    def _title(self, index: int) -> str:
        page = self._built.get(index)
        return page.title() if page is not None else self._classes[index].nav_title()

    def _retranslate_nav(self) -> None:
        counts = self.notices.page_counts() if self.notices is not None else {}
        for number in range(1, len(self._classes) + 1):
            title = self._title(number - 1)
            count = counts.get(self._classes[number - 1].page_id, 0)
            text = self.tr("{page} ({n})").format(page=title, n=count) if count else title
            item = self.nav.item(number - 1)
            item.setText(text)
            item.setSizeHint(self._nav_item_size(text))
            item.setToolTip(self.tr("{page} (Ctrl+{n})").format(page=text, n=number)
                            if number <= 9 else text)
            self.go_menu.actions()[number - 1].setText(title)

    def nav_text_width(self) -> int:
        """The width a navigation entry's text may take (room kept for a scroll bar)."""
        from PySide6.QtWidgets import QStyle

        style = self.nav.style()
        return (NAV_WIDTH - 2 * self.nav.frameWidth() - 2 * self.nav.spacing()
                - style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                - 2 * style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) - 8)

    def _nav_item_size(self, title: str) -> QSize:
        """One line's height for a short name, more for a long one (wrapped, never cut)."""
        from PySide6.QtCore import QRect, Qt

        width = self.nav_text_width()
        needed = self.nav.fontMetrics().boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), title)
        return QSize(width, max(NAV_ROW_HEIGHT, needed.height() + 12))

    def open_reports(self) -> ReportsDialog | None:
        """Forms and exports (Ctrl+P), opened on the person and period of the page on screen:
        an official prints their own Form 01/02; a leader also the people they evaluate, the
        unit summary and the unit's export (the work runs on the serial lane)."""
        if self.user is None:
            return None
        from kpi_desktop.ui import reports_dialog as rd

        kinds = (rd.FORM01, rd.FORM02) + (
            (rd.UNIT, rd.EXPORT) if self.user.is_evaluator else ()) + (rd.DOSSIER,) + (
            (rd.DOSSIERS,) if self.user.is_evaluator else ())
        page = self.current_page()
        request = (page.print_request() if page is not None else None) or rd.PrintRequest()
        if request.kind not in kinds:
            request = rd.PrintRequest(request.person_id, request.unit_id, request.period)
        request = rd.PrintRequest(request.person_id or self.user.person_id,
                                  request.unit_id or self.user.unit_id, request.period,
                                  request.kind)
        dialog = rd.ReportsDialog.for_request(self.services, self, request, kinds=kinds)
        dialog.succeeded.connect(lambda _result: self.statusBar().showMessage(
            self.tr("The file was written."), 8000))
        dialog.open()
        return dialog

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop — work log and Decree 335 evaluation"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About KPI Desktop"))
        self.guide_action.setText(self.tr("&User guide"))
        self.switch_action.setText(self.tr("&Switch user…"))
        self.reports_action.setText(self.tr("&Print forms and reports…"))
        self.toolbar.setWindowTitle(self.tr("Person"))
        self._retranslate_person()
        for code, action in self.language_actions.items():
            action.setChecked(code == i18n.current_language())
        self._retranslate_nav()

    def _retranslate_person(self) -> None:
        if self.user is None:
            if self.services is None:
                self.person_label.setText(self.tr("  Opening the data folder…"))
            return
        name = f"{self.user.full_name} — {self._position}" if self._position \
            else self.user.full_name
        self.person_label.setText(self.tr("  Signed in: {name}").format(name=name))
        self.person_label.setToolTip(self.tr("To work as someone else, use File → Switch "
                                             "user…"))

    def open_guide(self) -> Any:
        """The user guide (F1), beside the window."""
        from kpi_desktop.ui.help_dialog import HelpDialog

        if self.services is None:
            return None
        if self.help_dialog is None:
            self.help_dialog = HelpDialog(self.services, self)
        self.help_dialog.show()
        self.help_dialog.raise_()
        return self.help_dialog

    def _about(self) -> None:
        from kpi_desktop.ui.help_dialog import about_text

        extra = "<br><br>" + about_text(self.services) if self.services is not None else ""
        QMessageBox.about(self, self.tr("About KPI Desktop"), self.tr(
            "KPI Desktop records daily work, computes the monthly score and the yearly "
            "classification of Decree 335/2025/NĐ-CP on this computer, and works offline.")
            + extra)


__all__ = ["DesktopWindow"]
