"""Level names in narrow table cells (review §2.3 #46): the administration's abbreviations in
Vietnamese, the level's own name in English; the full name stays ``level_label``."""

from __future__ import annotations

import pytest

from kpi_desktop.domain.scores import Level
from kpi_desktop.runtime import i18n
from kpi_desktop.services.messages import level_abbreviation, level_label


@pytest.mark.parametrize(("language", "expected"), [
    ("vi", ["HTXSNV", "HTTNV", "HTNV", "KHTNV", "Không xếp loại"]),
    ("en", ["Excellent", "Good", "Satisfactory", "Unsatisfactory", "Not classified"]),
])
def test_abbreviations(language, expected):
    i18n.set_language(language)
    try:
        levels = [Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE, None]
        assert [level_abbreviation(level) for level in levels] == expected
        assert [level_abbreviation(level.value if level else None) for level in levels] \
            == expected
        if language == "vi":
            assert level_label(Level.EXCELLENT) == "Hoàn thành xuất sắc nhiệm vụ"
    finally:
        i18n.set_language("en")
