"""Run ``kpi-desktop`` as a real program (exit codes, standard streams)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def kpi(folder: Path, *args: str, lang: str = "en", env: dict[str, str] | None = None,
        stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``kpi-desktop --data-dir folder --lang lang args…`` in a subprocess."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("KPI_DESKTOP_PASSPHRASE", "KPI_DESKTOP_NEW_PASSPHRASE")}
    environment.update(QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder), "--lang", lang, *args],
        capture_output=True, text=True, check=False, env=environment, timeout=timeout,
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)
