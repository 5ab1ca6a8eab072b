"""Organisation evaluation, KPI kinds, discipline (issue 9 §1, §5).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Reserved slot in the revision chain; no schema change unless the body below says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (no change)."""


def downgrade() -> None:
    """Revert this revision (no change)."""
