"""``client.get`` typed by what the reference says (issue 17): a resource's own reference is a
``Reference[Attributes]``, so ``get`` answers its typed resource (statuses too, whose attributes
are a union of states); a string answers the union of the client's entities; ``meta``,
``version`` and ``reference`` are not Optional.

The mypy tests read the golden ``mini`` client (tests/generator/golden/mini: an entity ``Widget``
and a status ``Check``), so no product's renames can break them; the run-time test reads the
generated client's ``product`` product."""

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
from thg_connect.product import AttributeType
from thg_connect_core import InvalidReferenceError

from .client_harness import TOKEN_URL, config

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "generator" / "golden" / "mini" / "src"
REF = "thg:product:attribute-type#acme@colour"


def _mypy(tmp_path: Path, code: str) -> List[str]:
    """mypy --strict's notes and errors on ``code``, against this tree's runtime and the golden
    mini client, as ``line: message`` (the snippet's line numbers)."""
    source = tmp_path / "snippet.py"
    source.write_text(textwrap.dedent(code).lstrip(), encoding="utf-8")
    paths = os.pathsep.join(str(p) for p in (ROOT / "runtime" / "src", MINI))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary"]
        + ["--cache-dir", os.devnull, "--hide-error-context", str(source)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": paths},
        timeout=300,
    )
    prefix = f"{source.name}:"
    return [line[len(prefix) :] for line in result.stdout.splitlines() if line.startswith(prefix)]


SNIPPET = """
from thg_connect import AsyncClient, Client, Reference, Resource
from thg_connect.mini import Check, CheckPassed, Widget


async def main(
    client: Client,
    aclient: AsyncClient,
    text: str,
    widget: Resource[Widget],
    check: Resource[Check],
) -> None:
    reveal_type(widget.reference)
    reveal_type(widget.meta)
    reveal_type(widget.version)
    reveal_type(client.get(widget.reference))
    reveal_type(client.get(check.reference))
    reveal_type(client.get(text))
    reveal_type(client.get(Reference.parse(text)))
    reveal_type(client.get(text, Widget))
    reveal_type(client.get(text, Check))
    reveal_type(await aclient.get(widget.reference))
    reveal_type(await aclient.get(text))
    state = client.get(check.reference).attributes
    if isinstance(state, CheckPassed):
        reveal_type(state)
    found = (await aclient.get(text)).attributes
    if isinstance(found, Widget):
        reveal_type(found.name)
    wrong: Resource[Check] = client.get(widget.reference)
    client.get(text, 42)
    client.get(text).attributes.name
"""

WIDGET = "thg_connect.mini.widget.Widget"
STATES = (
    "thg_connect.mini.widget_check.CheckPassed | thg_connect.mini.widget_check.CheckFailed"
    " | thg_connect_core._models.UnknownState"
)
RESOURCE = "thg_connect_core._jsonapi.Resource"


def test_get_is_typed_by_the_reference_the_attributes_or_the_union(tmp_path: Path) -> None:
    out = _mypy(tmp_path, SNIPPET)
    revealed = [line.split("Revealed type is ")[1] for line in out if "Revealed" in line]
    assert revealed == [
        f'"thg_connect_core._references.Reference[{WIDGET}]"',
        '"thg_connect_core._jsonapi.ResourceMeta"',  # not Optional
        '"str"',  # not Optional
        f'"{RESOURCE}[{WIDGET}]"',  # the reference's entity type
        f'"{RESOURCE}[{STATES}]"',  # a status: the union of its states
        f'"{RESOURCE}[{WIDGET} | {STATES}]"',  # a string: any entity of this client
        f'"{RESOURCE}[Any]"',  # a reference parsed from text: only known at run time
        f'"{RESOURCE}[{WIDGET}]"',
        f'"{RESOURCE}[Any]"',  # a union of states is no class: typing cannot take it (PEP 747)
        f'"{RESOURCE}[{WIDGET}]"',
        f'"{RESOURCE}[{WIDGET} | {STATES}]"',
        '"thg_connect.mini.widget_check.CheckPassed"',
        '"str"',
    ], out
    errors = [line for line in out if "error:" in line]
    assert [line.split(":", 1)[0] for line in errors] == ["29", "30", "31", "31", "31"], out
    assert 'incompatible type "Reference[Widget]"' in errors[0], out
    assert 'No overload variant of "get"' in errors[1] and '"str", "int"' in errors[1], out
    assert all('has no attribute "name"' in line for line in errors[2:]), out


def _server(seen: List[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            body: Any = {"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}
        else:
            seen.append(request)
            body = {
                "data": {
                    "id": "colour",
                    "type": "product:attribute-type",
                    "attributes": {"name": "colour", "valueType": "string"},
                    "meta": {"owner": "acme", "reference": REF},
                    "version": "3",
                }
            }
        return httpx.Response(200, content=json.dumps(body).encode())

    return httpx.MockTransport(handle)


def test_a_resources_reference_reads_it_again() -> None:
    seen: List[httpx.Request] = []
    with Client(config(), http_client=httpx.Client(transport=_server(seen))) as client:
        first = client.get(REF)
        again = client.get(first.reference)
        assert isinstance(again.attributes, AttributeType) and again.attributes.name == "colour"
        assert again.reference == Reference.parse(REF) and again.version == "3"
        assert again.meta.owner == "acme"
    assert [r.url.path for r in seen] == ["/api/product/v1/acme/attribute-type/colour"] * 2


def test_the_async_client_reads_a_reference_the_same_way() -> None:
    seen: List[httpx.Request] = []

    async def main() -> None:
        transport = _server(seen)
        async with AsyncClient(config(), http_client=httpx.AsyncClient(transport=transport)) as a:
            first = await a.get(REF, AttributeType)
            again = await a.get(first.reference)
            assert again.attributes == first.attributes

    asyncio.run(main())
    assert len(seen) == 2


def test_a_resource_without_meta_has_empty_meta_and_no_reference_to_read() -> None:
    bare = Resource[AttributeType].model_validate(
        {
            "id": "x",
            "type": "product:attribute-type",
            "attributes": {"name": "a", "valueType": "string"},
        }
    )
    assert bare.meta.owner is None and bare.version == ""
    with pytest.raises(InvalidReferenceError, match="came without meta.reference"):
        _ = bare.reference
