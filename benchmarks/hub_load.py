"""A bounded load test of the hub on loopback: honest and hostile clients together (issue 14).

    QT_QPA_PLATFORM=offscreen python benchmarks/hub_load.py [--clients 200] [--seconds 60]
        [--hostile 0.5] [--json OUT]

Sets up the demo organisation (25 people, passphrase "demo") in a temporary folder, a hub data
folder from its organisation file, and starts a real ``kpi-desktop hub serve`` process. Then
``--clients`` threads, each on its own loopback address (127.0.0.x, as PCs have their own
addresses), run for ``--seconds``:

* **honest** clients, as a PC's "Sync now": sign in (challenge, login), list the inbox, send a
  new signed work bundle, download one bundle of the inbox, pause ~1 s, again;
* **hostile** clients, in turns: a 100 MB chunked upload without Content-Length, login
  challenges with a 1 MB owner, a flood of challenges from one address, junk bundles, a member's
  bundle addressed to everyone, a body that stalls (slow loris), forged tokens.

The hub's resident memory (VmRSS) is sampled every 0.5 s. Printed: the hub's memory at start,
its peak and at the end; per kind of client the requests, the answers by status, errors
(connection failures, and for honest clients any answer that is not a success; for hostile ones
any success); the honest requests' latency (median, 95th percentile, max); whether the hub still
answers at the end. Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HOSTILE_KINDS = ("chunked_100mb", "huge_owner", "challenge_flood", "junk_bundle",
                 "everyone_bundle", "slow_body", "forged_token")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cli(*args: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-m", "kpi_desktop", "--lang", "en", *args], check=True,
                   env=env, stdout=subprocess.DEVNULL)


def set_up(root: Path) -> tuple[Path, dict[str, Any], str, Path]:
    """The hub's data folder, the demo people's unlocked keys, the organisation id and the
    organisation file."""
    from kpi_desktop.runtime.paths import app_paths
    from kpi_desktop.services.context import AppServices

    agency, hub = root / "agency", root / "hub"
    _cli("--data-dir", str(agency), "demo", "--today", "2026-11-23")
    services = AppServices.open(app_paths(agency))
    try:
        services.keys.unlock("agency", "demo")
        org_file = services.sync.publish_organisation(root / "usb").path
        keys = {owner: services.keys.unlock(owner, "demo") for owner in services.keys.owners()
                if owner != "agency"}
        with services.db.unit_of_work(read_only=True) as uow:
            org_id = uow.org.list_organisations()[0].id
    finally:
        services.close()
    hub_services = AppServices.open(app_paths(hub))
    try:
        [result] = hub_services.sync.import_paths([org_file])
        assert result.status == "imported", result.error
    finally:
        hub_services.close()
    return hub, keys, org_id, org_file


class Stats:
    """Counts of one kind of client (threads add under a lock)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.errors: Counter[str] = Counter()
        self.latency: list[float] = []

    def add(self, kind: str, status: int | None, error: str | None = None,
            seconds: float | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            if status is not None:
                self.statuses[kind][status] += 1
            if error:
                self.errors[f"{kind}: {error}"] += 1
            if seconds is not None:
                self.latency.append(seconds)


class Client:
    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60
                ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(self.source, 0))
        try:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


