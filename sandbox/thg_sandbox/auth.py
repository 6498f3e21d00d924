"""The OAuth2 token endpoint (CONVENTIONS §9) and bearer-token verification for API calls."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import tokens
from .access import Caller
from .config import SandboxConfig
from .errors import unauthorized

MAX_TOKEN_REQUEST = 16 * 1024


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    # OAuth2 errors are not JSON:API documents: the runtime parses this shape for the token call.
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _fields(body: bytes, content_type: str) -> Mapping[str, Any] | None:
    try:
        if "application/x-www-form-urlencoded" in content_type:
            return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _same_secret(given: str, expected: str) -> bool:
    # Hash first so the comparison takes the same time whatever the lengths.
    return hmac.compare_digest(
        hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest()
    )


class TokenIssuer:
    def __init__(self, config: SandboxConfig, key: bytes, now: Callable[[], int]) -> None:
        self.config = config
        self.key = key
        self.now = now

    async def endpoint(self, request: Request) -> JSONResponse:
        body = await read_limited(request, MAX_TOKEN_REQUEST)
        fields = None if body is None else _fields(body, request.headers.get("content-type", ""))
        if fields is None:
            return _oauth_error(
                400,
                "invalid_request",
                "Send a JSON object with client_id, client_secret, grant_type and audience.",
            )
        if fields.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "grant_type must be client_credentials."
            )
        client_id, secret = fields.get("client_id"), fields.get("client_secret")
        audience = fields.get("audience")
        if not isinstance(client_id, str) or not isinstance(secret, str):
            return _oauth_error(400, "invalid_request", "client_id and client_secret are required.")
        if not isinstance(audience, str) or not audience:
            return _oauth_error(
                400, "invalid_request", "audience is required (the API's base URL)."
            )
        client = self.config.client(client_id)
        if client is None or not _same_secret(secret, client.client_secret):
            # One answer for an unknown id and a wrong secret: do not confirm which ids exist.
            return _oauth_error(401, "invalid_client", "Unknown client or wrong client secret.")
        token = tokens.issue(
            self.key,
            organisation=client.organisation,
            client_id=client.client_id,
            audience=audience,
            now=self.now(),
            ttl=self.config.token_ttl,
        )
        return JSONResponse(
            {"access_token": token, "expires_in": self.config.token_ttl, "token_type": "Bearer"},
            headers={"Cache-Control": "no-store"},
        )

    def authenticate(self, request: Request, audiences: frozenset[str]) -> Caller:
        """The caller of an API request, or a 401 ApiError."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Send an access token: Authorization: Bearer <token>.")
        try:
            claims = tokens.verify(self.key, token.strip(), now=self.now())
        except tokens.TokenError as exc:
            raise unauthorized(f"{exc}.") from None
        own = {_loopback(str(request.base_url))} | audiences
        if _loopback(claims.audience) not in own:
            raise unauthorized("The access token was issued for another audience.")
        client = self.config.client(claims.client_id)
        if client is None or client.organisation != claims.organisation:
            raise unauthorized("The access token's client no longer exists.")
        return Caller(claims.organisation, claims.client_id)


def _loopback(url: str) -> str:
    """One spelling of the sandbox's own origin: `localhost` and `127.0.0.1` are the same host."""
    return url.rstrip("/").replace("://localhost:", "://127.0.0.1:", 1)


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit` (read no further than that)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
