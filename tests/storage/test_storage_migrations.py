"""Schema migrations: models and migrations agree, round trips, refusals, backup, packaging."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kpi_desktop.domain.errors import StorageProblem
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.storage.engine import (
    MIGRATIONS_DIR,
    create_sqlite_engine,
    downgrade_database,
    head_revision,
    open_database,
    upgrade_database,
)
from kpi_desktop.storage.orm import Base


def _schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "ORDER BY type, name"
        ).fetchall()
    connection.close()
    return rows


def _differences(path: Path) -> list[object]:
    engine = create_sqlite_engine(path, pooled=False)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_empty_database_upgrades_to_head_and_matches_the_models(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()  # an EMPTY file, as a user might hand us
    open_database(db_path).close()
    assert _differences(db_path) == []
    engine = create_sqlite_engine(db_path, pooled=False)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    engine.dispose()
    tables = {name for kind, name, _ in _schema(db_path) if kind == "table"}
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_and_upgrade_again_gives_the_same_schema(db_path: Path) -> None:
    open_database(db_path).close()
    first = _schema(db_path)
    downgrade_database(db_path, "base")
    assert {name for kind, name, _ in _schema(db_path) if kind == "table"} == {"alembic_version"}
    before, after = upgrade_database(db_path)
    assert before is None and after == head_revision()
    assert _schema(db_path) == first
    assert _differences(db_path) == []


def test_opening_twice_changes_nothing(db_path: Path) -> None:
    open_database(db_path).close()
    dump = dump_database(db_path)
    assert upgrade_database(db_path) == (head_revision(), head_revision())
    open_database(db_path).close()
    assert dump_database(db_path) == dump


def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    dump = dump_database(db_path)
    with pytest.raises(StorageProblem) as caught:
        open_database(db_path)
    assert caught.value.code == "schema_too_new"
    assert caught.value.params["revision"] == "9999"
    assert dump_database(db_path) == dump


def test_a_file_that_is_not_a_database_is_a_storage_problem(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not an sqlite database, just text" * 100)
    with pytest.raises(StorageProblem) as caught:
        open_database(db_path)
    assert caught.value.code == "database_damaged"


def test_an_outdated_database_is_backed_up_before_migrating(db_path: Path, tmp_path: Path
                                                            ) -> None:
    open_database(db_path).close()
    downgrade_database(db_path, "base")
    backups = tmp_path / "backups"
    open_database(db_path, backup_dir=backups).close()
    copies = list(backups.glob("kpi-before-empty-*.db"))
    assert len(copies) == 1
    # Up to date now: opening again makes no further copy.
    open_database(db_path, backup_dir=backups).close()
    assert len(list(backups.iterdir())) == 1


def test_migrations_live_inside_the_package_without_init_files() -> None:
    assert MIGRATIONS_DIR.is_dir()
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert (MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()
    assert not (MIGRATIONS_DIR / "__init__.py").exists()
    assert not (MIGRATIONS_DIR / "versions" / "__init__.py").exists()
    assert MIGRATIONS_DIR.parent.name == "storage"
