"""The first-run wizard: language, demo or the agency's file, who you are, your passphrase.

Shown when the data folder holds no organisation yet (or nobody has a key on this PC). Nothing
is written before Finish, except what importing the agency's organisation file does itself (one
transaction, with its own backup). At Finish the demo is created (its people's passphrase is
"demo"; a new one replaces it for the chosen person) or the person's key is created, and the
key is left unlocked for the session.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.passphrases import MIN_PASSPHRASE as RULE_MINIMUM
from kpi_desktop.domain.passphrases import check_new_passphrase
from kpi_desktop.domain.values import fold_text
from kpi_desktop.runtime import i18n
from kpi_desktop.services.demo import DEMO_PASSPHRASE
from kpi_desktop.services.messages import describe, os_error_text
from kpi_desktop.ui.common import mark_data, named
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Retranslated, Texts

__all__ = ["DEMO", "AGENCY_FILE", "MIN_PASSPHRASE", "DEMO_PERSON", "SetupWizard",
           "readable_fingerprint"]

DEMO, AGENCY_FILE, NEW_AGENCY = "demo", "agency", "new-agency"
MIN_PASSPHRASE = RULE_MINIMUM  # the one rule: domain/passphrases.py
DEMO_PERSON = "vp-cv1"
PAGE_LANGUAGE, PAGE_SOURCE, PAGE_PERSON, PAGE_PASSPHRASE, PAGE_AGENCY, PAGE_ENROL = range(6)
ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def readable_fingerprint(fingerprint: str) -> str:
    """A fingerprint in groups of four upper-case hex digits, for reading aloud."""
    text = fingerprint.replace(" ", "").upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class LanguagePage(QWizardPage):
    """(a) The language; a choice applies at once, to the wizard itself too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _wrapped()
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for code, name in i18n.LANGUAGES.items():
            button = QRadioButton(name)  # each language in its own words
            mark_data(button)
            button.setChecked(code == i18n.current_language())
            button.toggled.connect(lambda on, c=code: on and self._chosen(c))
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        layout.addStretch(1)

    def _chosen(self, code: str) -> None:
        if code != i18n.current_language():
            i18n.set_language(code)
        wizard = self.wizard()
        if isinstance(wizard, SetupWizard):
            wizard.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Welcome to KPI Desktop"))
        self.setSubTitle(self.tr("Choose the language of the application."))
        self.intro.setText(self.tr(
            "KPI Desktop records your daily work and computes the monthly score and the yearly "
            "classification of Decree 335/2025/NĐ-CP on this computer, without the Internet. "
            "You can change the language later in the Language menu."))


