"""The official's desk: the daily work log, catalog search, assignments and the score trend.

One unit of work per user action. Entries follow DESIGN.md §5: a draft is editable and saved
as often as the person likes; submitting freezes it as a revision; a returned entry is changed
and submitted again with a reason; a submitted or confirmed entry is read-only for its author.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.inputs import MAX_DOC_NUMBER, check_date, check_quantity, check_text
from kpi_desktop.domain.model import (
    Assignment,
    AssignmentStatus,
    AuditEvent,
    CatalogItem,
    EntryStatus,
    EvaluationStatus,
    ExtraKind,
    Period,
    ReviewTally,
    WorkLogEntry,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.scores import PeriodScore
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.scoring.worklog import LogItem, day_load
from kpi_desktop.services.calendar import WorkingCalendar, calendar_for
from kpi_desktop.services.scores import Calculator
from kpi_desktop.services.worklog import WorkLogService
from kpi_desktop.sync.signing import submitted_revision_bytes

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
_PUBLIC_CALENDAR = WorkingCalendar()
EDITABLE = (EntryStatus.DRAFT, EntryStatus.RETURNED)


def parse_quantity(text: str | Decimal | int) -> Decimal:
    """A quantity typed as "2", "1,5" or "1.5" (refused unless a number greater than 0)."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = normalize_text(str(text)).strip().replace(" ", "").replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise RefusedValue("decimal_malformed", value=str(text)) from None
    if not value.is_finite():
        raise RefusedValue("decimal_malformed", value=str(text))
    if value <= 0:
        raise RefusedValue("quantity_not_positive", value=str(text))
    return value


def _status(status: EntryStatus) -> str:
    return WorkLogService.status_label(status)


def working_days_between(start: dt.date, end: dt.date,
                         calendar: WorkingCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start), by the
    working-day calendar (public holidays; the agency's declared days when ``calendar`` has
    them)."""
    return max(0, (calendar or _PUBLIC_CALENDAR).working_days_between(start, end))


def _calendar_of(uow: Any, entries: list[WorkLogEntry]) -> WorkingCalendar:
    """The working-day calendar (with the agency's declared days) around ``entries``."""
    days = [d for e in entries for d in (e.work_date, e.deadline, e.completed_on) if d]
    if not days:
        return _PUBLIC_CALENDAR
    return calendar_for(uow, min(days), max(days))


@dataclass(frozen=True)
class EntryDraft:
    """What the person typed in the entry form."""

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
    extra_kind: ExtraKind = ExtraKind.AD_HOC
    confirm_quantity: bool = False  # the person confirmed a quantity above a day's worth


@dataclass(frozen=True)
class PersonInfo:
    id: str
    full_name: str
    role: str
    unit_id: str
    unit_name_vi: str
    unit_name_en: str
    position_vi: str
    position_en: str
    is_evaluator: bool


@dataclass(frozen=True)
class EntryView:
    """One entry with what the log shows about it."""

    entry: WorkLogEntry
    item: CatalogItem
    tally: ReviewTally | None
    norm_minutes: Fraction
    credited_minutes: Fraction
    delays: int

    @property
    def status(self) -> EntryStatus:
        return self.entry.status

    @property
    def editable(self) -> bool:
        return self.entry.status in EDITABLE

    @property
    def return_reason(self) -> str:
        if self.entry.status is EntryStatus.RETURNED and self.tally is not None:
            return self.tally.verdict_reason
        return ""

    @property
    def failed_reviews(self) -> int:
        return self.tally.failed_reviews if self.tally else 0


@dataclass(frozen=True)
class DayView:
    day: dt.date
    entries: tuple[EntryView, ...]
    norm_minutes: Fraction
    credited_minutes: Fraction
    daily_norm_minutes: int
    over_norm: bool


@dataclass(frozen=True)
class ItemChoice:
    """A catalog item offered by the search, with how often the person used it."""

    item: CatalogItem
    uses: int
    allowed: bool


@dataclass(frozen=True)
class AssignmentView:
    assignment: Assignment
    item: CatalogItem
    logged: Decimal  # quantity in entries of any state
    confirmed: Decimal  # quantity in confirmed entries

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.assignment.quantity - self.confirmed)


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    score: PeriodScore


