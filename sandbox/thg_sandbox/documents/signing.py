"""Presigned upload fields: the document's key and an expiry, signed with a key the sandbox keeps.

The signature is an HMAC-SHA256 of the key and the expiry, so the upload endpoint needs no
Authorization header (CONVENTIONS §12) and a field changed by the caller breaks it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

KEY_FIELD = "key"
EXPIRES_FIELD = "x-thg-expires"
SIGNATURE_FIELD = "x-thg-signature"
SIGNED_FIELDS = (KEY_FIELD, EXPIRES_FIELD, SIGNATURE_FIELD)


class UploadRefused(Exception):
    """The upload's fields are missing, altered or past their expiry (a 403)."""


@dataclass(frozen=True)
class UploadGrant:
    key: str  # "<owner>/<id>"
    expires_at: str  # ISO 8601 with offset, seconds precision
    fields: dict[str, str]


def _expiry_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


class UploadSigner:
    def __init__(self, secret: bytes, ttl: float) -> None:
        # Derived, not the token key itself: one key per purpose.
        self._key = hmac.new(secret, b"thg-sandbox document upload", hashlib.sha256).digest()
        self.ttl = ttl

    def _signature(self, key: str, expires: str) -> str:
        message = f"{key}\n{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def grant(self, owner: str, document_id: str, now: datetime) -> UploadGrant:
        key = f"{owner}/{document_id}"
        expires = _expiry_text(now + timedelta(seconds=self.ttl))
        fields = {
            KEY_FIELD: key,
            EXPIRES_FIELD: expires,
            SIGNATURE_FIELD: self._signature(key, expires),
        }
        return UploadGrant(key, expires, fields)

    def check(self, fields: dict[str, str], owner: str, document_id: str, now: datetime) -> None:
        """Return when the fields authorise an upload of this document now; raise otherwise."""
        key = fields.get(KEY_FIELD)
        expires = fields.get(EXPIRES_FIELD)
        signature = fields.get(SIGNATURE_FIELD)
        if key is None or expires is None or signature is None:
            raise UploadRefused(
                "The upload needs the signed fields " + ", ".join(SIGNED_FIELDS) + "."
            )
        expected = self._signature(key, expires)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise UploadRefused("The upload's signature does not match its fields.")
        if key != f"{owner}/{document_id}":
            raise UploadRefused("The upload's key is for another document.")
        try:
            deadline = datetime.fromisoformat(expires)
        except ValueError:
            raise UploadRefused("The upload's expiry is not a date-time.") from None
        if deadline.tzinfo is None or now >= deadline:
            raise UploadRefused(
                "The upload URL has expired; create a new document to get a new one."
            )
