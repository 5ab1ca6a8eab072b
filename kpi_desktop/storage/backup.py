"""Backups, integrity checks and full dumps of a database file (plain :mod:`sqlite3`).

* :func:`backup_database` copies a live database consistently (SQLite's online backup API, so
  a WAL database is copied with its committed transactions), to a temporary name first.
* :func:`integrity_check` runs ``PRAGMA quick_check`` (or the full ``integrity_check``) and
  ``PRAGMA foreign_key_check``; an empty list means no damage found.
* :func:`dump_database` is the full SQL text of the database, for "changes nothing" tests.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from kpi_desktop.domain.errors import StorageProblem

__all__ = ["backup_database", "dump_database", "integrity_check"]


def _connect_existing(path: Path | str) -> sqlite3.Connection:
    """Open an existing database file (never creates one).

    Read-write mode on purpose: a read-only connection to a WAL database fails when the
    ``-shm`` file does not exist yet; nothing here writes.
    """
    file = Path(path)
    if not file.is_file():
        raise StorageProblem("database_missing", path=str(file))
    try:
        connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=rw", uri=True)
        connection.execute("PRAGMA busy_timeout=5000")
    except sqlite3.Error as exc:
        raise StorageProblem("database_unreachable", path=str(file), detail=str(exc)) from exc
    return connection


def backup_database(src_path: Path | str, dest_path: Path | str) -> Path:
    """Write a consistent copy of the database at ``src_path`` to ``dest_path``.

    The copy is written under a temporary name in the destination folder, flushed to the disk
    and renamed when complete, so an interrupted backup never leaves a file that looks whole;
    a failed one leaves nothing (neither the partial copy nor its journal). An existing
    ``dest_path`` is replaced. Returns the destination path.

    Raises:
        StorageProblem: ``database_missing`` / ``database_unreachable`` for the source,
            ``disk_full`` or ``backup_failed`` when the copy cannot be written.
    """
    dest = Path(dest_path)
    partial = dest.with_name(f".{dest.name}.partial")
    source = _connect_existing(src_path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _remove_partial(partial)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            # A self-contained file: no -wal next to the copy.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        if os.name == "posix":  # a backup holds the sealed keys: its owner only may read it
            with contextlib.suppress(OSError):
                os.chmod(partial, 0o600)
        os.replace(partial, dest)
        _sync_folder(dest.parent)
    except (sqlite3.Error, OSError) as exc:
        _remove_partial(partial)
        full = isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "full" in str(exc)
        raise StorageProblem("disk_full" if full else "backup_failed", path=str(dest),
                             detail=str(exc)) from exc
    finally:
        source.close()
    return dest


def _remove_partial(partial: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{partial}{suffix}").unlink()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); nothing to do where folders cannot be opened."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def integrity_check(path: Path | str, *, full: bool = False) -> list[str]:
    """Problems found in the database at ``path``; an empty list means none.

    Runs ``PRAGMA quick_check`` (``integrity_check`` with ``full=True``) and
    ``PRAGMA foreign_key_check``. A file that is not a database at all is reported as one
    problem rather than raised, so ``kpi-desktop check`` can report it with exit code 4.
    """
    try:
        connection = _connect_existing(path)
    except StorageProblem as exc:
        return [f"{exc.code}: {exc.params.get('detail', exc.params.get('path', ''))}"]
    problems: list[str] = []
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = connection.execute(f"PRAGMA {pragma}").fetchall()
        problems.extend(str(r[0]) for r in rows if str(r[0]) != "ok")
        for table, rowid, parent, fk_index in connection.execute("PRAGMA foreign_key_check"):
            problems.append(
                f"foreign key: {table} row {rowid} refers to a missing {parent} (#{fk_index})"
            )
    except sqlite3.DatabaseError as exc:
        problems.append(f"database_damaged: {exc}")
    finally:
        connection.close()
    return problems


def dump_database(path: Path | str) -> list[str]:
    """The database's full content as SQL statements (``iterdump()``), one per item.

    Two dumps are equal exactly when schema and data are equal: tests compare them before
    and after an action that must change nothing. The row seals (``storage/seals.py``) are
    left out: each is the digest of one row of the dump, so they change exactly when that
    row does, and a comparison that leaves some tables out leaves their seals out with them.
    """
    connection = _connect_existing(path)
    try:
        return [line for line in connection.iterdump()
                if not line.startswith(_SEAL_ROWS)]
    finally:
        connection.close()


_SEAL_ROWS = 'INSERT INTO "row_seals" '

