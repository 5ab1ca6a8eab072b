"""The demo organisation: a realistic commune (UBND xã) built on the real Nghĩa Lâm catalog.

Pure data generation (no storage): :func:`generate` returns plain domain objects that
:mod:`kpi_desktop.services.demo` writes in one unit of work. The people are invented; the
catalog, its codes, points and coefficients are those of QĐ 283/QĐ-UBND of xã Nghĩa Lâm.

The mix is chosen so that every screen has something real to show: all four levels in the
year, a head whose subordinate fell under 50 points (d = 50 %), a newcomer with fewer than six
months, a month with nothing assigned (insufficient data), a reprimand (Điều 20.4 override),
a transfer from one division to another in July (Điều 19.1),
and returned, late, failed-review and ad hoc entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from kpi_desktop.domain.model import (
    GENERAL_CRITERIA,
    Appeal,
    Assignment,
    CatalogGroup,
    CatalogItem,
    CatalogVersion,
    DisciplineEvent,
    DisciplineKind,
    EntryRevision,
    EntryStatus,
    EvaluationStatus,
    EvaluatorRelation,
    ExtraKind,
    ItemScope,
    JobPosition,
    KpiKind,
    MonthlyEvaluation,
    Organisation,
    OrgIndicator,
    Period,
    Person,
    PersonRole,
    ReviewStatement,
    StatementKind,
    Unit,
    UnitKind,
    UnitMembership,
    WorkLogEntry,
    canonical_json,
)
from kpi_desktop.services.calendar import WorkingCalendar

ORG_ID = "nghia-lam"
YEAR_START = dt.date(2026, 1, 1)
SOURCE_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Profile:
    """How a demo person works: share of the plan completed, error rates, extra work, self-score."""

    completion: tuple[float, float]
    fail_rate: float
    delay_rate: float
    return_rate: float
    ad_hoc: tuple[int, int]
    general: tuple[float, float]  # self-assessed general points range (of 30)


PROFILES = {
    "excellent": Profile((1.0, 1.0), 0.0, 0.02, 0.04, (1, 3), (28.5, 29.5)),
    "good": Profile((0.76, 0.90), 0.15, 0.20, 0.08, (0, 1), (24.0, 26.5)),
    "satisfactory": Profile((0.50, 0.62), 0.28, 0.35, 0.12, (0, 1), (20.0, 22.0)),
    "weak": Profile((0.25, 0.38), 0.30, 0.40, 0.15, (0, 0), (16.0, 18.5)),
}

# (id, name, position id, role, unit, profile, joined)
UNITS = [
    ("xa", "UBND xã Nghĩa Lâm", "People's Committee of Nghĩa Lâm commune", UnitKind.COMMUNE, None),
    ("vp", "Văn phòng HĐND-UBND", "Office of the People's Council and People's Committee",
     UnitKind.DIVISION, "xa"),
    ("hcc", "Trung tâm Phục vụ hành chính công", "Public Administrative Service Centre",
     UnitKind.CENTRE, "xa"),
    ("kt", "Phòng Kinh tế", "Economic Division", UnitKind.DIVISION, "xa"),
    ("vhxh", "Phòng Văn hóa - Xã hội", "Culture and Social Affairs Division", UnitKind.DIVISION,
     "xa"),
]

# (id, name_vi, name_en, unit, fields, leadership, description_vi, description_en)
POSITIONS = [
    ("chu-tich", "Chủ tịch UBND xã", "Chairman of the commune People's Committee", "xa",
     ("VP", "HCC", "KTTC", "KTXD", "KTNN", "KTMT", "KTDC", "GPMB", "NV", "VHTT", "ASXH", "GD",
      "YTE", "VHXHKT"), True,
     "Lãnh đạo, điều hành toàn diện hoạt động của UBND xã.",
     "Leads and runs all the work of the commune People's Committee."),
    ("chanh-vp", "Chánh Văn phòng HĐND-UBND", "Chief of the Office", "vp", ("VP",), True,
     "Phụ trách Văn phòng; tham mưu tổng hợp, điều phối chương trình công tác.",
     "Heads the Office; general advice and coordination of the work programme."),
    ("pho-vp", "Phó Chánh Văn phòng HĐND-UBND", "Deputy Chief of the Office", "vp", ("VP",), True,
     "Giúp Chánh Văn phòng; phụ trách văn thư, lưu trữ, hành chính.",
     "Assists the Chief; in charge of records, archives and administration."),
    ("cv-tonghop", "Chuyên viên tổng hợp", "General affairs officer", "vp", ("VP",), False,
     "Tổng hợp báo cáo, theo dõi nhiệm vụ, chuẩn bị các cuộc họp.",
     "Consolidates reports, tracks tasks and prepares meetings."),
    ("cv-vanthu", "Văn thư - Lưu trữ", "Records and archives officer", "vp", ("VP",), False,
     "Quản lý văn bản đi, đến; con dấu; lưu trữ hồ sơ.",
     "Manages incoming and outgoing documents, seals and archives."),
    ("cv-tuphap", "Tư pháp - Hộ tịch", "Justice and civil registration officer", "vp", ("VP",),
     False, "Đăng ký hộ tịch, chứng thực, phổ biến pháp luật.",
     "Civil registration, certification and legal dissemination."),
    ("gd-hcc", "Giám đốc Trung tâm Phục vụ hành chính công", "Director of the Service Centre",
     "hcc", ("HCC",), True, "Phụ trách Trung tâm; điều hành bộ phận một cửa.",
     "Heads the Centre; runs the one-stop shop."),
    ("pgd-hcc", "Phó Giám đốc Trung tâm", "Deputy Director of the Service Centre", "hcc",
     ("HCC",), True, "Giúp Giám đốc; phụ trách tiếp nhận và trả kết quả.",
     "Assists the Director; in charge of receiving files and returning results."),
    ("cv-motcua", "Chuyên viên một cửa", "One-stop shop officer", "hcc", ("HCC",), False,
     "Tiếp nhận, hướng dẫn, số hóa hồ sơ, trả kết quả thủ tục hành chính.",
     "Receives, guides and digitises files; returns results of procedures."),
    ("tp-kt", "Trưởng phòng Kinh tế", "Head of the Economic Division", "kt",
     ("KTTC", "KTXD", "KTNN", "KTMT", "KTDC", "GPMB"), True,
     "Phụ trách Phòng Kinh tế.", "Heads the Economic Division."),
    ("pp-kt", "Phó Trưởng phòng Kinh tế", "Deputy Head of the Economic Division", "kt",
     ("KTTC", "KTXD", "KTNN", "KTMT", "KTDC", "GPMB"), True,
     "Giúp Trưởng phòng; phụ trách đất đai, xây dựng.",
     "Assists the Head; in charge of land and construction."),
    ("cv-diachinh", "Công chức Địa chính", "Land administration officer", "kt", ("KTDC",), False,
     "Quản lý đất đai, hồ sơ địa chính, đăng ký biến động.",
     "Land management, cadastral records, registration of changes."),
    ("cv-gpmb", "Chuyên viên Giải phóng mặt bằng", "Site clearance officer", "kt", ("GPMB",),
     False, "Kiểm đếm, lập phương án bồi thường, hỗ trợ, tái định cư.",
     "Inventories, compensation, support and resettlement plans."),
    ("cv-taichinh", "Công chức Tài chính - Kế hoạch", "Finance and planning officer", "kt",
     ("KTTC",), False, "Dự toán, quyết toán ngân sách, kế hoạch đầu tư công.",
     "Budget estimates and accounts, public investment plans."),
    ("cv-nongnghiep", "Chuyên viên Nông nghiệp", "Agriculture officer", "kt", ("KTNN",), False,
     "Nông nghiệp, thủy lợi, lâm nghiệp, phòng chống thiên tai.",
     "Agriculture, irrigation, forestry and disaster prevention."),
    ("cv-xaydung", "Chuyên viên Xây dựng - Môi trường", "Construction and environment officer",
     "kt", ("KTXD", "KTMT"), False, "Trật tự xây dựng, hạ tầng, môi trường.",
     "Building control, infrastructure and environment."),
    ("tp-vhxh", "Trưởng phòng Văn hóa - Xã hội", "Head of the Culture and Social Affairs Division",
     "vhxh", ("NV", "VHTT", "ASXH", "GD", "YTE", "VHXHKT"), True,
     "Phụ trách Phòng Văn hóa - Xã hội.", "Heads the Culture and Social Affairs Division."),
    ("pp-vhxh", "Phó Trưởng phòng Văn hóa - Xã hội", "Deputy Head of Culture and Social Affairs",
     "vhxh", ("NV", "VHTT", "ASXH", "GD", "YTE", "VHXHKT"), True,
     "Giúp Trưởng phòng; phụ trách văn hóa, y tế, giáo dục.",
     "Assists the Head; in charge of culture, health and education."),
    ("cv-noivu", "Chuyên viên Nội vụ", "Home affairs officer", "vhxh", ("NV",), False,
     "Tổ chức bộ máy, cán bộ, thi đua khen thưởng, cải cách hành chính.",
     "Organisation, personnel, emulation and awards, administrative reform."),
    ("cv-vanhoa", "Chuyên viên Văn hóa - Thông tin", "Culture and information officer", "vhxh",
     ("VHTT",), False, "Văn hóa, thông tin, thể thao, chuyển đổi số.",
     "Culture, information, sports and digital transformation."),
    ("cv-ldtbxh", "Chuyên viên Lao động - Thương binh và Xã hội", "Social welfare officer",
     "vhxh", ("ASXH",), False, "Chính sách xã hội, người có công, bảo vệ trẻ em.",
     "Social policies, people with merit, child protection."),
    ("cv-ytegd", "Chuyên viên Y tế - Giáo dục", "Health and education officer", "vhxh",
     ("YTE", "GD"), False, "Y tế, dân số, an toàn thực phẩm, giáo dục.",
     "Health, population, food safety and education."),
]

COMPETENCY_VI = ("Năng lực chung: đạo đức công vụ, tổ chức thực hiện công việc, soạn thảo văn bản, "
                 "giao tiếp ứng xử (cấp độ 3). Năng lực chuyên môn theo lĩnh vực (cấp độ 3). "
                 "Năng lực quản lý (cấp độ 4) đối với vị trí lãnh đạo.")
COMPETENCY_EN = ("Core competencies: public-service ethics, organising work, drafting documents, "
                 "communication (level 3). Professional competency in the field (level 3). "
                 "Management competency (level 4) for leadership positions.")

# (id, full name, position, role, unit, profile, joined_on)
PEOPLE = [
    ("ct", "Nguyễn Văn Hùng", "chu-tich", PersonRole.HEAD, "xa", "excellent", None),
    ("vp-cvp", "Trần Thị Mai", "chanh-vp", PersonRole.HEAD, "vp", "good", None),
    ("vp-pcvp", "Lê Văn Nam", "pho-vp", PersonRole.DEPUTY, "vp", "good", None),
    ("vp-cv1", "Phạm Thị Hoa", "cv-tonghop", PersonRole.OFFICIAL, "vp", "excellent", None),
    ("vp-cv2", "Hoàng Văn Đức", "cv-vanthu", PersonRole.OFFICIAL, "vp", "good", None),
    ("vp-cv3", "Đặng Thị Lan", "cv-tuphap", PersonRole.OFFICIAL, "vp", "good",
     dt.date(2026, 7, 1)),
    ("hcc-gd", "Võ Minh Tuấn", "gd-hcc", PersonRole.HEAD, "hcc", "good", None),
    ("hcc-pgd", "Bùi Thị Thu", "pgd-hcc", PersonRole.DEPUTY, "hcc", "good", None),
    ("hcc-cv1", "Ngô Văn Long", "cv-motcua", PersonRole.OFFICIAL, "hcc", "excellent", None),
    ("hcc-cv2", "Đỗ Thị Hạnh", "cv-motcua", PersonRole.OFFICIAL, "hcc", "good", None),
    ("hcc-cv3", "Trịnh Văn Phúc", "cv-motcua", PersonRole.OFFICIAL, "hcc", "weak", None),
    ("hcc-cv4", "Lý Thị Ngọc", "cv-motcua", PersonRole.OFFICIAL, "hcc", "satisfactory", None),
    ("kt-tp", "Phan Văn Quang", "tp-kt", PersonRole.HEAD, "kt", "good", None),
    ("kt-pp", "Mai Thị Hương", "pp-kt", PersonRole.DEPUTY, "kt", "good", None),
    ("kt-cv1", "Nguyễn Thị Thảo", "cv-diachinh", PersonRole.OFFICIAL, "kt", "good", None),
    ("kt-cv2", "Trần Văn Bình", "cv-gpmb", PersonRole.OFFICIAL, "kt", "satisfactory", None),
    ("kt-cv3", "Lê Thị Yến", "cv-taichinh", PersonRole.OFFICIAL, "kt", "good", None),
    ("kt-cv4", "Hồ Văn Sơn", "cv-nongnghiep", PersonRole.OFFICIAL, "kt", "good", None),
    ("kt-cv5", "Dương Thị Nhung", "cv-xaydung", PersonRole.OFFICIAL, "kt", "excellent", None),
    ("vhxh-tp", "Nguyễn Văn Thắng", "tp-vhxh", PersonRole.HEAD, "vhxh", "good", None),
    ("vhxh-pp", "Phạm Thị Loan", "pp-vhxh", PersonRole.DEPUTY, "vhxh", "good", None),
    ("vhxh-cv1", "Lê Văn Tài", "cv-noivu", PersonRole.OFFICIAL, "vhxh", "excellent", None),
    ("vhxh-cv2", "Vũ Thị Hằng", "cv-vanhoa", PersonRole.OFFICIAL, "vhxh", "good", None),
    ("vhxh-cv3", "Đinh Văn Khoa", "cv-ldtbxh", PersonRole.OFFICIAL, "vhxh", "satisfactory", None),
    ("vhxh-cv4", "Cao Thị Minh", "cv-ytegd", PersonRole.OFFICIAL, "vhxh", "good", None),
]

# Months with nothing assigned (maternity leave): insufficient data for that month.
LEAVE_MONTHS = {"kt-cv3": {"2026-05"}}
# A reprimand in the year: Không hoàn thành whatever the score (Điều 20.4c).
REPRIMANDS = {"kt-cv4": (dt.date(2026, 6, 15), "45/QĐ-UBND")}
# An appeal (kiến nghị, Điều 22) against last month's result, filed 3 working days ago and
# not decided yet: the official's and the evaluator's appeal screens have something open.
APPEALS = {"vp-cv2": "Tôi đề nghị xem xét lại điểm tiêu chí chung của tháng: tôi đã hoàn "
                       "thành thêm nhiệm vụ đột xuất về phòng, chống thiên tai được giao."}
# KPI kinds (seed 001) of the demo assignments, by complexity group; N1 stays untagged.
DEMO_KPI_KINDS = {CatalogGroup.N5: KpiKind.SPEARHEAD, CatalogGroup.N4: KpiKind.SPEARHEAD,
                  CatalogGroup.N3: KpiKind.HARD, CatalogGroup.N2: KpiKind.SOFT}
# Organisation indicators of the year (Điều 8), so each unit's level computes: xa Excellent,
# vp and vhxh Good, hcc Good (too few tasks beyond requirements), kt Satisfactory (10 % late).
DEMO_ORG_INDICATORS = {
    "xa": {"general_points": "28", "task_points": "63", "tasks_completed_pct": "100",
           "tasks_on_time_pct": "100", "tasks_exceeded_pct": "35", "shortcomings_fixed": "1"},
    "vp": {"general_points": "27", "task_points": "62", "tasks_completed_pct": "100",
           "tasks_on_time_pct": "100", "tasks_exceeded_pct": "20", "shortcomings_fixed": "1"},
    "hcc": {"general_points": "28", "task_points": "64", "tasks_completed_pct": "100",
            "tasks_on_time_pct": "100", "tasks_exceeded_pct": "25", "shortcomings_fixed": "1",
            "files_on_time_pct": "98.5", "online_files_pct": "86",
            "citizen_satisfaction_pct": "95"},
    "kt": {"general_points": "26", "task_points": "60", "tasks_completed_pct": "100",
           "tasks_on_time_pct": "90", "tasks_exceeded_pct": "10", "shortcomings_fixed": "1"},
    "vhxh": {"general_points": "25", "task_points": "57", "tasks_completed_pct": "100",
             "tasks_on_time_pct": "100", "tasks_exceeded_pct": "15", "shortcomings_fixed": "0"},
}
# A transfer (điều động) in the year (Điều 19.1): from the date the person belongs to the new
# unit and is evaluated by its head; the months before stay with the old unit and evaluator.
TRANSFERS = {"kt-cv2": ("vhxh", dt.date(2026, 7, 1), "112/QĐ-UBND")}

RETURN_REASONS = [
    "Thiếu số hiệu văn bản đầu ra, đề nghị bổ sung.",
    "Sai mã sản phẩm: đây là báo cáo định kỳ, không phải báo cáo nhanh.",
    "Số lượng chưa khớp với sổ theo dõi, đề nghị kiểm tra lại.",
    "Chưa đính kèm minh chứng sản phẩm.",
]
REVISION_REASON = "Đã chỉnh sửa theo ý kiến của lãnh đạo."


@dataclass
class DemoData:
    """Everything the demo writes, as domain objects."""

    organisation: Organisation
    catalog_version: CatalogVersion
    catalog_items: list[CatalogItem]
    units: list[Unit]
    positions: list[JobPosition]
    people: list[Person]
    memberships: list[UnitMembership]
    relations: list[EvaluatorRelation]
    assignments: list[Assignment] = field(default_factory=list)
    entries: list[WorkLogEntry] = field(default_factory=list)
    revisions: list[EntryRevision] = field(default_factory=list)
    statements: list[ReviewStatement] = field(default_factory=list)
    evaluations: list[MonthlyEvaluation] = field(default_factory=list)
    discipline: list[DisciplineEvent] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    day_minutes: dict[tuple[str, dt.date], Decimal] = field(default_factory=dict)
    org_indicators: list[OrgIndicator] = field(default_factory=list)


def load_catalog(path: Path) -> tuple[CatalogVersion, list[CatalogItem]]:
    """The converted Nghĩa Lâm catalog as domain objects."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    meta = raw["catalog"]
    version = CatalogVersion(id=meta["version"], label=meta["version"],
                             standard_unit_points=Decimal(meta["standard_unit_points"]),
                             published_at=SOURCE_DATE, active=True,
                             note=meta["source_document"]["citation_vi"])
    items = [
        CatalogItem(
            id=f"{version.id}:{row['code']}", catalog_version_id=version.id, code=row["code"],
            name_vi=row["name_vi"], name_en=row["name_en"], detail_vi=row.get("detail_vi") or "",
            output_vi=row.get("output_vi") or "", output_en=row.get("output_en") or "",
            group=CatalogGroup(row["group"]), points=Decimal(row["points"]),
            coefficient=Decimal(row["coefficient"]),
            time_norm_minutes=Decimal(row["time_norm_minutes"]),
            complexity_level=row["complexity_level"], scope=ItemScope(row["scope"]),
            field_code=row.get("field_code"),
        )
        for row in raw["items"]
    ]
    return version, items


