"""Leave and the year's classification (Decree 335/2025/NĐ-CP, Điều 11.1–11.2, Điều 17.3, 19.3).

Pure: no storage, no Qt. The rules, as the decree writes them:

* Điều 11.1 — a civil servant who worked less than 6 months in the year is not classified,
  except in the cases of 11.2.
* Điều 11.2 — unpaid personal leave with at least 6 months worked, and sick or maternity leave
  under the social-insurance law: the year's classification is the classification of the time
  actually worked in the year. So:

  - a month **entirely on leave** (every working day of it) does not enter the mean (Điều 17.3:
    "bằng điểm trung bình cộng của 12 tháng, trừ trường hợp quy định tại khoản 2 Điều 11");
  - sick or maternity leave in the year → classified on the months worked, even fewer than 6
    (``leave_exception`` of :func:`kpi_desktop.scoring.classify_year`);
  - unpaid personal leave only → classified on the months worked when they are at least 6,
    otherwise not classified (11.1 applies: 11.2 names unpaid leave only "with at least 6
    months worked").

* A month **partly on leave** is a month worked: it is evaluated like any month, on the work
  assigned to the person for it (the leader assigns for the days the person works; a, b and c
  are ratios of the assigned work, so a shorter month is neither rewarded nor penalised), and
  its total enters the mean. A month partly on leave in which nothing was assigned has no
  total ("insufficient data") and does not enter the mean either. (Reasoning in
  docs/leave.md.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["LeaveSpan", "months_on_leave", "qualifies_for_exception"]


@dataclass(frozen=True, slots=True)
class LeaveSpan:
    """One period of leave: inclusive dates and whether it is sick or maternity leave under
    the social-insurance law (``False``: unpaid personal leave)."""

    start_on: dt.date
    end_on: dt.date
    social_insurance: bool

    def covers(self, day: dt.date) -> bool:
        return self.start_on <= day <= self.end_on


def _days(year: int, month: int) -> list[dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return [first + dt.timedelta(days=i) for i in range((following - first).days)]


def months_on_leave(spans: Iterable[LeaveSpan], year: int,
                    is_working_day: Callable[[dt.date], bool] | None = None
                    ) -> tuple[int, ...]:
    """The months (1–12) of ``year`` whose every working day is a day of leave.

    ``is_working_day`` is the working-day calendar (weekends and public holidays are not
    working days); without it, every weekday is one. A month with no working day at all is
    not "on leave".
    """
    spans = list(spans)
    working = is_working_day or (lambda day: day.weekday() < 5)
    found = []
    for month in range(1, 13):
        days = [d for d in _days(year, month) if working(d)]
        if days and all(any(s.covers(d) for s in spans) for d in days):
            found.append(month)
    return tuple(found)


def qualifies_for_exception(spans: Sequence[LeaveSpan], year: int) -> bool:
    """Whether the year is classified on the time actually worked however short it is
    (Điều 11.2): some sick or maternity leave under the social-insurance law in ``year``.
    Unpaid personal leave alone does not qualify (11.2 asks for 6 months worked with it)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return any(s.social_insurance and s.start_on <= last and s.end_on >= first for s in spans)
