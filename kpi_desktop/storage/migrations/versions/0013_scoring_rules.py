"""One home for scoring rules (issue 15: objective causes, dates).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

* ``discipline_events.committed_on``: the date of the act a discipline decision is about,
  beside the decision's own date (Điều 11.3c–d places an act at the organisation where it
  took place). Empty for decisions recorded before (their act date, if any, stays in the
  audit log, where the service still reads it).

The objective causes of Điều 14.2b and 14.2c are new kinds of review statement
(``quality_cause``, ``timeliness_cause``) in the existing text column: no schema change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("discipline_events") as batch:
        batch.add_column(sa.Column("committed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("discipline_events") as batch:
        batch.drop_column("committed_on")
