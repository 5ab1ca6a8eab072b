"""The official's desk: the daily work log, catalog search, assignments and the score trend.

One unit of work per user action. Entries follow DESIGN.md §5: a draft is editable and saved
as often as the person likes; submitting freezes it as a revision; a returned entry is changed
and submitted again with a reason; a submitted or confirmed entry is read-only for its author.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import NotFound
from kpi_desktop.domain.model import (
    Assignment,
    AssignmentStatus,
    CatalogItem,
    EntryStatus,
    EvaluationStatus,
    Period,
    ReviewTally,
    WorkLogEntry,
    normalize_text,
)
from kpi_desktop.domain.scores import PeriodScore
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.scoring.worklog import LogItem, day_load
from kpi_desktop.services.calendar import WorkingCalendar, calendar_for
from kpi_desktop.services.entries import (
    EDITABLE,
    AssignmentLink,
    EntryDraft,
    EntryService,
    SavedEntry,
    parse_quantity,
)
from kpi_desktop.services.organisation import direct_evaluator
from kpi_desktop.services.policies import policy_in_force
from kpi_desktop.services.scores import Calculator
from kpi_desktop.storage.repositories.catalog import match_rank

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
_PUBLIC_CALENDAR = WorkingCalendar()
__all__ = ["EDITABLE", "AssignmentLink", "AssignmentView", "DailyWorkService", "DayView",
           "EntryDraft", "EntryView", "ItemChoice", "PersonInfo", "SavedEntry", "TrendPoint",
           "parse_quantity", "working_days_between"]


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
    evaluator_name: str = ""  # who evaluates this person (Điều 10), "" for nobody
    evaluator_position_vi: str = ""
    evaluator_position_en: str = ""


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
        self.entries = EntryService(db, attachments_dir, today=self.today, keys=keys)

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
            evaluator = direct_evaluator(uow, person_id, self.today())
            title = (uow.org.get_job_position(evaluator.job_position_id)
                     if evaluator is not None and evaluator.job_position_id else None)
            return PersonInfo(
                id=person.id, full_name=person.full_name, role=person.role.value,
                unit_id=person.unit_id, unit_name_vi=unit.name_vi if unit else "",
                unit_name_en=(unit.name_en or unit.name_vi) if unit else "",
                position_vi=position.name_vi if position else "",
                position_en=(position.name_en or position.name_vi) if position else "",
                is_evaluator=evaluates,
                evaluator_name=evaluator.full_name if evaluator else "",
                evaluator_position_vi=title.name_vi if title else "",
                evaluator_position_en=(title.name_en or title.name_vi) if title else "")

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
            policy = policy_in_force(uow, end)
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
        policy = policy_in_force(uow, max(e.work_date for e in entries))
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
        if tally is not None and tally.quality_cause:  # Điều 14.2b
            failed = 0
        if tally is not None and tally.timeliness_cause:  # Điều 14.2c
            delays = 0
        level = entry.complexity_level or 1
        factors = policy.complexity_factors
        factor = factors[min(max(level, 1), len(factors)) - 1]
        return LogItem(entry.time_norm_minutes or 0, entry.quantity, factor,
                       max(Fraction(0), 1 - policy.failed_review_deduction * failed), early,
                       delays)

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
                found.sort(key=lambda i: (i.id not in allowed, match_rank(i, query),
                                          -usage.get(i.code, 0), i.code))
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

    # -- writing (one service for the GUI and the CLI: services.entries) ----------------------
    def save(self, person_id: str, draft: EntryDraft, entry_id: str | None = None
             ) -> WorkLogEntry:
        """Create a draft (``entry_id`` None) or save changes to a draft or returned entry
        (:meth:`EntryService.save`; :meth:`save_entry` also says which assignment it counts
        for)."""
        return self.entries.save(person_id, draft, entry_id).entry

    def save_entry(self, person_id: str, draft: EntryDraft, entry_id: str | None = None
                   ) -> SavedEntry:
        """Like :meth:`save`, with the assignment the entry was linked to and its progress
        (``SavedEntry.text()``: "Thuộc nhiệm vụ được giao VP.17 (đã làm 1/2, hạn 17/12)")."""
        return self.entries.save(person_id, draft, entry_id)

    def suggest_assignment(self, person_id: str, item_code: str, work_date: dt.date, *,
                           quantity: Decimal | str | None = None,
                           entry_id: str | None = None) -> AssignmentLink | None:
        """The open assignment an entry for ``item_code`` would count for (None: ad hoc)."""
        return self.entries.suggest_assignment(person_id, item_code, work_date,
                                               quantity=quantity, entry_id=entry_id)

    def submit(self, person_id: str, entry_id: str, reason: str = "") -> WorkLogEntry:
        """Freeze the entry as its next revision; a resubmission after a return needs a
        reason."""
        return self.entries.submit(person_id, entry_id, reason)

    def delete_draft(self, person_id: str, entry_id: str) -> None:
        self.entries.delete_draft(person_id, entry_id)

    def attachment_path(self, sha256: str) -> Path:
        return self.entries.attachment_path(sha256)

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
