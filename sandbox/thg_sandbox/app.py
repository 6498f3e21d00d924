"""The sandbox as one object (`Sandbox`) and its ASGI application.

`Sandbox` holds everything a request needs: config, products, database, service, token issuer.
Extensions (events, documents, fault modes, the behaviours) are callables that receive the
`Sandbox`, register hooks or rules on `sandbox.service`, and return extra routes, which are
mounted before the generic entity routes.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thg_spec import Product

from .auth import TokenIssuer
from .clock import Clock, SystemClock
from .config import SandboxConfig
from .endpoints import Api, entity_routes
from .errors import ApiError, ErrorObject, errors_document
from .faults import FaultLayer, FaultPlans
from .faults_admin import fault_plan_routes
from .service import Service
from .spec_documents import spec_routes
from .store import Database

log = logging.getLogger("thg_sandbox")

Extension = Callable[["Sandbox"], Sequence[BaseRoute]]


class Sandbox:
    def __init__(
        self,
        products: Sequence[Product],
        config: SandboxConfig,
        db_path: Path | None,
        clock: Clock | None = None,
    ) -> None:
        self.products = list(products)
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.db = Database(db_path)
        self.db.store_directory(config)
        self.service = Service(self.db, self.products, config, self.clock)
        self.issuer = TokenIssuer(
            config, self.db.signing_key(), lambda: math.floor(self.clock.now().timestamp())
        )
        audiences = frozenset(p.base_url.rstrip("/") for p in self.products if p.base_url)
        self.api = Api(self.service, self.issuer, audiences)
        self.faults = FaultPlans(self.products, self.clock)  # inert until a request names a plan
        # Where it is served ("http://127.0.0.1:8123"), set by whoever serves it: the root of
        # the links in events, which no request carries ("" until then: events carry none).
        self.public_url = ""

    def close(self) -> None:
        self.db.close()


class RequestGuard:
    """Outermost layer of our own: every response gets an `X-Request-Id`, and anything that
    escapes the handlers becomes a JSON:API 500 instead of a stack trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error in request %s", request_id)
            if started:
                raise  # too late for a clean answer; the server closes the connection
            body = errors_document(
                [
                    ErrorObject(
                        500, "InternalServerError", f"Unexpected error; request {request_id}."
                    )
                ]
            )
            response = JSONResponse(body, status_code=500)
            await response(scope, receive, send_with_id)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.document(), status_code=exc.status, headers=exc.headers)


def _allowed_methods(request: Request) -> str:
    """Every method some route serves on this path. An extension's route (the documents' or
    subscriptions' POST) sits before the generic one (their GET) on the same path, and Starlette
    would name only the first route's methods."""
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):
            methods |= route.methods
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        error = ErrorObject(
            405, "MethodNotAllowed", f"{request.method} is not allowed on this path."
        )
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    elif exc.status_code == 404:
        error = ErrorObject(404, "NotFound", "No such path.")
    else:
        error = ErrorObject(exc.status_code, "HttpError", str(exc.detail))
    return JSONResponse(errors_document([error]), status_code=exc.status_code, headers=headers)


def create_app(sandbox: Sandbox, extensions: Sequence[Extension] = ()) -> Starlette:
    routes: list[BaseRoute] = [Route("/oauth/token", sandbox.issuer.endpoint, methods=["POST"])]
    routes.extend(fault_plan_routes(sandbox.faults))
    routes.extend(spec_routes(sandbox.products))
    for extension in extensions:
        routes.extend(extension(sandbox))
    for product in sandbox.products:
        routes.extend(entity_routes(sandbox.api, product))
    app = Starlette(
        routes=routes,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.add_middleware(FaultLayer, plans=sandbox.faults)  # inside the guard: faults get request ids
    app.add_middleware(RequestGuard)
    return app
