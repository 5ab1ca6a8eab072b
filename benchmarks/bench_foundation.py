"""Foundation timings on the demo organisation: create it, score a month, classify the year.

    python benchmarks/bench_foundation.py [--repeat 5]

Prints one line per measurement (median of the repeats, in milliseconds). The performance
issue grows this folder into the commune / unit / province suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices


def measure(label: str, repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{label:<45} {median:9.1f} ms  (min {min(times):.1f}, n={repeat})")
    return median


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    today = dt.date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as tmp:
        folders = iter(Path(tmp) / f"d{i}" for i in range(args.repeat))

        def create() -> None:
            services = AppServices.open(app_paths(next(folders)))
            services.demo.create(today=today)
            services.close()

        measure("demo organisation (25 people, 11 months)", args.repeat, create)
        services = AppServices.open(app_paths(Path(tmp) / "d0"))
        measure("one person's month with its why (head)", args.repeat,
                lambda: services.scores.person_period("hcc-gd", "2026-09"))
        measure("classify the commune's year (25 people)", args.repeat,
                lambda: services.scores.classify_unit("xa", 2026))
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