# Without the government's make-up Saturdays, so the demo data stays as first generated.
_CALENDAR = WorkingCalendar(government_workdays=False)
working_days = _CALENDAR.working_days
add_working_days = _CALENDAR.add_working_days


def _months(until: dt.date) -> Iterator[Period]:
    period = Period.month(YEAR_START.year, 1)
    while period.start <= until:
        yield period
        period = period.next()


def _allowed(item: CatalogItem, position: JobPosition) -> bool:
    if item.scope is ItemScope.SHARED:
        return True
    if item.scope is ItemScope.LEADERSHIP:
        return position.leadership
    return item.field_code in position.field_codes


def _quantity_for(coefficient: Decimal, rng: random.Random) -> int:
    if coefficient <= 2:
        return rng.randint(4, 10)
    if coefficient <= 6:
        return rng.randint(2, 4)
    if coefficient <= 12:
        return rng.randint(1, 2)
    return 1


# Who helps the demo commune's users (made up; shown in Help → About).
DEMO_SUPPORT = ("Bộ phận tổ chức cán bộ, Văn phòng HĐND-UBND xã Nghĩa Lâm — "
                "ĐT 0238 3800 335 — hotro.kpi@nghialam.example.vn")


def generate(catalog_path: Path, *, today: dt.date, seed: int = 335) -> DemoData:
    """Build the demo organisation with work from January of ``today``'s year up to ``today``."""
    rng = random.Random(seed)
    version, items = load_catalog(catalog_path)
    organisation = Organisation(id=ORG_ID, name_vi="UBND xã Nghĩa Lâm (dữ liệu mẫu)",
                                name_en="Nghĩa Lâm commune People's Committee (demo data)",
                                code="NL", org_version=0, updated_at=SOURCE_DATE,
                                support_contact=DEMO_SUPPORT)
    units = [Unit(id=uid, organisation_id=ORG_ID, name_vi=vi, name_en=en, kind=kind,
                  parent_id=parent, code=uid.upper()) for uid, vi, en, kind, parent in UNITS]
    positions = [
        JobPosition(id=pid, name_vi=vi, name_en=en, unit_id=unit, field_codes=fields,
                    leadership=lead, description_vi=dvi, description_en=den,
                    competency_framework_vi=COMPETENCY_VI, competency_framework_en=COMPETENCY_EN)
        for pid, vi, en, unit, fields, lead, dvi, den in POSITIONS
    ]
    position_by_id = {p.id: p for p in positions}
    people = [Person(id=pid, full_name=name, unit_id=unit, role=role, job_position_id=pos,
                     joined_on=joined or dt.date(2020, 1, 1))
              for pid, name, pos, role, unit, _profile, joined in PEOPLE]
    memberships = [UnitMembership(id=f"m-{p.id}", person_id=p.id, unit_id=p.unit_id,
                                  start_on=p.joined_on or YEAR_START) for p in people]
    # Điều 10: the chairman evaluates the heads of divisions; each head evaluates the deputy and
    # the staff of the division.
    heads = {p.unit_id: p.id for p in people if p.role is PersonRole.HEAD}
    relations = []
    for person in people:
        if person.id == "ct":
            continue
        evaluator = "ct" if person.role is PersonRole.HEAD else heads[person.unit_id]
        relations.append(EvaluatorRelation(id=f"r-{person.id}", evaluator_id=evaluator,
                                           evaluatee_id=person.id,
                                           start_on=person.joined_on or YEAR_START))
    data = DemoData(organisation=organisation, catalog_version=version, catalog_items=items,
                    units=units, positions=positions, people=people, memberships=memberships,
                    relations=relations)
    evaluator_of = {r.evaluatee_id: r.evaluator_id for r in relations}
    profiles = {row[0]: PROFILES[row[5]] for row in PEOPLE}
    months = list(_months(today))
    data.periods = months
    for person in people:
        position = position_by_id[person.job_position_id or ""]
        allowed = [i for i in items if _allowed(i, position)]
        own = [i for i in allowed if i.scope is not ItemScope.SHARED]
        shared = [i for i in allowed if i.scope is ItemScope.SHARED and i.coefficient <= 12]
        regular = rng.sample(own, k=min(len(own), 6)) + rng.sample(shared, k=3)
        for period in months:
            if person.joined_on and period.end < person.joined_on:
                continue
            if str(period) in LEAVE_MONTHS.get(person.id, set()):
                continue
            # The chairman's evaluator (the province) is outside the commune: his own plan is
            # his, and his work waits for a review nobody here may give (nobody reviews their
            # own entries, issue 13).
            _generate_month(data, rng, person, profiles[person.id], period, regular, allowed,
                            evaluator_of.get(person.id), today)
    for person_id, (decided_on, number) in REPRIMANDS.items():
        data.discipline.append(DisciplineEvent(
            id=f"kl-{person_id}", person_id=person_id, kind=DisciplineKind.REPRIMAND,
            decided_on=decided_on, effective_year=decided_on.year, decision_no=number,
            created_at=dt.datetime.combine(decided_on, dt.time(9), tzinfo=dt.UTC),
            note="Vi phạm quy định về thời gian giải quyết hồ sơ.", recorded_by="ct"))
    _add_appeals(data, today)
    year = Period.parse(str(today.year))
    data.org_indicators = [
        OrgIndicator(id=f"oi-{unit_id}-{code}", unit_id=unit_id, period=year, code=code,
                     value=Decimal(value), policy_version="nd335-2026.1", source="demo")
        for unit_id, values in DEMO_ORG_INDICATORS.items() for code, value in values.items()]
    _apply_transfers(data, today)
    return data


