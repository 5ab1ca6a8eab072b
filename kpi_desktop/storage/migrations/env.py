"""Alembic environment for KPI Desktop (no alembic.ini: see ``storage.engine.alembic_config``).

Normally :func:`kpi_desktop.storage.engine.upgrade_database` passes an open connection in
``config.attributes["connection"]``; otherwise ``sqlalchemy.url`` from the config is used
(developers drafting a revision). SQLite needs batch mode to alter tables
(``render_as_batch=True``). Custom column types are rendered as their plain SQL type, so
revision files never import ``orm.py`` (which keeps changing after the revision is written).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.types import TypeDecorator

from kpi_desktop.storage.orm import Base

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our TypeDecorators as their underlying SQL type (``sa.String()``)."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on a new one from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url: use storage.engine helpers")
    engine = create_engine(url)
    try:
        with engine.connect() as new_connection:
            _configure(connection=new_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
