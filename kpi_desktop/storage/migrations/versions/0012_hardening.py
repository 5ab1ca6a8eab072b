"""Hardened edges (issue 14: failed unlocks, hub quotas and tokens).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

* ``unlock_failures``: wrong passphrases in a row per key owner on this PC, and when the last
  one was typed (the delay after five failures survives a restart);
* an index of ``hub_bundles`` by sender and arrival, for the hub's per-sender daily quota.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "unlock_failures",
        sa.Column("owner_id", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_unlock_failures")),
    )
    op.create_index(
        op.f("ix_hub_bundles_sender_id_received_at"),
        "hub_bundles",
        ["sender_id", "received_at"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_hub_bundles_sender_id_received_at"), table_name="hub_bundles")
    op.drop_table("unlock_failures")
