"""Trustworthy records, part 2 (issue 13: removals, flags).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Reserved slot in the revision chain; no schema change unless the body below says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (no change)."""


def downgrade() -> None:
    """Revert this revision (no change)."""
