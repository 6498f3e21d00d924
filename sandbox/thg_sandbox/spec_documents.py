"""The spec documents the sandbox serves, as JSON, at `links.SPEC_ROUTE`: what every resource's
`links.describedBy` points into (`/openapi/<product>.json#/components/schemas/<Name>`).

Public, as the platform's own "Download OpenAPI specification" is (S1): no token is needed.
Each document is the one the sandbox serves the product from (its overlay applied), rendered
once at start-up.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from thg_spec import Product

from .links import spec_url


def _render(document: Any) -> bytes:
    # YAML may read an unquoted date or timestamp as a date object: JSON gets its ISO text.
    text = json.dumps(document, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.encode("utf-8")


def spec_routes(products: Sequence[Product]) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for product in products:
        body = _render(product.document)

        async def endpoint(request: Request, body: bytes = body) -> Response:
            return Response(body, media_type="application/json")

        routes.append(Route(spec_url("", product.name), endpoint, methods=["GET", "HEAD"]))
    return routes
