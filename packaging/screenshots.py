"""Render PNG screenshots of the main screens in Vietnamese and English.

    python packaging/screenshots.py [--out DIR] [--data-dir DIR] [--person ID] [--all-pages]

Runs offscreen at 1366×768 on a demo data folder (made when missing, today = 2026-11-23): the
whole window of the official (vp-cv1), the division head (hcc-gd, ``leader-*``), the chairman
(ct, ``chairman-*``) and the agency administrator, each page once its data has loaded.
Translations still waiting in ``translations/pending/*.json`` are compiled into a temporary
catalog first, so the screenshots show the Vietnamese a user will see once they are merged.
The README's screenshots are made with ``--out docs/screenshots``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
sys.path.insert(0, str(ROOT))

import i18n as workflow  # noqa: E402

DEMO_TODAY = dt.date(2026, 11, 23)
SIZE = (1366, 768)


def preview_translations(target: Path) -> Path:
    """Compile the committed .ts files plus every pending JSON into ``target``'s .qm files."""
    target.mkdir(parents=True, exist_ok=True)
    for language in workflow.LANGUAGES:
        shutil.copy(workflow.TRANSLATIONS / f"kpi_desktop_{language}.ts", target)
    workflow.lupdate(target)
    pending: dict[str, dict[str, str]] = {}
    for path in sorted((workflow.TRANSLATIONS / "pending").glob("*.json")):
        for context, table in json.loads(path.read_text(encoding="utf-8")).items():
            pending.setdefault(context, {}).update(table)
    ts = target / "kpi_desktop_vi.ts"
    tree = ET.parse(ts)
    for context in tree.getroot().iter("context"):
        table = pending.get(context.findtext("name") or "", {})
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source") or ""
            if translation is not None and source in table:
                translation.text = table[source]
                translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    workflow.release(target)
    return target


#: What docs/screenshots shows: (person, the pages of theirs, the file name's prefix).
SHOTS = (
    ("vp-cv1", ("today", "assignments", "score", "month", "appeals", "sync", "settings"), ""),
    ("hcc-gd", ("leader.inbox", "leader.assignments", "leader.evaluation", "leader.unit",
                "leader.classification", "leader.kpi_kinds", "reconciliation"),
     "leader-"),
    ("ct", ("leader.org_evaluation", "leader.appeals"), "chairman-"),
    ("agency", ("agency_people", "agency_catalog", "agency_publish"), ""),
)
OFFICIAL_PAGES = SHOTS[0][1]


def open_demo(data_dir: Path) -> Any:
    """The demo's services on ``DEMO_TODAY`` (the demo folder is made when missing)."""
    from kpi_desktop.app import main as app_main
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    if not (data_dir / "kpi.db").exists():
        app_main(["--data-dir", str(data_dir), "--lang", "en", "demo", "--today",
                  DEMO_TODAY.isoformat()])
    services = AppServices.open(app_paths(data_dir), today=DEMO_TODAY)
    if getattr(services, "clock", None) is None:  # before the one clock: service by service
        from kpi_desktop.services.assignments import AssignmentService
        from kpi_desktop.services.classification import ClassificationService
        from kpi_desktop.services.daily import DailyWorkService
        from kpi_desktop.services.evaluation import EvaluationService
        from kpi_desktop.services.review import ReviewService

        services.daily = DailyWorkService(services.db, services.paths.attachments_dir,
                                          keys=services.keys, today=lambda: DEMO_TODAY)
        for name, kind in (("review", ReviewService), ("assignments", AssignmentService),
                           ("evaluation", EvaluationService),
                           ("classification", ClassificationService)):
            setattr(services, name, kind(services.db, today=DEMO_TODAY))
    return services


def settle(app: Any, page: Any) -> None:
    """Let the page's background loading finish and the layout settle."""
    import time

    from kpi_desktop.ui.operations import wait_for_all

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        app.processEvents()
        wait_for_all(100)
        loading = getattr(page, "is_loading", None)
        if not (callable(loading) and loading()):
            break
    for _ in range(10):
        app.processEvents()


def render(out: Path, data_dir: Path, person: str, languages: tuple[str, ...],
           pages: tuple[str, ...] | None = OFFICIAL_PAGES, prefix: str = "") -> list[Path]:
    """The whole window at 1366×768 on each of ``person``'s ``pages`` (page ids; None: every
    page), as ``<prefix><page>-<language>.png`` ("leader.inbox" → "inbox")."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.settings import Settings
    from kpi_desktop.ui.desktop_window import DesktopWindow

    app = QApplication.instance() or QApplication([])
    translations = preview_translations(Path(tempfile.mkdtemp(prefix="kpi-tr-")))
    services = open_demo(data_dir)
    if person == "agency":
        services.keys.unlock("agency", "demo")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        i18n.set_language(language, translations)
        window = DesktopWindow(services, settings=Settings(), person_id=person)
        window.resize(*SIZE)
        window.show()
        app.processEvents()
        for index, page in enumerate(window.pages):
            if pages is not None and page.page_id not in pages:
                continue
            window.show_page(index)
            settle(app, page)
            if page.page_id == "today":
                page.set_day(DEMO_TODAY - dt.timedelta(days=5))  # a day with entries
                page.set_week_mode(True)
                page.new_entry()  # the entry form with the catalog search at work
                page.editor.picker.query.setText("xu ly")
                page.editor.picker.search()
                settle(app, page)
            name = page.page_id.split(".")[-1].removeprefix("agency_")
            path = out / f"{prefix}{name}-{language}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
        window.deleteLater()
        app.processEvents()
    services.close()
    i18n.set_language("en")
    shutil.rmtree(translations, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--data-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "kpi-desktop-screenshots")
    parser.add_argument("--person", help="only this person's pages (default: the official, "
                        "the division head, the chairman and the agency)")
    parser.add_argument("--languages", default="vi,en")
    parser.add_argument("--all-pages", action="store_true",
                        help="every page of the person, not only those of docs/screenshots")
    args = parser.parse_args(argv)
    languages = tuple(args.languages.split(","))
    shots = [s for s in SHOTS if s[0] == args.person] if args.person else list(SHOTS)
    if args.person and not shots:
        shots = [(args.person, OFFICIAL_PAGES, "")]
    for person, pages, prefix in shots:
        for path in render(args.out, args.data_dir, person, languages,
                           None if args.all_pages else pages, prefix):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
