"""Data safety: rotating backups of the database, restore, and the start-up integrity check.

Backups are consistent copies made with SQLite's backup API (``storage.backup``), named
``kpi-<reason>-<UTC time>.db`` in the data folder's ``backups/``:

* ``daily``: the first start of each day; the newest :data:`KEEP_DAILY` are kept;
* ``import`` / ``restore`` / ``manual``: before an import, before a restore, on request; the
  newest :data:`KEEP_OTHER` of each reason are kept;
* migrations write their own copy before changing the schema (``storage.engine``).

A restore first checks the chosen backup, keeps the current file as a ``restore`` backup, then
replaces the database file; the caller reopens the database afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from kpi_desktop.domain.errors import RefusedValue, StorageProblem
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.storage.backup import backup_database, integrity_check

KEEP_DAILY = 7
KEEP_OTHER = 5
_NAME = re.compile(r"^kpi-(?P<reason>[a-z]+)-(?P<stamp>\d{8}T\d{6}(?:\d{6})?Z)\.db$")


def reason_label(reason: str) -> str:
    """Why a backup was made, in words (the file name keeps the key)."""
    return {
        "daily": translate("SettingsPage", "daily"),
        "manual": translate("SettingsPage", "on request"),
        "import": translate("SettingsPage", "before an import"),
        "restore": translate("SettingsPage", "before a restore"),
    }.get(reason, reason)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file."""

    path: Path
    reason: str
    made_at: dt.datetime
    size: int


class BackupService:
    """Makes, lists, rotates and restores backups of one database file."""

    def __init__(self, database: Path, backup_dir: Path) -> None:
        self.database = database
        self.backup_dir = backup_dir

    def list_backups(self) -> list[BackupInfo]:
        """Every backup, newest first."""
        found = []
        if self.backup_dir.is_dir():
            for path in self.backup_dir.iterdir():
                match = _NAME.match(path.name)
                if not match:
                    continue
                stamp = match["stamp"]
                fmt = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
                made = dt.datetime.strptime(stamp, fmt).replace(tzinfo=dt.UTC)
                found.append(BackupInfo(path, match["reason"], made, path.stat().st_size))
        return sorted(found, key=lambda b: b.made_at, reverse=True)

    def make(self, reason: str = "manual", *, now: dt.datetime | None = None) -> Path:
        """Write a backup now and rotate the old ones of the same reason."""
        if not re.fullmatch(r"[a-z]+", reason):
            raise RefusedValue("backup_reason_invalid", value=reason)
        now = now or dt.datetime.now(dt.UTC)
        name = f"kpi-{reason}-{now.strftime('%Y%m%dT%H%M%S%fZ')}.db"
        path = backup_database(self.database, self.backup_dir / name)
        self._rotate(reason, KEEP_DAILY if reason == "daily" else KEEP_OTHER)
        return path

    def daily(self, *, now: dt.datetime | None = None) -> Path | None:
        """Make today's backup unless there is one already; returns it when made."""
        now = now or dt.datetime.now(dt.UTC)
        if not self.database.exists():
            return None
        if any(b.reason == "daily" and b.made_at.date() == now.date()
               for b in self.list_backups()):
            return None
        return self.make("daily", now=now)

    def _rotate(self, reason: str, keep: int) -> None:
        same = [b for b in self.list_backups() if b.reason == reason]
        for old in same[keep:]:
            old.path.unlink(missing_ok=True)

    def last_good(self) -> BackupInfo | None:
        """The newest backup that passes the integrity check."""
        for backup in self.list_backups():
            if not integrity_check(backup.path):
                return backup
        return None

    def restore(self, backup: Path) -> Path:
        """Replace the database with ``backup`` (the database must be closed).

        The current file is kept as a ``restore`` backup first (when it can be read). Returns
        the path of that safety copy, or the database path when there was nothing to keep.

        Raises:
            RefusedValue: ``backup_not_found`` when there is no such file; ``backup_damaged``
                when the chosen backup fails the check.
        """
        if not Path(backup).is_file():
            raise RefusedValue("backup_not_found", path=str(backup))
        problems = integrity_check(backup)
        if problems:
            raise RefusedValue("backup_damaged", path=str(backup), detail="; ".join(problems))
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
        shutil.copy2(backup, partial)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        os.replace(partial, self.database)
        return kept


def check_before_open(database: Path) -> None:
    """The quick integrity check at start: a damaged file is reported, never opened.

    Raises:
        StorageProblem: ``database_damaged`` with the problems found (``detail``) and the newest
            good backup (``backup``, empty when there is none) so the caller can offer it.
    """
    if not database.exists() or database.stat().st_size == 0:
        return
    problems = integrity_check(database)
    if problems:
        good = BackupService(database, database.parent / "backups").last_good()
        raise StorageProblem("database_damaged", path=str(database),
                             detail="; ".join(problems[:5]),
                             backup=str(good.path) if good else "")
