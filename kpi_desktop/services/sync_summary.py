"""What an import of bundles did, in names and plain counts (issue 16 item 4), and where a
submitted entry is on its way to the leader.

The summary compares the work of the people concerned before and after the import (their
entries' states, their assignments and monthly evaluations), so it says what changed for the
person signed in whatever the bundles' internal counters are:

    Đã nhận từ Trần Thị Mai: 2 mục được xác nhận, 1 bị trả lại.
    7 gói dành cho người khác — để nguyên trên USB.

Refusals are listed by person and bundle. An import "failed" (CLI exit 3) only when something
addressed to the person signed in was refused; bundles for other people on a shared stick, and
the person's own outgoing bundles, are left in place and are not errors.

Where an entry is (:meth:`SyncSummaryService.delivery`): a submitted revision is "waiting to be
copied to USB / synchronised" until the evaluator's receipt acknowledges it ("with the leader");
on a PC the evaluator also signs in on, it is with the leader at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import EntryStatus, EvaluationStatus
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.leadership import evaluatee_ids
from kpi_desktop.services.organisation import direct_evaluator

__all__ = ["Delivery", "ImportSummary", "ItemProblem", "PersonNews", "Refusal", "Snapshot",
           "SyncSummaryService"]

# Refusals that mean "not for this PC's signed-in people", on a shared stick.
NOT_FOR_ME = frozenset({"bundle_wrong_recipient", "key_locked", "key_missing"})
_NAME = re.compile(r"^KPI_([a-z]+)_(.+)_to_(.+)_(\d+)\.kpib$")


class Delivery:
    """Where a submitted entry is (the labels are in :func:`delivery_label`)."""

    WAITING = "waiting"  # submitted here; to be copied to USB or synchronised
    DELIVERED = "delivered"  # the evaluator's receipt says they have it
    SAME_PC = "same_pc"  # the evaluator signs in on this PC: it is with them already


def delivery_label(state: str) -> str:
    return {
        Delivery.WAITING: translate("Delivery", "waiting to be copied to USB / synchronised"),
        Delivery.DELIVERED: translate("Delivery", "with the leader"),
        Delivery.SAME_PC: translate("Delivery", "with the leader (same PC)"),
    }[state]


@dataclass(frozen=True)
class Snapshot:
    """The state an import may change, for the people concerned."""

    entries: dict[str, EntryStatus]
    assignments: frozenset[str]
    evaluations: dict[str, EvaluationStatus]


@dataclass
class PersonNews:
    """What arrived from (or about) one person."""

    person_id: str
    name: str
    confirmed: int = 0
    returned: int = 0
    submitted: int = 0  # entries now waiting for the signed-in leader
    assignments: int = 0
    evaluations: int = 0  # monthly evaluations confirmed or locked
    months_submitted: int = 0  # monthly self-assessments submitted to the leader

    @property
    def empty(self) -> bool:
        return not (self.confirmed or self.returned or self.submitted or self.assignments
                    or self.evaluations or self.months_submitted)


@dataclass(frozen=True)
class Refusal:
    """A bundle that was not imported: from whom, for whom, which file and why."""

    file: str
    sender_name: str
    recipient_name: str
    reason: str
    mine: bool  # addressed to someone signed in here (an import failure)


@dataclass(frozen=True)
class ItemProblem:
    """One record of an imported bundle that this PC did not accept, by person and entry."""

    sender_name: str
    what: str  # "DC.27 of 18/11/2026 by Phạm Thị Hoa", or the record's key
    reason: str


@dataclass
class ImportSummary:
    """The whole import in names and plain counts."""

    news: list[PersonNews] = field(default_factory=list)
    for_others: int = 0
    own_outgoing: int = 0
    already: int = 0
    organisation: int = 0
    refused: list[Refusal] = field(default_factory=list)
    held: list[Refusal] = field(default_factory=list)
    items: list[ItemProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    superseded: int = 0  # older copies of records a newer signed version replaced
    found: int = 0

    @property
    def failed(self) -> bool:
        """Something addressed to the person signed in was refused (CLI exit 3)."""
        return any(r.mine for r in self.refused)

    def lines(self) -> list[str]:
        """The summary, one sentence a line, in the current language."""
        out = []
        for news in self.news:
            parts = []
            for count, one, many in (
                (news.confirmed, translate("SyncSummary", "{n} entry confirmed"),
                 translate("SyncSummary", "{n} entries confirmed")),
                (news.returned, translate("SyncSummary", "{n} returned"),
                 translate("SyncSummary", "{n} returned")),
                (news.submitted, translate("SyncSummary", "{n} entry to review"),
                 translate("SyncSummary", "{n} entries to review")),
                (news.assignments, translate("SyncSummary", "{n} assignment"),
                 translate("SyncSummary", "{n} assignments")),
                (news.months_submitted, translate("SyncSummary", "{n} month submitted"),
                 translate("SyncSummary", "{n} months submitted")),
                (news.evaluations, translate("SyncSummary", "{n} month evaluated"),
                 translate("SyncSummary", "{n} months evaluated")),
            ):
                if count:
                    parts.append((one if count == 1 else many).format(n=count))
            if parts:
                out.append(translate("SyncSummary", "Received from {name}: {what}.").format(
                    name=news.name, what=", ".join(parts)))
        if self.organisation:
            out.append(translate("SyncSummary", "The organisation file was imported."))
        if self.found and not out and not self.refused and not self.superseded:
            out.append(translate("SyncSummary", "Nothing new for you."))
        if self.superseded:
            out.append((translate("SyncSummary", "{n} older copy was ignored: a newer version "
                                  "is already here.") if self.superseded == 1 else
                        translate("SyncSummary", "{n} older copies were ignored: a newer "
                                  "version is already here.")).format(n=self.superseded))
        if self.already:
            out.append((translate("SyncSummary", "{n} bundle was imported before.")
                        if self.already == 1 else
                        translate("SyncSummary", "{n} bundles were imported before.")
                        ).format(n=self.already))
        if self.for_others:
            out.append((translate("SyncSummary", "{n} bundle is for someone else — left on the "
                                  "USB stick.") if self.for_others == 1 else
                        translate("SyncSummary", "{n} bundles are for other people — left on "
                                  "the USB stick.")).format(n=self.for_others))
        if self.own_outgoing:
            out.append((translate("SyncSummary", "{n} bundle you wrote for others is still on "
                                  "the USB stick.") if self.own_outgoing == 1 else
                        translate("SyncSummary", "{n} bundles you wrote for others are still "
                                  "on the USB stick.")).format(n=self.own_outgoing))
        for refusal in self.refused:
            out.append(translate("SyncSummary", "Not imported: {file} from {sender} for "
                                 "{recipient}. {reason}").format(
                file=refusal.file, sender=refusal.sender_name or "?",
                recipient=refusal.recipient_name or "?", reason=refusal.reason))
        for held in self.held:
            out.append(translate("SyncSummary", "Held for a decision: {file} from {sender}. "
                                 "{reason}").format(file=held.file,
                                                    sender=held.sender_name or "?",
                                                    reason=held.reason))
        for item in self.items:
            out.append(translate("SyncSummary", "Not accepted from {sender}: {what}. "
                                 "{reason}").format(sender=item.sender_name, what=item.what,
                                                    reason=item.reason))
        out += self.notices
        if not self.found:
            out.append(translate("SyncSummary", "No bundles found there."))
        return out


def _from_name(source: str) -> tuple[str, str, str]:
    """(kind, sender, recipient) from a bundle's file name, "" where it says nothing."""
    match = _NAME.match(Path(source).name)
    return (match.group(1), match.group(2), match.group(3)) if match else ("", "", "")


