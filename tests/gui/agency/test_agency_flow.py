"""The agency builds and publishes its organisation through the screens: the first-run
wizard makes the agency key, the catalog workbook and a staff list are imported after a
preview, a unit, a person and an evaluator relation are edited, a proposal is accepted, the
next version is published and a device imports it. Refusals show a translated sentence and
change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.context import AppServices
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.ui.desktop_window import DesktopWindow
from kpi_desktop.ui.setup_wizard import PAGE_AGENCY, PAGE_SOURCE, SetupWizard
from kpi_desktop.ui.sign_in import SignInDialog, needs_setup

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)
WORKBOOK = Path(__file__).resolve().parents[2] / "fixtures" / "nghia-lam-qd283-catalog.xlsx"
PASSPHRASE = "agency secret"
STAFF = ("id,full_name,unit_id,unit_name,role,job_position_id,job_position_name,field_codes,"
         "evaluator_id,joined_on\n"
         "ct,Nguyễn Văn Chủ,xa-a,,head,lanh-dao,Lãnh đạo UBND,,,2025-07-01\n"
         "vp-tp,Trần Thị Văn,vp,Văn phòng HĐND và UBND,head,tp-vp,Chánh Văn phòng,VP,ct,"
         "2025-07-01\n"
         "vp-cv1,Lê Văn Một,vp,,official,cv-vp,Chuyên viên văn phòng,VP,vp-tp,2025-07-01\n"
         "vp-cv2,Phạm Thị Hai,vp,,công chức,cv-vp,,VP,vp-tp,\n")
BAD_STAFF = ("id,full_name,unit_id,role,evaluator_id\n"
             "a1,Người Một,vp,official,\n"
             "b1,Người Hai,vp,giám đốc,\n")


def _open(folder: Path) -> AppServices:
    services = AppServices.open(app_paths(folder))
    services.keys.cost = 10
    services.sync._today = lambda: TODAY
    return services


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[AppServices]:
    services = _open(tmp_path / "agency")
    yield services
    services.close()


def _unchanged(services: AppServices):
    before = dump_database(services.paths.database)
    return lambda: dump_database(services.paths.database) == before


def _set_up_agency(qtbot, services: AppServices) -> None:
    wizard = SetupWizard(services, today=lambda: TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == PAGE_SOURCE
    wizard.source_page.new_agency.click()
    wizard.next()
    assert wizard.currentId() == PAGE_AGENCY
    page = wizard.agency_page
    page.name.setText("UBND xã A")
    assert page.org_id.text() == "ubnd-xa-a"
    page.org_id.setText("xa-a")
    page.code.setText("XA")
    page.passphrase.setText("short")
    page.repeat.setText("short")
    same = _unchanged(services)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and "at least 8 characters" in page.error.text()
    assert same()
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.person_id == "agency" and "agency key" in wizard.notice
    assert services.sync.is_agency() and not needs_setup(services)


def test_the_agency_builds_edits_and_publishes_and_a_device_sees_it(qtbot, agency, tmp_path):
    _set_up_agency(qtbot, agency)
    window = DesktopWindow(agency, settings=Settings(), person_id="agency")
    qtbot.addWidget(window)
    window.show()
    assert [p.page_id for p in window.pages][:7] == [
        "agency_org", "agency_people", "agency_evaluators", "agency_catalog",
        "agency_policy", "agency_proposals", "agency_publish"]

    # Catalog: preview, then import as the active version.
    catalog = window.show_page_id("agency_catalog")
    dialog = catalog.open_workbook(WORKBOOK)
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled() and dialog.items.row_count() > 300
    dialog.version.setText("QD283")
    dialog.import_button.click()
    assert catalog.items.row_count() > 300 and "QD283" in catalog.message.text()

    # Staff list: a bad one is shown with its row errors and cannot be imported.
    people = window.show_page_id("agency_people")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_STAFF, encoding="utf-8")
    same = _unchanged(agency)
    dialog = people.open_staff_list(bad)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert "Row 3" in dialog.errors.text() and "is not a role" in dialog.errors.text()
    dialog.reject()
    assert same()
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    dialog = people.open_staff_list(staff)
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled() and dialog.rows.row_count() == 4
    dialog.import_button.click()
    assert people.people.row_count() == 4 and "4 people added" in people.message.text()

    # Organisation: add a division under the commune, rename the office.
    org = window.show_page_id("agency_org")
    org.choose("xa-a")
    org.new_name_vi.setText("Phòng Kinh tế")
    org.code.setText("KT")
    org.add_button.click()
    assert any(u.id == "kt" for u in agency.agency.units())
    org.choose("vp")
    org.name_vi.setText("Văn phòng UBND xã")
    org.rename_button.click()
    same = _unchanged(agency)
    org.choose("xa-a")
    assert not org.close_button.isEnabled()  # the top unit cannot be closed
    org.choose("vp")
    org.close_button.click()  # people work there
    assert "still has 3 people" in org.message.text() and same()

    # People: a new person in the new division; a changed name.
    people = window.show_page_id("agency_people")
    people.new_button.click()
    people.person_id.setText("kt-cv1")
    people.full_name.setText("Vũ Thị Tế")
    people.unit.setCurrentIndex(people.unit.findData("kt"))
    people.save_button.click()
    assert "Vũ Thị Tế added" in people.message.text()
    people.choose("vp-cv2")
    people.full_name.setText("Phạm Thị Hai Hà")
    people.save_button.click()
    assert "saved" in people.message.text()

    # Evaluators: a cycle is refused; the new person gets an evaluator.
    evaluators = window.show_page_id("agency_evaluators")
    evaluators.set_pair("ct", "vp-cv1")
    same = _unchanged(agency)
    evaluators.add_button.click()
    assert "round in a circle" in evaluators.message.text() and same()
    evaluators.set_pair("kt-cv1", "kt-cv1")
    evaluators.add_button.click()
    assert "Nobody can evaluate themself" in evaluators.message.text() and same()
    evaluators.set_pair("kt-cv1", "ct")
    evaluators.add_button.click()
    assert "evaluates Vũ Thị Tế" in evaluators.message.text()

    # Policy: a refused value changes nothing; a new version from next year.
    policy = window.show_page_id("agency_policy")
    policy.fields["threshold_good"].setText("95")
    policy.version.setText("xa-a-2027.1")
    policy.active_from.setDate(policy.active_from.date().addDays(40))
    same = _unchanged(agency)
    policy.save_button.click()
    assert "is not allowed" in policy.message.text() and same()
    policy.fields["threshold_good"].setText("70")
    policy.fields["review_limit_working_days"].setValue(7)
    policy.save_button.click()
    assert "xa-a-2027.1 stored" in policy.message.text()

    # Proposals: an official's proposal is accepted into a new catalog version.
    proposal = agency.proposals.propose(person_id="vp-cv1", name_vi="Kế hoạch chuyển đổi số",
                                        group="N2", points="20", reason="Việc mới")
    proposals = window.show_page_id("agency_proposals")
    proposals.choose(proposal.id)
    proposals.code.setText("DC.99")
    proposals.accept_button.click()
    assert "DC.99" in proposals.message.text()

    # Publish: the summary lists the changes; the file is written off the GUI thread.
    publish = window.show_page_id("agency_publish")
    assert publish.versions.text().endswith("version 1")
    assert publish.changes.count() >= 8
    assert publish.fingerprint.text().count(" ") >= 7
    publish.folder.setText(str(tmp_path / "usb"))
    publish.publish_button.click()
    qtbot.waitUntil(lambda: publish.outcome is not None, timeout=20000)
    assert publish.outcome.version == 1 and publish.outcome.path.exists()
    assert "No changes since the last publication." in publish.changes.item(0).text()
    window.close()

    # A device set up from the published file sees every change.
    device = _open(tmp_path / "device")
    try:
        [result] = device.sync.import_paths([publish.outcome.path])
        assert result.status == "imported", result
        assert device.sync.agency_fingerprint() == agency.sync.agency_fingerprint()
        with device.db.unit_of_work(read_only=True) as uow:
            assert uow.org.get_unit("vp").name_vi == "Văn phòng UBND xã"
            assert uow.org.get_person("vp-cv2").full_name == "Phạm Thị Hai Hà"
            assert uow.org.get_person("kt-cv1").unit_id == "kt"
            assert [r.evaluator_id for r in uow.org.evaluators_of("kt-cv1", TODAY)] == ["ct"]
            assert uow.catalog.find_item_by_code("DC.99") is not None
            assert uow.policies.find("xa-a-2027.1") is not None
    finally:
        device.close()


def test_the_agency_signs_in_with_the_agency_key(qtbot, agency):
    _set_up_agency(qtbot, agency)
    agency.keys.lock()
    dialog = SignInDialog(agency, settings=Settings(last_person_id="agency"))
    qtbot.addWidget(dialog)
    assert dialog.person.currentData() == "agency"
    same = _unchanged(agency)
    dialog.passphrase.setText("not the passphrase")
    dialog.sign_in_button.click()
    assert dialog.person_id is None and "passphrase is wrong" in dialog.error.text()
    assert agency.keys.unlocked("agency") is None
    # Nothing changes but the record of the wrong passphrase (issue 14: audited, counted).
    assert not same()
    with agency.db.unit_of_work(read_only=True) as uow:
        assert [e.action for e in uow.audit.list_events(actor_id="agency")][-1] == \
            "key.unlock_failed"
        assert uow.sync.unlock_failures("agency")[0] == 1
    i18n.set_language("vi")
    dialog.passphrase.setText("still wrong")
    dialog.sign_in_button.click()
    assert "passphrase is wrong" not in dialog.error.text() and dialog.error.text()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.sign_in_button.click()
    assert dialog.person_id == "agency" and agency.keys.unlocked("agency") is not None
    window = DesktopWindow(agency, settings=Settings(), person_id=dialog.person_id)
    qtbot.addWidget(window)
    assert window.user.role == "agency" and window.pages[0].page_id == "agency_org"
    assert not window.reports_action.isEnabled()


def test_refusals_on_the_pages_are_translated_and_change_nothing(qtbot, agency, tmp_path):
    _set_up_agency(qtbot, agency)
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    agency.agency.import_staff(staff)
    i18n.set_language("vi")
    window = DesktopWindow(agency, settings=Settings(), person_id="agency")
    qtbot.addWidget(window)
    evaluators = window.show_page_id("agency_evaluators")
    evaluators.set_pair("ct", "vp-cv1")
    same = _unchanged(agency)
    evaluators.add_button.click()
    text = evaluators.message.text()
    assert "vòng" in text and "Lê Văn Một" in text and same()
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_STAFF, encoding="utf-8")
    people = window.show_page_id("agency_people")
    dialog = people.open_staff_list(bad)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled() and "Dòng 3" in dialog.errors.text()
    assert same()


def test_a_bad_workbook_and_a_rejection_without_a_note_change_nothing(qtbot, agency, tmp_path):
    _set_up_agency(qtbot, agency)
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    agency.agency.import_staff(staff)
    agency.agency.import_catalog(WORKBOOK, version_id="QD283")
    proposal = agency.proposals.propose(person_id="vp-cv1", name_vi="Việc mới", group="N2",
                                        points="20", reason="Lý do")
    window = DesktopWindow(agency, settings=Settings(), person_id="agency")
    qtbot.addWidget(window)
    catalog = window.show_page_id("agency_catalog")
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("id,name\n", encoding="utf-8")
    same = _unchanged(agency)
    dialog = catalog.open_workbook(bad)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert "cannot be imported; nothing was changed" in dialog.error.text()
    dialog.reject()
    proposals = window.show_page_id("agency_proposals")
    proposals.choose(proposal.id)
    proposals.reject_button.click()
    assert "Write a note for the official" in proposals.message.text() and same()
    proposals.reject_note.setText("Đã có mục DC.02 tương tự")
    proposals.reject_button.click()
    assert "rejected" in proposals.message.text()
    assert agency.proposals.proposals()[0].status.value == "rejected"
