"""Officials' proposals of new catalog items (Điều 13.3) and the agency's decisions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

One new table only: as in 0002, SQLite batch mode (a table rebuild) is only needed to alter
existing tables, so the table is created directly; its indexes are created outside any batch
block. Existing rows are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "catalog_proposals",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("proposed_at", sa.String(), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("output_vi", sa.Text(), nullable=False),
        sa.Column("group", sa.String(), nullable=False),
        sa.Column("points", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.String(), nullable=True),
        sa.Column("accepted_item_code", sa.String(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_catalog_proposals_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_proposals")),
    )
    op.create_index(
        op.f("ix_catalog_proposals_person_id"), "catalog_proposals", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_catalog_proposals_status_proposed_at"),
        "catalog_proposals",
        ["status", "proposed_at"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_catalog_proposals_status_proposed_at"), table_name="catalog_proposals")
    op.drop_index(op.f("ix_catalog_proposals_person_id"), table_name="catalog_proposals")
    op.drop_table("catalog_proposals")
