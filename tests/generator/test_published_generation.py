"""A client generated from a published document calls each operation's own path (CONVENTIONS §16):
the prefix as the document writes it (`/{owner}/v1`, `/api/<product>/v1/{owner}`, none), the
owner only where the paths have one, the ids by their real names, another generation's prefix
where one document mixes them, and a status's `values()` at its `/_values` path.

Each document is generated into a temporary folder and driven in a subprocess (the generated
package is named `thg_connect`, like the repository's own) over an httpx.MockTransport that
records every request; the plan of calls comes from the same model the templates print.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from thg_codegen.generate import generate
from thg_codegen.model.package import ProductPackage, ResourceClass, build_package
from thg_spec import Entity, Product, build_product
from thg_spec.loader import load_spec

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = [
    REPO / "tests" / "published" / "thg-fulfil.json",
    REPO / "tests" / "published" / "thg-fulfil-api-prefix.json",
    REPO / "tests" / "published" / "events.json",
    REPO / "tests" / "generator" / "published" / "thg-fulfil.json",  # mixes two generations
    REPO / "tests" / "generator" / "published" / "events.json",
    REPO / "tests" / "generator" / "published" / "api-prefix" / "thg-fulfil-api-prefix.json",
]
OWNER = "acme"

DRIVER = r"""
import importlib, json, sys
import httpx
from thg_connect_core import ClientConfig, SyncAPIClient

plan = json.load(sys.stdin)
seen = []

def answer(request):
    if request.url.path == "/oauth/token":
        return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
    seen.append((request.method, request.url.raw_path.decode().split("?")[0]))
    if request.url.path.endswith("/_values"):
        data = {"id": "v", "type": "v", "attributes": ["A", "B"]}
    else:
        data = {"id": "x", "type": "t", "attributes": {}}
    return httpx.Response(200, json={"data": [] if request.method == "GET" and
                                     plan_kind[0] == "list" else data})

plan_kind = [""]
config = ClientConfig(client_id="c", client_secret="s", owner=plan["owner"],
                      base_url="https://api.example.com", token_url="https://api.example.com/oauth/token",
                      audience="https://api.example.com")
api = SyncAPIClient(config, http_client=httpx.Client(transport=httpx.MockTransport(answer)))
module = importlib.import_module("thg_connect." + plan["package"] + "._product")
root = getattr(module, plan["product_class"])(api)
results = []
for call in plan["calls"]:
    plan_kind[0] = call["kind"]
    target = root
    for step, value in call["steps"]:
        target = getattr(target, value) if step == "attr" else target(value)
    method = getattr(target, call["method"])
    before = len(seen)
    try:
        answer_ = method(*call["args"], **call["kwargs"])
        if call["kind"] == "list":
            list(answer_)
        elif call["kind"] == "values":
            assert answer_ == ["A", "B"], answer_
    except Exception as exc:  # decoding a scripted body may fail; the request is what counts
        if "ValidationError" not in type(exc).__name__:
            raise
    results.append(seen[before:])
