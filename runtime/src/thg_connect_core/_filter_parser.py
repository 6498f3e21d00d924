"""Parse filter-language text into the expression tree (the grammar in specs/CONVENTIONS.md §8).

A hand-written lexer and recursive-descent parser: the lexer runs on demand, one token ahead, so
the first error reported is the leftmost one. Every failure is a ``FilterSyntaxError`` carrying
the 0-based position, what was found and what was expected; the sandbox turns it into a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from ._filter_ast import (
    KEYWORDS,
    OPERATORS,
    And,
    Comparison,
    FilterExpr,
    FilterValue,
    Operator,
    Or,
    parse_filter_datetime,
)

__all__ = ["FilterSyntaxError", "parse_filter"]

# Parentheses nest through recursion; a hostile filter of thousands of "(" must end in a
# FilterSyntaxError, not a RecursionError.
MAX_NESTING = 64
_TYPOGRAPHIC_QUOTES = "\u2018\u2019"
_WHITESPACE = " \t\n\r"
_NAME_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
_NAME_CHARS = _NAME_START + "0123456789"
_DIGITS = "0123456789"
_MAX_NUMBER_CHARS = 4000  # int() refuses longer digit strings by default (since Python 3.11)


class FilterSyntaxError(ValueError):
    """A malformed filter: ``at position 14: expected a comparison operator, found "an"``."""

    def __init__(self, text: str, position: int, expected: str, found: str) -> None:
        self.text = text
        self.position = position
        """0-based character offset of the problem in ``text``."""
        self.expected = expected
        self.found = found
        """The offending token as written, or ``end of input``."""
        super().__init__(f"at position {position}: expected {expected}, found {found}")


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", ".", "op", "name", "keyword", "string", "number", "eof", "bad"
    text: str  # as written in the filter
    position: int
    value: FilterValue = None  # strings, numbers and keyword values (lowercase keyword for kind)

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of input"
        shown = self.text if len(self.text) <= 24 else self.text[:21] + "..."
        return '"' + shown.replace('"', '\\"') + '"'


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, position: int, expected: str, found: Optional[str] = None) -> FilterSyntaxError:
        if found is None:
            found = (
                "end of input"
                if position >= len(self.text)
                else _Token("bad", self.text[position], position).describe()
            )
        return FilterSyntaxError(self.text, position, expected, found)

    def next(self) -> _Token:
        text, n = self.text, len(self.text)
        pos = self.pos
        while pos < n and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= n:
            self.pos = pos
            return _Token("eof", "", pos)
        char = text[pos]
        if char in "().":
            token = _Token(char, char, pos)
            end = pos + 1
        elif char in "=!<>":
            token, end = self._operator(pos)
        elif char in _NAME_START:
            end = pos + 1
            while end < n and text[end] in _NAME_CHARS:
                end += 1
            word = text[pos:end]
            lowered = word.lower()
            if lowered in KEYWORDS:
                token = _Token("keyword", word, pos, lowered)
            else:
                token = _Token("name", word, pos)
        elif char == "'":
            token, end = self._straight_string(pos)
        elif char in _TYPOGRAPHIC_QUOTES:
            end = pos + 1
            while end < n and text[end] not in _TYPOGRAPHIC_QUOTES:
                end += 1
            if end >= n:
                raise self.error(end, "a closing quote for the string opened at " + str(pos))
            token = self._string_token(pos, end + 1, text[pos + 1 : end])
            end += 1
        elif char == "-" or char in _DIGITS:
            token, end = self._number(pos)
        else:
            # Let the parser say what it expected here.
            token = _Token("bad", char, pos)
            end = pos + 1
        self.pos = end
        return token

    def _operator(self, pos: int) -> Tuple[_Token, int]:
        two = self.text[pos : pos + 2]
        if two in ("!=", ">=", "<="):
            return _Token("op", two, pos), pos + 2
        one = two[:1]
        if one == "!":
            raise self.error(pos + 1, '"=" after "!"')
        return _Token("op", one, pos), pos + 1

    def _straight_string(self, pos: int) -> Tuple[_Token, int]:
        text, n = self.text, len(self.text)
        chunks: List[str] = []
        start = end = pos + 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise self.error(n, "a closing quote for the string opened at " + str(pos))
            if end + 1 < n and text[end + 1] == "'":  # a doubled quote is one quote
                chunks.append(text[start : end + 1])
                start = end = end + 2
                continue
            chunks.append(text[start:end])
            return self._string_token(pos, end + 1, "".join(chunks)), end + 1

    def _string_token(self, pos: int, end: int, content: str) -> _Token:
        try:
            as_datetime = parse_filter_datetime(content)
        except ValueError:
            raise self.error(
                pos, "a valid date-time", _Token("bad", self.text[pos:end], pos).describe()
            ) from None
        value: FilterValue = content if as_datetime is None else as_datetime
        return _Token("string", self.text[pos:end], pos, value)

    def _number(self, pos: int) -> Tuple[_Token, int]:
        text, n = self.text, len(self.text)
        end = pos + 1 if text[pos] == "-" else pos
        end = self._digits(end, "a digit" + (' after "-"' if end > pos else ""))
        is_float = False
        if end < n and text[end] == ".":
            end = self._digits(end + 1, 'a digit after "."')
            is_float = True
        if end < n and text[end] in "eE":
            end += 1
            if end < n and text[end] in "+-":
                end += 1
            end = self._digits(end, "a digit in the exponent")
            is_float = True
        written = text[pos:end]
        if len(written) > _MAX_NUMBER_CHARS:
            raise self.error(pos, "a number of at most 4000 characters", "a longer number")
        value: FilterValue = float(written) if is_float else int(written)
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            raise self.error(pos, "a finite number", _Token("bad", written, pos).describe())
        return _Token("number", written, pos, value), end

    def _digits(self, pos: int, expected: str) -> int:
        end = pos
        while end < len(self.text) and self.text[end] in _DIGITS:
            end += 1
        if end == pos:
            raise self.error(pos, expected)
        return end


class _Parser:
    def __init__(self, text: str) -> None:
        self.lexer = _Lexer(text)
        self.token = self.lexer.next()
        self.depth = 0

    def advance(self) -> _Token:
        token = self.token
        self.token = self.lexer.next()
        return token

    def fail(self, expected: str) -> FilterSyntaxError:
        return FilterSyntaxError(
            self.lexer.text, self.token.position, expected, self.token.describe()
        )

    def is_keyword(self, word: str) -> bool:
        return self.token.kind == "keyword" and self.token.value == word

    def filter(self) -> FilterExpr:
        expr = self.or_expr()
        if self.token.kind != "eof":
            expected = '"and", "or" or ")"' if self.depth else '"and", "or" or the end'
            if self.token.kind == ")":
                expected = '"and", "or" or the end (this ")" has no matching "(")'
            raise self.fail(expected)
        return expr

    def or_expr(self) -> FilterExpr:
        operands = [self.and_expr()]
        while self.is_keyword("or"):
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> FilterExpr:
        operands = [self.primary()]
        while self.is_keyword("and"):
            self.advance()
            operands.append(self.primary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def primary(self) -> FilterExpr:
        if self.token.kind != "(":
            return self.comparison()
        if self.depth >= MAX_NESTING:
            raise self.fail(f"at most {MAX_NESTING} nested parentheses")
        self.advance()
        self.depth += 1
        expr = self.or_expr()
        if self.token.kind != ")":
            raise self.fail('"and", "or" or ")"')
        self.depth -= 1
        self.advance()
        return expr

    def comparison(self) -> Comparison:
        field = self.field()
        if self.token.kind != "op":
            raise self.fail("a comparison operator (=, !=, >, >=, <, <=)")
        op_token = self.advance()
        op: Operator = next(op for op in OPERATORS if op == op_token.text)
        value_token = self.token
        if value_token.kind in ("string", "number") or (
            value_token.kind == "keyword" and value_token.value in ("true", "false", "null")
        ):
            self.advance()
        else:
            raise self.fail("a value (a quoted string, a number, true, false or null)")
        value: FilterValue = value_token.value
        if value_token.kind == "keyword":
            value = {"true": True, "false": False, "null": None}[str(value_token.value)]
        if value is None and op not in ("=", "!="):
            raise FilterSyntaxError(
                self.lexer.text, value_token.position, "a value that is not null", "null"
            )
        return Comparison(field, op, value)

    def field(self) -> str:
        if self.token.kind != "name":
            raise self.fail('a field name or "("')
        parts = [str(self.advance().text)]
        while self.token.kind == ".":
            self.advance()
            if self.token.kind != "name":
                raise self.fail('a field name after "."')
            parts.append(self.advance().text)
        return ".".join(parts)


def parse_filter(text: str) -> FilterExpr:
    """Parse filter-language text (both quote styles, keywords in any case) into an expression
    tree; ``parse_filter(render(tree)) == tree``. Raises ``FilterSyntaxError``."""
    if not isinstance(text, str):
        raise TypeError(f"a filter must be a str, not {type(text).__name__}")
    return _Parser(text).filter()
