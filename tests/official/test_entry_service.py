"""Issue 15 finding 8 and issue 16 item 2 (service side): one service creates entries for the
GUI and the CLI; an item that matches an open assignment is linked to it and the assignment's
progress counts it; ad hoc work is a deliberate choice."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import ExtraKind, Period
from kpi_desktop.services.entries import EntryDraft, EntryService
from kpi_desktop.storage.backup import dump_database

from .conftest import TODAY

PERSON = "vp-cv1"  # DC.17 assigned 8 in November 2026, 6 logged, due 16/11


def _progress(services, code):
    views = services.daily.assignments(PERSON, Period.month(2026, 11))
    return next(v for v in views if v.item.code == code)


def test_gui_and_cli_share_one_entry_service(services):
    assert isinstance(services.daily.entries, EntryService)
    assert isinstance(services.worklog._entries, EntryService)


def test_an_item_of_an_open_assignment_is_linked_and_counted(services):
    before = _progress(services, "DC.17")
    assert (before.assignment.quantity, before.logged) == (8, 6)
    link = services.daily.suggest_assignment(PERSON, "DC.17", TODAY, quantity="1")
    assert link is not None and link.assignment_id == before.assignment.id
    assert (link.done, link.quantity, link.deadline) == (7, 8, dt.date(2026, 11, 16))
    assert link.text() == "Belongs to the assigned task DC.17 (done 7/8, due 16/11)"
    saved = services.daily.save_entry(PERSON, EntryDraft(TODAY, "DC.17", "1"))
    assert saved.entry.assignment_id == before.assignment.id
    assert saved.entry.extra_kind is ExtraKind.NONE
    assert saved.entry.coefficient == before.assignment.coefficient
    assert saved.link is not None and saved.link.done == 7 and saved.text() == link.text()
    assert _progress(services, "DC.17").logged == 7
    # Saving the same entry again does not count it twice.
    again = services.daily.save_entry(PERSON, EntryDraft(TODAY, "DC.17", "2"),
                                      saved.entry.id)
    assert again.link.done == 8 and _progress(services, "DC.17").logged == 8
    # Fully logged now: a new entry of the item is no longer linked (nothing open).
    assert services.daily.suggest_assignment(PERSON, "DC.17", TODAY) is None
    extra = services.daily.save_entry(PERSON, EntryDraft(TODAY, "DC.17", "1"))
    assert extra.entry.assignment_id is None and extra.link is None
    assert extra.text() == "Ad hoc work (outside the plan)"


def test_ad_hoc_is_a_deliberate_choice(services):
    chosen = services.daily.save_entry(
        PERSON, EntryDraft(TODAY, "DC.17", "1", extra_kind=ExtraKind.AD_HOC))
    assert chosen.entry.assignment_id is None and chosen.entry.extra_kind is ExtraKind.AD_HOC
    taken = services.daily.save_entry(
        PERSON, EntryDraft(TODAY, "DC.17", "1", extra_kind=ExtraKind.TAKEN_OVER))
    assert taken.entry.extra_kind is ExtraKind.TAKEN_OVER and taken.link is None
    assert _progress(services, "DC.17").logged == 6
    # No assignment of the item: ad hoc without being asked.
    free = services.daily.save_entry(PERSON, EntryDraft(TODAY, "DC.27", "1"))
    assert free.entry.extra_kind is ExtraKind.AD_HOC and free.link is None


def test_an_assignment_of_another_month_is_not_matched(services):
    october = dt.date(2026, 10, 20)
    link = services.daily.suggest_assignment(PERSON, "DC.17", october)
    assert link is None or link.period.contains(october)


def test_the_same_refusals_from_the_gui_and_the_cli(services):
    services.clock.set(TODAY)  # one clock: the CLI's service and the desk agree on today
    assert services.worklog.today() == services.review.today() == TODAY
    dump = dump_database(services.paths.database)
    cases = [
        (dict(work_date=TODAY, item_code="DC.17", quantity="0"), "quantity_not_positive"),
        (dict(work_date=TODAY + dt.timedelta(days=1), item_code="DC.17", quantity="1"),
         "date_in_future"),
        (dict(work_date=TODAY, item_code="NOPE.1", quantity="1"), "not_found"),
        (dict(work_date=TODAY, item_code="DC.17", quantity="1",
              completed_on=TODAY - dt.timedelta(days=3)), "completed_before_start"),
    ]
    for fields, code in cases:
        with pytest.raises(KpiError) as gui:
            services.daily.save(PERSON, EntryDraft(**fields))
        with pytest.raises(KpiError) as cli:
            services.worklog.add_entry(person_id=PERSON, work_date=fields["work_date"],
                                       item_code=fields["item_code"],
                                       quantity=Decimal(fields["quantity"]),
                                       completed_on=fields.get("completed_on"))
        assert gui.value.code == cli.value.code == code
    assert dump_database(services.paths.database) == dump


def test_cli_log_add_links_and_says_so(demo_dir, capsys):
    base = ["--data-dir", str(demo_dir), "--lang", "en", "log", "add", "--person", PERSON,
            "--date", "2026-11-16", "--item", "DC.17", "--quantity", "1"]
    assert main([*base, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["assignment"]["item"] == "DC.17" and data["assignment"]["done"] == "7"
    assert data["extra_kind"] == "none"
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "Belongs to the assigned task DC.17 (done 8/8, due 16/11)" in out
    assert main([*base, "--ad-hoc"]) == 0
    assert "Ad hoc work (outside the plan)" in capsys.readouterr().out
    assert main(["--data-dir", str(demo_dir), "--lang", "vi", "log", "add", "--person", PERSON,
                 "--date", "2026-11-16", "--item", "DC.27", "--quantity", "1"]) == 0
    assert "Nhiệm vụ phát sinh (ngoài kế hoạch)" in capsys.readouterr().out