def _add_appeals(data: DemoData, today: dt.date) -> None:
    """File :data:`APPEALS` against the last locked month, received 3 working days ago."""
    month = Period.containing(today).previous()
    locked = {(e.person_id, e.period) for e in data.evaluations}
    days = working_days(Period.containing(today).start, today)
    filed = days[-4] if len(days) >= 4 else (days[0] if days else today)
    for person_id, reason in APPEALS.items():
        if (person_id, month) not in locked:
            continue
        data.appeals.append(Appeal(id=f"kn-{person_id}-{month}", person_id=person_id,
                                   period=month, reason=reason, filed_at=_at(filed, 9),
                                   received_on=filed))


def _apply_transfers(data: DemoData, today: dt.date) -> None:
    """Move the people of :data:`TRANSFERS` on their date: memberships, evaluator relations,
    and the later months' unit, evaluator, assigner and reviewer (the earlier ones stay)."""

    heads = {p.unit_id: p.id for p in data.people if p.role is PersonRole.HEAD}
    names = {u.id: u.name_vi for u in data.units}
    for person_id, (unit_id, start, number) in TRANSFERS.items():
        if start > today:
            continue
        end = start - dt.timedelta(days=1)
        head = heads[unit_id]
        reason = f"{number} — Điều động sang {names[unit_id]}"
        data.people = [replace(p, unit_id=unit_id) if p.id == person_id else p
                       for p in data.people]
        data.memberships = [replace(m, end_on=end) if m.person_id == person_id else m
                            for m in data.memberships]
        data.memberships.append(UnitMembership(id=f"m-{person_id}-2", person_id=person_id,
                                               unit_id=unit_id, start_on=start, reason=reason))
        data.relations = [replace(r, end_on=end) if r.evaluatee_id == person_id else r
                          for r in data.relations]
        data.relations.append(EvaluatorRelation(id=f"r-{person_id}-2", evaluator_id=head,
                                                evaluatee_id=person_id, start_on=start,
                                                note=reason))
        data.evaluations = [replace(e, unit_id=unit_id, evaluator_id=head)
                            if e.person_id == person_id and e.period.start >= start else e
                            for e in data.evaluations]
        data.assignments = [replace(a, assigner_id=head)
                            if a.person_id == person_id and a.period.start >= start else a
                            for a in data.assignments]
        later = {e.id for e in data.entries if e.person_id == person_id and e.work_date >= start}
        data.statements = [replace(s, reviewer_id=head) if s.entry_id in later else s
                           for s in data.statements]


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def _generate_month(data: DemoData, rng: random.Random, person: Person, profile: Profile,
                    period: Period, regular: list[CatalogItem], allowed: list[CatalogItem],
                    evaluator_id: str | None, today: dt.date) -> None:
    start = max(period.start, person.joined_on or period.start)
    days = working_days(start, period.end)
    past_days = [d for d in days if d <= today]
    if not past_days:
        return
    finished_month = period.end < today
    chosen = rng.sample(regular, k=min(len(regular), rng.randint(5, 7)))
    completion = rng.uniform(*profile.completion)
    for item in chosen:
        quantity = _quantity_for(item.coefficient, rng)
        deadline = days[min(len(days) - 1, rng.randint(len(days) // 2, len(days) - 1))]
        assignment = Assignment(
            id=f"a-{person.id}-{period}-{item.code}", person_id=person.id,
            assigner_id=evaluator_id or person.id, catalog_item_id=item.id, period=period,
            quantity=Decimal(quantity), coefficient=item.coefficient, deadline=deadline,
            created_at=_at(days[0], 8), note="", kpi_kind=DEMO_KPI_KINDS.get(item.group))
        data.assignments.append(assignment)
        expected = quantity * completion  # whole products: round up or down at random
        done = min(quantity, int(expected) + (rng.random() < expected - int(expected)))
        if not finished_month:  # the running month: about as far as the days allow
            share = len(past_days) / len(days)
            done = min(done, int(quantity * share + 0.5))
        for piece in _split(done, rng):
            _add_entry(data, rng, person, profile, item, assignment, piece, days, past_days,
                       evaluator_id, finished_month, today)
    if profile.ad_hoc[1]:
        extras = [i for i in allowed if i.coefficient <= 4]
        for _ in range(rng.randint(*profile.ad_hoc)):
            item = rng.choice(extras)
            _add_entry(data, rng, person, profile, item, None, 1, days, past_days, evaluator_id,
                       finished_month, today)
    if finished_month:
        data.evaluations.append(_evaluation(rng, person, profile, period, evaluator_id))


def _unreviewed(evaluation: MonthlyEvaluation) -> MonthlyEvaluation:
    """A month whose evaluator is outside the organisation: self-assessed and submitted, not
    confirmed here."""
    return replace(evaluation, status=EvaluationStatus.SUBMITTED, confirmed_criteria={},
                   comment="", confirmed_at=None, locked_at=None)


def _split(quantity: int, rng: random.Random) -> list[int]:
    pieces = []
    while quantity > 0:
        piece = min(quantity, 1 if rng.random() < 0.7 else 2)
        pieces.append(piece)
        quantity -= piece
    return pieces


def _add_entry(data: DemoData, rng: random.Random, person: Person, profile: Profile,
               item: CatalogItem, assignment: Assignment | None, quantity: int,
               days: list[dt.date], past_days: list[dt.date], evaluator_id: str | None,
               finished_month: bool, today: dt.date) -> None:
    deadline = assignment.deadline if assignment else None
    late = assignment is not None and rng.random() < profile.delay_rate
    if late and deadline is not None:
        candidates = [d for d in past_days if d > deadline] or past_days[-1:]
    elif deadline is not None:
        candidates = [d for d in past_days if d <= deadline] or past_days[:1]
    else:
        candidates = past_days
    # Spread the work so that most days stay within 8 hours of norm time, as real logs do.
    minutes = (item.time_norm_minutes or Decimal(0)) * quantity
    load = data.day_minutes
    fitting = [d for d in candidates if load.get((person.id, d), 0) + minutes <= 480]
    work_date = rng.choice(fitting) if fitting else min(
        candidates, key=lambda d: (load.get((person.id, d), 0), rng.random()))
    load[(person.id, work_date)] = load.get((person.id, work_date), 0) + minutes
    late = deadline is not None and work_date > deadline
    entry_id = f"e-{len(data.entries) + 1:06d}"
    number = rng.randint(10, 480)
    entry = WorkLogEntry(
        id=entry_id, person_id=person.id, work_date=work_date, catalog_item_id=item.id,
        quantity=Decimal(quantity), coefficient=item.coefficient,
        time_norm_minutes=item.time_norm_minutes, complexity_level=item.complexity_level,
        assignment_id=assignment.id if assignment else None,
        extra_kind=ExtraKind.NONE if assignment else ExtraKind.AD_HOC,
        output_doc_number=f"{number}/{'BC' if 'áo cáo' in item.name_vi else 'CV'}-UBND",
        output_description=item.output_vi, deadline=deadline, completed_on=work_date,
        created_at=_at(work_date, 17), updated_at=_at(work_date, 17),
        status=EntryStatus.SUBMITTED, current_revision=1)
    review_day = min(add_working_days(work_date, rng.randint(0, 3)), today)
    reviewed = finished_month or review_day < today - dt.timedelta(days=2)
    returned = rng.random() < profile.return_rate
    statements: list[tuple[StatementKind, int, str]] = []
    revision = 1
    if reviewed and returned:
        statements.append((StatementKind.RETURN, 1, rng.choice(RETURN_REASONS)))
        revision = 2
        if not finished_month and rng.random() < 0.5:
            revision = 1  # still waiting for the official's correction
    status = EntryStatus.SUBMITTED
    if reviewed:
        if revision == 1 and returned:
            status = EntryStatus.RETURNED
        else:
            if late:
                statements.append((StatementKind.DELAY, revision, "Hoàn thành sau thời hạn."))
            if assignment is not None and rng.random() < profile.fail_rate:
                statements.append((StatementKind.QUALITY_FAILED, revision,
                                   "Sai sót lớn về nội dung, phải làm lại."))
            statements.append((StatementKind.CONFIRM, revision, ""))
            status = EntryStatus.CONFIRMED
    elif not finished_month and work_date >= today - dt.timedelta(days=1) and rng.random() < 0.5:
        status = EntryStatus.DRAFT
    if evaluator_id is None:  # nobody here may review it (the same draws: the rest unchanged)
        statements, revision = [], 1
        status = EntryStatus.DRAFT if status is EntryStatus.DRAFT else EntryStatus.SUBMITTED
    final = WorkLogEntry(**{**_fields(entry), "status": status,
                            "current_revision": 0 if status is EntryStatus.DRAFT else revision,
                            "confirmed_revision": revision if status is EntryStatus.CONFIRMED
                            else None})
    data.entries.append(final)
    if status is not EntryStatus.DRAFT:
        snapshot = canonical_json(entry.snapshot())
        digest = hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
        for number_ in range(1, revision + 1):
            data.revisions.append(EntryRevision(
                entry_id=entry_id, revision=number_, snapshot_json=snapshot,
                snapshot_sha256=digest,
                created_at=_at(work_date if number_ == 1 else review_day, 17),
                author_id=person.id, reason="" if number_ == 1 else REVISION_REASON))
    for index, (kind, rev, reason) in enumerate(statements):
        data.statements.append(ReviewStatement(
            id=f"s-{entry_id}-{index}", entry_id=entry_id, revision=rev,
            reviewer_id=str(evaluator_id), kind=kind, reason=reason,
            created_at=_at(review_day, 9 + index)))


def _fields(entry: WorkLogEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in entry.__dataclass_fields__}


def _criteria(rng: random.Random, target: float) -> dict[str, Decimal]:
    """Sub-item scores in half points, each within its maximum, adding up to ``target``
    rounded to half a point: start from full marks and take half points off at random."""
    scores = {c.code: c.max_points for c in GENERAL_CRITERIA}
    goal = Decimal(round(target * 2)) / 2
    step = Decimal("0.5")
    while sum(scores.values()) > goal:
        code = rng.choice([c for c, v in scores.items() if v > 0])
        scores[code] -= step
    return scores


def _evaluation(rng: random.Random, person: Person, profile: Profile, period: Period,
                evaluator_id: str | None) -> MonthlyEvaluation:
    target = rng.uniform(*profile.general)
    self_scores = _criteria(rng, target)
    confirmed = dict(self_scores)
    if rng.random() < 0.3:  # the evaluator lowers one sub-item by half a point
        code = rng.choice([c.code for c in GENERAL_CRITERIA])
        confirmed[code] = max(Decimal(0), confirmed[code] - Decimal("0.5"))
    leader = person.role.is_leader
    evaluation = MonthlyEvaluation(
        person_id=person.id, period=period, status=EvaluationStatus.LOCKED,
        unit_id=person.unit_id, self_criteria=self_scores, confirmed_criteria=confirmed,
        evaluator_id=evaluator_id,
        comment="Hoàn thành nhiệm vụ được giao." if profile.completion[0] >= 0.8
        else "Cần cải thiện tiến độ và chất lượng sản phẩm.",
        dd=Decimal(100) if leader else None, e=Decimal(100) if leader else None,
        submitted_at=_at(add_working_days(period.end, 1), 9),
        confirmed_at=_at(add_working_days(period.end, 3), 10),
        locked_at=_at(add_working_days(period.end, 3), 10))
    return evaluation if evaluator_id is not None else _unreviewed(evaluation)
