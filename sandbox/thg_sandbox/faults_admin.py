"""`/_sandbox/fault-plans`: register, read back and delete fault plans over HTTP (local callers
only; the sandbox binds 127.0.0.1 anyway). Plain JSON in and out, JSON:API errors.

    POST   /_sandbox/fault-plans        {"id"?: "...", "operations": {"<op>": [<fault>, ...]}}
    GET    /_sandbox/fault-plans/<id>   {"id", "remaining": {...}, "consumed": [...]}
    DELETE /_sandbox/fault-plans/<id>   204
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .auth import read_limited
from .errors import ApiError, bad_request, field_error, forbidden, not_found
from .faults import FaultPlanError, FaultPlans

PLANS_PATH = "/_sandbox/fault-plans"
MAX_BODY = 256 * 1024


def require_local(request: Request) -> None:
    host = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local:
        raise forbidden("Fault plans are managed from this machine only.")


async def _create(plans: FaultPlans, request: Request) -> Response:
    require_local(request)
    raw = await read_limited(request, MAX_BODY)
    if raw is None:
        raise ApiError.one(413, "RequestTooLarge", f"The body is larger than {MAX_BODY} bytes.")
    try:
        body: Any = json.loads(raw)
    except ValueError:
        raise bad_request("MalformedJson", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("MalformedRequest", "The request body must be a JSON object.")
    plan_id = body.get("id")
    try:
        if plan_id is not None and not isinstance(plan_id, str):
            raise FaultPlanError("id", "id must be a string")
        plan = plans.create(body.get("operations") or {}, plan_id)
    except FaultPlanError as exc:
        status = 409 if "exists already" in exc.detail else 422
        if status == 409:
            raise ApiError.one(409, "Conflict", exc.detail) from None
        raise ApiError(422, [field_error("/" + exc.where, exc.detail)]) from None
    return JSONResponse(plan.to_json(), status_code=201)


def fault_plan_routes(plans: FaultPlans) -> list[BaseRoute]:
    async def collection(request: Request) -> Response:
        return await _create(plans, request)

    async def item(request: Request) -> Response:
        require_local(request)
        plan_id = str(request.path_params["plan_id"])
        if request.method == "DELETE":
            if not plans.delete(plan_id):
                raise not_found("No such fault plan.")
            return Response(status_code=204)
        found = plans.get(plan_id)
        if found is None:
            raise not_found("No such fault plan.")
        return JSONResponse(found)

    return [
        Route(PLANS_PATH, collection, methods=["POST"]),
        Route(PLANS_PATH + "/{plan_id}", item, methods=["GET", "DELETE"]),
    ]
