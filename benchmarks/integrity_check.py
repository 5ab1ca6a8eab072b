"""What the integrity checks and the row seals cost on the demo (issue 13).

    python benchmarks/integrity_check.py [--repeat 15] [--json OUT]
    python benchmarks/integrity_check.py --data-dir FOLDER [--repeat 3] [--json OUT]

On a fresh demo data folder (``kpi-desktop demo --today 2026-11-23``, cached in
``$KPI_BENCH_CACHE``) or on a copy of ``--data-dir`` (any data folder, e.g. the 300-person year
of ``benchmarks/generate.py --size unit``; the original is never touched), each figure the
median of ``--repeat`` runs (CPU time of this process beside the wall time, which a busy
machine inflates):

* ``quick check (before)``: what the start did until December — ``PRAGMA quick_check`` and
  ``PRAGMA foreign_key_check`` (``storage.backup.integrity_check``);
* ``start-up check (now)``: :meth:`IntegrityService.startup_check` — ``PRAGMA integrity_check``
  (finds damaged indexes), foreign keys, and every row compared with its seal;
* ``added at start``: the difference, the figure the issue bounds at ~150 ms;
* ``full check``: ``kpi-desktop check`` without printing — SQLite, seals, signatures, every
  stored result recomputed, attachments, the newest good backup;
* ``full check, GUI stall``: the full check as the application runs it (``Op.reporting`` on
  its own worker lane, progress delivered to the GUI thread, the objects made before frozen
  as ``app.py`` does after sign-in) while a 10 ms timer ticks on
  the GUI thread — the wall column is the check's duration, the cpu column the LONGEST gap
  between two ticks (the issue bounds it at 100 ms);
* ``write, sealed`` / ``write, unsealed``: one unit of work that saves a work-log entry and
  commits, on the database as it is and on a copy without the seal triggers — what sealing
  adds to an ordinary write (demo only: it writes as the demo's ``vp-cv1``).

From Python (what the perf helper calls on its own data, e.g. the 300-person year)::

    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.integrity import IntegrityService
    report = IntegrityService.for_paths(app_paths(folder)).full_check(
        progress=lambda done, total: ..., cancelled=lambda: False)
    report.ok, report.findings, report.seconds

or :func:`full_check_figures` / :func:`gui_stall` of this module.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
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


def full_check_figures(folder: Path, repeat: int = 3) -> dict[str, tuple[float, float]]:
    """Median (wall ms, CPU ms) of the start-up check and of the full check on ``folder``,
    and :func:`gui_stall`'s figures (check's wall ms, longest GUI gap ms)."""
    service = IntegrityService.for_paths(app_paths(folder))
    return {"start-up check (now)": measure(repeat, service.startup_check),
            "full check": measure(repeat, service.full_check),
            "full check, GUI stall": gui_stall(folder)}


def gui_stall(folder: Path, tick_ms: int = 10) -> tuple[float, float]:
    """Run the full check the way the application does (its own lane, progress to the GUI
    thread) and measure the longest gap between ticks of a ``tick_ms`` timer on the GUI
    thread. Returns (the check's wall ms, the longest gap ms)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from kpi_desktop.ui.operations import Op, Runner

    app = QApplication.instance() or QApplication([])
    service = IntegrityService.for_paths(app_paths(folder))
    service.startup_check()  # modules imported, as in the application after the start
    gc.freeze()  # as the application does after sign-in (app.py): what exists is not walked
    lane = Runner()
    label = QLabel()  # what the status bar does with each progress report
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(tick_ms)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    done: list[object] = []
    timer.start()
    started = time.perf_counter()
    ticks.append(started)
    Op.reporting(None, lambda progress, cancelled: service.full_check(
        progress=progress, cancelled=cancelled)).on_progress(
        lambda d, t: label.setText(f"{100 * d // max(t, 1)}%")).success(done.append).failure(
        done.append).run(on=lane)
    while not done:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    wall = (time.perf_counter() - started) * 1000
    timer.stop()
    gc.unfreeze()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    return wall, max(gaps, default=0.0) * 1000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--data-dir", type=Path, help="a data folder to measure (copied) "
                        "instead of the demo")
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        return measure_folder(args)
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
        figures["full check, GUI stall"] = gui_stall(folder)
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
    _print(f"demo database: {size / 1e6:.1f} MB; median of {args.repeat} runs", figures,
           args.json)
    return 0


def measure_folder(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(args.data_dir, folder)
        size = (folder / "kpi.db").stat().st_size
        figures = full_check_figures(folder, args.repeat)
        findings = len(IntegrityService.for_paths(app_paths(folder)).full_check().findings)
    _print(f"{args.data_dir}: database {size / 1e6:.1f} MB, {findings} findings; median of "
           f"{args.repeat} runs", figures, args.json)
    return 0


def _print(title: str, figures: dict[str, tuple[float, float]], out: Path | None) -> None:
    print(title)
    print(f"{'':24} {'wall ms':>9} {'cpu ms':>9}   (GUI stall: check ms, longest gap ms)")
    for name, (wall, cpu) in figures.items():
        print(f"{name:24} {wall:9.1f} {cpu:9.1f}")
    if out:
        out.write_text(json.dumps({k: {"wall_ms": round(w, 1), "cpu_ms": round(c, 1)}
                                   for k, (w, c) in figures.items()}, indent=1))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
