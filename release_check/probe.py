"""Run by each release venv's own Python (3.9-3.13), never imported by the generator.

``probe.py imports``: ``import thg_connect`` (no product module loaded yet), every public name
of it, of ``thg_connect_core`` and of every product subpackage (the lazy exports).
``probe.py models EXAMPLES.json``: each example document (spec stem -> document) decoded into
its entity's typed resource, with a verdict per example. ``probe.py smoke``: against the sandbox
named by the ``THG_*`` environment variables, as ``brandco``: a long poll of a new subscription
with nothing to deliver; create an inventory item, list it with a filter, read it through
``client.get(reference)``, delete it. Prints one JSON summary line; any failure
is an exception (exit 1) with its traceback.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import sys
import time
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List

TIMEOUT = 10.0


def _installed(module: ModuleType) -> None:
    # The distribution under test, not a source tree or editable install leaking in.
    location = Path(str(module.__file__)).resolve()
    if Path(sys.prefix).resolve() not in location.parents:
        raise AssertionError(f"{module.__name__} imported from {location}, not from {sys.prefix}")


def check_imports() -> Dict[str, Any]:
    import thg_connect
    import thg_connect_core

    _installed(thg_connect)
    _installed(thg_connect_core)
    eager = sorted(m for m in sys.modules if m.count(".") and m.startswith("thg_connect."))
    products = [n for n in thg_connect.__all__ if n.islower() and not n.startswith("_")]
    loaded = [m for m in eager if m.split(".")[1] in products]
    if loaded:
        raise AssertionError(f"import thg_connect loaded product modules: {loaded}")
    names = 0
    for module in (thg_connect, thg_connect_core):
        for name in module.__all__:
            getattr(module, name)
            names += 1
    for product in products:
        subpackage = getattr(thg_connect, product)
        if not isinstance(subpackage, ModuleType):
            raise AssertionError(f"thg_connect.{product} is not a module")
        for name in subpackage.__all__:
            getattr(subpackage, name)
            names += 1
    modules = 0
    for package in (thg_connect, thg_connect_core):
        # Every module file, also those no public name leads to (3.9 syntax and typing issues
        # surface at import time).
        for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(found.name)
            modules += 1
    return {"names": names, "products": products, "modules": modules}


def check_models(examples_file: str) -> Dict[str, Any]:
    """Each example document decoded into its entity's typed resource: "ok" or the error."""
    import thg_connect
    from thg_connect._registry import attributes_type
    from thg_connect_core import Document, decode

    results: Dict[str, str] = {}
    examples = json.loads(Path(examples_file).read_text(encoding="utf-8"))
    for spec, document in sorted(examples.items()):
        try:
            model = attributes_type(document["data"]["type"])
            product = model.__module__.split(".")[1]
            if getattr(getattr(thg_connect, product), model.__name__) is not model:
                raise AssertionError(f"{model.__name__} is not exported by thg_connect.{product}")
            parsed = decode(json.dumps(document), Document[model])  # type: ignore[valid-type]
            if not isinstance(parsed.data.attributes, model):
                raise AssertionError(f"attributes decoded as {type(parsed.data.attributes)}")
            if parsed.data.id != document["data"]["id"]:
                raise AssertionError(f"id {parsed.data.id!r} != {document['data']['id']!r}")
            results[spec] = "ok"
        except Exception as exc:  # every example gets its verdict, whatever breaks
            results[spec] = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    return {"models": results}


def smoke() -> Dict[str, Any]:
    from thg_connect import AsyncClient, Client, NotFoundError
    from thg_connect.thg_fulfil import Barcode, Dimensions, InventoryItem
    from thg_connect.thg_fulfil import InventoryFilter as F

    version = "%d%d" % sys.version_info[:2]
    sku = f"release-py{version}-{uuid.uuid4().hex[:8]}"
    with Client.from_env(timeout=TIMEOUT) as client:
        _long_poll_with_nothing(client, f"release-py{version}-{uuid.uuid4().hex[:8]}")
        items = client.thg_fulfil.inventory
        created = items.create(
            InventoryItem(
                consumer_reference=sku,
                title=f"Release check {version}",
                description="Created and deleted by the release check",
                type="test",
                barcodes=[Barcode(barcode=sku, type="ean")],
                dimensions=Dimensions(depth=1, height=1, mass=1, width=1),
                batch_controlled=False,
            )
        )
        assert created.attributes.consumer_reference == sku and created.id, created
        item_id = created.id
        listed = list(items.list(filter=F.consumer_reference == sku, page_size=5, max_items=10))
        assert [r.id for r in listed] == [item_id], listed
        reference = created.reference
        assert reference is not None, created
        resolved = client.get(str(reference))
        assert resolved.id == item_id and isinstance(resolved.attributes, InventoryItem)
        assert resolved.attributes.consumer_reference == sku, resolved
        asynchronously = asyncio.run(_async_list(AsyncClient, F.consumer_reference == sku))
        assert asynchronously == [item_id], asynchronously
        items(item_id).delete()
        try:
            items(item_id).get()
        except NotFoundError:
            pass
        else:
            raise AssertionError(f"{item_id} still there after delete")
    return {"sku": sku, "reference": str(reference)}


def _long_poll_with_nothing(client: Any, name: str) -> None:
    """A long poll with nothing to deliver waits its time, then answers no events (the sandbox
    once failed it on 3.9 and 3.10, where asyncio's TimeoutError is not the builtin)."""
    from thg_connect.events import Subscription

    client.events.subscriptions.create(
        name, Subscription(entity_types=["thg-fulfil:fulfilment-request"])
    )
    subscription = client.events.subscriptions(name)
    started = time.monotonic()
    polled = list(subscription.poll(wait_time_seconds=1, max_events=1))
    waited = time.monotonic() - started
    assert polled == [] and waited >= 0.9, (polled, waited)
    subscription.delete()


async def _async_list(client_type: Any, condition: Any) -> List[str]:
    async with client_type.from_env(timeout=TIMEOUT) as client:
        paginator = client.thg_fulfil.inventory.list(filter=condition, max_items=10)
        return [resource.id async for resource in paginator]


def main(argv: List[str]) -> int:
    if argv == ["imports"]:
        summary = check_imports()
    elif argv[:1] == ["models"] and len(argv) == 2:
        summary = check_models(argv[1])
    elif argv == ["smoke"]:
        summary = smoke()
    else:
        print(
            "usage: probe.py imports | probe.py models EXAMPLES.json | probe.py smoke",
            file=sys.stderr,
        )
        return 2
    summary["python"] = "%d.%d.%d" % sys.version_info[:3]
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
