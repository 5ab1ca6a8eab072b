"""``kpi-desktop hub serve``: the agency hub over HTTP or HTTPS (Starlette + Uvicorn, extra
``[hub]``).

Endpoints (JSON unless said otherwise; errors are ``{"code", "message"}`` with status 400,
401, 409, 413, 429 or 503):

* ``POST /bundles`` — body: a bundle file. Verified on arrival, stored once. → ``{"status",
  "bundle_id"}`` (201 stored, 200 already there).
* ``POST /login/challenge`` — ``{"owner"}`` → ``{"challenge"}``;
  ``POST /login`` — ``{"challenge", "signature"}`` (base64 Ed25519 over the challenge by the
  owner's current key) → ``{"token"}``.
* ``GET /inbox`` (``Authorization: Bearer <token>``) → ``{"bundles": [{bundle_id, kind, sender,
  seq, size}]}``; ``GET /bundles/{id}`` → the bundle bytes (``application/octet-stream``).
* ``GET /health`` → ``{"status": "ok"}``.

Limits (:class:`ServerLimits`): every body is read as a stream against a running limit,
whether or not it declares its length (a bundle at most 64 MB, spooled to a temporary file
above 1 MB; a JSON body at most 4 KB); a body that stalls for 30 s is dropped; bundles being
received or waiting to be verified hold at most 256 MB together (more waits for a "busy,
retry" answer); the headers a request may carry are bounded by Uvicorn (16 KB), and at most
:attr:`ServerLimits.connections` requests are served at once. Login challenges, tokens and the
per-sender daily quota are :class:`~kpi_desktop.services.hub.HubService`'s.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kpi_desktop.domain.errors import KpiError, RefusedValue
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.hub import HubService

__all__ = ["MAX_UPLOAD", "ServerLimits", "create_app", "serve"]

MAX_UPLOAD = 64 * 1024 * 1024

_STATUS = {
    "bundle_id_conflict": 409,
    "hub_refused": 401,
    "hub_request_too_large": 413,
    "hub_busy": 503,
    "hub_quota_exceeded": 429,
    "hub_request_stalled": 408,
}


@dataclass(frozen=True)
class ServerLimits:
    """What one request, and all of them together, may cost the hub."""

    max_upload: int = MAX_UPLOAD
    max_json: int = 4096
    spool_above: int = 1024 * 1024
    upload_budget: int = 256 * 1024 * 1024
    idle_seconds: float = 30.0
    connections: int = 1000


class _Budget:
    """Bytes of bundles held by the hub at once (received, or waiting for verification).
    Only the event loop thread touches it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.used = 0

    def take(self, size: int) -> bool:
        if self.used + size > self.total:
            return False
        self.used += size
        return True

    def give(self, size: int) -> None:
        self.used -= size


def _error(error: KpiError) -> JSONResponse:
    from kpi_desktop.services.messages import describe

    status = _STATUS.get(error.code, 400)
    headers = {"Retry-After": str(error.params.get("seconds", 60))} if status in (429, 503) \
        else None
    # The plain parameters too, so that a PC can say it in its own language.
    params = {key: value for key, value in error.params.items()
              if isinstance(value, str | int | float | bool) and len(str(value)) <= 200}
    return JSONResponse({"code": error.code, "message": describe(error), "params": params},
                        status_code=status, headers=headers)


def _token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if len(header) > 128:
        return ""
    return header.removeprefix("Bearer ").strip()


async def _chunks(request: Request, idle: float) -> Any:
    """The body's chunks; a body that sends nothing for ``idle`` seconds is dropped."""
    stream = request.stream()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), idle)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise RefusedValue("hub_request_stalled") from None
        if chunk:
            yield chunk


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise RefusedValue("hub_field_invalid", field="Content-Length") from None


