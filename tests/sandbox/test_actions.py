"""Actions served generically from the spec (``thg_sandbox/actions.py``, CONVENTIONS §4).

The only actions of specs/ (events' poll and confirm) are emulated by the events extension, so a
sandbox without extensions shows the generic path: every check the spec describes (token, the
entity the action lives under, declared parameters, a declared body), then 501
``ActionNotEmulated`` for a valid call, never a 2xx claiming an effect that did not happen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_sandbox.actions import check_body, parameter_value
from thg_sandbox.config import ApiClient, SandboxConfig, default_config
from thg_sandbox.errors import ApiError
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_sandbox.validation import SchemaSet
from thg_spec import Product

from .conftest import SPECS, TIMEOUT, Org, doc, errors

BASE = "/api/events/v1/brandco/subscription"


@pytest.fixture(scope="module")
def bare(products: list[Product]) -> Iterator[RunningSandbox]:
    base = default_config()
    config = SandboxConfig(  # `otherco`: no partner of brandco
        organisations=(*base.organisations, "otherco"),
        clients=(*base.clients, ApiClient("otherco", "otherco-sandbox-secret", "otherco")),
        partnerships=base.partnerships,
    )
    with running_sandbox(SPECS, config, products=products, extensions=()) as running:
        yield running


@pytest.fixture(scope="module")
def brandco(bare: RunningSandbox) -> Iterator[Org]:
    with Org(bare, "brandco") as org:
        assert org.post(BASE, json=doc("events:subscription", {}, id="s1")).status_code == 201
        yield org


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["x-request-id"]
    (error,) = errors(response)
    return error


def test_a_valid_call_is_answered_501_action_not_emulated(brandco: Org) -> None:
    poll = brandco.get(f"{BASE}/s1/events", params={"waitTimeSeconds": "0", "maxEvents": "5"})
    confirm = brandco.delete(f"{BASE}/s1/confirm", headers={"receipt-handle": "AQEB"})
    for response, name in ((poll, "poll"), (confirm, "confirm")):
        error = _error(response, 501)
        assert error["code"] == "ActionNotEmulated"
        assert f"does not emulate {name}" in error["detail"]
        assert "CONVENTIONS §4" in error["detail"]


def test_a_bad_token_is_a_401_before_anything_else(bare: RunningSandbox) -> None:
    url = bare.base_url + "/api/events/v1/brandco/subscription/nowhere/events?maxEvents=0"
    assert httpx.get(url, timeout=TIMEOUT).status_code == 401


def test_the_entity_must_exist_and_the_caller_be_its_writer(
    brandco: Org, bare: RunningSandbox
) -> None:
    assert _error(brandco.get(f"{BASE}/missing/events"), 404)["code"]
    assert _error(brandco.get("/api/events/v1/NOT_A_SLUG/subscription/s1/events"), 404)
    # As the events extension answers: a partner may read the subscription, not act on it; a
    # stranger learns nothing.
    with Org(bare, "thg") as thg, Org(bare, "otherco") as otherco:
        assert thg.get(f"{BASE}/s1").status_code == 200
        assert _error(thg.get(f"{BASE}/s1/events"), 403)
        assert _error(thg.delete(f"{BASE}/s1/confirm", headers={"receipt-handle": "x"}), 403)
        assert otherco.get(f"{BASE}/s1").status_code == 404
        assert _error(otherco.get(f"{BASE}/s1/events"), 404)


@pytest.mark.parametrize(
    ("params", "parameter", "detail"),
    [
        ({"waitTimeSeconds": "21"}, "waitTimeSeconds", "21 is greater than the maximum of 20"),
        ({"waitTimeSeconds": "-1"}, "waitTimeSeconds", "-1 is less than the minimum of 0"),
        ({"maxEvents": "many"}, "maxEvents", "a value of type integer"),
        ({"maxEvents": "1.5"}, "maxEvents", "a value of type integer"),
        ({"maxEvents": "0"}, "maxEvents", "0 is less than the minimum of 1"),
    ],
)
def test_declared_query_parameters_are_checked_against_their_schema(
    brandco: Org, params: dict[str, str], parameter: str, detail: str
) -> None:
    error = _error(brandco.get(f"{BASE}/s1/events", params=params), 400)
    assert (error["code"], error["source"]) == ("InvalidParameter", {"parameter": parameter})
    assert error["detail"].startswith(f"The query parameter {parameter} is invalid: ")
    assert detail in error["detail"]


def test_a_required_header_parameter_must_be_there(brandco: Org) -> None:
    # A 422 as the platform (FastAPI) and the events extension answer it.
    error = _error(brandco.delete(f"{BASE}/s1/confirm"), 422)
    assert (error["code"], error["source"]) == (
        "RequestValidationError",
        {"parameter": "receipt-handle"},
    )
    assert error["detail"] == "The header parameter receipt-handle is required."
    empty = _error(brandco.delete(f"{BASE}/s1/confirm", headers={"receipt-handle": ""}), 422)
    assert empty["source"] == {"parameter": "receipt-handle"}


# --- a declared request body (no action of specs/ has one: a document of its own) ---

_SCHEMAS = SchemaSet(
    {
        "components": {
            "schemas": {
                "Body": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {
                        "data": {
                            "type": "object",
                            "properties": {"reason": {"type": "string", "maxLength": 5}},
                        }
                    },
                }
            }
        }
    }
)


def test_a_declared_body_is_checked_field_by_field() -> None:
    check_body(_SCHEMAS, "/components/schemas/Body", b'{"data": {"reason": "late"}}')
    with pytest.raises(ApiError) as raised:
        check_body(_SCHEMAS, "/components/schemas/Body", b'{"data": {"reason": "far too late"}}')
    assert raised.value.status == 422
    assert [e.pointer for e in raised.value.errors] == ["/data/reason"]
    for body, code in ((b"", "MalformedRequest"), (b"{nope", "MalformedJson")):
        with pytest.raises(ApiError) as raised:
            check_body(_SCHEMAS, "/components/schemas/Body", body)
        assert (raised.value.status, raised.value.errors[0].code) == (400, code)
    with pytest.raises(ApiError) as raised:
        check_body(_SCHEMAS, "/components/schemas/Body", b"[]")
    assert [e.pointer for e in raised.value.errors] == [""]


# --- reading a parameter's text as its schema's type ---


@given(st.integers())
def test_integers_read_back(number: int) -> None:
    text = str(number)
    if len(text.lstrip("-")) > 4000:  # more digits than Python reads from text
        return
    assert parameter_value(text, "integer") == number
    assert parameter_value(text, "number") == float(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_read_back(number: float) -> None:
    assert parameter_value(repr(number), "number") == number  # 5.0, -0.0, 1e-05, 1.5e+16


@given(st.text(max_size=12))
def test_only_json_spellings_are_read(text: str) -> None:
    assert parameter_value(text, "string") == text
    if text in ("true", "false"):
        assert parameter_value(text, "boolean") is (text == "true")
    else:
        with pytest.raises(ValueError):
            parameter_value(text, "boolean")
    is_integer = text.lstrip("-").isascii() and text.lstrip("-").isdigit()
    canonical = is_integer and text == str(int(text)) and text != "-0"
    if not is_integer:
        with pytest.raises(ValueError):
            parameter_value(text, "integer")
    elif canonical:
        assert parameter_value(text, "integer") == int(text)


@pytest.mark.parametrize("text", ["1_000", " 5", "5 ", "+5", "05", "nan", "inf", "True", "1e3"])
def test_pythons_own_spellings_are_not_json(text: str) -> None:
    for kind in ("integer", "boolean"):
        with pytest.raises(ValueError):
            parameter_value(text, kind)
    if text != "1e3":
        with pytest.raises(ValueError):
            parameter_value(text, "number")
    else:
        assert parameter_value(text, "number") == 1000.0
