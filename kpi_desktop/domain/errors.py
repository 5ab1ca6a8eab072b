"""Errors raised by the core.

Core code never builds sentences: an error carries a stable ``code`` and the data needed to
explain it, and the caller (CLI, GUI) turns it into translated words with
``kpi_desktop.services.messages.describe``.
"""

from __future__ import annotations

from typing import Any


class KpiError(Exception):
    """Base of every expected error of the application."""

    code: str = "error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{self.code}({detail})" if detail else self.code)


class RefusedValue(KpiError, ValueError):
    """A value given by a person or a file is refused (CLI exit code 3)."""

    code = "refused"


class NotFound(RefusedValue):
    """A referenced record (person, unit, catalog item, …) does not exist."""

    code = "not_found"


class InvalidState(KpiError):
    """The action is not allowed in the record's current state (e.g. a locked month)."""

    code = "invalid_state"


class StorageProblem(KpiError):
    """The database cannot be used (locked, damaged, disk full, newer schema)."""

    code = "storage"
