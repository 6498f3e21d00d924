"""Property test of the access decision (CONVENTIONS §10) against the rule as the text states it,
over random partnerships, entity roles, callers and owner paths."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from thg_sandbox import access
from thg_sandbox.access import Caller
from thg_sandbox.config import ALL_PRODUCTS, Partnership, SandboxConfig
from thg_sandbox.errors import ApiError
from thg_spec import Entity

ORGS = ("a", "b", "c", "d")
PRODUCT = "p"
SIDES = ("consumer", "provider")


@st.composite
def configs(draw: st.DrawFn) -> SandboxConfig:
    partnerships = []
    for consumer in draw(st.lists(st.sampled_from(ORGS), unique=True, max_size=3)):
        others = [o for o in ORGS if o != consumer]
        providers = draw(st.lists(st.sampled_from(others), unique=True, min_size=1, max_size=3))
        product = draw(st.sampled_from([PRODUCT, ALL_PRODUCTS, "other"]))
        partnerships.append(Partnership(product, consumer, tuple(providers)))
    return SandboxConfig(ORGS, (), tuple(partnerships))


def _entity(owner_role: str, writer_role: str) -> Entity:
    return cast(
        Entity, SimpleNamespace(type_string="p:e", owner_role=owner_role, writer_role=writer_role)
    )


def _roles(config: SandboxConfig, org: str, other: str) -> set[str]:
    """What `org` is towards `other` in the product, read straight off the partnerships."""
    found = set()
    for p in config.partnerships:
        if p.product in (PRODUCT, ALL_PRODUCTS):
            if p.consumer == org and other in p.providers:
                found.add("consumer")
            if p.consumer == other and org in p.providers:
                found.add("provider")
    return found


def _sides(config: SandboxConfig, org: str) -> set[str]:
    return set().union(*(_roles(config, org, other) for other in ORGS if other != org))


def _outcome(config: SandboxConfig, caller: str, owner: str, entity: Any, write: bool) -> int:
    try:
        access.check(config, Caller(caller, caller), PRODUCT, owner, entity, write=write)
    except ApiError as error:
        return error.status
    return 200


@given(
    configs(),
    st.sampled_from(ORGS),
    st.sampled_from(ORGS),
    st.sampled_from((*SIDES, "self")),
    st.sampled_from(SIDES),
    st.booleans(),
)
def test_the_decision_is_the_documented_rule(
    config: SandboxConfig, caller: str, owner: str, owned_by: str, written_by: str, write: bool
) -> None:
    writer = owned_by if owned_by == "self" else written_by
    outcome = _outcome(config, caller, owner, _entity(owned_by, writer), write)
    if caller != owner and not _roles(config, caller, owner):
        assert outcome == 404  # a stranger's path is not disclosed
        return
    if not write:
        assert outcome == 200  # the owner and its partners read everything there
        return
    if caller == owner:
        own_side = (
            owned_by == "self" or not _sides(config, caller) or owned_by in _sides(config, caller)
        )
        allowed = own_side and writer == owned_by
    else:
        allowed = owned_by in _roles(config, owner, caller) and writer in _roles(
            config, caller, owner
        )
    assert outcome == (200 if allowed else 403)


@given(configs(), st.sampled_from(ORGS), st.sampled_from(ORGS))
def test_references_reach_exactly_the_readable_organisations(
    config: SandboxConfig, caller: str, owner: str
) -> None:
    readable = caller == owner or bool(_roles(config, caller, owner))
    assert access.may_reference(config, caller, PRODUCT, owner) == readable
