"""Client configuration: credentials, owner, endpoints, timeouts and the retry budget.

``ClientConfig.from_env()`` reads THG_CLIENT_ID, THG_CLIENT_SECRET, THG_OWNER, THG_ENVIRONMENT,
THG_BASE_URL, THG_TOKEN_URL and THG_AUDIENCE (runtime brief, "Platform facts"); keyword overrides
win over the environment. THG_ENVIRONMENT (``production`` by default; ``stable``, ``staging``)
picks the profile the three URLs default to (``_environments``); a profile whose URLs the
platform's pages do not show requires them. A configuration whose API is not production's never
uses production's token URL (``check_token_url``). The client secret is wrapped in ``Secret``
so that no ``repr``, ``str``, log line or traceback shows it; only ``reveal()`` does.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, TypedDict, Union

from ._environments import ENVIRONMENTS, PRODUCTION, check_token_url

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TOKEN_URL",
    "ClientConfig",
    "ConfigOptions",
    "Secret",
]

DEFAULT_BASE_URL = "https://api.developer.thgingenuity.com"
DEFAULT_TOKEN_URL = "https://frontier-production.uk.auth0.com/oauth/token"
assert (DEFAULT_BASE_URL, DEFAULT_TOKEN_URL) == (PRODUCTION.base_url, PRODUCTION.token_url)

_MASK = "**********"


class Secret:
    """A string that never shows itself: ``repr``/``str`` are ``**********``; ``reveal()`` is
    not."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = str(value)

    def reveal(self) -> str:
        """The secret text."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("Secret cannot be pickled")


class ConfigOptions(TypedDict, total=False):
    """The keyword options of ``from_env`` (``**options: Unpack[ConfigOptions]``): a misspelt
    option is a type error, not a silently ignored setting."""

    client_id: str
    client_secret: Union[str, Secret]
    owner: str
    environment: str
    base_url: str
    token_url: str
    audience: str
    timeout: float
    max_retries: int
    backoff_base: float
    backoff_cap: float
    retry_after_cap: float


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client needs; immutable (``dataclasses.replace`` / ``with_owner`` derive)."""

    client_id: str
    client_secret: Secret
    owner: str
    base_url: str
    token_url: str
    audience: str
    timeout: float = 30.0
    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 60.0

    if TYPE_CHECKING:  # the generated __init__ takes the secret as text too (wrapped below)

        def __init__(
            self,
            client_id: str,
            client_secret: Union[str, Secret],
            owner: str,
            base_url: str,
            token_url: str,
            audience: str,
            timeout: float = 30.0,
            max_retries: int = 2,
            backoff_base: float = 0.5,
            backoff_cap: float = 8.0,
            retry_after_cap: float = 60.0,
        ) -> None: ...

    def __post_init__(self) -> None:
        secret: Union[str, Secret] = self.client_secret
        if not isinstance(secret, Secret):
            object.__setattr__(self, "client_secret", Secret(secret))
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if self.timeout <= 0:
            raise ValueError("timeout must be greater than 0")
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if self.backoff_base < 0 or self.backoff_cap < 0 or self.retry_after_cap < 0:
            raise ValueError("backoff_base, backoff_cap and retry_after_cap must not be negative")
        check_token_url(self.base_url, self.token_url)

    @classmethod
    def from_env(
        cls,
        environ: Optional[Mapping[str, str]] = None,
        *,
        client_id: Optional[str] = None,
        client_secret: Union[str, Secret, None] = None,
        owner: Optional[str] = None,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        token_url: Optional[str] = None,
        audience: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        backoff_base: Optional[float] = None,
        backoff_cap: Optional[float] = None,
        retry_after_cap: Optional[float] = None,
    ) -> "ClientConfig":
        """Read the THG_* environment variables; ``overrides`` (field names) take precedence.

        Raises ``ValueError`` naming the variable when a required value (client id, client
        secret, owner, or a URL the chosen environment's profile cannot supply) is neither
        overridden nor set, when THG_ENVIRONMENT names no known environment, and when the API is
        not production's but the token URL would be (see the module docs).
        """
        env = os.environ if environ is None else environ
        overrides: Dict[str, Any] = dict(
            environment=environment,
            client_id=client_id,
            client_secret=client_secret,
            owner=owner,
            base_url=base_url,
            token_url=token_url,
            audience=audience,
            timeout=timeout,
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            retry_after_cap=retry_after_cap,
        )

        def pick(field: str, variable: str, default: Optional[str] = None) -> Any:
            value = overrides.get(field)
            if value is not None:
                return value
            text = env.get(variable, "").strip()
            if text:
                return text
            if default is not None:
                return default
            raise ValueError(
                f"{variable} is not set: set the environment variable or pass {field}=..."
            )

        name = str(environment or env.get("THG_ENVIRONMENT", "").strip() or PRODUCTION.name)
        profile = ENVIRONMENTS.get(name.lower())
        if profile is None:
            raise ValueError(
                f"THG_ENVIRONMENT {name!r} is not an environment of the platform: use one of "
                f"{', '.join(sorted(ENVIRONMENTS))} (or production's default and set THG_BASE_URL, "
                "THG_TOKEN_URL and THG_AUDIENCE)"
            )

        def pick_url(field: str, variable: str, default: Optional[str]) -> Any:
            try:
                return pick(field, variable, default)
            except ValueError:
                raise ValueError(
                    f"{variable} is not set, and the platform's pages do not show the "
                    f"{profile.name} environment's value ({profile.evidence}): set the "
                    f"environment variable or pass {field}=..."
                ) from None

        base_url = pick_url("base_url", "THG_BASE_URL", profile.base_url)
        values = {
            "client_id": pick("client_id", "THG_CLIENT_ID"),
            "client_secret": pick("client_secret", "THG_CLIENT_SECRET"),
            "owner": pick("owner", "THG_OWNER"),
            "base_url": base_url,
            "token_url": pick_url("token_url", "THG_TOKEN_URL", profile.token_url),
            "audience": pick(
                "audience",
                "THG_AUDIENCE",
                profile.audience if profile.base_url == base_url else str(base_url).rstrip("/"),
            ),
        }
        for name in ("timeout", "max_retries", "backoff_base", "backoff_cap", "retry_after_cap"):
            if overrides.get(name) is not None:
                values[name] = overrides[name]
        return cls(**values)

    def with_owner(self, owner: str) -> "ClientConfig":
        """The same configuration for another organisation."""
        return dataclasses.replace(self, owner=owner)
