"""The SQLite engine, schema migration on open, and the :class:`Database` handle.

Every connection gets ``foreign_keys=ON``, ``journal_mode=WAL``, ``synchronous=NORMAL`` and
``busy_timeout=5000``. The sqlite3 driver's own transaction handling is switched off and
SQLAlchemy emits ``BEGIN`` itself (the SQLAlchemy-documented recipe), so every statement of a
unit of work — reads, DDL, savepoints — is inside one real transaction. Units of work that
write start with ``BEGIN IMMEDIATE``: the write lock is taken at the start, so two writers
wait for each other (up to the busy timeout) instead of failing half-way.

:func:`open_database` upgrades the schema to the newest Alembic revision before anything else
touches the file, optionally after a backup copy.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.storage import seals
from kpi_desktop.storage.health import LOW_SPACE, free_space
from kpi_desktop.storage.unit_of_work import UnitOfWork, unit_of_work

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (with Mako and Pygments, ~0.3-1 s) is imported only when a schema is changed or
# inspected: opening a database that is already at the newest revision does not need it.

__all__ = [
    "MIGRATIONS_DIR",
    "Database",
    "alembic_config",
    "create_sqlite_engine",
    "current_revision",
    "downgrade_database",
    "free_space",
    "head_revision",
    "open_database",
    "schema_is_current",
    "translate_db_error",
    "upgrade_database",
]

log = logging.getLogger(__name__)

# Where the Alembic environment and revisions live (shipped inside the package).
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

BUSY_TIMEOUT_MS = 5000
# Free space (bytes) below which the database is opened for reading only; also what a
# "disk full" message asks to free beyond what is free.
WRITE_RESERVE = LOW_SPACE
_BEGIN_OPTION = "kpi_sqlite_begin"
_OUTSIDE = "kpi_seal_outside"


def create_sqlite_engine(
    path: Path | str, *, foreign_keys: bool = True, pooled: bool = True,
    exclusive: bool = False,
) -> Engine:
    """An engine for the SQLite file at ``path`` with the application's pragmas.

    Args:
        path: The database file (created on first connect).
        foreign_keys: ``False`` only for schema migrations, which may rebuild tables
            (Alembic batch mode) and check foreign keys once at the end instead.
        pooled: ``False`` gives a :class:`~sqlalchemy.pool.NullPool` (one connection per use,
            closed afterwards), for short-lived engines.
        exclusive: One connection in SQLite's exclusive locking mode, which keeps the WAL
            index in memory instead of the ``-shm`` file: a database on a full disk can still
            be read (see :func:`open_database`).
    """
    url = f"sqlite:///{Path(path)}"
    kwargs: dict[str, Any] = {}
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif exclusive:
        kwargs.update(pool_size=1, max_overflow=0)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Driver-level autocommit: SQLAlchemy's "begin" hook below emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if exclusive:
                cursor.execute("PRAGMA locking_mode=EXCLUSIVE")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")
        # Rows pending a seal now were written by another program (storage/seals.py).
        connection.info[_OUTSIDE] = seals.pending(connection.connection.dbapi_connection)

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Connection) -> None:
        # Just before the COMMIT, inside the transaction: the rows it wrote get their seals.
        outside = connection.info.pop(_OUTSIDE, None) or ()
        seals.seal_pending(connection.connection.dbapi_connection, outside)

    return engine


# --------------------------------------------------------------------------------------------
# Alembic
# --------------------------------------------------------------------------------------------


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code (no ``alembic.ini`` needed).

    ``url`` is only needed for command-line style use (e.g. autogenerating a new revision
    against a scratch database); :func:`upgrade_database` passes its own connection.

    Example (developers, to draft a new revision after changing ``orm.py``)::

        from alembic import command
        from kpi_desktop.storage.engine import alembic_config
        cfg = alembic_config("sqlite:////tmp/scratch.db")
        command.upgrade(cfg, "head")
        command.revision(cfg, "add x", autogenerate=True, rev_id="0002")
    """
    from alembic.config import Config

    cfg = Config()
    # ConfigParser interpolation: a literal "%" in a path must be doubled.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of the application knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise StorageProblem("schema_missing")
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema revision of the database behind ``connection`` (``None``: empty database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(
    path: Path | str, *, target: str = "head"
) -> tuple[str | None, str | None]:
    """Migrate the database file at ``path`` to ``target``; returns (revision before, after).

    Runs in one transaction with foreign-key enforcement off (batch mode rebuilds tables), then
    checks every foreign key before committing: a migration that would leave a dangling
    reference changes nothing.

    Raises:
        StorageProblem: ``schema_too_new`` when the file was written by a newer version of the
            application; ``migration_broke_references`` when the check fails; and the errors of
            :func:`translate_db_error`.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    engine = create_sqlite_engine(path, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            before = current_revision(connection)
            if before is not None and before not in {s.revision for s in script.walk_revisions()}:
                raise StorageProblem("schema_too_new", revision=before)
            cfg.attributes["connection"] = connection
            if target == "head" and before == script.get_current_head():
                raw = connection.connection.dbapi_connection
                if not seals.has_seals(raw):  # stamped at the head by a build whose 0011
                    seals.create(raw)        # was still empty: sealed now, as 0011 does
                    seals.install(raw)
                    seals.reseal_all(raw)
                    log.info("Database %s: row seals installed", path)
                return before, before
            raw = connection.connection.dbapi_connection
            if seals.has_seals(raw):  # the upgrade seals every row anew: damage never
                problems, _ = seals.verify(raw, transaction=False)
                if problems:
                    first = problems[0]
                    raise StorageProblem("database_damaged", path=str(path),
                                         detail=f"{first.kind}: {first.table} {first.key}")
            command.upgrade(cfg, target)
            if seals.has_seals(raw):  # tables rebuilt by a migration lost their triggers
                seals.install(raw)
                seals.reseal_all(raw)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise StorageProblem("migration_broke_references", count=len(broken))
            after = current_revision(connection)
            log.info("Database %s migrated from %s to %s", path, before, after)
            return before, after
    except DBAPIError as exc:
        raise translate_db_error(exc) from exc
    finally:
        engine.dispose()


def downgrade_database(path: Path | str, target: str) -> None:
    """Migrate the database at ``path`` down to ``target`` ("base" = empty); for tests and tools."""
    from alembic import command

    cfg = alembic_config()
    engine = create_sqlite_engine(path, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, target)
            raw = connection.connection.dbapi_connection
            if seals.has_seals(raw):  # still above 0011: the changed rows are sealed anew
                seals.install(raw)
                seals.reseal_all(raw)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def translate_db_error(exc: DBAPIError) -> StorageProblem:
    """A :class:`StorageProblem` with a stable code for an operational database failure."""
    message = str(getattr(exc, "orig", exc)).lower()
    if "locked" in message or "busy" in message:
        code = "database_locked"
    elif "full" in message:
        code = "disk_full"
    elif "not a database" in message or "malformed" in message or "corrupt" in message:
        code = "database_damaged"
    elif "readonly" in message or "read-only" in message:
        code = "database_read_only"
    elif "unable to open" in message:
        code = "database_unreachable"
    else:
        code = "database_error"
    return StorageProblem(code, detail=str(getattr(exc, "orig", exc)))


# --------------------------------------------------------------------------------------------
# The database handle
# --------------------------------------------------------------------------------------------


class Database:
    """An open database file: the engine and the factory of units of work.

    Use :func:`open_database` to get one (it migrates the schema first). Close it with
    :meth:`close` or a ``with`` block.
    """

    def __init__(self, path: Path | str, engine: Engine | None = None) -> None:
        self.path = Path(path)
        self.engine = engine if engine is not None else create_sqlite_engine(self.path)
        self._write_refusal: StorageProblem | None = None
        self._write_sessions = sessionmaker(
            bind=self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"}),
            autoflush=False,
            expire_on_commit=False,
        )
        self._read_sessions = sessionmaker(
            bind=self.engine, autoflush=False, expire_on_commit=False
        )

    def unit_of_work(self, *, read_only: bool = False) -> AbstractContextManager[UnitOfWork]:
        """One transaction with every repository bound to it.

        ``with db.unit_of_work() as uow: uow.worklog.add_draft(entry)`` commits when the block
        ends normally and rolls back when it raises. ``read_only=True`` takes no write lock
        up front and always rolls back at the end (nothing it did is kept).
        """
        if not read_only and self._write_refusal is not None:
            raise self._write_refusal
        factory = self._read_sessions if read_only else self._write_sessions
        return unit_of_work(factory, commit=not read_only, translate=self._translate)

    def refuse_writes(self, error: StorageProblem | None) -> None:
        """From now on every unit of work that would write raises ``error`` (a damaged
        database, a full disk); ``None`` allows writing again."""
        self._write_refusal = error

    @property
    def write_refusal(self) -> StorageProblem | None:
        """Why writing is refused (``None``: it is allowed)."""
        return self._write_refusal

    def _translate(self, exc: DBAPIError) -> StorageProblem:
        problem = translate_db_error(exc)
        if problem.code == "disk_full" and self.path.parent.is_dir():
            free = free_space(self.path.parent)
            problem = StorageProblem("disk_full", path=str(self.path.parent), free=free,
                                     needed=free + WRITE_RESERVE, detail=problem.params.get(
                                         "detail", ""))
        return problem

    def close(self) -> None:
        """Close every pooled connection (the WAL is checkpointed by SQLite on last close)."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"


def open_database(
    path: Path | str, *, backup_dir: Path | str | None = None, migrate: bool = True
) -> Database:
    """Open (creating if needed) the database at ``path``, migrated to the newest schema.

    On a disk with less than :data:`WRITE_RESERVE` free the database is opened for reading
    only (one connection in exclusive locking mode, which needs no ``-shm`` file): reading,
    printing and exporting elsewhere still work, and every unit of work that would write
    raises ``StorageProblem("disk_full")`` with the free and needed space before it starts.

    Args:
        path: The SQLite file.
        backup_dir: When given and the file exists with data at an older schema revision, a
            consistent copy is written there first (``<stem>-before-<rev>-<UTC time>.db``).
        migrate: ``False`` opens without touching the schema (tools that only read).

    Raises:
        StorageProblem: the file is damaged, locked, unreachable, or from a newer version;
            ``disk_full`` when it must be migrated and the disk is full.
    """
    db_path = Path(path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    free = free_space(db_path.parent)
    if free < WRITE_RESERVE and db_path.exists() and db_path.stat().st_size > 0:
        full = StorageProblem("disk_full", path=str(db_path.parent), free=free,
                              needed=WRITE_RESERVE)
        if migrate and not _at_head(db_path, exclusive=True):
            raise full
        db = Database(db_path, create_sqlite_engine(db_path, exclusive=True))
        db.refuse_writes(full)
        return db
    if migrate and not _at_head(db_path):
        if backup_dir is not None and db_path.exists() and db_path.stat().st_size > 0:
            _backup_if_outdated(db_path, Path(backup_dir))
        upgrade_database(db_path)
    return Database(db_path)


_REVISION_LINE = re.compile(
    r"^(revision|down_revision)\b[^=\n]*=\s*(?:None|[\"'](\w+)[\"'])", re.MULTILINE)


def _head_from_files() -> str | None:
    """The newest revision, read from the ``revision`` / ``down_revision`` lines of the
    migration files without importing Alembic; ``None`` unless there is exactly one head."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(file.read_text("utf-8"))}
        if not found.get("revision"):
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def schema_is_current(path: Path | str) -> bool:
    """Whether the file is at the newest schema revision (read without migrating)."""
    return _at_head(Path(path))


def _at_head(db_path: Path, *, exclusive: bool = False) -> bool:
    """Whether the file is already at the newest revision (a plain read of
    ``alembic_version``); anything unusual answers False and takes the full path."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    head = _head_from_files()
    try:
        con = sqlite3.connect(db_path)
        try:
            if exclusive:
                con.execute("PRAGMA locking_mode=EXCLUSIVE")
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
            sealed = seals.has_seals(con)  # else the full path seals it (upgrade_database)
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return head is not None and rows == [(head,)] and sealed


def _backup_if_outdated(db_path: Path, backup_dir: Path) -> None:
    """Copy the database to ``backup_dir`` when a migration is about to change it."""
    from kpi_desktop.storage.backup import backup_database

    engine = create_sqlite_engine(db_path, pooled=False)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except DBAPIError as exc:
        raise translate_db_error(exc) from exc
    finally:
        engine.dispose()
    if revision == head_revision():
        return
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{db_path.stem}-before-{revision or 'empty'}-{stamp}.db"
    backup_database(db_path, target)
    log.info("Backed up %s to %s before migrating", db_path, target)

