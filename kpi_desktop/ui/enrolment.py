"""The enrolment request of a new key, saved where the person chooses (a USB stick), never left
inside the hidden data folder: the agency publishes the key from it (People → Enrol from
request file…). Used by the first-run wizard and by the banner of a person whose key is not
published yet."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from kpi_desktop.runtime.i18n import translate

__all__ = ["choose_and_save_request", "request_file_name", "save_request"]


def request_file_name(person_id: str) -> str:
    return f"KPI_enrolment_{person_id}.json"


def save_request(services: Any, person_id: str, folder: Path) -> Path:
    """Write ``person_id``'s signed enrolment request into ``folder`` (a temporary name renamed
    at the end, so a stick pulled out early never holds a half file); returns the file."""
    target = Path(folder) / request_file_name(person_id)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(services.keys.enrolment_request(person_id))
    os.replace(partial, target)
    return target


def choose_and_save_request(parent: QWidget, services: Any, person_id: str) -> Path | None:
    """Ask for the USB stick (or any folder) and save the request there; ``None`` when the
    person cancelled. ``OSError`` (a full or write-protected stick) reaches the caller."""
    folder = QFileDialog.getExistingDirectory(
        parent, translate("Enrolment", "Choose the USB stick for the enrolment request"),
        _removable_media_root())
    if not folder:
        return None
    return save_request(services, person_id, Path(folder))


def _removable_media_root() -> str:
    """Where USB sticks appear on this PC (Linux: /media/<user>), else the home folder."""
    user = os.environ.get("USER") or ""
    for candidate in (Path("/media") / user, Path("/run/media") / user, Path("/media")):
        if user and candidate.is_dir():
            return str(candidate)
    return str(Path.home())
