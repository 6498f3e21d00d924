"""The platform's environments, each with its API URL, token URL and audience, as far as the
platform's public pages show them (recovered/auth-and-misc.md §2, sources.md).

* ``production``: API ``https://api.developer.thgingenuity.com`` (also the token audience) and
  the Auth0 token endpoint ``https://frontier-production.uk.auth0.com/oauth/token``
  (platform-integration.txt, the only page that names them).
* ``stable`` and ``staging``: the docs sites ``docs-stable.apisandbox.tech`` (S1–S4, S15, S16)
  and ``docs-staging.apisandbox.tech`` (S17–S19) show that they exist, but no page gives their
  API URL, token URL or audience. Their profiles say so and take the three from the user
  (``THG_BASE_URL``, ``THG_TOKEN_URL``, ``THG_AUDIENCE``) instead of inventing them.

The guard every configuration passes (``check_token_url``): credentials meant for another
environment never go to production's token endpoint. A client whose API is not production's but
whose token URL is production's is refused, naming both URLs (never the secret).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple
from urllib.parse import urlsplit

__all__ = [
    "ENVIRONMENTS",
    "Environment",
    "PRODUCTION",
    "STABLE",
    "STAGING",
    "check_token_url",
]


@dataclass(frozen=True)
class Environment:
    """One deployment of the platform. A URL the pages did not show is None: the user gives it."""

    name: str
    base_url: Optional[str]
    token_url: Optional[str]
    audience: Optional[str]
    evidence: str
    """Where the profile comes from (the pages that show the environment)."""

    def missing(self) -> Tuple[str, ...]:
        """The settings (environment variable names) this profile cannot supply."""
        wanted = (
            ("THG_BASE_URL", self.base_url),
            ("THG_TOKEN_URL", self.token_url),
            ("THG_AUDIENCE", self.audience),
        )
        return tuple(name for name, value in wanted if value is None)


PRODUCTION = Environment(
    name="production",
    base_url="https://api.developer.thgingenuity.com",
    token_url="https://frontier-production.uk.auth0.com/oauth/token",
    audience="https://api.developer.thgingenuity.com",
    evidence="https://docs.developer.thgingenuity.com/platform-documentation/overview (S5a)",
)
STABLE = Environment(
    name="stable",
    base_url=None,
    token_url=None,
    audience=None,
    evidence="https://docs-stable.apisandbox.tech (S1-S4, S15, S16): docs only, no API URL",
)
STAGING = Environment(
    name="staging",
    base_url=None,
    token_url=None,
    audience=None,
    evidence="https://docs-staging.apisandbox.tech (S17-S19): docs only, no API URL",
)

ENVIRONMENTS: Dict[str, Environment] = {e.name: e for e in (PRODUCTION, STABLE, STAGING)}
"""Every known environment by name (``THG_ENVIRONMENT``)."""


def _origin(url: str) -> Tuple[str, str]:
    parts = urlsplit(url.strip())
    return parts.scheme.lower(), parts.netloc.lower()


def check_token_url(base_url: str, token_url: str) -> None:
    """Refuse a configuration that would send another environment's credentials to
    production's token endpoint (``ValueError`` naming both URLs)."""
    assert PRODUCTION.base_url is not None and PRODUCTION.token_url is not None
    if _origin(token_url) != _origin(PRODUCTION.token_url):
        return
    if _origin(base_url) == _origin(PRODUCTION.base_url):
        return
    raise ValueError(
        f"the API URL {base_url} is not production's ({PRODUCTION.base_url}), but the token URL "
        f"is production's ({token_url}): the credentials would be sent to production's token "
        "endpoint. Set THG_TOKEN_URL (token_url=...) to the token endpoint of the environment "
        f"{base_url} belongs to (the sandbox prints its own)"
    )
