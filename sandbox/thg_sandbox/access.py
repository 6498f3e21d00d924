"""Who may act on which owner path (CONVENTIONS §10), as one pure decision."""

from __future__ import annotations

from dataclasses import dataclass

from thg_spec import Entity

from .config import SandboxConfig
from .errors import forbidden, not_found


@dataclass(frozen=True)
class Caller:
    """The organisation behind a verified token."""

    organisation: str
    client_id: str


def roles_on(
    config: SandboxConfig, caller: str, product: str, owner: str, entity: Entity
) -> frozenset[str]:
    """The roles `caller` plays on `owner`'s path for this entity; empty when it may not look."""
    if caller == owner:
        # On its own path an organisation plays the entity's owner role ("self" included).
        return frozenset({entity.owner_role})
    return config.roles(product, caller, owner)


def path_owner_fits(
    config: SandboxConfig, caller: str, product: str, owner: str, entity: Entity
) -> bool:
    """Whether ``owner``'s path can hold this entity for ``caller``: a consumer-owned entity
    (an inventory item) lives on the consumer's path, a provider-owned one (an ASN) on the
    provider's; self-owned entities (documents, subscriptions) on their organisation's."""
    if caller == owner or entity.owner_role not in ("consumer", "provider"):
        return True
    return entity.owner_role in config.roles(product, owner, caller)


def check(
    config: SandboxConfig, caller: Caller, product: str, owner: str, entity: Entity, *, write: bool
) -> None:
    """Raise the 404 or 403 CONVENTIONS §10 asks for; return when the call may go ahead."""
    roles = roles_on(config, caller.organisation, product, owner, entity)
    if not roles:
        # Not partnered: do not disclose whether the owner path exists.
        raise not_found()
    if write and not path_owner_fits(config, caller.organisation, product, owner, entity):
        raise forbidden(
            f"{entity.type_string} lives on the {entity.owner_role}'s path; {owner} is not "
            f"{caller.organisation}'s {entity.owner_role} in {product}"
        )
    if write and entity.writer_role not in roles:
        raise forbidden(
            f"{caller.organisation} may read {entity.type_string} on {owner}'s path but only the "
            f"{entity.writer_role} may write it"
        )


def may_write(config: SandboxConfig, caller: str, product: str, owner: str, entity: Entity) -> bool:
    return entity.writer_role in roles_on(
        config, caller, product, owner, entity
    ) and path_owner_fits(config, caller, product, owner, entity)


__all__ = ["Caller", "check", "may_write", "path_owner_fits", "roles_on"]
