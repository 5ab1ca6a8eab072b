"""Issue 16 item 6, every dialog: each dialog class of the application (found by walking
``kpi_desktop.ui``) is opened on the demo's data at its real size, in Vietnamese — no English
word from the list (tests/gui/qt_words.py) — and in English — no Vietnamese letter — in its
interface text (titles, labels, buttons, headers, choices; names, dates and other data are
marked and not checked). A new dialog class without an entry here fails the test, so the walk
keeps covering every dialog."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

import kpi_desktop.ui
from kpi_desktop.domain.model import Period
from kpi_desktop.runtime import i18n
from kpi_desktop.runtime.i18n import translate
from tests.gui.qt_words import english_in, visible_texts

from .conftest import TODAY

pytestmark = pytest.mark.gui

LEADER, OFFICIAL = "vp-cvp", "vp-cv1"
#: Letters only Vietnamese writes (English text never has them).
_LETTERS = ("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
_VIETNAMESE = re.compile(f"[{_LETTERS}{_LETTERS.upper()}]")
STAFF = ("id,full_name,unit_id,unit_name,role,job_position_id,job_position_name,field_codes,"
         "evaluator_id,joined_on\n"
         "vp-cv9,Lê Văn Chín,vp,,official,cv-vp,Chuyên viên văn phòng,VP,vp-tp,2026-11-01\n")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _appeal(services: Any) -> tuple[Any, Any]:
    from kpi_desktop.services.appeals import AppealService

    services.appeals = AppealService(services.db, today=TODAY)
    filed = services.appeals.file("vhxh-cv2", "2026-10", "Tiêu chí I.2 bị chấm thấp")
    [view] = [v for v in services.appeals.for_decider("vhxh-tp") if v.appeal.id == filed.id]
    return view, services.appeals.decision_context(filed.id)


def _reason(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.services.review import return_reason_templates
    from kpi_desktop.ui.common import ReasonDialog

    return ReasonDialog(translate("ReviewInboxPage", "Return for revision"),
                        translate("ReviewInboxPage", "Why is this entry returned? The author "
                                  "will see it."), return_reason_templates())


def _acting(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.evaluation_page import ActingDialog

    return ActingDialog(services.evaluation.acting_candidates(LEADER), TODAY)


def _indicator(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.org_evaluation_page import IndicatorDialog

    return IndicatorDialog("2026", None, None)


def _discipline(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.classification_page import DisciplineDialog

    return DisciplineDialog(earlier=[], today=TODAY)


def _audit(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.unit_page import AuditDialog

    return AuditDialog(services.evaluation.audit_trail(LEADER))


def _why(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.unit_page import WhyDialog

    months = [Period.parse(f"2026-{m:02d}") for m in range(9, 12)]
    return WhyDialog(services, OFFICIAL, months[-1], months)


def _decide(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.appeals_page import DecideDialog

    view, context = _appeal(services)
    return DecideDialog(view, context, TODAY)


def _transfer(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.transfer_dialog import TransferDialog

    return TransferDialog(services, "agency", OFFICIAL)


def _merge(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.transfer_dialog import MergeUnitsDialog

    return MergeUnitsDialog(services, "agency")


def _staff(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.agency.people_page import StaffImportDialog

    staff = tmp / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    return StaffImportDialog(services, staff)


def _leave(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.agency.people_page import LeaveDialog

    [person] = [p for p in services.agency.people() if p.id == OFFICIAL]
    return LeaveDialog(services, person)


def _catalog(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.agency.catalog_page import CatalogImportDialog

    return CatalogImportDialog(services, FIXTURES / "nghia-lam-qd283-catalog.xlsx")


def _proposal(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.proposal_dialog import ProposalDialog

    return ProposalDialog(services, OFFICIAL, "Lê Văn Một", name="Cấp bản sao điện tử")


def _reports(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.reports_dialog import ReportsDialog

    return ReportsDialog(services, person_id=OFFICIAL, period="2026-11")


def _help(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.help_dialog import HelpDialog

    return HelpDialog(services)


def _crash(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.crash_dialog import CrashDialog

    return CrashDialog("Traceback (most recent call last): …", tmp / "kpi-desktop.log")


def _sign_in(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.sign_in import SignInDialog

    return SignInDialog(services)


def _wizard(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.setup_wizard import SetupWizard

    return SetupWizard(services, today=lambda: TODAY)


def _objective_cause(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.inbox_page import ObjectiveCauseDialog

    return ObjectiveCauseDialog(quality=True, timeliness=True)


def _leave_record(services: Any, tmp: Path) -> QDialog:
    from kpi_desktop.ui.leader.leave_dialog import LeaveRecordDialog

    return LeaveRecordDialog(services, LEADER, OFFICIAL, "Phạm Thị Hoa")


#: Every dialog class of the application and how to open it on the demo's data.
DIALOGS: dict[str, Callable[[Any, Path], QDialog]] = {
    "ReasonDialog": _reason, "ActingDialog": _acting, "IndicatorDialog": _indicator,
    "DisciplineDialog": _discipline, "AuditDialog": _audit, "WhyDialog": _why,
    "DecideDialog": _decide, "TransferDialog": _transfer, "MergeUnitsDialog": _merge,
    "StaffImportDialog": _staff, "LeaveDialog": _leave, "CatalogImportDialog": _catalog,
    "ProposalDialog": _proposal, "ReportsDialog": _reports, "HelpDialog": _help,
    "CrashDialog": _crash, "SignInDialog": _sign_in, "SetupWizard": _wizard,
    "ObjectiveCauseDialog": _objective_cause, "LeaveRecordDialog": _leave_record,
}
#: Bases that are never shown themselves.
ABSTRACT = {"ChangeDialog", "PreviewDialog"}


def _dialog_classes() -> set[str]:
    found = set()
    for module in pkgutil.walk_packages(kpi_desktop.ui.__path__, "kpi_desktop.ui."):
        loaded = importlib.import_module(module.name)
        for _name, value in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(value, QDialog) and value.__module__ == loaded.__name__:
                found.add(value.__name__)
    return found - ABSTRACT


def _data(services: Any) -> list[str]:
    """Texts that are data in any language: people's and units' names, the organisation's
    names, a language's own name; longest first."""
    with services.db.unit_of_work(read_only=True) as uow:
        texts = [p.full_name for p in uow.org.list_people()]
        texts += [u.name_vi for u in uow.org.list_units()]
        texts += [u.name_en for u in uow.org.list_units() if u.name_en]
        for organisation in uow.org.list_organisations():
            texts += [organisation.name_vi, organisation.name_en or ""]
    texts += ["Tiếng Việt"]
    return sorted({t for t in texts if t}, key=len, reverse=True)


