"""Row seals: every stored row carries a digest, so no stored value can change unnoticed.

Signatures cover what people sign, and ``check`` recomputes what is derived from signed data,
but a database also holds values nobody signs (names, catalog texts, bookkeeping, the state
of a draft) and values this PC computed. A flipped bit in any of them must not pass as
"intact". The storage layer therefore seals every row it writes:

* ``row_seals(tbl, key, digest)`` holds one digest per row of every table (the primary key as
  a JSON array names the row), one per schema object (``tbl = 'sqlite_master'``) and one per
  ``sqlite_sequence`` row;
* SQL triggers on every table (``seal_<table>_ins|upd|del``) mark a written row as pending
  (``digest`` NULL) in the same statement, whatever wrote it — ORM, Core bulk inserts or
  hand-written SQL on the application's own connections;
* the engine's ``commit`` hook (:func:`seal_pending`, called by ``storage.engine``) computes
  the digests of the pending rows of its own transaction just before the COMMIT, inside the
  same transaction, so a row and its seal are written together or not at all;
* pending marks that already existed when a transaction began were left by a connection that
  is not the application's (the ``sqlite3`` shell, another program): they are turned into
  "changed outside KPI Desktop" marks (an empty digest) and never sealed, so ``check`` reports
  them instead of blessing them.

The digest is BLAKE2b-128 over the table name and, for each column in table order, the
value's SQLite type and the hex of its bytes (``typeof(c) || hex(c)``): text is hashed as
stored (a byte that no longer decodes still hashes), and the same value in another type
differs. It is not keyed: it detects damage and edits outside the application, not a person
who re-computes seals on purpose — what people sign is protected by their signatures.

Triggers use only built-in SQL, so another program can still read and write the file; its
writes are reported, not refused. Tables rebuilt by a schema migration lose their triggers:
:func:`install` (re)creates them and :func:`reseal_all` seals the migrated rows; both run at
the end of every upgrade (``storage.engine.upgrade_database``), after the seals were verified.
``hub_bundles`` is not sealed: its content is a signed bundle, verified whenever it is read.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "SEAL_TABLE",
    "SealProblem",
    "has_seals",
    "install",
    "pending",
    "reseal_all",
    "seal_pending",
    "sealed_tables",
    "verify",
]

SEAL_TABLE = "row_seals"
# Tables that are not sealed (see the module text).
UNSEALED = frozenset({SEAL_TABLE, "hub_bundles"})
SCHEMA = "sqlite_master"
SEQUENCE = "sqlite_sequence"
_PERSON = b"kpi-row-seal-v1"
# The digest of a row changed by another program (never a real BLAKE2b digest).
OUTSIDE = b""
# The name of :func:`_digest` inside SQL (seal_pending).
_DIGEST_SQL = "kpi_row_seal"
# The partial index of the pending marks (migration 0011): without it SQLite reads every seal
# of a table to find the few pending ones.
_PENDING_INDEX = "ix_row_seals_pending"


@dataclass(frozen=True)
class SealProblem:
    """One row whose stored values do not match its seal.

    ``kind``: ``changed`` (the digest differs: damage), ``outside`` (written by another
    program), ``unsealed`` (a row without a seal), ``missing`` (a sealed row is gone),
    ``deleted_outside`` (deleted by another program), ``unreadable`` (SQLite cannot read it).
    ``key`` is the row's primary key values (``None`` when unreadable).
    """

    kind: str
    table: str
    key: tuple[object, ...] | None
    detail: str = ""


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    key_columns: tuple[str, ...]

    def quoted(self) -> str:
        return _q(self.name)

    def key_sql(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return "json_array(" + ", ".join(prefix + _q(c) for c in self.key_columns) + ")"

    def material_sql(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return " || ',' || ".join(
            f"typeof({prefix}{_q(c)}) || ':' || hex({prefix}{_q(c)})" for c in self.columns)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _digest(table: str, material: bytes | str) -> bytes:
    data = material.encode("ascii") if isinstance(material, str) else material
    h = hashlib.blake2b(digest_size=16, person=_PERSON[:16])
    h.update(table.encode("utf-8"))
    h.update(b"\x00")
    h.update(data)
    return h.digest()


def has_seals(con: sqlite3.Connection) -> bool:
    """Whether the database has the seal table (schema revision 0011 or later)."""
    return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (SEAL_TABLE,)).fetchone() is not None


def sealed_tables(con: sqlite3.Connection) -> list[_Table]:
    """Every sealed table with its columns (table order) and primary-key columns."""
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '\\_alembic\\_tmp\\_%' ESCAPE '\\' ORDER BY name")]
    return [_layout(con, name) for name in names if name not in UNSEALED]


def _layout(con: sqlite3.Connection, name: str) -> _Table:
    info = con.execute(f"PRAGMA table_info({_q(name)})").fetchall()
    columns = tuple(str(r[1]) for r in info)
    keys = tuple(str(r[1]) for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    return _Table(name, columns, keys or ("rowid",))


def _triggers(table: _Table) -> list[str]:
    name = table.name.replace('"', "")
    lit = "'" + table.name.replace("'", "''") + "'"

    def mark(row: str) -> str:
        return (f"INSERT OR REPLACE INTO {SEAL_TABLE} (tbl, key, digest) "
                f"VALUES ({lit}, {table.key_sql(row)}, NULL);")

    return [
        f'CREATE TRIGGER IF NOT EXISTS "seal_{name}_ins" AFTER INSERT ON {table.quoted()} '
        f"BEGIN {mark('NEW')} END",
        f'CREATE TRIGGER IF NOT EXISTS "seal_{name}_upd" AFTER UPDATE ON {table.quoted()} '
        f"BEGIN {mark('OLD')} {mark('NEW')} END",
        f'CREATE TRIGGER IF NOT EXISTS "seal_{name}_del" AFTER DELETE ON {table.quoted()} '
        f"BEGIN {mark('OLD')} END",
    ]


def create(con: sqlite3.Connection) -> None:
    """The seal table as migration 0011 creates it (for a file stamped at a later revision by
    a development build whose 0011 was still empty)."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {SEAL_TABLE} (tbl VARCHAR NOT NULL, "
                "key VARCHAR NOT NULL, digest BLOB, "
                "CONSTRAINT pk_row_seals PRIMARY KEY (tbl, key)) WITHOUT ROWID")
    con.execute(f"CREATE INDEX IF NOT EXISTS ix_row_seals_pending ON {SEAL_TABLE} (tbl) "
                "WHERE digest IS NULL")


