"""Revisions found by their author (issue 18).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Every export reads the revisions its sender wrote and those of the people they evaluate
(``SyncRepository.revisions_by_authors``). Without an index SQLite read every revision of
the file for each of them: one author's 145 revisions in a 40,440-revision file took 12.3 ms,
0.55 ms with this index (BENCHMARKS.md); a December export would read the whole year of
everyone. The index also keeps them in entry and revision order.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index entry revisions by author, entry and revision."""
    op.create_index("ix_entry_revisions_author", "entry_revisions",
                    ["author_id", "entry_id", "revision"], unique=False)


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_entry_revisions_author", table_name="entry_revisions")
