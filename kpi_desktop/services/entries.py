"""The one place work-log entries are created, changed, submitted and deleted.

The official's desk (:class:`~kpi_desktop.services.daily.DailyWorkService`, the GUI) and the
command line (:class:`~kpi_desktop.services.worklog.WorkLogService`, ``log add``) both go
through :class:`EntryService`, so an entry is checked the same way whichever way it came in:
a quantity greater than 0, no work date or completion date after today, completion not before
the work date, a catalog item of the person's job position, an open month, an assignment of the
same person and item.

Assigned work is linked, ad hoc work is a deliberate choice (issue 16, item 2): an entry for a
catalog item that matches an open assignment of the person (active, same item, its period
containing the work date, not yet fully logged) is linked to it unless the person chose "ad hoc"
or "taken over" on purpose; :class:`AssignmentLink` is what the screens and the CLI say about
it ("Thuộc nhiệm vụ được giao VP.17 (đã làm 1/2, hạn 17/12)").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain import inputs
from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    CatalogItem,
    EntryStatus,
    EvaluationStatus,
    ExtraKind,
    Period,
    PeriodKind,
    WorkLogEntry,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.sync.signing import submitted_revision_bytes

__all__ = [
    "EDITABLE",
    "AssignmentLink",
    "EntryDraft",
    "EntryService",
    "SavedEntry",
    "parse_quantity",
]

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
EDITABLE = (EntryStatus.DRAFT, EntryStatus.RETURNED)


def parse_quantity(text: str | Decimal | int) -> Decimal:
    """A quantity typed as "2", "1,5" or "1.5": greater than 0, at most two decimals, at most
    :data:`~kpi_desktop.domain.inputs.MAX_QUANTITY` (the validators of ``domain.inputs``)."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = Decimal(text)
    if isinstance(text, str):
        text = normalize_text(text).replace(" ", "")
    return inputs.parse_quantity(text)


@dataclass(frozen=True)
class EntryDraft:
    """What the person typed in the entry form (or on the command line).

    ``assignment_id`` links the entry to an assignment explicitly. Without one, ``extra_kind``
    decides: ``None`` (nothing chosen) links the entry to a matching open assignment when there
    is one, else it is ad hoc work; ``AD_HOC`` or ``TAKEN_OVER`` is the person's deliberate
    choice of work outside the plan (Điều 18.1d), never linked.
    """

    work_date: dt.date
    item_code: str
    quantity: Decimal | str
    assignment_id: str | None = None
    output_doc_number: str = ""
    output_description: str = ""
    deadline: dt.date | None = None
    completed_on: dt.date | None = None
    attachment: Path | None = None  # a new file to attach (stored by its hash)
    keep_attachment: bool = True  # False removes the current attachment
    extra_kind: ExtraKind | None = None
    confirm_quantity: bool = False  # the person confirmed a quantity above a day's worth


@dataclass(frozen=True)
class AssignmentLink:
    """The assignment an entry belongs to, and how far its logging has come.

    ``done`` is the quantity logged against it in entries of any state (the entry in question
    included once it is saved); ``quantity`` what was assigned.
    """

    assignment_id: str
    item_code: str
    item_name_vi: str
    item_name_en: str
    done: Decimal
    quantity: Decimal
    deadline: dt.date
    period: Period

    @property
    def complete(self) -> bool:
        return self.done >= self.quantity

    def text(self) -> str:
        """"Thuộc nhiệm vụ được giao VP.17 (đã làm 1/2, hạn 17/12)" in the language in use."""
        return translate(
            "Entries", "Belongs to the assigned task {code} (done {done}/{quantity}, due {due})"
        ).format(code=self.item_code, done=_plain(self.done), quantity=_plain(self.quantity),
                 due=translate("Entries", "{day}/{month}").format(
                     day=f"{self.deadline.day:02d}", month=f"{self.deadline.month:02d}"))


