"""The strategies users get: only valid values, for every field, names in any case."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    format_authentication_info,
    parse_authentication_info,
    parse_authorization,
    parse_proxy_authenticate,
    parse_proxy_authentication_info,
    parse_proxy_authorization,
    parse_www_authenticate,
    strategies,
)

PARSERS = {
    "WWW-Authenticate": parse_www_authenticate,
    "Proxy-Authenticate": parse_proxy_authenticate,
    "Authorization": parse_authorization,
    "Proxy-Authorization": parse_proxy_authorization,
    "Authentication-Info": parse_authentication_info,
    "Proxy-Authentication-Info": parse_proxy_authentication_info,
}


@pytest.mark.parametrize("field", list(PARSERS))
@settings(max_examples=50)
@given(data=st.data())
def test_header_values_parse_strictly(field: str, data: st.DataObject) -> None:
    PARSERS[field](data.draw(strategies.header_values(field)))
    PARSERS[field](data.draw(strategies.header_values(field.lower())))


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