def install(con: sqlite3.Connection) -> None:
    """Create the seal triggers of every sealed table that lacks them (idempotent)."""
    for table in sealed_tables(con):
        for statement in _triggers(table):
            con.execute(statement)


def _schema_rows(con: sqlite3.Connection) -> Iterable[tuple[bytes, bytes]]:
    return con.execute(
        "SELECT CAST(json_array(type, name) AS BLOB), CAST(typeof(type) || ':' || hex(type) "
        "|| ',' || typeof(name) || ':' || hex(name) || ',' || typeof(tbl_name) || ':' || "
        "hex(tbl_name) || ',' || typeof(sql) || ':' || hex(sql) AS BLOB) FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%'")


def _sequence_rows(con: sqlite3.Connection) -> Iterable[tuple[bytes, bytes]]:
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SEQUENCE,)).fetchone() is None:
        return []
    return con.execute(
        "SELECT CAST(json_array(name) AS BLOB), CAST(typeof(name) || ':' || hex(name) || ',' "
        "|| typeof(seq) || ':' || hex(seq) AS BLOB) FROM sqlite_sequence")


def _reseal_special(con: sqlite3.Connection, table: str,
                    rows: Iterable[tuple[bytes, bytes]]) -> None:
    con.execute(f"DELETE FROM {SEAL_TABLE} WHERE tbl = ?", (table,))
    con.executemany(f"INSERT INTO {SEAL_TABLE} (tbl, key, digest) VALUES (?, ?, ?)",
                    [(table, key.decode("utf-8"), _digest(table, material))
                     for key, material in rows])