print(json.dumps(results))
"""


def _ids(entity_names: list[tuple[str, ...]], product: Product) -> dict[str, str]:
    return {product.entity(n).id_param: f"id-{product.entity(n).id_param}" for n in entity_names}


def _concrete(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def _resource(pkg: ProductPackage, entity: Entity, kind: str) -> ResourceClass:
    return next(r for r in pkg.module_of(entity).resources if r.kind == kind)


def _steps(pkg: ProductPackage, product: Product, entity: Entity, item: bool) -> list[list[str]]:
    """How the client reaches `entity` (its collection, or with `item` one item or its status)."""
    steps: list[list[str]] = []
    top = next(c for c in pkg.top_level if c.segment == entity.name[0])
    steps.append(["attr", top.attribute])
    for depth in range(1, len(entity.name) + 1):
        here = product.entity(entity.name[:depth])
        last = depth == len(entity.name)
        if here.kind == "entity" and (not last or item):
            steps.append(["call", f"id-{here.id_param}"])
        if not last:
            nxt = product.entity(entity.name[: depth + 1])
            endpoint = _resource(pkg, here, "endpoint")
            child = next(c for c in endpoint.children if c.segment == nxt.name[-1])
            steps.append(["attr", child.attribute])
    return steps


def _plan(product: Product, pkg: ProductPackage) -> tuple[list[dict[str, Any]], list[Any]]:
    calls: list[dict[str, Any]] = []
    expected: list[Any] = []
    for entity in product.entities:
        values = {entity.owner_param: OWNER} if entity.owner_param else {}
        values.update(_ids([entity.name[:d] for d in range(1, len(entity.name) + 1)], product))
        for resource in pkg.module_of(entity).resources:
            for method in resource.methods:
                if method.kind == "values":
                    op_method, path = "GET", entity.values_path or ""
                else:
                    role = {"update": "replace"}.get(method.kind, method.kind)
                    op = next(
                        o
                        for o in entity.operations
                        if o.role == role and (role != "action" or o.path.endswith(method.segment))
                    )
                    op_method, path = op.method, op.path
                args: list[Any] = []
                kwargs: dict[str, Any] = {p.name: "h" for p in method.headers}
                if method.client_id:
                    args.append("new-id")
                if method.body:
                    args.append({})
                item = resource.kind == "endpoint"
                calls.append(
                    {
                        "steps": _steps(pkg, product, entity, item),
                        "method": method.name,
                        "kind": method.kind,
                        "args": args,
                        "kwargs": kwargs,
                    }
                )
                expected.append([[op_method, _concrete(path, values)]])
    return calls, expected


@pytest.mark.parametrize("document", DOCUMENTS, ids=[str(d.relative_to(REPO)) for d in DOCUMENTS])
def test_every_operation_calls_its_own_path(document: Path, tmp_path: Path) -> None:
    spec, problems = load_spec(document)
    assert not problems
    product = build_product(spec)
    out = tmp_path / "client"
    generate([document], out)
    package = next(
        p.name for p in (out / "src" / "thg_connect").iterdir() if (p / "_product.py").exists()
    )
    pkg = build_package(product, package)
    calls, expected = _plan(product, pkg)
    assert calls, "the document gives the client no method"
    plan = {"owner": OWNER, "package": package, "product_class": pkg.sync_class, "calls": calls}
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(out / "src"), str(REPO / "runtime" / "src")]),
    }
    run = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got == expected


def test_an_owner_less_product_never_asks_for_the_owner(tmp_path: Path) -> None:
    """The events API's published paths name no organisation: the client builds them without it
    (so no `for_owner` is ever needed), and its confirm takes the receipt handle as a header."""
    out = tmp_path / "client"
    generate([DOCUMENTS[2]], out)
    product_py = (out / "src" / "thg_connect" / "events" / "_product.py").read_text()
    assert "api.owner" not in product_py
    module = (out / "src" / "thg_connect" / "events" / "subscription.py").read_text()
    assert "receipt_handle: str," in module and '"receipt-handle": receipt_handle' in module


GET_DRIVER = r"""
import asyncio, json, sys
import httpx
from thg_connect import AsyncClient, Client, ClientConfig

seen = []

def answer(request):
    if request.url.path == "/oauth/token":
        return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
    seen.append((request.method, request.url.raw_path.decode()))
    body = {"id": "item-1", "type": "thg-fulfil:inventory", "attributes": {}}
    return httpx.Response(200, json={"data": body})

config = ClientConfig(client_id="c", client_secret="s", owner="acme",
                      base_url="https://api.example.com", token_url="https://api.example.com/oauth/token",
                      audience="https://api.example.com")
