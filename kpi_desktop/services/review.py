"""The leader's review inbox: confirm, return, quality and delay verdicts, bulk confirm.

Every verdict is a :class:`ReviewStatement` about the entry's current revision (grow-only) plus
an audit line; confirm and return also change the entry's status. Only the author's evaluator
(direct or acting) may review an entry, never the author (separation of duties).

Reminders (DESIGN.md §5): an item waiting longer than the policy's limit of working days is
*overdue*; when the leader finally decides it, a ``review.late`` audit line records the delay,
and :meth:`ReviewService.late_reviews` reports them to the leader's own evaluator.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from kpi_desktop.domain.errors import InvalidState, KpiError, RefusedValue
from kpi_desktop.domain.model import (
    EntryStatus,
    EvaluationStatus,
    Period,
    ReviewStatement,
    StatementKind,
    WorkLogEntry,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.workflow import status_after_verdict
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.services.leadership import (
    WorkingDays,
    audit,
    evaluatee_ids,
    require_evaluator,
    text_required,
    today_function,
    working_days_between,
)
from kpi_desktop.services.policies import policy_in_force

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
# An entry logged more than this many working days after its work date is flagged.
LATE_LOGGING_DAYS = 5
# This many identical entries (same item, quantity and output) on one day are flagged.
IDENTICAL_LIMIT = 3
# Entries confirmed per unit of work in a bulk confirmation.
BULK_CHUNK = 50

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class Flag(StrEnum):
    """Why an inbox item deserves the leader's attention."""

    OVERDUE = "overdue"  # waiting longer than the policy's limit
    DAY_OVER_NORM = "day_over_norm"  # the day's norm time is above 8 hours
    IDENTICAL = "identical"  # many identical entries on one day
    LOGGED_LATE = "logged_late"  # logged long after the work date
    NO_OUTPUT = "no_output"  # completed with no output product
    COMPLETED_LATE = "completed_late"  # completed after its deadline (counts as one delay)


def flag_label(flag: Flag) -> str:
    return {
        Flag.OVERDUE: translate("ReviewFlag", "Waiting too long"),
        Flag.DAY_OVER_NORM: translate("ReviewFlag", "Day over 8 hours"),
        Flag.IDENTICAL: translate("ReviewFlag", "Many identical entries"),
        Flag.LOGGED_LATE: translate("ReviewFlag", "Logged long after the work date"),
        Flag.NO_OUTPUT: translate("ReviewFlag", "Completed without an output product"),
        Flag.COMPLETED_LATE: translate("ReviewFlag", "Completed after the deadline"),
    }[flag]


def return_reason_templates() -> list[str]:
    """Ready-made reasons for returning an entry (the leader may edit them)."""
    return [
        translate("ReturnReason", "The output product is missing or cannot be opened."),
        translate("ReturnReason", "The quantity does not match the output product."),
        translate("ReturnReason", "The wrong catalog item was chosen."),
        translate("ReturnReason", "The work date or completion date is wrong."),
        translate("ReturnReason", "This work was already logged in another entry."),
    ]


@dataclass(frozen=True)
class InboxItem:
    """One submitted entry waiting for the leader."""

    entry: WorkLogEntry
    person_name: str
    item_code: str
    item_name_vi: str
    item_name_en: str
    unit_of_output: str
    submitted_at: dt.datetime
    waiting_days: int
    flags: frozenset[Flag]
    revision_reason: str = ""

    @property
    def overdue(self) -> bool:
        return Flag.OVERDUE in self.flags


@dataclass(frozen=True)
class InboxDay:
    work_date: dt.date
    items: tuple[InboxItem, ...]
    norm_minutes: Decimal


@dataclass(frozen=True)
class InboxPerson:
    person_id: str
    person_name: str
    days: tuple[InboxDay, ...]

    @property
    def items(self) -> list[InboxItem]:
        return [item for day in self.days for item in day.items]


@dataclass(frozen=True)
class Inbox:
    """Everything waiting for one leader, grouped by person and day."""

    reviewer_id: str
    people: tuple[InboxPerson, ...]
    limit_days: int

    @property
    def items(self) -> list[InboxItem]:
        return [item for person in self.people for item in person.items]

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in self.items)


