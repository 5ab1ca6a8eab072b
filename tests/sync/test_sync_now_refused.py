""""Sync now" never stops at a file the hub refuses: it logs in and fetches first, sets the
refused file aside in ``outbox/refused`` with the hub's message, and sends the rest."""

from __future__ import annotations

import pytest

from kpi_desktop.app import main
from kpi_desktop.services.hub_client import describe_set_aside, sync_now

from .helpers import LEADER, OFFICIAL, PASSPHRASES, World, log_week, opened
from .test_sync_hub import hub, hub_world  # noqa: F401 - the module's own hub process

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


def test_a_refused_file_is_set_aside_and_the_rest_flows(
        hub_world: World, hub: str,  # noqa: F811
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    world = hub_world
    outbox = world.official / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    damaged = outbox / "KPI_work_hcc-cv1_to_hcc-gd_000099.kpib"
    damaged.write_bytes(b"PK\x03\x04 not a bundle any more")
    with opened(world.official, OFFICIAL) as pc:
        log_week(pc, days=2)
        outcome = sync_now(pc, hub, OFFICIAL)
        line = describe_set_aside(*outcome.refused[0])
    assert [name for name, _error in outcome.refused] == [damaged.name]
    assert (outbox / "refused" / damaged.name).exists()
    assert (outbox / "refused" / f"{damaged.name}.txt").read_text(encoding="utf-8")
    assert "refused by the hub and set aside" in line
    assert outcome.sent >= 2  # the fresh export went up all the same (leader and agency)
    assert not list(outbox.glob("*.kpib"))
    with opened(world.leader, LEADER) as pc:
        received = sync_now(pc, hub, LEADER).received
    assert any(r.status == "imported" and r.sender_id == OFFICIAL for r in received)
    # Through the CLI: exit 3, the reason on stderr, and the rest sent.
    damaged.write_bytes(b"PK\x03\x04 broken again")
    monkeypatch.setenv("KPI_DESKTOP_PASSPHRASE", PASSPHRASES[OFFICIAL])
    code = main(["--data-dir", str(world.official), "--lang", "en", "sync", "now", "--hub",
                 hub, "--as", OFFICIAL])
    err = capsys.readouterr().err
    assert code == 3 and "set aside in outbox/refused" in err
