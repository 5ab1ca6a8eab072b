"""Audit repository: append and read; there is deliberately no update or delete.

The database enforces the same rule with triggers (``audit_events_no_update`` /
``audit_events_no_delete``), so not even a hand-written statement can rewrite history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import insert, select

from kpi_desktop.domain.model import AuditEvent
from kpi_desktop.storage.orm import AuditEventRow
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_AUDIT = table_of(AuditEventRow)


def _row(event: AuditEvent) -> dict[str, object]:
    row = to_row(event)
    del row["id"]  # assigned by the database
    return row


class AuditRepository(Repository):
    """The append-only audit log (``uow.audit``)."""

    def append(self, event: AuditEvent) -> AuditEvent:
        """Add ``event``; returns it with the id the database gave it."""
        result = self._session.execute(insert(_AUDIT).values(**_row(event)))
        new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        return replace(event, id=int(new_id) if new_id is not None else None)

    def append_many(self, events: Sequence[AuditEvent]) -> int:
        """Add several events at once (imports)."""
        return self._insert_many(_AUDIT, [_row(e) for e in events])

    def list_events(
        self, *, object_type: str | None = None, object_id: str | None = None,
        actor_id: str | None = None, action: str | None = None,
        since: dt.datetime | None = None, until: dt.datetime | None = None,
        limit: int | None = None, newest_first: bool = False,
    ) -> list[AuditEvent]:
        """Events matching every filter given, in the order they were appended."""
        stmt = select(_AUDIT)
        if object_type is not None:
            stmt = stmt.where(_AUDIT.c.object_type == object_type)
        if object_id is not None:
            stmt = stmt.where(_AUDIT.c.object_id == object_id)
        if actor_id is not None:
            stmt = stmt.where(_AUDIT.c.actor_id == actor_id)
        if action is not None:
            stmt = stmt.where(_AUDIT.c.action == action)
        if since is not None:
            stmt = stmt.where(_AUDIT.c.at >= since)
        if until is not None:
            stmt = stmt.where(_AUDIT.c.at < until)
        stmt = stmt.order_by(_AUDIT.c.id.desc() if newest_first else _AUDIT.c.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        return self._all(AuditEvent, stmt)