#: Legal citations keep their Vietnamese abbreviations in English ("Decree 335/2025/NĐ-CP",
#: "QĐ 283/QĐ-UBND").
_CITATION = re.compile(r"\S*/\S*|\b[A-ZĐ]{2,}(?:-[A-ZĐ]+)*\b")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def vietnamese_in(root: QWidget, data: list[str]) -> list[tuple[str, str]]:
    """Every interface text of ``root`` with a letter only Vietnamese writes, data removed."""
    found = []
    for where, text in visible_texts(root):
        if where.endswith(".placeholder") and text.startswith(("e.g.", "for example")):
            continue  # an example of what to type: a Vietnamese name or document
        plain = text
        for known in data:
            plain = plain.replace(known, " ")
        plain = _CITATION.sub(" ", _QUOTED.sub(" ", plain))
        if _VIETNAMESE.search(plain):
            found.append((where, text))
    return found


def test_the_walk_knows_every_dialog_class() -> None:
    assert _dialog_classes() == set(DIALOGS)


def _open(qtbot: Any, services: Any, tmp_path: Path, name: str, language: str) -> QWidget:
    i18n.set_language(language)
    dialog = DIALOGS[name](services, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_in_vietnamese_has_no_english_word(qtbot, services, tmp_path, name):
    dialog = _open(qtbot, services, tmp_path, name, "vi")
    assert english_in(dialog) == []
    assert dialog.width() <= 1366 and dialog.height() <= 768, dialog.size()


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_in_english_has_no_vietnamese_word(qtbot, services, tmp_path, name):
    dialog = _open(qtbot, services, tmp_path, name, "en")
    assert vietnamese_in(dialog, _data(services)) == []
    i18n.set_language("vi")
