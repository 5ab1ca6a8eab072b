"""Review-statement repository: leaders' confirmations, returns and verdicts (grow-only)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import and_, select, text

from kpi_desktop.domain.model import EntryStatus, ReviewStatement, ReviewTally, StatementKind
from kpi_desktop.storage.orm import EntryRevisionRow, ReviewStatementRow, WorkLogEntryRow
from kpi_desktop.storage.repositories._base import Repository, json_list, table_of, to_row

_STMT = table_of(ReviewStatementRow)
_ENTRY = table_of(WorkLogEntryRow)
_REVISION = table_of(EntryRevisionRow)


class VerdictTiming(NamedTuple):
    """An entry's latest verdict and when the revision it judged was submitted (narrow)."""

    entry_id: str
    person_id: str
    status: EntryStatus
    reviewer_id: str | None  # None: no verdict yet
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class VerdictDays(NamedTuple):
    """How many entries ``reviewer_id`` judged on ``decided_on`` whose judged revision was
    submitted on ``submitted_on`` (both UTC days); or, with ``waiting_person``, how many of
    that person's entries wait for review (the other fields None)."""

    reviewer_id: str | None
    waiting_person: str | None
    submitted_on: dt.date | None
    decided_on: dt.date | None
    count: int


# :meth:`ReviewRepository.verdict_days` in SQLite's dialect: each entry's latest verdict by
# (revision, time, id) through the statements' entry index, then counted by day. The stored
# times are fixed-width UTC text, so their first 10 characters are the UTC day.
_VERDICT_DAYS = text(f"""
WITH latest AS (
    SELECT e.id, e.person_id, e.status,
           (SELECT s.id FROM {_STMT.name} s
            WHERE s.entry_id = e.id AND s.kind IN (SELECT value FROM json_each(:kinds))
            ORDER BY s.revision DESC, s.created_at DESC, s.id DESC LIMIT 1) AS statement_id
    FROM {_ENTRY.name} e
    WHERE e.person_id IN (SELECT value FROM json_each(:ids))
      AND e.work_date BETWEEN :start AND :end),
judged AS (
    SELECT l.person_id, l.status, s.reviewer_id, s.created_at AS decided_at,
           r.created_at AS submitted_at
    FROM latest l
    LEFT JOIN {_STMT.name} s ON s.id = l.statement_id
    LEFT JOIN {_REVISION.name} r ON r.entry_id = s.entry_id AND r.revision = s.revision)
SELECT CASE WHEN status = :waiting THEN NULL ELSE reviewer_id END,
       CASE WHEN status = :waiting THEN person_id END,
       CASE WHEN status = :waiting THEN NULL ELSE substr(submitted_at, 1, 10) END,
       CASE WHEN status = :waiting THEN NULL ELSE substr(decided_at, 1, 10) END,
       count(*)
FROM judged
WHERE status = :waiting OR reviewer_id IS NOT NULL
GROUP BY 1, 2, 3, 4
""")


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


_BATCH = 500


def _verdict_key(statement: ReviewStatement) -> tuple[int, dt.datetime, str]:
    """Later revision first wins, then later time, then id (a stable tie-break)."""
    return (statement.revision, statement.created_at, statement.id)


