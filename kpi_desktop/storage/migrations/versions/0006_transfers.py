"""Transfers and unit mergers (issue 9 §4).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Transfers and mergers inside one agency need no new column: memberships, evaluator relations
and units (``merged_into_id``) already hold them. A transfer between agencies brings the
months the old agency evaluated (Điều 19.1): one new table, ``transferred_months``, created
directly (batch mode is only needed to alter existing SQLite tables); existing rows are
untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "transferred_months",
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("source_agency_id", sa.String(), nullable=False),
        sa.Column("source_agency_name", sa.Text(), nullable=False),
        sa.Column("source_fingerprint", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=False),
        sa.Column("unit_name", sa.Text(), nullable=False),
        sa.Column("evaluator_id", sa.String(), nullable=True),
        sa.Column("evaluator_name", sa.Text(), nullable=False),
        sa.Column("total", sa.String(), nullable=True),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("insufficient", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.String(), nullable=True),
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("evaluator_signature", sa.LargeBinary(), nullable=True),
        sa.Column("evaluator_key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_transferred_months_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", "period", name=op.f("pk_transferred_months")),
    )
    op.create_index(
        op.f("ix_transferred_months_bundle_id"), "transferred_months", ["bundle_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_transferred_months_bundle_id"), table_name="transferred_months")
    op.drop_table("transferred_months")
