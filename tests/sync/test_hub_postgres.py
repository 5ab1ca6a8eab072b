"""The agency hub storing its bundles and index on a real PostgreSQL server.

The server is named by ``KPI_TEST_PG_URL`` (``postgresql+psycopg://USER:PASSWORD@HOST/DB``;
``.ci/run`` starts Debian's PostgreSQL and sets it). Each test works in a schema of its own,
dropped at the end. Without the variable, the driver or the server these tests are skipped —
except with ``CI=true``, where they fail: CI must test PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kpi_desktop.domain.errors import RefusedValue, StorageProblem
from kpi_desktop.domain.model import EntryStatus, StatementKind
from kpi_desktop.domain.sync import HubBundle
from kpi_desktop.services.hub_client import sync_now
from kpi_desktop.storage.engine import head_revision
from kpi_desktop.storage.server_database import open_database_url, safe_url

from .helpers import LEADER, OFFICIAL, World, log_week, opened, review, state

PG_ENV = "KPI_TEST_PG_URL"


def _unavailable(reason: str) -> None:
    """Skip, or fail when running in CI (which must test PostgreSQL)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(reason)


def _connect(url: str) -> Any:
    """A plain psycopg connection (autocommit) to the SQLAlchemy URL ``url``."""
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="module")
def pg_server() -> str:
    """The URL of the test server, checked to answer."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        _unavailable(f"{PG_ENV} is not set")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("the psycopg driver is not installed")
    try:
        with _connect(url) as connection:
            connection.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        _unavailable(f"PostgreSQL at {safe_url(url)} does not answer: {exc}")
    return url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """``pg_server`` with a fresh schema of the test's own first on the search path."""
    schema = f"kpi_test_{secrets.token_hex(6)}"
    with _connect(pg_server) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in pg_server else "?"
    try:
        yield f"{pg_server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with _connect(pg_server) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with _connect(url) as connection:
        return list(connection.execute(sql).fetchall())


def test_the_schema_is_migrated_on_postgresql(pg_url: str) -> None:
    db = open_database_url(pg_url)
    try:
        assert _rows(pg_url, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
        line = HubBundle(bundle_id="b-1", kind="work", sender_id=OFFICIAL, recipient_id=LEADER,
                         seq=7, header_sha256="ab" * 32,
                         received_at=dt.datetime(2026, 11, 23, 8, 30, 5, 123456, tzinfo=dt.UTC),
                         size=3)
        with db.unit_of_work() as uow:
            uow.sync.hub_store(line, b"\x00\xffz")
        with db.unit_of_work(read_only=True) as uow:
            assert uow.sync.hub_find("b-1") == line
            assert uow.sync.hub_content("b-1") == b"\x00\xffz"
            assert uow.sync.hub_inbox([LEADER, "*"]) == [line]
        with pytest.raises(RefusedValue) as refused, db.unit_of_work() as uow:
            uow.sync.hub_store(line, b"again")
        assert refused.value.code == "duplicate_record"
    finally:
        db.close()
    again = open_database_url(pg_url)  # already at the newest revision: nothing to do
    again.close()
    assert _rows(pg_url, "SELECT count(*) FROM hub_bundles") == [(1,)]
    assert "***" in repr(again) and "@" in repr(again)


def test_a_wrong_password_is_reported_plainly(pg_server: str) -> None:
    from sqlalchemy.engine import make_url

    wrong = make_url(pg_server).set(password="not-the-password").render_as_string(
        hide_password=False)
    with pytest.raises(StorageProblem) as problem:
        open_database_url(wrong)
    assert problem.value.code == "database_server_unreachable"
    assert "not-the-password" not in str(problem.value.params)


def test_urls_the_hub_cannot_use() -> None:
    for url in ("mysql://u:p@host/db", "sqlite://", "not a url"):
        with pytest.raises(RefusedValue) as refused:
            open_database_url(url)
        assert refused.value.code == "hub_database_unsupported"
        assert "p@" not in refused.value.params["url"]
    pytest.importorskip("psycopg")
    with pytest.raises(StorageProblem) as problem:
        open_database_url("postgresql+psycopg://u:secret@127.0.0.1:9/db?connect_timeout=3")
    assert problem.value.code == "database_server_unreachable"


# ------------------------------------------------------------------ a real hub process ----


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_hub(folder: Path, db_url: str) -> Iterator[str]:
    """``kpi-desktop hub serve --db db_url`` on a free port, until the block ends."""
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    port = _free_port()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder), "--lang", "en",
         "hub", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=1) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise AssertionError(f"the hub did not start:\n{output}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def test_round_trip_through_a_hub_on_postgresql(pg_url: str, world: World) -> None:
    folder = world.root / "hub"
    with opened(folder) as pc:
        results = pc.sync.import_paths([world.usb / "KPI_organisation_NL_v0002.kpib"])
        assert results[0].status == "imported"

    with running_hub(folder, pg_url) as hub, opened(world.official, OFFICIAL) as pc:
        ids = log_week(pc)
        assert sync_now(pc, hub, OFFICIAL).sent == 2  # to the leader and to the agency
    stored = _rows(pg_url, "SELECT kind, sender_id, recipient_id FROM hub_bundles")
    assert sorted(stored) == [("work", OFFICIAL, "agency"), ("work", OFFICIAL, LEADER)]

    # A new hub process on the same database: the bundles are still there.
    with running_hub(folder, pg_url) as hub:
        with opened(world.leader, LEADER) as pc:
            outcome = sync_now(pc, hub, LEADER)
            imported = [r for r in outcome.received if r.status == "imported"]
            assert [r.kind for r in imported] == ["work"]
            assert imported[0].counts["revisions"] == 5
            for entry_id in ids[:4]:
                review(pc, LEADER, entry_id, StatementKind.CONFIRM)
            review(pc, LEADER, ids[4], StatementKind.RETURN, "Thiếu số văn bản")
            sync_now(pc, hub, LEADER)
        with opened(world.official, OFFICIAL) as pc:
            sync_now(pc, hub, OFFICIAL)
            with pc.db.unit_of_work(read_only=True) as uow:
                statuses = [uow.worklog.get(i).status for i in ids]
            assert statuses == [EntryStatus.CONFIRMED] * 4 + [EntryStatus.RETURNED]
        with opened(world.agency, "agency") as pc:
            outcome = sync_now(pc, hub, "agency")
            assert {r.kind for r in outcome.received if r.status == "imported"} >= {
                "work", "review"}
        with opened(world.official, OFFICIAL) as pc:
            sync_now(pc, hub, OFFICIAL)
            assert pc.sync.outbox_count(OFFICIAL) == 0  # the agency acknowledged everything

    assert set(state(world.leader)) <= set(state(world.agency))
    ours = [line for line in state(world.official) if any(i in line for i in ids)]
    assert ours and set(ours) <= set(state(world.agency))
    # Everything went to PostgreSQL; nothing to the hub's own data folder.
    kinds = {kind for (kind,) in _rows(pg_url, "SELECT DISTINCT kind FROM hub_bundles")}
    assert kinds >= {"work", "review", "receipt"}
    with opened(folder) as pc, pc.db.unit_of_work(read_only=True) as uow:
        assert uow.sync.hub_inbox([OFFICIAL, LEADER, "agency", "*"]) == []
