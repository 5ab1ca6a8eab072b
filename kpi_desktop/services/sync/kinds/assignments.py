"""Assignments (giao nhiệm vụ, Điều 18): a catalog item assigned to a person for a period.

* Signed: every field (v2 adds the version); signatures over the earlier form still verify
  (their version counts as 0).
* Author: the assigner, an evaluator of the person on the period's last day or today.
* Receipt key: ``plan:<id>:<hash of the signed bytes>`` (a change is sent again).
* Supersession: one writer (the assigner); the newer is the higher signed version, then the
  later signed change time, then the larger hash — never the later arrival.
* Withdrawal: a cancelled or reassigned status, signed like any change.
* Travels: to the person and the agency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import Assignment
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    SUPERSEDED,
    ExportContext,
    ImportContext,
    RecordKind,
    digest,
)
from kpi_desktop.sync.signing import assignment_forms

__all__ = ["AssignmentKind"]


class AssignmentKind(RecordKind[Assignment]):
    name = "assignment"
    file = "assignments"
    authors = "the assigner, an evaluator of the person"
    record_type = Assignment

    def signed_forms(self, record: Assignment) -> Sequence[bytes]:
        return assignment_forms(record)

    def author(self, record: Assignment) -> str | None:
        return record.assigner_id

    def signed_at(self, record: Assignment) -> dt.datetime | None:
        return record.updated_at or record.created_at

    def item_key(self, record: Assignment) -> str:
        return f"plan:{record.id}:{digest(self.signed_forms(record)[0])}"

    def subject(self, record: Assignment) -> str:
        return f"plan:{record.id}"

    def rank(self, record: Assignment) -> tuple[Any, ...]:
        return (record.version, record.updated_at or record.created_at,
                digest(self.signed_forms(record)[0], 64))

    def bundle_kind(self, record: Assignment) -> str:
        return "plan"

    def check_author(self, record: Assignment, ctx: ImportContext) -> None:
        evaluators = ctx.evaluators(record.person_id, (record.period.end, ctx.today))
        if record.assigner_id not in evaluators or record.assigner_id == record.person_id:
            raise RefusedValue("bundle_signer_not_allowed", kind="assignment",
                               person=record.assigner_id)

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, Assignment]]:
        uow = ctx.uow
        for person in ctx.evaluatees:
            for assignment in uow.sync.assignments_of(person):
                if assignment.assigner_id != ctx.owner_id:
                    continue
                signed = self.sign_if_needed(assignment, ctx.key, uow.assignments.update,
                                             version=assignment.version + 1)
                yield person, signed
                if ctx.to_agency:
                    yield AGENCY, signed

    def apply(self, record: Assignment, ctx: ImportContext) -> str:
        if self.verify(record, ctx) != 0:
            record = dataclasses.replace(record, version=0)  # v1 did not sign a version
        self.check_author(record, ctx)
        if not ctx.known.has_item(record.catalog_item_id):
            raise NotFound("not_found", kind="catalog_item", id=record.catalog_item_id)
        local = ctx.known.assignment(record.id)
        if local is None:
            ctx.uow.assignments.add(record)
            ctx.known.assignment_written(record.id)
            return APPLIED
        if local.signature == record.signature:
            return DUPLICATE
        if local.assigner_id != record.assigner_id or local.person_id != record.person_id:
            raise RefusedValue("bundle_record_conflict", record=self.item_key(record))
        if local.signature is not None and not self.newer(record, local):
            return SUPERSEDED
        ctx.uow.assignments.update(record)
        ctx.known.assignment_written(record.id)
        return APPLIED

    def stored(self, uow: Any) -> Iterable[Assignment]:
        return uow.sync.iter_signed("assignments")
