"""Render PNG screenshots of the official's main screens in Vietnamese and English.

    python packaging/screenshots.py [--out DIR] [--data-dir DIR] [--person ID]

Runs offscreen at 1366×768 on a demo data folder (made when missing, today = 2026-11-23).
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


OFFICIAL_PAGES = ("today", "assignments", "score", "month", "settings")


def render(out: Path, data_dir: Path, person: str, languages: tuple[str, ...],
           pages: tuple[str, ...] | None = OFFICIAL_PAGES) -> list[Path]:
    """Screenshots of ``pages`` (page ids; None = every page of ``person``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kpi_desktop.app import main as app_main
    from kpi_desktop.runtime import i18n
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService
    from kpi_desktop.ui.desktop_window import DesktopWindow

    if not (data_dir / "kpi.db").exists():
        app_main(["--data-dir", str(data_dir), "--lang", "en", "demo", "--today",
                  DEMO_TODAY.isoformat()])
    app = QApplication.instance() or QApplication([])
    translations = preview_translations(Path(tempfile.mkdtemp(prefix="kpi-tr-")))
    paths = app_paths(data_dir)
    services = AppServices.open(paths)
    services.daily = DailyWorkService(services.db, paths.attachments_dir,
                                      today=lambda: DEMO_TODAY)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        i18n.set_language(language, translations)
        window = DesktopWindow(services, person_id=person)
        window.resize(*SIZE)
        window.show()
        app.processEvents()
        for index, page in enumerate(window.pages):
            if pages is not None and page.page_id not in pages:
                continue
            window.show_page(index)
            if page.page_id == "today":
                page.set_day(DEMO_TODAY - dt.timedelta(days=5))  # a day with entries
                page.set_week_mode(True)
                page.new_entry()  # the entry form with the catalog search at work
                page.editor.picker.query.setText("xu ly")
                page.editor.picker.search()
            for _ in range(3):  # let posted layout requests settle before grabbing
                app.processEvents()
            path = out / f"{page.page_id}-{language}.png"
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
    parser.add_argument("--person", default="vp-cv1")
    parser.add_argument("--languages", default="vi,en")
    parser.add_argument("--all-pages", action="store_true",
                        help="every page of the person, not only the official's desk")
    args = parser.parse_args(argv)
    for path in render(args.out, args.data_dir, args.person, tuple(args.languages.split(",")),
                       None if args.all_pages else OFFICIAL_PAGES):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
