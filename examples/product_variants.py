"""A product model, then a product with colour and size variants validated against it.

A product names its model by name and version; each content variant names its own model (here
a colour of a dress, split by size), and the leaves are the sellable vInventory SKUs.
"""

from __future__ import annotations

import uuid

from thg_connect import Client, NotGiven, UnprocessableEntityError
from thg_connect.product import (
    AvailableAttribute,
    Product,
    ProductModel,
    ProductVariant,
    VInventory,
)


def size(sku: str, size: str) -> VInventory:
    return VInventory(
        sku=sku,
        barcode={"EAN": "5012345678900"},
        prices={"GB": {"GBP": 27.99}, "DE": {"EUR": 30.99}},
        mass_g=450,
        height_mm=40,
        width_mm=250,
        length_mm=350,
        country_of_origin="GB",
        harmonized_system_code="620442",
        variant_type={"size": size},
    )


def main() -> None:
    with Client.from_env() as client:
        run = uuid.uuid4().hex[:6]
        title = AvailableAttribute(attribute_type="string", required=True)
        dress, colour = f"dress_{run}", f"dress_colour_{run}"
        for name, splits_by in ((dress, "colour"), (colour, "size")):
            model = client.product.product_models.create(
                ProductModel(
                    name=name,
                    version="0.1",
                    available_attributes={"title": title},
                    variant_types=[splits_by],
                )
            )
            print("model", model.attributes.name, model.attributes.version)

        product = client.product.products.create(
            Product(
                name="Summer dress",
                model_name=dress,
                model_version="0.1",
                attributes={"title": "Summer dress"},
                variants=[
                    ProductVariant(
                        name="Purple summer dress",
                        model_name=colour,
                        model_version="0.1",
                        attributes={"title": "Purple summer dress"},
                        variant_type={"colour": "purple"},
                        variants=[size(f"DRS-{run}-PU-{s}", s) for s in ("38", "40")],
                    )
                ],
            )
        )
        print("product", product.reference)
        variants = client.product.products(product.id).get().attributes.variants
        for variant in [] if isinstance(variants, NotGiven) else variants:
            if isinstance(variant, ProductVariant):
                sizes = [leaf.variant_type["size"] for leaf in variant.variants]
                print("variant", variant.variant_type, "sizes", sizes)

        # The model is enforced: a product missing its required title is a 422 naming it.
        try:
            client.product.products.create(
                Product(name="Untitled", model_name=dress, model_version="0.1", attributes={})
            )
        except UnprocessableEntityError as error:
            print("refused:", [e.pointer for e in error.errors])


if __name__ == "__main__":
    main()
