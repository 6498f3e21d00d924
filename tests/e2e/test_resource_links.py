"""Resource links through the repository's generated client, on the products whose entities are
not being reshaped (events, document): `links.self` is where the resource is, `related` its
collection, `describedBy` its attributes schema in the spec the sandbox serves (S1; CONVENTIONS
§6). Statuses (`meta.status`, `values()`) are in test_status_links.py, on a spec of their own.

A product's entity renamed means one constant below changes.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx

from thg_connect import AsyncClient, Client
from thg_connect.document import Document
from thg_connect.events import Subscription
from thg_sandbox.server import RunningSandbox

SUBSCRIPTIONS = "/api/events/v1/brandco/subscription"
SUBSCRIPTION_SCHEMA = "/openapi/events.json#/components/schemas/Subscription"
DOCUMENTS = "/api/document/v1/brandco/document"
DOCUMENT_SCHEMA = "/openapi/document.json#/components/schemas/Document"


def test_a_created_subscription_links_itself_its_collection_and_its_schema(
    sandbox: RunningSandbox, client: Callable[[str], Client]
) -> None:
    subscriptions = client("brandco").events.subscriptions
    name = f"links-{uuid.uuid4().hex[:8]}"
    created = subscriptions.create(name, Subscription())
    base = sandbox.base_url
    assert created.links is not None
    assert created.links.self_ == f"{base}{SUBSCRIPTIONS}/{name}"
    assert created.links.related == f"{base}{SUBSCRIPTIONS}"
    assert created.links.described_by == f"{base}{SUBSCRIPTION_SCHEMA}"
    assert subscriptions(name).get().links == created.links
    listed = [s for s in subscriptions.list(page_size=100) if s.id == name]
    assert [s.links for s in listed] == [created.links]
    assert created.meta is not None and created.meta.states == {}  # no status: none reported
    assert created.meta.status is None


def test_a_document_s_links_resolve_on_the_sandbox_async(
    sandbox: RunningSandbox, async_client: Callable[[str], AsyncClient]
) -> None:
    async def run() -> tuple[str | None, str | None, str | None]:
        async with async_client("brandco") as brand:
            created = await brand.document.documents.create(Document(filename="links.pdf"))
            got = await brand.document.documents(created.id).get()
            assert got.links == created.links and created.links is not None
            return created.links.self_, created.links.related, created.links.described_by

    own, related, described_by = asyncio.run(run())
    assert related == f"{sandbox.base_url}{DOCUMENTS}"
    assert own is not None and own.startswith(f"{related}/")
    assert described_by == f"{sandbox.base_url}{DOCUMENT_SCHEMA}"
    document_url, _, pointer = described_by.partition("#")
    schema = httpx.get(document_url, timeout=10).json()
    for token in pointer.split("/")[1:]:
        schema = schema[token]
    assert "filename" in schema["properties"]
