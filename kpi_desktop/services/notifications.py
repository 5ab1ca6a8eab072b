"""What a person is told when they sign in (issue 16 item 3): the banner above the pages and the
counts beside the pages' names in the navigation.

* an official: entries returned to be fixed (with the leader's reason), entries confirmed since
  the last sign-in on this PC, and whether their key still waits for the agency to publish it;
* a leader, besides: entries waiting in the review inbox and how many of them are overdue (the
  inbox's own rule, :meth:`ReviewService.waiting_counts`), and months submitted for evaluation.

"Since the last sign-in" is counted at sign-in (:meth:`NotificationService.record_sign_in`):
the number of the person's confirmed entries now, minus that number at their previous sign-in
on this PC (table ``sign_ins``, revision 0015), so entries confirmed on the leader's PC count
when their confirmation arrives here, whatever its date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.everyday import SignIn
from kpi_desktop.domain.model import EntryStatus, EvaluationStatus
from kpi_desktop.domain.values import normalize_text, utc_now
from kpi_desktop.services.leadership import evaluatee_ids, today_function

__all__ = ["Notices", "NotificationService", "ReturnedEntry"]


@dataclass(frozen=True)
class ReturnedEntry:
    """An entry the leader returned, waiting to be corrected and submitted again."""

    entry_id: str
    work_date: dt.date
    item_code: str
    item_name_vi: str
    item_name_en: str
    reason: str
    reviewer_name: str


@dataclass(frozen=True)
class Notices:
    """Everything the banner and the navigation counts say to one person."""

    person_id: str
    returned: tuple[ReturnedEntry, ...] = ()
    confirmed_since_sign_in: int = 0
    previous_sign_in: dt.datetime | None = None
    is_leader: bool = False
    waiting: int = 0  # entries waiting for this leader's review
    overdue: int = 0  # of which waiting longer than the policy's limit
    months_waiting: int = 0  # monthly evaluations submitted to this leader
    key_unpublished: bool = False  # the agency has not published this person's key yet

    @property
    def empty(self) -> bool:
        return not (self.returned or self.confirmed_since_sign_in or self.waiting
                    or self.months_waiting or self.key_unpublished)

    def page_counts(self) -> dict[str, int]:
        """The count shown beside each page's name ("today", "inbox", "evaluation")."""
        return {"today": len(self.returned), "leader.inbox": self.waiting,
                "leader.evaluation": self.months_waiting}


class NotificationService:
    """Sign-ins on this PC and the notices they lead to."""

    def __init__(self, db: Any, *, review: Any = None, keys: Any = None,
                 today: dt.date | Any = None) -> None:
        self._db = db
        self._review = review
        self._keys = keys
        self._today = today_function(today)

    def record_sign_in(self, person_id: str, *, now: dt.datetime | None = None) -> int:
        """Note that ``person_id`` signed in now; returns how many of their entries were
        confirmed since their previous sign-in on this PC (0 on the first one)."""
        person_id = normalize_text(person_id)
        with self._db.unit_of_work() as uow:
            uow.org.get_person(person_id)
            confirmed = uow.worklog.count_by_status([person_id]).get(EntryStatus.CONFIRMED, 0)
            before = uow.sign_ins.get(person_id)
            uow.sign_ins.put(SignIn(
                person_id=person_id, signed_in_at=now or utc_now(), confirmed_entries=confirmed,
                previous_signed_in_at=before.signed_in_at if before else None))
        return max(0, confirmed - before.confirmed_entries) if before else 0

    def last_sign_in(self, person_id: str) -> SignIn | None:
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.sign_ins.get(normalize_text(person_id))

    def notices(self, person_id: str, *, confirmed_since_sign_in: int = 0) -> Notices:
        """What ``person_id`` should be told now (``confirmed_since_sign_in`` as
        :meth:`record_sign_in` returned it)."""
        person_id = normalize_text(person_id)
        today = self._today()
        with self._db.unit_of_work(read_only=True) as uow:
            person = uow.org.get_person(person_id)
            returned_entries = uow.worklog.list_by_status(EntryStatus.RETURNED,
                                                          person_ids=[person_id])
            verdicts = uow.reviews.latest_verdicts([e.id for e in returned_entries])
            items = uow.catalog.get_items({e.catalog_item_id for e in returned_entries})
            reviewers = uow.org.get_people({v.reviewer_id for v in verdicts.values()})
            returned = []
            for entry in returned_entries:
                verdict = verdicts.get(entry.id)
                item = items.get(entry.catalog_item_id)
                reviewer = reviewers.get(verdict.reviewer_id) if verdict else None
                returned.append(ReturnedEntry(
                    entry_id=entry.id, work_date=entry.work_date,
                    item_code=item.code if item else "",
                    item_name_vi=item.name_vi if item else "",
                    item_name_en=(item.name_en or item.name_vi) if item else "",
                    reason=verdict.reason if verdict else "",
                    reviewer_name=reviewer.full_name if reviewer else ""))
            staff = evaluatee_ids(uow, person_id, today)
            months = uow.evaluations.list_monthly(
                person_ids=staff, statuses=[EvaluationStatus.SUBMITTED]) if staff else []
            sign_in = uow.sign_ins.get(person_id)
            unpublished = False
            if self._keys is not None and person_id in set(self._keys.owners()):
                unpublished = not self._keys.info(person_id).enrolled
        waiting = overdue = 0
        if staff and self._review is not None:
            waiting, overdue = self._review.waiting_counts(person_id)
        returned.sort(key=lambda r: (r.work_date, r.item_code))
        return Notices(
            person_id=person.id, returned=tuple(returned),
            confirmed_since_sign_in=confirmed_since_sign_in,
            previous_sign_in=sign_in.previous_signed_in_at if sign_in else None,
            is_leader=bool(staff), waiting=waiting, overdue=overdue,
            months_waiting=len(months), key_unpublished=unpublished)
