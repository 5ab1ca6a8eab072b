""""Sync now": send the outbox to the agency hub and fetch what is addressed to this PC.

Bundles to send are exported into the data folder's ``outbox`` folder first (the same files a
USB export writes); each one the hub confirms is removed, so a failed connection loses nothing
and a retry is harmless (the hub stores each bundle once). Plain :mod:`urllib`: no extra
dependency on the PCs.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.services.sync import BUNDLE_SUFFIX, ImportResult

__all__ = ["HubClient", "SyncOutcome", "sync_now"]

_TIMEOUT = 30


@dataclass
class SyncOutcome:
    """What one "Sync now" did."""

    sent: int = 0
    received: list[ImportResult] = field(default_factory=list)


class HubClient:
    """A small client of the hub's HTTP API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._token: str | None = None

    def _request(self, method: str, path: str, body: bytes | None = None,
                 content_type: str = "application/json") -> tuple[int, bytes]:
        headers = {"Content-Type": content_type}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310
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
    """Export the owner's outbox, send it to the hub, and import what the hub holds for them.

    The owner's key must be unlocked (it signs the bundles and the hub login).
    """
    key = services.keys.require(owner)
    outbox = Path(services.paths.data_dir) / "outbox"
    services.sync.export(owner, outbox)
    client = HubClient(url)
    outcome = SyncOutcome()
    for path in sorted(outbox.glob(f"*{BUNDLE_SUFFIX}")):
        client.upload(path.read_bytes())
        path.unlink()
        outcome.sent += 1
    client.login(owner, key.sign)
    with services.db.unit_of_work(read_only=True) as uow:
        known = {line.bundle_id for line in uow.sync.bundle_history(limit=100000)}
    for line in client.inbox():
        if line["bundle_id"] in known:
            continue
        data = client.download(str(line["bundle_id"]))
        outcome.received.append(services.sync.import_bytes(
            data, source=f"{url}/bundles/{line['bundle_id']}"))
    if any(r.status == "imported" for r in outcome.received):
        # Acknowledge at once what just arrived (receipts ride in the next bundles).
        for result in services.sync.export(owner, outbox):
            client.upload(result.path.read_bytes())
            result.path.unlink()
            outcome.sent += 1
    return outcome
