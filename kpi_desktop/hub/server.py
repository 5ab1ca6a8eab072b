"""``kpi-desktop hub serve``: the agency hub over HTTP (Starlette + Uvicorn, extra ``[hub]``).

Endpoints (JSON unless said otherwise; errors are ``{"code", "message"}`` with status 400,
401 or 409):

* ``POST /bundles`` — body: a bundle file. Verified on arrival, stored once. → ``{"status",
  "bundle_id"}`` (201 stored, 200 already there).
* ``POST /login/challenge`` — ``{"owner"}`` → ``{"challenge"}``;
  ``POST /login`` — ``{"challenge", "signature"}`` (base64 Ed25519 over the challenge by the
  owner's current key) → ``{"token"}``.
* ``GET /inbox`` (``Authorization: Bearer <token>``) → ``{"bundles": [{bundle_id, kind, sender,
  seq, size}]}``; ``GET /bundles/{id}`` → the bundle bytes (``application/octet-stream``).
* ``GET /health`` → ``{"status": "ok"}``.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.services.hub import HubService

__all__ = ["create_app", "serve"]

MAX_UPLOAD = 64 * 1024 * 1024


def _error(error: KpiError) -> JSONResponse:
    from kpi_desktop.services.messages import describe

    status = 409 if error.code == "bundle_id_conflict" else \
        401 if error.code == "hub_refused" else 400
    return JSONResponse({"code": error.code, "message": describe(error)}, status_code=status)


def _token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header.removeprefix("Bearer ").strip()


def create_app(hub: HubService) -> Starlette:
    """The hub's web application."""

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def upload(request: Request) -> Response:
        size = int(request.headers.get("content-length") or 0)
        if size > MAX_UPLOAD:
            return JSONResponse({"code": "bundle_too_large", "message": "too large"},
                                status_code=413)
        data = await request.body()
        try:
            status, line = await run_in_threadpool(hub.receive, data)
        except KpiError as error:
            return _error(error)
        return JSONResponse({"status": status, "bundle_id": line.bundle_id},
                            status_code=201 if status == "stored" else 200)

    async def challenge(request: Request) -> Response:
        body = await _json(request)
        owner = body.get("owner") if isinstance(body, dict) else None
        if not isinstance(owner, str) or not owner:
            return JSONResponse({"code": "hub_refused", "message": "owner"}, status_code=400)
        return JSONResponse({"challenge": hub.challenge(owner)})

    async def login(request: Request) -> Response:
        body = await _json(request)
        if not isinstance(body, dict):
            return JSONResponse({"code": "hub_refused", "message": "body"}, status_code=400)
        try:
            token = await run_in_threadpool(hub.login, str(body.get("challenge", "")),
                                            str(body.get("signature", "")))
        except KpiError as error:
            return _error(error)
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


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


def serve(services: Any, *, host: str = "127.0.0.1", port: int = 8335,
          db_url: str | None = None) -> None:
    """Run the hub until interrupted.

    The data folder's database (set up from the organisation file) says which people and keys
    exist; bundles and their index are stored there too, or in the database at ``db_url``
    (``sqlite:///FILE`` or ``postgresql+psycopg://user:password@host/database``).
    """
    import uvicorn

    store = None
    if db_url is not None:
        from kpi_desktop.services.hub import open_hub_database

        store = open_hub_database(db_url)
    hub = HubService(services.db, services.sync, store)
    try:
        uvicorn.run(create_app(hub), host=host, port=port, log_level="warning")
    finally:
        if store is not None:
            store.close()