@dataclass(frozen=True)
class SavedEntry:
    """A saved entry and the assignment it is linked to (None: work outside the plan)."""

    entry: WorkLogEntry
    link: AssignmentLink | None

    def text(self) -> str:
        """What to tell the person about where the entry counts."""
        if self.link is not None:
            return self.link.text()
        if self.entry.extra_kind is ExtraKind.TAKEN_OVER:
            return translate("Entries", "Work taken over from a colleague (outside the plan)")
        return translate("Entries", "Ad hoc work (outside the plan)")


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class EntryService:
    """Creates, changes, submits and deletes work-log entries (one unit of work each)."""

    def __init__(self, db: Any, attachments_dir: Path, *, today: Callable[[], dt.date],
                 keys: Any | None = None) -> None:
        self._db = db
        self._attachments = attachments_dir
        self._today = today
        self._keys = keys  # KeyService: signs on submit when the author's key is unlocked

    def today(self) -> dt.date:
        return self._today()

    # -- the assignment an item belongs to -------------------------------------------------
    def suggest_assignment(self, person_id: str, item_code: str, work_date: dt.date, *,
                           quantity: Decimal | str | None = None,
                           entry_id: str | None = None) -> AssignmentLink | None:
        """The open assignment an entry for ``item_code`` on ``work_date`` would be linked to
        (what the catalog search says when an item is picked), or None. ``done`` counts what
        is logged already plus ``quantity`` (the entry being typed; ``entry_id``'s stored
        quantity is not counted twice)."""
        code = normalize_text(item_code).strip()
        with self._db.unit_of_work(read_only=True) as uow:
            item = uow.catalog.find_item_by_code(code) if code else None
            if item is None:
                return None
            match = _matching_assignment(uow, person_id, item.id, work_date, entry_id)
            if match is None:
                return None
            link = _link(uow, match, item, entry_id)
        extra = Decimal(0)
        if quantity is not None:
            try:
                extra = parse_quantity(quantity)
            except RefusedValue:
                extra = Decimal(0)
        return replace(link, done=link.done + extra)

    def link_of(self, entry_id: str) -> AssignmentLink | None:
        """The assignment ``entry_id`` is linked to, with its progress (None: ad hoc)."""
        with self._db.unit_of_work(read_only=True) as uow:
            entry = uow.worklog.get(entry_id)
            if entry.assignment_id is None:
                return None
            assignment = uow.assignments.find(entry.assignment_id)
            if assignment is None:
                return None
            return _link(uow, assignment, uow.catalog.get_item(assignment.catalog_item_id))

    # -- writing ---------------------------------------------------------------------------
    def save(self, person_id: str, draft: EntryDraft, entry_id: str | None = None, *,
             submit: bool = False, reason: str = "") -> SavedEntry:
        """Create a draft (``entry_id`` None) or save changes to a draft or returned entry;
        with ``submit``, submit it in the same unit of work.

        Raises RefusedValue / NotFound with the codes of
        :mod:`kpi_desktop.services.messages`; nothing is written then.
        """
        quantity = parse_quantity(draft.quantity)
        doc_number, description = self._check_dates(draft)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            item = self._check_item(uow, person_id, draft)
            old = None
            if entry_id is not None:
                old = uow.worklog.get(entry_id)
                if old.person_id != person_id:
                    raise NotFound("not_found", kind="entry", id=entry_id)
                if old.status not in EDITABLE:
                    raise RefusedValue("entry_not_editable", status=old.status.value)
                _check_open(uow, person_id, old.work_date)
            # A quantity confirmed once (or stored before the check) is not asked again.
            inputs.check_quantity(quantity, time_norm_minutes=item.time_norm_minutes,
                                  item=item.code, confirmed=draft.confirm_quantity or (
                                      old is not None and old.quantity == quantity
                                      and old.catalog_item_id == item.id))
            assignment = self._assignment(uow, person_id, item, draft, entry_id)
            attachment = self._store_attachment(draft.attachment) if draft.attachment else None
            sha, name = (old.attachment_sha256, old.attachment_name) if old else (None, None)
            if not draft.keep_attachment:
                sha, name = None, None
            if attachment is not None:
                sha, name = attachment
            extra = ExtraKind.NONE if assignment else (
                draft.extra_kind if draft.extra_kind not in (None, ExtraKind.NONE)
                else ExtraKind.AD_HOC)
            fields = dict(
                work_date=draft.work_date, catalog_item_id=item.id, quantity=quantity,
                coefficient=assignment.coefficient if assignment else item.coefficient,
                time_norm_minutes=item.time_norm_minutes,
                complexity_level=item.complexity_level,
                assignment_id=assignment.id if assignment else None, extra_kind=extra,
                output_doc_number=doc_number, output_description=description,
                deadline=draft.deadline or (assignment.deadline if assignment else None),
                completed_on=draft.completed_on, attachment_sha256=sha,
                attachment_name=name, updated_at=now)
            if old is None:
                entry = WorkLogEntry(id=new_id(), person_id=person_id, created_at=now, **fields)
                uow.worklog.add_draft(entry)
                action = "entry.create"
            else:
                entry = replace(old, **fields)
                uow.worklog.update_draft(entry)
                action = "entry.update"
            detail: dict[str, Any] = {"item": item.code, "quantity": str(quantity)}
            if assignment is not None:
                detail["assignment"] = assignment.id
            uow.audit.append(AuditEvent(at=now, action=action, object_type="entry",
                                        object_id=entry.id, actor_id=person_id, detail=detail))
            if submit:
                self._submit(uow, person_id, uow.worklog.get(entry.id), reason, now)
            link = None if assignment is None else _link(uow, assignment, item)
            return SavedEntry(uow.worklog.get(entry.id), link)

    def submit(self, person_id: str, entry_id: str, reason: str = "") -> WorkLogEntry:
        """Freeze the entry as its next revision; a resubmission after a return needs a
        reason."""
        now = utc_now()
        with self._db.unit_of_work() as uow:
            entry = uow.worklog.get(entry_id)
            if entry.person_id != person_id:
                raise NotFound("not_found", kind="entry", id=entry_id)
            self._submit(uow, person_id, entry, reason, now)
            return uow.worklog.get(entry_id)

    def _submit(self, uow: Any, person_id: str, entry: WorkLogEntry, reason: str,
                now: dt.datetime) -> None:
        reason = inputs.check_text(reason, "reason", multiline=True)
        if entry.status not in EDITABLE:
            raise RefusedValue("entry_not_editable", status=entry.status.value)
        _check_open(uow, person_id, entry.work_date)
        if entry.work_date > self.today():
            raise RefusedValue("date_in_future", date=entry.work_date.isoformat())
        if not uow.catalog.is_allowed(person_id, entry.catalog_item_id):
            item = uow.catalog.get_item(entry.catalog_item_id)
            raise RefusedValue("item_not_allowed", code=item.code, position="")
        if entry.current_revision > 0 and not reason:
            raise RefusedValue("revision_reason_missing", entry_id=entry.id)
        uow.worklog.submit(entry.id, author_id=person_id, at=now, reason=reason,
                           **self._signature(entry, now, reason))
        uow.audit.append(AuditEvent(
            at=now, action="entry.submit" if entry.current_revision == 0 else "entry.revise",
            object_type="entry", object_id=entry.id, actor_id=person_id,
            detail={"revision": entry.current_revision + 1, "reason": reason}))

    def delete_draft(self, person_id: str, entry_id: str) -> None:
        now = utc_now()
        with self._db.unit_of_work() as uow:
            entry = uow.worklog.get(entry_id)
            if entry.person_id != person_id:
                raise NotFound("not_found", kind="entry", id=entry_id)
            if entry.status is not EntryStatus.DRAFT or entry.current_revision:
                raise RefusedValue("entry_not_editable", status=entry.status.value)
            uow.worklog.delete_draft(entry_id)
            uow.audit.append(AuditEvent(at=now, action="entry.delete", object_type="entry",
                                        object_id=entry_id, actor_id=person_id))

    def attachment_path(self, sha256: str) -> Path:
        return self._attachments / sha256[:2] / sha256

    # -- checks ----------------------------------------------------------------------------
    def _check_dates(self, draft: EntryDraft) -> tuple[str, str]:
        """Dates and texts of ``draft``; the document number and description as stored."""
        if not isinstance(draft.work_date, dt.date):
            raise RefusedValue("date_malformed", value="")
        today = self.today()
        if draft.work_date > today:
            raise RefusedValue("date_in_future", date=draft.work_date.isoformat())
        if draft.completed_on is not None:
            if draft.completed_on > today:
                raise RefusedValue("date_in_future", date=draft.completed_on.isoformat())
            if draft.completed_on < draft.work_date:
                raise RefusedValue("completed_before_start",
                                   completed=draft.completed_on.isoformat(),
                                   date=draft.work_date.isoformat())
        for field, day in (("work_date", draft.work_date), ("deadline", draft.deadline),
                           ("completed_on", draft.completed_on)):
            if day is not None:
                inputs.check_date(day, field, today=today)
        return (inputs.check_text(draft.output_doc_number, "output_doc_number",
                                  max_length=inputs.MAX_DOC_NUMBER),
                inputs.check_text(draft.output_description, "output_description",
                                  multiline=True))

    @staticmethod
    def _check_item(uow: Any, person_id: str, draft: EntryDraft) -> CatalogItem:
        person = uow.org.find_person(person_id)
        if person is None:
            raise NotFound("not_found", kind="person", id=person_id)
        code = normalize_text(draft.item_code).strip()
        item = uow.catalog.find_item_by_code(code) if code else None
        if item is None:
            raise NotFound("not_found", kind="catalog_item", id=code)
        if not uow.catalog.is_allowed(person_id, item.id):
            position = (uow.org.get_job_position(person.job_position_id)
                        if person.job_position_id else None)
            raise RefusedValue("item_not_allowed", code=item.code,
                               position=position.name_vi if position else "")
        _check_open(uow, person_id, draft.work_date)
        return item

    @staticmethod
    def _assignment(uow: Any, person_id: str, item: CatalogItem, draft: EntryDraft,
                    entry_id: str | None) -> Assignment | None:
        """The assignment named by the draft, else the matching open one unless the person
        chose work outside the plan."""
        if draft.assignment_id:
            assignment = uow.assignments.find(draft.assignment_id)
            if assignment is None or assignment.person_id != person_id:
                raise NotFound("not_found", kind="assignment", id=draft.assignment_id)
            if assignment.catalog_item_id != item.id:
                raise RefusedValue("assignment_item_mismatch", code=item.code,
                                   assignment=draft.assignment_id)
            return assignment
        if draft.extra_kind in (ExtraKind.AD_HOC, ExtraKind.TAKEN_OVER):
            return None  # the person's deliberate choice
        return _matching_assignment(uow, person_id, item.id, draft.work_date, entry_id)

    def _signature(self, entry: WorkLogEntry, at: dt.datetime,
                   reason: str = "") -> dict[str, Any]:
        """``signature``/``key_fingerprint`` for submitting ``entry`` at ``at``: its author's
        signature over the revision it becomes when their key is unlocked, else nothing (the
        sync service signs at export)."""
        key = None if self._keys is None else self._keys.unlocked(entry.person_id)
        if key is None:
            return {}
        data = submitted_revision_bytes(entry, at=at, reason=reason)
        return {"signature": key.sign(data), "key_fingerprint": key.fingerprint}

    def _store_attachment(self, path: Path) -> tuple[str, str]:
        """Copy ``path`` into the data folder under its SHA-256 (once per content)."""
        try:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            raise RefusedValue("attachment_unreadable", path=str(path)) from None
        sha = digest.hexdigest()
        target = self.attachment_path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            os.close(fd)
            try:
                shutil.copyfile(path, tmp)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return sha, normalize_text(Path(path).name)


