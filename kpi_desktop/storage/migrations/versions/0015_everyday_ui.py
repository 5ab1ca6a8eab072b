"""The everyday loop (issue 16): sign-in times, favourites, catalog search by output.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

A new column ``organisations.support_contact`` (who helps the agency's users: shown in Help,
carried by the signed organisation file; empty for existing rows). Two new tables: ``sign_ins`` (when a person last signed in on this PC and how many of their
entries were confirmed then, for the banner's "confirmed since your last sign-in") and
``favourite_items`` ("việc hay làm": catalog item codes a person logs with one click). They need
no batch rebuild. The catalog's search key (``catalog_items.search_text``) now also holds the
items' output products and details, so "giay chung nhan" finds an item whose output is "Giấy
chứng nhận"; existing rows are recomputed here with the application's one folding function.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEARCHED = ("code", "name_vi", "name_en", "output_vi", "output_en", "detail_vi", "detail_en")


def _recompute_search_text(columns: Sequence[str]) -> None:
    from kpi_desktop.domain.values import fold_text

    items = sa.table("catalog_items", sa.column("id"), sa.column("search_text"),
                     *(sa.column(c) for c in columns))
    connection = op.get_bind()
    rows = connection.execute(sa.select(items.c.id, *(items.c[c] for c in columns))).all()
    updates = [{"key": row[0], "text": fold_text(" ".join(str(v or "") for v in row[1:]))}
               for row in rows]
    if updates:
        connection.execute(
            items.update().where(items.c.id == sa.bindparam("key"))
            .values(search_text=sa.bindparam("text")), updates)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("support_contact", sa.Text(), nullable=False,
                                   server_default=""))
    op.create_table(
        "sign_ins",
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("signed_in_at", sa.String(), nullable=False),
        sa.Column("confirmed_entries", sa.Integer(), nullable=False),
        sa.Column("previous_signed_in_at", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_sign_ins_person_id_people")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_sign_ins")),
    )
    op.create_table(
        "favourite_items",
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("item_code", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_favourite_items_person_id_people")),
        sa.PrimaryKeyConstraint("person_id", "item_code", name=op.f("pk_favourite_items")),
    )
    _recompute_search_text(_SEARCHED)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("favourite_items")
    op.drop_table("sign_ins")
    _recompute_search_text(("code", "name_vi", "name_en"))
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("support_contact")
