"""What the integrity checks and the row seals cost on the demo (issue 13).

    python benchmarks/integrity_check.py [--repeat 15] [--json OUT]

On a fresh demo data folder (``kpi-desktop demo --today 2026-11-23``, cached in
``$KPI_BENCH_CACHE``), each figure the median of ``--repeat`` runs (CPU time of this process
beside the wall time, which a busy machine inflates):

* ``quick check (before)``: what the start did until December — ``PRAGMA quick_check`` and
  ``PRAGMA foreign_key_check`` (``storage.backup.integrity_check``);
* ``start-up check (now)``: :meth:`IntegrityService.startup_check` — ``PRAGMA integrity_check``
  (finds damaged indexes), foreign keys, and every row compared with its seal;
* ``added at start``: the difference, the figure the issue bounds at ~150 ms;
* ``full check``: ``kpi-desktop check`` without printing — SQLite, seals, signatures, every
  stored result recomputed, attachments, the newest good backup;
* ``write, sealed`` / ``write, unsealed``: one unit of work that saves a work-log entry and
  commits, on the database as it is and on a copy without the seal triggers — what sealing
  adds to an ordinary write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.daily import DailyWorkService, EntryDraft
from kpi_desktop.services.integrity import IntegrityService
from kpi_desktop.storage.backup import integrity_check
from kpi_desktop.storage.engine import open_database

TODAY = dt.date(2026, 11, 23)


def demo_folder() -> Path:
    cache = Path(os.environ.get("KPI_BENCH_CACHE", "/tmp/kpi-benchmarks")) / "integrity-demo"
    if not (cache / "kpi.db").exists():
        shutil.rmtree(cache, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(cache), "demo",
                        "--today", TODAY.isoformat()], check=True, capture_output=True)
    return cache


def measure(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``action``."""
    walls, cpus = [], []
    action()  # warm the page cache and the imports
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def writes(folder: Path) -> Callable[[], object]:
    paths = app_paths(folder)
    db = open_database(paths.database)  # no start-up check: the unsealed copy would fail it
    daily = DailyWorkService(db, paths.attachments_dir, today=lambda: TODAY)

    def write() -> object:
        return daily.save("vp-cv1", EntryDraft(work_date=TODAY, item_code="DC.01",
                                               quantity="1", completed_on=TODAY))
    return write


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    source = demo_folder()
    figures: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        shutil.copytree(source, folder)
        database = folder / "kpi.db"
        service = IntegrityService.for_paths(app_paths(folder))
        figures["quick check (before)"] = measure(args.repeat,
                                                  lambda: integrity_check(database))
        figures["start-up check (now)"] = measure(args.repeat, service.startup_check)
        before, now = figures["quick check (before)"], figures["start-up check (now)"]
        figures["added at start"] = (now[0] - before[0], now[1] - before[1])
        figures["full check"] = measure(max(3, args.repeat // 5), service.full_check)
        figures["write, sealed"] = measure(args.repeat, writes(folder))
        plain = Path(tmp) / "unsealed"
        shutil.copytree(source, plain)
        with sqlite3.connect(plain / "kpi.db") as con:
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                       "AND name LIKE 'seal%'").fetchall():
                con.execute(f'DROP TRIGGER "{name}"')
        con.close()
        figures["write, unsealed"] = measure(args.repeat, writes(plain))
        size = database.stat().st_size
    print(f"demo database: {size / 1e6:.1f} MB; median of {args.repeat} runs")
    print(f"{'':24} {'wall ms':>9} {'cpu ms':>9}")
    for name, (wall, cpu) in figures.items():
        print(f"{name:24} {wall:9.1f} {cpu:9.1f}")
    if args.json:
        args.json.write_text(json.dumps({k: {"wall_ms": round(w, 1), "cpu_ms": round(c, 1)}
                                         for k, (w, c) in figures.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
