"""Read-only views of the organisation: units, people, job positions."""

from __future__ import annotations

from typing import Any


class OrganisationService:
    """Who is who, for lists and pickers."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def is_empty(self) -> bool:
        """True when no organisation has been set up in this database."""
        with self._db.unit_of_work(read_only=True) as uow:
            return not uow.org.list_organisations()

    def people_overview(self) -> list[dict[str, Any]]:
        """Everyone with their unit and position, grouped by unit (in unit order)."""
        with self._db.unit_of_work(read_only=True) as uow:
            # the agency or commune first, then its divisions by name
            units = {u.id: u for u in sorted(uow.org.list_units(),
                                             key=lambda u: (u.parent_id is not None, u.name_vi))}
            positions = {p.id: p for p in uow.org.list_job_positions()}
            order = {uid: index for index, uid in enumerate(units)}
            rows = []
            for person in uow.org.list_people():
                unit = units.get(person.unit_id)
                position = positions.get(person.job_position_id or "")
                rows.append({
                    "id": person.id, "full_name": person.full_name, "role": person.role.value,
                    "unit_id": person.unit_id, "unit_name": unit.name_vi if unit else "",
                    "position_id": person.job_position_id,
                    "position_name": position.name_vi if position else "",
                })
        role_order = {"head": 0, "deputy": 1, "official": 2, "admin": 3}
        rows.sort(key=lambda r: (order.get(r["unit_id"], 99), role_order.get(r["role"], 9),
                                 r["id"]))
        return rows