async def _read_small(request: Request, limit: int, idle: float) -> bytes:
    """A short body (JSON), never more than ``limit`` bytes in memory."""
    declared = _declared_length(request)
    if declared is not None and declared > limit:
        raise RefusedValue("hub_request_too_large", limit=limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in _chunks(request, idle):
        size += len(chunk)
        if size > limit:
            raise RefusedValue("hub_request_too_large", limit=limit)
        parts.append(chunk)
    return b"".join(parts)


async def _json(request: Request, limits: ServerLimits) -> dict[str, Any]:
    body = await _read_small(request, limits.max_json, limits.idle_seconds)
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise RefusedValue("hub_field_invalid", field="body") from None
    if not isinstance(value, dict):
        raise RefusedValue("hub_field_invalid", field="body")
    return value


def create_app(hub: HubService, limits: ServerLimits | None = None) -> Starlette:
    """The hub's web application."""
    limits = limits or ServerLimits()
    budget = _Budget(limits.upload_budget)
    # Bundles are verified one at a time (HubService holds a lock): the threads that wait
    # for it are few, so sign-ins and inboxes always find a thread.
    verifying = anyio.CapacityLimiter(2)

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def upload(request: Request) -> Response:
        held = 0
        try:
            declared = _declared_length(request)
            if declared is not None and declared > limits.max_upload:
                raise RefusedValue("hub_request_too_large", limit=limits.max_upload)
            with tempfile.SpooledTemporaryFile(max_size=limits.spool_above) as spool:
                async for chunk in _chunks(request, limits.idle_seconds):
                    if held + len(chunk) > limits.max_upload:
                        raise RefusedValue("hub_request_too_large", limit=limits.max_upload)
                    if not budget.take(len(chunk)):
                        raise RefusedValue("hub_busy", seconds=30)
                    held += len(chunk)
                    spool.write(chunk)
                spool.seek(0)
                data = spool.read()
            status, line = await anyio.to_thread.run_sync(hub.receive, data,
                                                          limiter=verifying)
        except KpiError as error:
            return _error(error)
        except ClientDisconnect:
            return Response(status_code=400)
        finally:
            budget.give(held)
        return JSONResponse({"status": status, "bundle_id": line.bundle_id},
                            status_code=201 if status == "stored" else 200)

    async def challenge(request: Request) -> Response:
        try:
            body = await _json(request, limits)
            address = request.client.host if request.client else ""
            value = hub.challenge(body.get("owner"), address)  # type: ignore[arg-type]
        except KpiError as error:
            return _error(error)
        except ClientDisconnect:
            return Response(status_code=400)
        return JSONResponse({"challenge": value})

    async def login(request: Request) -> Response:
        try:
            body = await _json(request, limits)
            token = await run_in_threadpool(hub.login, body.get("challenge"),
                                            body.get("signature"))
        except KpiError as error:
            return _error(error)
        except ClientDisconnect:
            return Response(status_code=400)
        return JSONResponse({"token": token})

    async def inbox(request: Request) -> Response:
        try:
            lines = await run_in_threadpool(hub.inbox, _token(request))
        except KpiError as error:
            return _error(error)
        return JSONResponse({"bundles": [
            {"bundle_id": b.bundle_id, "kind": b.kind, "sender": b.sender_id, "seq": b.seq,
             "size": b.size} for b in lines]})

    async def download(request: Request) -> Response:
        try:
            data = await run_in_threadpool(hub.content, _token(request),
                                           request.path_params["bundle_id"])
        except KpiError as error:
            return _error(error)
        return Response(data, media_type="application/octet-stream")

    return Starlette(routes=[
        Route("/health", health, methods=["GET"]),
        Route("/bundles", upload, methods=["POST"]),
        Route("/bundles/{bundle_id}", download, methods=["GET"]),
        Route("/login/challenge", challenge, methods=["POST"]),
        Route("/login", login, methods=["POST"]),
        Route("/inbox", inbox, methods=["GET"]),
    ])


def _check_tls(certfile: str | None, keyfile: str | None) -> None:
    """Both files or neither, and they must load (before the hub starts listening).

    Raises:
        RefusedValue: ``hub_tls_invalid``.
    """
    if certfile is None and keyfile is None:
        return
    if certfile is None or keyfile is None:
        raise RefusedValue("hub_tls_invalid", path=certfile or keyfile or "",
                           detail="--certfile and --keyfile go together")
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise RefusedValue("hub_tls_invalid", path=certfile, detail=str(exc)[:200]) from None


def serve(services: Any, *, host: str = "127.0.0.1", port: int = 8335,
          db_url: str | None = None, certfile: str | None = None,
          keyfile: str | None = None, forwarded_allow_ips: str | None = None,
          limits: ServerLimits | None = None) -> None:
    """Run the hub until interrupted.

    The data folder's database (set up from the organisation file) says which people and keys
    exist; bundles and their index are stored there too, or in the database at ``db_url``
    (``sqlite:///FILE`` or ``postgresql+psycopg://user:password@host/database``).
    ``certfile``/``keyfile`` (PEM) serve HTTPS; behind a reverse proxy that terminates TLS,
    ``forwarded_allow_ips`` names the proxy, whose ``X-Forwarded-For`` then gives each
    client's address (the per-address limits count real clients, not the proxy).

    Raises:
        RefusedValue: ``hub_tls_invalid`` for certificate files that do not load.
    """
    import uvicorn

    limits = limits or ServerLimits()
    _check_tls(certfile, keyfile)
    if certfile is None and forwarded_allow_ips is None and host not in (
            "127.0.0.1", "localhost", "::1"):
        sys.stderr.write(translate(
            "Cli", "Warning: the hub serves plain HTTP on {host}: sign-in tokens and "
            "organisation files cross the network unencrypted. Give --certfile and --keyfile, "
            "or run it behind a reverse proxy with TLS (README, “For IT staff”).")
            .format(host=host) + "\n")
        sys.stderr.flush()
    store = None
    if db_url is not None:
        from kpi_desktop.services.hub import open_hub_database

        store = open_hub_database(db_url)
    hub = HubService(services.db, services.sync, store)
    options: dict[str, Any] = {}
    if certfile is not None:
        options.update(ssl_certfile=certfile, ssl_keyfile=keyfile)
    if forwarded_allow_ips is not None:
        options.update(proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips)
    else:
        options.update(proxy_headers=False)
    try:
        uvicorn.run(create_app(hub, limits), host=host, port=port, log_level="warning",
                    limit_concurrency=limits.connections, timeout_keep_alive=5, **options)
    finally:
        if store is not None:
            store.close()