def honest(client: Client, owner: str, key: Any, org_id: str, stats: Stats,
           stop: float, recipient: str) -> None:
    import base64

    from kpi_desktop.sync.bundle import write_bundle

    seq = 0
    while time.monotonic() < stop:
        started = time.monotonic()
        try:
            status, body = client.request("POST", "/login/challenge",
                                          json.dumps({"owner": owner}).encode(),
                                          {"Content-Type": "application/json"})
            stats.add("challenge", status, None if status == 200 else f"status {status}")
            if status != 200:
                time.sleep(1)
                continue
            challenge = json.loads(body)["challenge"]
            signature = base64.b64encode(key.sign(challenge.encode())).decode()
            status, body = client.request("POST", "/login", json.dumps(
                {"challenge": challenge, "signature": signature}).encode(),
                {"Content-Type": "application/json"})
            stats.add("login", status, None if status == 200 else f"status {status}")
            if status != 200:
                continue
            auth = {"Authorization": "Bearer " + json.loads(body)["token"]}
            status, body = client.request("GET", "/inbox", headers=auth)
            stats.add("inbox", status, None if status == 200 else f"status {status}")
            lines = json.loads(body)["bundles"] if status == 200 else []
            seq += 1
            data = write_bundle(kind="work", sender_id=owner, recipient_id=recipient, seq=seq,
                                key=key, records={"notes": [{"n": seq}]},
                                extra={"organisation": {"id": org_id, "version": 1}})
            status, _ = client.request("POST", "/bundles", data,
                                       {"Content-Type": "application/octet-stream"})
            stats.add("upload", status, None if status in (200, 201) else f"status {status}")
            if lines:
                line = random.choice(lines)
                status, _ = client.request("GET", f"/bundles/{line['bundle_id']}",
                                           headers=auth)
                stats.add("download", status,
                          None if status == 200 else f"status {status}")
            stats.add("round", None, seconds=time.monotonic() - started)
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            stats.add("round", None, type(exc).__name__)
        time.sleep(random.uniform(0.5, 1.5))


