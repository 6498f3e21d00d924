"""HS256 JSON Web Tokens, signed with the database's own key.

Hand-rolled with hmac rather than PyJWT: the sandbox only ever verifies tokens it issued itself,
with one fixed header, so the whole format is ~50 lines; a dependency would add algorithm
negotiation we must then lock down (the classic `alg: none` / key-confusion traps) for nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

_HEADER = {"alg": "HS256", "typ": "JWT"}


class TokenError(Exception):
    """The token is unusable; the message is safe to show (it never contains the token)."""


@dataclass(frozen=True)
class TokenClaims:
    organisation: str
    client_id: str
    audience: str
    issued_at: int
    expires_at: int
    token_id: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, signing_input: str) -> str:
    return _b64(hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest())


def issue(
    key: bytes, *, organisation: str, client_id: str, audience: str, now: int, ttl: int
) -> str:
    payload = {
        "sub": client_id,
        "org": organisation,
        "aud": audience,
        "iat": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(8),
    }
    head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{head}.{body}.{_sign(key, head + '.' + body)}"


def verify(key: bytes, token: str, *, now: int) -> TokenClaims:
    """Check the signature and expiry; the caller checks the audience (it knows its own)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("the access token is not a JWT")
    head, body, signature = parts
    # Compare signatures before decoding anything else: unsigned input is never interpreted.
    if not hmac.compare_digest(_sign(key, head + "." + body), signature):
        raise TokenError("the access token's signature is invalid")
    try:
        header = json.loads(_unb64(head))
        claims: Any = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        raise TokenError("the access token is not a JWT") from None
    if header != _HEADER or not isinstance(claims, dict):
        raise TokenError("the access token is not a JWT this platform issued")
    try:
        result = TokenClaims(
            organisation=str(claims["org"]),
            client_id=str(claims["sub"]),
            audience=str(claims["aud"]),
            issued_at=int(claims["iat"]),
            expires_at=int(claims["exp"]),
            token_id=str(claims["jti"]),
        )
    except (KeyError, TypeError, ValueError):
        raise TokenError("the access token lacks required claims") from None
    if now >= result.expires_at:
        raise TokenError("the access token has expired")
    return result
