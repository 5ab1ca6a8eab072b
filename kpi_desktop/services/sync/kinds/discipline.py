"""Discipline events (Điều 20.4): a discipline decision or another override to "Không hoàn
thành", recorded by an evaluator of the person.

* Signed: every field, by who recorded it (an event recorded before a recorder was kept got
  one in revision 0010: the person's evaluator on the decision date).
* Author: an evaluator of the person on the decision date or today, or the level above;
  never the person.
* Receipt key: ``disc:<id>:<hash>`` (the year it counts for may move: a change is sent again).
* Supersession: everything but the year is fixed (other content: a conflict); decisions about
  one act (``related_event_id``) all count in the earliest of their signed years — a function
  of the set of events, so any import order gives the same years. One whose related event has
  not arrived is held back.
* Travels: to the person and the agency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import DisciplineEvent
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    HELD,
    ExportContext,
    ImportContext,
    RecordKind,
    digest,
)
from kpi_desktop.sync.signing import discipline_bytes

__all__ = ["DisciplineKind", "settle_years"]


def _core(event: DisciplineEvent) -> bytes:
    """A discipline event's fixed content (all but the year it counts for)."""
    return discipline_bytes(dataclasses.replace(event, effective_year=0))


class DisciplineKind(RecordKind[DisciplineEvent]):
    name = "discipline_event"
    file = "discipline_events"
    authors = "an evaluator of the person or the level above (never the person)"
    record_type = DisciplineEvent

    def signed_forms(self, record: DisciplineEvent) -> Sequence[bytes]:
        return (discipline_bytes(record),)

    def author(self, record: DisciplineEvent) -> str | None:
        return record.recorded_by

    def signed_at(self, record: DisciplineEvent) -> dt.datetime | None:
        return record.created_at

    def item_key(self, record: DisciplineEvent) -> str:
        return f"disc:{record.id}:{digest(discipline_bytes(record))}"

    def subject(self, record: DisciplineEvent) -> str:
        return f"disc:{record.id}"

    def bundle_kind(self, record: DisciplineEvent) -> str:
        return "review"

    def check_author(self, record: DisciplineEvent, ctx: ImportContext) -> None:
        if record.recorded_by not in ctx.competent(record.person_id, [record.decided_on]):
            raise RefusedValue("bundle_signer_not_allowed", kind="discipline_event",
                               person=record.recorded_by)

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, DisciplineEvent]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        for event in uow.sync.discipline_recorded_by(ctx.owner_id):
            signed = self.sign_if_needed(event, ctx.key, lambda e: (
                uow.sync.set_discipline_signature(e.id, e.signature, e.key_fingerprint)))
            yield event.person_id, signed
            if ctx.to_agency:
                yield AGENCY, signed

    def apply(self, record: DisciplineEvent, ctx: ImportContext) -> str:
        if record.recorded_by is None:
            raise RefusedValue("bundle_malformed", file="discipline_events",
                               detail="recorded_by")
        self.verify(record, ctx)
        self.check_author(record, ctx)
        ctx.settle.add(record.person_id)
        local = ctx.uow.sync.find_discipline(record.id)
        if local is not None:
            if _core(local) != _core(record):
                raise RefusedValue("bundle_record_conflict", record=self.item_key(record))
            if local.signature is None:  # an orphan here, now signed by its recorder
                ctx.uow.sync.set_discipline_signature(record.id, record.signature,
                                                      record.key_fingerprint)
                return APPLIED
            return DUPLICATE
        if record.related_event_id and ctx.uow.sync.find_discipline(
                record.related_event_id) is None:
            return HELD
        ctx.uow.discipline.add(record)
        return APPLIED

    def finish(self, ctx: ImportContext) -> None:
        for person_id in sorted(ctx.settle):
            settle_years(ctx.uow, person_id)

    def stored(self, uow: Any) -> Iterable[DisciplineEvent]:
        return uow.sync.iter_signed("discipline_events")

    def verify_stored(self, record: DisciplineEvent, lookup: Any,
                      signatures: Any = None) -> Any:
        # The year may have moved here after signing (related decisions arrived): the
        # recorder signed the event with its own year.
        problem = super().verify_stored(record, lookup, signatures)
        if problem is not None and problem.code == "signature_invalid":
            for year in range(record.decided_on.year - 3, record.decided_on.year + 2):
                moved = dataclasses.replace(record, effective_year=year)
                if super().verify_stored(moved, lookup) is None:
                    return None
        return problem


def settle_years(uow: Any, person_id: str) -> None:
    """Decisions about one act (linked by ``related_event_id``) count in one year, the
    earliest of their years (Điều 11.3a), as on the recorder's PC."""
    events = uow.discipline.list_for_person(person_id)
    parent = {e.id: e.id for e in events}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for event in events:
        if event.related_event_id in parent:
            a, b = root(event.id), root(str(event.related_event_id))
            parent[max(a, b)] = min(a, b)
    year: dict[str, int] = {}
    for event in events:
        group = root(event.id)
        year[group] = min(year.get(group, event.effective_year), event.effective_year)
    for event in events:
        if event.effective_year != year[root(event.id)]:
            uow.discipline.set_effective_year(event.id, year[root(event.id)])
