"""The runtime client against the sandbox's fault plans and document uploads, end to end: what
a reliability test of an integration looks like (the sandbox itself never imports the runtime)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from thg_connect_core import (
    ClientConfig,
    Reference,
    RequestMaybeSentError,
    SyncAPIClient,
    upload_document,
)
from thg_sandbox.faults import FAULT_HEADER, Fault
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, Org, item

ITEMS = f"{FULFIL}/brandco/inventory"


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def client(sandbox: RunningSandbox, slept: list[float]) -> Iterator[SyncAPIClient]:
    credentials = sandbox.credentials["brandco"]
    config = ClientConfig(
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        owner="brandco",
        base_url=sandbox.base_url,
        token_url=sandbox.token_url,
        audience=sandbox.base_url,
        timeout=10.0,
    )
    with SyncAPIClient(config, sleep=slept.append) as api:
        yield api


def plan(sandbox: RunningSandbox, operation: str, *faults: Fault) -> dict[str, str]:
    return {FAULT_HEADER: sandbox.faults.create({operation: list(faults)}).id}


def test_rate_limits_and_unavailability_are_waited_out(
    client: SyncAPIClient, sandbox: RunningSandbox, slept: list[float]
) -> None:
    headers = plan(
        sandbox, "listInventoryItems", Fault.unavailable(retry_after=1), Fault.too_many_requests(2)
    )
    listed: Any = client.request("GET", ITEMS, cast_to=dict, extra_headers=headers)
    assert listed["data"] is not None
    assert [round(s) for s in slept] == [1, 2]  # the sandbox's Retry-After, honoured
    consumed = sandbox.faults.consumed(headers[FAULT_HEADER])
    assert [c.fault.kind for c in consumed] == ["503", "429"]


def test_a_reset_get_is_retried(client: SyncAPIClient, sandbox: RunningSandbox) -> None:
    headers = plan(sandbox, "listInventoryItems", Fault.reset())
    client.request("GET", ITEMS, cast_to=dict, extra_headers=headers)
    assert [c.fault.kind for c in sandbox.faults.consumed(headers[FAULT_HEADER])] == ["reset"]


@pytest.mark.parametrize(("fault", "created"), [(Fault.reset(), 0), (Fault.drop_response(), 1)])
def test_a_lost_post_is_reported_as_maybe_sent(
    client: SyncAPIClient, sandbox: RunningSandbox, brandco: Org, fault: Fault, created: int
) -> None:
    sku = f"FAULT-CLIENT-{fault.kind.upper()}"
    headers = plan(sandbox, "createInventoryItem", fault)
    with pytest.raises(RequestMaybeSentError):
        client.request("POST", ITEMS, body=json.dumps(item(sku)).encode(), extra_headers=headers)
    found = brandco.get(ITEMS, params={"filter": f"consumerReference='{sku}'"}).json()["data"]
    assert len(found) == created  # a reset never reached the handler; a dropped answer did


def test_a_delete_whose_answer_was_lost_succeeds_on_its_retry(
    client: SyncAPIClient, sandbox: RunningSandbox, brandco: Org
) -> None:
    """Issue 14: the first DELETE is processed but its answer is lost; the retry gets 404, which
    means the first one worked, so the call succeeds instead of raising NotFoundError."""
    created = brandco.post(ITEMS, json=item("FAULT-CLIENT-DELETE"))
    assert created.status_code in (200, 201), created.text
    path = f"{ITEMS}/{created.json()['data']['id']}"
    headers = plan(sandbox, "*", Fault.drop_response())
    assert client.request("DELETE", path, extra_headers=headers) is None
    assert [c.fault.kind for c in sandbox.faults.consumed(headers[FAULT_HEADER])] == [
        "drop-response"
    ]
    assert brandco.get(path).status_code == 404


def test_upload_document_end_to_end(client: SyncAPIClient, brandco: Org, tmp_path: Path) -> None:
    sheet = tmp_path / "sds.pdf"
    sheet.write_bytes(b"%PDF-1.7\n" + b"0" * 70_000)
    reference = upload_document(client, sheet)
    assert isinstance(reference, Reference) and reference.owner == "brandco"
    got = brandco.get(f"/api/document/v1/brandco/document/{reference.id}").json()["data"]
    assert got["attributes"] == {
        "filename": "sds.pdf",
        "contentType": "application/pdf",
        "status": "AVAILABLE",
        "size": sheet.stat().st_size,
    }
    hazmat = item("FAULT-CLIENT-HZ", hazmatCode="1266", hazmat_documentation=str(reference))
    assert brandco.post(ITEMS, json=hazmat).status_code == 200
