"""Proposals: officials' proposals of new catalog items (Điều 13.3); accept one with a code
(a new active catalog version) or reject it with a note for the official."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpi_desktop.services.messages import proposal_status_label
from kpi_desktop.ui.agency.base import AgencyPage, fill, points_text, select_id, selected_id, table
from kpi_desktop.ui.common import date_text, mark_data
from kpi_desktop.ui.pages.base import UserContext


class ProposalsPage(AgencyPage):
    """The proposals received from officials, waiting ones first."""

    page_id = "agency_proposals"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent)
        self.heading = QLabel()
        self.pending_only = QCheckBox()
        self.pending_only.setObjectName("pending_only")
        self.pending_only.setChecked(True)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.pending_only)
        self.proposals = table(6, stretch=2)
        self.proposals.setObjectName("proposals")
        self.details = QLabel()
        self.details.setWordWrap(True)
        mark_data(self.details)

        self.accept_box = QGroupBox()
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.points = QLineEdit()
        self.points.setObjectName("points")
        self.accept_note = QLineEdit()
        self.accept_note.setObjectName("accept_note")
        self.accept_labels = [QLabel() for _ in range(3)]
        accept_form = QFormLayout(self.accept_box)
        for label, field in zip(self.accept_labels, (self.code, self.points, self.accept_note),
                                strict=True):
            label.setBuddy(field)
            accept_form.addRow(label, field)
        self.accept_button = QPushButton()
        self.accept_button.setObjectName("accept_proposal")
        accept_form.addRow(self.accept_button)

        self.reject_box = QGroupBox()
        self.reject_note = QLineEdit()
        self.reject_note.setObjectName("reject_note")
        self.reject_label = QLabel()
        self.reject_label.setBuddy(self.reject_note)
        reject_form = QFormLayout(self.reject_box)
        reject_form.addRow(self.reject_label, self.reject_note)
        self.reject_button = QPushButton()
        self.reject_button.setObjectName("reject_proposal")
        reject_form.addRow(self.reject_button)

        side = QVBoxLayout()
        side.addWidget(self.details)
        side.addWidget(self.accept_box)
        side.addWidget(self.reject_box)
        side.addWidget(self.message)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(420)
        body = QHBoxLayout()
        body.addWidget(self.proposals, 1)
        body.addWidget(side_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self._rows: list[Any] = []
        self._names: dict[str, str] = {}
        self.pending_only.toggled.connect(lambda _on: self.refresh())
        self.proposals.itemSelectionChanged.connect(self._selected)
        self.accept_button.clicked.connect(self.accept_chosen)
        self.reject_button.clicked.connect(self.reject_chosen)
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Proposals")

    def retranslate_ui(self) -> None:
        self.heading.setText("<b>" + self.tr("Proposals of new catalog items (Article 13.3)")
                             + "</b>")
        self.pending_only.setText(self.tr("&Waiting for a decision only"))
        self.proposals.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Proposed by"), self.tr("Product or task"),
            self.tr("Group"), self.tr("Points"), self.tr("State")])
        self.accept_box.setTitle(self.tr("Accept into a new catalog version"))
        for label, text in zip(self.accept_labels, (
                self.tr("Item &code:"), self.tr("&Points:"), self.tr("&Note:")), strict=True):
            label.setText(text)
        self.code.setPlaceholderText(self.tr("for example HCC.99"))
        self.points.setPlaceholderText(self.tr("empty: the proposed points"))
        self.accept_button.setText(self.tr("&Accept"))
        self.reject_box.setTitle(self.tr("Reject"))
        self.reject_label.setText(self.tr("Note for the &official:"))
        self.reject_button.setText(self.tr("&Reject"))
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        chosen = selected_id(self.proposals)
        self._names = {p.id: p.full_name for p in self.admin.people()}
        found = self.services.proposals.proposals(
            "proposed" if self.pending_only.isChecked() else None)
        self._rows = sorted(found, key=lambda p: (p.status.value != "proposed",
                                                  p.proposed_at), reverse=False)
        self.proposals.blockSignals(True)
        fill(self.proposals, [[date_text(p.proposed_at.date()),
                               self._names.get(p.person_id, p.person_id), p.name_vi,
                               p.group.value, points_text(p.points),
                               proposal_status_label(p.status)
                               + (f" ({p.accepted_item_code})" if p.accepted_item_code else "")]
                              for p in self._rows], [p.id for p in self._rows])
        self.proposals.blockSignals(False)
        if (chosen is None or not select_id(self.proposals, chosen)) and self._rows:
            self.proposals.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        proposal_id = selected_id(self.proposals)
        proposal = next((p for p in self._rows if p.id == proposal_id), None)
        pending = proposal is not None and proposal.status.value == "proposed"
        for widget in (self.accept_box, self.reject_box):
            widget.setEnabled(pending)
        if proposal is None:
            self.details.setText(self.tr("No proposals."))
            return
        lines = [f"<b>{_escape(proposal.name_vi)}</b>",
                 self.tr("Output: {output}").format(output=_escape(proposal.output_vi or "—")),
                 self.tr("Reason: {reason}").format(reason=_escape(proposal.reason))]
        if proposal.decision_note:
            lines.append(self.tr("Decision note: {note}").format(
                note=_escape(proposal.decision_note)))
        self.details.setText("<br>".join(lines))

    def choose(self, proposal_id: str) -> None:
        self.pending_only.setChecked(False)
        if not select_id(self.proposals, proposal_id):
            raise KeyError(proposal_id)
        self._selected()

    def accept_chosen(self) -> bool:
        proposal_id = selected_id(self.proposals)
        if proposal_id is None:
            return False
        points = self.points.text().strip().replace(",", ".") or None
        ok = self.attempt(
            lambda: self.services.proposals.accept(proposal_id, code=self.code.text(),
                                                   points=points,
                                                   note=self.accept_note.text()),
            lambda result: self.tr("Accepted as item {code} of the new catalog version "
                                   "{version}; publish the organisation to send it out.")
            .format(code=result[0].accepted_item_code, version=result[1].id))
        if ok:
            for field in (self.code, self.points, self.accept_note):
                field.clear()
        return ok

    def reject_chosen(self) -> bool:
        proposal_id = selected_id(self.proposals)
        if proposal_id is None:
            return False
        ok = self.attempt(lambda: self.services.proposals.reject(
            proposal_id, note=self.reject_note.text()), lambda _p: self.tr("Proposal rejected."))
        if ok:
            self.reject_note.clear()
        return ok


def _escape(text: str) -> str:
    import html

    return html.escape(text)
