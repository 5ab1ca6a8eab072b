"""Data safety: every backup of the database, listed, rotated, checked and restorable.

Backups are consistent copies made with SQLite's backup API (``storage.backup``) in the data
folder's ``backups/``. Every automatic copy is found by its name, whoever wrote it:

* ``kpi-daily-<UTC time>.db``: the first start of each day, only from a database that passed
  its last check (``services.integrity``); the newest :data:`KEEP_DAILY` are kept;
* ``kpi-before-import-<time>.db`` and ``kpi-before-transfer-<time>.db``: before a bundle or a
  transfer is imported;
* ``kpi-before-<revision>-<time>.db``: before a schema upgrade (``storage.engine``);
* ``kpi-manual-…`` and ``kpi-restore-…``: on request, and of the data a restore replaced.

Each reason keeps its own newest :data:`KEEP` copies, and the newest backup that passed its
check is kept beyond every rotation. A copy of a database that holds no organisation yet (the
first run) is never offered. Whether a copy passed its check (SQLite's full check and the row
seals, on the copy itself) is remembered in ``backups/index.json``.

A restore checks the chosen copy, keeps the current file as a ``restore`` backup, then replaces
the database file; the caller reopens the database afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import RefusedValue, StorageProblem
from kpi_desktop.services.integrity_messages import reason_label
from kpi_desktop.storage.backup import backup_database
from kpi_desktop.storage.health import actors_since, check_file, free_space, is_empty

__all__ = ["KEEP", "KEEP_DAILY", "KEEP_OTHER", "BackupInfo", "BackupService", "reason_label"]

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_OTHER = 5
# How many copies each reason keeps.
KEEP = {"daily": KEEP_DAILY}
# Room left beside a backup (bytes): a backup never fills the disk to the last byte.
MARGIN = 1024 * 1024
INDEX = "index.json"
_STAMP = r"(?P<stamp>\d{8}T\d{6}(?:\d{6})?Z?)"
_NAMES = (
    (re.compile(rf"^kpi-before-import-{_STAMP}\.db$"), "import"),
    (re.compile(rf"^kpi-before-transfer-{_STAMP}\.db$"), "transfer"),
    (re.compile(rf"^[\w.]+-before-(?P<revision>\d{{4}}|empty)-{_STAMP}\.db$"), "upgrade"),
    (re.compile(rf"^kpi-(?P<reason>daily|manual|restore|import|transfer)-{_STAMP}\.db$"), ""),
)
_FILE_NAME = {"import": "kpi-before-import", "transfer": "kpi-before-transfer"}


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: why and when it was made, its size, and its check."""

    path: Path
    reason: str
    made_at: dt.datetime
    size: int
    revision: str = ""  # the schema revision it was at (upgrade backups)
    verdict: str = "unchecked"  # "passed", "failed" or "unchecked"
    empty: bool = False

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"


