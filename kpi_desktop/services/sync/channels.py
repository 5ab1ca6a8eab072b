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
    "evaluation of Phạm Thị Hoa for 11/2026", an assigned task, a proposal, a leave record, a
    discipline record, an annual result or an appeal by its person; a record this PC does not
    hold by its kind ("a leader's review that is not on this PC"), never by its key. The one
    home of these words for the Sync page, ``sync status`` and the import summary."""
    from kpi_desktop.services.messages import period_text

    kind, _, rest = item_key.partition(":")
    record_id = rest.split(":", 1)[0]
    if kind.startswith("eval-") and rest.count(":") >= 1:
        person_id, period = rest.split(":")[:2]
        return translate("SyncSummary", "evaluation of {person} for {period}").format(
            period=period_text(period), person=person_name(uow, person_id))
    if kind in ("rev", "stmt"):
        entry_id = record_id
        if kind == "stmt":
            statement = uow.reviews.find(record_id)
            entry_id = statement.entry_id if statement is not None else ""
        entry = uow.worklog.find(entry_id) if entry_id else None
        if entry is not None:
            item = uow.catalog.find_item(entry.catalog_item_id)
            return translate("SyncSummary", "{code} of {date} by {person}").format(
                code=item.code if item else "?", date=entry.work_date.strftime("%d/%m/%Y"),
                person=person_name(uow, entry.person_id))
    elif kind == "plan":
        task = uow.assignments.find(record_id)
        if task is not None:
            item = uow.catalog.find_item(task.catalog_item_id)
            return translate("SyncSummary", "task {code} assigned to {person} for {period}").format(
                code=item.code if item else "?", person=person_name(uow, task.person_id),
                period=period_text(task.period))
    elif kind == "prop":
        proposal = uow.proposals.find(record_id)
        if proposal is not None:
            return translate("SyncSummary", "proposal “{name}” by {person}").format(
                name=proposal.name_vi, person=person_name(uow, proposal.person_id))
    elif kind == "leave":
        leave = uow.leave.find(record_id)
        if leave is not None:
            return translate("SyncSummary", "leave of {person} from {start} to {end}").format(
                person=person_name(uow, leave.person_id),
                start=leave.start_on.strftime("%d/%m/%Y"), end=leave.end_on.strftime("%d/%m/%Y"))
    else:
        found = _record_of(uow, kind, record_id)
        if found is not None:
            return found
    return _not_here(kind)


def _record_of(uow: Any, kind: str, record_id: str) -> str | None:
    """Discipline records, annual results and appeals by their person (None when not here)."""
    from kpi_desktop.domain.errors import NotFound

    try:
        if kind == "disc":
            event = uow.discipline.get(record_id)
            return translate("SyncSummary", "discipline record of {person} ({year})").format(
                person=person_name(uow, event.person_id), year=event.effective_year)
        if kind in ("appeal-filing", "appeal-decision"):
            from kpi_desktop.services.messages import period_text

            appeal = uow.appeals.get(record_id)
            return translate("SyncSummary", "appeal of {person} about {period}").format(
                person=person_name(uow, appeal.person_id), period=period_text(appeal.period))
        if kind == "annual":
            result = uow.evaluations.get_annual(record_id)
            return translate("SyncSummary", "annual result of {person} for {year}").format(
                person=person_name(uow, result.person_id), year=result.year)
    except NotFound:
        return None
    return None


def _not_here(kind: str) -> str:
    """A record this PC does not hold, by its kind."""
    words = {
        "rev": translate("SyncSummary", "a work-log entry that is not on this PC"),
        "stmt": translate("SyncSummary", "a leader's review that is not on this PC"),
        "plan": translate("SyncSummary", "an assigned task that is not on this PC"),
        "prop": translate("SyncSummary", "a catalog proposal that is not on this PC"),
        "leave": translate("SyncSummary", "a leave record that is not on this PC"),
        "disc": translate("SyncSummary", "a discipline record that is not on this PC"),
        "annual": translate("SyncSummary", "an annual result that is not on this PC"),
        "appeal-filing": translate("SyncSummary", "an appeal that is not on this PC"),
        "appeal-decision": translate("SyncSummary", "a decision on an appeal that is not on "
                                                    "this PC"),
    }
    return words.get(kind, translate("SyncSummary", "a record that is not on this PC"))


def attention_lines(uow: Any) -> list[str]:
    """The gaps, held bundles, refusals received and flagged records, in words."""
    from kpi_desktop.services.messages import describe, refusal_received

    lines = [describe(KpiError("sync_bundles_missing", count=len(g.missing),
                               sender=g.sender_name)) for g in gaps(uow)]
    for held in uow.sync.held_bundles():
        lines.append(translate("Sync", "Held: bundle {bundle} from {sender}, number {seq} "
                               "(kpi-desktop sync release|discard {bundle}).").format(
            bundle=held.bundle_id, sender=person_name(uow, held.sender_id), seq=held.seq))
    for refusal in uow.sync.refusals("in"):
        lines.append(translate("Sync", "Refused by {peer}: {item}: {reason}").format(
            peer=person_name(uow, refusal.peer_id), item=record_text(uow, refusal.item_key),
            reason=refusal_received(KpiError(refusal.code, **refusal.params))))
    for event in uow.audit.list_events(action="sync.signed_before_revocation",
                                       newest_first=True, limit=500):
        lines.append(translate("Sync", "Signed before the key was revoked; arrived after: "
                               "{item} (from {sender}).").format(
            item=record_text(uow, event.object_id),
            sender=person_name(uow, str(event.detail.get("sender", "")))))
    return lines