@dataclass
class BulkResult:
    """What a bulk confirmation did: confirmed entry ids and the refused ones with their error."""

    confirmed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, KpiError]] = field(default_factory=list)
    # The confirmations made, in the order of ``confirmed`` (what Undo withdraws).
    statements: list[str] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class LeaderDelays:
    """A leader's review delays, as reported to their own evaluator."""

    leader_id: str
    leader_name: str
    decided_late: int  # reviews decided after the limit in the period
    waiting_overdue: int  # entries still waiting longer than the limit today


@dataclass(frozen=True)
class LateReview:
    """A review decided after the policy's limit (reported to the reviewer's evaluator)."""

    reviewer_id: str
    entry_id: str
    person_id: str
    waiting_days: int
    decided_at: dt.datetime


class ReviewService:
    """The leader's review of submitted work-log entries."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    # ---------------------------------------------------------------- the inbox ------------
    def inbox(self, reviewer_id: str, *, person_id: str | None = None) -> Inbox:
        """Submitted entries of the people ``reviewer_id`` evaluates, with flags."""
        today = self.today()
        with self._db.unit_of_work(read_only=True) as uow:
            policy = policy_in_force(uow, today)
            ids = evaluatee_ids(uow, reviewer_id, today)
            if person_id is not None:
                ids = [i for i in ids if i == person_id]
            people = uow.org.get_people(ids)
            entries = uow.worklog.list_by_status(EntryStatus.SUBMITTED, person_ids=ids) if ids \
                else []
            items = uow.catalog.get_items({e.catalog_item_id for e in entries})
            # When the current revision was submitted (submitting stamps the entry's
            # updated_at) and, for a corrected entry, the reason of the correction.
            reasons = {e.id: uow.worklog.get_revision(e.id, e.current_revision).reason
                       for e in entries if e.current_revision > 1}
            first = min([e.work_date for e in entries] + [today])
            calendar = WorkingDays(uow, first, today)
            # Norm minutes per person and day, over every entry of the day (not only waiting).
            day_norms = _day_norms(uow, entries)
            identical = Counter(_same_key(e) for e in entries)
            built: dict[str, dict[dt.date, list[InboxItem]]] = {}
            for entry in entries:
                submitted_at = entry.updated_at
                waiting = calendar.between(submitted_at.date(), today)
                flags = set()
                if waiting > policy.review_limit_working_days:
                    flags.add(Flag.OVERDUE)
                if day_norms.get((entry.person_id, entry.work_date), 0) > \
                        policy.daily_norm_minutes:
                    flags.add(Flag.DAY_OVER_NORM)
                if identical[_same_key(entry)] >= IDENTICAL_LIMIT:
                    flags.add(Flag.IDENTICAL)
                if calendar.between(entry.work_date, entry.created_at.date()) > \
                        LATE_LOGGING_DAYS:
                    flags.add(Flag.LOGGED_LATE)
                if entry.completed_on is not None and not (
                        entry.output_doc_number or entry.output_description
                        or entry.attachment_sha256):
                    flags.add(Flag.NO_OUTPUT)
                if entry.deadline and entry.completed_on and \
                        entry.completed_on > entry.deadline:
                    flags.add(Flag.COMPLETED_LATE)
                item = items.get(entry.catalog_item_id)
                person = people.get(entry.person_id)
                built.setdefault(entry.person_id, {}).setdefault(entry.work_date, []).append(
                    InboxItem(
                        entry=entry, person_name=person.full_name if person else entry.person_id,
                        item_code=item.code if item else "",
                        item_name_vi=item.name_vi if item else "",
                        item_name_en=(item.name_en or item.name_vi) if item else "",
                        unit_of_output=item.unit_of_output if item else "",
                        submitted_at=submitted_at, waiting_days=waiting,
                        flags=frozenset(flags), revision_reason=reasons.get(entry.id, "")))
            result = []
            for pid in sorted(built, key=lambda p: (people[p].full_name if p in people else p)):
                days = tuple(
                    InboxDay(work_date=day, items=tuple(found),
                             norm_minutes=Decimal(day_norms.get((pid, day), 0)))
                    for day, found in sorted(built[pid].items()))
                result.append(InboxPerson(person_id=pid, person_name=people[pid].full_name,
                                          days=days))
            return Inbox(reviewer_id=reviewer_id, people=tuple(result),
                         limit_days=policy.review_limit_working_days)

    def week_entry_ids(self, reviewer_id: str, person_id: str, day: dt.date) -> list[str]:
        """The waiting entries of ``person_id`` in the Monday–Sunday week containing ``day``."""
        monday = day - dt.timedelta(days=day.weekday())
        sunday = monday + dt.timedelta(days=6)
        inbox = self.inbox(reviewer_id, person_id=person_id)
        return [i.entry.id for i in inbox.items if monday <= i.entry.work_date <= sunday]

    def statements(self, entry_id: str) -> list[ReviewStatement]:
        """Every statement about an entry, oldest first (what the "history" shows)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.reviews.list_for_entry(entry_id)

    # ---------------------------------------------------------------- verdicts -------------
    def confirm(self, reviewer_id: str, entry_id: str) -> WorkLogEntry:
        """Confirm the entry's current revision (it then counts and is read-only)."""
        with self._db.unit_of_work() as uow:
            return self._verdict(uow, reviewer_id, entry_id, StatementKind.CONFIRM, "")

    def return_entry(self, reviewer_id: str, entry_id: str, reason: str) -> WorkLogEntry:
        """Return the entry to its author for revision; ``reason`` is required."""
        text = text_required(reason, "reason")
        with self._db.unit_of_work() as uow:
            return self._verdict(uow, reviewer_id, entry_id, StatementKind.RETURN, text)

    def mark_quality_failed(self, reviewer_id: str, entry_id: str, reason: str) -> WorkLogEntry:
        """Record a failed quality review (major content error: −25 % of its quality)."""
        text = text_required(reason, "reason")
        with self._db.unit_of_work() as uow:
            return self._annotate(uow, reviewer_id, entry_id, StatementKind.QUALITY_FAILED, text)

    def mark_delay(self, reviewer_id: str, entry_id: str, reason: str = "") -> WorkLogEntry:
        """Record one missed deadline (−25 % of its timeliness)."""
        with self._db.unit_of_work() as uow:
            return self._annotate(uow, reviewer_id, entry_id, StatementKind.DELAY,
                                  normalize_text(reason or ""))

    def mark_quality_cause(self, reviewer_id: str, entry_id: str, reason: str) -> WorkLogEntry:
        """Confirm an objective cause of the entry's major content errors (Điều 14.2b): its
        failed-review deductions are waived; its delays still count. ``reason`` is required."""
        text = text_required(reason, "reason")
        with self._db.unit_of_work() as uow:
            return self._annotate(uow, reviewer_id, entry_id, StatementKind.QUALITY_CAUSE, text)

    def mark_timeliness_cause(self, reviewer_id: str, entry_id: str,
                              reason: str) -> WorkLogEntry:
        """Confirm an objective cause of the entry's delays (Điều 14.2c): its delay deductions
        are waived; its quality failures still count. ``reason`` is required."""
        text = text_required(reason, "reason")
        with self._db.unit_of_work() as uow:
            return self._annotate(uow, reviewer_id, entry_id, StatementKind.TIMELINESS_CAUSE,
                                  text)

    def mark_objective_cause(self, reviewer_id: str, entry_id: str, reason: str, *,
                             quality: bool = True, timeliness: bool = True) -> WorkLogEntry:
        """Confirm objective causes of the entry's quality failures and/or delays, each
        recorded as its own statement with ``reason`` (one unit of work)."""
        text = text_required(reason, "reason")
        kinds = [k for k, wanted in ((StatementKind.QUALITY_CAUSE, quality),
                                     (StatementKind.TIMELINESS_CAUSE, timeliness)) if wanted]
        if not kinds:
            raise RefusedValue("cause_missing")
        with self._db.unit_of_work() as uow:
            for kind in kinds:
                entry = self._annotate(uow, reviewer_id, entry_id, kind, text)
            return entry
    def undo(self, reviewer_id: str, statement_id: str) -> ReviewStatement:
        """Withdraw one's own decision while it has not left this PC (it is signed and sent
        with the next export): the statement goes and the entry is as it was before it.

        Refused once exported (``undo_already_sent``), for someone else's statement
        (``undo_not_yours``), once the author has revised the entry (``undo_too_late``) and in
        a locked month (``period_locked``). Audited as ``entry.undo``.
        """
        with self._db.unit_of_work() as uow:
            return self._undo(uow, reviewer_id, statement_id, utc_now())

    def undo_many(self, reviewer_id: str, statement_ids: Sequence[str]) -> list[ReviewStatement]:
        """Withdraw several of one's own decisions (a bulk confirmation) all together: when one
        of them cannot be undone (see :meth:`undo`) none is, and the refusal names it."""
        now = utc_now()
        with self._db.unit_of_work() as uow:
            return [self._undo(uow, reviewer_id, statement_id, now)
                    for statement_id in dict.fromkeys(statement_ids)]

    def undoable(self, reviewer_id: str, statement_ids: Sequence[str]) -> bool:
        """Whether every one of these decisions is still one's own and still on this PC (not
        yet signed for an export): what keeps the Undo button offered."""
        with self._db.unit_of_work(read_only=True) as uow:
            for statement_id in statement_ids:
                statement = uow.reviews.find(statement_id)
                if statement is None or statement.reviewer_id != reviewer_id \
                        or statement.signature is not None:
                    return False
        return bool(statement_ids)

    def _undo(self, uow: Any, reviewer_id: str, statement_id: str,
              now: Any) -> ReviewStatement:
        statement = uow.reviews.get(statement_id)
        if statement.reviewer_id != reviewer_id:
            raise InvalidState("undo_not_yours", statement_id=statement_id)
        if statement.signature is not None:
            raise InvalidState("undo_already_sent", statement_id=statement_id)
        entry = self._reviewable(uow, reviewer_id, statement.entry_id)
        verdict = statement.kind in (StatementKind.CONFIRM, StatementKind.RETURN)
        if verdict and entry.current_revision != statement.revision:
            raise InvalidState("undo_too_late", statement_id=statement_id)
        if not uow.reviews.withdraw_unsent(statement_id):
            raise InvalidState("undo_already_sent", statement_id=statement_id)
        if verdict:
            uow.worklog.reopen(entry.id, at=now)
        audit(uow, "entry.undo", "entry", entry.id, reviewer_id,
              {"revision": statement.revision, "person": entry.person_id,
               "undone": statement.kind.value}, now)
        return statement

    def last_statement(self, reviewer_id: str, entry_id: str) -> ReviewStatement | None:
        """The newest statement ``reviewer_id`` made about the entry (what Undo withdraws)."""
        with self._db.unit_of_work(read_only=True) as uow:
            own = [s for s in uow.reviews.list_for_entry(entry_id)
                   if s.reviewer_id == reviewer_id]
        return max(own, key=lambda s: (s.created_at, s.id)) if own else None

    def confirm_many(self, reviewer_id: str, entry_ids: Sequence[str], *,
                     progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> BulkResult:
        """Confirm many entries, :data:`BULK_CHUNK` per unit of work, reporting progress.

        An entry that cannot be confirmed (no longer submitted, not the reviewer's, locked
        month) is skipped with its error; the others are confirmed. ``cancelled`` is asked
        between chunks; what was confirmed before stays confirmed.
        """
        ids = list(dict.fromkeys(entry_ids))
        result = BulkResult()
        total = len(ids)
        if progress:
            progress(0, total)
        for start in range(0, total, BULK_CHUNK):
            if cancelled is not None and cancelled():
                result.cancelled = True
                break
            chunk = ids[start:start + BULK_CHUNK]
            with self._db.unit_of_work() as uow:
                policy = policy_in_force(uow, self.today())
                for entry_id in chunk:
                    statement_id = new_id()
                    try:
                        self._verdict(uow, reviewer_id, entry_id, StatementKind.CONFIRM, "",
                                      policy, statement_id=statement_id)
                    except KpiError as error:
                        result.skipped.append((entry_id, error))
                    else:
                        result.confirmed.append(entry_id)
                        result.statements.append(statement_id)
            if progress:
                progress(min(start + len(chunk), total), total)
        return result

    # ---------------------------------------------------------------- reporting ------------
    def late_reviews(self, reviewer_id: str, period: Period | None = None) -> list[LateReview]:
        """Reviews ``reviewer_id`` decided after the policy's limit (within ``period``)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return _late(uow, reviewer_id, period)

    def late_reviews_of_my_leaders(self, evaluator_id: str,
                                   period: Period | None = None) -> dict[str, list[LateReview]]:
        """The late reviews of the leaders ``evaluator_id`` evaluates (the report upwards)."""
        with self._db.unit_of_work(read_only=True) as uow:
            report = {}
            for pid in evaluatee_ids(uow, evaluator_id, self.today()):
                late = _late(uow, pid, period)
                if late:
                    report[pid] = late
            return report

    def delay_report(self, evaluator_id: str, period: Period | None = None
                     ) -> list[LeaderDelays]:
        """For each leader ``evaluator_id`` evaluates: late decisions and overdue items."""
        today = self.today()
        with self._db.unit_of_work(read_only=True) as uow:
            people = uow.org.get_people(evaluatee_ids(uow, evaluator_id, today))
            late = {pid: len(_late(uow, pid, period)) for pid in people}
            overdue = self._overdue_counts(
                uow, [pid for pid, p in people.items() if p.role.is_leader], today)
        report = []
        for pid, person in sorted(people.items(), key=lambda kv: kv[1].full_name):
            if not person.role.is_leader:
                continue
            waiting = overdue[pid]
            if late[pid] or waiting:
                report.append(LeaderDelays(leader_id=pid, leader_name=person.full_name,
                                           decided_late=late[pid], waiting_overdue=waiting))
        return report

    def waiting_counts(self, reviewer_id: str) -> tuple[int, int]:
        """How many entries wait in ``reviewer_id``'s inbox, and how many of them longer than
        the policy's limit (the banner and the navigation's counts; the inbox's own rule)."""
        today = self.today()
        with self._db.unit_of_work(read_only=True) as uow:
            ids = evaluatee_ids(uow, reviewer_id, today)
            waiting = len(uow.worklog.submitted_since(ids)) if ids else 0
            overdue = self._overdue_counts(uow, [reviewer_id], today)[reviewer_id]
        return waiting, overdue

    # ---------------------------------------------------------------- internals ------------
    def _overdue_counts(self, uow: Any, leader_ids: Sequence[str], today: dt.date
                        ) -> dict[str, int]:
        """Per leader, how many entries wait in their inbox longer than the policy's limit
        (what ``inbox(leader).overdue_count`` says), for all leaders with one query."""
        staff = {pid: evaluatee_ids(uow, pid, today) for pid in leader_ids}
        everyone = sorted({i for ids in staff.values() for i in ids})
        entries = uow.worklog.submitted_since(everyone) if everyone else []
        limit = policy_in_force(uow, today).review_limit_working_days
        calendar = WorkingDays(uow, min([day for _p, day, _at in entries] + [today]), today)
        waiting = Counter(person for person, _day, submitted in entries
                          if calendar.between(submitted.date(), today) > limit)
        return {pid: sum(waiting[i] for i in ids) for pid, ids in staff.items()}

    def _reviewable(self, uow: Any, reviewer_id: str, entry_id: str) -> WorkLogEntry:
        entry = uow.worklog.get(entry_id)
        require_evaluator(uow, reviewer_id, entry.person_id, self.today())
        month = Period.containing(entry.work_date)
        evaluation = uow.evaluations.get_monthly(entry.person_id, month)
        if evaluation is not None and evaluation.status in LOCKED:
            raise InvalidState("period_locked", period=str(month))
        return entry

    def _verdict(self, uow: Any, reviewer_id: str, entry_id: str, kind: StatementKind,
                 reason: str, policy: ScoringPolicy | None = None, *,
                 statement_id: str | None = None) -> WorkLogEntry:
        entry = self._reviewable(uow, reviewer_id, entry_id)
        if entry.status is not EntryStatus.SUBMITTED:
            raise InvalidState("entry_not_submitted", entry_id=entry_id,
                               status=entry.status.value)
        now = utc_now()
        revision = uow.worklog.get_revision(entry.id, entry.current_revision)
        uow.reviews.add(ReviewStatement(id=statement_id or new_id(), entry_id=entry.id,
                                        revision=entry.current_revision,
                                        reviewer_id=reviewer_id, kind=kind, created_at=now,
                                        reason=reason))
        # The one status rule (domain.workflow), the same an import applies.
        change = status_after_verdict(entry.status, entry.current_revision, kind,
                                      entry.current_revision)
        if change is not None:
            uow.worklog.set_status(entry.id, change.status, at=now,
                                   confirmed_revision=change.confirmed_revision)
        action = "entry.confirm" if kind is StatementKind.CONFIRM else "entry.return"
        detail: dict[str, Any] = {"revision": entry.current_revision, "person": entry.person_id}
        if reason:
            detail["reason"] = reason
        audit(uow, action, "entry", entry.id, reviewer_id, detail, now)
        policy = policy or policy_in_force(uow, self.today())
        waited = working_days_between(uow, revision.created_at.date(), self.today())
        if waited > policy.review_limit_working_days:
            audit(uow, "review.late", "entry", entry.id, reviewer_id,
                  {"person": entry.person_id, "waiting_days": waited,
                   "limit": policy.review_limit_working_days}, now)
        return uow.worklog.get(entry.id)

    def _annotate(self, uow: Any, reviewer_id: str, entry_id: str, kind: StatementKind,
                  reason: str) -> WorkLogEntry:
        entry = self._reviewable(uow, reviewer_id, entry_id)
        if entry.status not in (EntryStatus.SUBMITTED, EntryStatus.CONFIRMED):
            raise InvalidState("entry_not_submitted", entry_id=entry_id,
                               status=entry.status.value)
        revision = entry.confirmed_revision or entry.current_revision
        if kind.waives_quality or kind.waives_timeliness:  # each cause once per entry
            existing = uow.reviews.list_for_entry(entry.id)
            for s in existing:
                if kind.waives_quality and s.kind.waives_quality:
                    raise InvalidState("already_recorded", entry_id=entry_id, cause="quality")
                if kind.waives_timeliness and s.kind.waives_timeliness:
                    raise InvalidState("already_recorded", entry_id=entry_id,
                                       cause="timeliness")
        now = utc_now()
        uow.reviews.add(ReviewStatement(id=new_id(), entry_id=entry.id, revision=revision,
                                        reviewer_id=reviewer_id, kind=kind, created_at=now,
                                        reason=reason))
        audit(uow, f"entry.{kind.value}", "entry", entry.id, reviewer_id,
              {"revision": revision, "person": entry.person_id, "reason": reason}, now)
        return uow.worklog.get(entry.id)


def _same_key(entry: WorkLogEntry) -> tuple[Any, ...]:
    return (entry.person_id, entry.work_date, entry.catalog_item_id, entry.quantity,
            entry.output_doc_number, entry.output_description)


def _day_norms(uow: Any, entries: Iterable[WorkLogEntry]) -> dict[tuple[str, dt.date], Any]:
    """Norm minutes (time norm × quantity, before factors) per person and day."""
    keys = {(e.person_id, e.work_date) for e in entries}
    by_person: dict[str, list[dt.date]] = {}
    for pid, day in keys:
        by_person.setdefault(pid, []).append(day)
    norms: dict[tuple[str, dt.date], Any] = {}
    for pid, days in by_person.items():
        for entry in uow.worklog.list_for_person(pid, min(days), max(days)):
            if entry.status is EntryStatus.DRAFT or (pid, entry.work_date) not in keys:
                continue
            minutes = (entry.time_norm_minutes or 0) * entry.quantity
            norms[(pid, entry.work_date)] = norms.get((pid, entry.work_date), 0) + minutes
    return norms


def _late(uow: Any, reviewer_id: str, period: Period | None) -> list[LateReview]:
    since = until = None
    if period is not None:
        since = dt.datetime.combine(period.start, dt.time(), tzinfo=dt.UTC)
        until = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    events = uow.audit.list_events(actor_id=reviewer_id, action="review.late", since=since,
                                   until=until)
    return [LateReview(reviewer_id=reviewer_id, entry_id=e.object_id,
                       person_id=str(e.detail.get("person", "")),
                       waiting_days=int(e.detail.get("waiting_days", 0)), decided_at=e.at)
            for e in events]
