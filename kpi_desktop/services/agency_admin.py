"""The agency administrator's editing of the organisation (issue 5 §2, the agency's screens).

What :mod:`kpi_desktop.services.agency_setup` does in bulk (create, catalog workbook, staff list,
policy file), this service does one record at a time, with validation, one unit of work per
action and an audit event for each change:

* units: add, rename, move (never under itself), close (only when nobody works there);
* people: add, edit (name, unit — a transfer closes and opens memberships —, job position,
  role), revoke the current key with a reason;
* evaluator relations (Điều 10): add, change dates, end; nobody evaluates themself and the
  relations never form a cycle (A evaluates B evaluates … A);
* a staff list checked row by row before anything is written (:meth:`preview_staff`);
* a catalog workbook checked before it is imported (:meth:`preview_catalog`);
* the scoring policy's parameters as a new policy version in force from a date;
* what changed since the last published organisation version, and publishing it to a folder
  and, when an address is given, to the hub.

Every refusal is a :class:`~kpi_desktop.domain.errors.RefusedValue` with a code that
:mod:`kpi_desktop.services.messages` turns into a translated sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    AuditEvent,
    CatalogItem,
    CatalogVersion,
    EvaluatorKind,
    EvaluatorRelation,
    JobPosition,
    PersonRole,
    PolicyVersion,
    Unit,
    UnitKind,
    UnitMembership,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.domain.passphrases import check_new_passphrase
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.domain.values import fold_text
from kpi_desktop.services.agency_setup import AgencySetupService, StaffSummary, read_staff_list
from kpi_desktop.services.catalog_xlsx import read_catalog_xlsx
from kpi_desktop.services.policies import policy_in_force, stored_policy_in_force
from kpi_desktop.services.policy_parameters import (
    ParameterChange,
    ParameterView,
    changes_between,
    parameter_views,
    parse_value,
    policy_values,
)

__all__ = [
    "AgencyAdminService",
    "CatalogPreview",
    "PersonView",
    "PolicyView",
    "PublishOutcome",
    "PublishSummary",
    "RelationView",
    "StaffPreview",
    "StaffRowCheck",
]

# Audit actions that change what the next organisation file carries (in the order the
# Publish page lists them): the agency pages' own edits, and what other services change on
# the agency's PC that the file carries too: transfers and unit mergers
# (services.transfers), acting evaluators (services.leadership), organisation indicators
# and levels (services.org_evaluation), calendar days (services.calendar), decisions on
# proposals (services.proposals) and a new agency key (the file carries the rotation link).
ORG_ACTIONS = (
    "org.create", "catalog.import", "staff.import", "policy.import", "policy.edit",
    "proposal.accept", "proposal.reject", "key.enrol", "key.revoke", "key.agency_rotate",
    "unit.add", "unit.rename", "unit.move", "unit.close", "unit.merge", "person.add",
    "person.edit", "person.leave", "transfer.person", "evaluator.add", "evaluator.edit",
    "evaluator.end", "evaluator.delegate", "org.indicator.set", "org.indicator.import",
    "org.evaluation.decide", "calendar.declare", "calendar.remove",
)

_ROLES = {
    "official": PersonRole.OFFICIAL, "công chức": PersonRole.OFFICIAL, "": PersonRole.OFFICIAL,
    "deputy": PersonRole.DEPUTY, "cấp phó": PersonRole.DEPUTY, "phó": PersonRole.DEPUTY,
    "head": PersonRole.HEAD, "trưởng": PersonRole.HEAD, "người đứng đầu": PersonRole.HEAD,
    "admin": PersonRole.ADMIN, "quản trị": PersonRole.ADMIN,
}
_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")

# ============================================================================================
# Views (frozen data for the screens)
# ============================================================================================


@dataclass(frozen=True)
class PersonView:
    """One person as the People screen lists them."""

    id: str
    full_name: str
    unit_id: str
    unit_name: str
    role: PersonRole
    job_position_id: str | None
    position_name: str
    key_fingerprint: str | None
    key_readable: str
    active: bool
    left_on: dt.date | None = None  # the last day in the organisation of someone who left


@dataclass(frozen=True)
class RelationView:
    """One evaluator relation with the people's names."""

    id: str
    evaluator_id: str
    evaluator_name: str
    evaluatee_id: str
    evaluatee_name: str
    start_on: dt.date
    end_on: dt.date | None
    kind: EvaluatorKind
    note: str


@dataclass(frozen=True)
class StaffRowCheck:
    """One row of a staff list as it would be imported."""

    number: int  # the row in the file (the header is row 1)
    values: Mapping[str, str]
    action: str  # "add" | "update" | "same"
    error: RefusedValue | None = None


@dataclass(frozen=True)
class StaffPreview:
    """A staff list checked before anything is written."""

    path: str
    rows: tuple[StaffRowCheck, ...]
    columns: tuple[str, ...]

    @property
    def errors(self) -> list[StaffRowCheck]:
        return [r for r in self.rows if r.error is not None]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.error is None and r.action == action)


@dataclass(frozen=True)
class CatalogPreview:
    """A catalog workbook read and checked, not yet stored."""

    path: str
    standard_unit_points: Decimal
    items: tuple[Any, ...]  # catalog_xlsx.CatalogItemRow
    by_group: Mapping[str, int]
    by_scope: Mapping[str, int]


@dataclass(frozen=True)
class PolicyView:
    """A scoring policy's parameters as text, for editing."""

    version: str
    active_from: dt.date | None
    values: Mapping[str, str]
    complexity_factors: str


