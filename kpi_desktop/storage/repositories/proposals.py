"""Catalog-proposal repository: officials' proposals of new items and the agency's decisions."""

from __future__ import annotations

import builtins
import datetime as dt

from sqlalchemy import select

from kpi_desktop.domain.model import CatalogProposal, ProposalStatus
from kpi_desktop.storage.orm import CatalogProposalRow
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_PROP = table_of(CatalogProposalRow)


class ProposalRepository(Repository):
    """Proposals of new catalog items (``uow.proposals``)."""

    def add(self, proposal: CatalogProposal) -> None:
        """Store a proposal."""
        self._insert(_PROP, to_row(proposal))

    def get(self, proposal_id: str) -> CatalogProposal:
        """One proposal, or ``NotFound``."""
        return self._get(CatalogProposal, _PROP, _PROP.c.id == proposal_id, "proposal",
                         proposal_id)

    def find(self, proposal_id: str) -> CatalogProposal | None:
        """One proposal, or ``None``."""
        return self._one(CatalogProposal, _PROP, _PROP.c.id == proposal_id)

    def list(self, *, status: ProposalStatus | None = None,
             person_id: str | None = None) -> builtins.list[CatalogProposal]:
        """Proposals, oldest first; only those in ``status`` / by ``person_id`` when given."""
        stmt = select(_PROP)
        if status is not None:
            stmt = stmt.where(_PROP.c.status == status)
        if person_id is not None:
            stmt = stmt.where(_PROP.c.person_id == person_id)
        return self._all(CatalogProposal, stmt.order_by(_PROP.c.proposed_at, _PROP.c.id))

    def decide(self, proposal_id: str, *, status: ProposalStatus, decided_by: str,
               decided_at: dt.datetime, accepted_item_code: str | None = None,
               note: str = "") -> CatalogProposal:
        """Record the agency's decision about a proposal; returns it as stored now."""
        self.get(proposal_id)
        self._update(_PROP, _PROP.c.id == proposal_id, {
            "status": status, "decided_by": decided_by, "decided_at": decided_at,
            "accepted_item_code": accepted_item_code, "decision_note": note})
        return self.get(proposal_id)

    def set_signature(self, proposal_id: str, signature: bytes, fingerprint: str) -> None:
        """Keep the author's signature made at export."""
        self._update(_PROP, _PROP.c.id == proposal_id,
                     {"signature": signature, "key_fingerprint": fingerprint})
