"""HTTP endpoints for every entity of every product, built from the model (no per-product code).

Each endpoint: authenticate, read the path, hand over to the `Service` in a worker thread (the
database lock must never block the event loop), render a JSON:API document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from thg_spec import Entity, Product

from . import jsonapi
from .access import Caller
from .actions import generic_action
from .auth import TokenIssuer, read_limited
from .config import SLUG
from .errors import ApiError, bad_request, not_found
from .links import LinkBuilder
from .service import ID_PATTERN, Service, Target, declared_values
from .store import Resource
from .validation import read_request_document

MAX_BODY = 1024 * 1024
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_NUMBER = 1_000_000

Endpoint = Callable[[Request], Awaitable[Response]]


def json_response(document: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(document, status_code=status, media_type="application/json")


class Api:
    """Shared by every endpoint: the service, token checks and the accepted audiences."""

    def __init__(self, service: Service, issuer: TokenIssuer, audiences: frozenset[str]) -> None:
        self.service = service
        self.issuer = issuer
        self.audiences = audiences

    def caller(self, request: Request) -> Caller:
        return self.issuer.authenticate(request, self.audiences)

    def target(self, request: Request, product: Product, entity: Entity, *, item: bool) -> Target:
        params = request.path_params
        owner = str(params.get(entity.owner_param or "owner", ""))
        if not SLUG.fullmatch(owner):
            raise not_found()
        ancestors: list[str] = []
        for depth in range(1, len(entity.name)):
            ancestors.append(_id(params.get(product.entity(entity.name[:depth]).id_param)))
        item_id = _id(params.get(entity.id_param)) if item else None
        return Target(product, entity, owner, tuple(ancestors), item_id)

    def document(
        self, request: Request, product: Product, entity: Entity, res: Resource
    ) -> dict[str, Any]:
        """The JSON:API document of one resource of `entity`, with its links."""
        return jsonapi.single(res, links_for(request).resource(product, entity, res))

    async def body(self, request: Request, entity: Entity) -> dict[str, Any]:
        raw = await read_limited(request, MAX_BODY)
        if raw is None:
            raise ApiError.one(413, "RequestTooLarge", f"The body is larger than {MAX_BODY} bytes.")
        return read_request_document(raw, entity.type_string)


def links_for(request: Request) -> LinkBuilder:
    """Links on the sandbox's own URL as this request reached it."""
    return LinkBuilder(str(request.base_url).rstrip("/"))


def create_status(entity: Entity) -> int:
    """The success status the spec declares for `entity`'s create: the platform's creates
    answer 200 (S2, S3), the annotated specs' have said 201; both are honoured, and a client
    accepts either (CONVENTIONS §6, §16)."""
    op = entity.operation("create")
    return op.success_status if op is not None and op.success_status in (200, 201) else 201


