"""Annual classifications (Form 02) as decided by the competent person.

* Signed: every field, by who decided it.
* Author: an evaluator of the person or the level above; never the person.
* Receipt key: ``annual:<id>``.
* Supersession: a decision never changes (same id, other content: a conflict); a replacement
  decision (Điều 21.3) names the one it replaces (``supersedes_id``, signed) and waits, held
  and unacknowledged, until that one is here; the current one is the one nobody supersedes.
* Travels: to the person and the agency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import AnnualClassification
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    HELD,
    ExportContext,
    ImportContext,
    RecordKind,
)
from kpi_desktop.sync.signing import annual_bytes

__all__ = ["AnnualKind"]


class AnnualKind(RecordKind[AnnualClassification]):
    name = "annual_classification"
    file = "annual_classifications"
    authors = "an evaluator of the person or the level above (never the person)"
    record_type = AnnualClassification

    def signed_forms(self, record: AnnualClassification) -> Sequence[bytes]:
        return (annual_bytes(record),)

    def author(self, record: AnnualClassification) -> str | None:
        return record.decided_by

    def signed_at(self, record: AnnualClassification) -> dt.datetime | None:
        return record.decided_at

    def item_key(self, record: AnnualClassification) -> str:
        return f"annual:{record.id}"

    def subject(self, record: AnnualClassification) -> str:
        return f"annual:{record.person_id}:{record.year}"

    def bundle_kind(self, record: AnnualClassification) -> str:
        return "review"

    def check_author(self, record: AnnualClassification, ctx: ImportContext) -> None:
        if record.decided_by not in ctx.competent(record.person_id,
                                                   [dt.date(record.year, 12, 31)]):
            raise RefusedValue("bundle_signer_not_allowed", kind="annual_classification",
                               person=record.decided_by)

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, AnnualClassification]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        for classification in uow.sync.annual_decided_by(ctx.owner_id):
            signed = self.sign_if_needed(classification, ctx.key, lambda c: (
                uow.sync.set_annual_signature(c.id, c.signature, c.key_fingerprint)))
            yield classification.person_id, signed
            if ctx.to_agency:
                yield AGENCY, signed

    def apply(self, record: AnnualClassification, ctx: ImportContext) -> str:
        if record.decided_by is None or record.decided_at is None:
            raise RefusedValue("bundle_malformed", file="annual_classifications",
                               detail="decided_by")
        self.verify(record, ctx)
        self.check_author(record, ctx)
        local = ctx.uow.sync.find_annual(record.id)
        if local is not None:
            if annual_bytes(local) != annual_bytes(record):
                raise RefusedValue("bundle_record_conflict", record=self.item_key(record))
            return DUPLICATE
        if record.supersedes_id and ctx.uow.sync.find_annual(record.supersedes_id) is None:
            return HELD
        ctx.uow.evaluations.add_annual(record)
        return APPLIED

    def stored(self, uow: Any) -> Iterable[AnnualClassification]:
        return uow.sync.iter_signed("annual_classifications")
