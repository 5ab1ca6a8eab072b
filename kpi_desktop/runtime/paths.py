"""Where the application keeps its files.

By default everything lives in the platformdirs user folders of "KPI Desktop"; ``--data-dir``
(or the ``KPI_DESKTOP_DATA_DIR`` environment variable) puts data, logs and backups in one folder,
which tests and portable installs use.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "KPI Desktop"
APP_AUTHOR = "KPI Desktop"
DATA_DIR_ENV = "KPI_DESKTOP_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    """The folders and files of one installation."""

    data_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "kpi.db"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    def ensure(self) -> AppPaths:
        """Create the folders if they do not exist yet, readable by their owner only (0700;
        a data folder that already existed keeps its mode: it may be one the person chose)."""
        for folder in (self.data_dir, self.log_dir, self.backup_dir, self.attachments_dir):
            created = not folder.exists()
            folder.mkdir(parents=True, exist_ok=True)
            if created or folder != self.data_dir:
                _private(folder, PRIVATE_FOLDER)
        return self

    def ensure_quietly(self) -> AppPaths:
        """:meth:`ensure` before the log file would create the folders (with the default
        mode); a folder that cannot be written is left to the opening, which names it."""
        with contextlib.suppress(OSError):
            self.ensure()
        return self

    def protect(self) -> AppPaths:
        """Make the database (with its journal files) and every backup readable only by
        their owner (0600): they hold the sealed keys. Best effort: a file system without
        modes (FAT on a USB stick, Windows) or a read-only one is left as it is."""
        suffixes = ("", "-wal", "-shm", "-journal")
        files = [self.database.with_name(self.database.name + s) for s in suffixes]
        if self.backup_dir.is_dir():
            files += [p for p in self.backup_dir.iterdir() if p.is_file()]
        for path in files:
            if path.exists():
                _private(path, PRIVATE_FILE)
        return self


# Modes of what only the owner may read (POSIX).
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


def _private(path: Path, mode: int) -> None:
    """``chmod`` where modes mean something; never an error."""
    if os.name != "posix":
        return
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass


def app_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Paths for ``data_dir`` when given (or set in the environment), else the user folders."""
    chosen = data_dir or os.environ.get(DATA_DIR_ENV)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(data_dir=root, log_dir=root / "logs")
    dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
    return AppPaths(data_dir=Path(dirs.user_data_dir), log_dir=Path(dirs.user_log_dir))


def resource_root() -> Path:
    """The ``resources/`` folder, from a source checkout, an installed wheel or a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "resources")
    package_dir = Path(__file__).resolve().parent.parent
    candidates += [package_dir / "resources", package_dir.parent / "resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def translations_root() -> Path:
    """The folder with the compiled ``.qm`` translation files."""
    frozen = getattr(sys, "_MEIPASS", None)
    package_dir = Path(__file__).resolve().parent.parent
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "translations")
    candidates += [package_dir / "translations", package_dir.parent / "translations"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]
