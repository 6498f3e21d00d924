"""The generated ``Client``/``AsyncClient`` on the runtime's ``BaseClient``/``AsyncBaseClient``
(issue 17): the surface mypy sees, ``get(ref, Attributes)`` typed by the entity's attributes
class, and the behaviour over ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, List

import httpx
import pytest

from thg_connect import AsyncClient, Client, Reference, Resource
from thg_connect.thg_fulfil import Asn, InventoryItem
from thg_connect_core import AsyncBaseClient, BaseClient

from .client_harness import TOKEN_URL, config

ROOT = Path(__file__).resolve().parents[2]
REF = "thg:thg-fulfil:inventory#acme@id1"


def _mypy(tmp_path: Path, code: str) -> str:
    source = tmp_path / "snippet.py"
    source.write_text(textwrap.dedent(code), encoding="utf-8")
    # this tree's runtime and generated client, not the ones installed in the environment
    paths = os.pathsep.join(str(ROOT / p) for p in ("runtime/src", "generated/src"))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        + ["--cache-dir", os.devnull, str(source)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": paths},
    )
    return result.stdout


def test_the_generated_surface_and_typed_get(tmp_path: Path) -> None:
    out = _mypy(
        tmp_path,
        """
        from typing import Any
        from thg_connect import AsyncClient, Client, ClientConfig, Reference, Resource
        from thg_connect.thg_fulfil import Asn, InventoryItem
        from thg_connect_core import Event

        async def handler(event: Event) -> None: ...

        async def main(config: ClientConfig, ref: Reference, text: str) -> None:
            client = Client.from_env(owner="acme")
            reveal_type(client)
            reveal_type(client.for_owner("x"))
            reveal_type(client.with_options(max_retries=0))
            reveal_type(client.thg_fulfil)
            reveal_type(client.get(text))
            reveal_type(client.get(ref, InventoryItem))
            reveal_type(client.get(text, Asn, max_retries=0).attributes)
            with Client(config) as c:
                reveal_type(c)
            async with AsyncClient(config) as a:
                reveal_type(a)
                reveal_type(a.for_owner("x").thg_fulfil)
                reveal_type(await a.get(text))
                reveal_type(await a.get(ref, InventoryItem))
                reveal_type(a.consumer("sub", handler))
                reveal_type(a.webhook_app("secret", handler))
            reveal_type(client.consumer("sub", print))
            reveal_type(client.handle_webhook(b"", None, "secret", print))
            wrong: Resource[Asn] = client.get(ref, InventoryItem)
            client.get(ref, InventoryItem).attributes.no_such_field
        """,
    )
    revealed = [
        line.split("Revealed type is ")[1] for line in out.splitlines() if "Revealed" in line
    ]
    # get(text): the union of every entity's attributes (tests/runtime/test_typed_get.py)
    union = '"thg_connect_core._jsonapi.Resource[thg_connect.document.document.Document | '
    revealed = ["union" if r.startswith(union) else r for r in revealed]
    assert revealed == [
        '"thg_connect._client.Client"',
        '"thg_connect._client.Client"',
        '"thg_connect._client.Client"',
        '"thg_connect.thg_fulfil._product.ThgFulfilAPI"',
        "union",
        '"thg_connect_core._jsonapi.Resource[thg_connect.thg_fulfil.inventory.InventoryItem]"',
        '"thg_connect.thg_fulfil.asn.Asn"',
        '"thg_connect._client.Client"',
        '"thg_connect._client.AsyncClient"',
        '"thg_connect.thg_fulfil._product.AsyncThgFulfilAPI"',
        "union",
        '"thg_connect_core._jsonapi.Resource[thg_connect.thg_fulfil.inventory.InventoryItem]"',
        '"thg_connect_core._async_consumer.AsyncEventConsumer"',
        '"thg_connect_core._webhooks.WebhookApp"',
        '"thg_connect_core._consumer.EventConsumer"',
        '"int"',
    ], out
    errors = [line for line in out.splitlines() if "error:" in line]
    assert len(errors) == 2, out
    assert 'incompatible type "type[InventoryItem]"; expected "type[Asn]"' in errors[0], out
    assert '"InventoryItem" has no attribute "no_such_field"' in errors[1], out


def _server(seen: List[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            body: Any = {"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}
        else:
            seen.append(request)
            ref = Reference.parse(REF)
            body = {
                "data": {
                    "id": ref.id,
                    "type": ref.entity_type,
                    "attributes": {
                        "consumerReference": "S1",
                        "title": "Amber",
                        "description": "d",
                        "type": "t",
                        "barcodes": [{"barcode": "1", "type": "ean"}],
                        "dimensions": {"depth": 1, "height": 1, "mass": 1, "width": 1},
                        "batchControlled": False,
                    },
                    "meta": {"owner": "acme", "reference": REF},
                    "version": "1",
                }
            }
        return httpx.Response(200, content=json.dumps(body).encode())

    return httpx.MockTransport(handle)


def test_get_typed_by_attributes_class_reads_and_checks_the_entity_type() -> None:
    seen: List[httpx.Request] = []
    with Client(config(), http_client=httpx.Client(transport=_server(seen))) as client:
        assert isinstance(client, BaseClient) and repr(client) == "Client(owner='acme')"
        item = client.get(Reference.parse(REF), InventoryItem)
        assert isinstance(item, Resource) and isinstance(item.attributes, InventoryItem)
        assert item.attributes.title == "Amber"
        untyped = client.get(REF)  # a plain string: the union of the client's entities
        assert isinstance(untyped.attributes, InventoryItem)
        assert [r.url.path for r in seen] == ["/api/thg-fulfil/v1/acme/inventory/id1"] * 2
        with pytest.raises(TypeError, match="inventory, whose attributes type is InventoryItem"):
            client.get(REF, Asn)
        with pytest.raises(ValueError, match="unknown entity type"):
            client.get("thg:nope:thing#acme@x", InventoryItem)
        assert len(seen) == 2  # refused before any request
        partner = client.for_owner("brandco").with_options(max_retries=0)
        assert type(partner) is Client and partner.owner == "brandco"


def test_the_async_client_types_get_the_same_way() -> None:
    seen: List[httpx.Request] = []

    async def main() -> None:
        transport = _server(seen)
        async with AsyncClient(config(), http_client=httpx.AsyncClient(transport=transport)) as a:
            assert isinstance(a, AsyncBaseClient) and repr(a) == "AsyncClient(owner='acme')"
            item = await a.get(REF, InventoryItem)
            assert isinstance(item.attributes, InventoryItem) and item.id == "id1"
            with pytest.raises(TypeError):
                await a.get(REF, Asn)
            assert type(a.for_owner("brandco")) is AsyncClient

    asyncio.run(main())
    assert len(seen) == 1


def test_the_bare_base_client_knows_no_entity_types() -> None:
    with BaseClient(config(), http_client=httpx.Client(transport=_server([]))) as client:
        with pytest.raises(ValueError, match="knows no products"):
            client.get(REF)
