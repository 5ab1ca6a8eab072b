"""Regenerate resources/demo/catalog_nghia_lam.json (the demo product/work catalog).

Inputs:

* the xã Nghĩa Lâm workbook (QĐ 283/QĐ-UBND, 31/5/2026), read with
  ``kpi_desktop.services.catalog_xlsx.read_catalog_xlsx``; it is found at ``--source``, else
  ``$KPI_DEMO_CATALOG_XLSX``, else ``resources/demo/nghia-lam-qd283-catalog.xlsx``, else the
  shared reference copy;
* ``resources/demo/catalog_nghia_lam_en.json``: the English names (source of truth for
  ``name_en``/``output_en`` of every item, the criteria, the divisions and the fields).

Usage::

    python packaging/build_demo_catalog.py            # rewrite the JSON
    python packaging/build_demo_catalog.py --check    # exit 1 if the committed JSON is stale

Exit status: 0 done, 1 ``--check`` found a difference, 2 the inputs are incomplete or invalid
(for example an item without an English name).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo"
DEFAULT_OUTPUT = DEMO_DIR / "catalog_nghia_lam.json"
DEFAULT_TRANSLATIONS = DEMO_DIR / "catalog_nghia_lam_en.json"
SOURCE_ENV = "KPI_DEMO_CATALOG_XLSX"
SOURCE_NAME = "nghia-lam-qd283-catalog.xlsx"
SOURCE_CANDIDATES = (
    DEMO_DIR / SOURCE_NAME,
    ROOT / "tests" / "fixtures" / SOURCE_NAME,
    Path("/work/shared/reference/legal") / SOURCE_NAME,
)

FORMAT = "kpi-desktop/catalog"
FORMAT_VERSION = 1
CATALOG_VERSION = "NL-QD283-2026.1"
STANDARD_UNIT_CODE = "DC.01"
# ASSUMPTION: QĐ 283 has no time norms. A 5-point standard document is taken as 30 minutes,
# so a periodic report (60 points) is a working day's 6 hours of norm time.
MINUTES_PER_POINT = 6

SOURCE_DOCUMENT = {
    "number": "283/QĐ-UBND",
    "date": "2026-05-31",
    "issuer_vi": "UBND xã Nghĩa Lâm",
    "issuer_en": "People's Committee of Nghĩa Lâm commune",
    "citation_vi": "Quyết định số 283/QĐ-UBND ngày 31/5/2026 của UBND xã Nghĩa Lâm",
    "citation_en": (
        "Decision No. 283/QĐ-UBND of 31 May 2026 of the People's Committee of Nghĩa Lâm commune"
    ),
}
ASSUMPTIONS = {
    "time_norm_minutes": (
        "ASSUMPTION: the decision gives no time norms; time_norm_minutes = points × "
        f"{MINUTES_PER_POINT} (a 5-point standard document ≈ 30 minutes)."
    ),
    "complexity_level": "complexity_level = n of the group Nn (N1 → 1 … N5 → 5).",
    "english": (
        "name_en, output_en, text_en and the fields' names are unofficial translations kept in "
        "resources/demo/catalog_nghia_lam_en.json."
    ),
    "fields": (
        "field_code = the code prefix of a division item (KTDC.17 → KTDC); null for leadership "
        "and shared items. The fields' Vietnamese names are inferred from their items."
    ),
    "decimals": (
        "points, coefficient, max_points and standard_unit_points are decimal strings; "
        "coefficient = ROUND(points / standard_unit_points, 2)."
    ),
}

_PLACEHOLDER_RE = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|\?\?", re.IGNORECASE)


class BuildError(Exception):
    """The inputs cannot produce a complete catalog; ``problems`` lists why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def find_source(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get(SOURCE_ENV):
        return Path(os.environ[SOURCE_ENV])
    for candidate in SOURCE_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise BuildError([f"source workbook {SOURCE_NAME} not found; use --source or ${SOURCE_ENV}"])


def _read_catalog(source: Path) -> Any:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from kpi_desktop.domain.errors import RefusedValue
    from kpi_desktop.services.catalog_xlsx import read_catalog_xlsx

    try:
        return read_catalog_xlsx(source)
    except RefusedValue as exc:
        raise BuildError([f"{source}: {exc}"]) from exc


def _dec(value: Decimal) -> str:
    return str(value)


def _english_problems(where: str, english: Any, vietnamese: str | None = None) -> list[str]:
    if not isinstance(english, str) or not english.strip():
        return [f"{where}: no English text"]
    problems = []
    if english != english.strip() or unicodedata.normalize("NFC", english) != english:
        problems.append(f"{where}: English text is not trimmed NFC")
    decomposed = unicodedata.normalize("NFD", english)
    if any(unicodedata.combining(c) for c in decomposed) or "đ" in english.casefold():
        problems.append(f"{where}: English text contains Vietnamese letters: {english!r}")
    if vietnamese is not None and english.casefold() == vietnamese.casefold():
        problems.append(f"{where}: English text is a copy of the Vietnamese")
    if _PLACEHOLDER_RE.search(english):
        problems.append(f"{where}: English text is a placeholder: {english!r}")
    return problems


def build_catalog(source: Path, translations: dict[str, Any]) -> dict[str, Any]:
    """Return the catalog document (plain JSON types, fixed key order)."""
    data = _read_catalog(source)
    problems: list[str] = []

    en_items: dict[str, Any] = translations.get("items", {})
    en_divisions: dict[str, Any] = translations.get("divisions", {})
    en_fields: dict[str, Any] = translations.get("fields", {})
    en_criteria: dict[str, Any] = translations.get("criteria", {})

    codes = {item.code for item in data.items}
    for item in data.items:
        entry = en_items.get(item.code) or {}
        problems += _english_problems(f"{item.code} name_en", entry.get("name_en"), item.name_vi)
        problems += _english_problems(
            f"{item.code} output_en", entry.get("output_en"), item.output_vi
        )
    problems += [
        f"{code}: English name for an item not in the workbook"
        for code in en_items
        if code not in codes
    ]

    # Divisions and fields.
    division_of_field: dict[str, str] = {}
    for item in data.items:
        if item.scope != "division":
            continue
        if item.division_vi not in en_divisions:
            problems.append(f"{item.code}: division {item.division_vi!r} has no English entry")
        prefix = item.code_prefix
        known = division_of_field.setdefault(prefix, item.division_vi or "")
        if known != item.division_vi:
            problems.append(f"{item.code}: field {prefix} is in two divisions")
        if prefix not in en_fields:
            problems.append(f"{item.code}: field {prefix} has no entry in 'fields'")
    for name, entry in en_divisions.items():
        problems += _english_problems(f"division {name!r}", entry.get("name_en"), name)
        if not entry.get("code"):
            problems.append(f"division {name!r}: no code")
    for prefix, entry in en_fields.items():
        if prefix not in division_of_field:
            problems.append(f"field {prefix}: no item in the workbook")
        if not entry.get("name_vi"):
            problems.append(f"field {prefix}: no name_vi")
        problems += _english_problems(f"field {prefix}", entry.get("name_en"), entry.get("name_vi"))

    # Criteria.
    criterion_keys = [g.group for g in data.criterion_groups] + [
        f"{c.group}.{c.number}" for c in data.criteria
    ]
    texts_vi = {g.group: g.text_vi for g in data.criterion_groups} | {
        f"{c.group}.{c.number}": c.text_vi for c in data.criteria
    }
    for key in criterion_keys:
        problems += _english_problems(f"criterion {key}", en_criteria.get(key), texts_vi[key])
    problems += [
        f"criterion {key}: not in the workbook" for key in en_criteria if key not in texts_vi
    ]

    standard = next((i for i in data.items if i.code == STANDARD_UNIT_CODE), None)
    if standard is None or standard.points != data.standard_unit_points:
        problems.append(f"{STANDARD_UNIT_CODE} is not the {data.standard_unit_points}-point unit")

    if problems:
        raise BuildError(problems)

    division_code = {name: entry["code"] for name, entry in en_divisions.items()}
    scope_counts = Counter(item.scope for item in data.items)
    group_counts = Counter(item.group for item in data.items)
    field_counts = Counter(i.code_prefix for i in data.items if i.scope == "division")
    division_counts = Counter(i.division_vi for i in data.items if i.scope == "division")
    group_ranges = {item.group: (item.point_min, item.point_max) for item in data.items}

    items = []
    for item in data.items:
        entry = en_items[item.code]
        minutes = (item.points * MINUTES_PER_POINT).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        is_division = item.scope == "division"
        items.append(
            {
                "code": item.code,
                "scope": item.scope,
                "division_code": division_code[item.division_vi] if is_division else None,
                "division_vi": item.division_vi,
                "division_en": en_divisions[item.division_vi]["name_en"] if is_division else None,
                "field_code": item.code_prefix if is_division else None,
                "name_vi": item.name_vi,
                "name_en": entry["name_en"],
                "detail_vi": item.detail_vi,
                "output_vi": item.output_vi,
                "output_en": entry["output_en"],
                "group": item.group,
                "complexity_level": item.complexity_level,
                "point_min": item.point_min,
                "point_max": item.point_max,
                "points": _dec(item.points),
                "coefficient": _dec(item.coefficient),
                "time_norm_minutes": int(minutes),
                "note": item.note,
            }
        )

    criteria_groups = []
    for group in data.criterion_groups:
        criteria_groups.append(
            {
                "group": group.group,
                "text_vi": group.text_vi,
                "text_en": en_criteria[group.group],
                "max_points": _dec(group.max_points),
                "items": [
                    {
                        "number": c.number,
                        "text_vi": c.text_vi,
                        "text_en": en_criteria[f"{c.group}.{c.number}"],
                        "max_points": _dec(c.max_points),
                    }
                    for c in data.criteria
                    if c.group == group.group
                ],
            }
        )

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "catalog": {
            "version": CATALOG_VERSION,
            "name_vi": "Danh mục sản phẩm/công việc quy đổi - UBND xã Nghĩa Lâm",
            "name_en": "Converted product/work catalog - People's Committee of Nghĩa Lâm commune",
            "source_document": {
                **SOURCE_DOCUMENT,
                "file": SOURCE_NAME,
                "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            },
            "standard_unit_points": _dec(data.standard_unit_points),
            "standard_unit_code": STANDARD_UNIT_CODE,
            "assumptions": ASSUMPTIONS,
            "counts": {
                "leadership": scope_counts["leadership"],
                "shared": scope_counts["shared"],
                "division": scope_counts["division"],
                "total": len(data.items),
            },
        },
        "groups": [
            {
                "code": group,
                "complexity_level": int(group[1:]),
                "point_min": group_ranges[group][0],
                "point_max": group_ranges[group][1],
                "item_count": group_counts[group],
            }
            for group in sorted(group_ranges)
        ],
        "divisions": [
            {
                "code": entry["code"],
                "name_vi": name,
                "name_en": entry["name_en"],
                "field_codes": [p for p in en_fields if division_of_field[p] == name],
                "item_count": division_counts[name],
            }
            for name, entry in en_divisions.items()
        ],
        "fields": [
            {
                "code": prefix,
                "division_code": division_code[division_of_field[prefix]],
                "name_vi": entry["name_vi"],
                "name_en": entry["name_en"],
                "item_count": field_counts[prefix],
            }
            for prefix, entry in en_fields.items()
        ],
        "general_criteria": {
            "max_points": _dec(sum((g.max_points for g in data.criterion_groups), Decimal(0))),
            "groups": criteria_groups,
        },
        "items": items,
    }


def render(document: dict[str, Any]) -> str:
    """The file's exact text: UTF-8 JSON, NFC, one-space indent, trailing newline."""
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    return unicodedata.normalize("NFC", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help=f"the workbook (default: ${SOURCE_ENV} or {SOURCE_NAME})")
    parser.add_argument("--translations", default=str(DEFAULT_TRANSLATIONS))
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)

    try:
        source = find_source(args.source)
        translations = json.loads(Path(args.translations).read_text(encoding="utf-8"))
        text = render(build_catalog(source, translations))
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2

    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            print(f"{output} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print(f"wrote {output} ({len(text.encode('utf-8'))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
