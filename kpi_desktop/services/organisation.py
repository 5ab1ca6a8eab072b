"""Read-only views of the organisation: units, people, job positions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpi_desktop.domain.model import EvaluatorKind, Person


def direct_evaluator(uow: Any, person_id: str, on: dt.date) -> Person | None:
    """Who evaluates ``person_id`` on ``on`` under Điều 10 (the direct relation, not an acting
    delegation), or ``None``."""
    relations = [r for r in uow.org.evaluators_of(person_id, on)
                 if r.kind is EvaluatorKind.DIRECT and r.evaluator_id != person_id]
    return uow.org.find_person(relations[0].evaluator_id) if relations else None


class OrganisationService:
    """Who is who, for lists and pickers."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def is_empty(self) -> bool:
        """True when no organisation has been set up in this database."""
        with self._db.unit_of_work(read_only=True) as uow:
            return not uow.org.list_organisations()

    def support(self) -> tuple[str, str]:
        """(The organisation's name, who helps its users) from the organisation file."""
        with self._db.unit_of_work(read_only=True) as uow:
            organisations = uow.org.list_organisations()
        if not organisations:
            return "", ""
        return organisations[0].name_vi, organisations[0].support_contact

    def names(self) -> dict[str, tuple[str, str]]:
        """Every unit and person id → (Vietnamese name, English name): what pages show
        instead of ids."""
        with self._db.unit_of_work(read_only=True) as uow:
            found = {u.id: (u.name_vi, u.name_en or u.name_vi) for u in uow.org.list_units()}
            found.update({p.id: (p.full_name, p.full_name) for p in uow.org.list_people()})
        return found

    def people_overview(self, on: dt.date | None = None) -> list[dict[str, Any]]:
        """Everyone with their unit, position and evaluator on ``on`` (default today),
        grouped by unit (in unit order)."""
        on = on or dt.date.today()
        with self._db.unit_of_work(read_only=True) as uow:
            # the agency or commune first, then its divisions by name
            units = {u.id: u for u in sorted(uow.org.list_units(),
                                             key=lambda u: (u.parent_id is not None, u.name_vi))}
            positions = {p.id: p for p in uow.org.list_job_positions()}
            order = {uid: index for index, uid in enumerate(units)}
            rows = []
            people = uow.org.list_people()
            by_id = {p.id: p for p in people}
            evaluators: dict[str, str] = {}
            relations = uow.org.relations_of_evaluatees(by_id)  # one query for everyone
            for person_id, found in relations.items():
                for relation in sorted(found, key=lambda r: (r.start_on, r.id), reverse=True):
                    if relation.kind is EvaluatorKind.DIRECT and relation.active_on(on) and \
                            relation.evaluator_id != person_id:
                        evaluators.setdefault(person_id, relation.evaluator_id)
            for person in people:
                unit = units.get(person.unit_id)
                position = positions.get(person.job_position_id or "")
                evaluator = by_id.get(evaluators.get(person.id, ""))
                rows.append({
                    "id": person.id, "full_name": person.full_name, "role": person.role.value,
                    "unit_id": person.unit_id, "unit_name": unit.name_vi if unit else "",
                    "position_id": person.job_position_id,
                    "position_name": position.name_vi if position else "",
                    "evaluator_id": evaluator.id if evaluator else None,
                    "evaluator_name": evaluator.full_name if evaluator else "",
                })
        role_order = {"head": 0, "deputy": 1, "official": 2, "admin": 3}
        rows.sort(key=lambda r: (order.get(r["unit_id"], 99), role_order.get(r["role"], 9),
                                 r["id"]))
        return rows
