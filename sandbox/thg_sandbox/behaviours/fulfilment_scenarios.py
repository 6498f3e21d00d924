"""The `sandbox` provider's fulfilment-request scenarios (S19, CONVENTIONS §14).

When a consumer whose thg-fulfil providers include `sandbox` creates a fulfilment request, the
delivery address's `name` picks what `sandbox` does, as the platform's sandbox page lists:

* `sandbox accept`: approval APPROVED with provider reference `PROVIDER12345`;
* `sandbox reject`: approval REJECTED, "rejected fulfilment request via sandbox";
* `sandbox dispatch`: APPROVED, and one dispatched parcel holding every line in full
  (UPS, Express International Shipping, tracking number 30492343);
* `sandbox partial-dispatch`: APPROVED and a parcel holding the first line only; REJECTED,
  "Fulfilment request (<id>) has 0 lines in it", when the request has no lines.

`plan` decides (pure); the hook writes as `sandbox` through the service's ordinary write path,
so access rules, validation and events apply as for any call. The parcel lives on `sandbox`'s
own path under the request's id, as a real provider's does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from thg_spec import Entity

from ..access import Caller
from ..service import Target
from ..store import Resource

if TYPE_CHECKING:
    from ..app import Sandbox

SANDBOX_ORG = "sandbox"
REQUEST_TYPE = "thg-fulfil:fulfilment-request"
APPROVAL_TYPE = "thg-fulfil:fulfilment-request.approval"
DISPATCHED_TYPE = "thg-fulfil:fulfilment-request.dispatched"

PROVIDER_REFERENCE = "PROVIDER12345"
REJECTED_MESSAGE = "rejected fulfilment request via sandbox"
COURIER = {"name": "UPS", "service": "Express International Shipping"}
TRACKING_NUMBER = "30492343"

ACCEPT = "sandbox accept"
REJECT = "sandbox reject"
DISPATCH = "sandbox dispatch"
PARTIAL_DISPATCH = "sandbox partial-dispatch"
SCENARIOS = (ACCEPT, REJECT, DISPATCH, PARTIAL_DISPATCH)


@dataclass(frozen=True)
class Plan:
    """What `sandbox` writes for one request: its approval, then maybe one parcel."""

    approval: dict[str, Any]
    dispatched: dict[str, Any] | None = None


def _approved() -> dict[str, Any]:
    return {"state": "APPROVED", "providerReference": PROVIDER_REFERENCE}


def _rejected(message: str) -> dict[str, Any]:
    return {"state": "REJECTED", "message": message}


def _parcel(lines: Sequence[Mapping[str, Any]], dispatched_at: datetime) -> dict[str, Any]:
    return {
        "courierService": dict(COURIER),
        "dispatchedDate": dispatched_at.astimezone(timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S+00:00"
        ),
        "lines": [
            {
                "batchNumber": None,
                "condition": "GOOD",
                "dispatchedQuantity": line["quantity"],
                "expectedQuantity": line["quantity"],
                "expiryDate": None,
                "lineId": line["lineId"],
                "serialNumber": None,
            }
            for line in lines
        ],
        "tracking": {"number": TRACKING_NUMBER, "url": None},
    }


def scenario_of(attributes: Mapping[str, Any]) -> str | None:
    """The scenario a request's delivery-address name picks, if any (names match exactly)."""
    address = attributes.get("deliveryAddress")
    name = address.get("name") if isinstance(address, Mapping) else None
    return name if name in SCENARIOS else None


def plan(request_id: str, attributes: Mapping[str, Any], now: datetime) -> Plan | None:
    """What `sandbox` does for a newly created request; None when its name picks nothing."""
    scenario = scenario_of(attributes)
    raw_lines = attributes.get("lines")
    lines = [line for line in raw_lines if isinstance(line, Mapping)] if raw_lines else []
    if scenario == ACCEPT:
        return Plan(_approved())
    if scenario == REJECT:
        return Plan(_rejected(REJECTED_MESSAGE))
    if scenario == DISPATCH:
        # A parcel holds at least one line: a request without lines is approved, nothing sent.
        return Plan(_approved(), _parcel(lines, now) if lines else None)
    if scenario == PARTIAL_DISPATCH:
        if not lines:
            return Plan(_rejected(f"Fulfilment request ({request_id}) has 0 lines in it"))
        return Plan(_approved(), _parcel(lines[:1], now))
    return None


def install_fulfilment_scenarios(sandbox: Sandbox) -> Sequence[BaseRoute]:
    service = sandbox.service
    approval_found = service.entity_by_type(APPROVAL_TYPE)
    dispatched_found = service.entity_by_type(DISPATCHED_TYPE)
    if approval_found is None or dispatched_found is None:
        return ()  # thg-fulfil (as these scenarios know it) is not served
    product, approval = approval_found
    dispatched = dispatched_found[1]
    sandbox_caller = Caller(SANDBOX_ORG, SANDBOX_ORG)

    def react(entity: Entity, action: str, resource: Resource, actor: str) -> None:
        if entity.type_string != REQUEST_TYPE or action != "CREATED" or actor != resource.owner:
            return
        if SANDBOX_ORG not in sandbox.config.providers_of(product.name, resource.owner):
            return
        decided = plan(resource.id, resource.attributes, service.clock.now())
        if decided is None:
            return
        on_request = Target(product, approval, resource.owner, (resource.id,))
        service.create(
            sandbox_caller, on_request, {"type": APPROVAL_TYPE, "attributes": decided.approval}
        )
        if decided.dispatched is not None:
            parcel = Target(product, dispatched, SANDBOX_ORG, (resource.id,))
            service.create(
                sandbox_caller, parcel, {"type": DISPATCHED_TYPE, "attributes": decided.dispatched}
            )

    service.hooks.append(react)
    return ()


__all__ = ["Plan", "install_fulfilment_scenarios", "plan", "scenario_of"]