def hostile(client: Client, kind: str, key: Any, org_id: str, stats: Stats,
            stop: float) -> None:
    """One kind of attack, over and over; any success (2xx) is counted as an error."""
    from kpi_desktop.sync.bundle import write_bundle

    seq = 0
    while time.monotonic() < stop:
        status: int | None = None
        try:
            if kind == "chunked_100mb":
                conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=60,
                                                  source_address=(client.source, 0))
                conn.putrequest("POST", "/bundles")
                conn.putheader("Transfer-Encoding", "chunked")
                conn.endheaders()
                chunk = b"\0" * (1024 * 1024)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    for _ in range(100):
                        conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    conn.send(b"0\r\n\r\n")
                response = conn.getresponse()
                status = response.status
                response.read()
                conn.close()
            elif kind == "huge_owner":
                status, _ = client.request("POST", "/login/challenge", json.dumps(
                    {"owner": "a" * (1024 * 1024)}).encode(),
                    {"Content-Type": "application/json"})
            elif kind == "challenge_flood":
                status, _ = client.request("POST", "/login/challenge", json.dumps(
                    {"owner": f"nobody{random.randrange(10**6)}"}).encode(),
                    {"Content-Type": "application/json"})
            elif kind == "junk_bundle":
                status, _ = client.request("POST", "/bundles", os.urandom(20000))
            elif kind == "everyone_bundle":
                seq += 1
                data = write_bundle(kind="work", sender_id=key[0], recipient_id="*", seq=seq,
                                    key=key[1], records={"notes": [{"n": seq}]},
                                    extra={"organisation": {"id": org_id, "version": 1}})
                status, _ = client.request("POST", "/bundles", data)
            elif kind == "slow_body":
                conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=90,
                                                  source_address=(client.source, 0))
                conn.putrequest("POST", "/bundles")
                conn.putheader("Content-Length", "100000")
                conn.endheaders()
                conn.send(b"PK\x03\x04")
                stalled = time.monotonic()
                response = conn.getresponse()  # the hub gives up after 30 s
                status = response.status
                response.read()
                conn.close()
                stats.add("slow_body_wait", None, seconds=time.monotonic() - stalled)
            else:  # forged_token
                status, _ = client.request("GET", "/inbox", headers={
                    "Authorization": "Bearer " + os.urandom(32).hex()[:43]})
            ok = status is not None and 200 <= status < 300
            # A flooder gets its address's few challenges (the cap), then "busy".
            stats.add(kind, status, "accepted" if ok and kind != "challenge_flood" else None)
        except (OSError, http.client.HTTPException) as exc:
            stats.add(kind, None, type(exc).__name__)
        if kind in ("chunked_100mb", "huge_owner"):
            time.sleep(0.2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hostile", type=float, default=0.5,
                        help="share of hostile clients (default 0.5)")
    parser.add_argument("--kinds", default=",".join(HOSTILE_KINDS),
                        help="the hostile kinds to run, separated by commas (default: all)")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    args.kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(args.kinds) - set(HOSTILE_KINDS)
    if unknown or not args.kinds:
        parser.error(f"unknown hostile kinds: {', '.join(sorted(unknown)) or '(none)'}")
    root = Path(tempfile.mkdtemp(prefix="kpi-hub-load-"))
    try:
        print(f"setting up the demo organisation and a hub in {root} …", flush=True)
        hub_folder, keys, org_id, org_file = set_up(root)
        port = _free_port()
        log = (root / "hub.log").open("wb")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        process = subprocess.Popen(
            [sys.executable, "-m", "kpi_desktop", "--data-dir", str(hub_folder), "--lang", "en",
             "hub", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            return _run(args, process, port, keys, org_id, org_file)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(args: argparse.Namespace, process: subprocess.Popen[bytes], port: int,
         keys: dict[str, Any], org_id: str, org_file: Path) -> int:
    probe = Client(port, "127.0.0.1")
    deadline = time.monotonic() + 30
    while True:
        try:
            if probe.request("GET", "/health", timeout=2)[0] == 200:
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("the hub did not start") from None
            time.sleep(0.2)
    status, _ = probe.request("POST", "/bundles", org_file.read_bytes())
    assert status in (200, 201), status  # every inbox lists it: honest clients download it
    start_rss = _rss_mb(process.pid)
    honest_stats, hostile_stats = Stats(), Stats()
    owners = sorted(keys)
    hostile_count = round(args.clients * args.hostile)
    stop = time.monotonic() + args.seconds
    threads = []
    for number in range(args.clients):
        source = f"127.0.{1 + number // 250}.{1 + number % 250}"
        client = Client(port, source)
        owner = owners[number % len(owners)]
        if number < hostile_count:
            kind = args.kinds[number % len(args.kinds)]
            if kind == "chunked_100mb" and number >= 2 * len(args.kinds):
                kind = "junk_bundle"  # two 100 MB uploaders are plenty for loopback
            target = hostile
            task: tuple[Any, ...] = (client, kind, (owner, keys[owner]), org_id,
                                     hostile_stats, stop)
        else:
            target = honest
            task = (client, owner, keys[owner], org_id, honest_stats, stop,
                    owners[(number + 1) % len(owners)])
        threads.append(threading.Thread(target=target, args=task, daemon=True))
    samples: list[float] = []
    for thread in threads:
        thread.start()
    while time.monotonic() < stop:
        samples.append(_rss_mb(process.pid))
        time.sleep(0.5)
    for thread in threads:
        thread.join(timeout=120)
    end_rss = _rss_mb(process.pid)
    alive = probe.request("GET", "/health", timeout=5)[0] == 200
    honest_errors = sum(honest_stats.errors.values())
    hostile_accepted = sum(n for k, n in hostile_stats.errors.items()
                           if k.endswith(": accepted"))
    latency = honest_stats.latency
    result = {
        "clients": args.clients, "hostile_clients": hostile_count, "seconds": args.seconds,
        "hub_rss_mb": {"start": round(start_rss, 1), "peak": round(max(samples + [end_rss]), 1),
                       "end": round(end_rss, 1)},
        "honest": {"requests": dict(honest_stats.requests),
                   "statuses": {k: dict(v) for k, v in honest_stats.statuses.items()},
                   "errors": dict(honest_stats.errors),
                   "round_seconds": {"median": round(statistics.median(latency), 3)
                                     if latency else None,
                                     "p95": round(_percentile(latency, 0.95), 3),
                                     "max": round(max(latency, default=0), 3)}},
        "hostile": {"requests": dict(hostile_stats.requests),
                    "statuses": {k: dict(v) for k, v in hostile_stats.statuses.items()},
                    "errors": dict(hostile_stats.errors),
                    "slow_body_dropped_after_s": round(statistics.median(
                        hostile_stats.latency), 1) if hostile_stats.latency else None},
        "hub_alive_at_end": alive,
    }
    print(json.dumps(result, indent=2))
    print(f"\nhub RSS: start {start_rss:.0f} MB, peak {result['hub_rss_mb']['peak']:.0f} MB, "
          f"end {end_rss:.0f} MB; honest rounds {honest_stats.requests['round']}, honest "
          f"errors {honest_errors}; hostile requests {sum(hostile_stats.requests.values())}, "
          f"hostile accepted {hostile_accepted}; hub alive at end: {alive}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if alive and hostile_accepted == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