class SourcePage(QWizardPage):
    """(b) Try the demo, or set this PC up from the agency's organisation file."""

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.imported = False
        self.agency_fp: str | None = None
        self.texts = texts = Texts()
        self.demo = texts.set(QRadioButton(), lambda: self.tr("Try the demo"))
        self.demo.setChecked(True)
        self.demo_note = texts.set(_wrapped(), lambda: self.tr(
            "A made-up commune with several months of work, to see how everything works. "
            "Every demo person's passphrase is \"demo\"."))
        self.agency = texts.set(QRadioButton(), lambda: self.tr("Set up from my agency's file"))
        self.agency_note = texts.set(_wrapped(), lambda: self.tr(
            "The organisation file (KPI_organisation_….kpib) that your agency's IT staff gave "
            "you, for example on a USB stick."))
        self.group = QButtonGroup(self)
        self.group.addButton(self.demo)
        self.group.addButton(self.agency)
        # this PC becomes the agency's (agency key)
        self.new_agency = texts.set(named(QRadioButton(), "new_agency"), lambda: self.tr(
            "Set up this PC for the agency (create the agency key)"))
        self.new_agency_note = texts.set(_wrapped(), lambda: self.tr(
            "For the agency's administrator (personnel unit): build the organisation from the "
            "catalog workbook and the staff list, and publish the organisation file."))
        self.group.addButton(self.new_agency)
        self.file = mark_data(texts.field(lambda: self.tr("Organisation file")))
        self.choose_button = texts.button(lambda: self.tr("&Choose…"), self._choose)
        self.import_button = texts.button(lambda: self.tr("&Import"), self.import_file)
        self.file_row = QWidget()
        file_row = QHBoxLayout(self.file_row)
        file_row.setContentsMargins(24, 0, 0, 0)
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.import_button)
        self.result = _wrapped()
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mark_data(self.result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        self.demo_note.setContentsMargins(24, 0, 0, 8)
        layout.addWidget(self.demo_note)
        layout.addWidget(self.agency)
        self.agency_note.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self.agency_note)
        layout.addWidget(self.file_row)
        layout.addWidget(self.result)
        layout.addWidget(self.new_agency)
        self.new_agency_note.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self.new_agency_note)
        layout.addStretch(1)
        self.demo.toggled.connect(self._update)
        self.new_agency.toggled.connect(self._update)
        self.file.textChanged.connect(self._update)
        self.file.returnPressed.connect(self.import_file)
        if not services.organisation.is_empty():
            # The organisation is already here (an earlier set-up stopped before its end).
            self._mark_imported()
        self._update()

    def source(self) -> str:
        if self.new_agency.isChecked():
            return NEW_AGENCY
        return DEMO if self.demo.isChecked() else AGENCY_FILE

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.demo.isChecked() or self.new_agency.isChecked() or self.imported

    def _update(self) -> None:
        agency = self.agency.isChecked()
        self.file_row.setEnabled(agency and not self.imported)
        self.import_button.setEnabled(agency and not self.imported
                                      and bool(self.file.text().strip()))
        self.completeChanged.emit()

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("The agency's organisation file"), self.file.text(),
            self.tr("Organisation files (*.kpib);;All files (*)"))
        if path:
            self.file.setText(path)
            self.import_file()

    def import_file(self) -> None:
        """Import the chosen file; a refusal shows its reason and changes nothing."""
        text = self.file.text().strip()
        if self.imported or not text:
            return
        sync = self.services.sync  # the import runs on the serial lane; the wizard keeps painting
        [result] = Op(self, lambda: sync.import_paths([Path(text)])).wait()
        if result.status != "imported" or self.services.organisation.is_empty():
            if result.error is not None:
                reason = describe(result.error)
            else:
                reason = self.tr("This is not an organisation file.")
            self.result.setStyleSheet("color: #b00020;")
            self.result.setTextFormat(Qt.TextFormat.PlainText)
            self.result.setText(self.tr("The file was not imported and nothing was changed. "
                                        "{reason}").format(reason=reason))
            return
        self._mark_imported()
        self._update()

    def _mark_imported(self) -> None:
        self.imported = True
        self.agency_fp = self.services.sync.agency_fingerprint()
        self.agency.setChecked(True)
        self.demo.setEnabled(False)
        self.new_agency.setEnabled(False)
        self.result.setStyleSheet("")
        self.retranslate_result()

    def retranslate_result(self) -> None:
        if not self.imported:
            if not self.result.styleSheet():
                self.result.clear()
            return
        text = html.escape(self.tr("The organisation file is imported."))
        if self.agency_fp:
            # The fingerprint stands out, to be read against the agency's paper or call.
            shown = (f'<span style="font-family: monospace; font-size: large; '
                     f'font-weight: bold;">{readable_fingerprint(self.agency_fp)}</span>')
            text += "<br><br>" + html.escape(self.tr(
                "Agency key: {fingerprint}\nCompare it with the fingerprint your agency gave "
                "you (on paper or by phone). If they differ, press Cancel and call the agency's "
                "IT staff.")).replace("\n", "<br>").format(fingerprint=shown)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setText(text)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("How do you want to start?"))
        self.setSubTitle(self.tr("Try the application with made-up data, or set it up for "
                                 "your agency."))
        self.texts.apply()
        self.retranslate_result()