def _id(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise not_found()
    return value


def _page_param(
    request: Request, name: str, default: int, top: int, *, past_end_ok: bool = False
) -> int:
    """A positive integer parameter. With ``past_end_ok`` (page[number]) any number above
    ``top`` means "past the end" (an empty page, as the spec promises) instead of a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    digits = raw.lstrip("0") if raw.isascii() and raw.isdigit() else ""
    value = int(digits) if digits and len(digits) <= len(str(top)) else (top + 1 if digits else 0)
    if value < 1 or (value > top and not past_end_ok):
        raise bad_request(
            "InvalidPageParameter",
            f"{name} must be an integer from 1{'' if past_end_ok else f' to {top}'}.",
            parameter=name,
        )
    return min(value, top + 1)


def _list(api: Api, product: Product, entity: Entity) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        target = api.target(request, product, entity, item=False)
        number = _page_param(request, "page[number]", 1, MAX_PAGE_NUMBER, past_end_ok=True)
        size = _page_param(request, "page[size]", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        text = request.query_params.get("filter")
        rows, more = await run_in_threadpool(
            api.service.list_page, caller, target, number=number, size=size, filter_text=text
        )
        links = links_for(request)

        def page(at: int) -> str:
            return str(request.url.include_query_params(**{"page[number]": at}))

        page_links = {
            "self": str(request.url),
            "related": links.parent(product, entity, target.owner, target.ancestors),
            "next": page(number + 1) if more else None,
            "prev": page(number - 1) if number > 1 else None,
            "first": page(1),
            "describedBy": links.described_by(product, entity),
        }
        item_links = [links.resource(product, entity, row) for row in rows]
        doc = jsonapi.listing(rows, item_links, page_links, number=number, size=size)
        return json_response(doc)

    return endpoint


def _read(api: Api, product: Product, entity: Entity, *, item: bool, lookup: bool) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        if lookup:
            owner = str(request.path_params.get("owner", ""))
            if not SLUG.fullmatch(owner):
                raise not_found()
            target = Target(
                product, entity, owner, (), _id(request.path_params.get(entity.id_param))
            )
            found = await run_in_threadpool(api.service.lookup, caller, target)
        else:
            target = api.target(request, product, entity, item=item)
            found = await run_in_threadpool(api.service.get, caller, target)
        return json_response(api.document(request, product, entity, found))

    return endpoint


def _create(api: Api, product: Product, entity: Entity) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        target = api.target(request, product, entity, item=False)
        data = await api.body(request, entity)
        created = await run_in_threadpool(api.service.create, caller, target, data)
        return json_response(api.document(request, product, entity, created), status)

    status = create_status(entity)
    return endpoint


def _values(api: Api, product: Product, entity: Entity) -> Endpoint:
    states = declared_values(product, entity)

    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        target = api.target(request, product, entity, item=False)
        await run_in_threadpool(api.service.check_read, caller, target)
        builder = links_for(request)
        links = {
            "self": str(request.url),
            "related": builder.item(product, entity, target.owner, target.ancestors),
            "describedBy": builder.described_by(product, entity),
        }
        data = {
            "id": entity.type_string,
            "type": entity.type_string,
            "attributes": states,
            "links": links,
        }
        # The platform's shape (S1 F2): {meta: {}, data: {id, type, attributes: [...]}, links}.
        return json_response({"meta": {}, "data": data, "links": dict(links)})

    return endpoint


def _replace(api: Api, product: Product, entity: Entity, *, item: bool) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        target = api.target(request, product, entity, item=item)
        data = await api.body(request, entity)
        updated = await run_in_threadpool(api.service.replace, caller, target, data)
        return json_response(api.document(request, product, entity, updated))

    return endpoint


def _delete(api: Api, product: Product, entity: Entity, *, item: bool) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        caller = api.caller(request)
        target = api.target(request, product, entity, item=item)
        await run_in_threadpool(api.service.delete, caller, target)
        return Response(status_code=204)

    return endpoint


def _action_routes(api: Api, product: Product, entity: Entity) -> list[BaseRoute]:
    """Actions (poll, confirm, ...) served generically from the spec (``actions.py``): every
    check it describes, then 501 ``ActionNotEmulated``. An extension that emulates one mounts
    its own route, which wins because extensions are routed before the generic entity routes."""
    by_path: dict[str, dict[str, Endpoint]] = {}
    for op in entity.operations:
        if op.role == "action":
            by_path.setdefault(op.path, {})[op.method] = generic_action(api, product, entity, op)
    return [_route(path, handlers) for path, handlers in by_path.items()]


def _dispatch(handlers: dict[str, Endpoint]) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        return await handlers[request.method](request)

    return endpoint


def _route(path: str, handlers: dict[str, Endpoint]) -> Route:
    if "GET" in handlers:
        handlers = {**handlers, "HEAD": handlers["GET"]}
    return Route(path, _dispatch(handlers), methods=list(handlers))


def entity_routes(api: Api, product: Product) -> list[BaseRoute]:
    """Every collection, item, status, lookup and action path of the product's entities."""
    routes: list[BaseRoute] = []
    for entity in product.entities:
        roles = {op.role for op in entity.operations}
        item = entity.kind == "entity"
        collection: dict[str, Endpoint] = {}
        single: dict[str, Endpoint] = {}
        if item:
            if "list" in roles:
                collection["GET"] = _list(api, product, entity)
            if "get" in roles:
                single["GET"] = _read(api, product, entity, item=True, lookup=False)
            if "replace" in roles:
                single["PUT"] = _replace(api, product, entity, item=True)
            if "delete" in roles:
                single["DELETE"] = _delete(api, product, entity, item=True)
        else:  # a status lives on its collection path
            if "get" in roles:
                collection["GET"] = _read(api, product, entity, item=False, lookup=False)
            if "replace" in roles:
                collection["PUT"] = _replace(api, product, entity, item=False)
            if "delete" in roles:
                collection["DELETE"] = _delete(api, product, entity, item=False)
        if "create" in roles:
            collection["POST"] = _create(api, product, entity)
        if collection:
            routes.append(_route(entity.collection_path, collection))
        if single and entity.item_path:
            routes.append(_route(entity.item_path, single))
        if entity.values_path:
            routes.append(_route(entity.values_path, {"GET": _values(api, product, entity)}))
        if entity.lookup_path and entity.lookup_path != entity.item_path:
            lookup = {"GET": _read(api, product, entity, item=False, lookup=True)}
            routes.append(_route(entity.lookup_path, lookup))
        routes.extend(_action_routes(api, product, entity))
    return routes
