"""What ``from thg_connect import Client`` loads (issue 17: that import costs <= 1.3x ``import
httpx, pydantic``; measured by ``bench/bench_import.py``). A timed test would be flaky on a
shared machine, so this guards the cause instead: in a fresh interpreter, the client's import
loads the runtime modules the client needs and nothing else: no pydantic (its models are built
on the first response decoded), no asyncio, no product subpackage, no filters, pagination,
events, webhooks or uploads. A module added to the client's path has to be added to
``CLIENT_PATH`` on purpose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, FrozenSet, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = "thg_connect_core"

# The runtime modules a client needs before its first call: configuration, token, the HTTP call
# and its errors, references (``get`` parses them), the registry the generated package fills and
# the path-segment check its reference paths use.
CLIENT_PATH = frozenset(
    f"{RUNTIME}.{name}"
    for name in (
        "_auth",
        "_base_error",
        "_body",
        "_call",
        "_client",
        "_config",
        "_entity_registry",
        "_environments",
        "_errors",
        "_paths",
        "_product_client",
        "_references",
        "_response",
        "_retry",
    )
)
# Packages the import must not load: pydantic (its models cost more than all the rest) and what
# only the asyncio client, events, webhooks or uploads need (asyncio alone costs ~10 ms).
HEAVY = frozenset(
    {"pydantic", "pydantic_core", "annotated_types", "asyncio", "anyio", "starlette", "multipart"}
)
PRODUCTS = ("document", "events", "product", "thg_fulfil")
REFERENCE = "thg:product:attribute-type#acme@colour"

# Runs in the fresh interpreter: the modules loaded by the import, then by a first ``get``.
FIRST_GET = textwrap.dedent("""
    import json, sys
    {imports}
    after_import = sorted(sys.modules)
    import httpx
    from thg_connect import ClientConfig

    RESOURCE = {{"id": "colour", "type": "product:attribute-type", "version": "3",
                "attributes": {{"name": "colour", "valueType": "string"}},
                "meta": {{"owner": "acme", "reference": "{reference}"}}}}

    def handle(request):
        if request.url.path == "/oauth/token":
            body = {{"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}}
        else:
            body = {{"data": RESOURCE}}
        return httpx.Response(200, content=json.dumps(body).encode())

    config = ClientConfig(client_id="cid", client_secret="secret", owner="acme",
                          base_url="https://api.example.com", audience="https://api.example.com",
                          token_url="https://auth.example.net/oauth/token")
    client = Client(config, http_client=httpx.Client(transport=httpx.MockTransport(handle)))
    found = client.get("{reference}")
    print(json.dumps({{"import": after_import, "get": sorted(sys.modules),
                      "attributes": type(found.attributes).__name__}}))
    """)


def _run(code: str) -> Any:
    """What ``code`` prints as JSON, run in a new interpreter with this tree's generated client
    and runtime first on the path (not whichever the environment has installed)."""
    path = [str(ROOT / "generated" / "src"), str(ROOT / "runtime" / "src")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _modules_after(imports: str) -> List[str]:
    return list(_run(f"import json, sys\n{imports}\nprint(json.dumps(sorted(sys.modules)))"))


def _top_levels(modules: List[str]) -> FrozenSet[str]:
    return frozenset(name.split(".", 1)[0] for name in modules)


@pytest.fixture(scope="module")
def client_import() -> Dict[str, Any]:
    """The modules loaded by ``from thg_connect import Client``, then by a first ``get``."""
    loaded: Dict[str, Any] = _run(
        FIRST_GET.format(imports="from thg_connect import Client", reference=REFERENCE)
    )
    return loaded


def test_the_client_import_loads_only_the_clients_runtime_modules(
    client_import: Dict[str, Any],
) -> None:
    loaded = client_import["import"]
    runtime = {name for name in loaded if name.startswith(f"{RUNTIME}.")}
    assert runtime == CLIENT_PATH, sorted(runtime ^ CLIENT_PATH)
    assert not _top_levels(loaded) & HEAVY, sorted(_top_levels(loaded) & HEAVY)
    products = [f"thg_connect.{name}" for name in PRODUCTS]
    assert not [name for name in loaded if name.startswith(tuple(products))]


def test_the_first_get_loads_what_the_import_deferred(
    client_import: Dict[str, Any],
) -> None:
    # The guard above means something: the modules it keeps out are the ones a first call needs.
    after = client_import["get"]
    assert client_import["attributes"] == "AttributeType"
    assert {"pydantic", "pydantic_core"} <= _top_levels(after)
    for needed in ("_jsonapi", "_models", "_lenient", "_resources", "_pagination"):
        assert f"{RUNTIME}.{needed}" in after, needed
    assert "thg_connect.product" in after
    assert "thg_connect.thg_fulfil" not in after  # one product used: one product loaded
    assert "asyncio" not in _top_levels(after)  # a blocking client never needs it


def test_the_runtime_alone_builds_a_client_without_pydantic() -> None:
    loaded = _modules_after(
        "from thg_connect_core import BaseClient, ClientConfig, Reference, SyncAPIClient"
    )
    assert {name for name in loaded if name.startswith(f"{RUNTIME}.")} <= CLIENT_PATH
    assert not _top_levels(loaded) & HEAVY


def test_the_package_import_loads_no_runtime() -> None:
    loaded = _modules_after("import thg_connect")
    assert "thg_connect._version" in loaded
    assert not _top_levels(loaded) & {RUNTIME, "httpx", "pydantic"}, sorted(_top_levels(loaded))


def test_a_name_the_runtime_does_not_export_is_a_clear_attribute_error() -> None:
    import thg_connect_core

    with pytest.raises(AttributeError, match="'thg_connect_core' has no attribute 'Clinet'"):
        _ = thg_connect_core.Clinet
    assert set(thg_connect_core.__all__) <= set(dir(thg_connect_core))
