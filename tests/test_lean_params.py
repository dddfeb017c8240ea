"""AuthParams kept as its name index alone (``_items`` None) is the same mapping.

The parser stores the params of a value whose names are all lower case in the index
only (each name kept once: about a third less memory per parsed challenge). Every public
operation must give what the same params built from their pairs give.
"""

from __future__ import annotations

import copy
import pickle

from hypothesis import given
from hypothesis import strategies as st

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    format_authentication_info,
    format_challenges,
    parse_authentication_info,
    parse_www_authenticate,
)
from wwwauth.model import new_auth_params, new_challenge, params_without
from wwwauth.strategies import tokens, values

# Names that are their own lower-case form: what the lean form holds.
_LOWER_NAMES = tokens(max_size=10).map(str.lower)
_PAIRS = st.lists(st.tuples(_LOWER_NAMES, values()), max_size=6, unique_by=lambda pair: pair[0])


def _lean(pairs: list[tuple[str, str]]) -> AuthParams:
    return new_auth_params(None, dict(pairs))


@given(_PAIRS, st.lists(tokens(max_size=10), max_size=4))
def test_the_lean_form_reads_like_the_full_one(
    pairs: list[tuple[str, str]], probes: list[str]
) -> None:
    lean, full = _lean(pairs), AuthParams(pairs)
    assert list(lean) == list(full) == [name for name, _ in pairs]
    assert len(lean) == len(full)
    assert list(lean.items()) == list(full.items()) == pairs
    assert list(lean.values()) == list(full.values())
    assert list(lean.keys()) == list(full.keys())
    assert repr(lean) == repr(full) and lean._redacted_repr() == full._redacted_repr()
    assert lean == full and full == lean and hash(lean) == hash(full)
    assert lean == dict(pairs)
    for name in [*probes, *(name.upper() for name, _ in pairs), *(n for n, _ in pairs)]:
        assert lean.get(name) == full.get(name)
        assert (name in lean) == (name in full)
        assert lean.get(name, "-") == full.get(name, "-")
    for copied in (copy.deepcopy(lean), pickle.loads(pickle.dumps(lean))):
        assert copied == full and list(copied.items()) == pairs


@given(_PAIRS.filter(bool))
def test_the_lean_form_serializes_like_the_full_one(pairs: list[tuple[str, str]]) -> None:
    lean, full = _lean(pairs), AuthParams(pairs)
    lean_challenge = new_challenge("Newauth", lean, None)
    assert str(lean_challenge) == str(Challenge("Newauth", full))
    assert lean_challenge == Challenge("Newauth", full)
    assert repr(Credentials("Newauth", lean)) == repr(Credentials("Newauth", full))
    assert format_authentication_info(lean) == format_authentication_info(full)
    assert format_challenges([lean_challenge]) == format_challenges([Challenge("Newauth", full)])
    dropped = frozenset(name for name, _ in pairs[:1])
    assert list(params_without(lean, dropped).items()) == list(
        params_without(full, dropped).items()
    )


def test_parsed_lower_case_names_are_kept_once() -> None:
    """The parser's params for lower-case names: the index alone, and still right."""
    (challenge,) = parse_www_authenticate('Digest realm="r", nonce="n", qop="auth"')
    params = challenge.params
    assert params._items is None and params._index == {"realm": "r", "nonce": "n", "qop": "auth"}
    assert str(challenge) == 'Digest realm="r", nonce="n", qop="auth"'
    info = parse_authentication_info('nextnonce="x", qop=auth')
    assert info._items is None and list(info.items()) == [("nextnonce", "x"), ("qop", "auth")]


def test_parsed_names_with_capitals_keep_their_spelling() -> None:
    (challenge,) = parse_www_authenticate('Digest Realm="r", nonce="n"')
    params = challenge.params
    assert list(params) == ["Realm", "nonce"] and params["realm"] == "r"
    assert str(challenge) == 'Digest Realm="r", nonce="n"'
