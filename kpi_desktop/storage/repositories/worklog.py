"""Work-log repository: drafts, submission into frozen revisions, and the queries of the log.

An entry's row holds its latest editable state. Submitting freezes that state into an
:class:`EntryRevision` (canonical JSON snapshot + SHA-256), which is what gets signed, reviewed
and synchronised; a submitted or confirmed entry cannot be edited, only revised after a return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import func, select

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.model import EntryRevision, EntryStatus, WorkLogEntry
from kpi_desktop.domain.values import Period, normalize_text
from kpi_desktop.storage.orm import EntryRevisionRow, WorkLogEntryRow
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_ENTRY = table_of(WorkLogEntryRow)
_REVISION = table_of(EntryRevisionRow)

# States in which the author may still change an entry.
EDITABLE = frozenset({EntryStatus.DRAFT, EntryStatus.RETURNED})

# Columns that only :meth:`WorkLogRepository.submit` / ``set_status`` change.
_WORKFLOW_FIELDS = ("status", "current_revision", "confirmed_revision", "signature",
                    "key_fingerprint", "created_at", "person_id", "id")


class EntryHead(NamedTuple):
    """What a bundle import checks about a stored entry a statement speaks about (narrow)."""

    id: str
    person_id: str
    work_date: dt.date
    status: EntryStatus
    current_revision: int


class RevisionHead(NamedTuple):
    """What a bundle import compares of a stored revision (narrow: no snapshot)."""

    entry_id: str
    revision: int
    author_id: str
    snapshot_sha256: str
    signature: bytes | None
    key_fingerprint: str | None


def snapshot_of(entry: WorkLogEntry) -> tuple[str, str]:
    """The canonical JSON snapshot of an entry and its SHA-256 (hex).

    Compute it from the entry as stored (``uow.worklog.get``): that is what
    :meth:`WorkLogRepository.submit` freezes, so a signature made over it matches.
    """
    return entry.snapshot_text()


class WorkLogRepository(Repository):
    """Work-log entries and their revisions (``uow.worklog``)."""

    # ---------------------------------------------------------------- writing ---------------

    def add_draft(self, entry: WorkLogEntry) -> None:
        """Store a new draft entry.

        Raises:
            InvalidState: ``entry_not_draft`` when ``entry`` is not a fresh draft (status DRAFT,
                revision 0); imports use :meth:`add_many`.
        """
        if entry.status is not EntryStatus.DRAFT or entry.current_revision != 0:
            raise InvalidState("entry_not_draft", entry_id=entry.id, status=entry.status.value)
        self._insert(_ENTRY, to_row(entry))

    def add_many(self, entries: Sequence[WorkLogEntry]) -> int:
        """Bulk-insert entries in any state (demo generator, bundle import); no checks."""
        return self._insert_many(_ENTRY, [to_row(e) for e in entries])

    def update_draft(self, entry: WorkLogEntry) -> None:
        """Save the editable fields of a draft or returned entry.

        Status, revision numbers, signature, author and creation time are kept as stored.

        Raises:
            NotFound: no such entry.
            InvalidState: ``entry_not_editable`` when it is submitted or confirmed.
        """
        stored = self.get(entry.id)
        if stored.status not in EDITABLE:
            raise InvalidState("entry_not_editable", entry_id=entry.id,
                               status=stored.status.value)
        if stored.person_id != entry.person_id:
            raise InvalidState("entry_author_changed", entry_id=entry.id)
        values = {k: v for k, v in to_row(entry).items() if k not in _WORKFLOW_FIELDS}
        self._update(_ENTRY, _ENTRY.c.id == entry.id, values)

    def delete_draft(self, entry_id: str) -> None:
        """Delete a draft that was never submitted.

        Raises:
            InvalidState: ``entry_not_deletable`` once the entry has a revision.
        """
        stored = self.get(entry_id)
        if stored.status is not EntryStatus.DRAFT or stored.current_revision != 0:
            raise InvalidState("entry_not_deletable", entry_id=entry_id,
                               status=stored.status.value)
        self._session.execute(_ENTRY.delete().where(_ENTRY.c.id == entry_id))

    def submit(
        self, entry_id: str, *, author_id: str, at: dt.datetime, reason: str = "",
        signature: bytes | None = None, key_fingerprint: str | None = None,
    ) -> EntryRevision:
        """Freeze the entry's current state as its next revision and mark it submitted.

        The first submission needs no reason; every later one (after a return) does.
        ``signature`` is the author's signature over the snapshot's UTF-8 bytes
        (:func:`snapshot_of`); it is stored on the revision and on the entry.

        Raises:
            InvalidState: ``entry_not_submittable`` unless the entry is a draft or returned.
            RefusedValue: ``revision_reason_missing`` for a resubmission without a reason.
        """
        entry = self.get(entry_id)
        if entry.status not in EDITABLE:
            raise InvalidState("entry_not_submittable", entry_id=entry_id,
                               status=entry.status.value)
        number = entry.current_revision + 1
        if number > 1 and not normalize_text(reason):
            raise RefusedValue("revision_reason_missing", entry_id=entry_id)
        text, digest = snapshot_of(entry)
        revision = EntryRevision(
            entry_id=entry_id, revision=number, snapshot_json=text, snapshot_sha256=digest,
            created_at=at, author_id=author_id, reason=reason, signature=signature,
            key_fingerprint=key_fingerprint,
        )
        self._insert(_REVISION, to_row(revision))
        self._update(_ENTRY, _ENTRY.c.id == entry_id, {
            "status": EntryStatus.SUBMITTED, "current_revision": number, "updated_at": at,
            "signature": signature, "key_fingerprint": key_fingerprint,
        })
        return revision

    def set_status(
        self, entry_id: str, status: EntryStatus, *, at: dt.datetime,
        confirmed_revision: int | None = None,
    ) -> None:
        """Record a review outcome: CONFIRMED (with the revision that counts) or RETURNED."""
        values: dict[str, object] = {"status": status, "updated_at": at}
        if status is EntryStatus.CONFIRMED:
            if confirmed_revision is None:
                raise RefusedValue("confirmed_revision_missing", entry_id=entry_id)
            values["confirmed_revision"] = confirmed_revision
        if self._update(_ENTRY, _ENTRY.c.id == entry_id, values) == 0:
            raise NotFound("not_found", kind="entry", id=entry_id)

    def reopen(self, entry_id: str, *, at: dt.datetime) -> None:
        """Back to SUBMITTED with no confirmed revision: the leader undid the verdict."""
        if self._update(_ENTRY, _ENTRY.c.id == entry_id,
                        {"status": EntryStatus.SUBMITTED, "updated_at": at,
                         "confirmed_revision": None}) == 0:
            raise NotFound("not_found", kind="entry", id=entry_id)

    def set_statuses(
        self, changes: Sequence[tuple[str, EntryStatus, dt.datetime, int | None]],
    ) -> None:
        """:meth:`set_status` for many entries at once, (entry id, status, at, confirmed
        revision) each, in two executemany statements (bundle import); no existence check."""
        confirmed = [(s, at, rev, i) for i, s, at, rev in changes if s is EntryStatus.CONFIRMED]
        others = [(s, at, i) for i, s, at, _rev in changes if s is not EntryStatus.CONFIRMED]
        if any(rev is None for _s, _at, rev, _i in confirmed):
            raise RefusedValue("confirmed_revision_missing",
                               entry_id=next(i for _s, _at, rev, i in confirmed if rev is None))
        self._update_rows(_ENTRY, ("status", "updated_at", "confirmed_revision"), ("id",),
                          confirmed)
        self._update_rows(_ENTRY, ("status", "updated_at"), ("id",), others)

    def add_revision(self, revision: EntryRevision) -> None:
        """Store a revision as received (bundle import); the entry row is not changed."""
        self._insert(_REVISION, to_row(revision))

    def add_revisions(self, revisions: Sequence[EntryRevision]) -> int:
        """Bulk-insert revisions (demo generator, bundle import)."""
        return self._insert_many(_REVISION, [to_row(r) for r in revisions])

    # ---------------------------------------------------------------- reading ---------------

    def get(self, entry_id: str) -> WorkLogEntry:
        """The entry, or ``NotFound``."""
        return self._get(WorkLogEntry, _ENTRY, _ENTRY.c.id == entry_id, "entry", entry_id)

    def find(self, entry_id: str) -> WorkLogEntry | None:
        """The entry, or ``None``."""
        return self._one(WorkLogEntry, _ENTRY, _ENTRY.c.id == entry_id)

    def get_many(self, entry_ids: Iterable[str]) -> dict[str, WorkLogEntry]:
        """The entries with these ids that exist, by id."""
        ids = list(dict.fromkeys(entry_ids))
        result: dict[str, WorkLogEntry] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for e in self._all(WorkLogEntry, select(_ENTRY).where(self._in_bound(_ENTRY.c.id,
                                                                                 part))):
                result[e.id] = e
        return result

    def entry_heads(self, entry_ids: Iterable[str]) -> dict[str, EntryHead]:
        """:class:`EntryHead` of each of these entries that exists, by id."""
        ids = list(dict.fromkeys(entry_ids))
        result: dict[str, EntryHead] = {}
        for start in range(0, len(ids), 500):
            stmt = select(_ENTRY.c.id, _ENTRY.c.person_id, _ENTRY.c.work_date, _ENTRY.c.status,
                          _ENTRY.c.current_revision).where(
                              self._in_bound(_ENTRY.c.id, ids[start : start + 500]))
            result.update((r[0], EntryHead(*r)) for r in self._session.execute(stmt))
        return result

    def revision_heads(self, entry_ids: Iterable[str]
                       ) -> dict[tuple[str, int], RevisionHead]:
        """:class:`RevisionHead` of every revision of these entries, by (entry, number)."""
        ids = list(dict.fromkeys(entry_ids))
        found: dict[tuple[str, int], RevisionHead] = {}
        for start in range(0, len(ids), 500):
            stmt = select(_REVISION.c.entry_id, _REVISION.c.revision, _REVISION.c.author_id,
                          _REVISION.c.snapshot_sha256, _REVISION.c.signature,
                          _REVISION.c.key_fingerprint).where(
                              self._in_bound(_REVISION.c.entry_id, ids[start : start + 500]))
            found.update(((r[0], r[1]), RevisionHead(*r)) for r in self._session.execute(stmt))
        return found

    def authors_of(self, entry_ids: Iterable[str]) -> dict[str, str]:
        """The author of each of these entries that exists, by entry id (one narrow query
        per 500 ids)."""
        ids = list(dict.fromkeys(entry_ids))
        result: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            stmt = select(_ENTRY.c.id, _ENTRY.c.person_id).where(
                _ENTRY.c.id.in_(ids[start : start + 500]))
            result.update((str(r[0]), str(r[1])) for r in self._session.execute(stmt))
        return result

    def revisions(self, entry_id: str) -> list[EntryRevision]:
        """Every revision of an entry, oldest first."""
        return self._all(EntryRevision, select(_REVISION).where(_REVISION.c.entry_id == entry_id)
                         .order_by(_REVISION.c.revision))

    def revisions_of(self, entry_ids: Iterable[str]) -> dict[tuple[str, int], EntryRevision]:
        """Every revision of these entries, keyed by (entry id, revision number)."""
        ids = list(dict.fromkeys(entry_ids))
        found: dict[tuple[str, int], EntryRevision] = {}
        for start in range(0, len(ids), 500):  # stay far below SQLite's variable limit
            stmt = select(_REVISION).where(_REVISION.c.entry_id.in_(ids[start:start + 500]))
            for revision in self._all(EntryRevision, stmt):
                found[(revision.entry_id, revision.revision)] = revision
        return found

    def get_revision(self, entry_id: str, revision: int) -> EntryRevision:
        """One revision, or ``NotFound``."""
        return self._get(EntryRevision, _REVISION,
                         (_REVISION.c.entry_id == entry_id) & (_REVISION.c.revision == revision),
                         "entry_revision", f"{entry_id}#{revision}")

    def list_for_person(
        self, person_id: str, start: dt.date, end: dt.date, *,
        statuses: Iterable[EntryStatus] | None = None,
    ) -> list[WorkLogEntry]:
        """A person's entries with ``start <= work_date <= end``, by date then creation."""
        stmt = (select(_ENTRY).where(_ENTRY.c.person_id == person_id)
                .where(_ENTRY.c.work_date.between(start, end)))
        if statuses is not None:
            stmt = stmt.where(_ENTRY.c.status.in_(list(statuses)))
        return self._all(WorkLogEntry, stmt.order_by(_ENTRY.c.work_date, _ENTRY.c.created_at,
                                                     _ENTRY.c.id))

    def list_for_period(
        self, person_id: str, period: Period | str, *,
        statuses: Iterable[EntryStatus] | None = None,
    ) -> list[WorkLogEntry]:
        """A person's entries whose work date lies in ``period``."""
        p = period if isinstance(period, Period) else Period.parse(period)
        return self.list_for_person(person_id, p.start, p.end, statuses=statuses)

    def list_for_people(
        self, person_ids: Iterable[str], *, start: dt.date | None = None,
        end: dt.date | None = None, statuses: Iterable[EntryStatus] | None = None,
    ) -> list[WorkLogEntry]:
        """Entries of several people (a leader's inbox), by person, date, creation."""
        stmt = select(_ENTRY).where(self._in(_ENTRY.c.person_id, list(person_ids)))
        if start is not None:
            stmt = stmt.where(_ENTRY.c.work_date >= start)
        if end is not None:
            stmt = stmt.where(_ENTRY.c.work_date <= end)
        if statuses is not None:
            stmt = stmt.where(_ENTRY.c.status.in_(list(statuses)))
        return self._all(WorkLogEntry, stmt.order_by(_ENTRY.c.person_id, _ENTRY.c.work_date,
                                                     _ENTRY.c.created_at, _ENTRY.c.id))

    def list_by_status(self, status: EntryStatus, *,
                       person_ids: Iterable[str] | None = None) -> list[WorkLogEntry]:
        """Entries in one state (e.g. everything SUBMITTED), optionally for some people."""
        stmt = select(_ENTRY).where(_ENTRY.c.status == status)
        if person_ids is not None:
            stmt = stmt.where(self._in(_ENTRY.c.person_id, list(person_ids)))
        return self._all(WorkLogEntry, stmt.order_by(_ENTRY.c.person_id, _ENTRY.c.work_date,
                                                     _ENTRY.c.created_at, _ENTRY.c.id))

    def submitted_since(self, person_ids: Iterable[str]
                        ) -> list[tuple[str, dt.date, dt.datetime]]:
        """(person, work date, submission time) of every SUBMITTED entry of ``person_ids``:
        three columns instead of whole entries (overdue counts over many inboxes)."""
        stmt = (select(_ENTRY.c.person_id, _ENTRY.c.work_date, _ENTRY.c.updated_at)
                .where(_ENTRY.c.status == EntryStatus.SUBMITTED)
                .where(self._in(_ENTRY.c.person_id, list(person_ids))))
        return [(r.person_id, r.work_date, r.updated_at) for r in self._session.execute(stmt)]

    def list_for_assignments(self, assignment_ids: Iterable[str]) -> list[WorkLogEntry]:
        """Entries that fulfil any of these assignments."""
        ids = list(assignment_ids)
        if not ids:
            return []
        stmt = (select(_ENTRY).where(_ENTRY.c.assignment_id.in_(ids))
                .order_by(_ENTRY.c.work_date, _ENTRY.c.created_at, _ENTRY.c.id))
        return self._all(WorkLogEntry, stmt)

    def last_work_dates(self, person_ids: Iterable[str]) -> dict[str, dt.date]:
        """Each person's latest work date with an entry (people without any are absent)."""
        ids = list(person_ids)
        if not ids:
            return {}
        stmt = (select(_ENTRY.c.person_id, func.max(_ENTRY.c.work_date))
                .where(_ENTRY.c.person_id.in_(ids)).group_by(_ENTRY.c.person_id))
        return {str(p): d for p, d in self._session.execute(stmt) if d is not None}

    def count_by_status(self, person_ids: Iterable[str] | None = None) -> dict[EntryStatus, int]:
        """How many entries are in each state (optionally for some people)."""
        stmt = select(_ENTRY.c.status, func.count()).group_by(_ENTRY.c.status)
        if person_ids is not None:
            stmt = stmt.where(self._in(_ENTRY.c.person_id, list(person_ids)))
        return {EntryStatus(s): int(n) for s, n in self._session.execute(stmt)}
