"""What a person should know about the channels bundles arrive on: sequence numbers that
never arrived (gaps), bundles held for a reused number, records the recipients refused,
records accepted though signed before their key was revoked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.sync.importer import missing_numbers, person_name

__all__ = ["Gap", "attention_lines", "gaps", "record_text"]


@dataclass(frozen=True)
class Gap:
    """Bundles a sender numbered but that never arrived here."""

    sender_id: str
    sender_name: str
    recipient_id: str
    missing: tuple[int, ...]


def gaps(uow: Any) -> list[Gap]:
    """Senders some of whose numbered bundles never arrived here."""
    found = []
    for sender, recipient, signer in uow.sync.inbound_channels():
        missing = missing_numbers(uow, sender, recipient, signer)
        if missing:
            found.append(Gap(sender, person_name(uow, sender), recipient, tuple(missing)))
    return found


def record_text(uow: Any, item_key: str) -> str:
    """A signed record's key as people know the record (names, not ids): an entry's revision
    or its review as "DC.27 of 18/11/2026 by Phạm Thị Hoa", a monthly evaluation as
    "evaluation of Phạm Thị Hoa for 11/2026"; any other key as it is. The one home of these
    words for the Sync page, ``sync status`` and the import summary."""
    from kpi_desktop.services.messages import period_text

    kind, _, rest = item_key.partition(":")
    entry_id = ""
    if kind == "rev":
        entry_id = rest.split(":", 1)[0]
    elif kind == "stmt":
        statement = uow.reviews.find(rest.split(":", 1)[0])
        entry_id = statement.entry_id if statement is not None else ""
    elif kind.startswith("eval-") and rest.count(":") >= 1:
        person_id, period = rest.split(":")[:2]
        return translate("SyncSummary", "evaluation of {person} for {period}").format(
            period=period_text(period), person=person_name(uow, person_id))
    entry = uow.worklog.find(entry_id) if entry_id else None
    if entry is None:
        return item_key
    item = uow.catalog.find_item(entry.catalog_item_id)
    return translate("SyncSummary", "{code} of {date} by {person}").format(
        code=item.code if item else "?", date=entry.work_date.strftime("%d/%m/%Y"),
        person=person_name(uow, entry.person_id))


def attention_lines(uow: Any) -> list[str]:
    """The gaps, held bundles, refusals received and flagged records, in words."""
    from kpi_desktop.services.messages import describe

    lines = [describe(KpiError("sync_bundles_missing", count=len(g.missing),
                               sender=g.sender_name)) for g in gaps(uow)]
    for held in uow.sync.held_bundles():
        lines.append(translate("Sync", "Held: bundle {bundle} from {sender}, number {seq} "
                               "(kpi-desktop sync release|discard {bundle}).").format(
            bundle=held.bundle_id, sender=person_name(uow, held.sender_id), seq=held.seq))
    for refusal in uow.sync.refusals("in"):
        lines.append(translate("Sync", "Refused by {peer}: {item}: {reason}").format(
            peer=person_name(uow, refusal.peer_id), item=record_text(uow, refusal.item_key),
            reason=describe(KpiError(refusal.code, **refusal.params))))
    for event in uow.audit.list_events(action="sync.signed_before_revocation",
                                       newest_first=True, limit=500):
        lines.append(translate("Sync", "Signed before the key was revoked; arrived after: "
                               "{item} (from {sender}).").format(
            item=record_text(uow, event.object_id),
            sender=person_name(uow, str(event.detail.get("sender", "")))))
    return lines
