"""Who exists in the sandbox: organisations, their API clients and their partnerships.

Read from a TOML or YAML file (``--config``) or the built-in default, then frozen. The file:

```toml
token_ttl = 3600                      # optional, seconds
event_visibility = 30                 # optional, seconds a polled event stays hidden

[[organisations]]
slug = "brandco"
clients = [{client_id = "brandco", client_secret = "brandco-secret"}]

[[partnerships]]
products = ["*"]                      # "*" = every product the sandbox serves
consumer = "brandco"
providers = ["thg", "sandbox"]
```
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomllib is tomli, taken into the standard library in 3.11 (same API)
    import tomli as tomllib

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
ALL_PRODUCTS = "*"
DEFAULT_TOKEN_TTL = 3600
DEFAULT_EVENT_VISIBILITY = 30.0  # CONVENTIONS §11: the visibility window


class ConfigError(ValueError):
    """The config file is unreadable or inconsistent; the message says where."""


@dataclass(frozen=True)
class ApiClient:
    client_id: str
    client_secret: str = field(repr=False)  # never shown by repr (logs, tracebacks)
    organisation: str


@dataclass(frozen=True)
class Partnership:
    product: str  # a product name or ALL_PRODUCTS
    consumer: str
    providers: tuple[str, ...]


@dataclass(frozen=True)
class SandboxConfig:
    organisations: tuple[str, ...]
    clients: tuple[ApiClient, ...]
    partnerships: tuple[Partnership, ...]
    token_ttl: int = DEFAULT_TOKEN_TTL
    event_visibility: float = DEFAULT_EVENT_VISIBILITY

    def with_token_ttl(self, seconds: int) -> SandboxConfig:
        return replace(self, token_ttl=seconds)

    def with_event_visibility(self, seconds: float) -> SandboxConfig:
        if seconds <= 0:
            raise ConfigError("event_visibility must be a positive number of seconds")
        return replace(self, event_visibility=float(seconds))

    def client(self, client_id: str) -> ApiClient | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def credentials(self) -> dict[str, ApiClient]:
        """The first API client of each organisation, by organisation slug."""
        found: dict[str, ApiClient] = {}
        for client in self.clients:
            found.setdefault(client.organisation, client)
        return found

    def roles(self, product: str, caller: str, owner: str) -> frozenset[str]:
        """The partnership roles `caller` plays towards `owner` in `product` (empty: strangers)."""
        roles: set[str] = set()
        for p in self.partnerships:
            if p.product not in (product, ALL_PRODUCTS):
                continue
            if p.consumer == caller and owner in p.providers:
                roles.add("consumer")
            if p.consumer == owner and caller in p.providers:
                roles.add("provider")
        return frozenset(roles)

    def providers_of(self, product: str, consumer: str) -> frozenset[str]:
        return frozenset(
            provider
            for p in self.partnerships
            if p.product in (product, ALL_PRODUCTS) and p.consumer == consumer
            for provider in p.providers
        )


def default_config() -> SandboxConfig:
    """brandco (consumer) partnered with thg and sandbox (providers) in every product.

    The secrets are fixed and public on purpose: the sandbox is a local test double, and tests
    and READMEs need credentials they can write down.
    """
    orgs = ("brandco", "thg", "sandbox")
    return SandboxConfig(
        organisations=orgs,
        clients=tuple(ApiClient(org, f"{org}-sandbox-secret", org) for org in orgs),
        partnerships=(Partnership(ALL_PRODUCTS, "brandco", ("thg", "sandbox")),),
    )


def load_config(path: Path) -> SandboxConfig:
    """Read a TOML (``.toml``) or YAML (anything else) config file."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the config: {exc}") from None
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{path}: the config must be a mapping")
    try:
        return _parse(raw)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty string")
    return value


def _slug(value: Any, where: str) -> str:
    text = _text(value, where)
    if not SLUG.fullmatch(text):
        raise ConfigError(f"{where} {text!r} is not an organisation slug ([a-z0-9][a-z0-9-]*)")
    return text


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a list")
    return value


def _parse(raw: Mapping[str, Any]) -> SandboxConfig:
    orgs: list[str] = []
    clients: list[ApiClient] = []
    for i, org in enumerate(_list(raw.get("organisations"), "organisations")):
        where = f"organisations[{i}]"
        if not isinstance(org, Mapping):
            raise ConfigError(f"{where} must be a mapping")
        slug = _slug(org.get("slug"), f"{where}.slug")
        if slug in orgs:
            raise ConfigError(f"{where}.slug {slug!r} is declared twice")
        orgs.append(slug)
        for j, client in enumerate(_list(org.get("clients"), f"{where}.clients")):
            cwhere = f"{where}.clients[{j}]"
            if not isinstance(client, Mapping):
                raise ConfigError(f"{cwhere} must be a mapping")
            client_id = _text(client.get("client_id"), f"{cwhere}.client_id")
            if any(c.client_id == client_id for c in clients):
                raise ConfigError(f"{cwhere}.client_id {client_id!r} is declared twice")
            secret = _text(client.get("client_secret"), f"{cwhere}.client_secret")
            clients.append(ApiClient(client_id, secret, slug))
    partnerships: list[Partnership] = []
    for i, p in enumerate(_list(raw.get("partnerships"), "partnerships")):
        where = f"partnerships[{i}]"
        if not isinstance(p, Mapping):
            raise ConfigError(f"{where} must be a mapping")
        consumer = _slug(p.get("consumer"), f"{where}.consumer")
        providers = [
            _slug(v, f"{where}.providers[{k}]")
            for k, v in enumerate(_list(p.get("providers"), f"{where}.providers"))
        ]
        for org in [consumer, *providers]:
            if org not in orgs:
                raise ConfigError(f"{where} names {org!r}, which is not an organisation")
        products = _list(p.get("products", [ALL_PRODUCTS]), f"{where}.products")
        for k, product in enumerate(products):
            name = _text(product, f"{where}.products[{k}]")
            partnerships.append(Partnership(name, consumer, tuple(providers)))
    ttl = raw.get("token_ttl", DEFAULT_TOKEN_TTL)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 1:
        raise ConfigError("token_ttl must be a positive integer (seconds)")
    visibility = raw.get("event_visibility", DEFAULT_EVENT_VISIBILITY)
    if not isinstance(visibility, (int, float)) or isinstance(visibility, bool) or visibility <= 0:
        raise ConfigError("event_visibility must be a positive number (seconds)")
    return SandboxConfig(tuple(orgs), tuple(clients), tuple(partnerships), ttl, float(visibility))
