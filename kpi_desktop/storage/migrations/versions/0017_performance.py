"""Performance, second round (issue 18).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

On PostgreSQL (the province hub's store) the bundles' bytes are kept without compression:
they are encrypted, so TOAST's attempt to compress every stored bundle costs time and saves
nothing (a plain insert of 115 KB bundles went from ~780 to ~1,060 rows a second here,
BENCHMARKS.md). SQLite has no such setting: no change there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _storage(kind: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE hub_bundles ALTER COLUMN content SET STORAGE {kind}")


def upgrade() -> None:
    """Store hub bundles uncompressed on PostgreSQL."""
    _storage("EXTERNAL")


def downgrade() -> None:
    """Back to PostgreSQL's default (compressed when it helps)."""
    _storage("EXTENDED")
