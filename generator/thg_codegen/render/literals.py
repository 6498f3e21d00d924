"""Spec text reaching generated source: exact literals, docstrings and Markdown.

A template never prints a spec string raw: it goes through one of these, so quotes, backslashes,
triple quotes, newlines, control characters and Jinja delimiters in a title or description
become text with exactly the spec's meaning, never code.
"""

from __future__ import annotations

import json
import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def _code_escape(char: str) -> str:
    code = ord(char)
    return (
        f"\\x{code:02x}"
        if code <= 0xFF
        else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    )


def _escape_char(char: str) -> str:
    if char == "\n":
        return char
    if char == "\t":
        return "\\t"
    if unicodedata.category(char) in _INVISIBLE:
        return _code_escape(char)
    return char


def _text(text: object) -> str:
    """``text`` as a str UTF-8 can hold: a lone surrogate (a YAML ``"\\ud800"`` escape) cannot be
    written to a file or be a class docstring, so it shows as U+FFFD."""
    return _SURROGATE.sub("\ufffd", str(text or ""))


def _escape_docstring_char(value: str, index: int) -> str:
    char = value[index]
    if char == "\\":
        return "\\\\"
    if char == '"':
        # black pads a docstring that starts or ends with a quote with a space (changing its
        # value), so those become \x22. Escaping a quote followed by a quote leaves no two
        # unescaped quotes side by side: nothing in the text can close the literal.
        if index == 0 or index == len(value) - 1:
            return _code_escape(char)
        return '\\"' if value[index + 1] == '"' else char
    if index > 0 and value[index - 1] == "\n" and char.isspace() and char != "\n":
        # black removes the indentation all the source lines share: a line's own leading
        # space, escaped, is never taken for indentation.
        return _code_escape(char)
    return _escape_char(char)


def _escape_docstring(value: str) -> str:
    if _needs_no_escape(value):  # most spec prose; the character walk costs a fifth of rendering
        return value
    return "".join(_escape_docstring_char(value, i) for i in range(len(value)))


def _needs_no_escape(value: str) -> bool:
    """True when `_escape_docstring_char` would keep every character of ``value``: no backslash
    or quote, no line (after the first) starting with a space, every character printable
    (``str.isprintable`` is False for every category in ``_INVISIBLE``, and for tab)."""
    if "\\" in value or '"' in value:
        return False
    lines = value.split("\n")
    return all(line.isprintable() for line in lines) and not any(
        line[:1].isspace() for line in lines[1:]
    )


def docstring(text: object, indent: int, fallback: str = "") -> str:
    """A triple-quoted docstring whose value is ``text`` (stripped, right-stripped lines),
    indented for its place; ``fallback`` when the text is empty."""
    value = str(text or "").strip() or fallback or "(No description in the spec.)"
    value = "\n".join(line.rstrip() for line in _text(value).splitlines())
    lines = _escape_docstring(value).split("\n")
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    pad = " " * indent
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""'


def markdown_inline(text: object) -> str:
    """One line of Markdown (a table cell, a list item) showing ``text`` literally."""
    value = " ".join(_text(text).split())
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;")):
        value = value.replace(char, entity)
    return value


_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where CommonMark finds code spans in `text`: left to right, a backslash escapes the
    punctuation after it, and a run of backquotes opens a span closed by the next run of the
    same length (inside a span backslashes are literal); an unclosed run is plain text."""
    spans: list[tuple[int, int]] = []
    at, end = 0, len(text)
    while at < end:
        char = text[at]
        if char == "\\" and at + 1 < end and text[at + 1] in _ASCII_PUNCTUATION:
            at += 2
            continue
        if char != "`":
            at += 1
            continue
        opened = at
        while at < end and text[at] == "`":
            at += 1
        length, look = at - opened, at
        while look < end:
            if text[look] != "`":
                look += 1
                continue
            run = look
            while look < end and text[look] == "`":
                look += 1
            if look - run == length:
                spans.append((opened, look))
                at = look
                break
    return spans


def _escape_html(prose: str) -> str:
    return prose.replace("&", "&amp;").replace("<", "&lt;")


def _paragraph(text: str) -> str:
    """One paragraph with its single-line code spans kept as written. Where the block structure
    could pair backquotes differently (a span crossing lines, a table's pipes), everything is
    escaped: at worst a `&lt;` shows inside code, never does HTML get through."""
    spans = _code_spans(text)
    if "|" in text or any("\n" in text[start:stop] for start, stop in spans):
        return _escape_html(text)
    out, at = [], 0
    for start, stop in spans:
        out.append(_escape_html(text[at:start]))
        out.append(text[start:stop])
        at = stop
    out.append(_escape_html(text[at:]))
    return "".join(out)


def markdown_block(text: object) -> str:
    """Spec prose as a Markdown block; HTML is shown, never interpreted. A code span is left as
    written: Markdown shows it literally already, and escaping inside it would print `&lt;`."""
    block = "\n".join(line.rstrip() for line in _text(text).strip().splitlines())
    parts = _PARAGRAPH_BREAK.split(block)
    return "".join(part if i % 2 else _paragraph(part) for i, part in enumerate(parts))


def toml_string(text: object) -> str:
    """A TOML basic string (JSON's escaping is valid TOML)."""
    return json.dumps(str(text), ensure_ascii=True)


def first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""