class PersonPage(QWizardPage):
    """(c) Who you are: the people of the organisation (or of the demo)."""

    def __init__(self, services: Any, source: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._source = source
        self._filled_for: str | None = None
        self.intro = _wrapped()
        self.search = QLineEdit()
        self.people = QListWidget()
        mark_data(self.people)
        self.people.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.search)
        layout.addWidget(self.people, 1)
        self.search.textChanged.connect(self._filter)
        self.people.currentItemChanged.connect(lambda *_: self.completeChanged.emit())
        self.people.itemDoubleClicked.connect(lambda _item: self.wizard().next())

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        source = self._source()
        if source == self._filled_for:
            return
        self._filled_for = source
        if source == DEMO and self.services.organisation.is_empty():
            rows = self.services.demo.people()
        else:
            rows = self.services.organisation.people_overview()
        self.people.clear()
        self.search.clear()
        for row in rows:
            details = ", ".join(p for p in (row["position_name"], row["unit_name"]) if p)
            item = QListWidgetItem(f"{row['full_name']} — {details}" if details
                                   else row["full_name"])
            item.setData(ID_ROLE, row["id"])
            item.setData(NAME_ROLE, row["full_name"])
            self.people.addItem(item)
            if source == DEMO and row["id"] == DEMO_PERSON:
                self.people.setCurrentItem(item)
        if self.people.currentItem() is not None:
            self.people.scrollToItem(self.people.currentItem())

    def _filter(self, text: str) -> None:
        """Every word typed, without diacritics ("dang thi lan" finds Đặng Thị Lan)."""
        words = fold_text(text).split()
        for index in range(self.people.count()):
            item = self.people.item(index)
            key = fold_text(item.text())
            item.setHidden(not all(word in key for word in words))
        self.completeChanged.emit()

    def person_id(self) -> str | None:
        item = self.people.currentItem()
        return item.data(ID_ROLE) if item is not None and not item.isHidden() else None

    def person_name(self) -> str:
        item = self.people.currentItem()
        return item.text() if item is not None else ""

    def full_name(self) -> str:
        item = self.people.currentItem()
        return item.data(NAME_ROLE) if item is not None else ""

    def select(self, person_id: str) -> None:
        for index in range(self.people.count()):
            if self.people.item(index).data(ID_ROLE) == person_id:
                self.people.setCurrentRow(index)
                return
        raise KeyError(person_id)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.person_id() is not None

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Who are you?"))
        self.setSubTitle(self.tr("Choose yourself in the list of the organisation's people."))
        self.intro.setText(self.tr("Several people may share this computer: each signs in "
                                   "with their own passphrase."))
        self.search.setPlaceholderText(self.tr("Search by name…"))


