"""Fixtures of the storage tests: a migrated database file and a small seeded organisation."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_seed import Org, build_org

from kpi_desktop.domain.model import EvaluatorRelation, UnitMembership
from kpi_desktop.storage.engine import Database, open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives."""
    return tmp_path / "data" / "kpi.db"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated once per session; tests get copies (migrating is slower)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(path).close()  # closing checkpoints the WAL: one self-contained file
    return path


@pytest.fixture
def db(db_path: Path, migrated_template: Path) -> Iterator[Database]:
    """A freshly migrated, empty database file of its own."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_template, db_path)
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def org(db: Database) -> Org:
    """The organisation of :func:`build_org`, stored in ``db``."""
    o = build_org()
    with db.unit_of_work() as uow:
        uow.org.add_organisation(o.organisation)
        uow.org.add_units([o.commune, o.office, o.cadastre])
        uow.org.add_job_positions([o.clerk_position, o.survey_position])
        uow.org.add_people([o.head, o.official, o.surveyor])
        uow.org.add_memberships([
            UnitMembership(id=f"m-{p.id}", person_id=p.id, unit_id=p.unit_id,
                           start_on=dt.date(2025, 1, 1))
            for p in (o.head, o.official, o.surveyor)
        ])
        uow.org.add_evaluator_relations([
            EvaluatorRelation(id=f"r-{p.id}", evaluator_id="p-head", evaluatee_id=p.id,
                              start_on=dt.date(2025, 1, 1))
            for p in (o.official, o.surveyor)
        ])
        uow.catalog.add_version(o.version)
        uow.catalog.add_items([o.shared_item, o.leader_item, o.office_item, o.survey_item])
    return o
