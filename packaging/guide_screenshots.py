"""Pictures of the user guide (Help, F1): the demo's screens at 1366×768, offscreen, in
Vietnamese and English, scaled to 960 pixels wide into ``resources/guide/img/``.

    QT_QPA_PLATFORM=offscreen python packaging/guide_screenshots.py

The demo is made in a temporary folder with today = 2026-11-23 (the tests' day).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "resources" / "guide" / "img"
TODAY = dt.date(2026, 11, 23)
WIDTH = 960


def _services(folder: Path):  # noqa: ANN202
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.assignments import AssignmentService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService
    from kpi_desktop.services.evaluation import EvaluationService
    from kpi_desktop.services.review import ReviewService

    services = AppServices.open(app_paths(folder))
    services.daily = DailyWorkService(services.db, services.paths.attachments_dir,
                                      keys=services.keys, today=lambda: TODAY)
    services.review = ReviewService(services.db, today=TODAY)
    services.assignments = AssignmentService(services.db, today=TODAY)
    services.evaluation = EvaluationService(services.db, today=TODAY)
    return services


def _settle(app, page) -> None:  # noqa: ANN001
    """Let the page's background loading (the operation lane) finish and paint."""
    import time

    from kpi_desktop.ui.operations import wait_for_all

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        app.processEvents()
        wait_for_all(100)
        loading = getattr(page, "is_loading", None)
        if not (callable(loading) and loading()):
            break
    for _ in range(20):
        app.processEvents()


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.app import main as cli
    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.ui.desktop_window import DesktopWindow

    app = QApplication.instance() or QApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "demo"
        assert cli(["--data-dir", str(folder), "demo", "--today", TODAY.isoformat()]) == 0
        services = _services(folder)
        for code in ("DC.27", "DC.17", "VP.17"):
            services.favourites.add("vp-cv1", code)
        shots = [
            ("today", "vp-cv1", "today", None),
            ("notices", "kt-cv3", "today", None),
            ("score", "vp-cv1", "score", lambda p: p.month.setCurrentIndex(
                p.month.findData("2026-11"))),
            ("month", "vp-cv1", "month", None),
            ("sync", "vp-cv1", "sync", None),
            ("inbox", "vp-cvp", "leader.inbox", lambda p: (p.reload_now(), p.select_next())),
            ("reconciliation", "ct", "reconciliation", lambda p: p.idle.setValue(2)),
        ]
        for language in ("vi", "en"):
            i18n.set_language(language)
            for name, person, page_id, prepare in shots:
                window = DesktopWindow(services, settings=Settings(), person_id=person)
                window.resize(1366, 768)
                window.show()
                page = window.show_page_id(page_id)
                _settle(app, page)
                if prepare is not None and page is not None:
                    prepare(page)
                _settle(app, page)
                image = window.grab().scaledToWidth(
                    WIDTH, Qt.TransformationMode.SmoothTransformation)
                target = OUT / f"{name}-{language}.png"
                image.save(str(target))
                print(f"{target.relative_to(ROOT)} {target.stat().st_size // 1024} KB")
                window.close()
                window.deleteLater()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