@dataclass(frozen=True)
class PolicyChangeView:
    """A policy version not yet published and the parameters it changes."""

    version: str
    active_from: dt.date
    changes: tuple[ParameterChange, ...]


@dataclass(frozen=True)
class PublishSummary:
    """What the Publish screen shows before publishing."""

    organisation_name: str
    current_version: int
    next_version: int
    last_published_at: dt.datetime | None
    changes: tuple[tuple[str, int], ...]  # (audit action, how many) since the last publish
    agency_fingerprint: str | None
    agency_readable: str
    counts: Mapping[str, int]
    hub_url: str


@dataclass(frozen=True)
class PublishOutcome:
    """What publishing did: the file written and, if asked, the hub's answer."""

    path: Path
    version: int
    hub_status: str = ""  # "stored" | "already" | "" (not sent)
    hub_error: KpiError | None = field(default=None, compare=False)


# ============================================================================================
# Helpers
# ============================================================================================


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_text(text)).strip("-")[:40] or "unit"


def _parse_date(value: str, row: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise RefusedValue("staff_date_malformed", row=row, value=value) from None


def _overlaps(a_start: dt.date, a_end: dt.date | None, b_start: dt.date,
              b_end: dt.date | None) -> bool:
    far = dt.date.max
    return a_start <= (b_end or far) and b_start <= (a_end or far)


def _find_cycle(edges: Mapping[str, set[str]], evaluator: str, evaluatee: str) -> list[str]:
    """The chain evaluatee → … → evaluator when adding ``evaluator → evaluatee`` closes a
    cycle (``edges[x]`` = the people x evaluates), else ``[]``."""
    stack: list[tuple[str, list[str]]] = [(evaluatee, [evaluatee])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        if node == evaluator:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in sorted(edges.get(node, ())):
            stack.append((nxt, [*path, nxt]))
    return []


class AgencyAdminService:
    """Editing the organisation on the agency's PC, one checked action at a time."""

    def __init__(self, db: Any, *, keys: Any = None, sync: Any = None,
                 today: Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._keys = keys
        self._sync = sync
        self._today = today or dt.date.today

    def today(self) -> dt.date:
        return self._today()

    # ============================================================ starting ================

    def start_agency(self, *, organisation_id: str, name_vi: str, code: str = "",
                     passphrase: str, minimum: int = 8) -> str:
        """Set an empty PC up as the agency's: the organisation with its top unit, and the
        agency key sealed with ``passphrase`` (left unlocked). Returns the key's fingerprint.

        Raises:
            RefusedValue: ``person_id_malformed`` (for the organisation identifier),
                ``unit_name_missing``, ``passphrase_too_short``, ``database_exists``.
        """
        org_id = normalize_text(organisation_id).lower()
        if not _ID_RE.fullmatch(org_id) or org_id == AGENCY:
            raise RefusedValue("unit_id_malformed", value=org_id)
        if not normalize_text(name_vi):
            raise RefusedValue("unit_name_missing")
        check_new_passphrase(passphrase, owner=AGENCY)
        if len(passphrase.strip()) < minimum:
            raise RefusedValue("passphrase_too_short", minimum=minimum)
        with self._db.unit_of_work(read_only=True) as uow:
            if uow.org.list_organisations() or uow.sync.sealed_key(AGENCY) is not None:
                raise RefusedValue("database_exists", path=str(getattr(self._db, "path", "")))
        if self._sync is None:
            raise RefusedValue("organisation_missing")
        fingerprint = str(self._sync.create_agency_key(passphrase))
        AgencySetupService(self._db, today=self.today()).create_organisation(
            org_id, name_vi, code=normalize_text(code))
        return fingerprint

    # ============================================================ reading =================

    def set_support_contact(self, text: str) -> str:
        """Who helps the agency's users (unit, phone, e-mail): shown in every PC's Help once
        the next organisation file is published. Audited; returns the text stored."""
        contact = normalize_text(text)
        with self._db.unit_of_work() as uow:
            organisations = uow.org.list_organisations()
            if not organisations:
                raise RefusedValue("organisation_missing")
            organisation = organisations[0]
            uow.org.update_organisation(dataclasses.replace(
                organisation, support_contact=contact))
            uow.audit.append(AuditEvent(
                at=utc_now(), action="organisation.support_contact",
                object_type="organisation", object_id=organisation.id, actor_id=AGENCY,
                detail={"old": organisation.support_contact, "new": contact}))
        return contact

    def organisation_name(self) -> str:
        with self._db.unit_of_work(read_only=True) as uow:
            organisations = uow.org.list_organisations()
        return organisations[0].name_vi if organisations else ""

    def units(self) -> list[Unit]:
        """Every unit (closed ones too), the top unit first."""
        with self._db.unit_of_work(read_only=True) as uow:
            units = uow.org.list_units()
        return sorted(units, key=lambda u: (u.parent_id is not None, u.name_vi, u.id))

    def positions(self) -> list[JobPosition]:
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.org.list_job_positions()

    def people(self) -> list[PersonView]:
        """Everyone (those who left too), by name."""
        from kpi_desktop.sync.keys import readable_fingerprint

        with self._db.unit_of_work(read_only=True) as uow:
            units = {u.id: u for u in uow.org.list_units()}
            positions = {p.id: p for p in uow.org.list_job_positions()}
            people = uow.org.list_people(active_only=False)
        rows = []
        for p in people:
            unit = units.get(p.unit_id)
            position = positions.get(p.job_position_id or "")
            rows.append(PersonView(
                id=p.id, full_name=p.full_name, unit_id=p.unit_id,
                unit_name=unit.name_vi if unit else p.unit_id, role=p.role,
                job_position_id=p.job_position_id,
                position_name=position.name_vi if position else "",
                key_fingerprint=p.key_fingerprint,
                key_readable=readable_fingerprint(p.key_fingerprint) if p.key_fingerprint
                else "", active=p.active, left_on=p.left_on))
        return rows

    def relations(self) -> list[RelationView]:
        """Every evaluator relation (past ones too), by evaluatee's name and start."""
        with self._db.unit_of_work(read_only=True) as uow:
            names = {p.id: p.full_name for p in uow.org.list_people(active_only=False)}
            relations = uow.org.list_evaluator_relations()
        rows = [RelationView(
            id=r.id, evaluator_id=r.evaluator_id,
            evaluator_name=names.get(r.evaluator_id, r.evaluator_id),
            evaluatee_id=r.evaluatee_id, evaluatee_name=names.get(r.evaluatee_id, r.evaluatee_id),
            start_on=r.start_on, end_on=r.end_on, kind=r.kind, note=r.note) for r in relations]
        return sorted(rows, key=lambda r: (r.evaluatee_name, r.start_on, r.id))

    # ============================================================ units ===================

    def add_unit(self, *, name_vi: str, parent_id: str, name_en: str = "", code: str = "",
                 kind: UnitKind | str = UnitKind.DIVISION, unit_id: str = "") -> Unit:
        """Add a unit under ``parent_id``.

        Raises:
            RefusedValue: ``unit_name_missing``, ``unit_id_malformed``, ``unit_id_taken``,
                ``unit_closed`` (the parent is closed).
            NotFound: an unknown parent.
        """
        name = normalize_text(name_vi)
        if not name:
            raise RefusedValue("unit_name_missing")
        wanted = normalize_text(unit_id).lower() or _slug(code or name)
        if not _ID_RE.fullmatch(wanted):
            raise RefusedValue("unit_id_malformed", value=wanted)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            parent = uow.org.get_unit(normalize_text(parent_id))
            if not parent.active:
                raise RefusedValue("unit_closed", unit=parent.name_vi)
            if uow.org.find_unit(wanted) is not None:
                if unit_id:
                    raise RefusedValue("unit_id_taken", value=wanted)
                base, number = wanted, 2
                while uow.org.find_unit(wanted) is not None:
                    wanted, number = f"{base}-{number}", number + 1
            unit = Unit(id=wanted, organisation_id=parent.organisation_id, name_vi=name,
                        name_en=normalize_text(name_en), kind=UnitKind(kind),
                        parent_id=parent.id, code=normalize_text(code))
            uow.org.add_unit(unit)
            self._audit(uow, now, "unit.add", "unit", unit.id,
                        {"name": name, "parent": parent.id})
        return unit

    def rename_unit(self, unit_id: str, *, name_vi: str, name_en: str = "") -> Unit:
        """Give a unit a new name.

        Raises:
            RefusedValue: ``unit_name_missing``.
            NotFound: an unknown unit.
        """
        name = normalize_text(name_vi)
        if not name:
            raise RefusedValue("unit_name_missing")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            unit = uow.org.get_unit(normalize_text(unit_id))
            changed = dataclasses.replace(unit, name_vi=name, name_en=normalize_text(name_en))
            if changed != unit:
                uow.org.update_unit(changed)
                self._audit(uow, now, "unit.rename", "unit", unit.id,
                            {"from": unit.name_vi, "to": name})
        return changed

    def move_unit(self, unit_id: str, parent_id: str) -> Unit:
        """Put a unit under another parent.

        Raises:
            RefusedValue: ``unit_root_fixed`` (the top unit), ``unit_move_cycle`` (under itself
                or one of its sub-units), ``unit_closed`` (the new parent is closed).
            NotFound: an unknown unit.
        """
        now = utc_now()
        with self._db.unit_of_work() as uow:
            unit = uow.org.get_unit(normalize_text(unit_id))
            parent = uow.org.get_unit(normalize_text(parent_id))
            if unit.parent_id is None:
                raise RefusedValue("unit_root_fixed", unit=unit.name_vi)
            units = {u.id: u for u in uow.org.list_units()}
            cursor: str | None = parent.id
            while cursor is not None:
                if cursor == unit.id:
                    raise RefusedValue("unit_move_cycle", unit=unit.name_vi,
                                       parent=parent.name_vi)
                cursor = units[cursor].parent_id if cursor in units else None
            if not parent.active:
                raise RefusedValue("unit_closed", unit=parent.name_vi)
            if unit.parent_id == parent.id:
                return unit
            changed = dataclasses.replace(unit, parent_id=parent.id)
            uow.org.update_unit(changed)
            self._audit(uow, now, "unit.move", "unit", unit.id,
                        {"from": unit.parent_id, "to": parent.id})
        return changed

    def close_unit(self, unit_id: str) -> Unit:
        """Close a unit nobody works in any more (it stays in the history).

        Raises:
            RefusedValue: ``unit_root_fixed``, ``unit_not_empty`` (people or open sub-units).
            NotFound: an unknown unit.
        """
        now = utc_now()
        with self._db.unit_of_work() as uow:
            unit = uow.org.get_unit(normalize_text(unit_id))
            if unit.parent_id is None:
                raise RefusedValue("unit_root_fixed", unit=unit.name_vi)
            people = uow.org.list_people(unit_id=unit.id)
            children = [u for u in uow.org.child_units(unit.id) if u.active]
            if people or children:
                raise RefusedValue("unit_not_empty", unit=unit.name_vi, people=len(people),
                                   units=len(children))
            if not unit.active:
                return unit
            changed = dataclasses.replace(unit, active=False)
            uow.org.update_unit(changed)
            self._audit(uow, now, "unit.close", "unit", unit.id, {"name": unit.name_vi})
        return changed

    # ============================================================ people ==================

    def add_person(self, *, person_id: str, full_name: str, unit_id: str,
                   role: PersonRole | str = PersonRole.OFFICIAL,
                   job_position_id: str | None = None,
                   joined_on: dt.date | None = None) -> PersonView:
        """Add a person to a unit (from ``joined_on``, default today).

        Raises:
            RefusedValue: ``person_id_malformed``, ``person_id_taken``, ``person_name_missing``,
                ``unit_closed``.
            NotFound: an unknown unit or job position.
        """
        from kpi_desktop.domain.model import Person

        pid = normalize_text(person_id).lower()
        if not _ID_RE.fullmatch(pid) or pid == AGENCY:
            raise RefusedValue("person_id_malformed", value=pid)
        name = normalize_text(full_name)
        if not name:
            raise RefusedValue("person_name_missing")
        joined = joined_on or self.today()
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if uow.org.find_person(pid) is not None:
                raise RefusedValue("person_id_taken", value=pid)
            unit = uow.org.get_unit(normalize_text(unit_id))
            if not unit.active:
                raise RefusedValue("unit_closed", unit=unit.name_vi)
            position = normalize_text(job_position_id or "") or None
            if position is not None:
                uow.org.get_job_position(position)
            uow.org.add_person(Person(id=pid, full_name=name, unit_id=unit.id,
                                      role=PersonRole(role), job_position_id=position,
                                      joined_on=joined))
            uow.org.add_membership(UnitMembership(id=new_id(), person_id=pid, unit_id=unit.id,
                                                  start_on=joined))
            self._audit(uow, now, "person.add", "person", pid,
                        {"name": name, "unit": unit.id, "role": PersonRole(role).value})
        return self._person_view(pid)

    def update_person(self, person_id: str, *, full_name: str, unit_id: str,
                      role: PersonRole | str, job_position_id: str | None,
                      moved_on: dt.date | None = None) -> PersonView:
        """Change a person's name, unit (a transfer from ``moved_on``, default today), job
        position or role.

        Raises:
            RefusedValue: ``person_name_missing``, ``unit_closed``.
            NotFound: an unknown person, unit or job position.
        """
        name = normalize_text(full_name)
        if not name:
            raise RefusedValue("person_name_missing")
        day = moved_on or self.today()
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = uow.org.get_person(normalize_text(person_id))
            unit = uow.org.get_unit(normalize_text(unit_id))
            position = normalize_text(job_position_id or "") or None
            if position is not None:
                uow.org.get_job_position(position)
            if unit.id != person.unit_id and not unit.active:
                raise RefusedValue("unit_closed", unit=unit.name_vi)
            changed = dataclasses.replace(person, full_name=name, unit_id=unit.id,
                                          role=PersonRole(role), job_position_id=position)
            if changed == person:
                return self._person_view(person.id, uow)
            uow.org.update_person(changed)
            if unit.id != person.unit_id:
                for membership in uow.org.memberships_of(person.id):
                    if membership.end_on is None:
                        uow.org.end_membership(
                            membership.id, max(membership.start_on, day - dt.timedelta(days=1)))
                uow.org.add_membership(UnitMembership(
                    id=new_id(), person_id=person.id, unit_id=unit.id, start_on=day,
                    reason="transfer"))
            detail = {k: [str(getattr(person, k) or ""), str(getattr(changed, k) or "")]
                      for k in ("full_name", "unit_id", "role", "job_position_id")
                      if getattr(person, k) != getattr(changed, k)}
            self._audit(uow, now, "person.edit", "person", person.id, detail)
            return self._person_view(person.id, uow)

    def revoke_key(self, person_id: str, *, reason: str) -> None:
        """Revoke a person's current key (a lost PC, a forgotten passphrase, someone left);
        the next organisation file carries the revocation.

        Raises:
            RefusedValue: ``reason_missing``, ``person_has_no_key``.
            NotFound: an unknown person.
        """
        why = normalize_text(reason)
        if not why:
            raise RefusedValue("reason_missing")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = uow.org.get_person(normalize_text(person_id))
            if not person.key_fingerprint:
                raise RefusedValue("person_has_no_key", person=person.full_name)
            uow.org.revoke_key(person.key_fingerprint, now)
            self._audit(uow, now, "key.revoke", "key", person.key_fingerprint,
                        {"person": person.id, "reason": why})

    def deactivate_person(self, person_id: str, *, left_on: dt.date,
                          reason: str = "") -> PersonView:
        """The person left the organisation; ``left_on`` is their last day. Their unit
        membership and the relations naming their evaluators end that day, their current key
        is revoked (with ``reason``, which may be empty) and they are marked as gone: the next
        organisation file hides them from sign-in and from the lists on every PC, while their
        entries, evaluations and memberships stay as history.

        Raises:
            RefusedValue: ``person_already_left``, ``left_on_future``, ``date_range_reversed``
                (a membership or relation that starts after ``left_on``),
                ``person_still_evaluates`` (with the names of the people they evaluate after
                ``left_on``: give them another evaluator first).
            NotFound: an unknown person.
        """
        why = normalize_text(reason)
        if left_on > self.today():
            raise RefusedValue("left_on_future", date=left_on.isoformat())
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = uow.org.get_person(normalize_text(person_id))
            if not person.active:
                raise RefusedValue("person_already_left", person=person.full_name,
                                   date=person.left_on.isoformat() if person.left_on else "")
            relations = uow.org.list_evaluator_relations()
            still = sorted({r.evaluatee_id for r in relations if r.evaluator_id == person.id
                            and (r.end_on is None or r.end_on > left_on)})
            if still:
                names = uow.org.get_people(still)
                raise RefusedValue("person_still_evaluates", person=person.full_name,
                                   people=", ".join(names[p].full_name if p in names else p
                                                    for p in still))
            memberships = [m for m in uow.org.memberships_of(person.id)
                           if m.end_on is None or m.end_on > left_on]
            own = [r for r in relations if r.evaluatee_id == person.id
                   and (r.end_on is None or r.end_on > left_on)]
            for start in [m.start_on for m in memberships] + [r.start_on for r in own]:
                if start > left_on:
                    raise RefusedValue("date_range_reversed", start=start.isoformat(),
                                       end=left_on.isoformat())
            for membership in memberships:
                uow.org.end_membership(membership.id, left_on)
            for relation in own:
                uow.org.end_evaluator_relation(relation.id, left_on)
            fingerprint = person.key_fingerprint
            if fingerprint:
                uow.org.revoke_key(fingerprint, now)
                self._audit(uow, now, "key.revoke", "key", fingerprint,
                            {"person": person.id, "reason": why})
            uow.org.update_person(dataclasses.replace(
                person, active=False, left_on=left_on, public_key=None, key_fingerprint=None))
            self._audit(uow, now, "person.leave", "person", person.id,
                        {"left_on": left_on.isoformat(), "reason": why,
                         "memberships": len(memberships), "relations": len(own),
                         "key": fingerprint or ""})
            return self._person_view(person.id, uow)

    def _person_view(self, person_id: str, uow: Any = None) -> PersonView:
        if uow is None:
            return next(p for p in self.people() if p.id == person_id)
        from kpi_desktop.sync.keys import readable_fingerprint

        person = uow.org.get_person(person_id)
        unit = uow.org.find_unit(person.unit_id)
        position = (uow.org.get_job_position(person.job_position_id)
                    if person.job_position_id else None)
        return PersonView(
            id=person.id, full_name=person.full_name, unit_id=person.unit_id,
            unit_name=unit.name_vi if unit else person.unit_id, role=person.role,
            job_position_id=person.job_position_id,
            position_name=position.name_vi if position else "",
            key_fingerprint=person.key_fingerprint,
            key_readable=readable_fingerprint(person.key_fingerprint)
            if person.key_fingerprint else "", active=person.active, left_on=person.left_on)

    # ============================================================ evaluators ==============

    def add_relation(self, *, evaluator_id: str, evaluatee_id: str, start_on: dt.date,
                     end_on: dt.date | None = None, note: str = "") -> RelationView:
        """Say who evaluates whom from ``start_on`` (to ``end_on``); the evaluatee's earlier
        open direct relation ends the day before.

        Raises:
            RefusedValue: ``evaluator_self``, ``date_range_reversed``, ``evaluator_cycle``,
                ``evaluator_overlap`` (another evaluator from the same day or later).
            NotFound: an unknown person.
        """
        evaluator, evaluatee = normalize_text(evaluator_id), normalize_text(evaluatee_id)
        self._check_pair(evaluator, evaluatee, start_on, end_on)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            uow.org.get_person(evaluator)
            uow.org.get_person(evaluatee)
            others = uow.org.list_evaluator_relations()
            self._check_cycle(uow, others, evaluator, evaluatee, start_on, end_on)
            for other in others:
                if other.evaluatee_id != evaluatee or other.kind is not EvaluatorKind.DIRECT:
                    continue
                if not _overlaps(other.start_on, other.end_on, start_on, end_on):
                    continue
                if other.start_on >= start_on:
                    raise RefusedValue("evaluator_overlap", start=other.start_on.isoformat())
                uow.org.end_evaluator_relation(other.id, start_on - dt.timedelta(days=1))
            relation = EvaluatorRelation(id=new_id(), evaluator_id=evaluator,
                                         evaluatee_id=evaluatee, start_on=start_on,
                                         end_on=end_on, note=normalize_text(note))
            uow.org.add_evaluator_relation(relation)
            self._audit(uow, now, "evaluator.add", "evaluator_relation", relation.id,
                        {"evaluator": evaluator, "evaluatee": evaluatee,
                         "start": start_on.isoformat(),
                         "end": end_on.isoformat() if end_on else None})
        return next(r for r in self.relations() if r.id == relation.id)

    def update_relation(self, relation_id: str, *, evaluator_id: str, start_on: dt.date,
                        end_on: dt.date | None, note: str | None = None) -> RelationView:
        """Change a relation's evaluator or dates.

        Raises:
            RefusedValue: ``evaluator_self``, ``date_range_reversed``, ``evaluator_cycle``,
                ``evaluator_overlap``.
            NotFound: an unknown relation or person.
        """
        now = utc_now()
        with self._db.unit_of_work() as uow:
            relations = uow.org.list_evaluator_relations()
            relation = next((r for r in relations if r.id == relation_id), None)
            if relation is None:
                raise NotFound("not_found", kind="evaluator_relation", id=relation_id)
            evaluator = normalize_text(evaluator_id)
            self._check_pair(evaluator, relation.evaluatee_id, start_on, end_on)
            uow.org.get_person(evaluator)
            others = [r for r in relations if r.id != relation.id]
            self._check_cycle(uow, others, evaluator, relation.evaluatee_id, start_on, end_on)
            for other in others:
                if (other.evaluatee_id == relation.evaluatee_id
                        and other.kind is EvaluatorKind.DIRECT
                        and relation.kind is EvaluatorKind.DIRECT
                        and _overlaps(other.start_on, other.end_on, start_on, end_on)):
                    raise RefusedValue("evaluator_overlap", start=other.start_on.isoformat())
            changed = dataclasses.replace(
                relation, evaluator_id=evaluator, start_on=start_on, end_on=end_on,
                note=relation.note if note is None else normalize_text(note))
            if changed != relation:
                uow.sync.upsert([changed])
                self._audit(uow, now, "evaluator.edit", "evaluator_relation", relation.id,
                            {"evaluator": evaluator, "start": start_on.isoformat(),
                             "end": end_on.isoformat() if end_on else None})
        return next(r for r in self.relations() if r.id == relation_id)

    def end_relation(self, relation_id: str, end_on: dt.date) -> RelationView:
        """End a relation on ``end_on`` (inclusive).

        Raises:
            RefusedValue: ``date_range_reversed``.
            NotFound: an unknown relation.
        """
        now = utc_now()
        with self._db.unit_of_work() as uow:
            relation = next((r for r in uow.org.list_evaluator_relations()
                             if r.id == relation_id), None)
            if relation is None:
                raise NotFound("not_found", kind="evaluator_relation", id=relation_id)
            if end_on < relation.start_on:
                raise RefusedValue("date_range_reversed", start=relation.start_on.isoformat(),
                                   end=end_on.isoformat())
            uow.org.end_evaluator_relation(relation.id, end_on)
            self._audit(uow, now, "evaluator.end", "evaluator_relation", relation.id,
                        {"end": end_on.isoformat()})
        return next(r for r in self.relations() if r.id == relation_id)

    @staticmethod
    def _check_pair(evaluator: str, evaluatee: str, start_on: dt.date,
                    end_on: dt.date | None) -> None:
        if evaluator == evaluatee:
            raise RefusedValue("evaluator_self", person=evaluator)
        if end_on is not None and end_on < start_on:
            raise RefusedValue("date_range_reversed", start=start_on.isoformat(),
                               end=end_on.isoformat())

    @staticmethod
    def _check_cycle(uow: Any, relations: Iterable[EvaluatorRelation], evaluator: str,
                     evaluatee: str, start_on: dt.date, end_on: dt.date | None) -> None:
        edges: dict[str, set[str]] = {}
        for r in relations:
            if _overlaps(r.start_on, r.end_on, start_on, end_on):
                edges.setdefault(r.evaluator_id, set()).add(r.evaluatee_id)
        chain = _find_cycle(edges, evaluator, evaluatee)
        if chain:
            names = uow.org.get_people([evaluator, *chain])
            shown = [names[p].full_name if p in names else p for p in [evaluator, *chain]]
            raise RefusedValue("evaluator_cycle", chain=" → ".join(shown))

    # ============================================================ staff list ==============

    def preview_staff(self, path: str | os.PathLike[str]) -> StaffPreview:
        """Check a staff list row by row against this organisation; nothing is written.

        Raises:
            RefusedValue: ``staff_list_invalid`` when the file itself cannot be read.
        """
        rows = read_staff_list(path)
        today = self.today()
        with self._db.unit_of_work(read_only=True) as uow:
            people = {p.id: p for p in uow.org.list_people(active_only=False)}
            relations = [r for r in uow.org.list_evaluator_relations()
                         if _overlaps(r.start_on, r.end_on, today, today)]
        ids_in_file: dict[str, int] = {}
        checks: list[StaffRowCheck] = []
        for number, row in enumerate(rows, start=2):
            error = self._check_staff_row(number, row, ids_in_file, people)
            pid = row.get("id", "")
            ids_in_file.setdefault(pid, number)
            action = "add"
            if pid in people:
                old = people[pid]
                same = (old.full_name == row.get("full_name") and old.unit_id == row.get("unit_id")
                        and _ROLES.get(row.get("role", "").lower()) is old.role
                        and (old.job_position_id or "") == row.get("job_position_id", "")
                        and old.active)
                action = "same" if same else "update"
            checks.append(StaffRowCheck(number=number, values=row, action=action, error=error))
        known = set(people) | set(ids_in_file)
        checks = [self._check_evaluator(c, known) for c in checks]
        checks = self._check_staff_cycles(checks, relations)
        columns: list[str] = []
        for row in rows:
            columns.extend(c for c in row if c not in columns)
        return StaffPreview(path=str(path), rows=tuple(checks), columns=tuple(columns))

    @staticmethod
    def _check_staff_row(number: int, row: Mapping[str, str], seen: Mapping[str, int],
                         people: Mapping[str, Any]) -> RefusedValue | None:
        for column in ("id", "full_name", "unit_id"):
            if not row.get(column):
                return RefusedValue("staff_value_missing", row=number, column=column)
        pid = row["id"].lower()
        if not _ID_RE.fullmatch(pid) or pid == AGENCY:
            return RefusedValue("staff_id_malformed", row=number, value=row["id"])
        if row["id"] in seen:
            return RefusedValue("staff_id_repeated", row=number, value=row["id"],
                                first=seen[row["id"]])
        if row.get("role", "").lower() not in _ROLES:
            return RefusedValue("staff_role_unknown", row=number, value=row.get("role", ""))
        try:
            _parse_date(row.get("joined_on", ""), number)
        except RefusedValue as error:
            return error
        if row.get("evaluator_id") and row["evaluator_id"] == row["id"]:
            return RefusedValue("staff_evaluator_self", row=number, value=row["id"])
        return None

    @staticmethod
    def _check_evaluator(check: StaffRowCheck, known: set[str]) -> StaffRowCheck:
        evaluator = check.values.get("evaluator_id", "")
        if check.error is None and evaluator and evaluator not in known:
            return dataclasses.replace(check, error=RefusedValue(
                "staff_evaluator_unknown", row=check.number, value=evaluator))
        return check

    @staticmethod
    def _check_staff_cycles(checks: list[StaffRowCheck],
                            relations: list[EvaluatorRelation]) -> list[StaffRowCheck]:
        """The evaluators of the file replace each listed person's direct evaluator."""
        listed = {c.values.get("id", "") for c in checks if c.values.get("evaluator_id")}
        evaluator_of: dict[str, str] = {}
        for r in relations:
            if r.kind is EvaluatorKind.DIRECT and r.evaluatee_id not in listed:
                evaluator_of[r.evaluatee_id] = r.evaluator_id
        for c in checks:
            if c.error is None and c.values.get("evaluator_id"):
                evaluator_of[c.values["id"]] = c.values["evaluator_id"]
        result = []
        for c in checks:
            start = c.values.get("id", "")
            if c.error is None and c.values.get("evaluator_id"):
                chain, cursor = [start], evaluator_of.get(start)
                while cursor is not None and cursor not in chain:
                    chain.append(cursor)
                    cursor = evaluator_of.get(cursor)
                if cursor == start:
                    c = dataclasses.replace(c, error=RefusedValue(
                        "staff_evaluator_cycle", row=c.number,
                        chain=" → ".join([start, *reversed(chain)])))
            result.append(c)
        return result

    def import_staff(self, path: str | os.PathLike[str]) -> StaffSummary:
        """Import a staff list whose every row passes :meth:`preview_staff` (one transaction).

        Raises:
            RefusedValue: the first row's refusal (``staff_…``) or ``staff_list_invalid``.
        """
        # AgencySetupService.import_staff checks every row with preview_staff first.
        return AgencySetupService(self._db, today=self.today()).import_staff(path)

    # ============================================================ catalog =================

    def preview_catalog(self, path: str | os.PathLike[str]) -> CatalogPreview:
        """Read and check a catalog workbook; nothing is written.

        Raises:
            RefusedValue: ``catalog_xlsx_invalid`` with the sheet, row and reason.
        """
        data = read_catalog_xlsx(path)
        by_group: dict[str, int] = {}
        by_scope: dict[str, int] = {}
        for item in data.items:
            by_group[item.group] = by_group.get(item.group, 0) + 1
            by_scope[item.scope] = by_scope.get(item.scope, 0) + 1
        return CatalogPreview(path=str(path), standard_unit_points=data.standard_unit_points,
                              items=tuple(data.items), by_group=dict(sorted(by_group.items())),
                              by_scope=by_scope)

    def import_catalog(self, path: str | os.PathLike[str], *, version_id: str,
                       label: str = "") -> int:
        """Store a catalog workbook as a new, active catalog version; returns the item count.

        Raises:
            RefusedValue: ``catalog_version_malformed``, ``catalog_version_taken``,
                ``catalog_xlsx_invalid``.
        """
        version = normalize_text(version_id)
        if not version or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,39}", version):
            raise RefusedValue("catalog_version_malformed", value=version)
        with self._db.unit_of_work(read_only=True) as uow:
            if any(v.id == version for v in uow.catalog.list_versions()):
                raise RefusedValue("catalog_version_taken", value=version)
        return AgencySetupService(self._db, today=self.today()).import_catalog(
            path, version_id=version, label=normalize_text(label))

    def catalog_versions(self) -> list[CatalogVersion]:
        """Every catalog version, newest first."""
        with self._db.unit_of_work(read_only=True) as uow:
            return list(reversed(uow.catalog.list_versions()))

    def catalog_items(self, version_id: str) -> list[CatalogItem]:
        """A catalog version's items, by code."""
        with self._db.unit_of_work(read_only=True) as uow:
            return sorted(uow.catalog.list_items(version_id=version_id), key=lambda i: i.code)

    # ============================================================ policy ==================

    def policy_versions(self) -> list[PolicyVersion]:
        """Every stored policy version, newest start first."""
        with self._db.unit_of_work(read_only=True) as uow:
            return sorted(uow.policies.list_versions(),
                          key=lambda p: (p.active_from, p.created_at), reverse=True)

    def current_policy(self) -> PolicyView:
        """The policy in force today (the latest stored version in force, or the Decree 335
        defaults; never a version that starts later), every parameter of the table as the
        text its edit field shows."""
        with self._db.unit_of_work(read_only=True) as uow:
            policy, stored = stored_policy_in_force(uow, self.today())
        values = policy_values(policy)
        return PolicyView(version=policy.version,
                          active_from=stored.active_from if stored else None,
                          values=values, complexity_factors=values["complexity_factors"])

    def policy_parameters(self) -> list[ParameterView]:
        """The parameters the policy page edits, from the one table
        (``scoring.POLICY_PARAMETERS``), translated."""
        return parameter_views()

    def save_policy(self, values: Mapping[str, Any], *, version: str,
                    active_from: dt.date, complexity_factors: str | None = None) -> str:
        """Store the policy in force with ``values`` changed as version ``version`` in force
        from ``active_from``; the next organisation file carries it. Any parameter of the
        table may be given (``complexity_factors`` also as its own argument, "1; 1.2; …").

        Raises:
            RefusedValue: ``policy_version_malformed``, ``policy_version_taken``,
                ``policy_value_invalid`` (field, value), ``policy_date_past``.
        """
        from kpi_desktop.scoring import ScoringPolicy

        name = normalize_text(version)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}", name):
            raise RefusedValue("policy_version_malformed", value=name)
        if active_from < self.today():
            raise RefusedValue("policy_date_past", date=active_from.isoformat())
        with self._db.unit_of_work(read_only=True) as uow:
            current = policy_in_force(uow, self.today())
        data = dict(current.to_dict())
        given = dict(values)
        if complexity_factors is not None:
            given["complexity_factors"] = complexity_factors
        for key, value in given.items():
            data[key] = parse_value(key, value)
        data["version"] = name
        try:
            policy = ScoringPolicy.from_dict(data)
        except KpiError as error:
            field_name = str(error.params.get("field", ""))
            raise RefusedValue("policy_value_invalid", field=field_name,
                               value=str(given.get(field_name, data.get(field_name, ""))),
                               ) from None
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if uow.policies.find(policy.version) is not None:
                raise RefusedValue("policy_version_taken", value=policy.version)
            uow.policies.add(PolicyVersion(version=policy.version, policy_json=policy.to_json(),
                                           active_from=active_from, created_at=now))
            changed = [c.name for c in changes_between(current, policy)]
            self._audit(uow, now, "policy.edit", "policy", policy.version,
                        {"active_from": active_from.isoformat(), "changed": changed,
                         "based_on": current.version})
        return policy.version

    def policy_changes(self) -> list[PolicyChangeView]:
        """The policy versions stored since the last publication and what each changes
        against the version before it (the publish page's change list)."""
        from kpi_desktop.scoring import ScoringPolicy

        with self._db.unit_of_work(read_only=True) as uow:
            published = uow.audit.list_events(action="org.publish", newest_first=True, limit=1)
            since = published[0].at if published else None
            versions = uow.policies.list_versions()
        out = []
        previous = ScoringPolicy.default()
        for stored in versions:  # in the order they take effect
            policy = ScoringPolicy.from_json(stored.policy_json)
            if since is None or stored.created_at > since:
                out.append(PolicyChangeView(version=policy.version,
                                            active_from=stored.active_from,
                                            changes=tuple(changes_between(previous, policy))))
            previous = policy
        return out

    # ============================================================ publishing ==============

    def publish_summary(self) -> PublishSummary:
        """The versions, what changed since the last publish, and the agency key."""
        from kpi_desktop.sync.keys import readable_fingerprint

        with self._db.unit_of_work(read_only=True) as uow:
            organisations = uow.org.list_organisations()
            org = organisations[0] if organisations else None
            published = uow.audit.list_events(action="org.publish", newest_first=True, limit=1)
            since = published[0].at if published else None
            events = uow.audit.list_events(since=since)
            counts = {
                "units": sum(1 for u in uow.org.list_units() if u.active),
                "people": len(uow.org.list_people()),
                "relations": sum(1 for r in uow.org.list_evaluator_relations()
                                 if _overlaps(r.start_on, r.end_on, self.today(), self.today())),
                "catalog_items": len(uow.catalog.list_items(
                    version_id=uow.catalog.active_version().id))
                if uow.catalog.active_version() else 0,
                "policies": len(uow.policies.list_versions()),
            }
        changes: dict[str, int] = {}
        for event in events:
            if event.action in ORG_ACTIONS and (since is None or event.at > since):
                changes[event.action] = changes.get(event.action, 0) + 1
        fingerprint = self._sync.agency_fingerprint() if self._sync is not None else None
        current = org.org_version if org else 0
        return PublishSummary(
            organisation_name=org.name_vi if org else "", current_version=current,
            next_version=current + 1, last_published_at=since,
            changes=tuple(sorted(changes.items(), key=lambda kv: ORG_ACTIONS.index(kv[0]))),
            agency_fingerprint=fingerprint,
            agency_readable=readable_fingerprint(fingerprint) if fingerprint else "",
            counts=counts, hub_url=self._sync.hub_url() if self._sync is not None else "")

    def publish(self, out_dir: Path, *, hub_url: str = "",
                progress: Callable[[int, int], None] | None = None) -> PublishOutcome:
        """Sign the next organisation version into ``out_dir`` and, with ``hub_url``, send the
        same file to the hub. A hub that cannot be reached does not undo the file: the
        outcome carries the hub's error.

        Raises:
            RefusedValue: ``key_locked`` (sign in as the agency first), ``organisation_missing``,
                ``export_write_failed``.
        """
        if self._sync is None:
            raise RefusedValue("organisation_missing")
        report = progress or (lambda _done, _total: None)
        steps = 2 if hub_url else 1
        report(0, steps)
        result = self._sync.publish_organisation(Path(out_dir))
        report(1, steps)
        outcome = PublishOutcome(path=result.path, version=result.seq)
        if hub_url:
            from kpi_desktop.services.hub_client import HubClient

            try:
                status = HubClient(hub_url).upload(result.path.read_bytes())
            except KpiError as error:
                outcome = dataclasses.replace(outcome, hub_error=error)
            else:
                self._sync.set_hub_url(hub_url)
                outcome = dataclasses.replace(outcome, hub_status=status)
            report(2, steps)
        return outcome

    # ============================================================ helpers =================

    @staticmethod
    def _audit(uow: Any, at: dt.datetime, action: str, object_type: str, object_id: str,
               detail: Mapping[str, Any]) -> None:
        uow.audit.append(AuditEvent(at=at, action=action, object_type=object_type,
                                    object_id=object_id, actor_id=None, detail=dict(detail)))


def parse_role(value: str) -> PersonRole:
    """A role from a staff list's text (English or Vietnamese)."""
    role = _ROLES.get(normalize_text(value).lower())
    if role is None:
        raise RefusedValue("staff_role_unknown", row=0, value=value)
    return role
