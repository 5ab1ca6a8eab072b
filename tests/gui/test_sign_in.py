"""Signing in on later starts, and switching user in the desktop window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.runtime.settings import Settings
from kpi_desktop.services.context import AppServices
from kpi_desktop.ui.desktop_window import DesktopWindow
from kpi_desktop.ui.sign_in import SignInDialog, needs_setup, people_with_keys

pytestmark = pytest.mark.gui


@pytest.fixture
def services(demo_dir):
    opened = AppServices.open(app_paths(demo_dir))
    yield opened
    opened.close()


def _dialog(qtbot, services, settings):
    dialog = SignInDialog(services, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_sign_in_with_a_wrong_then_the_right_passphrase(qtbot, services):
    assert not needs_setup(services)
    assert len(people_with_keys(services)) == 25
    settings = Settings(last_person_id="hcc-cv1")
    dialog = _dialog(qtbot, services, settings)
    assert dialog.person.currentData() == "hcc-cv1"  # the last person is remembered
    dialog.passphrase.setText("not-the-passphrase")
    dialog.sign_in_button.click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "passphrase is wrong" in dialog.error.text()
    assert services.keys.unlocked("hcc-cv1") is None
    dialog.person.setCurrentIndex(dialog.person.findData("kt-cv1"))
    dialog.passphrase.setText("demo")
    dialog.sign_in_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.person_id == "kt-cv1"
    assert services.keys.unlocked("kt-cv1") is not None


def test_cancel_signs_nobody_in(qtbot, services):
    dialog = _dialog(qtbot, services, Settings())
    dialog.passphrase.setText("demo")
    dialog.cancel_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.person_id is None
    assert services.keys.unlocked_owners() == []


def test_the_wrong_message_is_translated(qtbot, services):
    from kpi_desktop.runtime import i18n

    i18n.set_language("vi")
    dialog = _dialog(qtbot, services, Settings())
    assert dialog.sign_in_button.text() == "Đăng &nhập"
    dialog.passphrase.setText("sai")
    dialog.sign_in_button.click()
    assert dialog.isVisible() and "không đúng" in dialog.error.text()


def _answer_sign_in(person: str, passphrase: str, seen: list[str]) -> None:
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, SignInDialog):  # not shown yet: try again shortly
        QTimer.singleShot(20, lambda: _answer_sign_in(person, passphrase, seen))
        return
    seen.append(dialog.person.currentData())
    dialog.person.setCurrentIndex(dialog.person.findData(person))
    dialog.passphrase.setText(passphrase)
    dialog.sign_in_button.click()


def test_switch_user_locks_the_key_and_signs_the_next_person_in(qtbot, services, demo_dir):
    services.keys.unlock("vp-cv1", "demo")
    window = DesktopWindow(services, settings=Settings(),
                           settings_path=demo_dir / "settings.json", person_id="vp-cv1")
    qtbot.addWidget(window)
    window.show()
    assert "Phạm Thị Hoa" in window.person_label.text()
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _answer_sign_in("hcc-gd", "demo", seen))
    window.switch_action.trigger()
    assert seen == ["vp-cv1"]
    assert services.keys.unlocked("vp-cv1") is None  # the previous person's key is locked
    assert services.keys.unlocked("hcc-gd") is not None
    assert window.user.person_id == "hcc-gd" and "Võ Minh Tuấn" in window.person_label.text()
    assert Settings.load(demo_dir / "settings.json").last_person_id == "hcc-gd"
    window.close()


def test_the_app_asks_the_wizard_on_a_new_folder_and_sign_in_otherwise(monkeypatch, services,
                                                                       tmp_path):
    from kpi_desktop.app import sign_in
    from kpi_desktop.ui.setup_wizard import SetupWizard

    shown: list[str] = []
    monkeypatch.setattr(SignInDialog, "exec", lambda self: shown.append("sign-in") or 0)
    monkeypatch.setattr(SetupWizard, "exec", lambda self: shown.append("wizard") or 0)
    assert sign_in(services, Settings(), tmp_path / "settings.json") == (None, "")
    empty = AppServices.open(app_paths(tmp_path / "empty"))
    try:
        assert sign_in(empty, Settings(), tmp_path / "settings.json") == (None, "")
        assert empty.organisation.is_empty()  # no demo behind the person's back
    finally:
        empty.close()
    assert shown == ["sign-in", "wizard"]
    assert not (tmp_path / "settings.json").exists()  # cancelled: nothing remembered


def test_after_five_wrong_passphrases_the_dialog_says_how_long_to_wait(qtbot, services):
    """Issue 14: wrong passphrases are counted; from the fifth the person waits."""
    dialog = _dialog(qtbot, services, Settings(last_person_id="hcc-cv1"))
    for _ in range(4):
        dialog.passphrase.setText("not-the-passphrase")
        dialog.sign_in_button.click()
        assert "Check the keyboard language" in dialog.error.text()
    dialog.passphrase.setText("not-the-passphrase")
    dialog.sign_in_button.click()
    assert "5 times in a row" in dialog.error.text() and "30 seconds" in dialog.error.text()
    dialog.passphrase.setText("demo")  # the right one, too soon
    dialog.sign_in_button.click()
    assert dialog.person_id is None and "Too many wrong passphrases" in dialog.error.text()
    with services.db.unit_of_work(read_only=True) as uow:
        failed = uow.audit.list_events(action="key.unlock_failed", actor_id="hcc-cv1")
    assert len(failed) == 5
