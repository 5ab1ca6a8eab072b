"""The hub under hostile traffic (issue 14): a real ``hub serve`` process on 127.0.0.1.

Memory is measured on the hub process itself (VmRSS): before issue 14 a chunked upload of
200 MB took it from 112 to 333 MB, and 300 login challenges with a 1 MB owner added 285 MB.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.domain.sync import HubBundle
from kpi_desktop.runtime.i18n import language_override
from kpi_desktop.services.hub import HubGuards, HubService
from kpi_desktop.services.hub_client import HubClient, SyncOutcome, _push_waiting, sync_now
from kpi_desktop.services.messages import describe
from kpi_desktop.services.sync import BUNDLE_SUFFIX
from kpi_desktop.storage.backup import dump_database
from kpi_desktop.sync import keys as crypto

from .helpers import LEADER, OFFICIAL, World, craft, opened
from .hub_process import Hub, running_hub

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

LINUX = Path("/proc/self/status").exists()


def _hub_folder(world: World) -> Path:
    folder = world.root / "hub"
    with opened(folder) as pc:
        results = pc.sync.import_paths([world.usb / "KPI_organisation_NL_v0002.kpib"])
        assert results[0].status == "imported"
    return folder


def _key(world: World, owner: str = OFFICIAL) -> crypto.KeyPair:
    with opened(world.official if owner == OFFICIAL else world.leader, owner) as pc:
        return pc.keys.require(owner)


@pytest.fixture(scope="module")
def hostile_world(world_master: World, tmp_path_factory: pytest.TempPathFactory) -> World:
    world = world_master.copy_to(tmp_path_factory.mktemp("hostile") / "world")
    _hub_folder(world)
    return world


@pytest.fixture(scope="module")
def hub(hostile_world: World) -> Iterator[Hub]:
    with running_hub(hostile_world.root / "hub") as running:
        yield running


def _settle(hub: Hub) -> float:
    """RSS after a warm-up request (imports and pools done)."""
    hub.request("GET", "/health")
    return hub.rss_mb()


# ---------------------------------------------------------------- bodies ---------------------


@pytest.mark.skipif(not LINUX, reason="measures /proc/<pid>/status")
def test_a_chunked_upload_is_read_against_a_running_limit(hub: Hub) -> None:
    before = _settle(hub)
    conn = hub.connection()
    conn.putrequest("POST", "/bundles")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Content-Type", "application/octet-stream")
    conn.endheaders()
    chunk = b"\0" * (1024 * 1024)
    sent = 0
    try:
        for _ in range(200):  # 200 MB, no Content-Length
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += 1
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the hub stopped reading: fine
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    after = hub.rss_mb()
    assert response.status == 413
    assert body["code"] == "hub_request_too_large"
    assert "larger than 67108864 bytes" in body["message"]
    # Before: +221 MB (112 → 333). A running limit spooled to disk keeps it flat.
    assert after - before < 30, (before, after)
    assert hub.request("GET", "/health")[0] == 200


@pytest.mark.skipif(not LINUX, reason="measures /proc/<pid>/status")
def test_huge_login_challenges_are_refused_without_holding_memory(hub: Hub) -> None:
    before = _settle(hub)
    owner = "a" * (1024 * 1024)
    statuses: dict[int, int] = {}
    for number in range(300):
        body = json.dumps({"owner": owner}).encode()
        if number % 2:
            status, answer = hub.post_json("/login/challenge", body)
        else:  # the same without Content-Length
            conn = hub.connection()
            conn.putrequest("POST", "/login/challenge")
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                conn.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
            response = conn.getresponse()
            status, answer = response.status, json.loads(response.read())
            conn.close()
        statuses[status] = statuses.get(status, 0) + 1
        assert answer["code"] == "hub_request_too_large"
    after = hub.rss_mb()
    assert statuses == {413: 300}
    assert after - before < 30, (before, after)  # before: +285 MB, held for 120 s


def test_every_request_field_is_size_limited(hub: Hub) -> None:
    status, answer = hub.post_json("/login/challenge", {"owner": "x" * 81})
    assert (status, answer["code"]) == (400, "hub_field_invalid")
    assert "“owner”" in answer["message"]
    status, answer = hub.post_json("/login/challenge", {"owner": "hcc\x00cv1"})
    assert (status, answer["code"]) == (400, "hub_field_invalid")
    status, answer = hub.post_json("/login/challenge", [1, 2])
    assert (status, answer["code"]) == (400, "hub_field_invalid")
    status, answer = hub.post_json("/login", {"challenge": "c" * 65, "signature": "AA=="})
    assert (status, answer["code"]) == (400, "hub_field_invalid")
    status, answer = hub.post_json("/login", {"challenge": "abc", "signature": "A" * 129})
    assert (status, answer["code"]) == (400, "hub_field_invalid")
    status, answer = hub.post_json("/login", {"challenge": "x" * 5000})
    assert (status, answer["code"]) == (413, "hub_request_too_large")
    status, answer = hub.request("GET", "/inbox", headers={"Authorization": "Bearer " + "t" * 500})
    assert (status, answer["code"]) == (401, "hub_refused")
    status, answer = hub.request("GET", "/bundles/" + "b" * 200,
                                 headers={"Authorization": "Bearer abc"})
    assert (status, answer["code"]) == (401, "hub_refused")
    status, answer = hub.request("POST", "/bundles", b"x", headers={"Content-Length": "1e9"})
    assert status == 400


def test_login_challenges_are_capped_per_address(hub: Hub) -> None:
    answers = [hub.post_json("/login/challenge", {"owner": OFFICIAL}, source="127.0.0.7")
               for _ in range(12)]
    assert [s for s, _ in answers[:8]] == [200] * 8
    assert {s for s, _ in answers[8:]} == {503}
    assert answers[8][1]["code"] == "hub_busy"
    assert "try again in 2 minutes" in answers[8][1]["message"]
    # Another address is not affected.
    status, answer = hub.post_json("/login/challenge", {"owner": OFFICIAL},
                                   source="127.0.0.8")
    assert status == 200 and len(answer["challenge"]) == 43


# ---------------------------------------------------------------- addressed to everyone ------


def test_only_the_agency_may_address_everyone(hostile_world: World, hub: Hub) -> None:
    key = _key(hostile_world)
    poison = craft(key, {"data/revisions.jsonl": b'{"a":1}\n'},
                   header={"recipient": {"id": "*"}})
    stored = hostile_world.root / "hub" / "kpi.db"
    assert stored.exists()
    before = dump_database(stored)
    status, answer = hub.request("POST", "/bundles", poison)
    assert (status, answer["code"]) == (400, "hub_recipient_everyone")
    assert "Only the agency's organisation file may be addressed to everyone" in \
        answer["message"]
    assert dump_database(stored) == before  # nothing stored, nothing counted
    # The official's PC keeps syncing cleanly (before: exit 3 for ever on such a bundle).
    with opened(hostile_world.official, OFFICIAL) as pc:
        outcome = sync_now(pc, hub.url, OFFICIAL)
        assert all(r.ok for r in outcome.received)


def test_a_stored_bundle_to_everyone_is_not_handed_out(world: World) -> None:
    """A hub that stored such bundles before issue 14 no longer hands them out."""
    folder = _hub_folder(world)
    poison = craft(_key(world), {}, header={"recipient": {"id": "*"}})
    with opened(folder) as pc:
        with pc.db.unit_of_work() as uow:
            uow.sync.hub_store(HubBundle(
                bundle_id="poison", kind="work", sender_id=OFFICIAL, recipient_id="*", seq=1,
                header_sha256="0" * 64, received_at=dt.datetime.now(dt.UTC),
                size=len(poison)), poison)
        service = HubService(pc.db, pc.sync)
        challenge = service.challenge(LEADER, "127.0.0.1")
        token = service.login(challenge, base64.b64encode(
            _key(world, LEADER).sign(challenge.encode())).decode())
        assert [line.bundle_id for line in service.inbox(token)
                if line.kind != "organisation"] == []
        with pytest.raises(RefusedValue):
            service.content(token, "poison")


# ---------------------------------------------------------------- quota ----------------------


def test_the_agency_sets_a_daily_quota_per_sender(world: World) -> None:
    folder = _hub_folder(world)
    env_args = ["--data-dir", str(world.agency), "--lang", "en", "org", "hub-limits",
                "--bundles-per-day", "3", "--megabytes-per-day", "1"]
    shown = subprocess.run([sys.executable, "-m", "kpi_desktop", *env_args],
                           capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "3 bundles and 1 MB" in shown.stdout
    bad = subprocess.run([sys.executable, "-m", "kpi_desktop", "--data-dir", str(world.agency),
                          "--lang", "en", "org", "hub-limits", "--bundles-per-day", "0"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 3
    assert "must be a whole number from 1 to 1000000 (got 0)" in bad.stderr
    with opened(world.agency, "agency") as agency:
        published = agency.sync.publish_organisation(world.usb).path
    key = _key(world)
    with running_hub(folder) as hub:
        client = HubClient(hub.url)
        assert client.upload(published.read_bytes()) == "stored"
        statuses = [hub.request("POST", "/bundles", craft(key, {}))[0] for _ in range(3)]
        assert statuses == [201, 201, 201]
        before = dump_database(folder / "kpi.db")
        status, answer = hub.request("POST", "/bundles", craft(key, {}))
        assert (status, answer["code"]) == (429, "hub_quota_exceeded")
        assert dump_database(folder / "kpi.db") == before  # not stored, not counted
        assert "(3 bundles, 1 MB)" in answer["message"]
        # On the PC: "not now", not "not this bundle" — the push stops, the bundle stays in
        # the outbox (it is not set aside as refused), and the PC says it in its language.
        outbox = world.root / "quota-outbox"
        outbox.mkdir()
        waiting = outbox / f"KPI_work_{OFFICIAL}_0009{BUNDLE_SUFFIX}"
        waiting.write_bytes(craft(key, {}))
        with pytest.raises(RefusedValue) as refused:
            _push_waiting(HubClient(hub.url), outbox, SyncOutcome())
        assert refused.value.code == "hub_quota_exceeded"
        assert refused.value.params == {"sender": OFFICIAL, "bundles": 3, "megabytes": 1}
        assert waiting.exists() and not (outbox / "refused").exists()
        with language_override("vi"):
            assert "gói dữ liệu chưa được lưu và vẫn nằm trong hộp thư đi" in \
                describe(refused.value)
        # A repeat of a stored bundle is no new bundle; another sender has its own quota.
        leader = craft(_key(world, LEADER), {}, header={
            "sender": {"id": LEADER, "key": _key(world, LEADER).fingerprint},
            "recipient": {"id": OFFICIAL}})
        assert hub.request("POST", "/bundles", leader)[0] == 201
        assert hub.request("POST", "/bundles", leader)[0] == 200
        # Bytes count too: 1 MB a day for the leader.
        payload = os.urandom(1100 * 1024)
        heavy = craft(_key(world, LEADER),
                      {f"files/{hashlib.sha256(payload).hexdigest()}": payload},
                      header={"sender": {"id": LEADER, "key": _key(world, LEADER).fingerprint},
                              "recipient": {"id": OFFICIAL}})
        status, answer = hub.request("POST", "/bundles", heavy)
        assert (status, answer["code"]) == (429, "hub_quota_exceeded")


# ---------------------------------------------------------------- tokens ---------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_challenges_and_tokens_expire_and_are_purged(world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    clock = _Clock()
    with opened(folder) as pc:
        service = HubService(pc.db, pc.sync, guards=HubGuards(challenges_total=5),
                             clock=clock)

        def sign(challenge: str) -> str:
            return base64.b64encode(key.sign(challenge.encode())).decode()

        stale = service.challenge(OFFICIAL, "10.0.0.1")
        clock.now += 121
        with pytest.raises(RefusedValue) as refused:
            service.login(stale, sign(stale))
        assert refused.value.params["detail"] == "unknown or expired challenge"
        for number in range(5):
            service.challenge(OFFICIAL, f"10.0.0.{number}")
        with pytest.raises(RefusedValue) as refused:
            service.challenge(OFFICIAL, "10.0.0.99")
        assert refused.value.code == "hub_busy"  # the total cap
        clock.now += 121
        assert service.outstanding() == (0, 0)  # expired ones are gone
        fresh = service.challenge(OFFICIAL, "10.0.0.1")
        token = service.login(fresh, sign(fresh))
        assert service.owner_of(token) == OFFICIAL
        assert service.outstanding() == (0, 1)
        clock.now += 601
        with pytest.raises(RefusedValue):
            service.owner_of(token)
        assert service.outstanding() == (0, 0)


def test_a_token_dies_with_its_key(world: World) -> None:
    folder = _hub_folder(world)
    key = _key(world)
    with running_hub(folder) as hub:
        client = HubClient(hub.url)
        client.login(OFFICIAL, key.sign)
        assert isinstance(client.inbox(), list)
        with opened(world.agency, "agency") as agency:
            agency.keys.revoke(key.fingerprint)
            revoking = agency.sync.publish_organisation(world.usb).path
        assert HubClient(hub.url).upload(revoking.read_bytes()) == "stored"
        with pytest.raises(RefusedValue) as refused:
            client.inbox()  # the token issued before the revocation
        assert refused.value.code == "hub_refused"
        assert "log in again" in refused.value.params["detail"]
        with pytest.raises(RefusedValue):
            HubClient(hub.url).login(OFFICIAL, key.sign)


# ---------------------------------------------------------------- TLS ------------------------


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kpi-hub.test")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    certfile, keyfile = folder / "hub-cert.pem", folder / "hub-key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


def test_the_hub_serves_https(world: World, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    folder = _hub_folder(world)
    certfile, keyfile = _self_signed(tmp_path)
    context = ssl.create_default_context(cafile=str(certfile))
    with running_hub(folder, "--certfile", str(certfile), "--keyfile", str(keyfile),
                     context=context, scheme="https") as hub:
        assert hub.url.startswith("https://")
        # Without the agency's certificate a PC refuses to talk (no silent downgrade).
        with pytest.raises(RefusedValue) as refused:
            HubClient(hub.url).inbox()
        assert refused.value.code == "hub_unreachable"
        assert "CERTIFICATE_VERIFY_FAILED" in refused.value.params["detail"]
        # Plain HTTP on the TLS port gets nowhere.
        plain = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=5)
        with pytest.raises((http.client.HTTPException, OSError)):
            plain.request("GET", "/health")
            plain.getresponse().read()
        plain.close()
        monkeypatch.setenv("KPI_DESKTOP_HUB_CAFILE", str(certfile))
        with opened(world.official, OFFICIAL) as pc:
            outcome = sync_now(pc, hub.url, OFFICIAL)
        assert outcome.sent >= 0 and all(r.ok for r in outcome.received)


def test_unusable_certificate_files_are_refused(world: World, tmp_path: Path) -> None:
    folder = _hub_folder(world)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    result = subprocess.run(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder), "--lang", "en", "hub",
         "serve", "--port", "9", "--certfile", str(junk), "--keyfile", str(junk)],
        capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 3
    assert "The hub cannot use the certificate" in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "kpi_desktop", "--data-dir", str(folder), "--lang", "en", "hub",
         "serve", "--port", "9", "--certfile", str(junk)],
        capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 3
    assert "--certfile and --keyfile go together" in result.stderr


def test_the_hubs_refusal_is_said_in_the_pcs_language(hub: Hub) -> None:
    """The hub runs in English here; a Vietnamese PC says its refusal in Vietnamese."""
    client = HubClient(hub.url)
    with pytest.raises(RefusedValue) as refused:
        client.upload(b"PK\x03\x04 not a bundle")
    assert refused.value.code == "hub_refused"
    assert refused.value.params["hub_code"] == "bundle_damaged"
    with language_override("vi"):
        client = HubClient(hub.url)
        with pytest.raises(RefusedValue) as refused:
            client.upload(b"PK\x03\x04 not a bundle")
        text = describe(refused.value)
    assert text.startswith("Máy chủ tiếp nhận từ chối yêu cầu: Tệp gói dữ liệu bị hỏng")
    assert not text.endswith("..")