out = {}
with Client(config, http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
    for key, (ref, parents) in json.loads(sys.argv[1]).items():
        try:
            client.get(ref, parents=parents)
            out[key] = seen.pop()
        except ValueError as exc:  # the scripted body need not decode: the request is what counts
            out[key] = seen.pop() if "ValidationError" in type(exc).__name__ else str(exc)


async def run_async():
    transport = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    async with AsyncClient(config, http_client=transport) as client:
        for key, (ref, parents) in json.loads(sys.argv[1]).items():
            if key.startswith("async"):
                try:
                    await client.get(ref, parents=parents)
                except Exception as exc:
                    if "ValidationError" not in type(exc).__name__:
                        raise
                out[key] = seen.pop()

asyncio.run(run_async())
print(json.dumps(out))
"""


def _get_by_reference(out: Path, calls: dict[str, Any]) -> dict[str, Any]:
    """What `client.get(ref, parents=...)` requested (or the ValueError it raised) for each of
    `calls` ({key: [reference, parents]}), through the client generated into `out`; the keys
    starting `async` go through the AsyncClient."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(out / "src"), str(REPO / "runtime" / "src")]),
    }
    run = subprocess.run(
        [sys.executable, "-c", GET_DRIVER, json.dumps(calls)], capture_output=True, text=True,
        env=env, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    answer: dict[str, Any] = json.loads(run.stdout)
    return answer


def test_get_by_reference_reaches_a_published_entity_by_its_item_path(tmp_path: Path) -> None:
    """A published product has no lookup path (`/api/<product>/v1/<owner>/<entity.path>/<id>`):
    the generated package registers each entity type's item path, so `client.get(reference)`
    reads a top-level entity there, the reference's owner in the owner's place. A child's path
    needs its parent's id, which a reference does not carry: `parents` gives it by the path's
    parameter name, and a ValueError says which is missing, or which is not the path's; so
    does an entity whose document reads no single item."""
    out = tmp_path / "client"
    generate([DOCUMENTS[0]], out)
    item = "thg:thg-fulfil:inventory#brandco@item-1"
    approval = "thg:thg-fulfil:inventory.approval#brandco@ap-1"
    got = _get_by_reference(
        out,
        {
            "top": [item, None],
            "async": [item, None],
            "child": [approval, {"inventory_item": "item-1"}],
            "async child": [approval, {"inventory_item": "a/b c"}],
            "child without parents": [approval, None],
            "child, another parameter": [approval, {"inventory": "item-1"}],
            "child, a dot segment": [approval, {"inventory_item": ".."}],
            "top with parents": [item, {"inventory_item": "x"}],
            "unreadable": ["thg:thg-fulfil:asn#brandco@asn-1", None],
        },
    )
    assert got["top"] == got["async"] == ["GET", "/brandco/v1/inventory/item-1"]
    assert got["child"] == ["GET", "/brandco/v1/inventory/item-1/approval"]
    assert got["async child"] == ["GET", "/brandco/v1/inventory/a%2Fb%20c/approval"]
    assert got["child without parents"] == (
        "client.get cannot read thg-fulfil:inventory.approval from a reference: its path "
        "/{owner}/v1/inventory/{inventory_item}/approval needs the id of its parent "
        "thg-fulfil:inventory ({inventory_item}), which a reference does not carry (its document "
        "has no lookup path): pass parents={'inventory_item': ...}"
    )
    assert got["child, another parameter"] == (
        "client.get cannot read thg-fulfil:inventory.approval from a reference: its path "
        "/{owner}/v1/inventory/{inventory_item}/approval has no parameter inventory (parents it "
        "needs: inventory_item)"
    )
    assert got["child, a dot segment"] == (
        "parents['inventory_item'] must not be '..': a dot segment would address another path"
    )
    assert got["top with parents"] == (
        "client.get cannot read thg-fulfil:inventory from a reference: its path "
        "/{owner}/v1/inventory/{id} has no parameter inventory_item (parents it needs: none)"
    )
    assert got["unreadable"] == (
        "client.get cannot read thg-fulfil:asn from a reference: its document has no GET of one "
        "item"
    )


def test_get_by_reference_of_an_annotated_product_keeps_its_lookup_path(tmp_path: Path) -> None:
    out = tmp_path / "client"
    generate([REPO / "specs" / "events.yaml"], out)
    registry = (out / "src" / "thg_connect" / "_registry.py").read_text()
    assert "_REFERENCE_PATHS: Dict[str, Tuple[str, Tuple[str, ...]]] = {}" in registry
    ref = "thg:events:subscription#acme@s-1"
    got = _get_by_reference(out, {"lookup": [ref, None], "parents": [ref, {"x": "1"}]})
    assert got["lookup"] == ["GET", "/api/events/v1/acme/subscription/s-1"]
    assert got["parents"] == (
        "client.get cannot read events:subscription from a reference: it is read at its lookup "
        "path, which needs no parent ids: remove parents={'x': '1'}"
    )


def test_attributes_two_statuses_share_type_check(tmp_path: Path) -> None:
    """The stand-in's two approvals share one attributes model, defined in `_common`: the
    client's `get` union imports it from there (an entity module only imports it, which
    `mypy --strict` refuses to re-export)."""
    mypy = pytest.importorskip("mypy.api")
    out = tmp_path / "client"
    generate([DOCUMENTS[3]], out)
    client = (out / "src" / "thg_connect" / "_client.py").read_text(encoding="utf-8")
    assert "from .thg_fulfil._common import Approval as _thg_fulfil_Approval" in client
    stdout, stderr, status = mypy.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), str(out / "src")]
    )
    assert status == 0, stdout + stderr
