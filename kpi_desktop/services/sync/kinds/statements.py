"""Review statements: a leader's confirm, return, quality or delay verdict about one revision.

* Signed: every field, and the SHA-256 of the revision it is about (it cannot be moved to
  another version of the entry).
* Author: an evaluator of the entry's author on the work date or today; never the author.
* Receipt key: ``stmt:<id>``.
* Supersession: statements never change (same id, other signature: a conflict); they add up,
  and the entry's status follows the latest verdict by the one rule of ``domain.workflow`` —
  the same rule the leader's own review uses.
* Travels: to the entry's author and the agency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import ReviewStatement
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.domain.workflow import status_after_verdict
from kpi_desktop.services.sync.kinds.base import (
    APPLIED,
    DUPLICATE,
    HELD,
    ExportContext,
    ImportContext,
    RecordKind,
)
from kpi_desktop.sync.records import from_json, to_json
from kpi_desktop.sync.signing import statement_bytes

__all__ = ["SignedStatement", "ReviewStatementKind"]


@dataclass(frozen=True)
class SignedStatement:
    """A statement with the hash of the revision it is about (part of what is signed)."""

    statement: ReviewStatement
    revision_sha256: str

    @property
    def signature(self) -> bytes | None:
        return self.statement.signature

    @property
    def key_fingerprint(self) -> str | None:
        return self.statement.key_fingerprint


class ReviewStatementKind(RecordKind[SignedStatement]):
    name = "statement"
    file = "statements"
    authors = "an evaluator of the entry's author (never the author)"
    record_type = ReviewStatement

    def parse(self, row: Mapping[str, Any]) -> SignedStatement:
        sha = row.get("revision_sha256")
        if not isinstance(sha, str):
            raise RefusedValue("bundle_malformed", file="statements", detail="revision_sha256")
        return SignedStatement(from_json(ReviewStatement, row), sha)

    def to_row(self, record: SignedStatement, uow: Any) -> dict[str, Any]:
        return {**to_json(record.statement), "revision_sha256": record.revision_sha256}

    def signed_forms(self, record: SignedStatement) -> Sequence[bytes]:
        return (statement_bytes(record.statement, record.revision_sha256),)

    def author(self, record: SignedStatement) -> str | None:
        return record.statement.reviewer_id

    def signed_at(self, record: SignedStatement) -> dt.datetime | None:
        return record.statement.created_at

    def item_key(self, record: SignedStatement) -> str:
        return f"stmt:{record.statement.id}"

    def rank(self, record: SignedStatement) -> tuple[Any, ...]:
        s = record.statement
        return (s.revision, s.created_at, s.id)

    def subject(self, record: SignedStatement) -> str:
        return f"entry:{record.statement.entry_id}"

    def bundle_kind(self, record: SignedStatement) -> str:
        return "review"

    def with_signature(self, record: SignedStatement, signature: bytes,
                       fingerprint: str) -> SignedStatement:
        import dataclasses

        return SignedStatement(dataclasses.replace(
            record.statement, signature=signature, key_fingerprint=fingerprint),
            record.revision_sha256)

    def check_author(self, record: SignedStatement, ctx: ImportContext) -> None:
        statement = record.statement
        entry = ctx.known.entry_head(statement.entry_id)
        if entry is None:
            raise NotFound("not_found", kind="entry", id=statement.entry_id)
        allowed = ctx.evaluators(entry.person_id, (entry.work_date, ctx.today))
        if statement.reviewer_id not in allowed or statement.reviewer_id == entry.person_id:
            raise RefusedValue("bundle_signer_not_allowed", kind="statement",
                               person=statement.reviewer_id)

    # ---------------------------------------------------------------- export ---------------

    def outgoing(self, ctx: ExportContext) -> Iterable[tuple[str, SignedStatement]]:
        uow = ctx.uow
        if ctx.is_agency:
            return
        statements = uow.sync.statements_by_reviewers([ctx.owner_id])
        authors = uow.worklog.authors_of({s.entry_id for s in statements})
        revisions = uow.sync.revision_hashes({(s.entry_id, s.revision) for s in statements})
        signed: list[SignedStatement] = []  # signed now: stored together below
        records = [self.sign_if_needed(SignedStatement(statement, sha), ctx.key, signed.append,
                                       immutable=True)
                   for statement in statements
                   if (sha := revisions.get((statement.entry_id, statement.revision)))
                   is not None]
        uow.sync.set_statement_signatures([(r.statement.id, r.signature, r.key_fingerprint)
                                           for r in signed])
        for record in records:
            statement = record.statement
            author = authors.get(statement.entry_id)
            if author is not None and author in ctx.evaluatees:
                yield author, record
            if ctx.to_agency:
                yield AGENCY, record

    # ---------------------------------------------------------------- import ---------------

    def apply(self, record: SignedStatement, ctx: ImportContext) -> str:
        statement = record.statement
        what = self.item_key(record)
        self.verify(record, ctx)
        revision = ctx.known.revision(statement.entry_id, statement.revision)
        if revision is None:
            return HELD  # not acknowledged: the sender sends it again with its revision
        if revision.snapshot_sha256 != record.revision_sha256:
            raise RefusedValue("bundle_record_conflict", record=what)
        self.check_author(record, ctx)
        if ctx.known.has_statement(statement.id):
            stored = ctx.known.statement_signature(statement.id)
            if stored is not None and stored != statement.signature:
                raise RefusedValue("bundle_record_conflict", record=what)
            return DUPLICATE
        ctx.known.add_statement(statement)
        ctx.touched.add(statement.entry_id)
        return APPLIED

    def finish(self, ctx: ImportContext) -> None:
        ctx.known.flush()
        refresh_status(ctx)

    def stored(self, uow: Any) -> Iterable[SignedStatement]:
        for statement, sha in uow.sync.iter_signed("statements"):
            yield SignedStatement(statement, sha)


def refresh_status(ctx: ImportContext) -> None:
    """The status of every entry this import touched, by ``domain.workflow``'s one rule."""
    ids = sorted(ctx.touched)
    if not ids:
        return
    verdicts = ctx.uow.reviews.latest_verdict_times(ids)
    changes: list[tuple[str, Any, dt.datetime, int | None]] = []
    for entry_id in ids:
        entry = ctx.known.entry_head(entry_id)  # as stored, with what this import wrote
        if entry is None:
            raise NotFound("not_found", kind="entry", id=entry_id)
        verdict, revision, at = verdicts.get(entry_id, (None, None, None))
        change = status_after_verdict(entry.status, entry.current_revision, verdict, revision)
        if change is not None:
            # The statement's own time, not the import time: same state in any order.
            changes.append((entry_id, change.status, at or ctx.now, change.confirmed_revision))
    ctx.uow.worklog.set_statuses(changes)

