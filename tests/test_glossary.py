"""Every Vietnamese text uses the one rendering of ``docs/glossary.md`` (issue 17 §1).

The glossary page is the only list of terms: this test parses its tables, so adding a term
there is enough to enforce it. Both the catalog (``translations/kpi_desktop_vi.ts``) and the
pending files (``translations/pending/*.json``, which are filled into the catalog again after a
merge) are checked, so an old rendering cannot come back through a re-fill.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
sys.path.insert(0, str(ROOT / "packaging"))
import i18n as workflow  # noqa: E402


@dataclass(frozen=True)
class Term:
    english: tuple[str, ...]
    vietnamese: str
    accepted: tuple[str, ...]
    never: tuple[str, ...]

    def matches(self, source: str) -> bool:
        """Whether ``source`` (placeholders and longer terms already removed) names the term."""
        return any(_english_pattern(form).search(source) for form in self.english)


def _fold(text: str) -> str:
    """Lower case, NFC, mnemonics removed, any run of spaces one space."""
    text = unicodedata.normalize("NFC", text).replace("&&", "\0").replace("&", "")
    return re.sub(r"[\s_]+", " ", text.replace("\0", "&")).lower()


def _english_pattern(form: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in form.split()]
    return re.compile(r"(?<![\w.-])" + r"\s+".join(words) + r"(?:s|es)?(?![\w-]|\.\w)",
                      re.IGNORECASE)


def _english(source: str, term: Term) -> str:
    """``source`` without mnemonics, placeholders and the longer terms that contain ``term``
    ("catalog item" is its own term, so it does not also count as "catalog")."""
    text = re.sub(r"\{[^}]*\}", " ", source.replace("&", ""))
    for other in TERMS:
        if other is term:
            continue
        for form in other.english:
            if any(own.lower() in form.lower() and own.lower() != form.lower()
                   for own in term.english):
                text = _english_pattern(form).sub(" ", text)
    return text


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _split(cell: str) -> tuple[str, ...]:
    if cell in ("", "—", "-"):
        return ()
    return tuple(_fold(x.strip()) for x in cell.split(";") if x.strip())


def _tables() -> tuple[list[Term], list[tuple[re.Pattern[str], str]]]:
    terms: list[Term] = []
    patterns: list[tuple[re.Pattern[str], str]] = []
    section = ""
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = _cells(line)
        if section == "terms" and cells[0] != "English":
            terms.append(Term(
                english=tuple(x.strip() for x in cells[0].split(";") if x.strip()),
                vietnamese=_fold(cells[1]),
                accepted=_split(cells[2]),
                never=_split(cells[3]),
            ))
        elif section == "never anywhere" and cells[0] != "Pattern":
            pattern = cells[0].strip("`")
            patterns.append((re.compile(pattern, re.IGNORECASE), cells[1]))
    return terms, patterns


TERMS, NEVER = _tables()


def _catalog() -> list[tuple[str, str, str, str]]:
    """(where, context, English source, Vietnamese) of every translated message."""
    out = []
    ts = workflow.TRANSLATIONS / "kpi_desktop_vi.ts"
    for context, source, translation in workflow.messages(ts):
        out.append(("kpi_desktop_vi.ts", context, source, translation.text or ""))
    for path in sorted((workflow.TRANSLATIONS / "pending").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for context, texts in data.items():
            for source, text in texts.items():
                out.append((f"pending/{path.name}", context, source, text))
    return out


def violations(messages: list[tuple[str, str, str, str]]) -> list[str]:
    found = []
    for where, context, source, text in messages:
        folded = _fold(text)
        for term in TERMS:
            if not term.matches(_english(source, term)):
                continue
            rest = folded
            for good in (term.vietnamese, *term.accepted):
                rest = rest.replace(good, " ")
            bad = [n for n in term.never if n in rest]
            if bad:
                found.append(f"{where} [{context}] {source!r} -> {text!r}: "
                             f"“{bad[0]}” is never used for “{term.english[0]}”; "
                             f"write “{term.vietnamese}”")
            elif not any(v in folded for v in (term.vietnamese, *term.accepted)):
                found.append(f"{where} [{context}] {source!r} -> {text!r}: "
                             f"“{term.english[0]}” is “{term.vietnamese}”")
        for pattern, instead in NEVER:
            if pattern.search(unicodedata.normalize("NFC", text)):
                found.append(f"{where} [{context}] {source!r} -> {text!r}: "
                             f"“{pattern.pattern}” is never used; write {instead}")
    return found


def test_the_glossary_page_has_terms():
    assert len(TERMS) >= 30
    assert NEVER
    english = [form.lower() for t in TERMS for form in t.english]
    assert len(english) == len(set(english)), "a term is listed twice"
    for term in TERMS:
        assert term.vietnamese and term.vietnamese not in term.never


def test_every_translation_follows_the_glossary():
    found = violations(_catalog())
    assert not found, f"{len(found)} texts break docs/glossary.md:\n" + "\n".join(found)


@pytest.mark.parametrize(("source", "text"), [
    ("Scoring policy {version}", "Chính sách tính điểm {version}"),
    ("Evaluator", "Cấp đánh giá"),
    ("Import a staff list", "Nhập danh sách cán bộ"),
    ("units merged", "hợp nhất đơn vị"),
    ("organisation indicator entered", "nhập chỉ tiêu của cơ quan"),
    ("insufficient data", "không đủ dữ liệu"),
    ("failed review ×{n}", "không đạt chất lượng ×{n}"),
    ("Satisfactory from (points)", "Hoàn thành từ (điểm)"),
    ("Agency administrator", "Quản trị của cơ quan"),
    ("Who are you?", "Bạn là ai?"),
    ("(Article 13.3)", "(Điều 13.3)"),
    ("quota 25 %", "tỷ lệ 25 %"),
])
def test_a_drifting_rendering_is_caught(source, text):
    assert violations([("test", "Test", source, text)])


@pytest.mark.parametrize(("source", "text"), [
    ("Scoring policy {version}", "Quy tắc chấm điểm {version}"),
    ("Evaluator", "Người đánh giá"),
    ("Import a staff list", "Nhập danh sách công chức"),
    ("Satisfactory from (points)", "Hoàn thành nhiệm vụ từ (điểm)"),
    ("Who are you?", "Người sử dụng"),
    ("(Article 13.3)", "(khoản 3 Điều 13)"),
    ("Late", "Chậm tiến độ"),
])
def test_the_glossary_rendering_passes(source, text):
    assert violations([("test", "Test", source, text)]) == []
