"""Database health: the integrity check behind ``kpi-desktop check``."""

from __future__ import annotations

from pathlib import Path

from kpi_desktop.runtime.i18n import translate
from kpi_desktop.storage.backup import integrity_check


def check_database(path: Path) -> list[str]:
    """Problems found in the database at ``path`` (empty when it is intact)."""
    if not path.exists():
        return [translate("Maintenance", "There is no database at {path}.").format(path=str(path))]
    try:
        return integrity_check(path, full=True)
    except Exception as error:  # noqa: BLE001 - any failure to read is damage to report
        return [
            translate("Maintenance", "The database cannot be read: {error}").format(
                error=str(error)
            )
        ]
