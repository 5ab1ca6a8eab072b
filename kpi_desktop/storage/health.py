"""Storage-level health of a database file: SQLite's own checks and the row seals.

:func:`check_file` opens its own connection (never the application's engine), runs
``PRAGMA integrity_check`` (or ``quick_check``), ``PRAGMA foreign_key_check`` and compares every
row with its seal (:mod:`kpi_desktop.storage.seals`), and names, for each finding, the person
and period of the row when the row still says them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kpi_desktop.storage import seals

__all__ = ["LOW_SPACE", "StorageFinding", "actors_since", "check_file", "free_space", "is_empty",
           "open_for_check", "people_names"]

# The tables whose seals the start-up check compares first (the numbers people rely on).
FIRST = ("monthly_evaluations", "annual_classifications", "work_log_entries", "entry_revisions",
         "review_statements", "assignments", "people", "person_keys", "catalog_items",
         "policy_versions", "transferred_months", "replaced_evaluations", "appeals",
         "discipline_events")
# Free space (bytes) below which the disk counts as full: the database is then opened for
# reading only, and a "disk full" message asks to free this much beyond what is free.
LOW_SPACE = 1024 * 1024
_PERSON_COLUMNS = ("person_id", "evaluatee_id", "author_id", "reviewer_id", "owner_id")


@dataclass(frozen=True)
class StorageFinding:
    """One problem of the file: ``code`` is ``sqlite`` (SQLite's own check), ``foreign_key``,
    ``unreadable`` or ``seal_<kind>`` (see :class:`seals.SealProblem`)."""

    code: str
    table: str = ""
    key: tuple[object, ...] = ()
    person_id: str = ""
    period: str = ""
    detail: str = ""


def free_space(folder: Path | str) -> int:
    """Bytes free in ``folder`` or the nearest folder above it that exists (a folder that
    cannot be asked counts as roomy)."""
    probe = Path(folder)
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return 1 << 62


def open_for_check(path: Path | str) -> sqlite3.Connection:
    """A connection for checking an existing file (autocommit; nothing is written).

    On a full disk a WAL database cannot create its ``-shm`` file: the connection then uses
    SQLite's exclusive locking mode, which keeps that index in memory.
    """
    file = Path(path)
    uri = f"{file.resolve().as_uri()}?mode=rw"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=5000")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        if free_space(file.parent) >= LOW_SPACE:
            return connection  # not a full disk: the caller meets the error itself
        connection.close()
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    return connection


def is_empty(path: Path | str) -> bool:
    """Whether the database holds no organisation yet (a first-run file, or not a KPI
    Desktop database at all)."""
    try:
        connection = open_for_check(path)
        try:
            row = connection.execute("SELECT EXISTS (SELECT 1 FROM people)").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return True
    return not row or not row[0]


def people_names(path: Path | str) -> dict[str, str]:
    """Every person's name by id, read as far as the file still reads (for messages)."""
    names: dict[str, str] = {}
    try:
        connection = open_for_check(path)
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        try:
            for person_id, name in connection.execute("SELECT id, full_name FROM people"):
                names[str(person_id)] = str(name)
        finally:
            connection.close()
    except sqlite3.Error:
        pass
    return names


def actors_since(path: Path | str, moment: dt.datetime) -> list[tuple[str, str]]:
    """(id, name) of the people who changed something on this computer after ``moment``
    (the audit log), by name."""
    stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    found: dict[str, str] = {}
    try:
        connection = open_for_check(path)
        try:
            rows = connection.execute(
                "SELECT DISTINCT a.actor_id, p.full_name FROM audit_events a LEFT JOIN people p "
                "ON p.id = a.actor_id WHERE a.at > ? AND a.actor_id IS NOT NULL", (stamp,))
            found.update((str(i), str(n or i)) for i, n in rows)
        finally:
            connection.close()
    except sqlite3.Error:
        return []
    return sorted(found.items(), key=lambda pair: (pair[1], pair[0]))


def check_file(path: Path | str, *, full: bool = True, deadline: float | None = None,
               progress: Callable[[int, int], None] | None = None,
               ) -> tuple[list[StorageFinding], bool]:
    """Problems of the file at ``path`` and whether every part was checked.

    Args:
        full: ``PRAGMA integrity_check`` (finds damaged indexes too) instead of
            ``quick_check``.
        deadline: A :func:`time.perf_counter` moment after which SQLite's check is
            interrupted and no further table's seals are compared (the start-up check's
            budget on a big file); the result is then incomplete, never damage.
        progress: Called with (done, total) as the tables' seals are compared.
    """
    try:
        connection = open_for_check(path)
    except sqlite3.Error as exc:
        return [StorageFinding("sqlite", detail=str(exc))], True
    findings: list[StorageFinding] = []
    complete = True
    try:
        if deadline is not None:  # SQLite's own check stops at the deadline too (a big file)
            connection.set_progress_handler(lambda: time.perf_counter() > deadline, 20_000)
        try:
            pragma = "integrity_check" if full else "quick_check"
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
            findings += [StorageFinding("sqlite", detail=str(r[0])) for r in rows
                         if str(r[0]) != "ok"]
            for table, rowid, parent, _index in connection.execute("PRAGMA foreign_key_check"):
                findings.append(StorageFinding("foreign_key", table=str(table),
                                               key=(rowid,), detail=str(parent)))
        except sqlite3.OperationalError as exc:
            if deadline is None or "interrupt" not in str(exc):
                return findings + [StorageFinding("sqlite", detail=str(exc))], True
            complete = False  # out of time: the background check does the rest
        except sqlite3.DatabaseError as exc:
            return findings + [StorageFinding("sqlite", detail=str(exc))], True
        finally:
            connection.set_progress_handler(None, 0)
        try:
            has_seals = seals.has_seals(connection)
        except sqlite3.DatabaseError as exc:
            return findings + [StorageFinding("sqlite", detail=str(exc))], True
        if has_seals:
            try:
                problems, sealed = seals.verify(connection, deadline=deadline,
                                                progress=progress, order=FIRST)
                complete = complete and sealed
            except sqlite3.DatabaseError as exc:
                return findings + [StorageFinding("unreadable", detail=str(exc))], True
            for problem in problems:
                person, period = _context(connection, problem.table, problem.key)
                findings.append(StorageFinding(f"seal_{problem.kind}", table=problem.table,
                                               key=problem.key or (), person_id=person,
                                               period=period, detail=problem.detail))
    finally:
        connection.close()
    return findings, complete


def _context(connection: sqlite3.Connection, table: str,
             key: tuple[object, ...] | None) -> tuple[str, str]:
    """(person id, period) of a row, read from the row itself where it still reads."""
    if not key or table in (seals.SCHEMA, seals.SEQUENCE):
        return "", ""
    try:
        info = connection.execute(f"PRAGMA table_info({_q(table)})").fetchall()
        keys = [str(r[1]) for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        columns = [str(r[1]) for r in info]
        known = dict(zip(keys, key, strict=False))
        where = " AND ".join(f"{_q(c)} = ?" for c in keys) or "rowid = ?"
        wanted = [c for c in (*_PERSON_COLUMNS, "period", "work_date", "year", "entry_id")
                  if c in columns]
        row = None
        if wanted:
            row = connection.execute(
                f"SELECT {', '.join(_q(c) for c in wanted)} FROM {_q(table)} WHERE {where}",
                list(key)).fetchone()
        values = {**known, **(dict(zip(wanted, row, strict=True)) if row else {})}
        person = next((str(values[c]) for c in _PERSON_COLUMNS if values.get(c)), "")
        period = str(values.get("period") or "")
        if not period and values.get("work_date"):
            period = str(values["work_date"])[:7]
        if not period and values.get("year"):
            period = str(values["year"])
        if not person and values.get("entry_id"):
            found = connection.execute(
                "SELECT person_id, work_date FROM work_log_entries WHERE id = ?",
                (values["entry_id"],)).fetchone()
            if found:
                person, period = str(found[0]), period or str(found[1])[:7]
        return person, period
    except (sqlite3.Error, UnicodeDecodeError, ValueError):
        return "", ""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
