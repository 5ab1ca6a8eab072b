""""Sync now": fetch what the agency hub holds for this PC, then send the outbox.

Organisation files waiting in the data folder's ``outbox`` (the agency published them there)
go first of all, so the hub learns a rotated or newly enrolled key before the login. Then the
PC logs in and fetches, the newest organisation file before anything else, so a PC whose
key only the newest organisation file publishes can sync, and the receipts of what just
arrived leave in the same push. Then the other waiting files and a fresh export are sent;
each one the hub confirms is removed, so a failed connection loses nothing and a retry is
harmless (the hub stores each bundle once). A file the hub refuses never blocks the rest: it
moves to ``outbox/refused`` with the hub's message beside it (``<name>.txt``), and the next
files go on. Plain :mod:`urllib`: no extra dependency on the PCs.
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
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.sync import BUNDLE_SUFFIX, ImportResult, bundle_order

__all__ = ["HubClient", "SyncOutcome", "describe_set_aside", "sync_now"]

_TIMEOUT = 30
# A PEM file of the certificate authority that signed the hub's certificate, when it is not
# one the system trusts (an agency's own CA, or the hub's self-signed certificate).
CAFILE_ENV = "KPI_DESKTOP_HUB_CAFILE"


@dataclass
class SyncOutcome:
    """What one "Sync now" did."""

    sent: int = 0
    received: list[ImportResult] = field(default_factory=list)
    refused: list[tuple[str, RefusedValue]] = field(default_factory=list)  # (file, why)


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
            raise _refusal(error) from None
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


# Answers that say "not now" rather than "not this bundle": the push stops and the
# bundle stays in the outbox for the next sync.
_NOT_NOW = {429: "hub_quota_exceeded", 503: "hub_busy"}


def _refusal(error: urllib.error.HTTPError) -> RefusedValue:
    """The hub's answer as a refusal said in this PC's language when the hub's code is known
    (``hub_quota_exceeded`` and ``hub_busy`` as themselves; any other as ``hub_refused``
    with the reason in ``detail``)."""
    from kpi_desktop.services.messages import describe, is_known

    try:
        payload = json.loads(error.read(65536) or b"{}")
    except (ValueError, OSError):
        payload = {}
    payload = payload if isinstance(payload, dict) else {}
    code = payload.get("code") if isinstance(payload.get("code"), str) else None
    params = payload.get("params") if isinstance(payload.get("params"), dict) else {}
    params = {str(k): v for k, v in params.items() if isinstance(v, str | int | float | bool)}
    if error.code in _NOT_NOW:
        if code != _NOT_NOW[error.code]:  # e.g. the server's own connection limit
            code = "hub_busy"
            params = {"seconds": _retry_after(error)}
        return RefusedValue(code, **params)
    if code == "hub_refused" and isinstance(params.get("detail"), str):
        detail = params["detail"]
    elif code and is_known(code) and "params" in payload:
        detail = describe(RefusedValue(code, **params))
    else:
        message = payload.get("message")
        detail = message if isinstance(message, str) and message else str(error.code)
    return RefusedValue("hub_refused", detail=detail[:500], hub_code=code or "")


def _retry_after(error: urllib.error.HTTPError) -> int:
    try:
        return max(1, min(3600, int(error.headers.get("Retry-After", "60"))))
    except (TypeError, ValueError):
        return 60


def sync_now(services: Any, url: str, owner: str) -> SyncOutcome:
    """Fetch what the hub holds for the owner (the newest organisation file first, then the
    bundles addressed to them), then export the owner's outbox and send it to the hub.

    The owner's key must be unlocked (it signs the bundles and the hub login).
    """
    key = services.keys.require(owner)
    outbox = Path(services.paths.data_dir) / "outbox"
    client = HubClient(url)
    outcome = SyncOutcome()
    _push_waiting(client, outbox, outcome, organisation_only=True)
    client.login(owner, key.sign)
    for line, data in _fetch(services, client):
        outcome.received.append(services.sync.import_bytes(
            data, source=f"{url}/bundles/{line['bundle_id']}"))
    _push_waiting(client, outbox, outcome)
    services.sync.export(owner, outbox)
    _push_waiting(client, outbox, outcome)
    return outcome


def _push_waiting(client: HubClient, outbox: Path, outcome: SyncOutcome, *,
                  organisation_only: bool = False) -> None:
    """Send the bundle files in ``outbox`` (organisation files first); each one the hub
    confirms is removed, each one it refuses moves to ``outbox/refused`` with its message.
    A hub out of reach stops the push (``hub_unreachable``): nothing is lost."""
    files = sorted(outbox.glob(f"*{BUNDLE_SUFFIX}"), key=lambda p: bundle_order(p.name))
    for path in files:
        if organisation_only and bundle_order(path.name)[0] != 0:
            continue
        try:
            client.upload(path.read_bytes())
        except RefusedValue as error:
            if error.code != "hub_refused":
                raise
            _set_aside(path, error)
            outcome.refused.append((path.name, error))
            continue
        path.unlink()
        outcome.sent += 1


def describe_set_aside(name: str, error: RefusedValue) -> str:
    """A line about a file the hub refused (set aside in ``outbox/refused``)."""
    from kpi_desktop.services.messages import describe

    return translate("Sync", "{name}: refused by the hub and set aside in outbox/refused "
                             "(the other files went on). {reason}").format(
        name=name, reason=describe(error))


def _set_aside(path: Path, error: RefusedValue) -> None:
    """Move a file the hub refused to ``refused/`` beside it, with the hub's message."""
    folder = path.parent / "refused"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{path.name}.txt").write_text(str(error.params.get("detail", error.code)),
                                            encoding="utf-8")
    path.replace(folder / path.name)


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
