"""Proposals of new catalog items (đề xuất bổ sung sản phẩm/công việc, Điều 13.3).

* An official files a proposal on their own PC (:meth:`ProposalService.propose`): a name, the
  output, the suggested complexity group and points, and a reason. It is signed by the author
  when their key is unlocked (otherwise at the next export) and travels to the agency in the
  official's work bundle (``data/proposals.jsonl``, :mod:`kpi_desktop.services.sync`).
* The agency lists proposals and accepts one (:meth:`ProposalService.accept`) with a code and
  points: a new catalog version is made (a copy of the active version plus the new item,
  coefficient = points / standard-unit points, rounded half-up to 2 places as in the catalog
  workbook) and activated, so the next ``org publish`` ships it. Or it rejects the proposal
  with a note (:meth:`ProposalService.reject`). Both decisions are audited.

The range of points of a group comes from the catalog's groups: the points must be higher
than those of every item of a lower group and lower than those of every item of a higher group
of the active catalog (and greater than zero). Groups without items do not limit it.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    AuditEvent,
    CatalogGroup,
    CatalogItem,
    CatalogProposal,
    CatalogVersion,
    ItemScope,
    JobPositionItem,
    ProposalStatus,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.sync.signing import proposal_bytes

__all__ = ["ProposalService", "group_range", "parse_group", "parse_points"]

_CENT = Decimal("0.01")
_AGENCY = "agency"


def parse_group(value: Any) -> CatalogGroup:
    """``N1``…``N5`` (also ``n2`` or ``2``) as a group.

    Raises:
        RefusedValue: ``proposal_group_unknown``.
    """
    text = normalize_text(str(value or "")).upper()
    if text.isdigit():
        text = f"N{text}"
    try:
        return CatalogGroup(text)
    except ValueError:
        raise RefusedValue("proposal_group_unknown", value=str(value or "")) from None


def parse_points(value: Any) -> Decimal:
    """Points as an exact decimal greater than zero.

    Raises:
        RefusedValue: ``proposal_points_malformed``.
    """
    try:
        points = value if isinstance(value, Decimal) else Decimal(normalize_text(str(value)))
    except (InvalidOperation, ValueError):
        raise RefusedValue("proposal_points_malformed", value=str(value)) from None
    if not points.is_finite() or points <= 0:
        raise RefusedValue("proposal_points_malformed", value=str(value))
    return points


def group_range(items: list[CatalogItem], group: CatalogGroup
                ) -> tuple[Decimal | None, Decimal | None]:
    """``(above, below)``: points of ``group`` must be > ``above`` and < ``below`` (``None``:
    no limit), from the items of the other groups of a catalog version."""
    order = list(CatalogGroup)
    rank = order.index(group)
    lower = [i.points for i in items if order.index(i.group) < rank]
    higher = [i.points for i in items if order.index(i.group) > rank]
    return (max(lower) if lower else None), (min(higher) if higher else None)


class ProposalService:
    """Filing proposals (an official's PC) and deciding them (the agency's PC)."""

    def __init__(self, db: Any, keys: Any = None) -> None:
        self._db = db
        self._keys = keys

    # ----------------------------------------------------------------- the official --------

    def propose(self, *, person_id: str, name_vi: str, output_vi: str = "",
                group: Any, points: Any, reason: str) -> CatalogProposal:
        """File a proposal of a new catalog item; signed now when the author's key is
        unlocked (else at export).

        Raises:
            RefusedValue: ``proposal_name_missing``, ``proposal_reason_missing``,
                ``proposal_group_unknown``, ``proposal_points_malformed``,
                ``proposal_points_out_of_range``, ``catalog_missing``.
            NotFound: an unknown person.
        """
        name = normalize_text(name_vi)
        if not name:
            raise RefusedValue("proposal_name_missing")
        why = normalize_text(reason)
        if not why:
            raise RefusedValue("proposal_reason_missing")
        chosen = parse_group(group)
        value = parse_points(points)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = uow.org.get_person(normalize_text(person_id))
            self._check_range(uow, chosen, value)
            proposal = CatalogProposal(
                id=new_id(), person_id=person.id, proposed_at=now, name_vi=name,
                output_vi=normalize_text(output_vi), group=chosen, points=value, reason=why)
            key = self._keys.unlocked(person.id) if self._keys is not None else None
            if key is not None and person.key_fingerprint == key.fingerprint:
                proposal = dataclasses.replace(
                    proposal, signature=key.sign(proposal_bytes(proposal)),
                    key_fingerprint=key.fingerprint)
            uow.proposals.add(proposal)
            uow.audit.append(AuditEvent(
                at=now, action="proposal.file", object_type="catalog_proposal",
                object_id=proposal.id, actor_id=person.id,
                detail={"name": name, "group": chosen.value, "points": str(value)}))
        return proposal

    def proposals_of(self, person_id: str) -> list[CatalogProposal]:
        """A person's own proposals, oldest first, with the agency's decision once the
        organisation file that carries it has been imported ("My proposals")."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.proposals.list(person_id=normalize_text(person_id))

    # ----------------------------------------------------------------- the agency ----------

    def proposals(self, status: ProposalStatus | str | None = None) -> list[CatalogProposal]:
        """Proposals on this PC, oldest first (only those in ``status`` when given)."""
        wanted = None if status is None else ProposalStatus(status)
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.proposals.list(status=wanted)

    def accept(self, proposal_id: str, *, code: str, points: Any = None,
               note: str = "") -> tuple[CatalogProposal, CatalogVersion]:
        """Accept a proposal as item ``code`` of a new, active catalog version (a copy of the
        active version plus the item); ``org publish`` then ships it.

        Raises:
            RefusedValue: ``proposal_not_pending``, ``proposal_code_missing``,
                ``proposal_code_taken``, ``proposal_points_malformed``,
                ``proposal_points_out_of_range``, ``catalog_missing``.
            NotFound: an unknown proposal.
        """
        code = normalize_text(code)
        if not code:
            raise RefusedValue("proposal_code_missing")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            proposal = self._pending(uow, proposal_id)
            value = proposal.points if points is None else parse_points(points)
            active, items = self._check_range(uow, proposal.group, value)
            if any(i.code == code for i in items):
                raise RefusedValue("proposal_code_taken", code=code)
            version_id = self._next_version_id(uow, active.id, code)
            version = dataclasses.replace(
                active, id=version_id, label=f"{active.label} + {code}", published_at=now,
                active=True, note=normalize_text(f"{active.note} +{code}"))
            copies = [dataclasses.replace(i, id=CatalogItem.make_id(version_id, i.code),
                                          catalog_version_id=version_id) for i in items]
            item = CatalogItem(
                id=CatalogItem.make_id(version_id, code), catalog_version_id=version_id,
                code=code, name_vi=proposal.name_vi, output_vi=proposal.output_vi,
                group=proposal.group, points=value,
                coefficient=(value / active.standard_unit_points).quantize(
                    _CENT, rounding=ROUND_HALF_UP),
                scope=ItemScope.SHARED)
            uow.catalog.add_version(version)
            uow.catalog.add_items([*copies, item])
            self._copy_permissions(uow, items, version_id, proposal.person_id, item.id)
            decided = uow.proposals.decide(
                proposal.id, status=ProposalStatus.ACCEPTED, decided_by=_AGENCY,
                decided_at=now, accepted_item_code=code, note=normalize_text(note))
            uow.audit.append(AuditEvent(
                at=now, action="proposal.accept", object_type="catalog_proposal",
                object_id=proposal.id, actor_id=None,
                detail={"code": code, "points": str(value), "catalog_version": version_id,
                        "note": decided.decision_note}))
        return decided, version

    def reject(self, proposal_id: str, *, note: str) -> CatalogProposal:
        """Reject a proposal with a note for its author.

        Raises:
            RefusedValue: ``proposal_note_missing``, ``proposal_not_pending``.
            NotFound: an unknown proposal.
        """
        text = normalize_text(note)
        if not text:
            raise RefusedValue("proposal_note_missing")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            proposal = self._pending(uow, proposal_id)
            decided = uow.proposals.decide(proposal.id, status=ProposalStatus.REJECTED,
                                           decided_by=_AGENCY, decided_at=now, note=text)
            uow.audit.append(AuditEvent(
                at=now, action="proposal.reject", object_type="catalog_proposal",
                object_id=proposal.id, actor_id=None, detail={"note": text}))
        return decided

    # ----------------------------------------------------------------- helpers -------------

    @staticmethod
    def _pending(uow: Any, proposal_id: str) -> CatalogProposal:
        proposal = uow.proposals.get(normalize_text(proposal_id))
        if proposal.status is not ProposalStatus.PROPOSED:
            raise RefusedValue("proposal_not_pending", id=proposal.id,
                               status=proposal.status.value)
        return proposal

    @staticmethod
    def _check_range(uow: Any, group: CatalogGroup, points: Decimal
                     ) -> tuple[CatalogVersion, list[CatalogItem]]:
        active = uow.catalog.active_version()
        if active is None:
            raise RefusedValue("catalog_missing")
        items = uow.catalog.list_items(version_id=active.id)
        above, below = group_range(items, group)
        if (above is not None and points <= above) or (below is not None and points >= below):
            low = "0" if above is None else str(above)
            high = "…" if below is None else str(below)
            raise RefusedValue("proposal_points_out_of_range", points=str(points),
                               group=group.value, range=f"({low}; {high})")
        return active, items

    @staticmethod
    def _next_version_id(uow: Any, base: str, code: str) -> str:
        known = {v.id for v in uow.catalog.list_versions()}
        candidate, number = f"{base}+{code}", 1
        while candidate in known:
            number += 1
            candidate = f"{base}+{code}.{number}"
        return candidate

    @staticmethod
    def _copy_permissions(uow: Any, items: list[CatalogItem], version_id: str,
                          author_id: str, new_item_id: str) -> None:
        """Explicit job-position permissions follow the items into the new version; the new
        item is added to the author's position when that position has an explicit list."""
        old_ids = {i.id: CatalogItem.make_id(version_id, i.code) for i in items}
        author = uow.org.get_person(author_id)
        links: list[JobPositionItem] = []
        for position in uow.org.list_job_positions():
            explicit = uow.catalog.position_item_ids(position.id)
            copied = [old_ids[i] for i in sorted(explicit) if i in old_ids]
            links.extend(JobPositionItem(job_position_id=position.id, catalog_item_id=i)
                         for i in copied)
            if explicit and position.id == author.job_position_id:
                links.append(JobPositionItem(job_position_id=position.id,
                                             catalog_item_id=new_item_id))
        if links:
            uow.catalog.add_position_items(links)
