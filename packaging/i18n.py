"""Translation workflow: extract strings, fill Vietnamese text, compile .qm files.

    python packaging/i18n.py update          # extract every marked string, then compile
    python packaging/i18n.py missing         # Vietnamese messages that still need a text
    python packaging/i18n.py fill FILE.json  # {"Context": {"source": "bản dịch"}} into the .ts
    python packaging/i18n.py release         # compile translations/*.ts into .qm only
                                             # (also qtbase_vi.ts, Qt's own strings)

The .ts files are the source of truth and are committed with their compiled .qm files; a test
checks that both are current.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
SOURCES = ROOT / "kpi_desktop"
CATALOG = "kpi_desktop"
LANGUAGES = {"vi": [], "en": ["-pluralonly"]}


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials")
    return found


def source_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def lupdate(ts_dir: Path = TRANSLATIONS, *, quiet: bool = True) -> None:
    """Extract every marked string of the package into ``ts_dir``'s .ts files."""
    for language, options in LANGUAGES.items():
        ts = ts_dir / f"{CATALOG}_{language}.ts"
        cmd = [_tool("pyside6-lupdate"), *options, "-no-obsolete", "-locations", "none",
               *source_files(), "-ts", str(ts)]
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=quiet)


def lrelease(ts: Path, qm: Path) -> None:
    """Compile one .ts file."""
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def release(ts_dir: Path = TRANSLATIONS) -> None:
    for language in LANGUAGES:
        ts = ts_dir / f"{CATALOG}_{language}.ts"
        lrelease(ts, ts.with_suffix(".qm"))
    for ts in qt_catalogs(ts_dir):
        lrelease(ts, ts.with_suffix(".qm"))


def qt_catalogs(ts_dir: Path = TRANSLATIONS) -> list[Path]:
    """The project's translations of Qt's own strings (``qtbase_vi.ts``: dialog buttons, file
    dialogs, context menus), written by hand since Qt ships no Vietnamese; lupdate never
    touches them."""
    return sorted(ts_dir.glob("qtbase_*.ts"))


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, <translation> element) for every message of a .ts file."""
    tree = ET.parse(ts)
    out = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None:
                out.append((name, message.findtext("source") or "", translation))
    return out


def missing(language: str = "vi") -> list[tuple[str, str]]:
    ts = TRANSLATIONS / f"{CATALOG}_{language}.ts"
    return [(c, s) for c, s, t in messages(ts)
            if t.get("type") == "unfinished" or not (t.text or "").strip()]


def fill(mapping_file: Path, language: str = "vi") -> int:
    """Write translations from a JSON mapping into the .ts file; returns how many were set."""
    mapping: dict[str, dict[str, str]] = json.loads(mapping_file.read_text(encoding="utf-8"))
    ts = TRANSLATIONS / f"{CATALOG}_{language}.ts"
    tree = ET.parse(ts)
    count = 0
    for context in tree.getroot().iter("context"):
        table = mapping.get(context.findtext("name") or "", {})
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if source in table and translation is not None:
                translation.text = table[source]
                translation.attrib.pop("type", None)
                count += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  encoding="utf-8")
    return count


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"update", "missing", "fill", "release"}:
        print(__doc__)
        return 2
    command = argv[0]
    if command == "update":
        lupdate(quiet=False)
        release()
    elif command == "release":
        release()
    elif command == "fill":
        print(f"{fill(Path(argv[1]))} translations set")
        lupdate()  # back to lupdate's own layout, so the diff shows only the new texts
        release()
    todo = missing()
    for context, source in todo:
        print(f"missing vi: [{context}] {source}")
    return 1 if (command == "missing" and todo) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
