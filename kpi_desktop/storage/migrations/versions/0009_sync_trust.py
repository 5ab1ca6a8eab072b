"""Trustworthy records, part 1 (issue 13: supersession, refusals).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

* signed per-subject versions: ``monthly_evaluations.self_version`` and ``confirm_version``
  (with ``reopened_at``/``reopen_reason``/``reopened_to_official``: a reopened month is a
  signed decision too) and
  ``assignments.version`` — "newer" is defined in signed data, never by arrival;
* ``sync_refusals``: records refused by rule, answered with a signed refusal so the sender
  stops sending them.

Existing rows keep version 0 (their signatures, made over the earlier canonical form, still
verify).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("monthly_evaluations") as batch:
        batch.add_column(sa.Column("self_version", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("confirm_version", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("reopened_at", sa.String(), nullable=True))
        batch.add_column(sa.Column("reopen_reason", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("reopened_to_official", sa.Boolean(), nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "sync_refusals",
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("peer_id", sa.String(), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("receipted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("direction", "peer_id", "item_key",
                                name=op.f("pk_sync_refusals")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("sync_refusals")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("monthly_evaluations") as batch:
        batch.drop_column("reopened_to_official")
        batch.drop_column("reopen_reason")
        batch.drop_column("reopened_at")
        batch.drop_column("confirm_version")
        batch.drop_column("self_version")
