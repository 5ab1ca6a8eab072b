"""Proposals of new catalog items (Điều 13.3), made by an official for the agency.

* Signed: what was proposed (not the agency's decision, which travels back in the
  organisation file, signed by the agency with the whole file).
* Author: the official who proposes (their own proposal).
* Receipt key: ``prop:<id>``.
* Supersession: a proposal never changes (same id, other content: a conflict); the decision
  fields are never taken from a work bundle (stored as "proposed").
* Travels: to the agency only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import CatalogProposal, ProposalStatus
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    ExportContext,
    ImportContext,
    RecordKind,
)
from kpi_desktop.sync.signing import proposal_bytes

__all__ = ["ProposalKind"]


class ProposalKind(RecordKind[CatalogProposal]):
    name = "proposal"
    file = "proposals"
    authors = "the official who proposes"
    record_type = CatalogProposal

    def signed_forms(self, record: CatalogProposal) -> Sequence[bytes]:
        return (proposal_bytes(record),)

    def author(self, record: CatalogProposal) -> str | None:
        return record.person_id

    def signed_at(self, record: CatalogProposal) -> dt.datetime | None:
        return record.proposed_at

    def item_key(self, record: CatalogProposal) -> str:
        return f"prop:{record.id}"

    def bundle_kind(self, record: CatalogProposal) -> str:
        return "work"

    def check_author(self, record: CatalogProposal, ctx: ImportContext) -> None:
        """Only the proposer signs their proposal (checked by the signature)."""

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, CatalogProposal]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        for proposal in uow.proposals.list(person_id=ctx.owner_id):
            signed = self.sign_if_needed(proposal, ctx.key, lambda p: uow.proposals.set_signature(
                p.id, p.signature, p.key_fingerprint))
            if ctx.to_agency:
                yield AGENCY, signed

    def apply(self, record: CatalogProposal, ctx: ImportContext) -> str:
        self.verify(record, ctx)
        local = ctx.uow.proposals.find(record.id)
        if local is not None:
            if proposal_bytes(local) != proposal_bytes(record):
                raise RefusedValue("bundle_record_conflict", record=self.item_key(record))
            return DUPLICATE
        ctx.uow.proposals.add(dataclasses.replace(
            record, status=ProposalStatus.PROPOSED, decided_by=None, decided_at=None,
            accepted_item_code=None, decision_note=""))
        return APPLIED

    def stored(self, uow: Any) -> Iterable[CatalogProposal]:
        return [p for p in uow.proposals.list() if p.signature is not None]