class PassphrasePage(QWizardPage):
    """(d) The passphrase that protects the person's key; the writes happen at Finish."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._owner = wizard
        self.intro = _wrapped()
        self.person = _wrapped()
        mark_data(self.person)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_label = QLabel()
        self.passphrase_label.setBuddy(self.passphrase)
        self.repeat_label = QLabel()
        self.repeat_label.setBuddy(self.repeat)
        self.error = _wrapped()
        self.error.setStyleSheet("color: #b00020;")
        mark_data(self.error)
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.repeat_label, self.repeat)
        layout = QVBoxLayout(self)
        self.person.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addWidget(self.person)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.passphrase.clear()
        self.repeat.clear()
        self.error.clear()
        # The demo ends here; a real person's key is made here and its enrolment request is
        # saved on the next page (no way back once the key exists).
        demo = self._owner.source() == DEMO
        self.setFinalPage(demo)
        self.setCommitPage(not demo)
        self.retranslate_ui()

    def new_passphrase(self) -> str | None:
        """The passphrase typed, ``None`` for the demo's "demo" kept; raises ValueError with a
        translated reason when it cannot be used."""
        first, second = self.passphrase.text(), self.repeat.text()
        if self._owner.source() == DEMO and first in ("", DEMO_PASSPHRASE) \
                and second in ("", DEMO_PASSPHRASE):
            return None
        try:
            check_new_passphrase(first, owner=self._owner.person_page.person_id() or "")
        except KpiError as error:
            raise ValueError(describe(error)) from None
        if first != second:
            raise ValueError(self.tr("The two passphrases are not the same: type it again."))
        return first

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        try:
            passphrase = self.new_passphrase()
        except ValueError as reason:
            self.error.setText(str(reason))
            self.repeat.clear()
            self.passphrase.setFocus()
            return False
        try:
            self._owner.apply(passphrase)
        except KpiError as error:
            self.error.setText(describe(error))
            return False
        return True

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Your passphrase"))
        self.setSubTitle(self.tr("It protects your personal key, which signs the work you "
                                 "send to your leader."))
        if self._owner.source() == DEMO:
            self.intro.setText(self.tr(
                "Every demo person's passphrase is \"demo\". Type a new passphrase of at least "
                "{minimum} characters to replace yours, or leave both fields empty to keep "
                "\"demo\".").format(minimum=MIN_PASSPHRASE))
        else:
            self.intro.setText(self.tr(
                "Choose a passphrase of at least {minimum} characters that others cannot guess, "
                "and keep it to yourself. If it is forgotten, a new key must be made and "
                "published by the agency.").format(minimum=MIN_PASSPHRASE))
        self.person.setText(self.tr("You: {name}").format(name=self._owner.person_name()))
        self.passphrase_label.setText(self.tr("&Passphrase:"))
        self.repeat_label.setText(self.tr("&Repeat it:"))


class EnrolmentPage(QWizardPage):
    """(e) The new key's enrolment request, saved on a USB stick for the agency."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._owner = wizard
        self.saved: Path | None = None
        self.intro = _wrapped()
        mark_data(self.intro)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_enrolment_request")
        self.result = _wrapped()
        mark_data(self.result)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.setFinalPage(True)
        self.save_button.clicked.connect(self._choose)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.saved = None
        self.result.clear()
        self.retranslate_ui()

    def _choose(self) -> None:
        from kpi_desktop.ui.enrolment import choose_and_save_request

        person = self._owner.person_id
        if person is None:
            return
        try:
            path = choose_and_save_request(self, self._owner.services, person)
        except OSError as error:
            self.result.setStyleSheet("color: #b00020;")
            self.result.setText(self.tr("The request was not saved: {reason}").format(
                reason=os_error_text(error)))
            return
        if path is not None:
            self.show_saved(path)

    def show_saved(self, path: Path) -> None:
        self.saved = path
        self.result.setStyleSheet("color: #15803d;")
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Your key is made: the agency must publish it"))
        self.setSubTitle(self.tr("Until then your leader's PC cannot check what you sign."))
        info = self._owner.key_info
        name = self._owner.person_page.full_name()
        if info is not None and info.enrolled:
            self.intro.setText(self.tr("The key of {name} (fingerprint {fingerprint}) is "
                                       "already published by this PC.").format(
                name=name, fingerprint=info.readable))
        elif info is not None:
            self.intro.setText(self.tr(
                "The key of {name} is made (fingerprint {fingerprint}). Save the enrolment "
                "request on a USB stick and take it to the agency's personnel unit, which "
                "publishes the key with the next organisation file.").format(
                name=name, fingerprint=info.readable))
        self.save_button.setText(self.tr("Save the request to &USB…"))
        self.save_button.setVisible(info is None or not info.enrolled)
        if self.saved is not None:
            self.result.setText(self.tr("The enrolment request of {name} is saved as {path}. "
                                        "Take it to the agency.").format(
                name=name, path=self.saved))


