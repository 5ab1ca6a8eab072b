"""Row seals: a digest of every stored row (issue 13, "Integrity you can check").

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

One new table, ``row_seals`` (table name, primary key of the row as a JSON array, digest),
without rowid, with a partial index on the rows still waiting for their digest. The triggers
that mark written rows and the first sealing of every existing row are not written here: they
depend on the tables present at the end of the whole upgrade (a later batch migration that
rebuilds a table drops its triggers), so ``storage.engine.upgrade_database`` installs them and
seals every row after the last revision ran (``storage/seals.py``). On PostgreSQL (the hub)
the table exists but nothing is sealed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "row_seals",
        sa.Column("tbl", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("tbl", "key", name=op.f("pk_row_seals")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_row_seals_pending", "row_seals", ["tbl"], unique=False,
                    sqlite_where=sa.text("digest IS NULL"),
                    postgresql_where=sa.text("digest IS NULL"))


def downgrade() -> None:
    """Revert this revision (the seal triggers go with the table)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        names = [row[0] for row in bind.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'seal\\_%' "
            "ESCAPE '\\'")]
        for name in names:
            op.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    op.drop_index("ix_row_seals_pending", table_name="row_seals")
    op.drop_table("row_seals")