def reseal_all(con: sqlite3.Connection) -> int:
    """Seal every row and the schema anew (after a migration changed them); returns the
    number of rows sealed."""
    con.execute(f"DELETE FROM {SEAL_TABLE}")
    count = 0
    for table in sealed_tables(con):
        rows = con.execute(f"SELECT CAST({table.key_sql()} AS BLOB), "
                           f"CAST({table.material_sql()} AS BLOB) FROM {table.quoted()}")
        batch = [(table.name, key.decode("utf-8"), _digest(table.name, material))
                 for key, material in rows]
        con.executemany(f"INSERT INTO {SEAL_TABLE} (tbl, key, digest) VALUES (?, ?, ?)", batch)
        count += len(batch)
    _reseal_special(con, SCHEMA, list(_schema_rows(con)))
    _reseal_special(con, SEQUENCE, list(_sequence_rows(con)))
    return count


def pending(con: sqlite3.Connection) -> list[tuple[str, str]] | None:
    """The rows marked pending right now; ``None`` when the database has no seal table.

    Called when a transaction begins: anything pending then was written by another program.
    """
    try:
        return con.execute(
            f"SELECT tbl, key FROM {SEAL_TABLE} WHERE digest IS NULL").fetchall()
    except sqlite3.OperationalError:
        return None


def seal_pending(con: sqlite3.Connection, outside: Iterable[tuple[str, str]] = ()) -> int:
    """Seal the rows this transaction wrote (just before its COMMIT); returns how many.

    ``outside``: the marks that were pending when the transaction began (another program's
    writes); they become "changed outside" marks instead of being sealed.
    """
    try:
        tables = [r[0] for r in con.execute(
            f"SELECT DISTINCT tbl FROM {SEAL_TABLE} WHERE digest IS NULL")]
    except sqlite3.OperationalError:
        return 0  # no seal table (yet): nothing to seal
    outside = list(outside)
    if outside:
        con.executemany(f"UPDATE {SEAL_TABLE} SET digest = ? WHERE tbl = ? AND key = ?",
                        [(OUTSIDE, tbl, key) for tbl, key in outside])
    if not tables:
        return 0
    # The digest is computed inside the UPDATE (a function of this connection): no row's key
    # and material travel to Python and back; the pending marks are found through their
    # partial index (SQLite otherwise reads every seal of each table written). An export of
    # 24 people sealed its rows in 0.40 s before, 0.15 s now; 78,240 rows at once 1.6 → 1.0 s
    # (the rest is SQLite building each row's material, and BLAKE2b).
    con.create_function(_DIGEST_SQL, 2, _digest, deterministic=True)
    indexed = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                          (_PENDING_INDEX,)).fetchone() is not None
    pending_marks = f"{SEAL_TABLE} AS s" + (f" INDEXED BY {_PENDING_INDEX}" if indexed else "")
    count = 0
    for name in tables:
        table = _layout(con, name)
        if not table.columns:  # a table dropped in this transaction (a migration)
            con.execute(f"DELETE FROM {SEAL_TABLE} WHERE tbl = ? AND digest IS NULL", (name,))
            continue
        join = " AND ".join(f"t.{_q(c)} = json_extract(s.key, '$[{i}]')"
                            for i, c in enumerate(table.key_columns))
        count += con.execute(
            f"UPDATE {pending_marks} "
            f"SET digest = {_DIGEST_SQL}(s.tbl, CAST({table.material_sql('t')} AS BLOB)) "
            f"FROM {table.quoted()} AS t "
            f"WHERE s.tbl = ? AND s.digest IS NULL AND {join}", (name,)).rowcount
        # What is still pending of this table was deleted in this transaction.
        count += con.execute(f"DELETE FROM {pending_marks} "
                             "WHERE s.tbl = ? AND s.digest IS NULL", (name,)).rowcount
    counted = {r[0] for r in _sequence_rows(con)}  # AUTOINCREMENT tables' counters
    if any(json.dumps([name]).encode() in counted for name in tables):
        _reseal_special(con, SEQUENCE, list(_sequence_rows(con)))
    return count


def _key(raw: bytes | None) -> tuple[object, ...] | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return (raw.decode("utf-8", "replace"),)
    return tuple(value) if isinstance(value, list) else (value,)


