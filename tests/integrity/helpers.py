"""Real files, real damage, real processes: helpers of the integrity and disk-fault tests."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


def kpi(data_dir: Path, *args: str, env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``kpi-desktop --data-dir DATA_DIR --lang en ARGS`` as its own process."""
    return subprocess.run(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(data_dir), "--lang", "en",
         *args], capture_output=True, text=True, check=False, timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def locked_month(database: Path, *, total_like: str = "%") -> dict[str, str]:
    """One locked month of the demo, as the row stores it (text columns)."""
    with contextlib.closing(sqlite3.connect(database)) as con:
        con.row_factory = sqlite3.Row
        row = con.execute(
            "SELECT * FROM monthly_evaluations WHERE status = 'locked' AND total LIKE ? "
            "AND a IS NOT NULL ORDER BY person_id, period LIMIT 1", (total_like,)).fetchone()
        return {k: row[k] for k in row.keys()}  # noqa: SIM118 - sqlite3.Row


def unique_total(database: Path) -> tuple[dict[str, str], bytes, int]:
    """A locked month whose stored results (a … level, as the record stores them side by
    side) occur once in the file, the bytes to find it by, and where its total starts."""
    with contextlib.closing(sqlite3.connect(database)) as con:
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute(
            "SELECT * FROM monthly_evaluations WHERE status = 'locked' AND a IS NOT NULL "
            "ORDER BY person_id, period")]
    data = database.read_bytes()
    for row in rows:
        head = "".join(row[c] for c in ("a", "b", "c", "task_ratio", "task_points",
                                         "general_points"))
        pattern = (head + row["total"] + row["level"]).encode()
        if data.count(pattern) == 1:
            return row, pattern, len(head)
    raise AssertionError("no locked month stored in a unique way")


def flip_in_file(database: Path, pattern: bytes, offset: int, new: int) -> None:
    """Change one byte of the file where ``pattern`` occurs (the first time) — no SQL."""
    data = bytearray(database.read_bytes())
    at = data.find(pattern)
    assert at >= 0, pattern
    assert data[at + offset] != new
    data[at + offset] = new
    database.write_bytes(bytes(data))


def foreign_update(database: Path, sql: str, *params: object) -> int:
    """Change the file with SQL from another program (the sqlite3 shell, say)."""
    with contextlib.closing(sqlite3.connect(database)) as con, con:
        return con.execute(sql, params).rowcount


def listing(folder: Path) -> list[str]:
    """Every file under ``folder`` (relative paths), for "nothing partial left" checks."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def can_mount() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def tmpfs(mountpoint: Path, size: str) -> Iterator[Path]:
    """A small real file system (Linux, root): a full or read-only disk, honestly."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                           str(mountpoint)], capture_output=True, check=False)
    if done.returncode != 0:
        import pytest

        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, check=False)


def remount(mountpoint: Path, option: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{option}", str(mountpoint)], check=True,
                   capture_output=True)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system of ``folder`` until only ``leave`` bytes are free."""
    import shutil

    free = shutil.disk_usage(folder).free
    with open(folder / "filler", "wb") as handle:
        chunk = b"\0" * 65536
        remaining = max(free - leave, 0)
        try:
            while remaining > 0:
                handle.write(chunk[: min(len(chunk), remaining)])
                remaining -= min(len(chunk), remaining)
            handle.flush()
        except OSError:
            pass
    if leave == 0:  # the last blocks: keep writing byte by byte until the disk refuses
        with contextlib.suppress(OSError), open(folder / "filler2", "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
