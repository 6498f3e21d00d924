"""Issue 14 through the generated client over real HTTP: the Product API page's own summer dress
and vInventory leaf, sku uniqueness and price regions, who writes on whose path, and references
to other organisations' documents.

The page's two JSON texts are the same verbatim copies as tests/sandbox/test_product_page.py
(source: S27, https://api-documentation-web-app.tnorf.icekube.ics.cloud/product).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from thg_connect import (
    Client,
    PermissionDeniedError,
    Reference,
    UnprocessableEntityError,
)
from thg_connect.product import AttributeType, Product, ProductModel, ProductVariant, VInventory
from thg_sandbox.config import ALL_PRODUCTS, ApiClient, Partnership, SandboxConfig
from thg_sandbox.server import RunningSandbox, running_sandbox
from thg_spec import Product as SpecProduct

from ..sandbox.test_product_page import PAGE_PRODUCT, PAGE_VINVENTORY
from .conftest import SPECS, config_for
from .items import inventory_item

ORGS = ("brandco", "thg", "sandbox", "dualco", "loneco")
LEAF = "/data/attributes/variants/0/variants/0"


@pytest.fixture(scope="module")
def sandbox(products: list[SpecProduct]) -> Iterator[RunningSandbox]:
    """brandco buys from thg, sandbox and dualco; dualco also buys from thg; loneco is alone."""
    config = SandboxConfig(
        organisations=ORGS,
        clients=tuple(ApiClient(org, f"{org}-secret", org) for org in ORGS),
        partnerships=(
            Partnership(ALL_PRODUCTS, "brandco", ("thg", "sandbox", "dualco")),
            Partnership(ALL_PRODUCTS, "dualco", ("thg",)),
        ),
    )
    with running_sandbox(SPECS, config, products=products) as running:
        yield running


@pytest.fixture(scope="module")
def orgs(sandbox: RunningSandbox) -> Iterator[dict[str, Client]]:
    made = {org: Client(config_for(sandbox, org)) for org in ORGS}
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="module", autouse=True)
def spec_models(orgs: dict[str, Client], products: list[SpecProduct]) -> None:
    """The spec's own `createProductModel` examples (dress, coloured_dress), created by brandco."""
    spec = next(p for p in products if p.name == "product")
    post = spec.document["paths"]["/api/product/v1/{owner}/product-model"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    for example in examples.values():
        attributes = example["value"]["data"]["attributes"]
        orgs["brandco"].product.product_models.create(ProductModel.model_validate(attributes))


def page_product(sku: str | None = None, prices: Any = None) -> Product:
    attributes = copy.deepcopy(PAGE_PRODUCT)
    leaf = attributes["variants"][0]["variants"][0]
    leaf.update({} if sku is None else {"sku": sku})
    leaf.update({} if prices is None else {"prices": prices})
    return Product.model_validate(attributes)


def test_the_pages_summer_dress_round_trips_through_the_client(orgs: dict[str, Client]) -> None:
    products = orgs["brandco"].product.products
    created = products.create(Product.model_validate(PAGE_PRODUCT))
    assert created.attributes.model_dump(by_alias=True, exclude_unset=True) == PAGE_PRODUCT
    fetched = products(created.id).get().attributes
    variant = fetched.variants[0]  # type: ignore[index]
    assert isinstance(variant, ProductVariant)
    leaf = variant.variants[0]
    assert isinstance(leaf, VInventory)
    assert leaf.model_dump(by_alias=True, exclude_unset=True) == PAGE_VINVENTORY
    assert leaf.prices == {"DE": {"EUR": 30.99, "GBP": 27.99}}


def test_a_repeated_sku_is_a_422_on_that_leaf(orgs: dict[str, Client]) -> None:
    products = orgs["brandco"].product.products
    sku = f"E2E-{uuid.uuid4().hex[:10]}"
    products.create(page_product(sku))
    with pytest.raises(UnprocessableEntityError) as caught:
        products.create(page_product(sku))
    assert [e.pointer for e in caught.value.errors] == [f"{LEAF}/sku"]


@pytest.mark.parametrize(
    ("prices", "pointer"),
    [({"XX": {"EUR": 1.0}}, "/prices/XX"), ({"DE": {"GBP": 2.0}}, "/prices/DE/EUR")],
    ids=["unknown-region", "missing-required-currency"],
)
def test_price_regions_are_enforced(
    orgs: dict[str, Client], prices: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        orgs["brandco"].product.products.create(page_product(f"R-{uuid.uuid4().hex}", prices))
    assert [e.pointer for e in caught.value.errors] == [LEAF + pointer]


# -- direction -------------------------------------------------------------------------------


def _model(name: str) -> ProductModel:
    return ProductModel.model_validate(
        {"name": name, "version": "1", "availableAttributes": {}, "variantTypes": []}
    )


def test_a_pure_provider_writes_no_consumer_entity_on_its_own_path(
    orgs: dict[str, Client],
) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        orgs["thg"].product.product_models.create(_model("thg_model"))
    assert "written by the consumer" in str(caught.value)
    with pytest.raises(PermissionDeniedError):
        orgs["thg"].thg_fulfil.inventory.create(inventory_item("E2E-THG-OWN"))


def test_a_pure_consumer_writes_no_provider_entity_on_its_own_path(
    orgs: dict[str, Client],
) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        orgs["brandco"].product.attribute_types.create(
            AttributeType(name="brand_colour", value_type="string")
        )
    assert "written by the provider" in str(caught.value)


def test_each_side_writes_where_it_should(orgs: dict[str, Client]) -> None:
    kind = AttributeType(name="thg_colour", value_type="string")
    assert orgs["thg"].product.attribute_types.create(kind).attributes.name == "thg_colour"
    dual = orgs["dualco"]  # a consumer of thg and a provider of brandco: both on its own path
    assert dual.product.product_models.create(_model("dual_model")).attributes.name == "dual_model"
    both = AttributeType(name="dual_colour", value_type="string")
    assert dual.product.attribute_types.create(both).attributes.name == "dual_colour"
    lone = orgs["loneco"].product.product_models.create(_model("lone_model"))
    assert lone.attributes.name == "lone_model"


# -- references ------------------------------------------------------------------------------


def _hazmat_item(client: Client, reference: Reference) -> UnprocessableEntityError | None:
    try:
        client.thg_fulfil.inventory.create(
            inventory_item(f"E2E-REF-{uuid.uuid4().hex[:8]}", hazmat_documentation=reference)
        )
    except UnprocessableEntityError as error:
        return error
    return None


def test_a_partners_document_is_accepted(orgs: dict[str, Client]) -> None:
    theirs = orgs["thg"].document.upload(b"thg's sheet", filename="sds.txt")
    assert _hazmat_item(orgs["brandco"], theirs) is None


@pytest.mark.parametrize(
    ("caller", "stranger"),
    [("brandco", "loneco"), ("loneco", "brandco"), ("dualco", "sandbox")],
)
def test_a_strangers_document_and_a_missing_one_look_the_same(
    orgs: dict[str, Client], caller: str, stranger: str
) -> None:
    real = orgs[stranger].document.upload(b"private sheet", filename="sds.txt")
    made_up = Reference("document", "document", real.owner, str(uuid.uuid4()))
    answers = [_hazmat_item(orgs[caller], ref) for ref in (real, made_up)]
    shapes = []
    for answer, ref in zip(answers, (real, made_up), strict=True):
        assert answer is not None
        shapes.append(
            [
                (
                    e.status,
                    e.code,
                    e.title,
                    e.pointer,
                    re.sub(re.escape(str(ref)), "<ref>", e.detail),
                )
                for e in answer.errors
            ]
        )
    assert shapes[0] == shapes[1]
    assert shapes[0][0][3] == "/data/attributes/hazmat_documentation"
