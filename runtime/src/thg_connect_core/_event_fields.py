"""Small, lenient readers for the fields of delivered events: epoch-second strings, reference
strings in the platform's older forms, and the one state of a status map.

Each returns None (never raises) on anything it does not understand: an odd record must never
fail a poll, and the event's lazy properties decide what a missing value means.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, List, Mapping, Optional

from ._datetime import parse_utc_datetime
from ._references import NO_PRODUCT, Reference

__all__: List[str] = []  # internal to event decoding; nothing here is public API

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MAX_SECONDS = 253402300799  # 9999-12-31T23:59:59Z: the last second a datetime can hold


def epoch_seconds(text: Any) -> Optional[datetime]:
    """``"1724321803.378458"`` (Unix seconds as a string, generation (a)'s ``createdAt``) as an
    aware UTC datetime, exact to the microsecond (no float rounding); None when it is not one."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = repr(text) if isinstance(text, float) else str(text)
    if not isinstance(text, str) or not text or len(text) > 40:
        return None
    whole, dot, fraction = text.strip().partition(".")
    if not whole.isascii() or not whole.isdigit() or (dot and not fraction):
        return None
    if fraction and (not fraction.isascii() or not fraction.isdigit()):
        return None
    seconds = int(whole)
    if seconds > _MAX_SECONDS:
        return None
    micros = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return _EPOCH + timedelta(seconds=seconds, microseconds=micros)


def iso_datetime(text: Any) -> Optional[datetime]:
    """An ISO 8601 date-time as an aware UTC datetime, or None."""
    if not isinstance(text, str):
        return None
    try:
        return parse_utc_datetime(text)
    except ValueError:
        return None


def lenient_reference(
    text: Any, product: str = "", owner: str = "", entity_id: str = ""
) -> Optional[Reference]:
    """A reference string in any form the platform has sent, or None.

    Canonical ``thg:<product>:<path>#<owner>@<id>`` first; then the forms seen in the recovered
    event pages: ``thg:<product>:<path>:<owner>@<id>`` (generation (b)) and
    ``thg:<path>:<owner>@<id>`` with the product given beside it (generation (a)).
    """
    if isinstance(text, str) and text:
        try:
            parsed = Reference.parse(text)
        except (ValueError, TypeError):
            pass
        else:
            if parsed.product == NO_PRODUCT and product:
                try:
                    return parsed.with_product(product)
                except ValueError:
                    return parsed
            return parsed
        head, at, ident = text.rpartition("@")
        parts = head.split(":") if at else []
        try:
            if len(parts) == 4 and parts[0] == "thg":
                return Reference(parts[1], parts[2], parts[3], ident)
            if len(parts) == 3 and parts[0] == "thg" and product:
                return Reference(product, parts[1], parts[2], ident)
        except (ValueError, TypeError):
            pass
    return None


def single_state(status: Any) -> Optional[str]:
    """The state of a ``meta.status`` map with one status (``{"site-status": {"value": "X"}}``)."""
    if not isinstance(status, Mapping) or len(status) != 1:
        return None
    (only,) = status.values()
    value = only.get("value") if isinstance(only, Mapping) else only
    return value if isinstance(value, str) else None
