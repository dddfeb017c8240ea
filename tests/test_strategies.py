"""The strategies users get: valid values for every field, names in any case; hostile ones."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import FrozenInstanceError

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    ParseError,
    _hostile,
    format_authentication_info,
    parse_authentication_info,
    parse_authorization,
    parse_www_authenticate,
    strategies,
)
from wwwauth._abnf import CTL, OBS_TEXT
from wwwauth.testing import check_response

from .test_parser import EVERY_PARSER


@pytest.mark.parametrize("field", list(EVERY_PARSER))
@settings(max_examples=50)
@given(data=st.data())
def test_header_values_parse_strictly(field: str, data: st.DataObject) -> None:
    EVERY_PARSER[field](data.draw(strategies.header_values(field)))
    EVERY_PARSER[field](data.draw(strategies.header_values(field.lower())))


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="not an authentication field"):
        strategies.header_values("Cookie")


@given(strategies.challenges(), strategies.credentials(), strategies.auth_params())
def test_value_strategies_build_valid_instances(
    challenge: Challenge, credentials: Credentials, params: AuthParams
) -> None:
    assert parse_www_authenticate(str(challenge)) == [challenge]
    assert parse_authorization(str(credentials)) == credentials
    assert parse_authentication_info(format_authentication_info(params)) == params


def test_importing_wwwauth_does_not_import_hypothesis() -> None:
    code = "import sys, wwwauth; print('hypothesis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# The import hint


def test_importing_strategies_without_hypothesis_says_which_extra() -> None:
    code = """
import importlib.abc, sys

class HideHypothesis(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, HideHypothesis())
import wwwauth, wwwauth.testing  # neither needs hypothesis
try:
    import wwwauth.strategies
except ImportError as error:
    print(type(error).__name__, error.name, error, sep="|")
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == (
        "ModuleNotFoundError|hypothesis|wwwauth.strategies needs the hypothesis package: "
        "pip install 'pywwwauth[hypothesis]'"
    )


# Hostile values: each label is what it claims, and our parsers only ever raise ParseError

SHAPE_FIELDS: dict[_hostile.Shape, tuple[str, str]] = {
    "challenge": ("WWW-Authenticate", "Proxy-Authenticate"),
    "credentials": ("Authorization", "Proxy-Authorization"),
    "info": ("Authentication-Info", "Proxy-Authentication-Info"),
}
LABELLED = [
    (shape, label, valid_by_shape[shape], build)
    for label, (valid_by_shape, build) in _hostile._TABLE.items()
    for shape in SHAPE_FIELDS
    if shape in valid_by_shape
]


def _parsed_or_error(parse: Callable[..., object], value: str, *, strict: bool) -> object:
    """The parse result, or the ParseError; any other exception fails the test."""
    try:
        return parse(value, strict=strict)
    except ParseError as error:
        return error


def _count(parsed: object) -> int:
    """How many auth-params (or token68s) a parse result holds, all challenges together."""
    if isinstance(parsed, list):
        return sum(len(c.params) + (c.token68 is not None) for c in parsed)
    if isinstance(parsed, Credentials):
        return len(parsed.params)
    assert isinstance(parsed, AuthParams)
    return len(parsed)


