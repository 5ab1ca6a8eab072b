"""Proposals: officials' proposals of new catalog items (Điều 13.3); accept one with a code
(a new active catalog version) or reject it with a note for the official."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from kpi_desktop.services.messages import proposal_status_label
from kpi_desktop.ui.agency.base import AgencyPage, points_text
from kpi_desktop.ui.common import (
    column,
    data_label,
    date_text,
    named,
    row,
    with_side_panel,
)
from kpi_desktop.ui.pages.base import UserContext
from kpi_desktop.ui.tables import RIGHT, Column, Fit, RecordTableView


class ProposalsPage(AgencyPage):
    """The proposals received from officials, waiting ones first."""

    page_id = "agency_proposals"

    def __init__(self, services: Any, user: UserContext, parent: QWidget | None = None) -> None:
        super().__init__(services, user, parent, heading=lambda: self.tr(
            "Proposals of new catalog items (Article 13.3)"))
        texts = self.texts
        self.pending_only = texts.check(lambda: self.tr("&Waiting for a decision only"),
                                        name="pending_only", checked=True)
        self._names: dict[str, str] = {}
        self.proposals = texts.table(RecordTableView.of([
            Column(lambda: self.tr("Date"), lambda p: date_text(p.proposed_at.date()),
                   sort=lambda p: p.proposed_at),
            Column(lambda: self.tr("Proposed by"),
                   lambda p: self._names.get(p.person_id, p.person_id), fit=Fit.NAME),
            Column(lambda: self.tr("Product or task"), lambda p: p.name_vi, fit=Fit.WRAP,
                   min_chars=20),
            Column(lambda: self.tr("Group"), lambda p: p.group.value),
            Column(lambda: self.tr("Points"), lambda p: points_text(p.points),
                   sort=lambda p: p.points, align=RIGHT),
            Column(lambda: self.tr("State"), lambda p: proposal_status_label(p.status) + (
                f" ({p.accepted_item_code})" if p.accepted_item_code else ""), fit=Fit.WRAP,
                   min_chars=8),
        ], key=lambda p: p.id, name="proposals"))
        self.details = data_label(wrap=True)

        self.accept_box = texts.box(lambda: self.tr("Accept into a new catalog version"))
        self.code = texts.field(lambda: self.tr("for example HCC.99"), name="code")
        self.points = texts.field(lambda: self.tr("empty: the proposed points"), name="points")
        self.accept_note = named(QLineEdit(), "accept_note")
        accept_form, self.accept_labels = texts.form(self.accept_box, [
            (lambda: self.tr("Item &code:"), self.code),
            (lambda: self.tr("&Points:"), self.points),
            (lambda: self.tr("&Note:"), self.accept_note)])
        self.accept_button = texts.button(lambda: self.tr("&Accept"), self.accept_chosen,
                                          name="accept_proposal")
        accept_form.addRow(self.accept_button)

        self.reject_box = texts.box(lambda: self.tr("Reject"))
        self.reject_note = named(QLineEdit(), "reject_note")
        self.reject_button = texts.button(lambda: self.tr("&Reject"), self.reject_chosen,
                                          name="reject_proposal")
        reject_form, (self.reject_label,) = texts.form(self.reject_box, [
            (lambda: self.tr("Note for the &official:"), self.reject_note)])
        reject_form.addRow(self.reject_button)

        column(self, row(self.heading, None, self.pending_only), (with_side_panel(
            self.proposals, [self.details, self.accept_box, self.reject_box, self.message],
            420), 1))
        self._rows: list[Any] = []
        self.pending_only.toggled.connect(lambda _on: self.refresh())
        self.proposals.current_changed.connect(lambda _key: self._selected())
        self.retranslate_ui()
        self.refresh()

    def title(self) -> str:
        return self.tr("Proposals")

    def refresh(self) -> None:
        self._names = {p.id: p.full_name for p in self.admin.people()}
        found = self.services.proposals.proposals(
            "proposed" if self.pending_only.isChecked() else None)
        self._rows = sorted(found, key=lambda p: (p.status.value != "proposed",
                                                  p.proposed_at), reverse=False)
        self.proposals.show_rows(self._rows)
        self._selected()

    def _selected(self) -> None:
        proposal = self.proposals.current_record()
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
        if not self.proposals.select_key(proposal_id):
            raise KeyError(proposal_id)
        self._selected()

    def accept_chosen(self) -> bool:
        proposal_id = self.proposals.current_key()
        if proposal_id is None:
            return False
        points = self.points.text().strip().replace(",", ".") or None
        code, note, proposals = self.code.text(), self.accept_note.text(), \
            self.services.proposals
        return self.attempt(
            lambda: proposals.accept(proposal_id, code=code, points=points, note=note),
            lambda result: self.tr("Accepted as item {code} of the new catalog version "
                                   "{version}; publish the organisation to send it out.")
            .format(code=result[0].accepted_item_code, version=result[1].id),
            lambda _r: [field.clear() for field in (self.code, self.points,
                                                    self.accept_note)])

    def reject_chosen(self) -> bool:
        proposal_id = self.proposals.current_key()
        if proposal_id is None:
            return False
        note, proposals = self.reject_note.text(), self.services.proposals
        return self.attempt(lambda: proposals.reject(proposal_id, note=note),
                            lambda _p: self.tr("Proposal rejected."),
                            lambda _p: self.reject_note.clear())


def _escape(text: str) -> str:
    import html

    return html.escape(text)
