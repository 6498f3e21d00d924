"""Every script in examples/ runs against the sandbox, as a user would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from thg_connect import Client
from thg_connect.thg_fulfil import ApprovalApproved
from thg_sandbox.server import RunningSandbox

from .items import inventory_item

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def environment(sandbox: RunningSandbox, org: str) -> dict[str, str]:
    credentials = sandbox.credentials[org]
    provider = sandbox.credentials["thg"]  # for the scripts that act as both sides
    return {
        **os.environ,
        "THG_BASE_URL": sandbox.base_url,
        "THG_TOKEN_URL": sandbox.token_url,
        "THG_AUDIENCE": sandbox.base_url,
        "THG_CLIENT_ID": credentials.client_id,
        "THG_CLIENT_SECRET": credentials.client_secret,
        "THG_OWNER": org,
        "THG_PROVIDER_CLIENT_ID": provider.client_id,
        "THG_PROVIDER_CLIENT_SECRET": provider.client_secret,
        "THG_PROVIDER_OWNER": "thg",
    }


def run(sandbox: RunningSandbox, script: str, org: str = "brandco") -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        env=environment(sandbox, org),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "secret" not in result.stdout + result.stderr
    return result.stdout


def test_inventory_items(sandbox: RunningSandbox) -> None:
    for _ in range(2):  # any number of times against one database (its sku is unique per owner)
        out = run(sandbox, "inventory_items.py")
        assert "created thg:thg-fulfil:inventory#brandco@" in out
        assert "approved, provider reference BRC-EDP-" in out  # the sandbox provider, by SKU
        assert "stock 100 GOOD at" in out and "deleted" in out  # ...011: stocked as well


def test_hazmat_document(sandbox: RunningSandbox) -> None:
    for _ in range(2):
        out = run(sandbox, "hazmat_document.py")
        assert "uploaded thg:document:brandco@" in out and "documented by" in out


def test_fulfilment_dispatch(sandbox: RunningSandbox) -> None:
    for _ in range(2):  # a new orderId and tracking number per run
        out = run(sandbox, "fulfilment_dispatch.py")
        assert "requested thg:thg-fulfil:fulfilment-request#brandco@" in out
        assert "dispatched thg:thg-fulfil:fulfilment-request.dispatched#thg@" in out
        assert "approved as PRV-" in out and "sent 20" in out


def test_fulfilment_sandbox(sandbox: RunningSandbox) -> None:
    for _ in range(2):  # a new orderId per request and run
        out = run(sandbox, "fulfilment_sandbox.py")
        assert "sandbox accept: approved as PROVIDER12345; dispatched lines []" in out
        assert "sandbox reject: rejected: rejected fulfilment request via sandbox;" in out
        assert (
            "sandbox dispatch: approved as PROVIDER12345; dispatched lines [('1', 1), ('2', 2)]"
            in out
        )
        assert (
            "sandbox partial-dispatch: approved as PROVIDER12345; dispatched lines [('1', 1)]"
            in out
        )


def test_inbound_chain(sandbox: RunningSandbox) -> None:
    for _ in range(2):  # new references per run
        out = run(sandbox, "inbound_chain.py")
        assert "pre-advised thg:thg-fulfil:pre-advice#brandco@" in out
        assert re.search(r"^booked BOOK-[0-9]{8} for \d{4}-\d\d-\d\d$", out, re.MULTILINE), out
        assert "announced thg:thg-fulfil:asn#brandco@" in out and "progress FINISHED" in out
        assert re.search(r"partial receipt GRN-\w+-1 received 22\nfinal receipt", out), out
        assert "  issue: 2 units arrived damaged" in out


def test_events_polling(sandbox: RunningSandbox) -> None:
    for _ in range(2):  # a new subscription and sku per run
        out = run(sandbox, "events_polling.py")
        actions = [line.split()[0] for line in out.splitlines() if line.lower().endswith("candle")]
        assert actions == ["CREATED", "CREATED", "DELETED"], out
        assert "handled 3 events" in out


def test_events_webhook(sandbox: RunningSandbox) -> None:
    for _ in range(2):
        out = run(sandbox, "events_webhook.py")
        assert "subscribed hook-" in out and "-> http://127.0.0.1:" in out
        assert "handled 2 events; 0 left unconfirmed" in out, out


def test_product_variants(sandbox: RunningSandbox) -> None:
    for _ in range(2):  # model names and skus unique per run
        out = run(sandbox, "product_variants.py")
        assert "product thg:product:product#brandco@" in out
        assert "variant {'colour': 'purple'} sizes ['38', '40']" in out
        assert "refused:" in out and "title" in out


def test_approve_items(sandbox: RunningSandbox, client: Callable[[str], Client]) -> None:
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "approve_items.py"), "--once"],
        env=environment(sandbox, "thg"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("listening on")
        brand = client("brandco")
        item = brand.thg_fulfil.inventory.create(
            inventory_item(f"EX-{uuid.uuid4().hex[:8]}", title="Candle")
        )
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert f"reviewed thg:thg-fulfil:inventory#brandco@{item.id}" in out
    deadline = time.monotonic() + 5
    approval = brand.thg_fulfil.inventory(item.id).approval.get()
    assert isinstance(approval.attributes, ApprovalApproved) and time.monotonic() < deadline
