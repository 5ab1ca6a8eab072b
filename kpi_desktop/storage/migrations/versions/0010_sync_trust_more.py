"""Trustworthy records, part 2 (issue 13: held bundles, orphan discipline events).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

* ``bundle_log.signer``: the key that signed a bundle (a re-enrolled person's new PC starts
  its sequence numbers again under its new key: not a clone);
* ``sync_held``: a bundle whose sender's sequence number was already used by another bundle
  (a cloned PC, or one restored from an old backup) is held here, unapplied, until someone
  releases or discards it;
* discipline events recorded before a recorder was kept (``recorded_by`` empty) get one who
  can sign them: the person's evaluator on the decision date (the first by id), so they
  travel like every other event.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "sync_held",
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("recipient_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("header_sha256", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("held_at", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_held")),
    )
    op.create_index(op.f("ix_sync_held_sender_id_seq"), "sync_held", ["sender_id", "seq"],
                    unique=False)
    with op.batch_alter_table("bundle_log") as batch:
        batch.add_column(sa.Column("signer", sa.String(), nullable=True))
    op.execute(
        "UPDATE discipline_events SET recorded_by = ("
        " SELECT r.evaluator_id FROM evaluator_relations r"
        " WHERE r.evaluatee_id = discipline_events.person_id"
        " AND r.start_on <= discipline_events.decided_on"
        " AND (r.end_on IS NULL OR r.end_on >= discipline_events.decided_on)"
        " AND r.evaluator_id <> discipline_events.person_id"
        " ORDER BY r.id LIMIT 1)"
        " WHERE recorded_by IS NULL")


def downgrade() -> None:
    """Revert this revision (recorders found stay: they are correct)."""
    with op.batch_alter_table("bundle_log") as batch:
        batch.drop_column("signer")
    op.drop_index(op.f("ix_sync_held_sender_id_seq"), table_name="sync_held")
    op.drop_table("sync_held")
