"""Identity and synchronisation: sealed private keys per person, the pinned agency key,
published X25519 keys, the bundle log (imported bundle ids), per-sender sequence numbers,
acknowledged items (outbox), received items awaiting a receipt (inbox) and the hub's bundles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

New tables only, so no batch rebuild of existing tables is needed (SQLite batch mode is only
required for altering tables); indexes are created outside batch blocks as in 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "bundle_log",
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("recipient_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("header_sha256", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_bundle_log")),
    )
    op.create_index(
        op.f("ix_bundle_log_sender_id_seq"), "bundle_log", ["sender_id", "seq"], unique=False
    )
    op.create_table(
        "encryption_keys",
        sa.Column("owner_id", sa.String(), nullable=False),
        sa.Column("signing_fingerprint", sa.String(), nullable=False),
        sa.Column("x25519_public", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_encryption_keys")),
    )
    op.create_table(
        "sealed_keys",
        sa.Column("owner_id", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("x25519_public", sa.LargeBinary(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_sealed_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_sealed_keys_fingerprint")),
    )
    op.create_table(
        "sync_acks",
        sa.Column("recipient_id", sa.String(), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("acked_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("recipient_id", "item_key", name=op.f("pk_sync_acks")),
    )
    op.create_table(
        "sync_received",
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("item_key", sa.String(), nullable=False),
        sa.Column("received_at", sa.String(), nullable=False),
        sa.Column("receipted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sender_id", "item_key", name=op.f("pk_sync_received")),
    )
    op.create_table(
        "sync_sequences",
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("recipient_id", sa.String(), nullable=False),
        sa.Column("last_sent", sa.Integer(), nullable=False),
        sa.Column("last_received", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sender_id", "recipient_id", name=op.f("pk_sync_sequences")),
    )
    op.create_table(
        "trusted_keys",
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("owner_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("x25519_public", sa.LargeBinary(), nullable=True),
        sa.Column("pinned_at", sa.String(), nullable=False),
        sa.Column("revoked_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_trusted_keys")),
    )
    op.create_table(
        "hub_bundles",
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("recipient_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("header_sha256", sa.String(), nullable=False),
        sa.Column("received_at", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_hub_bundles")),
    )
    op.create_index(
        op.f("ix_hub_bundles_recipient_id_received_at"),
        "hub_bundles",
        ["recipient_id", "received_at"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_hub_bundles_recipient_id_received_at"), table_name="hub_bundles")
    op.drop_table("hub_bundles")
    op.drop_table("trusted_keys")
    op.drop_table("sync_sequences")
    op.drop_table("sync_received")
    op.drop_table("sync_acks")
    op.drop_table("sealed_keys")
    op.drop_table("encryption_keys")
    op.drop_index(op.f("ix_bundle_log_sender_id_seq"), table_name="bundle_log")
    op.drop_table("bundle_log")
