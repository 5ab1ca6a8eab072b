"""The pure helpers the storage layer relies on: periods, text normalisation, canonical JSON."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    GENERAL_CRITERIA,
    CatalogItem,
    PersonRole,
    StatementKind,
    WorkLogEntry,
)
from kpi_desktop.domain.values import (
    Period,
    PeriodKind,
    canonical_json,
    fold_text,
    normalize_text,
    shift_months,
    to_decimal,
)
from kpi_desktop.storage.orm import fraction_text


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-03", PeriodKind.MONTH, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("2024-02", PeriodKind.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-Q1", PeriodKind.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-q4", PeriodKind.QUARTER, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-H2", PeriodKind.HALF, dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        (" 2026 ", PeriodKind.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        # month first, as Vietnamese officials write a month (review §3 #3)
        ("9/2026", PeriodKind.MONTH, dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        ("09/2026", PeriodKind.MONTH, dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        ("12/2026", PeriodKind.MONTH, dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_periods_parse(text: str, kind: PeriodKind, start: dt.date, end: dt.date) -> None:
    period = Period.parse(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-3", "2026-Q5", "2026-Q0",
                                  "2026-H3", "26-03", "2026/03", "", "March", "2026-03-01",
                                  "13/2026", "0/2026", "009/2026", "9/26", "9/2026/1"])
def test_malformed_periods_are_refused(text: str) -> None:
    with pytest.raises(RefusedValue) as caught:
        Period.parse(text)
    assert caught.value.code == "period_malformed"
    assert caught.value.params == {"value": text}


def test_period_arithmetic() -> None:
    q1 = Period.parse("2026-Q1")
    assert [str(m) for m in q1.months()] == ["2026-01", "2026-02", "2026-03"]
    assert str(Period.parse("2026-12").next()) == "2027-01"
    assert str(Period.parse("2026-Q1").previous()) == "2025-Q4"
    assert str(Period.parse("2026-05").enclosing(PeriodKind.QUARTER)) == "2026-Q2"
    assert str(Period.containing(dt.date(2026, 8, 9), PeriodKind.HALF)) == "2026-H2"
    assert Period.month(2026, 3).contains(dt.date(2026, 3, 31))
    assert not Period.month(2026, 3).contains(dt.date(2026, 4, 1))
    assert sorted([Period.parse("2026-Q1"), Period.parse("2026-02"), Period.parse("2026-01"),
                   Period.parse("2026")]) == [Period.parse("2026-01"), Period.parse("2026-Q1"),
                                              Period.parse("2026"), Period.parse("2026-02")]
    with pytest.raises(RefusedValue):
        Period.parse("2026").enclosing(PeriodKind.MONTH)
    assert shift_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert shift_months(dt.date(2026, 3, 15), -3) == dt.date(2025, 12, 15)


def test_text_helpers() -> None:
    nfd = unicodedata.normalize("NFD", "  Hồ sơ ")
    assert normalize_text(nfd) == "Hồ sơ"
    assert fold_text("Xử lý ĐƠN thư") == "xu ly don thu"
    assert fold_text(nfd) == "ho so"
    assert fold_text("Đảng  ủy\txã") == "dang uy xa"


def test_decimals_refuse_floats_and_garbage() -> None:
    assert str(to_decimal("1.60")) == "1.60"
    assert to_decimal(3) == 3
    for bad in (1.6, "abc", "NaN", "Infinity", True):
        with pytest.raises(RefusedValue):
            to_decimal(bad)  # type: ignore[arg-type]


def test_canonical_json_is_deterministic() -> None:
    value = {"b": Decimal("1.60"), "a": unicodedata.normalize("NFD", "hồ sơ"),
             "d": dt.date(2026, 3, 1), "t": dt.datetime(2026, 3, 1, 15, 0,
                                                         tzinfo=dt.timezone(dt.timedelta(hours=7))),
             "k": StatementKind.CONFIRM, "p": Period.parse("2026-Q1"), "x": b"\x00\x01",
             "n": None, "l": (1, 2)}
    text = canonical_json(value)
    assert text == ('{"a":"hồ sơ","b":"1.60","d":"2026-03-01","k":"confirm","l":[1,2],"n":null,'
                    '"p":"2026-Q1","t":"2026-03-01T08:00:00.000000Z","x":"AAE="}')
    assert unicodedata.is_normalized("NFC", text)
    for bad in (1.5, dt.datetime(2026, 1, 1), object()):
        with pytest.raises(TypeError):
            canonical_json({"v": bad})


def test_canonical_json_of_plain_and_derived_types_is_one_text() -> None:
    """The plain types' fast path (exact str, dict, list, tuple, int, bool) and the general
    one agree: decomposed keys and values are written NFC, nested anywhere; enums (also
    str- and int-based ones) write their value; a non-text key its text; bool stays bool."""
    from enum import IntEnum, StrEnum

    class Colour(StrEnum):
        RED = "đỏ"

    class Rank(IntEnum):
        TWO = 2

    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    value = {nfd: [nfd, (1, True, None), {"z": {nfd: ()}}], "c": Colour.RED, "r": Rank.TWO,
             Colour.RED: "key", 7: False, "ascii": "plain"}
    text = canonical_json(value)
    nfc = unicodedata.normalize("NFC", nfd)
    assert text == (f'{{"7":false,"{nfc}":["{nfc}",[1,true,null],{{"z":{{"{nfc}":[]}}}}],'
                    '"ascii":"plain","c":"đỏ","r":2,"đỏ":"key"}')
    assert canonical_json([nfd]) == f'["{nfc}"]' and canonical_json(nfd) == f'"{nfc}"'


def test_entry_snapshot_leaves_out_workflow_fields() -> None:
    t = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    entry = WorkLogEntry(id="e", person_id="p", work_date=dt.date(2026, 3, 1),
                         catalog_item_id="i", quantity=Decimal("2"), coefficient=Decimal("1.6"),
                         created_at=t, updated_at=t)
    snapshot = entry.snapshot()
    assert {"status", "current_revision", "signature", "created_at"}.isdisjoint(snapshot)
    assert snapshot["quantity"] == "2" and snapshot["extra_kind"] == "none"
    assert canonical_json(snapshot) == canonical_json(entry.snapshot())


def test_small_domain_facts() -> None:
    assert sum(c.max_points for c in GENERAL_CRITERIA) == 30
    assert PersonRole.DEPUTY.is_leader and not PersonRole.OFFICIAL.is_leader
    assert CatalogItem.make_id("qd283", "DC.27") == "qd283:DC.27"
    assert [fraction_text(v) for v in (Fraction(245, 3), Fraction(169, 2), Fraction(-1, 8),
                                       Decimal("90.00"), 7)] == [
        "245/3", "84.5", "-0.125", "90", "7"]