class DailyWorkService:
    """Use cases of the official's own desk."""

    def __init__(self, db: Any, attachments_dir: Path, *,
                 today: Callable[[], dt.date] | None = None, keys: Any | None = None) -> None:
        self._db = db
        self._attachments = attachments_dir
        self._today = today or dt.date.today
        self._keys = keys  # KeyService: signs on submit when the author's key is unlocked

    def today(self) -> dt.date:
        return self._today()

    # -- who ------------------------------------------------------------------------------
    def person(self, person_id: str) -> PersonInfo:
        with self._db.unit_of_work(read_only=True) as uow:
            person = uow.org.find_person(person_id)
            if person is None:
                raise NotFound("not_found", kind="person", id=person_id)
            unit = uow.org.find_unit(person.unit_id)
            position = (uow.org.get_job_position(person.job_position_id)
                        if person.job_position_id else None)
            evaluates = bool(uow.org.evaluatees_of(person_id, self.today()))
            return PersonInfo(
                id=person.id, full_name=person.full_name, role=person.role.value,
                unit_id=person.unit_id, unit_name_vi=unit.name_vi if unit else "",
                unit_name_en=(unit.name_en or unit.name_vi) if unit else "",
                position_vi=position.name_vi if position else "",
                position_en=(position.name_en or position.name_vi) if position else "",
                is_evaluator=evaluates)

    # -- reading the log ------------------------------------------------------------------
    def day(self, person_id: str, day: dt.date) -> DayView:
        return self.days(person_id, day, day)[0]

    def week(self, person_id: str, day: dt.date) -> list[DayView]:
        """Monday to Sunday of the week of ``day``."""
        monday = day - dt.timedelta(days=day.weekday())
        return self.days(person_id, monday, monday + dt.timedelta(days=6))

    def days(self, person_id: str, start: dt.date, end: dt.date) -> list[DayView]:
        with self._db.unit_of_work(read_only=True) as uow:
            entries = uow.worklog.list_for_person(person_id, start, end)
            views = self._views(uow, entries)
            policy = Calculator(uow).policy_for(end)
            calendar = _calendar_of(uow, entries)
        by_day: dict[dt.date, list[EntryView]] = {}
        for view in views:
            by_day.setdefault(view.entry.work_date, []).append(view)
        result = []
        day = start
        while day <= end:
            found = by_day.get(day, [])
            load = day_load(policy, [self._log_item(policy, v.entry, v.tally, calendar)
                                     for v in found])
            result.append(DayView(day=day, entries=tuple(found), norm_minutes=load.norm_minutes,
                                  credited_minutes=load.credited_minutes,
                                  daily_norm_minutes=load.daily_norm_minutes,
                                  over_norm=load.over_norm))
            day += dt.timedelta(days=1)
        return result

    def entry(self, entry_id: str) -> EntryView:
        with self._db.unit_of_work(read_only=True) as uow:
            return self._views(uow, [uow.worklog.get(entry_id)])[0]

    def month_entries(self, person_id: str, period: Period) -> list[EntryView]:
        with self._db.unit_of_work(read_only=True) as uow:
            return self._views(uow, uow.worklog.list_for_period(person_id, period))

    def revisions(self, entry_id: str) -> list[Any]:
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.worklog.revisions(entry_id)

    def _views(self, uow: Any, entries: list[WorkLogEntry]) -> list[EntryView]:
        if not entries:
            return []
        items = uow.catalog.get_items({e.catalog_item_id for e in entries})
        tallies = uow.reviews.tallies([e.id for e in entries])
        policy = Calculator(uow).policy_for(max(e.work_date for e in entries))
        calendar = _calendar_of(uow, entries)
        views = []
        for e in entries:
            tally = tallies.get(e.id)
            item = self._log_item(policy, e, tally, calendar)
            views.append(EntryView(entry=e, item=items[e.catalog_item_id], tally=tally,
                                   norm_minutes=item.norm_minutes,
                                   credited_minutes=item.credited(policy),
                                   delays=item.days_late))
        return views

    @staticmethod
    def _log_item(policy: ScoringPolicy, entry: WorkLogEntry,
                  tally: ReviewTally | None, calendar: WorkingCalendar | None = None) -> LogItem:
        failed = tally.failed_reviews if tally else 0
        delays = tally.delays if tally else 0
        early = 0
        if entry.deadline is not None and entry.completed_on is not None:
            if entry.completed_on > entry.deadline:
                delays = max(delays, 1)
            else:
                early = working_days_between(entry.completed_on, entry.deadline, calendar)
        if tally is not None and tally.objective_cause:
            failed, delays = 0, 0
        level = entry.complexity_level or 1
        factors = policy.complexity_factors
        factor = factors[min(max(level, 1), len(factors)) - 1]
        return LogItem(entry.time_norm_minutes or 0, entry.quantity, factor,
                       max(Fraction(0), 1 - Fraction(failed, 4)), early, delays)

    # -- catalog --------------------------------------------------------------------------
    def search_items(self, person_id: str, query: str, *, all_items: bool = False,
                     limit: int = 50) -> list[ItemChoice]:
        """Items matching ``query`` (diacritics and đ/d ignored; codes match too).

        By default only the items of the person's job position, most used first; with
        ``all_items`` every item of the catalog (the ones not allowed are marked).
        """
        query = normalize_text(query)
        with self._db.unit_of_work(read_only=True) as uow:
            usage = uow.catalog.usage_counts(person_id)
            if all_items:
                allowed = {i.id for i in uow.catalog.allowed_items(person_id)}
                found = uow.catalog.search(query, limit=100000)
                found.sort(key=lambda i: (i.id not in allowed, -usage.get(i.code, 0), i.code))
                return [ItemChoice(i, usage.get(i.code, 0), i.id in allowed)
                        for i in found[:limit]]
            found = uow.catalog.search(query, person_id=person_id, limit=limit)
            return [ItemChoice(i, usage.get(i.code, 0), True) for i in found]

    def item_by_code(self, code: str) -> CatalogItem | None:
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.catalog.find_item_by_code(normalize_text(code).strip())

    # -- assignments ----------------------------------------------------------------------
    def assignments(self, person_id: str, period: Period) -> list[AssignmentView]:
        with self._db.unit_of_work(read_only=True) as uow:
            found = [a for a in uow.assignments.list_for_person(person_id, period)
                     if a.status is AssignmentStatus.ACTIVE]
            items = uow.catalog.get_items({a.catalog_item_id for a in found})
            entries = uow.worklog.list_for_assignments([a.id for a in found])
        logged: dict[str, Decimal] = {}
        confirmed: dict[str, Decimal] = {}
        for e in entries:
            key = e.assignment_id or ""
            logged[key] = logged.get(key, Decimal(0)) + e.quantity
            if e.status is EntryStatus.CONFIRMED:
                confirmed[key] = confirmed.get(key, Decimal(0)) + e.quantity
        views = [AssignmentView(a, items[a.catalog_item_id], logged.get(a.id, Decimal(0)),
                                confirmed.get(a.id, Decimal(0))) for a in found]
        views.sort(key=lambda v: (v.assignment.deadline, v.item.code))
        return views

    # -- writing --------------------------------------------------------------------------
    def save(self, person_id: str, draft: EntryDraft, entry_id: str | None = None
             ) -> WorkLogEntry:
        """Create a draft (``entry_id`` None) or save changes to a draft or returned entry.

        Raises RefusedValue / NotFound / InvalidState with the codes of
        :mod:`kpi_desktop.services.messages`; nothing is written then.
        """
        quantity = parse_quantity(draft.quantity)
        self._check_dates(draft)
        doc_number = check_text(draft.output_doc_number, "output_doc_number",
                                max_length=MAX_DOC_NUMBER)
        description = check_text(draft.output_description, "output_description",
                                 multiline=True)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            item, assignment = self._check_refs(uow, person_id, draft)
            old = None
            if entry_id is not None:
                old = uow.worklog.get(entry_id)
                if old.person_id != person_id:
                    raise NotFound("not_found", kind="entry", id=entry_id)
                if old.status not in EDITABLE:
                    raise RefusedValue("entry_not_editable", status=_status(old.status))
                self._check_open(uow, person_id, old.work_date)
            # A quantity confirmed once (or stored before the check) is not asked again.
            check_quantity(quantity, time_norm_minutes=item.time_norm_minutes, item=item.code,
                           confirmed=draft.confirm_quantity or (
                               old is not None and old.quantity == quantity
                               and old.catalog_item_id == item.id))
            attachment = self._store_attachment(draft.attachment) if draft.attachment else None
            sha, name = (old.attachment_sha256, old.attachment_name) if old else (None, None)
            if not draft.keep_attachment:
                sha, name = None, None
            if attachment is not None:
                sha, name = attachment
            fields = dict(
                work_date=draft.work_date, catalog_item_id=item.id, quantity=quantity,
                coefficient=assignment.coefficient if assignment else item.coefficient,
                time_norm_minutes=item.time_norm_minutes,
                complexity_level=item.complexity_level,
                assignment_id=assignment.id if assignment else None,
                extra_kind=ExtraKind.NONE if assignment else (
                    draft.extra_kind if draft.extra_kind is not ExtraKind.NONE
                    else ExtraKind.AD_HOC),
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
            uow.audit.append(AuditEvent(at=now, action=action, object_type="entry",
                                        object_id=entry.id, actor_id=person_id,
                                        detail={"item": item.code, "quantity": str(quantity)}))
            return uow.worklog.get(entry.id)

    def submit(self, person_id: str, entry_id: str, reason: str = "") -> WorkLogEntry:
        """Freeze the entry as its next revision; a resubmission after a return needs a
        reason."""
        reason = check_text(reason, "reason", multiline=True)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            entry = uow.worklog.get(entry_id)
            if entry.person_id != person_id:
                raise NotFound("not_found", kind="entry", id=entry_id)
            if entry.status not in EDITABLE:
                raise RefusedValue("entry_not_editable", status=_status(entry.status))
            self._check_open(uow, person_id, entry.work_date)
            if entry.work_date > self.today():
                raise RefusedValue("date_in_future", date=entry.work_date.isoformat())
            if not uow.catalog.is_allowed(person_id, entry.catalog_item_id):
                item = uow.catalog.get_item(entry.catalog_item_id)
                raise RefusedValue("item_not_allowed", code=item.code, position="")
            if entry.current_revision > 0 and not reason:
                raise RefusedValue("revision_reason_missing", entry_id=entry_id)
            uow.worklog.submit(entry_id, author_id=person_id, at=now, reason=reason,
                               **self._signature(entry, now, reason))
            uow.audit.append(AuditEvent(
                at=now, action="entry.submit" if entry.current_revision == 0 else "entry.revise",
                object_type="entry", object_id=entry_id, actor_id=person_id,
                detail={"revision": entry.current_revision + 1, "reason": reason}))
            return uow.worklog.get(entry_id)

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

    def delete_draft(self, person_id: str, entry_id: str) -> None:
        now = utc_now()
        with self._db.unit_of_work() as uow:
            entry = uow.worklog.get(entry_id)
            if entry.person_id != person_id:
                raise NotFound("not_found", kind="entry", id=entry_id)
            if entry.status is not EntryStatus.DRAFT or entry.current_revision:
                raise RefusedValue("entry_not_editable", status=_status(entry.status))
            uow.worklog.delete_draft(entry_id)
            uow.audit.append(AuditEvent(at=now, action="entry.delete", object_type="entry",
                                        object_id=entry_id, actor_id=person_id))

    def attachment_path(self, sha256: str) -> Path:
        return self._attachments / sha256[:2] / sha256

    # -- score ----------------------------------------------------------------------------
    def trend(self, person_id: str, year: int, upto: Period | None = None) -> list[TrendPoint]:
        """The person's monthly scores from January of ``year`` to ``upto`` (default: the
        current month, or December)."""
        last = upto or Period.containing(min(self.today(), dt.date(year, 12, 31)))
        points = []
        with self._db.unit_of_work(read_only=True) as uow:
            calc = Calculator(uow)
            month = Period.month(year, 1)
            while month <= last:
                points.append(TrendPoint(month, calc.person_period(person_id, month).score))
                month = month.next()
        return points

    # -- checks ---------------------------------------------------------------------------
    def _check_dates(self, draft: EntryDraft) -> None:
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
        for value, field in ((draft.work_date, "work_date"), (draft.deadline, "deadline"),
                             (draft.completed_on, "completed_on")):
            if value is not None:
                check_date(value, field, today=today)

    def _check_refs(self, uow: Any, person_id: str, draft: EntryDraft
                    ) -> tuple[CatalogItem, Assignment | None]:
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
        self._check_open(uow, person_id, draft.work_date)
        assignment = None
        if draft.assignment_id:
            assignment = uow.assignments.find(draft.assignment_id)
            if assignment is None or assignment.person_id != person_id:
                raise NotFound("not_found", kind="assignment", id=draft.assignment_id)
            if assignment.catalog_item_id != item.id:
                raise RefusedValue("assignment_item_mismatch", code=item.code,
                                   assignment=draft.assignment_id)
        return item, assignment

    @staticmethod
    def _check_open(uow: Any, person_id: str, day: dt.date) -> None:
        month = Period.containing(day)
        evaluation = uow.evaluations.get_monthly(person_id, month)
        if evaluation is not None and evaluation.status in LOCKED:
            raise RefusedValue("period_locked", period=str(month))

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
