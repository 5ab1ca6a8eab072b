"""Organisation evaluation, KPI kinds, discipline (issue 9 §1, §5).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The organisation's decision gets its date (Mẫu: "Quyết định số … ngày …"): one nullable column
on ``org_evaluations``, added in batch mode (SQLite rebuilds the table); existing rows keep
their values and get no date.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("org_evaluations") as batch:
        batch.add_column(sa.Column("decision_date", sa.Date(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("org_evaluations") as batch:
        batch.drop_column("decision_date")
