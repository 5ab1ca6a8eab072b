"""What an import or export reports, bundle file names and order, and files on disk: crash-safe
writes (temp name, fsync, rename) and the content-addressed attachment store."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError, RefusedValue

__all__ = [
    "BUNDLE_SUFFIX",
    "AttachmentStore",
    "ExportResult",
    "ImportResult",
    "RefusalsOwed",
    "RefusedRecord",
    "bundle_order",
    "crash_point",
    "write_atomically",
]

BUNDLE_SUFFIX = ".kpib"
# Kill tests: the process kills itself (SIGKILL) at the named step of an import.
CRASH_AT = "KPI_DESKTOP_CRASH_AT"
_KIND_ORDER = ("organisation", "plan", "work", "review", "receipt")


@dataclass(frozen=True)
class RefusedRecord:
    """One record of a bundle this PC refused by rule (an author not allowed to make it, a
    revoked key, a conflict with what is stored): it is answered with a signed refusal."""

    item_key: str
    error: KpiError


@dataclass(frozen=True)
class ImportResult:
    """What importing one bundle did."""

    source: str
    status: str  # "imported" | "already" | "refused" | "skipped" (for someone else) | "held"
    kind: str = ""
    bundle_id: str = ""
    sender_id: str = ""
    recipient_id: str = ""
    seq: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    error: KpiError | None = None
    refused: tuple[RefusedRecord, ...] = ()
    notices: tuple[str, ...] = ()  # translated lines worth showing (refusals received, gaps)

    @property
    def ok(self) -> bool:
        """Whether the bundle was imported, already there, or not meant for this PC."""
        return self.status not in ("refused", "held")


@dataclass(frozen=True)
class ExportResult:
    """One bundle written by an export."""

    path: Path
    kind: str
    recipient_id: str
    seq: int
    counts: dict[str, int]


def bundle_order(name: str) -> tuple[int, str]:
    """Sort key for bundle files found together: the organisation first, then plans, work,
    reviews and receipts (a review's statements are about entries in work bundles that may
    arrive in the same folder), each in name order — a sender's sequence number is in it."""
    parts = name.split("_", 2)
    kind = parts[1] if len(parts) > 2 and parts[0] == "KPI" else ""
    rank = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
    return rank, name


def crash_point(step: str) -> None:
    """Die here, as a power cut would, when ``$KPI_DESKTOP_CRASH_AT`` names this step (the
    kill tests of the import; never set in normal use)."""
    if os.environ.get(CRASH_AT) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where directories cannot be
    opened)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` via a temporary name, fsync and rename, so a pulled
    USB stick never leaves a half file that looks whole."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = folder / f".{name}.part"
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise RefusedValue("export_write_failed", path=str(target), detail=str(exc)) from None
    _fsync_dir(folder)
    return target


class AttachmentStore:
    """Attachments by the SHA-256 of their content, ``<dir>/<first two hex>/<sha256>``."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path | None:
        """Where the attachment with this hash lives (``None`` without a folder)."""
        if self.folder is None:
            return None
        return self.folder / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        """Whether the attachment is present (or there is no store: nothing to check)."""
        path = self.path(sha256)
        return path is None or path.is_file()

    def read(self, sha256: str) -> bytes | None:
        """The attachment's bytes when this PC holds it."""
        path = self.path(sha256)
        if path is None or not path.is_file():
            return None
        return path.read_bytes()

    def write(self, files: dict[str, bytes]) -> int:
        """Write received attachments durably (each fsynced, then renamed into place) that are
        not here yet; returns how many were written. Writing one twice is harmless."""
        written = 0
        for sha, content in sorted(files.items()):
            path = self.path(sha)
            if path is None or path.is_file():
                continue
            write_atomically(path.parent, path.name, content)
            written += 1
        return written


class RefusalsOwed:
    """Records this PC refused by rule, owed back to their senders as signed refusals.

    Kept in a small file beside the database (``sync-refusals-owed.json``, written whole and
    atomically), not in it: a refused bundle leaves the database exactly as it was. The next
    export to each sender carries them; once written into a bundle they are dropped (one sent
    again after a crash is harmless: the sender already stopped sending the record)."""

    NAME = "sync-refusals-owed.json"

    def __init__(self, database: Path) -> None:
        self.path = Path(database).with_name(self.NAME)

    def load(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []

    def add(self, peer: str, refused: list[RefusedRecord], at: dt.datetime) -> None:
        """Remember refusals owed to ``peer`` (once per record)."""
        rows = {(r["peer"], r["item_key"]): r for r in self.load()}
        for record in refused:
            rows[(peer, record.item_key)] = {
                "peer": peer, "item_key": record.item_key, "code": record.error.code,
                "params": {k: str(v) for k, v in record.error.params.items()},
                "at": at.isoformat()}
        self._save(list(rows.values()))

    def owed(self, peer: str | None = None) -> list[dict[str, Any]]:
        """The refusals owed (to ``peer``), oldest first."""
        return [r for r in self.load() if peer is None or r.get("peer") == peer]

    def peers(self) -> list[str]:
        return sorted({str(r["peer"]) for r in self.load()})

    def sent(self, peer: str, item_keys: list[str]) -> None:
        """These refusals went to ``peer`` in a bundle."""
        if not item_keys:
            return
        done = set(item_keys)
        self._save([r for r in self.load()
                    if not (r.get("peer") == peer and r.get("item_key") in done)])

    def _save(self, rows: list[dict[str, Any]]) -> None:
        if not rows and not self.path.exists():
            return
        data = json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")
        write_atomically(self.path.parent, self.path.name, data)
