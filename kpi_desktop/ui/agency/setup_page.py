"""The first-run wizard's page for the agency's own PC: the organisation's name and the
passphrase of the agency key, which signs every organisation file the agency publishes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.passphrases import MIN_PASSPHRASE as RULE_MINIMUM
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.agency.base import AGENCY_ID
from kpi_desktop.ui.common import ERROR_STYLE, mark_data
from kpi_desktop.ui.operations import Op

MIN_PASSPHRASE = RULE_MINIMUM  # the one rule: domain/passphrases.py


def readable(fingerprint: str) -> str:
    text = fingerprint.replace(" ", "").upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class AgencySetupPage(QWizardPage):
    """Create the organisation and the agency key at Finish (nothing is written before)."""

    def __init__(self, services: Any, *,
                 on_done: Callable[[str, str], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._on_done = on_done
        self.person_id: str | None = None
        self.notice = ""
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.org_id = QLineEdit()
        self.org_id.setObjectName("org_id")
        self.name = QLineEdit()
        self.name.setObjectName("org_name")
        self.code = QLineEdit()
        self.code.setObjectName("org_code")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("agency_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("agency_repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.name, self.org_id, self.code,
                                              self.passphrase, self.repeat), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        mark_data(self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setFinalPage(True)
        self.name.textChanged.connect(self._suggest_id)
        self.retranslate_ui()

    def _suggest_id(self, text: str) -> None:
        if self.org_id.isModified():
            return
        import re
        import unicodedata

        folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
        plain = "".join(c for c in folded if not unicodedata.combining(c))
        self.org_id.setText(re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40])

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return -1

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        if self.passphrase.text() != self.repeat.text():
            self.error.setText(self.tr("The two passphrases are not the same: type it again."))
            self.repeat.clear()
            self.passphrase.setFocus()
            return False
        agency, values = self.services.agency, dict(
            organisation_id=self.org_id.text(), name_vi=self.name.text(),
            code=self.code.text(), passphrase=self.passphrase.text(), minimum=MIN_PASSPHRASE)
        try:  # the key is made and the organisation stored on the serial lane
            fingerprint = Op(self, lambda: agency.start_agency(**values)).wait()
        except KpiError as error:
            self.error.setText(describe(error))
            return False
        self.person_id = AGENCY_ID
        self.notice = self.tr(
            "This PC now holds the agency key (fingerprint {fingerprint}). Import the catalog "
            "and the staff list, then publish the organisation file. Keep the passphrase safe: "
            "without it no new organisation file can be signed.").format(
            fingerprint=readable(fingerprint))
        if self._on_done is not None:
            self._on_done(self.person_id, self.notice)
        return True

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Set up this PC for the agency"))
        self.setSubTitle(self.tr("The agency's administrator builds and publishes the "
                                 "organisation from this PC."))
        self.intro.setText(self.tr(
            "The agency key is created on this PC and protected by its passphrase (at least "
            "{minimum} characters). Every PC trusts the organisation files it signs; only the "
            "administrator may know the passphrase.").format(minimum=MIN_PASSPHRASE))
        for label, text in zip(self.labels, (
                self.tr("Organisation na&me:"), self.tr("&Identifier:"), self.tr("Short &code:"),
                self.tr("Agency key &passphrase:"), self.tr("&Repeat it:")), strict=True):
            label.setText(text)
        self.name.setPlaceholderText(self.tr("for example UBND xã Nghĩa Lâm"))
