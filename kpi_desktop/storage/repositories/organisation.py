"""Organisation repository: organisations, units, job positions, people and their keys,
unit memberships and evaluator relations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Table, and_, or_, select

from kpi_desktop.domain.errors import NotFound
from kpi_desktop.domain.model import (
    EvaluatorRelation,
    JobPosition,
    Organisation,
    Person,
    PersonKey,
    Unit,
    UnitMembership,
)
from kpi_desktop.storage.orm import (
    EvaluatorRelationRow,
    JobPositionRow,
    OrganisationRow,
    PersonKeyRow,
    PersonRow,
    UnitMembershipRow,
    UnitRow,
)
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_ORG = table_of(OrganisationRow)
_UNIT = table_of(UnitRow)
_POS = table_of(JobPositionRow)
_PERSON = table_of(PersonRow)
_KEY = table_of(PersonKeyRow)
_MEMBER = table_of(UnitMembershipRow)
_REL = table_of(EvaluatorRelationRow)


def _active_on(table: Table, day: dt.date) -> ColumnElement[bool]:
    """Rows whose [start_on, end_on] range (end open when NULL) contains ``day``."""
    return and_(table.c.start_on <= day, or_(table.c.end_on.is_(None), table.c.end_on >= day))


class OrganisationRepository(Repository):
    """Everything the agency publishes about its organisation (``uow.org``)."""

    # ---------------------------------------------------------------- organisations ---------

    def add_organisation(self, organisation: Organisation) -> None:
        """Store a new organisation."""
        self._insert(_ORG, to_row(organisation))

    def get_organisation(self, organisation_id: str) -> Organisation:
        """The organisation, or ``NotFound``."""
        return self._get(
            Organisation, _ORG, _ORG.c.id == organisation_id, "organisation", organisation_id
        )

    def list_organisations(self) -> list[Organisation]:
        """Every organisation, by id."""
        return self._all(Organisation, select(_ORG).order_by(_ORG.c.id))

    def update_organisation(self, organisation: Organisation) -> None:
        """Replace the stored organisation with ``organisation`` (same id)."""
        self._require(self._update(_ORG, _ORG.c.id == organisation.id, to_row(organisation)),
                      "organisation", organisation.id)

    # ---------------------------------------------------------------- units -----------------

    def add_unit(self, unit: Unit) -> None:
        """Store a new unit (its parent must already exist)."""
        self._insert(_UNIT, to_row(unit))

    def add_units(self, units: Sequence[Unit]) -> int:
        """Bulk-insert units, parents before children."""
        return self._insert_many(_UNIT, [to_row(u) for u in units])

    def get_unit(self, unit_id: str) -> Unit:
        """The unit, or ``NotFound``."""
        return self._get(Unit, _UNIT, _UNIT.c.id == unit_id, "unit", unit_id)

    def find_unit(self, unit_id: str) -> Unit | None:
        """The unit, or ``None``."""
        return self._one(Unit, _UNIT, _UNIT.c.id == unit_id)

    def list_units(
        self, *, organisation_id: str | None = None, active_only: bool = False
    ) -> list[Unit]:
        """Units, by id; optionally of one organisation and only active ones."""
        stmt = select(_UNIT).order_by(_UNIT.c.id)
        if organisation_id is not None:
            stmt = stmt.where(_UNIT.c.organisation_id == organisation_id)
        if active_only:
            stmt = stmt.where(_UNIT.c.active.is_(True))
        return self._all(Unit, stmt)

    def child_units(self, parent_id: str) -> list[Unit]:
        """The direct sub-units of ``parent_id``."""
        return self._all(
            Unit, select(_UNIT).where(_UNIT.c.parent_id == parent_id).order_by(_UNIT.c.id)
        )

    def update_unit(self, unit: Unit) -> None:
        """Replace the stored unit with ``unit`` (same id)."""
        self._require(self._update(_UNIT, _UNIT.c.id == unit.id, to_row(unit)), "unit", unit.id)

    # ---------------------------------------------------------------- job positions ---------

    def add_job_position(self, position: JobPosition) -> None:
        """Store a new job position."""
        self._insert(_POS, to_row(position))

    def add_job_positions(self, positions: Sequence[JobPosition]) -> int:
        """Bulk-insert job positions."""
        return self._insert_many(_POS, [to_row(p) for p in positions])

    def get_job_position(self, position_id: str) -> JobPosition:
        """The job position, or ``NotFound``."""
        return self._get(JobPosition, _POS, _POS.c.id == position_id, "job_position",
                            position_id)

    def list_job_positions(self, *, unit_id: str | None = None) -> list[JobPosition]:
        """Job positions, by id; with ``unit_id``, those of that unit and the shared ones."""
        stmt = select(_POS).order_by(_POS.c.id)
        if unit_id is not None:
            stmt = stmt.where(or_(_POS.c.unit_id == unit_id, _POS.c.unit_id.is_(None)))
        return self._all(JobPosition, stmt)

    def update_job_position(self, position: JobPosition) -> None:
        """Replace the stored job position (same id)."""
        self._require(self._update(_POS, _POS.c.id == position.id, to_row(position)),
                      "job_position", position.id)

    # ---------------------------------------------------------------- people ----------------

    def add_person(self, person: Person) -> None:
        """Store a new person (with their current key in the key history, if any)."""
        self._insert(_PERSON, to_row(person))

    def add_people(self, people: Sequence[Person]) -> int:
        """Bulk-insert people."""
        return self._insert_many(_PERSON, [to_row(p) for p in people])

    def get_person(self, person_id: str) -> Person:
        """The person, or ``NotFound``."""
        return self._get(Person, _PERSON, _PERSON.c.id == person_id, "person", person_id)

    def find_person(self, person_id: str) -> Person | None:
        """The person, or ``None``."""
        return self._one(Person, _PERSON, _PERSON.c.id == person_id)

    def get_people(self, person_ids: Iterable[str]) -> dict[str, Person]:
        """The people with these ids that exist, by id."""
        ids = list(dict.fromkeys(person_ids))
        if not ids:
            return {}
        people = self._all(Person, select(_PERSON).where(_PERSON.c.id.in_(ids)))
        return {p.id: p for p in people}

    def list_people(
        self, *, unit_id: str | None = None, unit_ids: Iterable[str] | None = None,
        active_only: bool = True,
    ) -> list[Person]:
        """People ordered by name then id; optionally of one or several units."""
        stmt = select(_PERSON).order_by(_PERSON.c.full_name, _PERSON.c.id)
        if unit_id is not None:
            stmt = stmt.where(_PERSON.c.unit_id == unit_id)
        if unit_ids is not None:
            stmt = stmt.where(self._in(_PERSON.c.unit_id, unit_ids))
        if active_only:
            stmt = stmt.where(_PERSON.c.active.is_(True))
        return self._all(Person, stmt)

    def update_person(self, person: Person) -> None:
        """Replace the stored person (same id)."""
        self._require(self._update(_PERSON, _PERSON.c.id == person.id, to_row(person)),
                      "person", person.id)

    def set_person_key(
        self, person_id: str, public_key: bytes, fingerprint: str, at: dt.datetime
    ) -> None:
        """Make ``public_key`` the person's current key; earlier keys are marked revoked at ``at``.

        The key is added to the key history, so signatures made with any earlier key can still
        be checked. Setting the key the person already has is a no-op.
        """
        person = self.get_person(person_id)
        if person.key_fingerprint == fingerprint:
            return
        self._update(
            _KEY, and_(_KEY.c.person_id == person_id, _KEY.c.revoked_at.is_(None)),
            {"revoked_at": at},
        )
        existing = self.find_key(fingerprint)
        if existing is None:
            self._insert(_KEY, to_row(PersonKey(
                fingerprint=fingerprint, person_id=person_id, public_key=public_key, valid_from=at
            )))
        else:
            self._update(_KEY, _KEY.c.fingerprint == fingerprint, {"revoked_at": None})
        self._update(_PERSON, _PERSON.c.id == person_id,
                        {"public_key": public_key, "key_fingerprint": fingerprint})

    def revoke_key(self, fingerprint: str, at: dt.datetime) -> None:
        """Mark a key revoked at ``at``; if it is someone's current key, they have none now."""
        self._require(self._update(_KEY, _KEY.c.fingerprint == fingerprint,
                                      {"revoked_at": at}), "key", fingerprint)
        self._update(_PERSON, _PERSON.c.key_fingerprint == fingerprint,
                        {"public_key": None, "key_fingerprint": None})

    def add_person_keys(self, keys: Sequence[PersonKey]) -> int:
        """Bulk-insert key history rows (organisation bundle import)."""
        return self._insert_many(_KEY, [to_row(k) for k in keys])

    def find_key(self, fingerprint: str) -> PersonKey | None:
        """The key with this fingerprint (current or earlier), or ``None``."""
        return self._one(PersonKey, _KEY, _KEY.c.fingerprint == fingerprint)

    def find_keys(self, fingerprints: Iterable[str]) -> dict[str, PersonKey]:
        """The keys with these fingerprints that exist, by fingerprint (bundle import)."""
        fps = list(dict.fromkeys(fingerprints))
        found: dict[str, PersonKey] = {}
        for start in range(0, len(fps), 500):
            stmt = select(_KEY).where(_KEY.c.fingerprint.in_(fps[start : start + 500]))
            found.update((k.fingerprint, k) for k in self._all(PersonKey, stmt))
        return found

    def all_keys(self) -> dict[str, PersonKey]:
        """Every person's keys (current and earlier), by fingerprint (the hub keeps them)."""
        return {k.fingerprint: k for k in self._all(PersonKey, select(_KEY))}

    def list_person_keys(self, person_id: str) -> list[PersonKey]:
        """Every key the person has held, oldest first."""
        return self._all(PersonKey, select(_KEY).where(_KEY.c.person_id == person_id)
                            .order_by(_KEY.c.valid_from, _KEY.c.fingerprint))

    # ---------------------------------------------------------------- memberships -----------

    def add_membership(self, membership: UnitMembership) -> None:
        """Store a unit membership."""
        self._insert(_MEMBER, to_row(membership))

    def add_memberships(self, memberships: Sequence[UnitMembership]) -> int:
        """Bulk-insert unit memberships."""
        return self._insert_many(_MEMBER, [to_row(m) for m in memberships])

    def end_membership(self, membership_id: str, end_on: dt.date) -> None:
        """Close a membership on ``end_on`` (inclusive)."""
        self._require(self._update(_MEMBER, _MEMBER.c.id == membership_id,
                                      {"end_on": end_on}), "membership", membership_id)

    def memberships_of(self, person_id: str) -> list[UnitMembership]:
        """A person's memberships, oldest first."""
        return self._all(UnitMembership, select(_MEMBER)
                            .where(_MEMBER.c.person_id == person_id)
                            .order_by(_MEMBER.c.start_on, _MEMBER.c.id))

    def members_of(self, unit_id: str, *, on: dt.date | None = None,
                   start: dt.date | None = None, end: dt.date | None = None
                   ) -> list[UnitMembership]:
        """Memberships of a unit: those active ``on`` a day, or overlapping ``start``–``end``.

        With no date, every membership the unit ever had.
        """
        stmt = select(_MEMBER).where(_MEMBER.c.unit_id == unit_id)
        if on is not None:
            stmt = stmt.where(_active_on(_MEMBER, on))
        if start is not None:
            stmt = stmt.where(or_(_MEMBER.c.end_on.is_(None), _MEMBER.c.end_on >= start))
        if end is not None:
            stmt = stmt.where(_MEMBER.c.start_on <= end)
        return self._all(UnitMembership,
                            stmt.order_by(_MEMBER.c.person_id, _MEMBER.c.start_on))

    # ---------------------------------------------------------------- evaluator relations ---

    def add_evaluator_relation(self, relation: EvaluatorRelation) -> None:
        """Store who evaluates whom."""
        self._insert(_REL, to_row(relation))

    def add_evaluator_relations(self, relations: Sequence[EvaluatorRelation]) -> int:
        """Bulk-insert evaluator relations."""
        return self._insert_many(_REL, [to_row(r) for r in relations])

    def end_evaluator_relation(self, relation_id: str, end_on: dt.date) -> None:
        """Close an evaluator relation on ``end_on`` (inclusive)."""
        self._require(self._update(_REL, _REL.c.id == relation_id, {"end_on": end_on}),
                      "evaluator_relation", relation_id)

    def list_evaluator_relations(self) -> list[EvaluatorRelation]:
        """Every evaluator relation (current and past)."""
        return self._all(EvaluatorRelation,
                            select(_REL).order_by(_REL.c.evaluatee_id, _REL.c.start_on, _REL.c.id))

    def evaluatees_of(self, evaluator_id: str, on: dt.date) -> list[EvaluatorRelation]:
        """The relations in which ``evaluator_id`` evaluates someone on ``on`` (incl. acting)."""
        stmt = (select(_REL).where(_REL.c.evaluator_id == evaluator_id)
                .where(_active_on(_REL, on))
                .order_by(_REL.c.evaluatee_id, _REL.c.id))
        return self._all(EvaluatorRelation, stmt)

    def evaluators_of(self, evaluatee_id: str, on: dt.date) -> list[EvaluatorRelation]:
        """The relations naming who evaluates ``evaluatee_id`` on ``on``; acting ones first."""
        stmt = (select(_REL).where(_REL.c.evaluatee_id == evaluatee_id)
                .where(_active_on(_REL, on))
                .order_by(_REL.c.kind, _REL.c.id))
        relations = self._all(EvaluatorRelation, stmt)
        return sorted(relations, key=lambda r: (r.kind.value != "acting", r.id))

    def relations_of_evaluatees(self, evaluatee_ids: Iterable[str]
                                ) -> dict[str, list[EvaluatorRelation]]:
        """Every evaluator relation (current and past) of these people, by evaluatee (every id
        present); filter with :meth:`EvaluatorRelation.active_on` for a day (bundle import:
        one query instead of one per record and day)."""
        ids = list(dict.fromkeys(evaluatee_ids))
        found: dict[str, list[EvaluatorRelation]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            stmt = (select(_REL).where(_REL.c.evaluatee_id.in_(ids[start : start + 500]))
                    .order_by(_REL.c.evaluatee_id, _REL.c.kind, _REL.c.id))
            for relation in self._all(EvaluatorRelation, stmt):
                found[relation.evaluatee_id].append(relation)
        return found

    # ---------------------------------------------------------------- helpers ---------------

    @staticmethod
    def _require(count: int, kind: str, key: str) -> None:
        if count == 0:
            raise NotFound("not_found", kind=kind, id=key)
