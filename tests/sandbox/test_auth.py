"""The token endpoint and bearer checks, over HTTP."""

from __future__ import annotations

import base64
import json

import httpx

from thg_sandbox.clock import ManualClock
from thg_sandbox.server import RunningSandbox

from .conftest import FULFIL, TIMEOUT, Org, errors, item

ITEMS = f"{FULFIL}/brandco/inventory"


def grant(sandbox: RunningSandbox, **overrides: str) -> httpx.Response:
    client = sandbox.credentials["brandco"]
    body = {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "grant_type": "client_credentials",
        "audience": sandbox.base_url,
        **overrides,
    }
    return httpx.post(sandbox.token_url, json=body, timeout=TIMEOUT)


def bearer(sandbox: RunningSandbox, token: str) -> httpx.Response:
    return httpx.get(
        sandbox.base_url + ITEMS, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )


def test_token_is_issued_and_accepted(sandbox: RunningSandbox) -> None:
    response = grant(sandbox)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert bearer(sandbox, body["access_token"]).status_code == 200


def test_production_audience_is_accepted_too(sandbox: RunningSandbox) -> None:
    token = grant(sandbox, audience="https://api.developer.thgingenuity.com")
    assert bearer(sandbox, token.json()["access_token"]).status_code == 200


def test_bad_credentials_are_oauth_errors(sandbox: RunningSandbox) -> None:
    wrong = grant(sandbox, client_secret="not-the-secret")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert "not-the-secret" not in wrong.text
    unknown = grant(sandbox, client_id="nobody")
    assert unknown.status_code == 401
    assert unknown.json() == wrong.json()
    assert grant(sandbox, grant_type="password").json()["error"] == "unsupported_grant_type"
    garbage = httpx.post(sandbox.token_url, content=b"{nope", timeout=TIMEOUT)
    assert garbage.status_code == 400
    assert garbage.json()["error"] == "invalid_request"


def test_missing_token_is_401(sandbox: RunningSandbox) -> None:
    response = httpx.get(sandbox.base_url + ITEMS, timeout=TIMEOUT)
    assert response.status_code == 401
    assert errors(response)[0]["code"] == "Unauthorized"
    assert response.headers["x-request-id"]


def test_tampered_token_is_401(sandbox: RunningSandbox) -> None:
    token = grant(sandbox).json()["access_token"]
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["org"] = "thg"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = bearer(sandbox, f"{head}.{forged}.{signature}")
    assert response.status_code == 401
    assert "signature" in errors(response)[0]["detail"]
    assert token not in response.text
    assert bearer(sandbox, "not-a-jwt").status_code == 401


def test_foreign_audience_is_401(sandbox: RunningSandbox) -> None:
    token = grant(sandbox, audience="https://some-other-api.example.com").json()["access_token"]
    response = bearer(sandbox, token)
    assert response.status_code == 401
    assert "audience" in errors(response)[0]["detail"]


def test_expired_token_is_401(sandbox: RunningSandbox, clock: ManualClock) -> None:
    token = grant(sandbox).json()["access_token"]
    assert bearer(sandbox, token).status_code == 200
    clock.advance(3601)
    response = bearer(sandbox, token)
    assert response.status_code == 401
    assert "expired" in errors(response)[0]["detail"]
    assert bearer(sandbox, grant(sandbox).json()["access_token"]).status_code == 200


def test_unknown_path_and_method_are_json_api_errors(brandco: Org) -> None:
    missing = brandco.get("/api/nothing/v1/brandco/thing")
    assert missing.status_code == 404
    assert errors(missing)[0]["code"] == "NotFound"
    created = brandco.post(ITEMS, json=item("AUTH-1")).json()["data"]
    patch = brandco.request("PATCH", f"{ITEMS}/{created['id']}", json={})
    assert patch.status_code == 405
    assert errors(patch)[0]["code"] == "MethodNotAllowed"
