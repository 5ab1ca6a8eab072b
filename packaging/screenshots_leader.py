"""Render PNG screenshots of the leader's pages in Vietnamese and English.

    python packaging/screenshots_leader.py [--out DIR] [--data-dir DIR] [--person ID]

Offscreen at 1366×768 on a demo data folder (made when missing, today = 2026-11-23); pending
translations are compiled in first (see packaging/screenshots.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from screenshots import preview_translations  # noqa: E402

DEMO_TODAY = dt.date(2026, 11, 23)
SIZE = (1366, 768)


def render(out: Path, data_dir: Path, person: str, unit: str,
           languages: tuple[str, ...]) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.app import main as app_main
    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.assignments import AssignmentService
    from kpi_desktop.services.classification import ClassificationService
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.evaluation import EvaluationService
    from kpi_desktop.services.review import ReviewService
    from kpi_desktop.ui.pages.base import UserContext
    from kpi_desktop.ui.pages.registry import leader_pages

    if not (data_dir / "kpi.db").exists():
        app_main(["--data-dir", str(data_dir), "--lang", "en", "demo", "--today",
                  DEMO_TODAY.isoformat()])
    app = QApplication.instance() or QApplication([])
    translations = preview_translations(Path(tempfile.mkdtemp(prefix="kpi-tr-")))
    services = AppServices.open(app_paths(data_dir))
    services.review = ReviewService(services.db, today=DEMO_TODAY)
    services.assignments = AssignmentService(services.db, today=DEMO_TODAY)
    services.evaluation = EvaluationService(services.db, today=DEMO_TODAY)
    services.classification = ClassificationService(services.db, today=DEMO_TODAY)
    with services.db.unit_of_work(read_only=True) as uow:
        who = uow.org.get_person(person)
    user = UserContext(person_id=who.id, full_name=who.full_name, role=who.role.value,
                       unit_id=unit or who.unit_id, is_evaluator=True)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        i18n.set_language(language, translations)
        for page_class in leader_pages():
            page = page_class(services, user)
            page.resize(*SIZE)
            page.show()
            page.refresh()
            app.processEvents()
            path = out / f"leader-{page_class.page_id.split('.')[-1]}-{person}-{language}.png"
            page.grab().save(str(path))
            written.append(path)
            page.close()
            page.deleteLater()
            app.processEvents()
    services.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"))
    parser.add_argument("--data-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "kpi-leader-shots")
    parser.add_argument("--person", default="hcc-gd")
    parser.add_argument("--unit", default="")
    parser.add_argument("--lang", nargs="*", default=["vi", "en"])
    args = parser.parse_args(argv)
    for path in render(args.out, args.data_dir, args.person, args.unit, tuple(args.lang)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