class ReviewRepository(Repository):
    """Review statements about entry revisions (``uow.reviews``). Nothing is ever changed."""

    def add(self, statement: ReviewStatement) -> None:
        """Store a statement; its (entry, revision) must exist."""
        self._insert(_STMT, to_row(statement))

    def add_many(self, statements: Sequence[ReviewStatement]) -> int:
        """Bulk-insert statements (demo generator, bundle import)."""
        return self._insert_many(_STMT, [to_row(s) for s in statements])

    def withdraw_unsent(self, statement_id: str) -> bool:
        """Remove a statement that was never signed (so never left this PC): its author
        undid it. A signed statement is never removed; returns whether one was."""
        result = self._session.execute(_STMT.delete().where(
            (_STMT.c.id == statement_id) & _STMT.c.signature.is_(None)))
        return int(getattr(result, "rowcount", 0) or 0) > 0

    def get(self, statement_id: str) -> ReviewStatement:
        """One statement, or ``NotFound``."""
        return self._get(ReviewStatement, _STMT, _STMT.c.id == statement_id, "statement",
                         statement_id)

    def find(self, statement_id: str) -> ReviewStatement | None:
        """One statement, or ``None``."""
        return self._one(ReviewStatement, _STMT, _STMT.c.id == statement_id)

    def existing_ids(self, statement_ids: Iterable[str]) -> set[str]:
        """Which of these statement ids are stored (bundle import)."""
        ids = list(dict.fromkeys(statement_ids))
        found: set[str] = set()
        for start in range(0, len(ids), _BATCH):
            stmt = select(_STMT.c.id).where(_STMT.c.id.in_(ids[start : start + _BATCH]))
            found.update(str(r[0]) for r in self._session.execute(stmt))
        return found

    def signatures_of(self, statement_ids: Iterable[str]) -> dict[str, bytes | None]:
        """The signature of each of these statements that is stored (bundle import)."""
        ids = list(dict.fromkeys(statement_ids))
        found: dict[str, bytes | None] = {}
        for start in range(0, len(ids), _BATCH):
            stmt = (select(_STMT.c.id, _STMT.c.signature)
                    .where(self._in_bound(_STMT.c.id, ids[start : start + _BATCH])))
            found.update((str(r[0]), r[1]) for r in self._session.execute(stmt))
        return found

    def list_for_entry(self, entry_id: str) -> list[ReviewStatement]:
        """Every statement about an entry, in order (revision, time, id)."""
        stmt = (select(_STMT).where(_STMT.c.entry_id == entry_id)
                .order_by(_STMT.c.revision, _STMT.c.created_at, _STMT.c.id))
        return self._all(ReviewStatement, stmt)

    def list_for_entries(self, entry_ids: Iterable[str]) -> dict[str, list[ReviewStatement]]:
        """Statements about several entries, grouped by entry (every id present in the result)."""
        ids = list(dict.fromkeys(entry_ids))
        grouped: dict[str, list[ReviewStatement]] = {i: [] for i in ids}
        for start in range(0, len(ids), _BATCH):
            part = ids[start : start + _BATCH]
            stmt = (select(_STMT).where(_STMT.c.entry_id.in_(part))
                    .order_by(_STMT.c.revision, _STMT.c.created_at, _STMT.c.id))
            for statement in self._all(ReviewStatement, stmt):
                grouped[statement.entry_id].append(statement)
        return grouped

    def list_by_reviewer(
        self, reviewer_id: str, *, since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[ReviewStatement]:
        """What a reviewer stated, oldest first (for the leader's own delay report)."""
        stmt = select(_STMT).where(_STMT.c.reviewer_id == reviewer_id)
        if since is not None:
            stmt = stmt.where(_STMT.c.created_at >= since)
        if until is not None:
            stmt = stmt.where(_STMT.c.created_at < until)
        return self._all(ReviewStatement, stmt.order_by(_STMT.c.created_at, _STMT.c.id))

    def latest_verdicts(self, entry_ids: Iterable[str]) -> dict[str, ReviewStatement]:
        """The latest confirm/return per entry (entries without one are absent)."""
        result: dict[str, ReviewStatement] = {}
        for entry_id, statements in self.list_for_entries(entry_ids).items():
            verdicts = [s for s in statements if s.kind.is_verdict]
            if verdicts:
                result[entry_id] = max(verdicts, key=_verdict_key)
        return result

    def latest_verdict_times(self, entry_ids: Iterable[str]
                             ) -> dict[str, tuple[StatementKind, int, dt.datetime]]:
        """The latest confirm/return per entry as (kind, revision, time) — the order of
        :meth:`latest_verdicts`, read narrowly (bundle import: the status of every entry
        it touched); entries without one are absent."""
        ids = list(dict.fromkeys(entry_ids))
        found: dict[str, tuple[int, dt.datetime, str, StatementKind]] = {}
        verdicts = [k for k in StatementKind if k.is_verdict]
        for start in range(0, len(ids), _BATCH):
            stmt = (select(_STMT.c.entry_id, _STMT.c.revision, _STMT.c.created_at, _STMT.c.id,
                           _STMT.c.kind)
                    .where(self._in_bound(_STMT.c.entry_id, ids[start : start + _BATCH]))
                    .where(_STMT.c.kind.in_(verdicts)))
            for entry_id, revision, created_at, statement_id, kind in self._session.execute(stmt):
                key = (revision, created_at, statement_id, kind)
                if entry_id not in found or key[:3] > found[entry_id][:3]:
                    found[entry_id] = key
        return {entry_id: (kind, revision, at)
                for entry_id, (revision, at, _id, kind) in found.items()}

    def verdict_days(self, person_ids: Iterable[str], start: dt.date, end: dt.date
                     ) -> list[VerdictDays]:
        """:meth:`verdict_timings` counted by the database: for the entries of ``person_ids``
        worked from ``start`` to ``end``, how many a reviewer judged (latest confirm/return,
        as :meth:`latest_verdicts` picks it) on each (UTC day the judged revision was
        submitted, UTC day of the verdict), and how many wait for review per person
        (status submitted). Entries neither judged nor waiting are left out. A month of a
        300-person unit is 38,000 entries and ~3,400 rows here (the unit summary)."""
        kinds = [k.value for k in StatementKind if k.is_verdict]
        rows = self._session.execute(_VERDICT_DAYS, {
            "ids": json_list(person_ids), "start": start.isoformat(),
            "end": end.isoformat(), "kinds": json.dumps(kinds),
            "waiting": EntryStatus.SUBMITTED.value})
        return [VerdictDays(reviewer, waiting, _day(submitted), _day(decided), count)
                for reviewer, waiting, submitted, decided, count in rows]

    def verdict_timings(self, person_ids: Iterable[str], start: dt.date, end: dt.date
                        ) -> list[VerdictTiming]:
        """Every entry of ``person_ids`` worked from ``start`` to ``end`` with its latest
        confirm/return (as :meth:`latest_verdicts` picks it) and the submission time of the
        revision it judged: one narrow query instead of whole entries, statements and
        revisions (the unit summary's review delays)."""
        kinds = [k for k in StatementKind if k.is_verdict]
        stmt = (
            select(_ENTRY.c.id, _ENTRY.c.person_id, _ENTRY.c.status, _STMT.c.reviewer_id,
                   _STMT.c.revision, _STMT.c.created_at, _STMT.c.id.label("statement_id"),
                   _REVISION.c.created_at.label("submitted_at"))
            .select_from(_ENTRY)
            .outerjoin(_STMT, and_(_STMT.c.entry_id == _ENTRY.c.id, _STMT.c.kind.in_(kinds)))
            .outerjoin(_REVISION, and_(_REVISION.c.entry_id == _STMT.c.entry_id,
                                       _REVISION.c.revision == _STMT.c.revision))
            .where(self._in(_ENTRY.c.person_id, list(person_ids)))
            .where(_ENTRY.c.work_date.between(start, end))
            .order_by(_ENTRY.c.person_id, _ENTRY.c.work_date, _ENTRY.c.created_at, _ENTRY.c.id))
        found: dict[str, VerdictTiming] = {}
        keys: dict[str, tuple[int, dt.datetime, str]] = {}
        for row in self._session.execute(stmt):
            if row.statement_id is None:
                found.setdefault(row.id, VerdictTiming(row.id, row.person_id, row.status,
                                                       None, None, None))
                continue
            key = (row.revision, row.created_at, row.statement_id)
            if row.id not in keys or key > keys[row.id]:
                keys[row.id] = key
                found[row.id] = VerdictTiming(row.id, row.person_id, row.status,
                                              row.reviewer_id, row.submitted_at, row.created_at)
        return list(found.values())

    def tallies(self, entry_ids: Iterable[str]) -> dict[str, ReviewTally]:
        """The scoring inputs per entry: failed reviews, delays, exemption, latest verdict.

        Every requested id is in the result (an entry nobody reviewed gets an empty tally).
        """
        result: dict[str, ReviewTally] = {}
        for entry_id, statements in self.list_for_entries(entry_ids).items():
            verdicts = [s for s in statements if s.kind.is_verdict]
            quality = [s for s in statements if s.kind.waives_quality]
            timeliness = [s for s in statements if s.kind.waives_timeliness]
            latest = max(verdicts, key=_verdict_key) if verdicts else None
            result[entry_id] = ReviewTally(
                entry_id=entry_id,
                failed_reviews=sum(s.kind is StatementKind.QUALITY_FAILED for s in statements),
                delays=sum(s.kind is StatementKind.DELAY for s in statements),
                quality_cause=bool(quality), timeliness_cause=bool(timeliness),
                quality_cause_reason=_reasons(quality),
                timeliness_cause_reason=_reasons(timeliness),
                verdict=None if latest is None else latest.kind,
                verdict_revision=None if latest is None else latest.revision,
                verdict_reason="" if latest is None else latest.reason,
                verdict_at=None if latest is None else latest.created_at,
            )
        return result


def _reasons(statements: list[ReviewStatement]) -> str:
    """The reasons of the cause statements about one entry, oldest first, once each."""
    ordered = sorted(statements, key=lambda s: (s.created_at, s.id))
    return "; ".join(dict.fromkeys(s.reason for s in ordered if s.reason))
