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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kpi_desktop.domain.org_results import DisciplineCount, DisciplineYear
from kpi_desktop.scoring.errors import ScoringInputError

__all__ = ["DisciplineFact", "discipline_years"]


@dataclass(frozen=True, slots=True)
class DisciplineFact:
    """What the rule needs to know about one decision."""

    id: str
    decided_on: dt.date
    related_id: str | None = None
    already_counted_year: int | None = None


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
        def candidate(fact: DisciplineFact) -> tuple[int, bool]:
            earlier = fact.already_counted_year
            if earlier is not None and earlier < fact.decided_on.year:
                return earlier, True
            return fact.decided_on.year, False

        first = min(members, key=lambda f: (candidate(f)[0], f.decided_on, f.id))
        year, counted_before = candidate(first)
        for fact in members:
            if fact is first:
                reason = (DisciplineCount.ALREADY_COUNTED if counted_before
                          else DisciplineCount.DECIDED_IN_YEAR)
                out[fact.id] = DisciplineYear(year=year, reason=reason, counts=not counted_before)
            else:
                reason = (DisciplineCount.ALREADY_COUNTED if counted_before
                          else DisciplineCount.SAME_ACT_EARLIER)
                out[fact.id] = DisciplineYear(year=year, reason=reason, counts=False)
    return out
