"""Whatever comes in, a parser returns a value or raises ParseError, and in linear time.

The 256 KiB inputs are not timed (timing lives in benchmarks/): a parser that does
quadratic work in Python code needs some 3 * 10**10 steps on one of them, a quarter of an
hour even when each step is a bare ``+= 1``, so the suite finishing is the proof.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    ParseError,
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_proxy_authorization,
    parse_www_authenticate,
    strategies,
)

PARSERS: list[Callable[..., object]] = [
    parse_www_authenticate,
    parse_proxy_authenticate,
    parse_authorization,
    parse_proxy_authorization,
    parse_authentication_info,
    parse_proxy_authentication_info,
]
IDS = [parser.__name__ for parser in PARSERS]

# The characters that matter to the grammar, and some that do not belong.
_NASTY = ",\"\\= \t;'\xa0\x00\r\n\x7f\xff/abAB"


def _only_parse_error(parser: Callable[..., object], value: object, strict: bool) -> None:
    try:
        parser(value, strict=strict)
    except ParseError:
        pass


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
@given(value=st.text(max_size=60), strict=st.booleans())
def test_any_text(parser: Callable[..., object], value: str, strict: bool) -> None:
    _only_parse_error(parser, value, strict)


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
@given(value=st.text(alphabet=_NASTY, max_size=60), strict=st.booleans())
def test_grammar_characters(parser: Callable[..., object], value: str, strict: bool) -> None:
    _only_parse_error(parser, value, strict)


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
@given(value=st.binary(max_size=60), strict=st.booleans())
def test_any_bytes(parser: Callable[..., object], value: bytes, strict: bool) -> None:
    _only_parse_error(parser, value, strict)


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
@given(
    lines=st.lists(
        st.one_of(st.text(alphabet=_NASTY, max_size=20), st.binary(max_size=20)), max_size=4
    ),
    strict=st.booleans(),
)
def test_several_field_lines(
    parser: Callable[..., object], lines: list[str | bytes], strict: bool
) -> None:
    _only_parse_error(parser, lines, strict)


@given(value=strategies.header_values("WWW-Authenticate"), data=st.data())
def test_mutated_valid_values(value: str, data: st.DataObject) -> None:
    for _ in range(3):
        if not value:
            break
        index = data.draw(st.integers(0, len(value)))
        insert = data.draw(st.text(alphabet=_NASTY, max_size=3))
        drop = data.draw(st.integers(0, 3))
        value = value[:index] + insert + value[index + drop :]
    for parser in PARSERS:
        _only_parse_error(parser, value, True)
        _only_parse_error(parser, value, False)


# 256 KiB: large enough that quadratic work cannot finish, small enough to run fast.
SIZE = 1 << 18

PATHOLOGICAL = {
    "commas": "," * SIZE,
    "spaces": " " * SIZE,
    "quotes": '"' * SIZE,
    "backslashes": "\\" * SIZE,
    "equals": "=" * SIZE,
    "nbsp": "\xa0" * SIZE,
    "comma-space": ", " * (SIZE // 2),
    "scheme-then-equals": "Basic " + "=" * SIZE,
    "unterminated-quoted-string": 'Basic realm="' + "a" * SIZE,
    "quoted-pairs": 'Basic realm="' + "\\a" * (SIZE // 2) + '"',
    "unterminated-quoted-pairs": 'Basic realm="' + "\\a" * (SIZE // 2),
    "long-token": "a" * SIZE,
    "long-token68": "Basic " + "A" * SIZE + "==",
    "many-params": "Basic " + ", ".join(f"p{i}=v" for i in range(SIZE // 10)),
    "many-challenges": ", ".join(["Basic realm=x"] * (SIZE // 15)),
    "many-bare-schemes": ", ".join(["Basic"] * (SIZE // 7)),
    "many-token68": ", ".join(["Negotiate abc="] * (SIZE // 16)),
    "words": "a " * (SIZE // 2),
    "words-equals": "a= " * (SIZE // 3),
    "params-no-commas": "Basic " + " ".join(["a=b"] * (SIZE // 4)),
    "quote-runs": 'Basic a="x", ' * (SIZE // 13) + '"',
    "semicolons": "Basic " + "a=b; " * (SIZE // 5),
}


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_inputs_complete(name: str, strict: bool) -> None:
    value = PATHOLOGICAL[name]
    # The three grammars in strict mode; lenient mode reads all three with one scanner.
    parsers = (parse_www_authenticate, parse_authorization, parse_authentication_info)
    for parser in parsers if strict else parsers[:1]:
        _only_parse_error(parser, value, strict)


def test_large_valid_values_parse() -> None:
    assert len(parse_www_authenticate(PATHOLOGICAL["many-challenges"])) == SIZE // 15
    assert len(parse_www_authenticate(PATHOLOGICAL["many-params"])[0].params) == SIZE // 10
    [challenge] = parse_www_authenticate(PATHOLOGICAL["quoted-pairs"])
    assert challenge.params["realm"] == "a" * (SIZE // 2)
