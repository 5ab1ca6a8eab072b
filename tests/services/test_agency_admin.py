"""The agency's editing of the organisation (services.agency_admin): units, people, evaluator
relations, staff-list preview, catalog, policy, publish; every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.model import PersonRole
from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.messages import describe
from kpi_desktop.storage.backup import dump_database

TODAY = dt.date(2026, 11, 23)
WORKBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "nghia-lam-qd283-catalog.xlsx"
STAFF = ("id,full_name,unit_id,unit_name,role,job_position_id,job_position_name,field_codes,"
         "evaluator_id,joined_on\n"
         "ct,Nguyễn Văn Chủ,xa-a,,head,lanh-dao,Lãnh đạo UBND,,,2025-07-01\n"
         "vp-tp,Trần Thị Văn,vp,Văn phòng HĐND và UBND,head,tp-vp,Chánh Văn phòng,VP,ct,"
         "2025-07-01\n"
         "vp-cv1,Lê Văn Một,vp,,official,cv-vp,Chuyên viên văn phòng,VP,vp-tp,2025-07-01\n"
         "vp-cv2,Phạm Thị Hai,vp,,công chức,cv-vp,,VP,vp-tp,\n")


@pytest.fixture
def agency(tmp_path: Path) -> Iterator[AppServices]:
    """An agency PC with an organisation, its agency key and a staff list."""
    services = AppServices.open(app_paths(tmp_path / "agency"))
    services.keys.cost = 10
    services.sync._today = lambda: TODAY
    services.sync.create_agency_key("agency secret")
    from kpi_desktop.services.agency_setup import AgencySetupService

    AgencySetupService(services.db, today=TODAY).create_organisation("xa-a", "UBND xã A",
                                                                     code="XA")
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    services.agency.import_staff(staff)
    yield services
    services.close()


def _unchanged(services: AppServices, action, code: str) -> RefusedValue:
    before = dump_database(services.paths.database)
    with pytest.raises(RefusedValue) as caught:
        action()
    assert caught.value.code == code
    assert dump_database(services.paths.database) == before
    text = describe(caught.value)
    assert "refused (" not in text  # a real sentence, not the generic fallback
    return caught.value


def test_units_add_rename_move_close(agency: AppServices) -> None:
    admin = agency.agency
    unit = admin.add_unit(name_vi="Phòng Kinh tế", parent_id="xa-a", code="KT")
    assert unit.id == "kt" and unit.parent_id == "xa-a"
    sub = admin.add_unit(name_vi="Tổ Nông nghiệp", parent_id="kt")
    assert admin.rename_unit("kt", name_vi="Phòng Kinh tế - Hạ tầng").name_vi.endswith("Hạ tầng")
    assert admin.move_unit(sub.id, "vp").parent_id == "vp"
    assert not admin.close_unit("kt").active
    actions = [e.action for e in _events(agency)]
    assert {"unit.add", "unit.rename", "unit.move", "unit.close"} <= set(actions)


def _events(services: AppServices):
    with services.db.unit_of_work(read_only=True) as uow:
        return uow.audit.list_events()


def test_unit_refusals_change_nothing(agency: AppServices) -> None:
    admin = agency.agency
    admin.add_unit(name_vi="Phòng A", parent_id="xa-a", unit_id="pa")
    admin.add_unit(name_vi="Tổ B", parent_id="pa", unit_id="tb")
    _unchanged(agency, lambda: admin.add_unit(name_vi=" ", parent_id="xa-a"),
               "unit_name_missing")
    _unchanged(agency, lambda: admin.move_unit("pa", "tb"), "unit_move_cycle")
    _unchanged(agency, lambda: admin.move_unit("xa-a", "pa"), "unit_root_fixed")
    _unchanged(agency, lambda: admin.close_unit("vp"), "unit_not_empty")
    _unchanged(agency, lambda: admin.add_unit(name_vi="X", parent_id="pa", unit_id="tb"),
               "unit_id_taken")
    with pytest.raises(NotFound):
        admin.add_unit(name_vi="X", parent_id="nowhere")


def test_people_add_edit_transfer_and_revoke(agency: AppServices) -> None:
    admin = agency.agency
    person = admin.add_person(person_id="vp-cv3", full_name="Đỗ Văn Ba", unit_id="vp",
                              role="official", job_position_id="cv-vp", joined_on=TODAY)
    assert person.position_name == "Chuyên viên văn phòng"
    admin.add_unit(name_vi="Phòng Kinh tế", parent_id="xa-a", unit_id="kt")
    moved = admin.update_person("vp-cv3", full_name="Đỗ Văn Ba", unit_id="kt",
                                role=PersonRole.DEPUTY, job_position_id=None,
                                moved_on=dt.date(2026, 12, 1))
    assert moved.unit_id == "kt" and moved.role is PersonRole.DEPUTY
    with agency.db.unit_of_work(read_only=True) as uow:
        memberships = uow.org.memberships_of("vp-cv3")
    assert [(m.unit_id, m.end_on) for m in memberships] == [
        ("vp", dt.date(2026, 11, 30)), ("kt", None)]
    _unchanged(agency, lambda: admin.add_person(person_id="vp-cv3", full_name="X",
                                                unit_id="vp"), "person_id_taken")
    _unchanged(agency, lambda: admin.add_person(person_id="Bad id!", full_name="X",
                                                unit_id="vp"), "person_id_malformed")
    _unchanged(agency, lambda: admin.revoke_key("vp-cv1", reason="lost"), "person_has_no_key")

    other = AppServices.open(app_paths(agency.paths.data_dir.parent / "pc"))
    try:
        other.keys.cost = 10
        # The PC has no organisation: the agency enrols a request made from a stand-alone key.
        from kpi_desktop.sync import keys as crypto

        key = crypto.generate_key()
        import base64
        import json

        from kpi_desktop.domain.values import canonical_json

        body = canonical_json({"kind": "enrolment", "person_id": "vp-cv1",
                               "public_key": base64.b64encode(key.public_key).decode(),
                               "x25519_public": base64.b64encode(key.x25519_public).decode(),
                               "requested_at": "2026-11-23T00:00:00+00:00"}).encode()
        request = json.dumps({"body": body.decode(),
                              "sig": base64.b64encode(key.sign(body)).decode()}).encode()
    finally:
        other.close()
    agency.keys.enrol(request)
    assert next(p for p in admin.people() if p.id == "vp-cv1").key_fingerprint == \
        key.fingerprint
    _unchanged(agency, lambda: admin.revoke_key("vp-cv1", reason=" "), "reason_missing")
    admin.revoke_key("vp-cv1", reason="PC stolen")
    assert next(p for p in admin.people() if p.id == "vp-cv1").key_fingerprint is None
    revoke = [e for e in _events(agency) if e.action == "key.revoke"][-1]
    assert revoke.detail["reason"] == "PC stolen"


def test_evaluator_relations_validate_self_cycles_and_overlap(agency: AppServices) -> None:
    admin = agency.agency
    _unchanged(agency, lambda: admin.add_relation(evaluator_id="vp-cv1", evaluatee_id="vp-cv1",
                                                  start_on=TODAY), "evaluator_self")
    error = _unchanged(agency, lambda: admin.add_relation(
        evaluator_id="vp-cv1", evaluatee_id="ct", start_on=TODAY), "evaluator_cycle")
    assert "Lê Văn Một" in describe(error)
    _unchanged(agency, lambda: admin.add_relation(
        evaluator_id="ct", evaluatee_id="vp-cv2", start_on=TODAY,
        end_on=TODAY - dt.timedelta(days=1)), "date_range_reversed")
    # A new evaluator from a later day ends the current one the day before.
    later = dt.date(2027, 1, 1)
    relation = admin.add_relation(evaluator_id="ct", evaluatee_id="vp-cv2", start_on=later)
    rows = [r for r in admin.relations() if r.evaluatee_id == "vp-cv2"]
    assert [(r.evaluator_id, r.end_on) for r in rows] == [
        ("vp-tp", dt.date(2026, 12, 31)), ("ct", None)]
    _unchanged(agency, lambda: admin.add_relation(
        evaluator_id="vp-tp", evaluatee_id="vp-cv2", start_on=later), "evaluator_overlap")
    changed = admin.update_relation(relation.id, evaluator_id="ct", start_on=later,
                                    end_on=dt.date(2027, 6, 30))
    assert changed.end_on == dt.date(2027, 6, 30)
    assert admin.end_relation(relation.id, dt.date(2027, 3, 31)).end_on == dt.date(2027, 3, 31)


def test_staff_preview_reports_every_bad_row_and_import_refuses(agency: AppServices,
                                                                 tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,full_name,unit_id,role,evaluator_id,joined_on\n"
        "a1,Người Một,vp,official,b1,\n"
        "b1,Người Hai,vp,official,a1,\n"
        "c1,,vp,official,,\n"
        "d1,Người Bốn,vp,giám đốc,,\n"
        "e1,Người Năm,vp,official,nobody,\n"
        "f1,Người Sáu,vp,official,,1/2/2026\n"
        "vp-cv1,Lê Văn Một,vp,official,vp-tp,\n", encoding="utf-8")
    preview = agency.agency.preview_staff(bad)
    codes = {r.number: (r.error.code if r.error else None) for r in preview.rows}
    assert codes == {2: "staff_evaluator_cycle", 3: "staff_evaluator_cycle",
                     4: "staff_value_missing", 5: "staff_role_unknown",
                     6: "staff_evaluator_unknown", 7: "staff_date_malformed", 8: None}
    assert preview.rows[-1].action == "update"  # the list has no job position for them
    _unchanged(agency, lambda: agency.agency.import_staff(bad), "staff_evaluator_cycle")


def test_policy_new_version_and_refusals(agency: AppServices) -> None:
    admin = agency.agency
    assert admin.current_policy().values["threshold_good"] == "70"
    version = admin.save_policy({"review_limit_working_days": "7", "quota_share": "0,25",
                                 "round_before_compare": True},
                                version="xa-a-2027.1", active_from=dt.date(2027, 1, 1))
    assert version == "xa-a-2027.1"
    [stored] = admin.policy_versions()
    assert stored.active_from == dt.date(2027, 1, 1)
    _unchanged(agency, lambda: admin.save_policy({"threshold_good": "95"}, version="x2",
                                                 active_from=dt.date(2027, 1, 1)),
               "policy_value_invalid")
    _unchanged(agency, lambda: admin.save_policy({}, version="xa-a-2027.1",
                                                 active_from=dt.date(2027, 1, 1)),
               "policy_version_taken")
    _unchanged(agency, lambda: admin.save_policy({}, version="x3",
                                                 active_from=dt.date(2026, 1, 1)),
               "policy_date_past")
    _unchanged(agency, lambda: admin.save_policy({"daily_norm_minutes": "abc"}, version="x4",
                                                 active_from=dt.date(2027, 1, 1)),
               "policy_value_invalid")


def test_catalog_preview_import_and_publish_summary(agency: AppServices, tmp_path: Path) -> None:
    admin = agency.agency
    preview = admin.preview_catalog(WORKBOOK)
    assert len(preview.items) > 300 and set(preview.by_group) <= {"N1", "N2", "N3", "N4", "N5"}
    assert admin.import_catalog(WORKBOOK, version_id="QD283", label="QĐ 283") == \
        len(preview.items)
    _unchanged(agency, lambda: admin.import_catalog(WORKBOOK, version_id="QD283"),
               "catalog_version_taken")
    summary = admin.publish_summary()
    assert summary.current_version == 0 and summary.next_version == 1
    assert dict(summary.changes)["catalog.import"] == 1
    assert summary.agency_readable and summary.counts["people"] == 4
    outcome = admin.publish(tmp_path / "usb")
    assert outcome.version == 1 and outcome.path.exists() and not outcome.hub_status
    after = admin.publish_summary()
    assert after.next_version == 2 and after.changes == ()
    admin.rename_unit("vp", name_vi="Văn phòng UBND")
    assert dict(admin.publish_summary().changes) == {"unit.rename": 1}


def test_publish_writes_the_file_even_when_the_hub_is_unreachable(agency: AppServices,
                                                                   tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    outcome = agency.agency.publish(tmp_path / "usb", hub_url="http://127.0.0.1:9",
                                    progress=lambda done, total: steps.append((done, total)))
    assert outcome.path.exists() and outcome.version == 1
    assert outcome.hub_error is not None and outcome.hub_error.code == "hub_unreachable"
    assert steps == [(0, 2), (1, 2), (2, 2)]


def test_an_agency_pc_is_started_once(agency: AppServices, tmp_path: Path) -> None:
    _unchanged(agency, lambda: agency.agency.start_agency(
        organisation_id="xa-b", name_vi="UBND xã B", passphrase="long enough"),
        "database_exists")
    fresh = AppServices.open(app_paths(tmp_path / "fresh"))
    try:
        fresh.keys.cost = 10
        _unchanged(fresh, lambda: fresh.agency.start_agency(
            organisation_id="xa-b", name_vi="UBND xã B", passphrase="short"),
            "passphrase_too_short")
        _unchanged(fresh, lambda: fresh.agency.start_agency(
            organisation_id="Xã B!", name_vi="UBND xã B", passphrase="long enough"),
            "unit_id_malformed")
        fingerprint = fresh.agency.start_agency(organisation_id="xa-b", name_vi="UBND xã B",
                                                passphrase="long enough")
        assert fresh.sync.is_agency() and fresh.sync.agency_fingerprint() == fingerprint
        assert [u.id for u in fresh.agency.units()] == ["xa-b"]
    finally:
        fresh.close()
