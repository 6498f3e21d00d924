"""Mermaid diagrams of a product, drawn from the model: the entity hierarchy (who owns and who
writes each entity, which are statuses) and each status's states. Markdown viewers that render
Mermaid (the usual code hosts) show them as pictures; elsewhere they stay readable text.

Every label comes from a spec, so it is quoted and its quote characters are written as Mermaid
entities: a hostile title cannot end the label or the diagram.
"""

from __future__ import annotations

from thg_spec.entities import Entity, Product

_ROLE = {"consumer": "consumer", "provider": "provider", "self": "each organisation"}


def _label(text: str) -> str:
    """A quoted Mermaid label showing ``text`` literally."""
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return f'"{" ".join(text.split())}"'


def _writer(entity: Entity) -> str:
    role = entity.owner_role if entity.writer_role == "owner" else entity.writer_role
    return _ROLE.get(role, role)


def _verbs(entity: Entity) -> str:
    roles = {op.role for op in entity.operations}
    words = (
        ("set", "change", "clear") if entity.kind == "status" else ("create", "change", "delete")
    )
    verbs = [
        w for role, w in zip(("create", "replace", "delete"), words, strict=True) if role in roles
    ]
    return ", ".join(verbs) if verbs else "read only"


def writer_of(entity: Entity) -> str:
    """Who writes the entity, in words: `the provider`, `each organisation`."""
    writer = _writer(entity)
    return writer if writer == "each organisation" else f"the {writer}"


def owner_of(entity: Entity) -> str:
    """Whose organisation is in the entity's path, in words."""
    owner = _ROLE.get(entity.owner_role, entity.owner_role)
    return owner if owner == "each organisation" else f"the {owner}"


def own_path_children(product: Product) -> tuple[Entity, ...]:
    """Children that live in another organisation's path than their parent's: the other side
    of the partnership writes them on its own path, under the parent's id (a provider's
    dispatched parcels of a consumer's request)."""
    return tuple(
        e
        for e in product.entities
        if e.parent is not None and product.entity(e.parent).owner_role != e.owner_role
    )


def entity_diagram(product: Product) -> str:
    """A flowchart: each top-level entity under its owner's path, children under their parent;
    statuses in rounded boxes; each box names who writes it."""
    ids = {entity.name: f"e{i}" for i, entity in enumerate(product.entities)}
    elsewhere = own_path_children(product)
    lines = ["flowchart TD"]
    owners = sorted({e.owner_role for e in product.entities if e.parent is None})
    for role in owners:
        whose = "each organisation's own" if role == "self" else f"the {_ROLE.get(role, role)}"
        lines.append(f"  owner_{role}[{_label('{owner} = ' + whose)}]")
    for entity in product.entities:
        kind = "status" if entity.kind == "status" else "entity"
        text = f"{'.'.join(entity.name)} ({kind})<br/>{_writer(entity)} writes: {_verbs(entity)}"
        if entity in elsewhere:
            text += f"<br/>in {owner_of(entity)}'s path"
        text = _label(text).replace("#lt;br/#gt;", "<br/>")
        node = f"({text})" if entity.kind == "status" else f"[{text}]"
        lines.append(f"  {ids[entity.name]}{node}")
    for entity in product.entities:
        parent = entity.parent
        source = (
            ids[parent] if parent is not None and parent in ids else f"owner_{entity.owner_role}"
        )
        lines.append(f"  {source} --> {ids[entity.name]}")
    return "\n".join(lines)


def state_diagram(entity: Entity) -> str:
    """The states a status can be in: set to one of them, changed, cleared."""
    roles = {op.role for op in entity.operations}
    lines = ["stateDiagram-v2"]
    ids = [f"s{i}" for i in range(len(entity.states))]
    for id_, state in zip(ids, entity.states, strict=True):
        lines.append(f"  {id_}: {' '.join(state.value.split())}")
    for id_ in ids:
        lines.append(f"  [*] --> {id_}: set")
    if "delete" in roles:
        lines.extend(f"  {id_} --> [*]: clear" for id_ in ids)
    if "replace" in roles and len(ids) > 1:
        # A PUT moves the status from any state to any other: one note, not every pair.
        lines.append(f"  note right of {ids[0]}: change moves it to any other state")
    return "\n".join(lines)
