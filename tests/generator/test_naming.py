"""Properties of the one owner of names (``naming``) and of the printers that put spec text into
generated source (``literal``, ``docstring``): for any input, valid Python that means exactly the
spec's text."""

from __future__ import annotations

import ast
import keyword
import math
from typing import Any

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thg_codegen import naming
from thg_codegen.model.schemas import literal
from thg_codegen.render import literals
from thg_codegen.render.literals import docstring

# Text that reaches names and docstrings in specs: any unicode, with the characters that break
# naive printers drawn often.
_AWKWARD = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    " ",
    "-",
    "_",
    "größe",
    "名前",
    "🙂",
    "\ud800",
    "İ",
    "ﬁ",
    "²",
    "3",
    "class",
    "None",
]
awkward_text = st.lists(st.one_of(st.sampled_from(_AWKWARD), st.text(max_size=6)), max_size=12).map(
    "".join
)
SETTINGS = settings(max_examples=150, deadline=None)

SANITISERS = [naming.snake, naming.pascal, naming.upper_snake]


def _valid(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name.isascii()


@SETTINGS
@given(awkward_text)
@pytest.mark.parametrize("sanitise", SANITISERS, ids=lambda f: f.__name__)
def test_sanitisers_return_plain_identifiers(sanitise: Any, name: str) -> None:
    result = sanitise(name)
    assert _valid(result), (name, result)
    # No leading underscore: pydantic refuses such fields, Enum reserves _sunder_ member names.
    assert not result.startswith("_"), (name, result)
    assert sanitise(name) == result  # deterministic


@SETTINGS
@given(awkward_text)
@pytest.mark.parametrize("sanitise", [naming.snake, naming.upper_snake], ids=lambda f: f.__name__)
def test_sanitisers_are_idempotent(sanitise: Any, name: str) -> None:
    # Not pascal: ``aA`` -> ``AA`` -> ``Aa`` (one-letter words run together), by design.
    once = sanitise(name)
    assert sanitise(once) == once


@SETTINGS
@given(awkward_text)
def test_styles_agree_on_the_words(name: str) -> None:
    found = naming.words(name)
    if found and not found[0][0].isdigit():  # otherwise each style adds its own placeholder word
        assert naming.snake(name).upper().rstrip("_") == naming.upper_snake(name)
        assert naming.pascal(naming.snake(name)) == naming.pascal(name)


@pytest.mark.parametrize(
    ("name", "snake", "pascal", "upper"),
    [
        ("countryOfOrigin", "country_of_origin", "CountryOfOrigin", "COUNTRY_OF_ORIGIN"),
        ("mass_g", "mass_g", "MassG", "MASS_G"),
        ("massG", "mass_g", "MassG", "MASS_G"),
        ("mass-g", "mass_g", "MassG", "MASS_G"),
        ("HTTPStatus", "http_status", "HttpStatus", "HTTP_STATUS"),
        ("page[size]", "page_size", "PageSize", "PAGE_SIZE"),
        ("größe", "grosse", "Grosse", "GROSSE"),
        ("3d", "field_3_d", "Model3D", "VALUE_3_D"),
        ("名前", "field", "Model", "VALUE"),
        ("!!!", "field", "Model", "VALUE"),
        ("class", "class_", "Class", "CLASS"),
        ("None", "none", "None_", "NONE"),
        ("", "field", "Model", "VALUE"),
    ],
)
def test_sanitiser_examples(name: str, snake: str, pascal: str, upper: str) -> None:
    assert (naming.snake(name), naming.pascal(name), naming.upper_snake(name)) == (
        snake,
        pascal,
        upper,
    )


def test_soft_keywords_are_ordinary_names() -> None:
    # Soft keywords differ between Python versions (3.12 added ``type``); treating them as reserved
    # would make the output depend on the Python that runs the generator.
    for name in ("type", "match", "case"):
        assert naming.Namespace().claim(name) == name


identifiers = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,8}\Z")


@SETTINGS
@given(st.lists(identifiers, max_size=30), st.lists(identifiers, max_size=5), st.booleans())
def test_namespace_claims_are_unique_and_deterministic(
    names: list[str], avoid: list[str], avoid_builtins: bool
) -> None:
    def claims() -> list[str]:
        space = naming.Namespace(avoid, avoid_builtins=avoid_builtins)
        return [space.claim(name) for name in names]

    first = claims()
    assert first == claims()
    assert len(set(first)) == len(first)
    for name, claimed in zip(names, first, strict=True):
        assert _valid(claimed), claimed
        assert claimed not in avoid
        assert not (avoid_builtins and claimed in naming.BUILTINS)
        assert claimed.startswith(name)


@given(st.lists(identifiers, min_size=1, max_size=20))
def test_namespace_keeps_a_free_name(names: list[str]) -> None:
    space = naming.Namespace()
    seen: set[str] = set()
    for name in names:
        claimed = space.claim(name)
        if name not in seen and not keyword.iskeyword(name):
            assert claimed == name
        seen.update((name, claimed))


