"""Render every report of the demo organisation to PDF and PNG, for looking at them.

    .venv/bin/python packaging/render_reports.py [--out DIR] [--data-dir DIR] [--dpi 80]

Without ``--data-dir`` a demo organisation is created in a temporary folder (today =
2026-11-23). Each PDF is written in Vietnamese and English and turned into one PNG per page with
``pdftoppm`` (poppler-utils); the time to build each PDF is printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JOBS = [
    ("form01-month", "form01", ("kt-cv1", "2026-03")),
    ("form01-leader", "form01", ("kt-tp", "2026-10")),
    ("form01-insufficient", "form01", ("kt-cv3", "2026-05")),
    ("form01-quarter", "form01", ("hcc-cv2", "2026-Q2")),
    ("form02", "form02", ("kt-cv1", "2026")),
    ("form02-few-months", "form02", ("vp-cv3", "2026")),
    ("unit-month", "unit", ("xa", "2026-03")),
    ("unit-quarter", "unit", ("kt", "2026-Q3")),
    ("unit-year", "unit", ("xa", "2026")),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "reports"))
    parser.add_argument("--data-dir")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--lang", choices=["vi", "en", "both"], default="both")
    args = parser.parse_args()

    from kpi_desktop.app import main as app_main
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    temp = None
    data_dir = args.data_dir
    if data_dir is None:
        temp = tempfile.mkdtemp(prefix="kpi-reports-")
        data_dir = temp
        app_main(["--data-dir", data_dir, "--lang", "en", "demo", "--today", "2026-11-23"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    services = AppServices.open(app_paths(data_dir))
    languages = ["vi", "en"] if args.lang == "both" else [args.lang]
    try:
        for name, kind, (subject, period) in JOBS:
            for language in languages:
                pdf = out / f"{name}-{language}.pdf"
                started = time.perf_counter()
                if kind == "form01":
                    result = services.reports.form01(subject, period, pdf, language)
                elif kind == "form02":
                    result = services.reports.form02(subject, period, pdf, language)
                else:
                    result = services.reports.unit_summary(subject, period, pdf, language)
                seconds = time.perf_counter() - started
                if shutil.which("pdftoppm"):
                    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf),
                                    str(out / f"{name}-{language}")], check=True)
                print(f"{pdf.name:<34} {result.pages} p  {seconds * 1000:6.0f} ms  {result.code}")
    finally:
        services.close()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
