"""Appeals and the working-day calendar (issue 9 §2, §3).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Reserved slot in the revision chain; no schema change unless the body below says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (no change)."""


def downgrade() -> None:
    """Revert this revision (no change)."""
