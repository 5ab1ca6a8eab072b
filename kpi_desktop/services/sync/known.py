"""The preload cache of one import: what a bundle's records look up, loaded in a few queries,
and the entries, revisions and statements they add, written in bulk (issue 8)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import EntryRevision, ReviewStatement, WorkLogEntry
from kpi_desktop.domain.values import normalize_text
from kpi_desktop.storage.repositories.worklog import EntryHead, RevisionHead

__all__ = ["Known", "json_object"]


def json_object(text: str, what: str) -> dict[str, Any]:
    """A JSON object from text (``bundle_malformed`` otherwise)."""
    try:
        value = json.loads(text)
    except ValueError:
        raise RefusedValue("bundle_malformed", file=what, detail="snapshot") from None
    if not isinstance(value, dict):
        raise RefusedValue("bundle_malformed", file=what, detail="snapshot")
    return value


@dataclass
class _Wanted:
    """The ids a bundle's records speak about, gathered before the bulk reads."""

    entry_ids: set[str] = field(default_factory=set)  # entries revisions speak about
    spoken_of: set[str] = field(default_factory=set)  # entries statements speak about
    people: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    assignments: set[str] = field(default_factory=set)
    numbered: set[tuple[str, int]] = field(default_factory=set)  # (entry, revision)


