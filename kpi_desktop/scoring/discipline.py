"""Which evaluation year a discipline decision counts for (Điều 20.4c, Điều 11.3a–b).

Pure: no storage, no Qt.

* A person disciplined at reprimand (khiển trách) or above for a public-duty violation is
  rated Không hoàn thành **in the evaluation year the decision is issued / takes effect**
  ("bị kỷ luật … trong năm đánh giá", Điều 20.4c, Điều 11.3a) — not the year the act was
  committed.
* Party and administrative discipline for the **same act** whose decisions take effect in
  different years count in **one** year only (Điều 11.3a ¶2): the year the first of them took
  effect. Decisions about the same act are linked (``related_id``); links are followed both
  ways, so a chain of three decisions is one act.
* An act that was already used to rate the person Không hoàn thành in an earlier year, before
  any decision existed, is not counted again in the year of the later decision (Điều 11.3b):
  ``already_counted_year`` names that earlier year.
* An act committed at the person's **old organisation** but disciplined at the new one after a
  transfer counts in the result of the old organisation (Điều 11.3c); acts at both, disciplined
  at both, count at each organisation by the time of each act (Điều 11.3d).
  :func:`act_place` finds, from the person's stays (memberships, oldest first), where the act
  took place and the evaluation year of that organisation it counts for: the decision's year
  when the act was at the organisation of the decision, else the last year the old
  organisation evaluated the person (the year their stay there ended, never after the
  decision's). ``old_organisation_year`` carries that year into :func:`discipline_years`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kpi_desktop.domain.org_results import DisciplineCount, DisciplineYear
from kpi_desktop.scoring.errors import ScoringInputError

__all__ = ["ActPlace", "DisciplineFact", "Stay", "act_place", "discipline_years"]


@dataclass(frozen=True, slots=True)
class Stay:
    """A period the person spent at one organisation (a unit of the agency)."""

    organisation_id: str
    start_on: dt.date
    end_on: dt.date | None = None

    def holds(self, day: dt.date) -> bool:
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)


@dataclass(frozen=True, slots=True)
class ActPlace:
    """Where an act took place and the evaluation year it counts for (Điều 11.3c–d).

    ``organisation_id`` is ``None`` for an organisation outside this agency (the act came
    before the person's first stay here); ``old_organisation`` tells whether it differs from
    the organisation of the decision.
    """

    organisation_id: str | None
    year: int
    old_organisation: bool = False


def act_place(committed_on: dt.date | None, decided_on: dt.date,
              stays: Sequence[Stay]) -> ActPlace:
    """Where the act of a decision took place and the year it counts for (Điều 11.3c–d).

    Without ``committed_on``, or for an act at the organisation of the decision, the
    decision's own year (Điều 11.3a). For an act at an old organisation, the last year that
    organisation evaluated the person: the year their stay there ended (the day before
    their first stay here for another agency), and never after the decision's year.
    ``committed_on`` after ``decided_on`` is refused (ScoringInputError
    ``value_out_of_range``).
    """
    ordered = sorted(stays, key=lambda s: s.start_on)
    now = next((s for s in reversed(ordered) if s.holds(decided_on)), None)
    here = now.organisation_id if now is not None else None
    if committed_on is None:
        return ActPlace(here, decided_on.year)
    if committed_on > decided_on:
        raise ScoringInputError("value_out_of_range", field="committed_on",
                                value=committed_on.isoformat(), minimum="",
                                maximum=decided_on.isoformat())
    then = next((s for s in reversed(ordered) if s.holds(committed_on)), None)
    if then is None and ordered and committed_on < ordered[0].start_on:
        # Before the first stay here: another agency, which evaluated until the day before.
        last = ordered[0].start_on - dt.timedelta(days=1)
        return ActPlace(None, min(last.year, decided_on.year), old_organisation=True)
    if then is None or then.organisation_id == here:
        return ActPlace(here if then is None else then.organisation_id, decided_on.year)
    # The act was at an old organisation; it counts in that organisation's last year.
    end = then.end_on or decided_on
    return ActPlace(then.organisation_id, min(end.year, decided_on.year),
                    old_organisation=True)


@dataclass(frozen=True, slots=True)
class DisciplineFact:
    """What the rule needs to know about one decision."""

    id: str
    decided_on: dt.date
    related_id: str | None = None
    already_counted_year: int | None = None
    old_organisation_year: int | None = None  # Điều 11.3c: see :func:`act_place`


def discipline_years(facts: Sequence[DisciplineFact]) -> dict[str, DisciplineYear]:
    """The year each decision counts for, by id.

    Every decision of one act gets the same ``year``; exactly one of them ``counts`` (the one
    that took effect first, or the earliest when the act was already counted). A link to an id
    that is not among ``facts`` is ignored. ``already_counted_year`` after the decision's own
    year is refused (ScoringInputError ``value_out_of_range``).
    """
    by_id = {fact.id: fact for fact in facts}
    for fact in facts:
        if fact.already_counted_year is not None and \
                fact.already_counted_year > fact.decided_on.year:
            raise ScoringInputError("value_out_of_range", field="already_counted_year",
                                    value=fact.already_counted_year, minimum="",
                                    maximum=fact.decided_on.year)
        if fact.old_organisation_year is not None and \
                fact.old_organisation_year > fact.decided_on.year:
            raise ScoringInputError("value_out_of_range", field="old_organisation_year",
                                    value=fact.old_organisation_year, minimum="",
                                    maximum=fact.decided_on.year)
    # Connected groups (one act) through the links, in both directions.
    parent = {fact.id: fact.id for fact in facts}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for fact in facts:
        if fact.related_id is not None and fact.related_id in by_id:
            a, b = root(fact.id), root(fact.related_id)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[DisciplineFact]] = {}
    for fact in facts:
        groups.setdefault(root(fact.id), []).append(fact)

    out: dict[str, DisciplineYear] = {}
    for members in groups.values():
        def candidate(fact: DisciplineFact) -> tuple[int, DisciplineCount]:
            earlier = fact.already_counted_year
            if earlier is not None and earlier < fact.decided_on.year:
                return earlier, DisciplineCount.ALREADY_COUNTED
            if fact.old_organisation_year is not None:
                return fact.old_organisation_year, DisciplineCount.OLD_ORGANISATION
            return fact.decided_on.year, DisciplineCount.DECIDED_IN_YEAR

        first = min(members, key=lambda f: (candidate(f)[0], f.decided_on, f.id))
        year, why = candidate(first)
        counted_before = why is DisciplineCount.ALREADY_COUNTED
        for fact in members:
            if fact is first:
                reason = why
                out[fact.id] = DisciplineYear(year=year, reason=reason, counts=not counted_before)
            else:
                reason = (DisciplineCount.ALREADY_COUNTED if counted_before
                          else DisciplineCount.SAME_ACT_EARLIER)
                out[fact.id] = DisciplineYear(year=year, reason=reason, counts=False)
    return out
