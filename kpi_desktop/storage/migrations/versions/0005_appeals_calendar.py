"""Appeals and the working-day calendar (issue 9 §2, §3).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

One new table, ``replaced_evaluations``: a monthly evaluation as it was before an appeal
decision changed it (the history of a changed result, Điều 21.3 / Điều 22), and one new
nullable column ``appeals.decided_on`` (the day of the decision, for the 7-working-day check),
added in batch mode. As in 0002/0003, the new table needs no batch rebuild; its index is
created outside any batch block. Existing rows are untouched (``decided_on`` stays empty).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("appeals") as batch:
        batch.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
    op.create_table(
        "replaced_evaluations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("replaced_at", sa.String(), nullable=False),
        sa.Column("snapshot_json", sa.Text(), nullable=False),
        sa.Column("total", sa.String(), nullable=True),
        sa.Column("general_points", sa.String(), nullable=True),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("replaced_by", sa.String(), nullable=True),
        sa.Column("appeal_id", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appeal_id"], ["appeals.id"], name=op.f("fk_replaced_evaluations_appeal_id_appeals")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_replaced_evaluations_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by"], ["people.id"],
            name=op.f("fk_replaced_evaluations_replaced_by_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replaced_evaluations")),
    )
    op.create_index(
        op.f("ix_replaced_evaluations_person_id_period"),
        "replaced_evaluations",
        ["person_id", "period"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_replaced_evaluations_person_id_period"),
                  table_name="replaced_evaluations")
    op.drop_table("replaced_evaluations")
    with op.batch_alter_table("appeals") as batch:
        batch.drop_column("decided_on")
