"""Issue 16 item 13, in Vietnamese and English at 1366×768: the enrolment request is saved
where the person chooses (a USB stick), never inside the data folder; a stick that cannot be
written is said in the interface's language (no "[Errno …]", no English system text)."""

from __future__ import annotations

import json

import pytest

from .conftest import LANGUAGES

pytestmark = pytest.mark.gui

SAVED = {"vi": "Đã lưu yêu cầu đăng ký khóa của Phạm Thị Hoa vào",
         "en": "The enrolment request of Phạm Thị Hoa is saved as"}
NOT_SAVED = {"vi": "Chưa lưu được yêu cầu đăng ký khóa của Phạm Thị Hoa: tệp hoặc thư mục "
                   "không tồn tại",
             "en": "The enrolment request of Phạm Thị Hoa was not saved: the file or folder "
                   "does not exist"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_request_goes_to_the_chosen_stick(qtbot, services, open_window, tmp_path,
                                              monkeypatch, language):
    services.keys.unlock("vp-cv1", "demo")  # signed in
    window = open_window(services, "vp-cv1", language)
    usb = tmp_path / "usb"
    usb.mkdir()
    chosen = [str(usb)]
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        lambda *a, **k: chosen[0])
    warnings = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning",
                        lambda _parent, title, text, *a: warnings.append((title, text)))
    window.save_enrolment_request()
    request = usb / "KPI_enrolment_vp-cv1.json"
    assert request.exists() and not list(usb.glob("*.part"))
    assert json.loads(json.loads(request.read_text(encoding="utf-8"))["body"])[
        "person_id"] == "vp-cv1"
    assert not any(services.paths.data_dir.glob("KPI_enrolment_*"))
    message = window.statusBar().currentMessage()
    assert message.startswith(SAVED[language]) and str(request) in message
    assert warnings == []

    chosen[0] = str(tmp_path / "stick-pulled-out")
    window.save_enrolment_request()
    [(title, text)] = warnings
    assert text == NOT_SAVED[language]
    assert "Errno" not in text
    assert title == ("Yêu cầu đăng ký khóa" if language == "vi" else "Enrolment request")
