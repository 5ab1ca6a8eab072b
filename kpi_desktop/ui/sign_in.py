"""Sign-in on later starts: choose yourself among the people with a key on this PC and type
your passphrase. Signing in unlocks the person's key for the session, so their work is signed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.agency.base import AGENCY_ID
from kpi_desktop.ui.common import dialog_buttons, mark_data
from kpi_desktop.ui.operations import Op
from kpi_desktop.ui.pages.base import Retranslated

__all__ = ["SignInDialog", "needs_setup", "people_with_keys"]


def people_with_keys(services: Any) -> list[dict[str, Any]]:
    """The organisation's people who have a key on this PC (the sign-in list), in the
    organisation's order."""
    owners = set(services.keys.owners())
    return [row for row in services.organisation.people_overview() if row["id"] in owners]


def needs_setup(services: Any) -> bool:
    """Whether the first-run wizard is needed: no organisation, or nobody can sign in."""
    if services.sync.is_agency() and not services.organisation.is_empty():
        return False  # the agency administrator signs in with the agency key
    return services.organisation.is_empty() or not people_with_keys(services)


class SignInDialog(Retranslated, QDialog):
    """Who is working at this PC. After ``exec()`` returns Accepted, :attr:`person_id` is the
    person signed in, whose key is unlocked."""

    def __init__(self, services: Any, *, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings or Settings()
        self.person_id: str | None = None
        self.setMinimumWidth(520)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.person = QComboBox()
        mark_data(self.person)
        for row in people_with_keys(services):
            details = row["position_name"]
            self.person.addItem(f"{row['full_name']} — {details}" if details
                                else row["full_name"], row["id"])
        if services.sync.is_agency():  # this PC holds the agency key
            self.person.addItem("", AGENCY_ID)
        last = self.person.findData(self.settings.last_person_id)
        self.person.setCurrentIndex(max(last, 0))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.person_label = QLabel()
        self.person_label.setBuddy(self.person)
        self.passphrase_label = QLabel()
        self.passphrase_label.setBuddy(self.passphrase)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        mark_data(self.error)
        self.sign_in_button = QPushButton()
        self.sign_in_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.buttons = dialog_buttons(self, own=(self.sign_in_button, self.cancel_button))
        self.person.currentIndexChanged.connect(lambda _i: self.error.clear())
        form = QFormLayout()
        form.addRow(self.person_label, self.person)
        form.addRow(self.passphrase_label, self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus()
        self.retranslate_ui()

    def accept(self) -> None:
        """Unlock the chosen person's key; a wrong passphrase keeps the dialog open."""
        person = self.person.currentData()
        if person is None:
            return
        keys, passphrase = self.services.keys, self.passphrase.text()
        try:  # on the serial lane: a wrong passphrase is counted in the database
            Op(self, lambda: keys.unlock(person, passphrase)).wait()
        except KpiError as error:
            self.error.setText(
                describe(error) if error.code != "passphrase_wrong" or error.params.get(
                    "seconds") else self.tr(
                    "The passphrase is wrong. Check the keyboard language and Caps Lock, and "
                    "try again."))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.person_id = person  # the desktop remembers it as the last person
        self.passphrase.clear()
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KPI Desktop — sign in"))
        self.intro.setText(self.tr("Choose your name and type your passphrase."))
        self.person_label.setText(self.tr("&Who are you:"))
        self.passphrase_label.setText(self.tr("&Passphrase:"))
        self.sign_in_button.setText(self.tr("&Sign in"))
        self.cancel_button.setText(self.tr("Cancel"))
        agency = self.person.findData(AGENCY_ID)
        if agency >= 0:
            self.person.setItemText(agency, self.tr("Agency administrator (agency key)"))
