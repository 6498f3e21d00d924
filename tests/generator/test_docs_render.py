"""The generated product pages: prose shown as written (HTML never interpreted, code spans not
double-escaped) and Mermaid diagrams drawn from the model that no spec text can break out of."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from thg_codegen.render.diagrams import _label, entity_diagram, state_diagram
from thg_codegen.render.literals import markdown_block
from thg_spec.pipeline import load_products

REPO = Path(__file__).resolve().parents[2]
_markdown = MarkdownIt("commonmark")
_markdown_with_tables = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>",
                "<b>",
                "</b>",
                "<!-- x",
                "-->",
                "<a href='x'>",
                "<?php",
                "<![CDATA[",
                "&amp;",
                "&lt;",
                "`",
                "``",
                "\\",
                "\\`",
                "a",
                " ",
                "\n",
                "\n\n",
                "*",
                "_",
                "<",
                ">",
                "&",
                "<div>\n",
                "    ",
                "> ",
                "|",
                "- ",
                "#",
                "```",
                "\n|-|-|\n",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_prose_never_becomes_html(text: str) -> None:
    """Whatever the spec's prose, block structure and backquotes included, no HTML comes out
    (a hand-run of 300,000 random texts per flavour found none)."""
    for markdown in (_markdown, _markdown_with_tables):
        kinds = {token.type for token in _tokens(markdown.parse(markdown_block(text)))}
        assert not kinds & {"html_inline", "html_block"}, markdown_block(text)


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab<>&")), min_size=1, max_size=20))
def test_code_spans_show_their_text_as_written(code: str) -> None:
    html = _markdown.render(markdown_block(f"see `{code}` here"))
    shown = re.search(r"<code>(.*?)</code>", html, re.S)
    assert shown is not None
    assert shown.group(1) == code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_the_document_page_shows_angle_brackets_in_code() -> None:
    page = (REPO / "generated" / "docs" / "document.md").read_text(encoding="utf-8")
    assert "`thg:document:<owner>@<id>`" in page and "&lt;owner>" not in page


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_label_cannot_end_itself_or_the_diagram(text: str) -> None:
    label = _label(text)
    assert label.startswith('"') and label.endswith('"') and label.count('"') == 2
    assert "\n" not in label and "<" not in label and ">" not in label


def test_diagrams_draw_every_entity_and_state() -> None:
    for product in load_products(REPO / "specs"):
        chart = entity_diagram(product).splitlines()
        assert chart[0] == "flowchart TD"
        edges = [line for line in chart if "-->" in line]
        assert len(edges) == len(product.entities)  # each entity hangs from its parent or owner
        for entity in product.entities:
            assert any(f'"{".".join(entity.name)} (' in line for line in chart), entity.name
            if entity.kind != "status":
                continue
            states = state_diagram(entity)
            for state in entity.states:
                assert f": {state.value}\n" in states + "\n"


def test_the_product_page_explains_its_concepts_with_diagrams() -> None:
    page = (REPO / "generated" / "docs" / "thg_fulfil.md").read_text(encoding="utf-8")
    assert page.count("```mermaid") >= 5  # the hierarchy and one per status
    for concept in ("Owner and direction", "Partnership roles", "Statuses", "References"):
        assert f"**{concept}.**" in page
    assert "`thg-fulfil:asn` lives in the consumer's path." in page


def test_the_readme_shows_the_generated_thg_fulfil_diagrams() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    page = (REPO / "generated" / "docs" / "thg_fulfil.md").read_text(encoding="utf-8")
    shown = re.findall(r"```mermaid\n(.*?)```", readme, re.S)
    drawn = re.findall(r"```mermaid\n(.*?)```", page, re.S)
    assert len(shown) == 2 and all(block in drawn for block in shown)