def _compare(table: str, rows: Iterable[tuple[bytes, bytes]],
             seals: dict[bytes, bytes | None], problems: list[SealProblem]) -> None:
    for key, material in rows:
        seal = seals.pop(key, ...)
        if seal is ...:
            problems.append(SealProblem("unsealed", table, _key(key)))
        elif seal is None or seal == OUTSIDE:
            problems.append(SealProblem("outside", table, _key(key)))
        elif seal != _digest(table, material):
            problems.append(SealProblem("changed", table, _key(key)))
    for key, seal in seals.items():
        kind = "deleted_outside" if seal is None or seal == OUTSIDE else "missing"
        problems.append(SealProblem(kind, table, _key(key)))


class _LazySeals(dict):  # type: ignore[type-arg]
    """The seals of one table at a time (``pop``): a big file's seals are not all read into
    memory before the first comparison (nor at all: one table's at a time)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        super().__init__()
        self._con = con
        self._done: set[str] = set()

    def pop(self, name: str, default: object = None) -> dict[bytes, bytes | None]:  # type: ignore[override]
        self._done.add(name)
        return dict(self._con.execute(
            f"SELECT CAST(key AS BLOB), digest FROM {SEAL_TABLE} WHERE tbl = ?", (name,)))

    def rest(self) -> list[tuple[str, bytes]]:
        """The seals of the tables not compared (after a complete check: tables that no
        longer exist)."""
        done = sorted(self._done)
        where = f" WHERE tbl NOT IN ({', '.join('?' * len(done))})" if done else ""
        return list(self._con.execute(
            f"SELECT tbl, CAST(key AS BLOB) FROM {SEAL_TABLE}{where}", done))

    def outside(self) -> list[tuple[str, bytes]]:
        """Marks of rows another program wrote, in the tables not compared."""
        return [(tbl, key) for tbl, key in self._con.execute(
            f"SELECT tbl, CAST(key AS BLOB) FROM {SEAL_TABLE} "
            "WHERE digest IS NULL OR digest = ?", (OUTSIDE,)) if tbl not in self._done]


def verify(con: sqlite3.Connection, *, deadline: float | None = None,
           progress: Callable[[int, int], None] | None = None,
           order: Iterable[str] = (), transaction: bool = True,
           ) -> tuple[list[SealProblem], bool]:
    """Compare every row, the schema and ``sqlite_sequence`` with their seals.

    Args:
        con: A connection to the database (a read transaction is taken here).
        deadline: A :func:`time.perf_counter` moment after which no further table is
            started (the start-up check's budget); ``None`` checks everything.
        progress: Called with (tables done, tables in all).
        order: Tables to check first (the rest follow in name order).
        transaction: Take (and end) a read transaction here; ``False`` inside the caller's.

    Returns:
        The problems found and whether every table was checked.
    """
    problems: list[SealProblem] = []
    if transaction:
        con.execute("BEGIN")
    try:
        # Each table's seals read when its turn comes, and its rows streamed: a year of a
        # 300-person unit (an 830 MB file) is never held in memory at once.
        seals = _LazySeals(con)
        tables = {t.name: t for t in sealed_tables(con)}
        first = [name for name in order if name in tables]
        names = first + sorted(set(tables) - set(first))
        total = len(names) + 2
        _compare(SCHEMA, _schema_rows(con), seals.pop(SCHEMA, {}), problems)
        _compare(SEQUENCE, _sequence_rows(con), seals.pop(SEQUENCE, {}), problems)
        complete = True
        for done, name in enumerate(names, start=1):
            if deadline is not None and time.perf_counter() > deadline:
                complete = False
                break
            table = tables[name]
            found: list[SealProblem] = []
            try:
                rows = con.execute(f"SELECT CAST({table.key_sql()} AS BLOB), "
                                   f"CAST({table.material_sql()} AS BLOB) "
                                   f"FROM {table.quoted()}")
                _compare(name, rows, seals.pop(name, {}), found)
            except sqlite3.DatabaseError as exc:
                problems.append(SealProblem("unreadable", name, None, str(exc)))
                seals.pop(name, None)
                continue
            problems += found
            if progress is not None:
                progress(done, total)
        if complete:  # seals of tables that no longer exist
            problems += [SealProblem("missing", name, _key(key))
                         for name, key in seals.rest()]
        else:  # tables not compared: rows another program wrote are still known
            problems += [SealProblem("outside", name, _key(key))
                         for name, key in seals.outside()]
    finally:
        if transaction:
            con.execute("ROLLBACK")
    return problems, complete
