"""The print dialog offers PDF or Word, and the electronic dossier (issue 17 §4, §5)."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from kpi_desktop.domain.model import Period
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.ui import printing
from kpi_desktop.ui.reports_dialog import DOSSIER, DOSSIERS, FORM01, UNIT, WORD, ReportsDialog

pytestmark = pytest.mark.gui
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def world(demo_master, tmp_path_factory):
    from kpi_desktop.services.context import AppServices
    from kpi_desktop.services.daily import DailyWorkService

    folder = tmp_path_factory.mktemp("print-word") / "demo"
    shutil.copytree(demo_master, folder)
    paths = app_paths(folder)
    services = AppServices.open(paths)
    services.daily = DailyWorkService(services.db, paths.attachments_dir, today=lambda: TODAY)
    yield services
    services.close()


@pytest.fixture
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(printing, "documents_folder", lambda: folder)
    return folder


def _dialog(qtbot, world, **kwargs) -> ReportsDialog:  # noqa: ANN003
    dialog = ReportsDialog(world, None, today=TODAY, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_form_as_an_editable_word_document(qtbot, world, documents, language):
    i18n.set_language(language)
    dialog = _dialog(qtbot, world, person_id="vp-cv1", period="2026-09", kind=FORM01)
    assert dialog.file_type.isVisible()
    assert Path(dialog.output.text()).name == "Mau01_PhamThiHoa_2026-09.pdf"
    dialog.file_type.setCurrentIndex(dialog.file_type.findData(WORD))
    out = Path(dialog.output.text())
    assert out.name == "Mau01_PhamThiHoa_2026-09.docx"
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.written() is not None, timeout=60000)
    assert out.read_bytes()[:2] == b"PK" and dialog.open_button.isVisible()
    assert not dialog.print_button.isVisible()  # the spooler prints PDFs; Word prints Word
    code = world.reports.form01_data  # the same figures as the PDF: the code verifies
    assert code is not None
    assert ("Mã kiểm tra" if language == "vi" else "Verification code") in dialog.status.text()
    assert "0 trang" not in dialog.status.text() and "0 pages" not in dialog.status.text()


def test_the_unit_summary_as_word_and_the_choice_hides_for_exports(qtbot, world, documents):
    dialog = _dialog(qtbot, world, unit_id="vp", period="2026", kind=UNIT)
    dialog.file_type.setCurrentIndex(dialog.file_type.findData(WORD))
    assert dialog.output.text().endswith(".docx")
    dialog.kind.setCurrentIndex(dialog.kind.findData("export"))
    assert not dialog.file_type.isVisible()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_persons_dossier_from_the_dialog(qtbot, world, documents, language):
    i18n.set_language(language)
    dialog = _dialog(qtbot, world, person_id="vp-cv3", period="2026", kind=DOSSIER)
    assert dialog.current_period() == Period.whole_year(2026)
    assert not dialog.file_type.isVisible()
    out = Path(dialog.output.text())
    assert out.name == "HoSo_DangThiLan_2026.zip"
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.written() is not None, timeout=120000)
    assert zipfile.is_zipfile(out)
    assert world.dossier.verify(out).ok
    assert ("Đã ghi hồ sơ" if language == "vi" else "Dossier written") in dialog.status.text()


def test_a_units_dossiers_with_progress(qtbot, world, documents):
    dialog = _dialog(qtbot, world, unit_id="vp", period="2026", kind=DOSSIERS)
    folder = Path(dialog.output.text())
    assert folder.suffix == ""
    steps: list[int] = []
    dialog.progress.valueChanged.connect(steps.append)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.written() is not None, timeout=300000)
    archives = sorted(folder.glob("HoSo_*_2026.zip"))
    assert len(archives) >= 2 and len(steps) >= len(archives)
    assert dialog.open_button.text() in ("Open folder", "Mở thư mục")
