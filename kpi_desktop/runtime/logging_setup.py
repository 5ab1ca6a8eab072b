"""Logging: a rotating file in the log folder and a small in-memory tail for crash reports."""

from __future__ import annotations

import collections
import logging
import logging.handlers
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


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> TailHandler:
    """Log to ``log_dir/kpi-desktop.log`` (rotating, 5 × 1 MB) and return the tail handler."""
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("kpi_desktop")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / "kpi-desktop.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(file_handler)
    tail = TailHandler()
    root.addHandler(tail)
    return tail
