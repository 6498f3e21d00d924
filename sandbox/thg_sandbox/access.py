"""Who may act on which owner path (CONVENTIONS §10), as one pure decision."""

from __future__ import annotations

from dataclasses import dataclass

from thg_spec import Entity

from .config import ALL_PRODUCTS, SandboxConfig
from .errors import forbidden, not_found

PARTNER_SIDES = ("consumer", "provider")


@dataclass(frozen=True)
class Caller:
    """The organisation behind a verified token."""

    organisation: str
    client_id: str


def sides(config: SandboxConfig, organisation: str, product: str) -> frozenset[str]:
    """The partnership roles `organisation` plays in `product`, towards anyone."""
    found: set[str] = set()
    for p in config.partnerships:
        if p.product not in (product, ALL_PRODUCTS):
            continue
        if p.consumer == organisation:
            found.add("consumer")
        if organisation in p.providers:
            found.add("provider")
    return frozenset(found)


def roles_on(
    config: SandboxConfig, caller: str, product: str, owner: str, entity: Entity
) -> frozenset[str]:
    """The roles `caller` plays on `owner`'s path for this entity; empty when it may not look."""
    if caller == owner:
        # On its own path an organisation plays the entity's owner role ("self" included).
        return frozenset({entity.owner_role})
    return config.roles(product, caller, owner)


def plays_owner_side(config: SandboxConfig, caller: str, product: str, entity: Entity) -> bool:
    """Whether `caller` is on the side that owns `entity` in `product` (an inventory item's
    consumer, an ASN's provider), so its own path may hold one. An organisation that is in no
    partnership of the product has no side yet and may act as either on its own path; one that
    plays only the other side (a pure provider and inventory items) may not."""
    if entity.owner_role not in PARTNER_SIDES:
        return True
    own = sides(config, caller, product)
    return not own or entity.owner_role in own


def path_owner_fits(
    config: SandboxConfig, caller: str, product: str, owner: str, entity: Entity
) -> bool:
    """Whether ``owner``'s path can hold this entity for ``caller``: a consumer-owned entity
    (an inventory item) lives on the consumer's path, a provider-owned one (an ASN) on the
    provider's; self-owned entities (documents, subscriptions) on their organisation's."""
    if entity.owner_role not in PARTNER_SIDES:
        return True
    if caller == owner:
        return plays_owner_side(config, caller, product, entity)
    return entity.owner_role in config.roles(product, owner, caller)


def _side_text(config: SandboxConfig, organisation: str, product: str) -> str:
    own = sorted(sides(config, organisation, product))
    return " and ".join(own) if own else "neither side"


def check(
    config: SandboxConfig, caller: Caller, product: str, owner: str, entity: Entity, *, write: bool
) -> None:
    """Raise the 404 or 403 CONVENTIONS §10 asks for; return when the call may go ahead."""
    org = caller.organisation
    roles = roles_on(config, org, product, owner, entity)
    if not roles:
        # Not partnered: do not disclose whether the owner path exists.
        raise not_found()
    if write and org == owner and not path_owner_fits(config, org, product, owner, entity):
        raise forbidden(
            f"{entity.type_string} is written by the {entity.writer_role} and lives on the "
            f"{entity.owner_role}'s path; {org} is only a {_side_text(config, org, product)} "
            f"in {product}, so its own path holds no {entity.type_string}"
        )
    if write and not path_owner_fits(config, org, product, owner, entity):
        raise forbidden(
            f"{entity.type_string} lives on the {entity.owner_role}'s path; {owner} is not "
            f"{org}'s {entity.owner_role} in {product}"
        )
    if write and entity.writer_role not in roles:
        raise forbidden(
            f"{org} may read {entity.type_string} on {owner}'s path but only the "
            f"{entity.writer_role} may write it"
        )


def may_write(config: SandboxConfig, caller: str, product: str, owner: str, entity: Entity) -> bool:
    return entity.writer_role in roles_on(
        config, caller, product, owner, entity
    ) and path_owner_fits(config, caller, product, owner, entity)


def may_reference(config: SandboxConfig, caller: str, product: str, owner: str) -> bool:
    """Whether `caller`, writing in `product`, may store a reference to an entity `owner` owns:
    its own, or a partner's in that product (either side: CONVENTIONS §10 lets partners read
    each other's paths, and §12's documents are shared across the partnership that uses them).
    Anyone else's is answered exactly as a reference to nothing (existence is not disclosed)."""
    return caller == owner or bool(config.roles(product, caller, owner))


__all__ = [
    "Caller",
    "check",
    "may_reference",
    "may_write",
    "path_owner_fits",
    "plays_owner_side",
    "roles_on",
    "sides",
]