def _check_open(uow: Any, person_id: str, day: dt.date) -> None:
    month = Period.containing(day)
    evaluation = uow.evaluations.get_monthly(person_id, month)
    if evaluation is not None and evaluation.status in LOCKED:
        raise RefusedValue("period_locked", period=str(month))


def _logged(uow: Any, assignment_ids: list[str], entry_id: str | None) -> dict[str, Decimal]:
    """Quantity logged per assignment, in entries of any state (``entry_id`` left out)."""
    done: dict[str, Decimal] = {}
    for entry in uow.worklog.list_for_assignments(assignment_ids):
        if entry.id != entry_id and entry.assignment_id is not None:
            done[entry.assignment_id] = done.get(entry.assignment_id, Decimal(0)) + \
                entry.quantity
    return done


def _matching_assignment(uow: Any, person_id: str, item_id: str, work_date: dt.date,
                         entry_id: str | None = None) -> Assignment | None:
    """The open assignment of ``person_id`` for ``item_id`` whose period contains
    ``work_date`` (the earliest deadline first), or None."""
    periods = [Period.containing(work_date, kind)  # a month's or a quarter's assignment
               for kind in (PeriodKind.MONTH, PeriodKind.QUARTER)]
    candidates = [a for a in uow.assignments.list_for_periods(person_id, periods)
                  if a.status is AssignmentStatus.ACTIVE and a.catalog_item_id == item_id
                  and a.period.contains(work_date)]
    if not candidates:
        return None
    done = _logged(uow, [a.id for a in candidates], entry_id)
    open_ones = [a for a in candidates if done.get(a.id, Decimal(0)) < a.quantity]
    open_ones.sort(key=lambda a: (a.deadline, a.created_at, a.id))
    return open_ones[0] if open_ones else None


def _link(uow: Any, assignment: Assignment, item: CatalogItem,
          leave_out: str | None = None) -> AssignmentLink:
    """``assignment`` with the quantity logged against it (``leave_out``'s not counted)."""
    done = _logged(uow, [assignment.id], leave_out).get(assignment.id, Decimal(0))
    return AssignmentLink(
        assignment_id=assignment.id, item_code=item.code, item_name_vi=item.name_vi,
        item_name_en=item.name_en or item.name_vi, done=done, quantity=assignment.quantity,
        deadline=assignment.deadline, period=assignment.period)