class SetupWizard(Retranslated, QWizard):
    """The first-run wizard on an empty data folder (services injected).

    After ``exec()`` returns Accepted, :attr:`person_id` is the person signed in (their key
    unlocked) and :attr:`notice` a message to show once the desktop is open (or ``""``).
    """

    def __init__(self, services: Any, *, today: Callable[[], dt.date] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._today = today or dt.date.today
        self.person_id: str | None = None
        self.key_info: Any = None  # the new key of a real person (not the demo)
        self.notice = ""
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(680, 500)
        self.language_page = LanguagePage()
        self.source_page = SourcePage(services)
        self.person_page = PersonPage(services, self.source)
        self.passphrase_page = PassphrasePage(self)
        from kpi_desktop.ui.agency.setup_page import AgencySetupPage

        self.agency_page = AgencySetupPage(services, on_done=self._agency_done)
        self.setPage(PAGE_LANGUAGE, self.language_page)
        self.setPage(PAGE_SOURCE, self.source_page)
        self.setPage(PAGE_PERSON, self.person_page)
        self.setPage(PAGE_PASSPHRASE, self.passphrase_page)
        self.setPage(PAGE_AGENCY, self.agency_page)
        self.enrol_page = EnrolmentPage(self)
        self.setPage(PAGE_ENROL, self.enrol_page)
        self.setStartId(PAGE_LANGUAGE)
        self.retranslate_ui()

    def source(self) -> str:
        """``DEMO``, ``AGENCY_FILE`` or ``NEW_AGENCY``."""
        return self.source_page.source()

    def nextId(self) -> int:  # noqa: N802 - Qt override
        current = self.currentId()
        if current == PAGE_SOURCE and self.source() == NEW_AGENCY:
            return PAGE_AGENCY
        if current == PAGE_PASSPHRASE:
            return -1 if self.source() == DEMO else PAGE_ENROL
        if current in (PAGE_AGENCY, PAGE_ENROL):
            return -1
        return super().nextId()

    def _agency_done(self, person_id: str, notice: str) -> None:
        """The agency's PC was set up (organisation and agency key) at Finish."""
        self.person_id, self.notice = person_id, notice

    def person_name(self) -> str:
        return self.person_page.person_name()

    def apply(self, passphrase: str | None) -> None:
        """Write the set-up (at Finish): the demo or the person's key; unlock it.

        ``passphrase`` ``None`` keeps the demo's "demo". Raises ``KpiError`` when refused.
        """
        person = self.person_page.person_id()
        assert person is not None
        services, demo, today = self.services, self.source() == DEMO, self._today()
        keys = services.keys

        def write() -> Any:  # on the serial lane: the demo, the key (the wizard keeps painting)
            if demo:
                if services.organisation.is_empty():
                    services.demo.create(today=today)
                if passphrase is None:
                    keys.unlock(person, DEMO_PASSPHRASE)
                else:
                    keys.change_passphrase(person, DEMO_PASSPHRASE, passphrase)
                    keys.unlock(person, passphrase)
                return None
            assert passphrase is not None
            return keys.create(person, passphrase)

        info = Op(self, write).wait()
        if not demo:
            self.key_info = info
        self.person_id = person

    def done(self, result: int) -> None:
        """Once a real person's key is made, the set-up is over whatever button closes the
        wizard (the key exists and signs in); an unsaved request is recalled by the banner."""
        if self.key_info is not None and self.person_id is not None:
            result = QWizard.DialogCode.Accepted.value
            if not self.key_info.enrolled and self.enrol_page.saved is None:
                self.notice = self.tr(
                    "The key of {name} is made (fingerprint {fingerprint}) but the agency has "
                    "not published it yet: save the enrolment request to a USB stick with "
                    "\"Save the request to USB…\" in the bar above the pages.").format(
                    name=self.person_page.full_name(), fingerprint=self.key_info.readable)
        super().done(result)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop — first start"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Make my key >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        for page in (self.language_page, self.source_page, self.person_page,
                     self.passphrase_page, self.agency_page, self.enrol_page):
            page.retranslate_ui()
