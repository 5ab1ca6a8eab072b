"""Logging: a rotating file in the log folder and a small in-memory tail for crash reports.

Logging never stops the program: when the log folder cannot be written (a read-only data
folder, a full disk) records go to standard error instead, warnings and worse only, and a
log file that fails later (the disk filled up) switches to standard error the same way.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TailHandler(logging.Handler):
    """Keeps the last ``capacity`` formatted records (shown in the crash dialog)."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__()
        self.records: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))

    def text(self) -> str:
        return "\n".join(self.records)


class _FileHandler(logging.handlers.RotatingFileHandler):
    """The log file; when writing it fails, standard error takes over (no traceback)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        self.fallback: logging.Handler | None = None

    def _open(self):  # type: ignore[no-untyped-def] # noqa: ANN202 - logging's own signature
        """The log names people and what they did: only its owner may read it (as the data
        folder), also each new file after a rotation."""
        stream = super()._open()
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.chmod(self.baseFilename, 0o600)
        return stream

    def emit(self, record: logging.LogRecord) -> None:
        if self.fallback is not None:
            if record.levelno >= self.fallback.level:
                self.fallback.emit(record)
            return
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if self.fallback is None:
            self.fallback = _stderr_handler()
            self.fallback.emit(logging.makeLogRecord({
                "name": __name__, "levelno": logging.WARNING, "levelname": "WARNING",
                "msg": "The log file %s cannot be written any more; logging to standard "
                       "error", "args": (self.baseFilename,)}))
        if record.levelno >= self.fallback.level:
            self.fallback.emit(record)


def _stderr_handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    return handler


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> TailHandler:
    """Log to ``log_dir/kpi-desktop.log`` (rotating, 5 × 1 MB) and return the tail handler.

    When the file cannot be opened, warnings and errors go to standard error instead.
    """
    root = logging.getLogger("kpi_desktop")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = _FileHandler(log_dir / "kpi-desktop.log")
        file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    except OSError:
        file_handler = _stderr_handler()
    root.addHandler(file_handler)
    tail = TailHandler()
    root.addHandler(tail)
    return tail