# What each valid (so hostile by size or content) value must show.
VALID_CLAIMS: dict[str, Callable[[str, object], bool]] = {
    "obs-text-in-quoted-string": lambda value, parsed: any(c in OBS_TEXT for c in value),
    "token68-read-as-auth-param": lambda value, parsed: (
        _count(parsed) == 1
        and (
            parsed.token68 is None
            if isinstance(parsed, Credentials)
            else all(c.token68 is None for c in parsed)  # type: ignore[attr-defined]
        )
    ),
    "empty": lambda value, parsed: value == "" and _count(parsed) == 0,
    "only-commas": lambda value, parsed: value.count(",") >= 1000 and _count(parsed) == 0,
    "many-empty-list-elements": lambda value, parsed: value.count(",") >= 1000,
    "many-params": lambda value, parsed: _count(parsed) >= 1000,
    "many-challenges": lambda value, parsed: isinstance(parsed, list) and len(parsed) >= 1000,
    "overlong-quoted-string": lambda value, parsed: len(value) > 8192,
    "overlong-token68": lambda value, parsed: len(value) > 8192,
    "overlong-scheme": lambda value, parsed: len(value) > 8192,
}
# What each invalid value must hold besides failing the strict parse.
INVALID_CLAIMS: dict[str, Callable[[str], bool]] = {
    "control-character": lambda value: any(c in CTL for c in value),
    "obs-text-in-token": lambda value: any(c in OBS_TEXT for c in value),
    "obs-text-in-token68": lambda value: any(c in OBS_TEXT for c in value),
    "duplicated-param": lambda value: value.count("=") >= 2,
    "unbalanced-quote": lambda value: value.count('"') % 2 == 1,
    "semicolon-separator": lambda value: ";" in value,
    "tab-after-scheme": lambda value: "\t" in value,
    "two-credentials": lambda value: "," in value,
}


def test_every_label_has_a_claim_checked() -> None:
    labelled = {label for _, label, valid, _ in LABELLED if valid}
    assert labelled == set(VALID_CLAIMS)
    assert set(INVALID_CLAIMS) <= {label for _, label, valid, _ in LABELLED if not valid}


@pytest.mark.parametrize(
    ("shape", "label", "valid", "build"),
    LABELLED,
    ids=[f"{shape}-{label}" for shape, label, _, _ in LABELLED],
)
@settings(max_examples=8)
@given(data=st.data())
def test_hostile_value_is_what_its_label_claims(
    shape: _hostile.Shape,
    label: str,
    valid: bool,
    build: Callable[[_hostile.Shape], st.SearchStrategy[str]],
    data: st.DataObject,
) -> None:
    value = data.draw(build(shape))
    for field in SHAPE_FIELDS[shape]:
        strict = _parsed_or_error(EVERY_PARSER[field], value, strict=True)
        _parsed_or_error(EVERY_PARSER[field], value, strict=False)  # never another exception
        if valid:
            assert not isinstance(strict, ParseError), (label, strict)
            assert VALID_CLAIMS[label](value, strict)
        else:
            assert isinstance(strict, ParseError), label
            assert label not in INVALID_CLAIMS or INVALID_CLAIMS[label](value)


@pytest.mark.parametrize("field", list(EVERY_PARSER))
@settings(max_examples=30)
@given(data=st.data())
def test_hostile_values_can_be_sent_and_only_raise_parse_error(
    field: str, data: st.DataObject
) -> None:
    case = data.draw(strategies.hostile_header_cases(field))
    value = data.draw(strategies.hostile_header_values(field.upper()))
    for text in (case.value, value):
        text.encode("latin-1")  # RFC 9110 §5.5: octets, ISO-8859-1 here
        assert not set(text) & set("\r\n\x00")
        assert text == text.strip(" \t")
        requests.utils.check_header_validity((field, text))  # requests would send it
        for strict in (True, False):
            _parsed_or_error(EVERY_PARSER[field], text, strict=strict)
    if field in ("WWW-Authenticate", "Proxy-Authenticate"):
        status = 401 if field == "WWW-Authenticate" else 407
        assert all(p.level in ("error", "warning") for p in check_response(status, {field: value}))


def test_hostile_strategies_refuse_an_unknown_field() -> None:
    with pytest.raises(ValueError, match="not an authentication field"):
        strategies.hostile_header_values("Cookie")
    with pytest.raises(ValueError, match="not an authentication field"):
        strategies.hostile_header_cases("Cookie")


def test_hostile_value_is_frozen() -> None:
    case = strategies.HostileValue(label="empty", value="", valid=True)
    with pytest.raises(FrozenInstanceError):
        case.value = "x"  # type: ignore[misc]  # the point of the test
