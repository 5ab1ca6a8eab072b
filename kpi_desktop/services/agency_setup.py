"""The agency builds its organisation without programming (issue 5, organisation bundle).

* :meth:`AgencySetupService.create_organisation` starts an empty agency PC;
* :meth:`AgencySetupService.import_catalog` reads a catalog workbook in the layout of xã Nghĩa
  Lâm's QĐ 283 (:func:`~kpi_desktop.services.catalog_xlsx.read_catalog_xlsx`) as a new active
  catalog version;
* :meth:`AgencySetupService.import_staff` reads a staff list (CSV or XLSX, header row) and
  creates or updates units, job positions, people, unit memberships and evaluator relations.

Then ``SyncService.publish_organisation`` signs the next organisation version. Staff list
columns (only ``id``, ``full_name`` and ``unit_id`` are required)::

    id, full_name, unit_id, unit_name, role, job_position_id, job_position_name,
    field_codes (separated by ";"), evaluator_id, joined_on (YYYY-MM-DD)
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError, RefusedValue
from kpi_desktop.domain.inputs import check_date, find_forbidden
from kpi_desktop.domain.model import (
    AuditEvent,
    CatalogGroup,
    CatalogItem,
    CatalogVersion,
    EvaluatorKind,
    EvaluatorRelation,
    ItemScope,
    JobPosition,
    Organisation,
    Person,
    PersonRole,
    Unit,
    UnitKind,
    UnitMembership,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.services.catalog_xlsx import read_catalog_xlsx

__all__ = ["AgencySetupService", "StaffSummary", "read_staff_list"]

_ROLES = {
    "official": PersonRole.OFFICIAL, "công chức": PersonRole.OFFICIAL, "": PersonRole.OFFICIAL,
    "deputy": PersonRole.DEPUTY, "cấp phó": PersonRole.DEPUTY, "phó": PersonRole.DEPUTY,
    "head": PersonRole.HEAD, "trưởng": PersonRole.HEAD, "người đứng đầu": PersonRole.HEAD,
    "admin": PersonRole.ADMIN, "quản trị": PersonRole.ADMIN,
}
_REQUIRED = ("id", "full_name", "unit_id")


@dataclass(frozen=True)
class StaffSummary:
    """What a staff list changed."""

    people_added: int
    people_updated: int
    units_added: int
    positions_added: int
    relations_added: int


def _refuse(row: int, reason: str, **extra: Any) -> RefusedValue:
    """``staff_list_invalid`` with a reason code (``agency_messages.staff_reason`` words it)
    and the values it names."""
    return RefusedValue("staff_list_invalid", row=row, reason=reason, **extra)


# What a staff list may hold: the file, its rows and one cell (a name, an identifier).
MAX_STAFF_FILE_BYTES = 50 * 1024 * 1024
MAX_STAFF_ROWS = 100_000
MAX_STAFF_CELL = 1000
# Uncompressed size of an .xlsx staff list (its XML), against zip bombs.
_MAX_XLSX_UNPACKED = 200 * 1024 * 1024


def read_staff_list(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The rows of a staff list (CSV in UTF-8, or the first sheet of an XLSX), as text.

    Every cell is checked as it is read: at most :data:`MAX_STAFF_CELL` characters (the CSV
    reader's own field limit is never reached: a larger field is refused with its row too) and
    no control character (a NUL in a name would break every export); the file is at most
    :data:`MAX_STAFF_FILE_BYTES` and :data:`MAX_STAFF_ROWS` rows.

    Raises:
        RefusedValue: ``staff_list_invalid`` with the row (1 = the header row), the column and
            a reason: a missing column, an unreadable file, a control character, a cell too
            long, a file too large.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
    except OSError:
        raise _refuse(0, "file_unreadable", path=str(file)) from None
    if size > MAX_STAFF_FILE_BYTES:
        raise _refuse(0, "file_too_large", path=str(file),
                      maximum=MAX_STAFF_FILE_BYTES // (1024 * 1024))
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(file)
    else:
        rows = _csv_rows(file)
    if not rows:
        raise _refuse(1, "file_empty")
    header = [normalize_text(h).lower() for h in rows[0]]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise _refuse(1, "columns_missing", columns=", ".join(missing))
    for number, cells in enumerate(rows, start=1):
        for index, cell in enumerate(cells):
            column = header[index] if index < len(header) and header[index] else \
                str(index + 1)
            bad = find_forbidden(cell, multiline=False)
            if bad is not None:
                raise _refuse(number, "control_character", column=column,
                              char=f"U+{ord(bad):04X}")
            if len(cell) > MAX_STAFF_CELL:
                raise _refuse(number, "cell_too_long", column=column, maximum=MAX_STAFF_CELL)
    result = []
    for cells in rows[1:]:
        if not any(normalize_text(c) for c in cells):
            continue
        result.append({name: normalize_text(cells[i]) if i < len(cells) else ""
                       for i, name in enumerate(header)})
    return result


def _csv_rows(file: Path) -> list[list[str]]:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError:
        raise _refuse(0, "file_unreadable", path=str(file)) from None
    except UnicodeDecodeError:
        raise _refuse(0, "not_utf8", path=str(file)) from None
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            number = len(rows) + 1
            if "field larger than field limit" in str(exc):
                raise _refuse(number, "cell_too_long", column="", maximum=MAX_STAFF_CELL
                              ) from None
            raise _refuse(number, "not_a_table", path=str(file)) from None
        rows.append(cells)
        if len(rows) > MAX_STAFF_ROWS:
            raise _refuse(len(rows), "too_many_rows", maximum=MAX_STAFF_ROWS)


def _xlsx_rows(file: Path) -> list[list[str]]:
    """The first sheet's cells as text (an .xlsx is a zip: its unpacked size is checked
    before anything is parsed)."""
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except OSError:
        raise _refuse(0, "file_unreadable", path=str(file)) from None
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        raise _refuse(0, "not_a_table", path=str(file)) from None
    if unpacked > _MAX_XLSX_UNPACKED:
        raise _refuse(0, "file_too_large", path=str(file),
                      maximum=MAX_STAFF_FILE_BYTES // (1024 * 1024))
    from openpyxl import load_workbook

    rows: list[list[str]] = []
    try:
        book = load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                rows.append(["" if v is None else str(v) for v in values])
                if len(rows) > MAX_STAFF_ROWS:
                    raise _refuse(len(rows), "too_many_rows", maximum=MAX_STAFF_ROWS)
        finally:
            book.close()
    except RefusedValue:
        raise
    except OSError:
        raise _refuse(0, "file_unreadable", path=str(file)) from None
    except Exception:  # openpyxl on a damaged or hostile workbook: any parser error
        raise _refuse(0, "not_a_table", path=str(file)) from None
    return rows


class AgencySetupService:
    """Builds the organisation on the agency's PC."""

    def __init__(self, db: Any, *, today: dt.date | None = None) -> None:
        self._db = db
        self._today = today

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def create_organisation(self, organisation_id: str, name_vi: str, *, code: str = "",
                            name_en: str = "") -> Organisation:
        """Create the organisation and its top unit on an empty agency PC."""
        now = utc_now()
        org = Organisation(id=normalize_text(organisation_id), name_vi=normalize_text(name_vi),
                           name_en=name_en, code=code, org_version=0, updated_at=now)
        with self._db.unit_of_work() as uow:
            if uow.org.list_organisations():
                raise RefusedValue("database_exists", path=str(self._db.path))
            uow.org.add_organisation(org)
            uow.org.add_unit(Unit(id=org.id, organisation_id=org.id, name_vi=org.name_vi,
                                  name_en=name_en, kind=UnitKind.COMMUNE, code=code))
            uow.audit.append(AuditEvent(at=now, action="org.create", object_type="organisation",
                                        object_id=org.id))
        return org

    def import_catalog(self, path: str | os.PathLike[str], *, version_id: str,
                       label: str = "") -> int:
        """Read a catalog workbook into a new active catalog version; returns the item count."""
        data = read_catalog_xlsx(path)
        now = utc_now()
        version = CatalogVersion(id=normalize_text(version_id), label=label or version_id,
                                 standard_unit_points=data.standard_unit_points,
                                 published_at=now, active=True)
        items = [CatalogItem(
            id=CatalogItem.make_id(version.id, row.code), catalog_version_id=version.id,
            code=row.code, name_vi=row.name_vi, detail_vi=row.detail_vi,
            output_vi=row.output_vi, group=CatalogGroup(row.group), points=row.points,
            coefficient=row.coefficient, complexity_level=row.complexity_level,
            scope=ItemScope(row.scope),
            field_code=row.code_prefix if row.scope == "division" else None)
            for row in data.items]
        with self._db.unit_of_work() as uow:
            uow.catalog.add_version(version)
            uow.catalog.add_items(items)
            uow.audit.append(AuditEvent(at=now, action="catalog.import", object_type="catalog",
                                        object_id=version.id, detail={"items": len(items)}))
        return len(items)

    def import_policy(self, path: str | os.PathLike[str], *, active_from: dt.date) -> str:
        """Store a scoring policy (JSON, the format of ``ScoringPolicy.to_json``) in force from
        ``active_from``; returns its version. The next organisation file carries it.

        Raises:
            RefusedValue: ``policy_invalid`` for a file that is not a valid policy,
                ``duplicate_record`` when that version was stored before.
        """
        from kpi_desktop.domain.model import PolicyVersion
        from kpi_desktop.scoring import ScoringPolicy

        check_date(active_from, "active_from", today=self.today())
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise RefusedValue("policy_invalid", reason=str(exc)[:200]) from None
        try:
            policy = ScoringPolicy.from_json(raw)
        except KpiError as exc:  # the engine's code says why; messages.py says it in words
            raise RefusedValue("policy_invalid", cause=exc.code,
                               cause_params=dict(exc.params)) from None
        except ValueError:
            raise RefusedValue("policy_invalid", cause="policy_format_unknown",
                               cause_params={"value": "json"}) from None
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if uow.policies.find(policy.version) is not None:
                raise RefusedValue("duplicate_record", detail=policy.version)
            uow.policies.add(PolicyVersion(version=policy.version, policy_json=policy.to_json(),
                                           active_from=active_from, created_at=now))
            uow.audit.append(AuditEvent(at=now, action="policy.import", object_type="policy",
                                        object_id=policy.version,
                                        detail={"active_from": active_from.isoformat()}))
        return policy.version

    def import_staff(self, path: str | os.PathLike[str]) -> StaffSummary:
        """Create or update units, job positions, people, memberships and evaluators from a
        staff list, in one transaction (a bad row changes nothing).

        Every row is checked first as the agency's People page checks it
        (:meth:`~kpi_desktop.services.agency_admin.AgencyAdminService.preview_staff`: no
        self-evaluation, no evaluator cycle, known evaluators, well-formed identifiers), so
        the command line refuses what the GUI refuses.

        Raises:
            RefusedValue: the first bad row's refusal (``staff_…``) or ``staff_list_invalid``.
        """
        from kpi_desktop.services.agency_admin import AgencyAdminService

        preview = AgencyAdminService(self._db, today=self.today).preview_staff(path)
        if preview.errors:
            raise preview.errors[0].error  # type: ignore[misc]
        rows = read_staff_list(path)
        today = self.today()
        now = utc_now()
        with self._db.unit_of_work() as uow:
            organisations = uow.org.list_organisations()
            if not organisations:
                raise RefusedValue("organisation_missing")
            org = organisations[0]
            units = {u.id: u for u in uow.org.list_units()}
            root = next((u for u in units.values() if u.parent_id is None), None)
            positions = {p.id: p for p in uow.org.list_job_positions()}
            known_people = {p.id for p in uow.org.list_people(active_only=False)}
            ids_in_file = {r["id"] for r in rows}
            counts = dict(people_added=0, people_updated=0, units_added=0, positions_added=0,
                          relations_added=0)
            for number, row in enumerate(rows, start=2):
                for column in _REQUIRED:
                    if not row.get(column):
                        raise _refuse(number, "value_missing", column=column)
                role = _ROLES.get(row.get("role", "").lower())
                if role is None:
                    raise _refuse(number, "role_unknown", value=row.get("role", ""))
                evaluator = row.get("evaluator_id", "")
                if evaluator and evaluator not in ids_in_file | known_people:
                    raise _refuse(number, "evaluator_unknown", value=evaluator)
                joined = self._date(number, row.get("joined_on", ""))
                unit_id = row["unit_id"]
                if unit_id not in units:
                    units[unit_id] = Unit(id=unit_id, organisation_id=org.id,
                                          name_vi=row.get("unit_name") or unit_id,
                                          kind=UnitKind.DIVISION,
                                          parent_id=None if root is None else root.id)
                    uow.org.add_unit(units[unit_id])
                    counts["units_added"] += 1
                position_id = row.get("job_position_id") or None
                if position_id and position_id not in positions:
                    codes = tuple(c.strip() for c in row.get("field_codes", "").split(";")
                                  if c.strip())
                    positions[position_id] = JobPosition(
                        id=position_id, name_vi=row.get("job_position_name") or position_id,
                        unit_id=unit_id, field_codes=codes, leadership=role.is_leader)
                    uow.org.add_job_position(positions[position_id])
                    counts["positions_added"] += 1
                self._person(uow, row, role, position_id, joined or today, counts)
            for row in rows:
                if row.get("evaluator_id"):
                    counts["relations_added"] += self._evaluator(
                        uow, row["id"], row["evaluator_id"], today)
            uow.audit.append(AuditEvent(at=now, action="staff.import", object_type="organisation",
                                        object_id=org.id, detail=dict(counts)))
        return StaffSummary(**counts)

    @staticmethod
    def _date(number: int, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise _refuse(number, "date_malformed", value=text) from None

    def _person(self, uow: Any, row: dict[str, str], role: PersonRole,
                position_id: str | None, joined: dt.date, counts: dict[str, int]) -> None:
        existing = uow.org.find_person(row["id"])
        if existing is None:
            uow.org.add_person(Person(id=row["id"], full_name=row["full_name"],
                                      unit_id=row["unit_id"], role=role,
                                      job_position_id=position_id, joined_on=joined))
            uow.org.add_membership(UnitMembership(id=new_id(), person_id=row["id"],
                                                  unit_id=row["unit_id"], start_on=joined))
            counts["people_added"] += 1
            return
        changed = dataclasses.replace(existing, full_name=row["full_name"],
                                      unit_id=row["unit_id"], role=role,
                                      job_position_id=position_id, active=True)
        if changed != existing:
            uow.org.update_person(changed)
            counts["people_updated"] += 1
        if existing.unit_id != row["unit_id"]:  # a transfer: close and open memberships
            today = self.today()
            for membership in uow.org.memberships_of(existing.id):
                if membership.end_on is None:
                    uow.org.end_membership(membership.id, today - dt.timedelta(days=1))
            uow.org.add_membership(UnitMembership(id=new_id(), person_id=existing.id,
                                                  unit_id=row["unit_id"], start_on=today,
                                                  reason="staff list"))

    @staticmethod
    def _evaluator(uow: Any, person_id: str, evaluator_id: str, today: dt.date) -> int:
        current = [r for r in uow.org.evaluators_of(person_id, today)
                   if r.kind is EvaluatorKind.DIRECT]
        if any(r.evaluator_id == evaluator_id for r in current):
            return 0
        for relation in current:
            uow.org.end_evaluator_relation(relation.id, today - dt.timedelta(days=1))
        uow.org.add_evaluator_relation(EvaluatorRelation(
            id=new_id(), evaluator_id=evaluator_id, evaluatee_id=person_id, start_on=today))
        return 1

