"""Discipline events (Điều 20.4, Điều 11.3): recorded with their decision, counted in the right
year, shown to the evaluator.

The year an event counts for is decided by :func:`kpi_desktop.scoring.discipline.discipline_years`
when it is recorded and stored as ``effective_year``; when a related decision about the same act
arrives later, every decision of that act is moved to the one year the act counts for. The
classification reads ``effective_year`` (any event of the year → Không hoàn thành).

An act committed at the person's old organisation (a unit they left, or another agency before
they joined) and disciplined here after the transfer counts in the old organisation's result
(Điều 11.3c–d, :func:`kpi_desktop.scoring.discipline.act_place`): the date of the act
(``committed_on``) is kept in the audit of the record, and the decision counts for the last
year the old organisation evaluated the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    DisciplineAuthority,
    DisciplineEvent,
    DisciplineKind,
    Period,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.org_results import DisciplineCount, DisciplineYear
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.scoring.discipline import (
    ActPlace,
    DisciplineFact,
    Stay,
    act_place,
    discipline_years,
)
from kpi_desktop.services.leadership import (
    audit,
    person_or_fail,
    require_evaluator,
    text_required,
    today_function,
)


def discipline_kind_label(kind: DisciplineKind | str) -> str:
    """The official name of a discipline form or other Điều 20.4 override."""
    value = getattr(kind, "value", kind)
    return {
        "reprimand": translate("DisciplineKind", "reprimand"),
        "warning": translate("DisciplineKind", "warning"),
        "salary_reduction": translate("DisciplineKind", "salary-step reduction"),
        "demotion": translate("DisciplineKind", "demotion"),
        "removal": translate("DisciplineKind", "removal from post"),
        "dismissal": translate("DisciplineKind", "dismissal"),
        "expulsion": translate("DisciplineKind", "expulsion from the party"),
        "ideology_conclusion": translate("DisciplineKind", "conclusion of a competent authority"),
        "unit_corruption": translate("DisciplineKind",
                                     "corruption case in a directly managed unit"),
    }.get(str(value), str(value))


def authority_label(authority: DisciplineAuthority | str) -> str:
    value = getattr(authority, "value", authority)
    return {
        "administrative": translate("DisciplineAuthority", "administrative"),
        "party": translate("DisciplineAuthority", "party"),
        "competent_authority": translate("DisciplineAuthority", "competent authority"),
    }.get(str(value), str(value))


def count_label(year: DisciplineYear) -> str:
    """Why the event counts (or not) for its year, in words."""
    if year.reason is DisciplineCount.ALREADY_COUNTED:
        return translate("DisciplineCount", "already counted: the act was rated Unsatisfactory "
                                            "in {year} (Article 11.3b)").format(year=year.year)
    if year.reason is DisciplineCount.OLD_ORGANISATION:
        return translate("DisciplineCount", "the act took place at the old organisation: "
                                            "counts in its result, {year} (Article 11.3c)"
                         ).format(year=year.year)
    if year.reason is DisciplineCount.SAME_ACT_EARLIER:
        return translate("DisciplineCount", "same act as another decision: counted once, in "
                                            "{year} (Article 11.3a)").format(year=year.year)
    return translate("DisciplineCount", "counts in {year}: Unsatisfactory whatever the score "
                                        "(Article 20.4)").format(year=year.year)


@dataclass(frozen=True)
class ShownEvent:
    """A discipline event as the evaluator sees it, with the year it counts for."""

    event: DisciplineEvent
    year: DisciplineYear

    @property
    def counts_in(self) -> int:
        return self.year.year


def _fact(event: DisciplineEvent, place: ActPlace | None = None) -> DisciplineFact:
    old = place.year if place is not None and place.old_organisation else None
    if old is not None and event.effective_year == old:
        return DisciplineFact(id=event.id, decided_on=event.decided_on,
                              related_id=event.related_event_id, old_organisation_year=old)
    earlier = event.effective_year if event.effective_year < event.decided_on.year else None
    return DisciplineFact(id=event.id, decided_on=event.decided_on,
                          related_id=event.related_event_id, already_counted_year=earlier)


def explain(events: list[DisciplineEvent],
            places: Mapping[str, ActPlace] | None = None) -> dict[str, DisciplineYear]:
    """The year each of a person's events counts for (see the module's doc); ``places``:
    where the act of an event took place, by event id (Điều 11.3c–d)."""
    return discipline_years([_fact(e, (places or {}).get(e.id)) for e in events])


def _stays(uow: Any, person_id: str) -> list[Stay]:
    return [Stay(organisation_id=m.unit_id, start_on=m.start_on, end_on=m.end_on)
            for m in uow.org.memberships_of(person_id)]


def _places(uow: Any, person_id: str, events: list[DisciplineEvent]) -> dict[str, ActPlace]:
    """Where the act of each event took place, from the date of the act recorded with it (in
    the signed event; for events recorded before it was part of them, in the audit log)."""
    committed: dict[str, dt.date] = {e.id: e.committed_on for e in events
                                     if e.committed_on is not None}
    if len(committed) < len(events):
        for entry in uow.audit.list_events(object_type="person", object_id=person_id,
                                           action="discipline.record"):
            day = entry.detail.get("committed_on")
            if entry.detail.get("event") and day:
                committed.setdefault(str(entry.detail["event"]), dt.date.fromisoformat(str(day)))
    if not committed:
        return {}
    stays = _stays(uow, person_id)
    return {e.id: act_place(committed[e.id], e.decided_on, stays)
            for e in events if e.id in committed}


class DisciplineService:
    """Recording and showing discipline events."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    def record(self, actor_id: str, person_id: str, kind: DisciplineKind | str, *,
               decided_on: dt.date | None, decision_no: str,
               authority: DisciplineAuthority | str = DisciplineAuthority.ADMINISTRATIVE,
               note: str = "", related_event_id: str | None = None,
               already_counted_year: int | None = None,
               committed_on: dt.date | None = None) -> DisciplineEvent:
        """Record a discipline decision (or another Điều 20.4 override) by the evaluator.

        ``related_event_id`` links the party and administrative decisions about the same act;
        ``already_counted_year`` says the act was already used to rate the person
        Unsatisfactory in that earlier year (Điều 11.3b); ``committed_on``, the date of the
        act, places an act at an old organisation in that organisation's result (Điều
        11.3c–d). The year it counts for is computed.
        """
        try:
            kind_value = DisciplineKind(kind)
        except ValueError:
            raise RefusedValue("discipline_kind_unknown", value=str(kind)) from None
        try:
            authority_value = DisciplineAuthority(authority)
        except ValueError:
            raise RefusedValue("discipline_kind_unknown", value=str(authority)) from None
        if decided_on is None:
            raise RefusedValue("date_malformed", value="")
        if decided_on > self.today():
            raise RefusedValue("discipline_in_future", date=decided_on.isoformat())
        number = text_required(decision_no, "decision_no")
        if already_counted_year is not None and already_counted_year >= decided_on.year:
            raise RefusedValue("discipline_counted_year_invalid", year=already_counted_year,
                               decided=decided_on.year)
        if committed_on is not None and committed_on > decided_on:
            raise RefusedValue("discipline_act_after_decision", date=committed_on.isoformat(),
                               decided=decided_on.isoformat())
        now = utc_now()
        with self._db.unit_of_work() as uow:
            require_evaluator(uow, actor_id, person_id, self.today())
            person = person_or_fail(uow, person_id)
            if kind_value is DisciplineKind.UNIT_CORRUPTION and not person.role.is_leader:
                raise RefusedValue("discipline_leaders_only")
            existing = uow.discipline.list_for_person(person_id)
            if related_event_id and related_event_id not in {e.id for e in existing}:
                raise RefusedValue("discipline_related_unknown", id=related_event_id)
            event_id = new_id()
            places = _places(uow, person_id, existing)
            facts = [_fact(e, places.get(e.id)) for e in existing]
            place = act_place(committed_on, decided_on, _stays(uow, person_id))
            facts.append(DisciplineFact(
                id=event_id, decided_on=decided_on, related_id=related_event_id or None,
                already_counted_year=already_counted_year,
                old_organisation_year=place.year if place.old_organisation else None))
            years = discipline_years(facts)
            event = DisciplineEvent(
                id=event_id, person_id=person_id, kind=kind_value, decided_on=decided_on,
                effective_year=years[event_id].year, created_at=now, authority=authority_value,
                decision_no=number, note=normalize_text(note or ""),
                related_event_id=related_event_id or None, recorded_by=actor_id,
                committed_on=committed_on)
            uow.discipline.add(event)
            moved = []
            for other in existing:
                if years[other.id].year != other.effective_year:
                    uow.discipline.set_effective_year(other.id, years[other.id].year)
                    moved.append(other.id)
            audit(uow, "discipline.record", "person", person_id, actor_id,
                  {"kind": kind_value.value, "authority": authority_value.value,
                   "decision_no": number, "decided_on": decided_on.isoformat(),
                   "year": event.effective_year, "reason": years[event_id].reason.value,
                   "related": related_event_id, "moved": moved, "event": event_id,
                   "committed_on": committed_on.isoformat() if committed_on else None,
                   "organisation": place.organisation_id,
                   "old_organisation": place.old_organisation}, now)
            return event

    def for_person(self, person_id: str) -> list[ShownEvent]:
        """Every event of a person, with the year it counts for, oldest first."""
        with self._db.unit_of_work(read_only=True) as uow:
            events = uow.discipline.list_for_person(person_id)
            places = _places(uow, person_id, events)
        years = explain(events, places)
        return [ShownEvent(event=e, year=years[e.id]) for e in events]

    def for_period(self, person_id: str, period: Period | str) -> list[ShownEvent]:
        """The events the evaluator should see when confirming ``period``: those that count
        for its year and those decided in it (counted elsewhere, with the reason)."""
        target = period if isinstance(period, Period) else Period.parse(str(period))
        return [s for s in self.for_person(person_id)
                if s.year.year == target.year or s.event.decided_on.year == target.year]
