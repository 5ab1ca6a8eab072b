"""One name for each status (one home per fact): a month's status reads the same on the
official's month page, the leader's monthly evaluation and the reconciliation page and its CSV;
an entry's status the same on the work log, the score page's entries, the CLI and the error
that refuses an edit. The status is varied and every surface is checked against the one
function that names it."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import GENERAL_CRITERIA, EntryStatus, EvaluationStatus, Period
from kpi_desktop.runtime import i18n
from kpi_desktop.services.daily import EntryDraft
from kpi_desktop.services.messages import describe, entry_status_label, month_status_label

from .conftest import LANGUAGES

pytestmark = pytest.mark.gui
NOVEMBER = Period.parse("2026-11")
HOA, MAI = "vp-cv1", "vp-cvp"  # Phạm Thị Hoa and her evaluator Trần Thị Mai


def _cells(model, row: int) -> list[str]:
    return [str(model.index(row, c).data() or "") for c in range(model.columnCount())]


def _row_of(model, name: str) -> list[str]:
    rows = [_cells(model, r) for r in range(model.rowCount())]
    return next(cells for cells in rows if name in cells)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_months_status_has_one_name_on_every_surface(qtbot, services, open_window, tmp_path,
                                                      language):
    seen: dict[EvaluationStatus, str] = {}

    def check(expected: EvaluationStatus) -> None:
        assert services.self_assessment.load(HOA, NOVEMBER).status is expected
        i18n.set_language(language)
        label = month_status_label(expected)
        assert label and label not in seen.values(), (label, seen)  # each its own words
        seen[expected] = label
        # The official's own month.
        window = open_window(services, HOA, language)
        page = window.show_page_id("month")
        page.month.setCurrentIndex(page.month.findData(str(NOVEMBER)))
        qtbot.waitUntil(lambda: label in page.status.text())
        window.close()
        # The leader's monthly evaluation.
        window = open_window(services, MAI, language)
        page = window.show_page_id("leader.evaluation")
        page.period.setCurrentIndex(page.period.findData(str(NOVEMBER)))
        qtbot.waitUntil(lambda: page.model.rowCount() > 0)
        assert label in _row_of(page.model, "Phạm Thị Hoa")
        window.close()
        # The reconciliation report, on screen and in its CSV.
        window = open_window(services, "ct", language)
        page = window.show_page_id("reconciliation")
        page.period.setCurrentIndex(page.period.findData(str(NOVEMBER)))
        report = services.reconciliation.report("ct", NOVEMBER)
        target = services.reconciliation.write_csv(report, tmp_path / f"{expected.value}.csv")
        with target.open(encoding="utf-8-sig", newline="") as source:
            row = next(r for r in csv.reader(source) if r[1] == "Phạm Thị Hoa")
        assert label in row
        if page.model.rowCount():  # (the page lists only who needs a reminder)
            shown = [_cells(page.model, r) for r in range(page.model.rowCount())]
            hoa = [cells for cells in shown if "Phạm Thị Hoa" in cells]
            assert all(label in cells for cells in hoa)
        window.close()

    check(EvaluationStatus.OPEN)
    services.self_assessment.save(HOA, NOVEMBER, {c.code: 1 for c in GENERAL_CRITERIA},
                                  submit=True)
    check(EvaluationStatus.SUBMITTED)
    services.evaluation.confirm(MAI, HOA, NOVEMBER)
    check(EvaluationStatus.LOCKED)
    i18n.set_language(language)
    assert seen[EvaluationStatus.OPEN] == ("chưa gửi" if language == "vi" else "not submitted")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_entrys_status_has_one_name_on_every_surface(qtbot, services, open_window,
                                                       language):
    """Draft, submitted, confirmed and returned: the score page's entries and the refusal of
    an edit name each the way :func:`entry_status_label` does."""
    def save(day: dt.date) -> object:
        return services.daily.save(HOA, EntryDraft(
            work_date=day, item_code="DC.02", quantity="1", output_doc_number="9/UBND-VP",
            output_description="Công văn", completed_on=day))

    draft = save(dt.date(2026, 11, 20))
    services.daily.submit(HOA, save(dt.date(2026, 11, 19)).id)
    with services.db.unit_of_work(read_only=True) as uow:
        entries = uow.worklog.list_for_person(HOA, NOVEMBER.start, NOVEMBER.end)
    by_status = {e.status: e for e in entries}
    assert by_status[EntryStatus.DRAFT].id == draft.id
    assert {EntryStatus.SUBMITTED, EntryStatus.CONFIRMED} <= set(by_status)
    window = open_window(services, HOA, language)
    page = window.show_page_id("score")
    page.month.setCurrentIndex(page.month.findData(str(NOVEMBER)))
    model = page.entries_model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    i18n.set_language(language)
    labels = {status: entry_status_label(status) for status in EntryStatus}
    assert len(set(labels.values())) == len(labels)  # each its own words
    shown = {str(model.index(r, 4).data()) for r in range(model.rowCount())}
    for status in by_status:
        assert labels[status] in shown, (status, shown)
        assert entry_status_label(status.value) == labels[status]  # the stored value too
    for status in (EntryStatus.SUBMITTED, EntryStatus.CONFIRMED):
        entry = by_status[status]
        with pytest.raises(KpiError) as refused:
            services.daily.save(HOA, EntryDraft(
                work_date=entry.work_date, item_code="DC.02", quantity="7",
                output_doc_number="1/X", output_description="x",
                completed_on=entry.work_date), entry.id)
        assert refused.value.code == "entry_not_editable"
        assert labels[status] in describe(refused.value)
    window.close()
