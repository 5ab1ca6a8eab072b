"""Databases named by a SQLAlchemy URL: the agency hub's store on PostgreSQL (or SQLite).

The desktop application only ever opens SQLite files (:func:`~kpi_desktop.storage.engine.
open_database`). The hub may keep its bundles and their index on a PostgreSQL server instead
(``postgresql+psycopg://user:password@host/database``, driver from the ``[hub]`` extra). Its
schema is the application's, migrated by the same Alembic revisions: they are written for
SQLite's batch mode, which on PostgreSQL simply becomes ``ALTER TABLE``, and the SQLite-only
audit triggers are skipped there. PostgreSQL runs DDL inside the transaction, so a migration
either completes or changes nothing; an advisory lock keeps two hubs starting at once from
migrating the same database twice.
"""

from __future__ import annotations

import logging

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from kpi_desktop.domain.errors import RefusedValue, StorageProblem
from kpi_desktop.storage.engine import (
    Database,
    alembic_config,
    current_revision,
    open_database,
    translate_db_error,
)

__all__ = ["ServerDatabase", "open_database_url", "safe_url"]

log = logging.getLogger(__name__)

# Any number, the same for every hub: the key of the advisory lock held while migrating.
_MIGRATION_LOCK = 335_2025


def safe_url(url: str) -> str:
    """``url`` with its password hidden (for messages and logs)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.rsplit("@", 1)[-1]


class ServerDatabase(Database):
    """A database on a server, reached through ``engine``."""

    def __init__(self, url: str, engine: Engine) -> None:
        super().__init__(safe_url(url), engine)
        self.url = safe_url(url)

    def __repr__(self) -> str:
        return f"ServerDatabase({self.url!r})"


def open_database_url(url: str) -> Database:
    """Open the database at a SQLAlchemy URL, migrated to the newest schema.

    ``sqlite:///FILE`` opens the file as the desktop does; ``postgresql+psycopg://…`` (or
    ``postgresql://…``, which means the same driver) a PostgreSQL database.

    Raises:
        RefusedValue: ``hub_database_unsupported`` for another kind of URL or a missing driver.
        StorageProblem: ``database_server_unreachable`` when the server cannot be reached or
            refuses the login; ``schema_too_new``; the errors of ``translate_db_error``.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise RefusedValue("hub_database_unsupported", url=safe_url(url)) from None
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise RefusedValue("hub_database_unsupported", url=safe_url(url))
        return open_database(parsed.database)
    if parsed.get_backend_name() != "postgresql":
        raise RefusedValue("hub_database_unsupported", url=safe_url(url))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError):
        raise RefusedValue("hub_database_unsupported", url=safe_url(url)) from None
    try:
        _upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return ServerDatabase(url, engine)


def _upgrade(engine: Engine) -> None:
    """Migrate the server database to the newest revision, in one transaction."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": _MIGRATION_LOCK})
            before = current_revision(connection)
            if before is not None and before not in {s.revision for s in script.walk_revisions()}:
                raise StorageProblem("schema_too_new", revision=before)
            if before == script.get_current_head():
                return
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
            log.info("Database %s migrated from %s to %s",
                     engine.url.render_as_string(hide_password=True), before,
                     current_revision(connection))
    except DBAPIError as exc:
        raise _translate(exc) from exc


def _translate(exc: DBAPIError) -> StorageProblem:
    message = str(getattr(exc, "orig", exc))
    lowered = message.lower()
    if exc.connection_invalidated or any(word in lowered for word in (
            "connection failed", "connection refused", "could not connect", "authentication",
            "does not exist", "timeout expired", "could not translate host")):
        return StorageProblem("database_server_unreachable", detail=" ".join(message.split()))
    return translate_db_error(exc)
