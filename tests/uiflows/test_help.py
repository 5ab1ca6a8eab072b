"""Issue 16 item 15: an offline user guide in Vietnamese and English (F1, with screenshots),
the version, and the agency's support contact, which travels in the signed organisation file."""

from __future__ import annotations

import re
import shutil

import pytest
from PySide6.QtCore import Qt, QUrl

from kpi_desktop import __version__
from kpi_desktop.runtime.paths import app_paths, resource_root
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.demo_data import DEMO_SUPPORT
from kpi_desktop.ui.help_dialog import guide_path

from .conftest import LANGUAGES

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("language", LANGUAGES)
def test_f1_opens_the_guide_with_version_and_support(qtbot, services, open_window, language):
    window = open_window(services, "vp-cv1", language)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert text.startswith("Hướng dẫn sử dụng KPI Desktop" if language == "vi"
                           else "KPI Desktop user guide")
    header = dialog.header.text()
    assert __version__ in header and "0238 3800 335" in header
    assert ("Hỗ trợ cho" if language == "vi" else "Help for") in header
    # The pictures are there, in the guide's language, and load.
    html = guide_path(language).read_text(encoding="utf-8")
    pictures = re.findall(r'src="(img/[^"]+)"', html)
    assert len(pictures) >= 6 and all(p.endswith(f"-{language}.png") for p in pictures)
    for picture in pictures:
        assert (resource_root() / "guide" / picture).stat().st_size > 10_000
    image = dialog.browser.loadResource(2, QUrl(pictures[0]))  # 2: an image resource
    assert image is not None and not image.isNull()
    # Switching the language switches the guide.
    other = "en" if language == "vi" else "vi"
    window.set_language(other)
    qtbot.waitUntil(lambda: dialog.browser.toPlainText().startswith(
        "Hướng dẫn sử dụng KPI Desktop" if other == "vi" else "KPI Desktop user guide"))


def test_the_support_contact_travels_in_the_organisation_file(demo_master, tmp_path):
    from kpi_desktop.app import main

    agency_dir, pc_dir = tmp_path / "agency", tmp_path / "pc"
    shutil.copytree(demo_master, agency_dir)
    assert main(["--data-dir", str(agency_dir), "org", "support",
                 "Phòng Nội vụ — ĐT 0238 3811 111"]) == 0
    agency = AppServices.open(app_paths(agency_dir))
    try:
        assert agency.organisation.support()[1] == "Phòng Nội vụ — ĐT 0238 3811 111"
        agency.keys.unlock("agency", "demo")
        published = agency.sync.publish_organisation(tmp_path / "usb")
    finally:
        agency.close()
    pc = AppServices.open(app_paths(pc_dir))
    try:
        [result] = pc.sync.import_paths([published.path])
        assert result.status == "imported"
        assert pc.organisation.support()[1] == "Phòng Nội vụ — ĐT 0238 3811 111"
    finally:
        pc.close()
    # The demo has its own made-up contact.
    assert DEMO_SUPPORT.endswith("@nghialam.example.vn")
