"""The README's "The generated client" snippet runs against the sandbox as written: brandco (the
consumer) creates, lists and reads an item; thg (its provider), with its own credentials, sets
the item's approval on brandco's paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thg_connect import Client
from thg_sandbox.server import RunningSandbox

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_client_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"The generated client:\n\n```python\n(.*?)```", text, re.S)
    (found,) = blocks
    return found


def test_the_snippet_runs_as_consumer_then_provider(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    brandco, thg = sandbox.credentials["brandco"], sandbox.credentials["thg"]
    for name, value in {
        "THG_CLIENT_ID": brandco.client_id,
        "THG_CLIENT_SECRET": brandco.client_secret,
        "THG_OWNER": "brandco",
        "THG_BASE_URL": sandbox.base_url,
        "THG_TOKEN_URL": sandbox.token_url,
        "THG_AUDIENCE": sandbox.base_url,
    }.items():
        monkeypatch.setenv(name, value)
    # The snippet's placeholders for the provider's credentials.
    names: dict[str, object] = {
        "THG_CLIENT_ID": thg.client_id,
        "THG_CLIENT_SECRET": thg.client_secret,
    }
    exec(compile(readme_client_snippet(), "README.md", "exec"), names)
    client, provider, item = names["client"], names["provider"], names["item"]
    for read in ("again", "found", "typed"):  # the item itself, read back through its reference
        assert names[read].reference == item.reference and names[read].id == item.id  # type: ignore[attr-defined]
    assert isinstance(client, Client) and isinstance(provider, Client)
    assert (client.owner, provider.owner) == ("brandco", "thg")
    approval = client.thg_fulfil.inventory(item.id).approval.get()  # type: ignore[attr-defined]
    assert approval.attributes.state == "REJECTED"
    assert approval.attributes.reason == "OTHER"
    assert approval.attributes.message == "Barcode does not match"
    client.close()
    provider.close()
