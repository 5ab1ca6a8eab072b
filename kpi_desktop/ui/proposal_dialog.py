"""Propose a new product for the catalog (đề xuất bổ sung sản phẩm/công việc, Điều 13.3): what a
catalog search that finds nothing offers. The proposal is signed and goes to the agency with the
next USB copy or synchronisation; the agency accepts it with a code or rejects it with a note
(Sync → My proposals shows the answer)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.domain.model import CatalogGroup
from kpi_desktop.services.messages import describe
from kpi_desktop.ui.common import data_label, dialog_buttons
from kpi_desktop.ui.operations import Op

__all__ = ["ProposalDialog"]


class ProposalDialog(QDialog):
    """Name, output product, group, points and the reason; after Accepted, :attr:`proposal`
    is the proposal filed."""

    def __init__(self, services: Any, person_id: str, person_name: str, *, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.person_id = person_id
        self.person_name = person_name
        self.proposal: Any = None
        self.setMinimumWidth(560)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit(name)
        self.output = QLineEdit()
        self.group = QComboBox()
        for group in CatalogGroup:
            self.group.addItem(group.value, group.value)
        self.points = QLineEdit()
        self.points.setMaximumWidth(120)
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(90)
        self.error = data_label(wrap=True)
        self.error.setStyleSheet("color: #b00020;")
        self.labels = {key: QLabel() for key in ("name", "output", "group", "points", "reason")}
        form = QFormLayout()
        for key, widget in (("name", self.name), ("output", self.output), ("group", self.group),
                            ("points", self.points), ("reason", self.reason)):
            self.labels[key].setBuddy(widget)
            form.addRow(self.labels[key], widget)
        self.buttons = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Propose a new product"))
        self.intro.setText(self.tr(
            "When the catalog has no item for the work, propose one (Article 13(3)): the agency "
            "adds it with a code or answers with a note. Until then the work can be logged as "
            "ad hoc work with the nearest item."))
        texts = {"name": self.tr("Product / &work:"), "output": self.tr("&Output product:"),
                 "group": self.tr("Complexity &group:"), "points": self.tr("Poi&nts:"),
                 "reason": self.tr("&Reason it is needed:")}
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.output.setPlaceholderText(self.tr("e.g. Giấy chứng nhận, Báo cáo"))
        self.points.setPlaceholderText(self.tr("e.g. 10"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("&File the proposal"))

    def accept(self) -> None:
        """File the proposal (on the serial lane); a refused value keeps the dialog open with
        the reason."""
        proposals, values = self.services.proposals, dict(
            person_id=self.person_id, name_vi=self.name.text(), output_vi=self.output.text(),
            group=self.group.currentData(), points=self.points.text().replace(",", "."),
            reason=self.reason.toPlainText())
        self.buttons.setEnabled(False)
        Op(self, lambda: proposals.propose(**values)).success(self._filed) \
            .failure(lambda error: self.error.setText(describe(error))) \
            .always(lambda: self.buttons.setEnabled(True)).run()

    def _filed(self, proposal: Any) -> None:
        self.proposal = proposal
        super().accept()

    def done_message(self) -> str:
        """The feedback after filing, naming the person and the product."""
        return self.tr("The proposal “{name}” of {person} is filed; it goes to the agency with "
                       "the next USB copy or synchronisation.").format(
            name=self.proposal.name_vi if self.proposal else "", person=self.person_name)
