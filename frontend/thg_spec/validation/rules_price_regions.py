"""Price regions (THG032): `x-thg-price-regions` publishes where a price map may be given.

The Product API page says THG provides "a list of available regions/country as well as required
currencies for that region" (S27). A spec publishes that list as a table on the price map's
schema: region (ISO 3166-1 alpha-2) -> the currencies (ISO 4217) a price there must include. The
sandbox refuses any other region, and a region missing one of its currencies, with a 422 on that
member; the table must therefore be well formed, or it would silently refuse or allow everything.
"""

from __future__ import annotations

import re
from typing import Any

from .. import pointer as jp
from ..diagnostics import Diagnostic
from .context import RuleContext
from .holders import holders_of

RULE = "THG032"
EXTENSION = "x-thg-price-regions"
REGION = re.compile(r"[A-Z]{2}")
CURRENCY = re.compile(r"[A-Z]{3}")
HINT = "Write a mapping such as `{GB: [GBP], DE: [EUR]}` on an object schema (the price map)"


def table_problems(holder: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """(where inside the extension, what is wrong) for one schema carrying the table."""
    table = holder[EXTENSION]
    if holder.get("type") != "object":
        return [((), f"{EXTENSION} belongs on an object schema (`type: object`), the price map")]
    if not isinstance(table, dict) or not table:
        return [((), f"{EXTENSION} must be a non-empty mapping of region -> currencies")]
    problems: list[tuple[tuple[str, ...], str]] = []
    for region, currencies in table.items():
        if not isinstance(region, str) or not REGION.fullmatch(region):
            problems.append(
                ((str(region),), f"region {region!r} is not an ISO 3166-1 alpha-2 code")
            )
            continue
        if not isinstance(currencies, list) or not currencies:
            problems.append(((region,), f"{region} must list the currencies it requires"))
            continue
        for i, currency in enumerate(currencies):
            if not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
                problems.append(
                    ((region, str(i)), f"currency {currency!r} is not an ISO 4217 code")
                )
            elif currencies.index(currency) != i:
                problems.append(((region, str(i)), f"{region} lists {currency} twice"))
    return problems


def check_price_regions(ctx: RuleContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for at, holder in sorted(holders_of(ctx.data, EXTENSION), key=lambda pair: pair[0]):
        for inside, message in table_problems(holder):
            found.append(ctx.spec.diagnostic(jp.child(at, EXTENSION, *inside), RULE, message, HINT))
    return found
