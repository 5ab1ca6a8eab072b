""""Sync now": fetch what the agency hub holds for this PC, then send the outbox.

Fetching comes first, the newest organisation file before anything else, so a newly enrolled
PC (whose key only the newest organisation file publishes) can sync without importing that
file by hand, and the receipts of what just arrived leave in the same push. Bundles to send
are exported into the data folder's ``outbox`` folder (the same files a USB export writes);
each one the hub confirms is removed, so a failed connection loses nothing and a retry is
harmless (the hub stores each bundle once). Files already waiting in the outbox (an
organisation file the agency published there, a push that failed) go first of all: the hub
learns a rotated or newly enrolled key from them before the login. Plain :mod:`urllib`: no
extra dependency on the PCs.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.sync import BUNDLE_SUFFIX, ImportResult, bundle_order

__all__ = ["HubClient", "SyncOutcome", "sync_now"]

_TIMEOUT = 30
#: A PEM file of the certificate authority that signed the hub's certificate, when it is not
#: one the system trusts (an agency's own CA, or the hub's self-signed certificate).
CAFILE_ENV = "KPI_DESKTOP_HUB_CAFILE"


@dataclass
class SyncOutcome:
    """What one "Sync now" did."""

    sent: int = 0
    received: list[ImportResult] = field(default_factory=list)


class HubClient:
    """A small client of the hub's HTTP API."""

    def __init__(self, url: str, *, cafile: str | None = None) -> None:
        self.url = url.rstrip("/")
        self._token: str | None = None
        cafile = cafile or os.environ.get(CAFILE_ENV) or None
        self._context = ssl.create_default_context(cafile=cafile) if cafile else None

    def _request(self, method: str, path: str, body: bytes | None = None,
                 content_type: str = "application/json") -> tuple[int, bytes]:
        headers = {"Content-Type": content_type}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT,  # noqa: S310
                                        context=self._context) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                detail = json.loads(payload).get("message", "")
            except ValueError:
                detail = payload[:200].decode("utf-8", "replace")
            raise RefusedValue("hub_refused", detail=detail or str(error.code)) from None
        except (urllib.error.URLError, OSError) as error:
            raise RefusedValue("hub_unreachable", url=self.url, detail=str(error)) from None

    def _json(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        return json.loads(self._request(method, path, data)[1])

    def upload(self, data: bytes) -> str:
        """Send one bundle; returns "stored" or "already"."""
        _status, body = self._request("POST", "/bundles", data, "application/octet-stream")
        return str(json.loads(body)["status"])

    def login(self, owner: str, sign: Any) -> None:
        """Authenticate as ``owner`` with ``sign(bytes) -> signature``."""
        challenge = self._json("POST", "/login/challenge", {"owner": owner})["challenge"]
        signature = base64.b64encode(sign(challenge.encode())).decode()
        self._token = self._json("POST", "/login", {"challenge": challenge,
                                                    "signature": signature})["token"]

    def inbox(self) -> list[dict[str, Any]]:
        """The bundles the hub holds for the logged-in owner."""
        return list(self._json("GET", "/inbox")["bundles"])

    def download(self, bundle_id: str) -> bytes:
        """One bundle's bytes."""
        return self._request("GET", f"/bundles/{bundle_id}")[1]


def sync_now(services: Any, url: str, owner: str) -> SyncOutcome:
    """Fetch what the hub holds for the owner (the newest organisation file first, then the
    bundles addressed to them), then export the owner's outbox and send it to the hub.

    The owner's key must be unlocked (it signs the bundles and the hub login).
    """
    key = services.keys.require(owner)
    outbox = Path(services.paths.data_dir) / "outbox"
    client = HubClient(url)
    outcome = SyncOutcome()
    outcome.sent += _push_waiting(client, outbox)
    client.login(owner, key.sign)
    for line, data in _fetch(services, client):
        outcome.received.append(services.sync.import_bytes(
            data, source=f"{url}/bundles/{line['bundle_id']}"))
    services.sync.export(owner, outbox)
    outcome.sent += _push_waiting(client, outbox)
    return outcome


def _push_waiting(client: HubClient, outbox: Path) -> int:
    """Send every bundle file in ``outbox`` (organisation files first); each one the hub
    confirms is removed. Returns how many were sent."""
    files = sorted(outbox.glob(f"*{BUNDLE_SUFFIX}"),
                   key=lambda p: bundle_order(p.name))
    for path in files:
        client.upload(path.read_bytes())
        path.unlink()
    return len(files)


def _fetch(services: Any, client: HubClient) -> Iterator[tuple[dict[str, Any], bytes]]:
    """The bundles to import, in order: the newest organisation file newer than this PC's
    (older ones are history this PC does not need), then the rest not yet imported."""
    with services.db.unit_of_work(read_only=True) as uow:
        known = {line.bundle_id for line in uow.sync.bundle_history(limit=100000)}
        organisations = uow.org.list_organisations()
    current = organisations[0].org_version if organisations else 0
    lines = [line for line in client.inbox() if line["bundle_id"] not in known]
    newer = [line for line in lines
             if line["kind"] == "organisation" and int(line["seq"]) > current]
    order = [max(newer, key=lambda line: int(line["seq"]))] if newer else []
    order += [line for line in lines if line["kind"] != "organisation"]
    for line in order:  # one download at a time: each is imported before the next
        yield line, client.download(str(line["bundle_id"]))