class SyncSummaryService:
    """Snapshots before an import, the summary after it, and where entries are."""

    def __init__(self, db: Any, *, today: Any = None, keys: Any = None) -> None:
        from kpi_desktop.services.leadership import today_function

        self._db = db
        self._today = today_function(today)
        self._keys = keys

    # ---------------------------------------------------------------- the import ----------
    def concerned(self, signed_in: Iterable[str]) -> list[str]:
        """The signed-in people and everyone they evaluate (whose news matters to them)."""
        people: list[str] = []
        with self._db.unit_of_work(read_only=True) as uow:
            for person in signed_in:
                if person == "agency" or uow.org.find_person(person) is None:
                    continue
                people.append(person)
                people += evaluatee_ids(uow, person, self._today())
        return list(dict.fromkeys(people))

    def snapshot(self, people: Sequence[str]) -> Snapshot:
        with self._db.unit_of_work(read_only=True) as uow:
            entries: dict[str, EntryStatus] = {}
            assignments: set[str] = set()
            evaluations: dict[str, EvaluationStatus] = {}
            if people:
                for entry in uow.worklog.list_for_people(people):
                    entries[entry.id] = entry.status
            for person in people:
                assignments |= {a.id for a in uow.sync.assignments_of(person)}
            if people:
                for evaluation in uow.evaluations.list_monthly(person_ids=people):
                    evaluations[f"{evaluation.person_id}@{evaluation.period}"] = \
                        evaluation.status
        return Snapshot(entries, frozenset(assignments), evaluations)

    def import_paths(self, sync: Any, paths: Iterable[Path], signed_in: Sequence[str]
                     ) -> tuple[list[Any], ImportSummary]:
        """Import with ``sync`` and summarise what changed for ``signed_in``."""
        people = self.concerned(signed_in)
        before = self.snapshot(people)
        results = sync.import_paths(list(paths))
        return results, self.summarise(results, before, signed_in)

    def summarise(self, results: Sequence[Any], before: Snapshot, signed_in: Sequence[str]
                  ) -> ImportSummary:
        from kpi_desktop.services.messages import describe

        mine = set(signed_in)
        people = self.concerned(signed_in)
        after = self.snapshot(people)
        summary = ImportSummary(found=len(results))
        with self._db.unit_of_work(read_only=True) as uow:
            names = {p.id: p.full_name for p in uow.org.list_people()}
            names.setdefault("agency", translate("SyncSummary", "the agency"))
            news: dict[str, PersonNews] = {}

            def about(person_id: str) -> PersonNews:
                return news.setdefault(person_id, PersonNews(
                    person_id, names.get(person_id, person_id)))

            changed = [entry_id for entry_id, status in after.entries.items()
                       if before.entries.get(entry_id) is not status]
            verdicts = uow.reviews.latest_verdicts(changed) if changed else {}
            entries = uow.worklog.get_many(changed) if changed else {}
            for entry_id in changed:
                entry, status = entries.get(entry_id), after.entries[entry_id]
                if entry is None:
                    continue
                if entry.person_id in mine and status in (EntryStatus.CONFIRMED,
                                                          EntryStatus.RETURNED):
                    verdict = verdicts.get(entry_id)
                    who = about(verdict.reviewer_id if verdict else entry.person_id)
                    if status is EntryStatus.CONFIRMED:
                        who.confirmed += 1
                    else:
                        who.returned += 1
                elif entry.person_id not in mine and status is EntryStatus.SUBMITTED:
                    about(entry.person_id).submitted += 1
            new_assignments = after.assignments - before.assignments
            for person_id in mine:
                for assignment in uow.sync.assignments_of(person_id):
                    if assignment.id in new_assignments:
                        about(assignment.assigner_id).assignments += 1
            for key, status in after.evaluations.items():
                if before.evaluations.get(key) is status:
                    continue
                person_id = key.split("@", 1)[0]
                if person_id in mine and status in (EvaluationStatus.CONFIRMED,
                                                    EvaluationStatus.LOCKED):
                    evaluator = direct_evaluator(uow, person_id, self._today())
                    about(evaluator.id if evaluator else person_id).evaluations += 1
                elif person_id not in mine and status is EvaluationStatus.SUBMITTED:
                    about(person_id).months_submitted += 1
        summary.news = [n for n in news.values() if not n.empty]
        for result in results:
            kind, name_sender, name_recipient = _from_name(result.source)
            sender = result.sender_id or name_sender
            recipient = result.recipient_id or name_recipient
            summary.notices += [describe(n) if isinstance(n, KpiError) else str(n)
                                for n in getattr(result, "notices", ()) if n]
            if result.status == "already":
                summary.already += 1
            elif result.status == "held":
                summary.held.append(Refusal(
                    file=Path(result.source).name or result.bundle_id,
                    sender_name=names.get(sender, sender),
                    recipient_name=names.get(recipient, recipient),
                    reason=describe(result.error) if result.error is not None else "",
                    mine=recipient in mine))
            elif result.status == "imported":
                summary.organisation += (result.kind or kind) == "organisation"
                summary.superseded += int((result.counts or {}).get("superseded", 0))
                for record in getattr(result, "refused", ()):
                    summary.items.append(ItemProblem(
                        sender_name=names.get(sender, sender),
                        what=self._record_text(record.item_key),
                        reason=describe(record.error)))
            elif result.status == "skipped" or (
                    result.error is not None and result.error.code in NOT_FOR_ME
                    and recipient not in mine):
                if sender in mine:
                    summary.own_outgoing += 1
                else:
                    summary.for_others += 1
            else:
                summary.refused.append(Refusal(
                    file=Path(result.source).name or result.bundle_id,
                    sender_name=names.get(sender, sender),
                    recipient_name=names.get(recipient, recipient),
                    reason=describe(result.error) if result.error is not None else "",
                    mine=recipient in mine or not recipient))
        return summary

    def _record_text(self, item_key: str) -> str:
        """A record's key as the entry people know (channels.record_text, one home)."""
        from kpi_desktop.services.sync.channels import record_text

        with self._db.unit_of_work(read_only=True) as uow:
            return record_text(uow, item_key)

    # ---------------------------------------------------------------- where entries are ----
    def delivery(self, person_id: str, entries: Iterable[Any]) -> dict[str, str]:
        """For each SUBMITTED entry of ``person_id`` (entry objects), where its current
        revision is: :class:`Delivery` values by entry id."""
        submitted = [e for e in entries if e.status is EntryStatus.SUBMITTED]
        if not submitted:
            return {}
        with self._db.unit_of_work(read_only=True) as uow:
            evaluator = direct_evaluator(uow, person_id, self._today())
            acked = uow.sync.acked_keys(evaluator.id) if evaluator else set()
            acked |= uow.sync.acked_keys("agency")
        same_pc = evaluator is not None and self._keys is not None and \
            evaluator.id in set(self._keys.owners())
        states = {}
        for entry in submitted:
            if same_pc:
                states[entry.id] = Delivery.SAME_PC
            elif f"rev:{entry.id}:{entry.current_revision}" in acked:
                states[entry.id] = Delivery.DELIVERED
            else:
                states[entry.id] = Delivery.WAITING
        return states