def _parse(name: str) -> tuple[str, str, dt.datetime] | None:
    for pattern, reason in _NAMES:
        match = pattern.match(name)
        if not match:
            continue
        stamp = match["stamp"].rstrip("Z")
        fmt = "%Y%m%dT%H%M%S%f" if len(stamp) > 15 else "%Y%m%dT%H%M%S"
        try:
            made = dt.datetime.strptime(stamp, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            return None
        groups = match.groupdict()
        return reason or groups["reason"], groups.get("revision") or "", made
    return None


class BackupService:
    """Makes, lists, rotates, checks and restores backups of one database file."""

    def __init__(self, database: Path, backup_dir: Path) -> None:
        self.database = database
        self.backup_dir = backup_dir

    # -- listing ---------------------------------------------------------------------------
    def list_backups(self, *, include_empty: bool = False,
                     remember: bool = True) -> list[BackupInfo]:
        """Every backup, newest first; copies of an empty first-run database only with
        ``include_empty``. ``remember=False`` writes nothing (not even the index)."""
        index = self._index()
        changed = False
        found = []
        if self.backup_dir.is_dir():
            for path in self.backup_dir.iterdir():
                parsed = _parse(path.name)
                if parsed is None or not path.is_file():
                    continue
                reason, revision, made = parsed
                size = path.stat().st_size
                known = index.get(path.name, {})
                if known.get("size") != size:
                    known = {"size": size, "empty": is_empty(path)}
                    index[path.name] = known
                    changed = True
                info = BackupInfo(path, reason, made, size, revision,
                                  str(known.get("verdict", "unchecked")),
                                  bool(known.get("empty")))
                if include_empty or not info.empty:
                    found.append(info)
        if changed and remember:
            self._save_index(index)
        return sorted(found, key=lambda b: b.made_at, reverse=True)

    def counts(self) -> dict[str, int]:
        """How many backups each reason has (those offered for restoring)."""
        counts: dict[str, int] = {}
        for info in self.list_backups():
            counts[info.reason] = counts.get(info.reason, 0) + 1
        return counts

    # -- making ------------------------------------------------------------------------------
    def make(self, reason: str = "manual", *, now: dt.datetime | None = None,
             verified: bool = False) -> Path:
        """Write a backup now and rotate the old ones of the same reason.

        ``verified``: the database passed a complete check just before (the copy is marked
        as passed without checking it again).

        Raises:
            StorageProblem: ``disk_full`` (with ``free`` and ``needed`` bytes) when the copy
                would not fit; ``backup_failed`` when it cannot be written.
        """
        if not re.fullmatch(r"[a-z]+", reason):
            raise RefusedValue("backup_reason_invalid", value=reason)
        now = now or dt.datetime.now(dt.UTC)
        prefix = _FILE_NAME.get(reason, f"kpi-{reason}")
        name = f"{prefix}-{now.strftime('%Y%m%dT%H%M%S%fZ')}.db"
        self._room_for_copy()
        path = backup_database(self.database, self.backup_dir / name)
        index = self._index()
        index[name] = {"size": path.stat().st_size, "empty": is_empty(path),
                       **({"verdict": "passed", "checked_at": now.isoformat()}
                          if verified else {})}
        self._save_index(index)
        self.rotate(reason)
        return path

    def daily(self, *, now: dt.datetime | None = None, allowed: bool = True,
              verified: bool = False) -> Path | None:
        """Make today's backup unless there is one already, the database holds no
        organisation yet, or it did not pass its last check (``allowed``); returns it
        when made."""
        now = now or dt.datetime.now(dt.UTC)
        if not self.database.exists() or is_empty(self.database):
            return None
        if any(b.reason == "daily" and b.made_at.date() == now.date()
               for b in self.list_backups(include_empty=True)):
            return None
        if not allowed:
            log.warning("No daily backup: %s did not pass its last check", self.database)
            return None
        return self.make("daily", now=now, verified=verified)

    def rotate(self, reason: str | None = None) -> None:
        """Keep the newest copies of ``reason`` (every reason when None) and always the
        newest backup that passed."""
        listing = self.list_backups(include_empty=True)
        keep_good = next((b.path for b in listing if b.passed and not b.empty), None)
        reasons = {reason} if reason else {b.reason for b in listing}
        for name in reasons:
            same = [b for b in listing if b.reason == name]
            for old in same[KEEP.get(name, KEEP_OTHER):]:
                if old.path != keep_good:
                    with contextlib.suppress(OSError):
                        old.path.unlink()

    def _room_for_copy(self) -> None:
        needed = MARGIN
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                needed += Path(f"{self.database}{suffix}").stat().st_size
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        free = free_space(self.backup_dir)
        if free < needed:
            raise StorageProblem("disk_full", path=str(self.backup_dir), free=free,
                                 needed=needed)

    # -- checking ------------------------------------------------------------------------------
    def verify(self, backup: Path, *, remember: bool = True) -> bool:
        """Check a backup (SQLite's full check and its row seals) and remember the result."""
        found, _complete = check_file(backup, full=True)
        if not remember:
            return not found
        index = self._index()
        entry = index.setdefault(backup.name, {})
        entry.update(size=backup.stat().st_size if backup.exists() else 0,
                     verdict="failed" if found else "passed",
                     checked_at=dt.datetime.now(dt.UTC).isoformat())
        entry.setdefault("empty", is_empty(backup))
        self._save_index(index)
        return not found

    def last_good(self, *, remember: bool = True) -> BackupInfo | None:
        """The newest backup that passes its check (unchecked ones are checked now, newest
        first, until one passes; ``remember=False`` keeps no note of those checks)."""
        for backup in self.list_backups(remember=remember):
            if backup.verdict == "failed":
                continue
            if backup.passed or self.verify(backup.path, remember=remember):
                return backup if backup.passed else BackupInfo(
                    backup.path, backup.reason, backup.made_at, backup.size, backup.revision,
                    "passed", backup.empty)
        return None

    # -- restoring -----------------------------------------------------------------------------
    def restore_impact(self, backup: Path) -> list[tuple[str, str]]:
        """(id, name) of the people whose work recorded on this computer after ``backup`` was
        made would be replaced by restoring it (from the audit log)."""
        parsed = _parse(backup.name)
        if parsed is None or not self.database.exists():
            return []
        return actors_since(self.database, parsed[2])

    def restore(self, backup: Path) -> Path:
        """Replace the database with ``backup`` (the database must be closed).

        The current file is kept as a ``restore`` backup first (when it can be read; a
        damaged one is kept as ``damaged-<time>.db``). Returns the path of that safety copy,
        or the database path when there was nothing to keep.

        Raises:
            RefusedValue: ``backup_not_found``; ``backup_empty`` for a copy of an empty
                first-run database; ``backup_damaged`` when the chosen backup fails the check.
        """
        if not backup.is_file():
            raise RefusedValue("backup_not_found", path=str(backup))
        found, _complete = check_file(backup, full=True)
        if found:
            detail = "; ".join(f"{f.code} {f.table} {f.detail}".strip() for f in found[:5])
            raise RefusedValue("backup_damaged", path=str(backup), detail=detail)
        if is_empty(backup):
            raise RefusedValue("backup_empty", path=str(backup))
        kept = self.database
        if self.database.exists():
            try:
                kept = self.make("restore")
            except StorageProblem:
                damaged = self.backup_dir / (
                    f"damaged-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}.db")
                self.backup_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy2(self.database, damaged)
                kept = damaged
        partial = self.database.with_name(f".{self.database.name}.restoring")
        try:
            shutil.copy2(backup, partial)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.database}{suffix}").unlink(missing_ok=True)
            os.replace(partial, self.database)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StorageProblem("backup_failed", path=str(self.database),
                                 detail=str(exc)) from exc
        from kpi_desktop.services.integrity import IntegrityService

        IntegrityService(self.database, backup_dir=self.backup_dir).forget_damage()
        return kept

    # -- the index of checks -------------------------------------------------------------------
    def _index(self) -> dict[str, Any]:
        try:
            data = json.loads((self.backup_dir / INDEX).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_index(self, index: dict[str, Any]) -> None:
        present = {p.name for p in self.backup_dir.iterdir()} if self.backup_dir.is_dir() \
            else set()
        data = {k: v for k, v in index.items() if k in present}
        target = self.backup_dir / INDEX
        partial = self.backup_dir / f".{INDEX}.partial"
        try:
            partial.write_text(json.dumps(data, indent=1, sort_keys=True), "utf-8")
            os.replace(partial, target)
        except OSError as exc:  # advisory: a full or read-only disk only loses the notes
            log.warning("Could not update %s: %s", target, exc)
            with contextlib.suppress(OSError):
                partial.unlink()
