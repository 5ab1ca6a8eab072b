"""``kpi-desktop check``, the start-up check and the weekly background check (issue 13).

Three layers of evidence make sure no stored value changes unnoticed (docs/integrity.md):

1. SQLite's own ``PRAGMA integrity_check`` (pages, b-trees, indexes) and foreign keys;
2. the row seals of the storage layer (:mod:`kpi_desktop.storage.seals`): every row of every
   table has a digest written with it, so a changed byte in any stored value, or a row changed
   by another program, is found and named;
3. the records (:mod:`kpi_desktop.services.integrity_records`): every signature verifies,
   every stored result equals the one computed again from the signed inputs, every
   attachment is present with its hash.

Damage of the file itself (1, 2, or a record that no longer reads) means the database must not
be written: the start-up check refuses to open it (``StorageProblem("database_damaged")``, CLI
exit code 4, a dialog in the application) until a backup is restored. What the record checks
find in an intact file is reported the same way by ``check`` but does not stop the
application (those records can be fixed by the people who made them).

The start-up check is SQLite's full check plus the seals, within :data:`STARTUP_BUDGET`
(the demo's whole database fits; a bigger one is finished by the full check). The full check
runs on request (``check``) and in the background when the PC is idle, at least weekly. Its
last result is kept in ``integrity.json`` in the data folder: a daily backup is only taken
from a database that passed, and a database found damaged stays refused at the next start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.services.integrity_records import Finding, RecordChecker
from kpi_desktop.storage.health import StorageFinding, check_file

__all__ = ["CheckReport", "Finding", "IntegrityService"]

log = logging.getLogger(__name__)

STATE_NAME = "integrity.json"
# A database up to this size is checked completely at start (the demo's 5 MB take ~0.1 s)…
STARTUP_COMPLETE_LIMIT = 16 * 1024 * 1024
# …a bigger one for this many seconds of seals after SQLite's own check (the rest is the
# background check's); rows changed by another program are found at any size.
STARTUP_BUDGET = 0.12
# Above this size the start-up check runs SQLite's quick check instead of the full one.
FULL_SQLITE_CHECK_LIMIT = 64 * 1024 * 1024
# The background check runs when the PC is idle and the last full check is older than this…
RECHECK_WHEN_IDLE = dt.timedelta(days=1)
# …and whatever the PC does once the last one is older than this.
RECHECK_AT_LEAST = dt.timedelta(days=7)
# Findings that concern files beside the database, not the database file (a backup of the
# file is still a faithful copy).
OUTSIDE_THE_FILE = frozenset({"attachment_missing", "attachment_altered"})

Progress = Callable[[int, int], None]


@dataclass
class CheckReport:
    """The result of one check."""

    kind: str  # "full" or "start"
    checked_at: dt.datetime
    seconds: float
    complete: bool
    findings: list[Finding] = field(default_factory=list)
    good_backup: str = ""  # the newest backup that passed its check ("" when none)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def damaged(self) -> bool:
        """Whether the database file itself is damaged (it must not be written)."""
        return any(f.damage for f in self.findings)

    @property
    def database_passed(self) -> bool:
        """Whether the database file passed (what a backup of it copies)."""
        return not any(f.code not in OUTSIDE_THE_FILE for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "checked_at": self.checked_at.isoformat(),
                "seconds": round(self.seconds, 3), "complete": self.complete,
                "ok": self.ok, "damaged": self.damaged,
                "findings": [f.as_dict() for f in self.findings],
                "good_backup": self.good_backup, "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckReport:
        return cls(kind=str(data.get("kind", "full")),
                   checked_at=dt.datetime.fromisoformat(str(data["checked_at"])),
                   seconds=float(data.get("seconds", 0)), complete=bool(data.get("complete")),
                   findings=[Finding.from_dict(f) for f in data.get("findings") or []],
                   good_backup=str(data.get("good_backup", "")),
                   notes=[str(n) for n in data.get("notes") or []])


def _storage_finding(found: StorageFinding) -> Finding:
    record = ", ".join(str(k) for k in found.key) if found.key else ""
    return Finding(found.code, damage=True, table=found.table, record=record,
                   person_id=found.person_id, period=found.period,
                   data={"detail": found.detail} if found.detail else {})


class IntegrityService:
    """Checks of one data folder's database, and what the last check found."""

    def __init__(self, database: Path, *, attachments_dir: Path | None = None,
                 backup_dir: Path | None = None, state_file: Path | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.database = Path(database)
        self.attachments_dir = attachments_dir
        self.backup_dir = backup_dir if backup_dir is not None else \
            self.database.parent / "backups"
        self.state_file = state_file if state_file is not None else \
            self.database.parent / STATE_NAME
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    @classmethod
    def for_paths(cls, paths: Any) -> IntegrityService:
        return cls(paths.database, attachments_dir=paths.attachments_dir,
                   backup_dir=paths.backup_dir)

    # -- the start-up check ------------------------------------------------------------------
    def startup_check(self, *, budget: float = STARTUP_BUDGET) -> CheckReport:
        """The cheap check before the database is opened (and before anything writes). It
        writes nothing, not even when it refuses.

        Raises:
            StorageProblem: ``database_damaged`` with ``detail`` (what is wrong), ``backup``
                (the newest backup that passed, "" when none) and ``findings`` (dicts).
        """
        start = time.perf_counter()
        now = self._clock()
        if not self.database.exists() or self.database.stat().st_size == 0:
            return CheckReport("start", now, 0.0, True)
        known = self._known_damage()
        if known is not None:
            raise self._damage_error(known)
        size = self.database.stat().st_size
        deadline = None if size <= STARTUP_COMPLETE_LIMIT else time.perf_counter() + budget
        found, complete = check_file(self.database, full=size <= FULL_SQLITE_CHECK_LIMIT,
                                     deadline=deadline)
        report = CheckReport("start", now, time.perf_counter() - start, complete,
                             [_storage_finding(f) for f in found])
        if report.findings:  # refused without writing anything (the same check finds it again)
            report.good_backup = self._good_backup(remember=False)
            raise self._damage_error(report)
        return report

    # -- the full check ------------------------------------------------------------------------
    def full_check(self, *, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> CheckReport:
        """Everything: SQLite, seals, signatures, recomputed results, attachments, and the
        newest backup that passed. The result is kept for the next start."""
        start = time.perf_counter()
        now = self._clock()
        total = 100

        def step(base: int, span: int) -> Progress:
            def report(done: int, count: int) -> None:
                if progress is not None and count:
                    progress(base + span * done // count, total)
            return report

        if not self.database.exists():
            raise StorageProblem("database_missing", path=str(self.database))
        found, complete = check_file(self.database, full=True, progress=step(0, 30))
        findings = [_storage_finding(f) for f in found]
        notes: list[str] = []
        readable = not any(f.code in ("sqlite", "unreadable", "seal_unreadable")
                           for f in findings)
        if readable and not (cancelled and cancelled()):
            findings += self._record_findings(step(30, 60), cancelled, notes)
        report = CheckReport("full", now, 0.0, complete and not (cancelled and cancelled()),
                             findings, notes=notes)
        if progress is not None:
            progress(92, total)
        report.good_backup = self._good_backup()
        report.seconds = time.perf_counter() - start
        if report.complete:
            self._save(report)
        if progress is not None:
            progress(total, total)
        return report

    def _record_findings(self, progress: Progress, cancelled: Callable[[], bool] | None,
                         notes: list[str]) -> list[Finding]:
        from kpi_desktop.storage.engine import Database, schema_is_current

        if not schema_is_current(self.database):
            notes.append("schema_not_current")
            return []
        db = Database(self.database)
        try:
            return RecordChecker(db, self.attachments_dir).run(progress, cancelled)
        finally:
            db.close()

    # -- what the last checks said ---------------------------------------------------------------
    def last_report(self) -> CheckReport | None:
        """The last full check's report (or the start-up check that found damage)."""
        data = self._load().get("last")
        try:
            return CheckReport.from_dict(data) if isinstance(data, dict) else None
        except (KeyError, ValueError, TypeError):
            return None

    def last_full_check_at(self) -> dt.datetime | None:
        value = self._load().get("last_full_at")
        try:
            return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def full_check_due(self, *, idle: bool, now: dt.datetime | None = None) -> bool:
        """Whether the background check should run now: daily when the PC is idle, and in
        any case once a week."""
        last = self.last_full_check_at()
        if last is None:  # never checked: at the first idle moment
            return idle
        age = (now or self._clock()) - last
        return age >= (RECHECK_WHEN_IDLE if idle else RECHECK_AT_LEAST)

    def backup_allowed(self) -> bool:
        """Whether the database passed its last full check (or was never fully checked and
        passed the start-up check): only then is a daily backup taken."""
        report = self.last_report()
        return report is None or report.database_passed

    def names(self) -> dict[str, str]:
        """Every person's name by id, as far as the file still reads (for the findings)."""
        from kpi_desktop.storage.health import people_names

        return people_names(self.database)

    def forget_damage(self) -> None:
        """After a restore: the new file is checked afresh at the next start."""
        state = self._load()
        for key in ("damaged_file", "last"):
            state.pop(key, None)
        self._write(state)

    # -- internals -------------------------------------------------------------------------------
    def _good_backup(self, *, remember: bool = True) -> str:
        from kpi_desktop.services.backups import BackupService

        try:
            good = BackupService(self.database, self.backup_dir).last_good(remember=remember)
        except OSError:
            return ""
        return str(good.path) if good is not None else ""

    def _damage_error(self, report: CheckReport) -> StorageProblem:
        from kpi_desktop.services.integrity_messages import describe_finding

        names = self.names()
        lines = [describe_finding(f, names) for f in report.findings[:5]]
        if len(report.findings) > 5:
            lines.append(f"… (+{len(report.findings) - 5})")
        return StorageProblem("database_damaged", path=str(self.database),
                              detail="\n".join(lines), backup=report.good_backup,
                              findings=[f.as_dict() for f in report.findings[:50]],
                              count=len(report.findings))

    def _file_id(self) -> list[int]:
        stat = self.database.stat()
        return [stat.st_size, stat.st_mtime_ns]

    def _known_damage(self) -> CheckReport | None:
        """The report that found this very file damaged, if it has not changed since."""
        state = self._load()
        if state.get("damaged_file") != self._file_id():
            return None
        report = self.last_report()
        if report is None or not report.damaged:
            return None
        report.good_backup = self._good_backup(remember=False)
        return report

    def _save(self, report: CheckReport) -> None:
        state = self._load()
        state["last"] = report.as_dict()
        if report.kind == "full":
            state["last_full_at"] = report.checked_at.isoformat()
        if report.damaged:
            state["damaged_file"] = self._file_id()
        else:
            state.pop("damaged_file", None)
        self._write(state)

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_file.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, state: dict[str, Any]) -> None:
        """Keep the state (advisory: a read-only or full disk only loses it)."""
        partial = self.state_file.with_name(f".{self.state_file.name}.partial")
        try:
            partial.write_text(json.dumps(state, ensure_ascii=False, indent=1), "utf-8")
            os.replace(partial, self.state_file)
        except OSError as exc:
            log.warning("Could not keep the check result in %s: %s", self.state_file, exc)
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
