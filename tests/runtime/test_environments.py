"""Environments (issue 14; recovered/auth-and-misc.md §1-2): production's profile, the stable and
staging profiles that require what the pages never showed, the guard that keeps another
environment's credentials away from production's token endpoint, and the Keycloak-shaped token
response of the Postman collection (S26) accepted."""

from __future__ import annotations

from typing import Dict, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thg_connect_core import ClientConfig, Document
from thg_connect_core._environments import ENVIRONMENTS, PRODUCTION, check_token_url

from .client_harness import SECRET, Attrs, Harness, ok, resource

CREDENTIALS = {"THG_CLIENT_ID": "cid", "THG_CLIENT_SECRET": SECRET, "THG_OWNER": "brandco"}
PROD_TOKEN = "https://frontier-production.uk.auth0.com/oauth/token"


def env(**values: str) -> Dict[str, str]:
    return {**CREDENTIALS, **values}


def test_production_is_the_default_profile() -> None:
    config = ClientConfig.from_env(env())
    assert config.base_url == "https://api.developer.thgingenuity.com"
    assert config.token_url == PROD_TOKEN
    assert config.audience == "https://api.developer.thgingenuity.com"
    assert ClientConfig.from_env(env(THG_ENVIRONMENT="production")) == config


def test_a_sandbox_base_url_without_a_token_url_is_refused_naming_both() -> None:
    with pytest.raises(ValueError) as info:
        ClientConfig.from_env(env(THG_BASE_URL="http://127.0.0.1:8080"))
    message = str(info.value)
    assert "http://127.0.0.1:8080" in message and PROD_TOKEN in message
    assert "THG_TOKEN_URL" in message and SECRET not in message


def test_a_sandbox_base_url_with_its_token_url_is_fine() -> None:
    config = ClientConfig.from_env(
        env(THG_BASE_URL="http://127.0.0.1:8080", THG_TOKEN_URL="http://127.0.0.1:8080/oauth/token")
    )
    assert config.audience == "http://127.0.0.1:8080"


def test_building_a_config_by_hand_is_guarded_too() -> None:
    with pytest.raises(ValueError, match="production's token endpoint"):
        ClientConfig(
            client_id="c",
            client_secret=SECRET,
            owner="o",
            base_url="https://staging.example.com",
            token_url=PROD_TOKEN,
            audience="https://staging.example.com",
        )


@pytest.mark.parametrize("name", ["stable", "staging", "STAGING"])
def test_stable_and_staging_require_what_the_pages_never_showed(name: str) -> None:
    with pytest.raises(ValueError) as info:
        ClientConfig.from_env(env(THG_ENVIRONMENT=name))
    assert "THG_BASE_URL is not set" in str(info.value)
    assert "apisandbox.tech" in str(info.value)  # where the environment is seen
    with pytest.raises(ValueError, match="THG_TOKEN_URL is not set"):
        ClientConfig.from_env(env(THG_ENVIRONMENT=name, THG_BASE_URL="https://api.stage.example"))
    config = ClientConfig.from_env(
        env(
            THG_ENVIRONMENT=name,
            THG_BASE_URL="https://api.stage.example",
            THG_TOKEN_URL="https://auth.stage.example/token",
        )
    )
    assert config.audience == "https://api.stage.example"


def test_the_profiles_say_what_was_not_recovered() -> None:
    assert PRODUCTION.missing() == ()
    for name in ("stable", "staging"):
        assert ENVIRONMENTS[name].missing() == ("THG_BASE_URL", "THG_TOKEN_URL", "THG_AUDIENCE")


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(ValueError, match="not an environment of the platform"):
        ClientConfig.from_env(env(THG_ENVIRONMENT="prod-eu"))


hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True)


@given(host=hosts, scheme=st.sampled_from(["http", "https"]), path=st.sampled_from(["", "/x"]))
def test_production_token_url_only_ever_with_production_api(
    host: str, scheme: str, path: str
) -> None:
    base = f"{scheme}://{host}{path}"
    is_production = (scheme, host) == ("https", "api.developer.thgingenuity.com")
    if is_production:
        check_token_url(base, PROD_TOKEN)
    else:
        with pytest.raises(ValueError):
            check_token_url(base, PROD_TOKEN)
    check_token_url(base, f"{scheme}://{host}/oauth/token")  # its own token URL: always fine


# -- the Keycloak-shaped token response (S26) ----------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def h(request: pytest.FixtureRequest) -> Iterator[Harness]:
    yield Harness(request.param)


def test_a_keycloak_shaped_token_response_is_accepted(h: Harness) -> None:
    h.server.token_script = [
        ok(
            {
                "access_token": "kc-token",
                "expires_in": 300,
                "refresh_expires_in": 1800,
                "refresh_token": "r",
                "token_type": "Bearer",
                "not-before-policy": 0,
                "session_state": "5f1c",
                "scope": "profile email",
            }
        )
    ]
    h.server.default = ok({"data": resource(1)})
    assert h.request("GET", "/x", cast_to=Document[Attrs]).data.id == "id1"
    assert h.server.api_auth == ["Bearer kc-token"]
    assert h.client._auth.state.expires_at == pytest.approx(h.clock.now + 300, abs=1)
