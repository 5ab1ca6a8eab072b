"""Issue 15: the dates the decree turns on are recorded and honoured — the date of a
disciplined act beside the decision's (Điều 11.3c–d), a transfer that takes effect on its
date, and a transfer date that is never today by default and is confirmed when far away."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from kpi_desktop.app import main
from kpi_desktop.domain.errors import KpiError
from kpi_desktop.storage.backup import dump_database

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir), today=TODAY)
    yield services
    services.close()


# ---------------------------------------------------------------- the date of the act -------


def test_a_discipline_decision_keeps_the_date_of_the_act(app):
    event = app.discipline.record("kt-tp", "kt-cv1", "reprimand",
                                  decided_on=dt.date(2026, 11, 2), decision_no="12/QĐ",
                                  committed_on=dt.date(2026, 6, 1))
    with app.db.unit_of_work(read_only=True) as uow:
        stored = uow.discipline.list_for_person("kt-cv1")[-1]
    assert stored.id == event.id and stored.committed_on == dt.date(2026, 6, 1)
    assert stored.decided_on == dt.date(2026, 11, 2)
    with pytest.raises(KpiError) as info:
        app.discipline.record("kt-tp", "kt-cv1", "warning", decided_on=dt.date(2026, 11, 2),
                              decision_no="13/QĐ", committed_on=dt.date(2026, 11, 3))
    assert info.value.code == "discipline_act_after_decision"


def test_the_act_date_places_the_act_at_the_old_organisation(app):
    """kt-cv2 moved from kt to vhxh on 2026-07-01: an act of March 2026, at kt, disciplined
    by vhxh in November counts in the result of kt, the old organisation (Điều 11.3c) — placed
    by the date of the act kept in the signed event, not in the audit log."""
    app.discipline.record("vhxh-tp", "kt-cv2", "reprimand", decided_on=dt.date(2026, 11, 2),
                          decision_no="14/QĐ", committed_on=dt.date(2026, 3, 1))
    [shown] = [s for s in app.discipline.for_person("kt-cv2") if s.event.decision_no == "14/QĐ"]
    assert shown.event.committed_on == dt.date(2026, 3, 1)
    assert shown.year.reason.value == "old_organisation"
    # An event stored with its act date and no audit line (as it arrives from another PC) is
    # placed the same way: the signed record decides, not the audit log.
    from kpi_desktop.domain.model import DisciplineEvent, DisciplineKind, new_id, utc_now

    with app.db.unit_of_work() as uow:
        uow.discipline.add(dataclasses.replace(
            shown.event, id=new_id(), decision_no="14b/QĐ", created_at=utc_now(),
            kind=DisciplineKind.WARNING))
    [arrived] = [s for s in app.discipline.for_person("kt-cv2")
                 if s.event.decision_no == "14b/QĐ"]
    assert arrived.year.reason.value == "old_organisation"
    assert isinstance(arrived.event, DisciplineEvent)
    # Without the act date the same decision would count for the new unit's year.
    app.discipline.record("vhxh-tp", "kt-cv2", "warning", decided_on=dt.date(2026, 11, 3),
                          decision_no="15/QĐ")
    [plain] = [s for s in app.discipline.for_person("kt-cv2") if s.event.decision_no == "15/QĐ"]
    assert plain.year.reason.value != "old_organisation"


def test_signed_bytes_of_a_discipline_event_are_versioned():
    from kpi_desktop.domain.model import DisciplineEvent, DisciplineKind
    from kpi_desktop.sync import keys as crypto
    from kpi_desktop.sync.signing import discipline_bytes

    old = DisciplineEvent(id="d1", person_id="kt-cv1", kind=DisciplineKind.REPRIMAND,
                          decided_on=dt.date(2026, 3, 2), effective_year=2026,
                          created_at=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC),
                          decision_no="1/QĐ", recorded_by="kt-tp")
    data = discipline_bytes(old)
    assert b'"v":1' in data and b"committed_on" not in data  # what was signed before
    key = crypto.generate_key()
    signature = key.sign(data)
    assert crypto.verify(key.public_key, signature, discipline_bytes(old))
    dated = dataclasses.replace(old, committed_on=dt.date(2026, 1, 10))
    signed = key.sign(discipline_bytes(dated))
    assert b'"v":2' in discipline_bytes(dated)
    assert b'"committed_on":"2026-01-10"' in discipline_bytes(dated)
    moved = dataclasses.replace(dated, committed_on=dt.date(2025, 1, 10))
    assert not crypto.verify(key.public_key, signed, discipline_bytes(moved))


def test_cli_discipline_add_and_list_with_the_act_date(demo_dir, capsys):
    base = ["--data-dir", str(demo_dir), "--lang", "en", "discipline"]
    assert main([*base, "add", "--by", "kt-tp", "--person", "kt-cv1", "--kind", "reprimand",
                 "--decided-on", "2026-11-02", "--act-date", "2026-06-01",
                 "--decision", "12/QĐ-UBND", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["decided_on"], data["committed_on"]) == ("2026-11-02", "2026-06-01")
    assert main([*base, "list", "--person", "kt-cv1"]) == 0
    assert "act of 2026-06-01" in capsys.readouterr().out
    assert main([*base, "add", "--by", "kt-tp", "--person", "kt-cv1", "--kind", "warning",
                 "--decided-on", "2026-11-02", "--act-date", "2026-11-20",
                 "--decision", "13/QĐ"]) == 3


@pytest.mark.gui
def test_the_discipline_dialog_has_the_date_of_the_act(qtbot):
    from PySide6.QtCore import QDate

    from kpi_desktop.ui.leader.classification_page import DisciplineDialog

    dialog = DisciplineDialog(today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.committed_on_date() is None and not dialog.committed_on.isEnabled()
    dialog.act_known.setChecked(True)
    dialog.committed_on.setDate(QDate(2026, 6, 1))
    assert dialog.committed_on_date() == dt.date(2026, 6, 1)


# ---------------------------------------------------------------- transfers -----------------


def _unit(app, person_id):
    with app.db.unit_of_work(read_only=True) as uow:
        return uow.org.get_person(person_id).unit_id


def test_a_future_transfer_takes_effect_on_its_date(app):
    result = app.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 12, 1),
                                    reason="Điều động", decision_no="200/QĐ-UBND")
    assert result.to_unit_id == "vhxh"
    assert _unit(app, "kt-cv1") == "kt"  # not at once
    assert app.transfers.apply_due() == []  # 23/11: not yet
    kt = {p.id for p in app.transfers.people(["kt"])}
    assert "kt-cv1" in kt
    with app.db.unit_of_work(read_only=True) as uow:
        assert [r.evaluator_id for r in uow.org.evaluators_of("kt-cv1", TODAY)] == ["kt-tp"]
        assert [r.evaluator_id for r in uow.org.evaluators_of(
            "kt-cv1", dt.date(2026, 12, 1))] == ["vhxh-tp"]
    app.clock.set(dt.date(2026, 12, 1))
    assert app.transfers.apply_due() == ["kt-cv1"]
    assert _unit(app, "kt-cv1") == "vhxh"
    assert app.transfers.apply_due() == []  # once


def test_opening_the_data_folder_applies_a_transfer_that_became_due(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    first = AppServices.open(app_paths(demo_dir), today=TODAY)
    first.transfers.transfer("kt-cv1", "vhxh", dt.date(2026, 12, 1), reason="Điều động")
    first.close()
    later = AppServices.open(app_paths(demo_dir), today=dt.date(2026, 12, 2))
    try:
        assert _unit(later, "kt-cv1") == "vhxh"
    finally:
        later.close()


def test_the_decision_date_is_required_and_a_far_one_confirmed(app):
    before = dump_database(app.paths.database)
    for missing in (None, "", "  "):
        with pytest.raises(KpiError) as info:
            app.transfers.transfer("kt-cv1", "vhxh", missing, reason="Điều động")
        assert info.value.code == "transfer_date_missing"
    for far in (TODAY - dt.timedelta(days=16), TODAY + dt.timedelta(days=16)):
        with pytest.raises(KpiError) as info:
            app.transfers.transfer("kt-cv1", "vhxh", far, reason="Điều động")
        assert info.value.code == "transfer_date_needs_confirmation"
        assert info.value.params["days"] == 16
    assert dump_database(app.paths.database) == before
    # 15 days away needs no confirmation; a confirmed far date is accepted.
    app.transfers.transfer("kt-cv1", "vhxh", TODAY + dt.timedelta(days=15), reason="x")
    app.transfers.transfer("kt-cv3", "vhxh", TODAY + dt.timedelta(days=40), reason="x",
                           confirm_date=True)
    with app.db.unit_of_work(read_only=True) as uow:
        assert uow.org.memberships_of("kt-cv3")[-1].start_on == TODAY + dt.timedelta(days=40)


def test_cli_transfer_asks_for_the_confirmation_flag(demo_dir, capsys):
    base = ["--data-dir", str(demo_dir), "--lang", "en", "transfer", "person", "kt-cv1",
            "--to", "vhxh", "--reason", "Điều động"]
    today = dt.date.today()  # the CLI's clock is the computer's
    far = (today + dt.timedelta(days=40)).isoformat()
    assert main([*base, "--from-date", far]) == 3
    assert "days from today" in capsys.readouterr().err
    assert main([*base, "--from-date", far, "--confirm-date"]) == 0


@pytest.mark.gui
def test_the_transfer_dialog_starts_without_a_date(qtbot, app, monkeypatch):
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QMessageBox

    from kpi_desktop.ui.leader import transfer_dialog

    dialog = transfer_dialog.TransferDialog(app, "ct", "kt-cv1", year=2026)
    qtbot.addWidget(dialog)
    assert transfer_dialog.chosen_date(dialog.from_date) is None  # never today by default
    dialog.unit.setCurrentIndex(dialog.unit.findData("vhxh"))
    dialog.reason.setText("Điều động")
    assert not dialog.submit()
    assert "date of the transfer decision" in dialog.status.text()
    dialog.from_date.setDate(QDate(2027, 1, 15))  # 53 days ahead: asked, and refused
    monkeypatch.setattr(transfer_dialog.QMessageBox, "question",
                        staticmethod(lambda *args: QMessageBox.StandardButton.No))
    assert not dialog.submit()
    assert "days from today" in dialog.status.text()
    assert _unit(app, "kt-cv1") == "kt"
    monkeypatch.setattr(transfer_dialog.QMessageBox, "question",
                        staticmethod(lambda *args: QMessageBox.StandardButton.Yes))
    assert dialog.submit()
    with app.db.unit_of_work(read_only=True) as uow:
        memberships = uow.org.memberships_of("kt-cv1")
    assert memberships[-1].start_on == dt.date(2027, 1, 15)
    assert _unit(app, "kt-cv1") == "kt"  # it takes effect on 15/01/2027
