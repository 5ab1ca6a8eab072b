"""KPI kinds (seed 001): assigned and completed work by kind — spearhead, hard, soft, untagged.

An assignment's kind is the one the leader chose when assigning, else the catalog item's
(frozen on the assignment when it is made). For a month, quarter or year and a unit (with its
sub-units), each person's assignments of the periods inside it are counted:

* ``assigned_count`` / ``assigned_points``: assignments and their points
  (catalog points × quantity);
* ``completed_count``: assignments whose confirmed quantity reaches the assigned one;
  ``completed_points``: points of the confirmed quantity, up to the assigned one.

Cancelled assignments do not count. Work outside assignments (ad hoc, or taken over from a
colleague: Điều 18.1d) is counted in its own row, ``ad_hoc``, under the kind of its catalog
item (untagged when the item has none): its confirmed entries of the period are completed
tasks and points, with nothing assigned, and they add to the unit's totals (outside the
assigned total, as the decree counts them). ``totals`` = the people's assignments + ``ad_hoc``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.inputs import export_cell
from kpi_desktop.domain.model import (
    AssignmentStatus,
    EntryStatus,
    KpiKind,
    Period,
    PeriodKind,
    Person,
)
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.scores import unit_tree

# Report keys, in order ("untagged" = no kind).
KIND_KEYS = (KpiKind.SPEARHEAD.value, KpiKind.HARD.value, KpiKind.SOFT.value, "untagged")


def kpi_kind_label(kind: KpiKind | str | None) -> str:
    """The name of a KPI kind (``None`` / "untagged": no kind)."""
    value = getattr(kind, "value", kind)
    return {
        "spearhead": translate("KpiKind", "spearhead"),
        "hard": translate("KpiKind", "hard"),
        "soft": translate("KpiKind", "soft"),
    }.get(str(value), translate("KpiKind", "untagged"))


def ad_hoc_label() -> str:
    """The name of the row of work outside assignments."""
    return translate("KpiKind", "ad hoc / not assigned")


def parse_kpi_kind(value: KpiKind | str | None) -> KpiKind | None:
    """A KPI kind, ``None`` for empty; anything else is refused (``kpi_kind_unknown``)."""
    if value is None or value == "":
        return None
    try:
        return KpiKind(value)
    except ValueError:
        raise RefusedValue("kpi_kind_unknown", value=str(value)) from None


def parse_report_period(text: str | Period) -> Period:
    """A month, quarter or year (``report_period_malformed`` otherwise)."""
    if isinstance(text, Period):
        return text
    try:
        period = Period.parse(str(text).strip())
    except RefusedValue:
        raise RefusedValue("report_period_malformed", value=str(text)) from None
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
        raise RefusedValue("report_period_malformed", value=str(text))
    return period


@dataclass
class KindFigures:
    """Counts and points of one kind."""

    assigned_count: int = 0
    completed_count: int = 0
    assigned_points: Decimal = Decimal(0)
    completed_points: Decimal = Decimal(0)

    def add(self, other: KindFigures) -> None:
        self.assigned_count += other.assigned_count
        self.completed_count += other.completed_count
        self.assigned_points += other.assigned_points
        self.completed_points += other.completed_points

    def as_dict(self) -> dict[str, Any]:
        return {"assigned_count": self.assigned_count, "completed_count": self.completed_count,
                "assigned_points": str(self.assigned_points.normalize()),
                "completed_points": str(self.completed_points.normalize())}


def _empty() -> dict[str, KindFigures]:
    return {key: KindFigures() for key in KIND_KEYS}


@dataclass
class PersonKinds:
    person: Person
    kinds: dict[str, KindFigures] = field(default_factory=_empty)


@dataclass
class KindReport:
    unit_id: str
    unit_name: str
    period: Period
    people: list[PersonKinds]
    totals: dict[str, KindFigures] = field(default_factory=_empty)
    ad_hoc: dict[str, KindFigures] = field(default_factory=_empty)  # work not assigned


def _sub_periods(period: Period) -> list[Period]:
    """The assignment periods inside ``period`` (months and quarters, and itself)."""
    found = {period, *period.months()}
    if period.kind is PeriodKind.YEAR:
        found |= {Period.quarter(period.year, q) for q in range(1, 5)}
    return sorted(found, key=lambda p: (p.start, p.kind.months))


class KpiKindService:
    """The assigned/completed report by KPI kind."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def report(self, unit_id: str, period: str | Period) -> KindReport:
        """Each person of ``unit_id`` (and sub-units) and the unit's totals, by kind."""
        target = parse_report_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            unit = uow.org.find_unit(unit_id)
            if unit is None:
                raise NotFound("not_found", kind="unit", id=unit_id)
            people = uow.org.list_people(unit_ids=unit_tree(uow, unit_id))
            ids = [p.id for p in people]
            assignments = [a for sub in _sub_periods(target)
                           for a in uow.assignments.list_for_period(sub, person_ids=ids)
                           if a.status is not AssignmentStatus.CANCELLED]
            confirmed: dict[str, Decimal] = {}
            for entry in uow.worklog.list_for_assignments([a.id for a in assignments]):
                if entry.status is EntryStatus.CONFIRMED and entry.assignment_id:
                    confirmed[entry.assignment_id] = (confirmed.get(entry.assignment_id,
                                                                    Decimal(0))
                                                      + entry.quantity)
            items = {}
            for item_id in {a.catalog_item_id for a in assignments}:
                items[item_id] = uow.catalog.get_item(item_id)
            rows = {p.id: PersonKinds(person=p) for p in sorted(
                people, key=lambda x: (x.unit_id, x.full_name, x.id))}
            report = KindReport(unit_id=unit.id, unit_name=unit.name_vi, period=target,
                                people=list(rows.values()))
            for assignment in assignments:
                item = items[assignment.catalog_item_id]
                kind = assignment.kpi_kind or item.kpi_kind
                key = kind.value if kind is not None else "untagged"
                done = min(confirmed.get(assignment.id, Decimal(0)), assignment.quantity)
                figures = KindFigures(
                    assigned_count=1,
                    completed_count=1 if done >= assignment.quantity else 0,
                    assigned_points=item.points * assignment.quantity,
                    completed_points=item.points * done)
                rows[assignment.person_id].kinds[key].add(figures)
                report.totals[key].add(figures)
            extras = [e for e in uow.worklog.list_for_people(
                ids, start=target.start, end=target.end, statuses=[EntryStatus.CONFIRMED])
                if e.assignment_id is None]
            for item_id in {e.catalog_item_id for e in extras} - set(items):
                items[item_id] = uow.catalog.get_item(item_id)
            for entry in extras:
                item = items[entry.catalog_item_id]
                key = item.kpi_kind.value if item.kpi_kind is not None else "untagged"
                figures = KindFigures(completed_count=1,
                                      completed_points=item.points * entry.quantity)
                report.ad_hoc[key].add(figures)
                report.totals[key].add(figures)
            return report

    @staticmethod
    def as_dict(report: KindReport) -> dict[str, Any]:
        return {
            "unit": {"id": report.unit_id, "name": report.unit_name},
            "period": str(report.period),
            "totals": {k: v.as_dict() for k, v in report.totals.items()},
            "ad_hoc": {k: v.as_dict() for k, v in report.ad_hoc.items()},
            "people": [{"id": row.person.id, "name": row.person.full_name,
                        "unit_id": row.person.unit_id,
                        "kinds": {k: v.as_dict() for k, v in row.kinds.items()}}
                       for row in report.people],
        }

    @staticmethod
    def as_text(report: KindReport) -> str:
        out = [translate("KpiKind", "Work by KPI kind, {period} — {unit}").format(
            period=str(report.period), unit=report.unit_name)]
        header = translate("KpiKind", "completed / assigned (tasks; points)")
        out.append(f"{'':<34}" + "  ".join(f"{kpi_kind_label(k):>20}" for k in KIND_KEYS)
                   + f"   {header}")

        def cell(v: KindFigures) -> str:
            text = (f"{v.completed_count}/{v.assigned_count}; "
                    f"{_pts(v.completed_points)}/{_pts(v.assigned_points)}")
            return f"{text:>20}"

        def cells(kinds: dict[str, KindFigures]) -> str:
            return "  ".join(cell(kinds[k]) for k in KIND_KEYS)

        for row in report.people:
            out.append(f"{row.person.id:<10} {row.person.full_name:<23}" + cells(row.kinds))
        out.append(f"{ad_hoc_label().capitalize():<34}" + cells(report.ad_hoc))
        out.append(f"{translate('KpiKind', 'Unit total'):<34}" + cells(report.totals))
        return "\n".join(out)

    @staticmethod
    def write_csv(report: KindReport, path: str | Path) -> Path:
        """The report as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese)."""
        target = Path(path)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["person_id", "name", "unit_id", "kind", "assigned_count",
                         "completed_count", "assigned_points", "completed_points"])

        def lines(pid: str, name: str, unit: str,
                  kinds: dict[str, KindFigures]) -> Iterable[list[str]]:
            for key in KIND_KEYS:
                v = kinds[key]
                yield [export_cell(pid), export_cell(name), export_cell(unit), key,
                       str(v.assigned_count), str(v.completed_count),
                       _pts(v.assigned_points), _pts(v.completed_points)]

        for row in report.people:
            writer.writerows(lines(row.person.id, row.person.full_name, row.person.unit_id,
                                   row.kinds))
        writer.writerows(lines("", "AD_HOC", report.unit_id, report.ad_hoc))
        writer.writerows(lines("", "TOTAL", report.unit_id, report.totals))
        temp = target.with_name(target.name + ".part")
        try:
            temp.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
            temp.replace(target)
        except OSError:
            raise RefusedValue("output_unwritable", path=str(target)) from None
        return target


def _pts(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