class Known:
    """What importing one bundle's records reads from the database, loaded in a few queries
    (:meth:`preload`) instead of a dozen single-row queries a record, and the entries,
    revisions and statements it adds, written in bulk by :meth:`flush` (issue 8).

    Every lookup falls back to a query for what was not preloaded, and sees what this import
    added before the flush (a statement about a revision of the same bundle)."""

    def __init__(self, uow: Any) -> None:
        self._uow = uow
        self._keys: dict[str, model.PersonKey | None] = {}
        self._people: dict[str, model.Person | None] = {}
        self._items: dict[str, bool] = {}
        self._assignments: dict[str, bool] = {}
        # The stored assignment of each id a bundle's assignment records carry (``None``:
        # not stored); an id written by the import is dropped and read again if asked.
        self._stored_assignments: dict[str, model.Assignment | None] = {}
        self._relations: dict[str, list[model.EvaluatorRelation]] = {}
        self._entries: dict[str, WorkLogEntry | None] = {}
        # Entries only statements speak about: what they check (``entry_head``).
        self._heads: dict[str, EntryHead | None] = {}
        # Stored revisions (narrow: what the apply steps compare) and those this import adds.
        self._revisions: dict[tuple[str, int], EntryRevision | RevisionHead] = {}
        self._revisions_of: set[str] = set()  # entries whose stored revisions are loaded
        self._statements: dict[str, bool] = {}
        self._statement_signatures: dict[str, bytes | None] = {}
        self._new_entries: dict[str, WorkLogEntry] = {}
        self._changed_entries: dict[str, WorkLogEntry] = {}
        self._new_revisions: list[EntryRevision] = []
        self._new_statements: list[ReviewStatement] = []
        # The bundle's entry snapshots parsed once (text → JSON object), for every step
        # that reads them (preload, the apply step, the clock check).
        self._snapshots: dict[str, dict[str, Any]] = {}

    def preload(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Load, in bulk, what the records of a bundle's payload will look up."""
        self._preload_keys(rows)
        wanted = self._spoken_of(rows)
        self._preload_assignments(rows.get("assignments", []))
        self._preload_entries(wanted)
        self._preload_statements(rows)
        self._preload_people_items_assignments(wanted)

    def _preload_keys(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        fps = {str(r["key_fingerprint"]) for part in rows.values() for r in part
               if isinstance(r, dict) and isinstance(r.get("key_fingerprint"), str)}
        found = self._uow.org.find_keys(sorted(fps - set(self._keys)))
        self._keys.update({fp: found.get(fp) for fp in fps if fp not in self._keys})

    def _spoken_of(self, rows: dict[str, list[dict[str, Any]]]) -> _Wanted:
        """The ids the bundle's records speak about (each snapshot parsed once here)."""
        wanted = _Wanted()
        for row in rows.get("revisions", []):
            if isinstance(row, dict) and isinstance(row.get("entry_id"), str):
                wanted.entry_ids.add(row["entry_id"])
                if type(row.get("revision")) is int:
                    wanted.numbered.add((row["entry_id"], row["revision"]))
            snapshot = self._parse_snapshot(row)
            if snapshot is None:
                continue  # refused with its reason when the record is applied
            for name, into in (("person_id", wanted.people),
                               ("catalog_item_id", wanted.items),
                               ("assignment_id", wanted.assignments)):
                if isinstance(snapshot.get(name), str):
                    into.add(snapshot[name])
        for row in rows.get("statements", []):
            if isinstance(row, dict) and isinstance(row.get("entry_id"), str):
                wanted.spoken_of.add(row["entry_id"])
        for name in ("assignments", "evaluations"):
            for row in rows.get(name, []):
                if isinstance(row, dict) and isinstance(row.get("person_id"), str):
                    wanted.people.add(row["person_id"])
        for row in rows.get("assignments", []):
            if isinstance(row, dict) and isinstance(row.get("catalog_item_id"), str):
                wanted.items.add(row["catalog_item_id"])
        return wanted

    def _parse_snapshot(self, row: Any) -> dict[str, Any] | None:
        text = row.get("snapshot_json") if isinstance(row, dict) else None
        if not isinstance(text, str):
            return None
        try:
            snapshot = json.loads(text)
        except ValueError:
            return None
        if not isinstance(snapshot, dict):
            return None
        self._snapshots[text] = snapshot
        return snapshot

    def _preload_entries(self, wanted: _Wanted) -> None:
        uow = self._uow
        revisions_wanted = sorted((wanted.entry_ids | wanted.spoken_of) - self._revisions_of)
        if revisions_wanted:
            for key, revision in uow.worklog.revision_heads(revisions_wanted).items():
                self._revisions.setdefault(key, revision)
            self._revisions_of |= set(revisions_wanted)
        # Read whole: the entries a revision not stored yet may create or replace (one only
        # stored before is a duplicate, its entry never read; any other is read when asked).
        fresh = {entry_id for entry_id, number in wanted.numbered
                 if (entry_id, number) not in self._revisions}
        whole = sorted(fresh - set(self._entries))
        if whole:
            entries = uow.worklog.get_many(whole)
            for entry_id in whole:
                self._entries[entry_id] = entries.get(entry_id)
            wanted.people |= {e.person_id for e in entries.values()}
        heads_wanted = sorted(wanted.spoken_of - fresh - set(self._entries) - set(self._heads))
        if heads_wanted:
            heads = uow.worklog.entry_heads(heads_wanted)
            for entry_id in heads_wanted:
                self._heads[entry_id] = heads.get(entry_id)
            wanted.people |= {h.person_id for h in heads.values()}

    def _preload_statements(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        statement_ids = [str(r["id"]) for r in rows.get("statements", [])
                         if isinstance(r, dict) and isinstance(r.get("id"), str)]
        stored = self._uow.reviews.signatures_of(statement_ids)
        for statement_id in statement_ids:
            self._statements.setdefault(statement_id, statement_id in stored)
            if statement_id in stored:
                self._statement_signatures.setdefault(statement_id, stored[statement_id])

    def _preload_people_items_assignments(self, wanted: _Wanted) -> None:
        uow = self._uow
        people = wanted.people - set(self._people)
        found_people = uow.org.get_people(sorted(people))
        self._people.update({p: found_people.get(p) for p in people})
        self._load_relations(people)
        items = wanted.items - set(self._items)
        found_items = uow.catalog.get_items(sorted(items))
        self._items.update({i: i in found_items for i in items})
        assignments = wanted.assignments - {a for a, known in self._assignments.items()
                                            if known}
        found_assignments = uow.assignments.get_many(sorted(assignments))
        self._assignments.update({a: a in found_assignments for a in assignments})

    def preload_keys_and_revisions(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Load only what deciding which signatures to verify needs: the signing keys and
        the stored revisions of the entries the records speak about (a bundle read ahead)."""
        fps = {str(r["key_fingerprint"]) for part in rows.values() for r in part
               if isinstance(r, dict) and isinstance(r.get("key_fingerprint"), str)}
        found = self._uow.org.find_keys(sorted(fps - set(self._keys)))
        self._keys.update({fp: found.get(fp) for fp in fps if fp not in self._keys})
        entry_ids = {r["entry_id"] for name in ("revisions", "statements")
                     for r in rows.get(name, [])
                     if isinstance(r, dict) and isinstance(r.get("entry_id"), str)}
        wanted = sorted(entry_ids - self._revisions_of)
        if wanted:
            for key, revision in self._uow.worklog.revision_heads(wanted).items():
                self._revisions.setdefault(key, revision)
            self._revisions_of |= set(wanted)

    def _preload_assignments(self, rows: list[dict[str, Any]]) -> None:
        """The stored assignments the bundle's assignment records replace, in one query."""
        planned = sorted({str(r["id"]) for r in rows
                          if isinstance(r, dict) and isinstance(r.get("id"), str)}
                         - set(self._stored_assignments))
        if not planned:
            return
        stored = self._uow.assignments.get_many(planned)
        for assignment_id in planned:
            if assignment_id in stored:
                self._stored_assignments[assignment_id] = stored[assignment_id]
            elif normalize_text(assignment_id) == assignment_id:
                # Looked up as stored text (NFC, stripped): absent for ``find`` too.
                self._stored_assignments[assignment_id] = None

    def _load_relations(self, people: Iterable[str]) -> None:
        missing = sorted(set(people) - set(self._relations))
        if missing:
            self._relations.update(self._uow.org.relations_of_evaluatees(missing))

    # -- lookups ---------------------------------------------------------------------------

    def snapshot(self, text: str, what: str) -> dict[str, Any]:
        """An entry snapshot's JSON object (parsed once a bundle; ``bundle_malformed`` when
        it is not one). Callers never change it."""
        found = self._snapshots.get(text)
        if found is None:
            found = self._snapshots[text] = json_object(text, what)
        return found

    def key(self, fp: str) -> model.PersonKey | None:
        if fp not in self._keys:
            self._keys[fp] = self._uow.org.find_key(fp)
        return self._keys[fp]

    def person(self, person_id: str) -> model.Person | None:
        if person_id not in self._people:
            self._people[person_id] = self._uow.org.find_person(person_id)
        return self._people[person_id]

    def has_item(self, item_id: str) -> bool:
        if item_id not in self._items:
            self._items[item_id] = self._uow.catalog.find_item(item_id) is not None
        return self._items[item_id]

    def has_assignment(self, assignment_id: str) -> bool:
        """Whether the assignment is stored (assignments are applied before revisions; one
        not found is looked up again: it may have arrived since)."""
        if not self._assignments.get(assignment_id):
            self._assignments[assignment_id] = (
                self._uow.assignments.find(assignment_id) is not None)
        return self._assignments[assignment_id]

    def assignment(self, assignment_id: str) -> model.Assignment | None:
        """The stored assignment (``uow.assignments.find``), preloaded for the bundle's
        assignment records."""
        if assignment_id not in self._stored_assignments:
            self._stored_assignments[assignment_id] = self._uow.assignments.find(assignment_id)
        return self._stored_assignments[assignment_id]

    def assignment_written(self, assignment_id: str) -> None:
        """The import added or changed this assignment: read it again when asked."""
        self._stored_assignments.pop(assignment_id, None)

    def evaluators(self, person_id: str, days: Iterable[dt.date]) -> set[str]:
        """Who evaluates ``person_id`` on any of ``days`` (``uow.org.evaluators_of``)."""
        self._load_relations([person_id])
        relations = self._relations[person_id]
        return {r.evaluator_id for day in days for r in relations if r.active_on(day)}

    def entry(self, entry_id: str) -> WorkLogEntry | None:
        if entry_id in self._new_entries:
            return self._new_entries[entry_id]
        if entry_id in self._changed_entries:
            return self._changed_entries[entry_id]
        if entry_id not in self._entries:
            self._entries[entry_id] = self._uow.worklog.find(entry_id)
        return self._entries[entry_id]

    def entry_head(self, entry_id: str) -> WorkLogEntry | EntryHead | None:
        """What is checked about an entry a statement speaks about (its author, work date,
        status and latest revision), as stored with what this import wrote."""
        if (entry_id in self._new_entries or entry_id in self._changed_entries
                or entry_id in self._entries):
            return self.entry(entry_id)
        if entry_id not in self._heads:
            self._heads[entry_id] = self._uow.worklog.entry_heads([entry_id]).get(entry_id)
        return self._heads[entry_id]

    def revision(self, entry_id: str, number: int) -> EntryRevision | RevisionHead | None:
        """A revision stored here or added by this import (what the apply steps compare:
        entry, number, author, snapshot hash, signature and key)."""
        if entry_id not in self._revisions_of:
            for key, revision in self._uow.worklog.revision_heads([entry_id]).items():
                self._revisions.setdefault(key, revision)
            self._revisions_of.add(entry_id)
        return self._revisions.get((entry_id, number))

    def has_statement(self, statement_id: str) -> bool:
        if statement_id not in self._statements:
            found = self._uow.reviews.find(statement_id)
            self._statements[statement_id] = found is not None
            if found is not None:
                self._statement_signatures[statement_id] = found.signature
        return self._statements[statement_id]

    def statement_signature(self, statement_id: str) -> bytes | None:
        """The signature of a statement stored here (``None``: not stored or unsigned)."""
        return self._statement_signatures.get(statement_id)

    # -- writes (kept until flush) ---------------------------------------------------------

    def put_entry(self, entry: WorkLogEntry) -> None:
        """Insert or fully replace an entry row (``uow.sync.put_entry``)."""
        self._heads.pop(entry.id, None)  # read whole from now on
        self.entry(entry.id)
        if self._entries.get(entry.id) is None:
            self._new_entries[entry.id] = entry
        else:
            self._changed_entries[entry.id] = entry

    def add_revision(self, revision: EntryRevision) -> None:
        self.revision(revision.entry_id, revision.revision)
        self._revisions[(revision.entry_id, revision.revision)] = revision
        self._new_revisions.append(revision)

    def add_statement(self, statement: ReviewStatement) -> None:
        self._statements[statement.id] = True
        self._new_statements.append(statement)

    def flush(self) -> None:
        """Write what was added: entries, then their revisions, then statements."""
        uow = self._uow
        uow.bulk_insert(self._new_entries.values())
        for entry in self._changed_entries.values():
            uow.sync.put_entry(entry)
        uow.bulk_insert(self._new_revisions)
        uow.bulk_insert(self._new_statements)
        self._entries.update(self._new_entries)
        self._entries.update(self._changed_entries)
        self._new_entries, self._changed_entries = {}, {}
        self._new_revisions, self._new_statements = [], []
