"""Fault plans for reliability tests: per operation, an ordered list of faults to inject.

A plan is registered (over HTTP at `/_sandbox/fault-plans`, see `faults_admin`, or in Python
with `sandbox.faults.create(...)`) and applies only to requests that name it in the
`X-Sandbox-Fault-Plan` header, so tests sharing one sandbox do not disturb each other. Each
matching request consumes the next fault queued for its operation (by operationId, by
`METHOD /path/{template}`, or `*` for any operation); the plan records what was consumed.

Operations: every operation of the specs, `requestToken` (the token endpoint) and
`uploadDocumentFile` (the presigned upload). Faults: `latency` (wait, then answer normally),
`429` (with Retry-After), `500`, `503`, `reset` (the connection is closed before any response
byte) and `drop-response` (the request is processed, e.g. a poll claims its events, but the
response is lost with the connection).
Error faults answer JSON:API error documents like every other error.
"""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from thg_spec import Product

from .clock import Clock
from .errors import ErrorObject, errors_document

FAULT_HEADER = "x-sandbox-fault-plan"
ABORT_EXTENSION = "thg.sandbox.abort"  # scope["extensions"] key: closes the connection at once
# Beside the specs' entity operations: the token endpoint (its operationId in every spec) and
# the presigned document upload, which no spec lists as an operation of its own.
EXTRA_OPERATIONS = (
    ("POST", "/oauth/token", "requestToken"),
    ("POST", "/uploads/documents/{owner}/{documentId}", "uploadDocumentFile"),
)
ANY_OPERATION = "*"
KINDS = ("latency", "429", "500", "503", "reset", "drop-response")
MAX_LATENCY = 60.0
_NUMBER_MEMBER = {"latency": "seconds", "429": "retryAfter", "503": "retryAfter"}
MAX_FAULTS = 1000
PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,99}")
_PARAM = re.compile(r"\{[^{}/]+\}")


