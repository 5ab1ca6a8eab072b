"""Transfers and unit mergers (issue 9 §4).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Reserved slot in the revision chain; no schema change unless the body below says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (no change)."""


def downgrade() -> None:
    """Revert this revision (no change)."""
