"""The first-run wizard driven as a person would: the demo, the agency's file, a damaged file."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from PySide6.QtWidgets import QWizard

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.ui.setup_wizard import (
    PAGE_ENROL,
    PAGE_PASSPHRASE,
    PAGE_PERSON,
    PAGE_SOURCE,
    SetupWizard,
)
from kpi_desktop.ui.sign_in import needs_setup

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 23)
FAST_COST = 10


@pytest.fixture
def empty_services(tmp_path):
    services = AppServices.open(app_paths(tmp_path / "pc"))
    services.keys.cost = FAST_COST
    yield services
    services.close()


@pytest.fixture(scope="module")
def organisation_file(demo_master, tmp_path_factory):
    """The demo agency's signed organisation file, as the agency's IT staff would hand it out."""
    agency = tmp_path_factory.mktemp("agency") / "data"
    shutil.copytree(demo_master, agency)
    services = AppServices.open(app_paths(agency))
    try:
        services.keys.unlock("agency", "demo")
        result = services.sync.publish_organisation(tmp_path_factory.mktemp("usb"))
        fingerprint = services.sync.agency_fingerprint()
    finally:
        services.close()
    return result.path, fingerprint


def _wizard(qtbot, services):
    wizard = SetupWizard(services, today=lambda: TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _click(wizard, which):
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), which
    button.click()


def _next(wizard):
    _click(wizard, QWizard.WizardButton.NextButton)


def _finish(wizard):
    _click(wizard, QWizard.WizardButton.FinishButton)


def test_the_demo_path_with_a_new_passphrase(qtbot, empty_services):
    services = empty_services
    assert needs_setup(services)
    wizard = _wizard(qtbot, services)
    english_title = wizard.windowTitle()
    wizard.language_page.buttons["vi"].click()  # applies at once, to the wizard itself
    assert i18n.current_language() == "vi"
    assert wizard.windowTitle() == "KPI Desktop — khởi động lần đầu" != english_title
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Tiếp theo >"
    wizard.language_page.buttons["en"].click()
    assert wizard.windowTitle() == english_title
    _next(wizard)
    assert wizard.currentId() == PAGE_SOURCE
    assert wizard.source_page.demo.isChecked()  # preselected
    _next(wizard)
    assert wizard.currentId() == PAGE_PERSON
    assert wizard.person_page.person_id() == "vp-cv1"
    assert "Phạm Thị Hoa" in wizard.person_page.person_name()
    _next(wizard)
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert services.organisation.is_empty()  # nothing written before Finish
    page = wizard.passphrase_page
    page.passphrase.setText("short")
    page.repeat.setText("short")
    _finish(wizard)
    assert wizard.isVisible() and "at least 8" in page.error.text()
    page.passphrase.setText("hoa-mat-khau-1")
    page.repeat.setText("hoa-mat-khau-2")
    _finish(wizard)
    assert wizard.isVisible() and "not the same" in page.error.text()
    assert services.organisation.is_empty()
    page.passphrase.setText("hoa-mat-khau-1")
    page.repeat.setText("hoa-mat-khau-1")
    _finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.person_id == "vp-cv1"
    assert services.keys.unlocked("vp-cv1") is not None  # signed in: the key is unlocked
    assert not services.organisation.is_empty() and not needs_setup(services)
    services.keys.lock()
    with pytest.raises(RefusedValue) as wrong:
        services.keys.unlock("vp-cv1", "demo")
    assert wrong.value.code == "passphrase_wrong"
    services.keys.unlock("vp-cv1", "hoa-mat-khau-1")
    services.keys.unlock("vp-cv2", "demo")  # the other demo people keep "demo"


def test_the_demo_passphrase_stays_when_left_empty(qtbot, empty_services):
    wizard = _wizard(qtbot, empty_services)
    _next(wizard)
    _next(wizard)
    wizard.person_page.search.setText("hùng")
    assert wizard.person_page.person_id() is None  # Hoa is filtered out: choose again
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.person_page.search.clear()
    wizard.person_page.select("ct")
    _next(wizard)
    _finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted and wizard.person_id == "ct"
    empty_services.keys.lock()
    empty_services.keys.unlock("ct", "demo")


def test_the_agency_file_path(qtbot, empty_services, organisation_file, tmp_path, monkeypatch):
    services = empty_services
    path, agency_fp = organisation_file
    wizard = _wizard(qtbot, services)
    _next(wizard)
    page = wizard.source_page
    page.agency.click()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.file.setText(str(path))
    page.import_button.click()
    assert page.imported and not page.demo.isEnabled()
    readable = " ".join(agency_fp.upper()[i:i + 4] for i in range(0, len(agency_fp), 4))
    assert readable in page.result.text()  # for the person to compare
    assert services.organisation.people_overview()  # the import itself is written at once
    _next(wizard)
    assert wizard.person_page.person_id() is None  # no preselection outside the demo
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.person_page.select("hcc-cv1")
    _next(wizard)
    assert services.keys.owners() == []  # the person's key is made when this page is left
    key_page = wizard.passphrase_page
    assert not wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    _click(wizard, QWizard.WizardButton.CommitButton)  # a new key needs a passphrase
    assert wizard.isVisible() and "at least 8" in key_page.error.text()
    key_page.passphrase.setText("ngo-van-long")
    key_page.repeat.setText("ngo-van-long")
    _click(wizard, QWizard.WizardButton.CommitButton)  # "Make my key >"
    assert services.keys.owners() == ["hcc-cv1"]
    assert services.keys.unlocked("hcc-cv1") is not None
    # The request goes where the person chooses (a USB stick), not into the data folder.
    enrol = wizard.enrol_page
    assert wizard.currentId() == PAGE_ENROL and enrol.save_button.isVisible()
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(usb))
    enrol.save_button.click()
    request = usb / "KPI_enrolment_hcc-cv1.json"
    assert request.exists() and str(request) in enrol.result.text()
    assert "Ngô Văn Long" in enrol.result.text()
    assert not any(services.paths.data_dir.glob("KPI_enrolment_*"))
    body = json.loads(json.loads(request.read_text(encoding="utf-8"))["body"])
    assert body["person_id"] == "hcc-cv1" and body["kind"] == "enrolment"
    _finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted and wizard.person_id == "hcc-cv1"
    assert wizard.notice == ""
    services.keys.lock()
    services.keys.unlock("hcc-cv1", "ngo-van-long")


@pytest.mark.parametrize("damage", ["flipped", "truncated", "not a bundle"])
def test_a_damaged_agency_file_is_refused_and_changes_nothing(qtbot, empty_services,
                                                             organisation_file, tmp_path,
                                                             damage):
    services = empty_services
    data = organisation_file[0].read_bytes()
    if damage == "flipped":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
    elif damage == "truncated":
        data = data[: len(data) // 3]
    else:
        data = b"Danh sach can bo\n"
    bad = tmp_path / "KPI_organisation_NL_v0001.kpib"
    bad.write_bytes(data)
    before = dump_database(services.paths.database)
    wizard = _wizard(qtbot, services)
    i18n.set_language("vi")
    _next(wizard)
    page = wizard.source_page
    page.agency.click()
    page.file.setText(str(bad))
    page.import_button.click()
    assert not page.imported
    assert "không được nhập" in page.result.text()  # the translated reason
    assert len(page.result.text()) > len("Tệp không được nhập") + 20
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert dump_database(services.paths.database) == before
    assert services.organisation.is_empty()


def test_a_setup_stopped_after_the_import_resumes_without_the_demo(qtbot, empty_services,
                                                                   organisation_file):
    services = empty_services
    [result] = services.sync.import_paths([organisation_file[0]])
    assert result.status == "imported"
    assert needs_setup(services)  # the organisation is here, but nobody can sign in yet
    wizard = _wizard(qtbot, services)
    _next(wizard)
    page = wizard.source_page
    assert page.imported and page.agency.isChecked() and not page.demo.isEnabled()
    _next(wizard)
    wizard.person_page.search.setText("long")
    wizard.person_page.select("hcc-cv1")
    _next(wizard)
    wizard.passphrase_page.passphrase.setText("ngo-van-long")
    wizard.passphrase_page.repeat.setText("ngo-van-long")
    _click(wizard, QWizard.WizardButton.CommitButton)
    wizard.reject()  # closed without saving the request: the key exists, the person is in
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert "Ngô Văn Long" in wizard.notice and "USB" in wizard.notice
    assert not needs_setup(services)


def test_a_new_agency_is_made_off_the_gui_thread(qtbot, empty_services, async_ops,
                                                monkeypatch):
    """The agency page's Finish makes the key and stores the organisation on the serial lane
    (the window keeps painting); a refusal keeps the page open and writes nothing."""
    from PySide6.QtCore import QThread

    from kpi_desktop.ui.agency.setup_page import AgencySetupPage

    page = AgencySetupPage(empty_services)
    qtbot.addWidget(page)
    page.show()
    threads = []
    service = type(empty_services.agency)
    original = service.start_agency

    def start_agency(self, **values):
        threads.append(QThread.currentThread())
        return original(self, **values)

    monkeypatch.setattr(service, "start_agency", start_agency)
    page.name.setText("UBND xã Nghĩa Lâm")
    page.code.setText("NL")
    page.passphrase.setText("ab")
    page.repeat.setText("ab")
    before = dump_database(empty_services.paths.database)
    assert not page.validatePage()
    assert page.error.text() and dump_database(empty_services.paths.database) == before
    page.passphrase.setText("mật khẩu của cơ quan")
    page.repeat.setText("mật khẩu của cơ quan")
    assert page.validatePage()
    assert page.person_id == "agency" and threads[-1] is not page.thread()
