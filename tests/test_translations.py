"""The translation files are complete, current and consistent with the sources."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import i18n as workflow  # noqa: E402

from kpi_desktop.runtime import i18n  # noqa: E402

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^}]*)?\}")


def _keys(ts: Path) -> set[tuple[str, str]]:
    return {(c, s) for c, s, _ in workflow.messages(ts)}


def test_ts_files_contain_every_marked_string(tmp_path):
    for language in workflow.LANGUAGES:
        shutil.copy(workflow.TRANSLATIONS / f"kpi_desktop_{language}.ts", tmp_path)
    workflow.lupdate(tmp_path)
    committed = _keys(workflow.TRANSLATIONS / "kpi_desktop_vi.ts")
    fresh = _keys(tmp_path / "kpi_desktop_vi.ts")
    assert fresh - committed == set(), "run: python packaging/i18n.py update"
    assert committed - fresh == set(), "obsolete strings: run python packaging/i18n.py update"


def test_vietnamese_is_complete():
    assert workflow.missing("vi") == []


def test_translations_keep_placeholders():
    ts = workflow.TRANSLATIONS / "kpi_desktop_vi.ts"
    for context, source, translation in workflow.messages(ts):
        assert sorted(PLACEHOLDER.findall(source)) == sorted(
            PLACEHOLDER.findall(translation.text or "")
        ), f"[{context}] {source!r} -> {translation.text!r}"


@pytest.mark.parametrize("language", sorted(workflow.LANGUAGES))
def test_qm_files_are_current(tmp_path, language):
    ts = workflow.TRANSLATIONS / f"kpi_desktop_{language}.ts"
    fresh = tmp_path / "fresh.qm"
    workflow.lrelease(ts, fresh)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), (
        "run: python packaging/i18n.py release"
    )


def test_translate_switches_language_without_qt_widgets():
    i18n.set_language("vi")
    assert i18n.current_language() == "vi"
    assert i18n.translate("Level", "Excellent") == "Hoàn thành xuất sắc nhiệm vụ"
    i18n.set_language("en")
    assert i18n.translate("Level", "Excellent") == "Excellent"


def test_unknown_text_falls_back_to_source_and_fills_placeholders():
    i18n.set_language("vi")
    assert i18n.translate("Nowhere", "Plain {x}").format(x=3) == "Plain 3"
