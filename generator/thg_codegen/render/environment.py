"""The Jinja environment: strict, with the only filters templates may use to print spec text."""

from __future__ import annotations

from pathlib import Path

import jinja2

from thg_spec.entities import Product

from .. import naming
from ..manifest import BUILTIN_TEMPLATES
from ..model.schemas import literal
from .diagrams import entity_diagram, own_path_children, owner_of, state_diagram, writer_of
from .literals import docstring, first_line, markdown_block, markdown_inline, toml_string


def _product_doc(product: Product) -> str:
    return "\n\n".join(t for t in (product.title, product.description) if t)


def template_environment(overrides: Path | None = None) -> jinja2.Environment:
    """Templates from ``overrides`` first (one file may replace one built-in), then built-ins."""
    search = [str(overrides)] if overrides is not None else []
    search.append(str(BUILTIN_TEMPLATES))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        lit=literal,
        docstring=docstring,
        words=lambda text: " ".join(naming.words(str(text))),
        md=markdown_inline,
        md_block=markdown_block,
        toml=toml_string,
        first_line=first_line,
        product_doc=_product_doc,
        entity_diagram=entity_diagram,
        state_diagram=state_diagram,
        owner_of=owner_of,
        own_path_children=own_path_children,
        writer_of=writer_of,
    )
    return env
