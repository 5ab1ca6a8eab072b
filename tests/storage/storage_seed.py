"""The small organisation the storage tests share (imported by conftest and test modules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kpi_desktop.domain.model import (
    CatalogGroup,
    CatalogItem,
    CatalogVersion,
    ItemScope,
    JobPosition,
    KpiKind,
    Organisation,
    Person,
    PersonRole,
    Unit,
    UnitKind,
)

T0 = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Org:
    """The seeded organisation: ids and objects the tests refer to."""

    organisation: Organisation
    commune: Unit
    office: Unit
    cadastre: Unit
    head: Person
    official: Person
    surveyor: Person
    clerk_position: JobPosition
    survey_position: JobPosition
    version: CatalogVersion
    shared_item: CatalogItem
    leader_item: CatalogItem
    office_item: CatalogItem
    survey_item: CatalogItem


def build_org() -> Org:
    """A commune with two divisions, three people and a four-item catalog."""
    organisation = Organisation(id="org-nl", name_vi="UBND xã Nghĩa Lâm", name_en="Nghia Lam",
                                code="NL", org_version=1, updated_at=T0)
    commune = Unit(id="u-nl", organisation_id="org-nl", name_vi="UBND xã Nghĩa Lâm",
                   kind=UnitKind.COMMUNE)
    office = Unit(id="u-vp", organisation_id="org-nl", name_vi="Văn phòng HĐND và UBND",
                  name_en="Office", kind=UnitKind.DIVISION, parent_id="u-nl", code="VP")
    cadastre = Unit(id="u-kt", organisation_id="org-nl", name_vi="Phòng Kinh tế",
                    kind=UnitKind.DIVISION, parent_id="u-nl", code="KT")
    clerk = JobPosition(id="jp-vp", name_vi="Chuyên viên văn phòng", name_en="Office clerk",
                        description_vi="Soạn thảo văn bản", competency_framework_vi="Bậc 2",
                        unit_id="u-vp", field_codes=("VP",))
    survey = JobPosition(id="jp-dc", name_vi="Công chức địa chính", field_codes=("DC", "XD"))
    head = Person(id="p-head", full_name="Nguyễn Văn An", unit_id="u-nl", role=PersonRole.HEAD,
                  job_position_id=None, leader_fields="Toàn diện", joined_on=dt.date(2020, 1, 1))
    official = Person(id="p-lan", full_name="Trần Thị Lan", unit_id="u-vp",
                      job_position_id="jp-vp", joined_on=dt.date(2021, 6, 1))
    surveyor = Person(id="p-minh", full_name="Lê Văn Minh", unit_id="u-kt",
                      job_position_id="jp-dc")
    version = CatalogVersion(id="qd283", label="QĐ 283/2025", standard_unit_points=Decimal("5"),
                             published_at=T0, active=True)

    def item(code: str, name: str, scope: ItemScope, points: str, field: str | None = None,
             **extra: object) -> CatalogItem:
        return CatalogItem(id=CatalogItem.make_id("qd283", code), catalog_version_id="qd283",
                           code=code, name_vi=name, group=CatalogGroup.N1, points=Decimal(points),
                           coefficient=Decimal(points) / Decimal(5), scope=scope,
                           field_code=field, **extra)  # type: ignore[arg-type]

    return Org(
        organisation=organisation, commune=commune, office=office, cadastre=cadastre,
        head=head, official=official, surveyor=surveyor,
        clerk_position=clerk, survey_position=survey, version=version,
        shared_item=item("DC.27", "Thông báo, giấy mời", ItemScope.SHARED, "8",
                         name_en="Notice, invitation", time_norm_minutes=Decimal("30"),
                         complexity_level=1, unit_of_output="văn bản"),
        leader_item=item("QL.01", "Chỉ đạo xây dựng kế hoạch công tác", ItemScope.LEADERSHIP,
                         "70", kpi_kind=KpiKind.SPEARHEAD),
        office_item=item("VP.03", "Xử lý đơn thư của công dân", ItemScope.DIVISION, "45", "VP",
                         kpi_kind=KpiKind.HARD),
        survey_item=item("DC.05", "Đo đạc hồ sơ địa chính", ItemScope.DIVISION, "60", "DC"),
    )
