"""Trustworthy records, part 1 (issue 13: supersession, sequences, refusals).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Reserved slot in the revision chain; no schema change unless the body below says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (no change)."""


def downgrade() -> None:
    """Revert this revision (no change)."""
