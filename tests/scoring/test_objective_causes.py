"""Issue 15, finding 7: an objective cause is confirmed for the quality errors (Điều 14.2b) and
for the delays (Điều 14.2c) separately, each with its reason; accepting the cause of a delay no
longer erases a quality failure. The old single flag still works and still verifies."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
import unicodedata

import pytest

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.domain.model import ReviewStatement, StatementKind, new_id, utc_now
from kpi_desktop.scoring import ScoringPolicy, TaskLine, score_period

POLICY = ScoringPolicy.default()


def test_each_cause_waives_only_its_own_deduction():
    both = TaskLine(4, 1, True, failed_reviews=2, delays=3)
    plain = score_period(POLICY, [both], 20)
    assert (plain.b, plain.c) == (50, 25)
    quality = score_period(POLICY, [dataclasses.replace(both, quality_cause=True)], 20)
    assert (quality.b, quality.c) == (100, 25)
    (line,) = quality.why
    assert line.quality_exempted and not line.timeliness_exempted and line.exempted
    timely = score_period(POLICY, [TaskLine(4, 1, True, 2, 3, timeliness_cause=True)], 20)
    assert (timely.b, timely.c) == (50, 100)
    assert timely.why[0].timeliness_exempted and not timely.why[0].quality_exempted
    old = score_period(POLICY, [TaskLine(4, 1, True, 2, 3, objective_cause=True)], 20)
    assert (old.b, old.c) == (100, 100)  # the public API's single flag: both
    assert old.why[0].quality_cause and old.why[0].timeliness_cause


def test_a_cause_without_that_deduction_exempts_nothing():
    score = score_period(POLICY, [TaskLine(4, 1, True, delays=1, quality_cause=True)], 20)
    assert score.c == 75 and not score.why[0].exempted


@pytest.fixture
def app(demo_dir):
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    yield services
    services.close()


def _late_confirmed_entry(app):
    """A confirmed entry of hcc-cv1 with one failed review and one delay."""
    leader = "hcc-gd"
    entry = app.review.inbox(leader).items[0].entry
    app.review.confirm(leader, entry.id)
    app.review.mark_quality_failed(leader, entry.id, "Sai số liệu")
    app.review.mark_delay(leader, entry.id, "Nộp muộn")
    return leader, entry


def _line(app, entry):
    from kpi_desktop.domain.model import Period

    result = app.scores.person_period(entry.person_id, Period.containing(entry.work_date))
    return next(line for line in result.lines if entry.id in line.entry_ids)


def test_the_leader_confirms_each_cause_with_its_reason(app):
    from kpi_desktop.domain.model import Period
    from kpi_desktop.storage.backup import dump_database

    leader, entry = _late_confirmed_entry(app)
    before = _line(app, entry)
    assert before.quality_units < before.completed_units
    assert before.ontime_units < before.completed_units
    app.review.mark_timeliness_cause(leader, entry.id, "Mất điện cả ngày 15")
    after = _line(app, entry)
    assert after.timeliness_cause and not after.quality_cause
    assert after.ontime_units == after.completed_units  # the delay is waived …
    assert after.quality_units == before.quality_units  # … the quality failure is not
    assert after.timeliness_cause_reason == "Mất điện cả ngày 15"
    # Each cause once per entry; the refusal changes nothing.
    dump = dump_database(app.paths.database)
    with pytest.raises(KpiError) as info:
        app.review.mark_timeliness_cause(leader, entry.id, "Lần nữa")
    assert info.value.code == "already_recorded" and info.value.params["cause"] == "timeliness"
    with pytest.raises(KpiError) as info:
        app.review.mark_objective_cause(leader, entry.id, "x", quality=False, timeliness=False)
    assert info.value.code == "cause_missing"
    assert dump_database(app.paths.database) == dump
    app.review.mark_quality_cause(leader, entry.id, "Số liệu gốc của Sở sai")
    line = _line(app, entry)
    assert line.quality_units == line.completed_units and line.quality_cause
    assert line.quality_cause_reason == "Số liệu gốc của Sở sai"
    kinds = [s.kind for s in app.review.statements(entry.id)]
    assert kinds.count(StatementKind.QUALITY_CAUSE) == kinds.count(
        StatementKind.TIMELINESS_CAUSE) == 1
    data = app.scores.as_dict(app.scores.person_period(
        entry.person_id, Period.containing(entry.work_date)))
    why = next(w for w in data["why"] if entry.id in w["entries"])
    assert why["quality_cause_reason"] == "Số liệu gốc của Sở sai"
    assert why["timeliness_cause_reason"] == "Mất điện cả ngày 15"


def test_an_old_single_cause_statement_reads_as_both(app):
    leader, entry = _late_confirmed_entry(app)
    with app.db.unit_of_work() as uow:
        uow.reviews.add(ReviewStatement(
            id=new_id(), entry_id=entry.id, revision=entry.current_revision,
            reviewer_id=leader, kind=StatementKind.OBJECTIVE_CAUSE, created_at=utc_now(),
            reason="Bão số 3"))
    line = _line(app, entry)
    assert line.quality_cause and line.timeliness_cause and line.objective_cause
    assert line.quality_units == line.ontime_units == line.completed_units
    assert line.quality_cause_reason == line.timeliness_cause_reason == "Bão số 3"
    with pytest.raises(KpiError) as info:  # both are recorded already
        app.review.mark_quality_cause(leader, entry.id, "x")
    assert info.value.code == "already_recorded"


def test_signed_bytes_are_versioned_and_old_signatures_verify():
    from kpi_desktop.sync import keys as crypto
    from kpi_desktop.sync.signing import statement_bytes

    key = crypto.generate_key()
    now = dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC)
    old = ReviewStatement(id="s1", entry_id="e1", revision=1, reviewer_id="hcc-gd",
                          kind=StatementKind.OBJECTIVE_CAUSE, created_at=now, reason="Bão")
    old_bytes = statement_bytes(old, "ab" * 32)
    # Form 1, byte for byte what was signed before the split.
    assert old_bytes == (
        '{"created_at":"2026-03-05T08:00:00.000000Z","entry_id":"e1","id":"s1",'
        '"kind":"review_statement","reason":"Bão","reviewer_id":"hcc-gd","revision":1,'
        '"revision_sha256":"' + "ab" * 32 + '","statement":"objective_cause","v":1}'
    ).encode("utf-8")
    signature = key.sign(old_bytes)
    assert crypto.verify(key.public_key, signature, statement_bytes(old, "ab" * 32))
    quality = dataclasses.replace(old, kind=StatementKind.QUALITY_CAUSE)
    data = statement_bytes(quality, "ab" * 32)
    assert b'"v":2' in data and b'"cause":"quality"' in data
    signed = key.sign(data)
    assert crypto.verify(key.public_key, signed, statement_bytes(quality, "ab" * 32))
    # What the cause exempts is signed: turned into a timeliness cause, it no longer verifies.
    moved = dataclasses.replace(quality, kind=StatementKind.TIMELINESS_CAUSE)
    assert not crypto.verify(key.public_key, signed, statement_bytes(moved, "ab" * 32))
    assert not crypto.verify(key.public_key, signed, old_bytes)


def test_form01_and_the_why_view_show_each_cause(app, tmp_path, qtbot):
    from kpi_desktop.domain.model import Period
    from kpi_desktop.ui.why_model import WhyModel

    leader, entry = _late_confirmed_entry(app)
    app.review.mark_timeliness_cause(leader, entry.id, "Mất điện cả ngày 15")
    line = _line(app, entry)
    model = WhyModel()
    model.set_lines([line])
    remarks = model.index(0, WhyModel.COLUMNS - 1).data()
    assert "objective cause of the delays: Mất điện cả ngày 15" in remarks
    assert "quality errors" not in remarks.split("objective cause")[-1]
    tip = model.index(0, 0).data(3)  # ToolTipRole
    assert "Article 14.2(c)" in tip and "Article 14.2(b)" not in tip
    month = Period.containing(entry.work_date)
    out = tmp_path / "f01.pdf"
    app.reports.form01(entry.person_id, month, out, "en")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(unicodedata.normalize("NFC", subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], check=True,
        capture_output=True).stdout.decode("utf-8")).split())
    assert "objective cause of the delays confirmed (Article 14.2(c)), not deducted: " \
           "Mất điện cả ngày 15" in text
    assert "objective cause of the quality errors" not in text


@pytest.mark.gui
def test_the_inbox_asks_which_deduction_the_cause_exempts(app, qtbot, monkeypatch):
    from kpi_desktop.ui.leader import inbox_page
    from kpi_desktop.ui.pages.base import UserContext

    dialog = inbox_page.ObjectiveCauseDialog(timeliness=True)
    qtbot.addWidget(dialog)
    assert dialog.timeliness.isChecked() and not dialog.quality.isChecked()
    dialog.timeliness.setChecked(False)
    dialog.text.setPlainText("Mất điện")
    dialog._accept()
    assert dialog.result() == 0  # neither exemption chosen: not accepted
    dialog.quality.setChecked(True)
    dialog._accept()
    assert dialog.result() == 1

    user = UserContext(person_id="hcc-gd", full_name="Võ Minh Tuấn", role="head",
                       unit_id="hcc", is_evaluator=True)
    page = inbox_page.ReviewInboxPage(app, user)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=30000)
    target = page.current_entry_id()

    class Chosen(inbox_page.ObjectiveCauseDialog):
        def exec(self):  # the leader ticks quality only and gives the reason
            self.quality.setChecked(True)
            self.timeliness.setChecked(False)
            self.text.setPlainText("Số liệu gốc sai")
            return True

    monkeypatch.setattr(inbox_page, "ObjectiveCauseDialog", Chosen)
    page.objective_cause_current()
    kinds = {s.kind: s.reason for s in app.review.statements(target)}
    assert kinds.get(StatementKind.QUALITY_CAUSE) == "Số liệu gốc sai"
    assert StatementKind.TIMELINESS_CAUSE not in kinds


def test_cli_review_cause(demo_dir, capsys):
    from kpi_desktop.app import main
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    services = AppServices.open(app_paths(demo_dir))
    entry = services.review.inbox("hcc-gd").items[0].entry
    services.review.confirm("hcc-gd", entry.id)
    services.close()
    base = ["--data-dir", str(demo_dir), "--lang", "en", "review", "cause", "--by", "hcc-gd"]
    assert main([*base, "--reason", "Mất điện", entry.id]) == 3  # which deduction?
    assert "quality errors, the delays or both" in capsys.readouterr().err
    assert main([*base, "--timeliness", "--reason", "Mất điện", entry.id]) == 0
    assert "delays not deducted" in capsys.readouterr().out
    assert main([*base, "--timeliness", "--quality", "--reason", "x", entry.id]) == 3
    services = AppServices.open(app_paths(demo_dir))
    kinds = [s.kind for s in services.review.statements(entry.id)]
    services.close()
    assert kinds.count(StatementKind.TIMELINESS_CAUSE) == 1
    assert StatementKind.QUALITY_CAUSE not in kinds
