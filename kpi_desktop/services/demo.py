"""``kpi-desktop demo``: write the demo organisation into an empty database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.model import (
    AuditEvent,
    EvaluationStatus,
    MonthlyEvaluation,
    Period,
    PolicyVersion,
    utc_now,
)
from kpi_desktop.domain.passphrases import DEMO_PASSPHRASE as _DEMO_PASSPHRASE
from kpi_desktop.runtime.paths import resource_root
from kpi_desktop.scoring import ScoringPolicy
from kpi_desktop.services import demo_data
from kpi_desktop.services.scores import Calculator


@dataclass(frozen=True)
class DemoSummary:
    """What the demo created."""

    organisation: str
    people: int
    entries: int
    first_period: str
    last_period: str


# The passphrase of every demo person and of the demo agency key (see the README); it is
# accepted for the demo organisation's keys only (domain/passphrases.py).
DEMO_PASSPHRASE = _DEMO_PASSPHRASE


class DemoService:
    """Creates the demo organisation (people, catalog, assignments, months of work)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def create(self, *, today: dt.date, seed: int = 335) -> DemoSummary:
        """Fill an empty database; refused when an organisation already exists."""
        data = demo_data.generate(resource_root() / "demo" / "catalog_nghia_lam.json",
                                  today=today, seed=seed)
        policy = ScoringPolicy.default()
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if uow.org.list_organisations():
                raise RefusedValue("database_exists", path=str(self._db.path))
            uow.bulk_insert([data.organisation, *data.units, *data.positions, *data.people,
                             *data.memberships, *data.relations, data.catalog_version,
                             *data.catalog_items, *data.assignments, *data.entries,
                             *data.revisions, *data.statements, *data.evaluations,
                             *data.discipline, *data.org_indicators, *data.appeals])
            uow.policies.add(PolicyVersion(version=policy.version, policy_json=policy.to_json(),
                                           active_from=demo_data.YEAR_START, created_at=now))
            current = Period.containing(today)
            for person in data.people:  # this month's Form 01 is open, not yet self-assessed
                if person.joined_on is None or person.joined_on <= today:
                    uow.evaluations.upsert_monthly(MonthlyEvaluation(
                        person_id=person.id, period=current, status=EvaluationStatus.OPEN,
                        unit_id=person.unit_id, evaluator_id=None, updated_at=now))
            # The closed months carry the score they were confirmed with (as a leader would
            # have confirmed it), computed by the engine from the entries just written.
            calculator = Calculator(uow, policy)
            for evaluation in data.evaluations:
                result = calculator.person_period(evaluation.person_id, evaluation.period)
                score = result.score
                uow.evaluations.upsert_monthly(dataclasses.replace(
                    evaluation, a=score.a, b=score.b, c=score.c, task_ratio=score.task_ratio,
                    task_points=score.task_points, general_points=score.general_points,
                    total=score.total, level=score.level, insufficient=score.insufficient,
                    d=None if result.leader is None else result.leader.d,
                    policy_version=score.policy_version))
            uow.audit.append(AuditEvent(at=now, action="demo.create", object_type="organisation",
                                        object_id=data.organisation.id,
                                        detail={"seed": seed, "today": today.isoformat()}))
        self._create_keys(data.people)
        return DemoSummary(organisation=data.organisation.name_vi, people=len(data.people),
                           entries=len(data.entries), first_period=str(data.periods[0]),
                           last_period=str(data.periods[-1]))

    @staticmethod
    def people() -> list[dict[str, Any]]:
        """The demo people as :meth:`OrganisationService.people_overview` lists them, read from
        the demo definition without writing anything (for the first-run wizard)."""
        units = {uid: name for uid, name, _en, _kind, _parent in demo_data.UNITS}
        positions = {row[0]: row[1] for row in demo_data.POSITIONS}
        return [{"id": pid, "full_name": name, "role": role.value, "unit_id": unit,
                 "unit_name": units.get(unit, ""), "position_id": position,
                 "position_name": positions.get(position, "")}
                for pid, name, position, role, unit, _profile, _joined in demo_data.PEOPLE]

    def _create_keys(self, people: list[Any]) -> None:
        """Give the demo agency and every demo person a key (passphrase "demo"), enrolled."""
        from kpi_desktop.domain.sync import AGENCY, TrustedKey
        from kpi_desktop.services.keys import KeyService
        from kpi_desktop.sync.keys import DEMO_COST

        keys = KeyService(self._db, cost=DEMO_COST)
        keys.create(AGENCY, DEMO_PASSPHRASE, demo=True)
        agency = keys.require(AGENCY)
        with self._db.unit_of_work() as uow:
            uow.sync.add_trusted_key(TrustedKey(
                fingerprint=agency.fingerprint, owner_id=AGENCY, role="agency",
                public_key=agency.public_key, x25519_public=agency.x25519_public,
                pinned_at=utc_now()))
        for person in people:
            keys.create(person.id, DEMO_PASSPHRASE, enrol=True, demo=True)
