"""Configuration: environment reading, overrides, defaults, and the secret never shown."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from thg_connect_core._config import DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, ClientConfig, Secret

ENV = {"THG_CLIENT_ID": "cid", "THG_CLIENT_SECRET": "s3cr3t-value", "THG_OWNER": "acme"}


def test_secret_hidden() -> None:
    secret = Secret("s3cr3t-value")
    assert repr(secret) == "Secret('**********')"
    assert str(secret) == "**********"
    assert f"{secret}" == "**********"
    assert secret.reveal() == "s3cr3t-value"
    assert Secret("a") == Secret("a") and Secret("a") != Secret("b")
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_from_env_defaults() -> None:
    config = ClientConfig.from_env(ENV)
    assert config.client_id == "cid"
    assert config.client_secret.reveal() == "s3cr3t-value"
    assert config.owner == "acme"
    assert config.base_url == DEFAULT_BASE_URL
    assert config.token_url == DEFAULT_TOKEN_URL
    assert config.audience == DEFAULT_BASE_URL
    assert config.timeout == 30.0 and config.max_retries == 2


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("THG_BASE_URL", "http://sandbox.local:8000/")
    monkeypatch.setenv("THG_TOKEN_URL", "http://sandbox.local:8000/oauth/token")
    monkeypatch.delenv("THG_AUDIENCE", raising=False)
    config = ClientConfig.from_env()
    assert config.base_url == "http://sandbox.local:8000"
    assert config.audience == "http://sandbox.local:8000"
    assert config.token_url == "http://sandbox.local:8000/oauth/token"


def test_overrides_win() -> None:
    config = ClientConfig.from_env(
        ENV, owner="other", client_secret="x", max_retries=0, audience="aud"
    )
    assert config.owner == "other"
    assert config.client_secret == Secret("x")
    assert config.max_retries == 0
    assert config.audience == "aud"


@pytest.mark.parametrize("missing", ["THG_CLIENT_ID", "THG_CLIENT_SECRET", "THG_OWNER"])
def test_missing_required_names_variable(missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ValueError, match=missing):
        ClientConfig.from_env(env)


def test_unknown_override_rejected() -> None:
    with pytest.raises(TypeError):
        ClientConfig.from_env(ENV, colour="red")


def test_repr_never_shows_secret() -> None:
    config = ClientConfig.from_env(ENV)
    assert "s3cr3t-value" not in repr(config)
    assert "s3cr3t-value" not in str(config)
    assert "**********" in repr(config)


def test_frozen_and_with_owner() -> None:
    config = ClientConfig.from_env(ENV)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.owner = "x"  # type: ignore[misc]
    other = config.with_owner("beta")
    assert other.owner == "beta" and config.owner == "acme"
    assert other.client_secret is config.client_secret


def test_validation() -> None:
    with pytest.raises(ValueError):
        ClientConfig.from_env(ENV, timeout=0)
    with pytest.raises(ValueError):
        ClientConfig.from_env(ENV, max_retries=-1)
