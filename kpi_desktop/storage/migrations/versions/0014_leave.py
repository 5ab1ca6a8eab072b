"""Leave under Dieu 11.2 (issue 15: leave records).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

* ``leave_records``: a person's sick, maternity or unpaid personal leave, from and to (inclusive),
  with the decision's number, who recorded it (the agency, the chairman or the person's
  evaluator), a signed version (a correction or a removal is a newer version of the record)
  and its signature.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "leave_records",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("decision_no", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_leave_records_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_records")),
    )
    op.create_index(
        op.f("ix_leave_records_person_id_start_on"),
        "leave_records",
        ["person_id", "start_on"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_leave_records_person_id_start_on"), table_name="leave_records")
    op.drop_table("leave_records")