class FaultPlanError(ValueError):
    """A plan that cannot be registered; `where` names the offending member."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(detail)
        self.where = where
        self.detail = detail


@dataclass(frozen=True)
class Fault:
    kind: str
    seconds: float | None = None  # latency's delay; Retry-After of a 429 or 503

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        return cls("latency", seconds)

    @classmethod
    def too_many_requests(cls, retry_after: float = 1) -> Fault:
        return cls("429", retry_after)

    @classmethod
    def server_error(cls) -> Fault:
        return cls("500")

    @classmethod
    def unavailable(cls, retry_after: float | None = None) -> Fault:
        return cls("503", retry_after)

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")

    @classmethod
    def drop_response(cls) -> Fault:
        return cls("drop-response")

    @classmethod
    def from_json(cls, raw: Any, where: str) -> Fault:
        if isinstance(raw, Fault):
            return raw
        if not isinstance(raw, Mapping):
            raise FaultPlanError(where, 'a fault is an object such as {"fault": "503"}')
        kind = str(raw.get("fault", ""))
        if kind not in KINDS:
            raise FaultPlanError(where + "/fault", "fault must be one of " + ", ".join(KINDS))
        name = _NUMBER_MEMBER.get(kind)
        extra = set(raw) - {"fault"} - ({name} if name else set())
        if extra:
            raise FaultPlanError(where, f"a {kind} fault takes no {', '.join(sorted(extra))}")
        value = raw.get(name) if name else None
        if kind == "latency" and value is None:
            raise FaultPlanError(where + "/seconds", "a latency fault needs seconds")
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise FaultPlanError(f"{where}/{name}", f"{name} must be a number")
            if not 0 <= value <= MAX_LATENCY:
                raise FaultPlanError(f"{where}/{name}", f"{name} must be from 0 to {MAX_LATENCY}")
        if kind == "429" and value is None:
            value = 1
        return cls(kind, None if value is None else float(value))

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"fault": self.kind}
        if self.seconds is not None:
            found["seconds" if self.kind == "latency" else "retryAfter"] = self.seconds
        return found


@dataclass(frozen=True)
class Consumed:
    operation: str
    method: str
    path: str
    fault: Fault
    at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "fault": self.fault.to_json(),
            "at": self.at,
        }


@dataclass
class FaultPlan:
    id: str
    queues: dict[str, deque[Fault]]
    consumed: list[Consumed] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "remaining": {k: [f.to_json() for f in q] for k, q in self.queues.items()},
            "consumed": [c.to_json() for c in self.consumed],
        }


@dataclass(frozen=True)
class _Operation:
    method: str
    pattern: re.Pattern[str]
    operation_id: str
    template: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


class FaultPlans:
    """Every registered plan; safe to use from test threads while the server runs."""

    def __init__(self, products: Iterable[Product], clock: Clock) -> None:
        self.clock = clock
        self._operations = _compile(products)
        self._known = {o.operation_id for o in self._operations} | {o.key for o in self._operations}
        self._plans: dict[str, FaultPlan] = {}
        self._lock = threading.Lock()

    def create(
        self, operations: Mapping[str, Sequence[Any]], plan_id: str | None = None
    ) -> FaultPlan:
        """Register a plan: operation key -> faults (`Fault`s or their JSON form)."""
        if plan_id is not None and not PLAN_ID.fullmatch(plan_id):
            raise FaultPlanError("id", "id must match [A-Za-z0-9][A-Za-z0-9._~-]{0,99}")
        if not isinstance(operations, Mapping) or not operations:
            raise FaultPlanError("operations", "operations must map operations to fault lists")
        queues: dict[str, deque[Fault]] = {}
        total = 0
        for key, faults in operations.items():
            where = f"operations/{key}"
            if key != ANY_OPERATION and key not in self._known:
                raise FaultPlanError(
                    where, f"{key!r} is no operationId nor 'METHOD /path/{{template}}' of the specs"
                )
            if isinstance(faults, (str, bytes)) or not isinstance(faults, Sequence):
                raise FaultPlanError(where, "the faults of an operation are a list")
            total += len(faults)
            if total > MAX_FAULTS:
                raise FaultPlanError("operations", f"at most {MAX_FAULTS} faults per plan")
            queues[key] = deque(Fault.from_json(f, f"{where}/{i}") for i, f in enumerate(faults))
        plan = FaultPlan(plan_id or str(uuid.uuid4()), queues)
        with self._lock:
            if plan.id in self._plans:
                raise FaultPlanError("id", f"a fault plan {plan.id!r} exists already")
            self._plans[plan.id] = plan
        return plan

    def get(self, plan_id: str) -> dict[str, Any] | None:
        """A snapshot of the plan (remaining and consumed faults) as JSON."""
        with self._lock:
            plan = self._plans.get(plan_id)
            return None if plan is None else plan.to_json()

    def consumed(self, plan_id: str) -> list[Consumed]:
        with self._lock:
            plan = self._plans.get(plan_id)
            return [] if plan is None else list(plan.consumed)

    def delete(self, plan_id: str) -> bool:
        with self._lock:
            return self._plans.pop(plan_id, None) is not None

    def exists(self, plan_id: str) -> bool:
        with self._lock:
            return plan_id in self._plans

    def operation_of(self, method: str, path: str) -> _Operation | None:
        method = "GET" if method == "HEAD" else method
        return next(
            (o for o in self._operations if o.method == method and o.pattern.fullmatch(path)),
            None,
        )

    def take(self, plan_id: str, method: str, path: str) -> Fault | None:
        """The next fault of the plan for this request, marked consumed; None: answer normally."""
        operation = self.operation_of(method, path)
        if operation is None:
            return None
        with self._lock:
            plan = self._plans.get(plan_id)
            if plan is None:
                return None
            for key in (operation.operation_id, operation.key, ANY_OPERATION):
                queue = plan.queues.get(key)
                if queue:
                    fault = queue.popleft()
                    at = self.clock.now().isoformat()
                    plan.consumed.append(Consumed(operation.operation_id, method, path, fault, at))
                    return fault
        return None


def _compile(products: Iterable[Product]) -> list[_Operation]:
    found: dict[tuple[str, str], _Operation] = {}
    every = [(m, p, o) for m, p, o in EXTRA_OPERATIONS]
    for product in products:
        for entity in product.entities:
            every.extend((op.method.upper(), op.path, op.operation_id) for op in entity.operations)
    for method, path, op_id in every:
        if (method, path) not in found:
            pattern = "[^/]+".join(re.escape(part) for part in _PARAM.split(path))
            found[(method, path)] = _Operation(method, re.compile(pattern), op_id, path)
    # Fewer parameters first, so `/x/{id}` never shadows a literal `/x/special`.
    return sorted(found.values(), key=lambda o: o.template.count("{"))


def _error(status: int, code: str, detail: str, retry_after: float | None) -> JSONResponse:
    headers = {} if retry_after is None else {"Retry-After": str(int(round(retry_after)))}
    body = errors_document([ErrorObject(status, code, detail)])
    return JSONResponse(body, status_code=status, headers=headers)


_ERRORS = {
    "429": (429, "TooManyRequests", "Rate limited (fault plan); retry after Retry-After."),
    "500": (500, "InternalServerError", "Unexpected error (fault plan)."),
    "503": (503, "ServiceUnavailable", "The service is unavailable (fault plan)."),
}


class _ConnectionDropped(Exception):
    """Raised after a started response when the server gives no way to close the connection."""


async def _abort(scope: Scope, send: Send) -> None:
    abort = scope.get("extensions", {}).get(ABORT_EXTENSION)
    if callable(abort):
        abort()
        # Let the server see the connection lost before the app returns, so it does not try
        # to answer on it.
        for _ in range(3):
            await asyncio.sleep(0)
        return
    # Another server: promise a body, then fail, so the server has to cut the connection.
    await send(
        {"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"1024")]}
    )
    raise _ConnectionDropped("connection dropped by a fault plan")


class FaultLayer:
    """ASGI middleware: requests naming a plan get that plan's next fault for their operation."""

    def __init__(self, app: ASGIApp, plans: FaultPlans) -> None:
        self.app = app
        self.plans = plans

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        plan_id = _header(scope, FAULT_HEADER)
        if plan_id is None:
            await self.app(scope, receive, send)
            return
        if not self.plans.exists(plan_id):
            response = _error(400, "UnknownFaultPlan", f"No fault plan {plan_id!r}.", None)
            await response(scope, receive, send)
            return
        fault = self.plans.take(plan_id, scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.kind == "latency":
            await asyncio.sleep(fault.seconds or 0.0)
            await self.app(scope, receive, send)
        elif fault.kind in _ERRORS:
            status, code, detail = _ERRORS[fault.kind]
            await _error(status, code, detail, fault.seconds)(scope, receive, send)
        elif fault.kind == "reset":
            await _abort(scope, send)
        else:  # drop-response: do the work, lose the answer

            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await _abort(scope, send)


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            text: str = value.decode("latin-1").strip()
            return text
    return None


class AbortableH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a way for the app to close its connection at once (the
    `reset` and `drop-response` faults) instead of uvicorn answering a 500."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        app = self.app

        async def with_abort(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[ABORT_EXTENSION] = transport.abort
            await app(scope, receive, send)

        self.app = with_abort


__all__ = [
    "AbortableH11Protocol",
    "FAULT_HEADER",
    "Fault",
    "FaultLayer",
    "FaultPlan",
    "FaultPlanError",
    "FaultPlans",
]