def test_namespace_refuses_non_identifiers() -> None:
    with pytest.raises(ValueError):
        naming.Namespace().claim("3d")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("inventory_item", "inventory_items"),
        ("status", "statuses"),
        ("address", "addresses"),
        ("box", "boxes"),
        ("batch", "batches"),
        ("category", "categories"),
        ("day", "days"),
        ("dispatched", "dispatched"),
        ("items", "items"),
        ("data", "data"),
        ("person", "people"),
        ("child", "children"),
        ("fulfilment_request", "fulfilment_requests"),
        ("document", "documents"),
        ("inventory", "inventory"),
        ("sandbox_inventory", "sandbox_inventory"),
        ("stock", "stock"),
        ("stock_level", "stock_levels"),
    ],
)
def test_plural(word: str, expected: str) -> None:
    assert naming.plural(word) == expected


# -- literal --------------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    awkward_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(awkward_text, inner, max_size=4)
    ),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same JSON type all the way down (``True == 1`` but is not the same)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


@settings(max_examples=250, deadline=None)
@given(json_values)
def test_literal_means_the_value(value: Any) -> None:
    source = literal(value)
    assert "\n" not in source  # one logical line wherever a template puts it
    assert _same(ast.literal_eval(source), value)
    assert _same(eval(source, {"__builtins__": {}}), value)  # noqa: S307 - the property itself


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, object(), b"bytes"])
def test_literal_refuses_what_is_not_json(value: Any) -> None:
    with pytest.raises(ValueError):
        literal(value)


# -- docstring ------------------------------------------------------------------------------------


def _intended(text: str) -> str:
    value = text.strip() or "(No description in the spec.)"
    # A lone surrogate cannot be a class docstring (or UTF-8): it prints as U+FFFD.
    value = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    return "\n".join(line.rstrip() for line in value.splitlines())


def _doc_value(printed: str, indent: int) -> str:
    """The value Python gives the docstring ``printed`` at ``indent`` (module, class or method),
    after black has formatted the module as the generator does."""
    pad = " " * indent
    if indent == 0:
        source = f"{printed}\n"
    elif indent == 4:
        source = f"class C:\n{pad}{printed}\n"
    else:
        source = f"class C:\n    def f(self):\n{pad}{printed}\n"
    values: set[str] = set()
    for text in (source, black.format_str(source, mode=black.Mode(line_length=100))):
        namespace: dict[str, Any] = {}
        exec(compile(text, "<docstring>", "exec"), namespace)  # noqa: S102 - the property itself
        value = namespace["__doc__"] if indent == 0 else namespace["C"].__doc__
        values.add(value if indent < 8 else namespace["C"].f.__doc__)
    assert len(values) == 1, f"black changed the value: {values}"
    return values.pop()


def _undo_indent(value: str, indent: int) -> str:
    lines = value.split("\n")
    if len(lines) == 1:
        return value
    pad = " " * indent
    assert lines[-1] == pad, "the closing quotes sit on their own line"
    body = lines[1:-1]
    assert all(line.startswith(pad) or line == "" for line in body)
    return "\n".join([lines[0]] + [line[len(pad) :] for line in body])


@settings(max_examples=250, deadline=None)
@given(awkward_text, st.sampled_from([0, 4, 8]))
def test_docstring_means_the_text(text: str, indent: int) -> None:
    printed = docstring(text, indent)
    value = _doc_value(printed, indent)
    assert _undo_indent(value, indent) == _intended(text)
    assert "{{" not in printed or "{{" in text  # printed as text, never anything else


@settings(max_examples=300, deadline=None)
@given(st.one_of(awkward_text, st.text()))
def test_plain_prose_skips_the_character_walk_with_the_same_result(text: str) -> None:
    value = "\n".join(line.rstrip() for line in text.splitlines())
    walked = "".join(literals._escape_docstring_char(value, i) for i in range(len(value)))
    assert literals._escape_docstring(value) == walked


@pytest.mark.parametrize(
    "text",
    [
        'ends with a quote"',
        'ends with two quotes""',
        'ends with three"""',
        'starts """ and ends \\',
        "trailing backslash \\",
        "a\\nb is not a newline",
        "line one\n  indented\n\nlast",
        "{{ config }} {% include 'x' %} {# c #}",
        "nul \x00 bell \x07 del \x7f",
        "separators \u2028 and \u2029 and \x85",
        "\ud800 lone surrogate",
        '"',
        "\\",
        "shared\n  indent\n  on every later line",
        "nbsp\n\u00a0indent",
    ],
)
def test_docstring_examples(text: str) -> None:
    for indent in (0, 4, 8):
        assert _undo_indent(_doc_value(docstring(text, indent), indent), indent) == _intended(text)
