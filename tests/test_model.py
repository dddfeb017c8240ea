"""AuthParams, Challenge, Credentials: validation, equality, hashing, immutability, repr."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from collections.abc import Mapping

import pytest

from wwwauth import (
    AuthParams,
    Challenge,
    Credentials,
    SerializeError,
    parse_authorization,
    parse_www_authenticate,
)


class TestAuthParams:
    def test_lookup_ignores_ascii_case_and_keeps_spelling(self) -> None:
        params = AuthParams([("Realm", "apps"), ("TYPE", "1")])
        assert params["realm"] == params["REALM"] == "apps"
        assert list(params) == ["Realm", "TYPE"]
        assert list(params.items()) == [("Realm", "apps"), ("TYPE", "1")]
        assert "type" in params and "Type" in params
        assert "title" not in params
        assert 1 not in params  # type: ignore[comparison-overlap]  # any object may be asked
        assert params.get("missing") is None
        assert len(params) == 2

    def test_lookup_folds_only_ascii(self) -> None:
        # U+212A KELVIN SIGN lower-cases to 'k' in Unicode, but names are ASCII tokens.
        params = AuthParams([("key", "v")])
        assert "\u212aey" not in params
        with pytest.raises(KeyError):
            params["\u212aey"]

    def test_is_a_read_only_mapping(self) -> None:
        params = AuthParams({"a": "1"})
        assert isinstance(params, Mapping)
        with pytest.raises(TypeError):
            params["a"] = "2"  # type: ignore[index]  # the point of the test
        with pytest.raises(AttributeError):
            params.x = 1  # type: ignore[attr-defined]  # slots: no new attributes

    def test_equality_ignores_order_and_name_case_not_value_case(self) -> None:
        assert AuthParams([("a", "1"), ("B", "2")]) == AuthParams([("b", "2"), ("A", "1")])
        assert AuthParams([("a", "x")]) != AuthParams([("a", "X")])
        assert AuthParams([("a", "1")]) != AuthParams([("a", "1"), ("b", "2")])
        assert AuthParams([("a", "1")]) == {"A": "1"}
        assert AuthParams([("a", "1")]) != {"a": "2"}
        assert AuthParams([("a", "1")]) != {"a": "1", "A": "1"}  # not a valid AuthParams
        assert AuthParams() != [("a", "1")]

    def test_hash_agrees_with_equality(self) -> None:
        first = AuthParams([("a", "1"), ("B", "2")])
        second = AuthParams([("b", "2"), ("A", "1")])
        assert hash(first) == hash(second)
        assert len({first, second}) == 1

    def test_parsed_params_equal_built_params(self) -> None:
        [single] = parse_www_authenticate('Basic realm="x"')
        assert single.params == AuthParams({"REALM": "x"})
        assert hash(single.params) == hash(AuthParams({"realm": "x"}))
        assert single.params["Realm"] == "x"

    @pytest.mark.parametrize(
        "items",
        [
            [("a b", "1")],
            [("", "1")],
            [("a=", "1")],
            [('"a"', "1")],
            [("na\u00efve", "1")],
        ],
        ids=["space", "empty", "equals", "quotes", "non-ascii"],
    )
    def test_name_must_be_a_token(self, items: list[tuple[str, str]]) -> None:
        with pytest.raises(ValueError, match="not a token"):
            AuthParams(items)

    def test_name_given_twice_ignoring_case(self) -> None:
        with pytest.raises(ValueError, match="given twice"):
            AuthParams([("realm", "a"), ("REALM", "b")])

    @pytest.mark.parametrize(
        "value",
        ["a\rb", "a\nb", "\x00", "\x1f", "\x7f", "\u0100", "\u20ac"],
        ids=["CR", "LF", "NUL", "US", "DEL", "U+0100", "euro"],
    )
    def test_value_must_be_carried_by_a_quoted_string(self, value: str) -> None:
        with pytest.raises(SerializeError) as error:
            AuthParams([("secret", value)])
        assert isinstance(error.value, ValueError)
        assert value not in str(error.value)
        assert "'secret'" in str(error.value)

    @pytest.mark.parametrize("value", ["", " ", "\t", '"', "\\", "caf\xe9", "\xff", "a, b=c"])
    def test_carried_values(self, value: str) -> None:
        assert AuthParams([("a", value)])["a"] == value

    def test_wrong_types(self) -> None:
        with pytest.raises(TypeError):
            AuthParams([("a", 1)])  # type: ignore[list-item]  # the point of the test
        with pytest.raises(TypeError):
            AuthParams([(1, "a")])  # type: ignore[list-item]  # the point of the test

    def test_repr(self) -> None:
        assert repr(AuthParams([("realm", "x")])) == "AuthParams([('realm', 'x')])"

    def test_views_iterate_in_order_and_keep_the_view_semantics(self) -> None:
        params = AuthParams([("Realm", "apps"), ("type", "1")])
        assert list(params.items()) == [("Realm", "apps"), ("type", "1")]
        assert list(params.values()) == ["apps", "1"]
        assert ("realm", "apps") in params.items() and ("realm", "x") not in params.items()
        assert len(params.items()) == len(params.values()) == 2
        pairs = {("Realm", "apps"), ("type", "1")}
        assert params.items() == pairs  # type: ignore[comparison-overlap]  # a set-like view
        assert repr(params.items()) == "ItemsView(AuthParams([('Realm', 'apps'), ('type', '1')]))"
        assert repr(params.values()).startswith("ValuesView(AuthParams(")
        assert params.get("TYPE") == "1" and params.get("nope", "d") == "d"

    def test_pickle(self) -> None:
        params = AuthParams([("Realm", "x"), ("b", "2")])
        copy = pickle.loads(pickle.dumps(params))
        assert copy == params and list(copy.items()) == list(params.items())


class TestChallengeAndCredentials:
    def test_constructor_accepts_pairs_and_mappings(self) -> None:
        from_pairs = Challenge("Basic", [("realm", "x")])
        from_mapping = Challenge("Basic", {"realm": "x"})
        assert from_pairs == from_mapping
        assert isinstance(from_pairs.params, AuthParams)
        assert Challenge("Basic").params == AuthParams()
        assert Challenge("Basic").token68 is None

    def test_scheme_compares_ignoring_case(self) -> None:
        assert Challenge("Basic") == Challenge("BASIC")
        assert hash(Challenge("Basic")) == hash(Challenge("basic"))
        assert Challenge("Basic").scheme == "Basic"

    @pytest.mark.parametrize("kind", [Challenge, Credentials])
    def test_is_scheme_ignores_ascii_case(self, kind: type[Challenge | Credentials]) -> None:
        # Issue 14: parse_authorization("basic dTpw").scheme == "Basic" is False.
        value = kind("basic", token68="dTpw")
        assert value.is_scheme("Basic") and value.is_scheme("BASIC") and value.is_scheme("basic")
        assert not value.is_scheme("Bearer")
        assert not value.is_scheme("Basi")

    def test_is_scheme_on_parsed_values(self) -> None:
        assert parse_authorization("basic dTpw").is_scheme("Basic")
        assert parse_www_authenticate('BASIC realm="x"')[0].is_scheme("Basic")

    def test_is_scheme_folds_only_ascii(self) -> None:
        # U+212A KELVIN SIGN lower-cases to "k" in Unicode, not in ASCII.
        assert not Challenge("Kerberos").is_scheme("\u212aerberos")

    def test_token68_compares_exactly(self) -> None:
        assert Credentials("Basic", token68="abc=") != Credentials("Basic", token68="ABC=")

    def test_challenge_is_not_credentials(self) -> None:
        assert Challenge("Basic", token68="abc") != Credentials("Basic", token68="abc")

    @pytest.mark.parametrize("scheme", ["", "Ba sic", "Basic,", "B\xe4sic", '"Basic"'])
    def test_scheme_must_be_a_token(self, scheme: str) -> None:
        with pytest.raises(ValueError):
            Challenge(scheme)
        with pytest.raises(ValueError):
            Credentials(scheme)

    @pytest.mark.parametrize("token68", ["", "a b", "=abc", "ab=c", "a,b", "a\nb", "ab\u00e9"])
    def test_token68_must_be_a_token68(self, token68: str) -> None:
        with pytest.raises(ValueError):
            Credentials("Basic", token68=token68)

    def test_params_or_token68_not_both(self) -> None:
        with pytest.raises(ValueError, match="not both"):
            Challenge("Basic", {"realm": "x"}, "abc")

    def test_params_as_keyword_arguments_name_the_public_class(self) -> None:
        # Issue 14: Python's message named the private _SchemeValue.__init__().
        with pytest.raises(TypeError) as error:
            Challenge("Basic", realm="x")  # type: ignore[arg-type]  # the point of the test
        assert str(error.value) == (
            "Challenge() got unexpected keyword argument(s) 'realm': pass auth-params as a "
            "mapping or (name, value) pairs, e.g. Challenge('Basic', {'realm': ...})"
        )

    def test_misplaced_params_of_credentials_show_names_never_values(self) -> None:
        with pytest.raises(TypeError) as error:
            Credentials("Digest", username="Mufasa", response="6629fae4")  # type: ignore[arg-type]  # the point of the test
        assert str(error.value) == (
            "Credentials() got unexpected keyword argument(s) 'username', 'response': pass "
            "auth-params as a mapping or (name, value) pairs, e.g. "
            "Credentials('Digest', {'username': ..., 'response': ...})"
        )
        # A scheme that is not a registered one may be a token sent alone: not shown.
        with pytest.raises(TypeError, match=r"e\.g\. Credentials\('Basic', \{'realm': \.\.\.\}\)"):
            Credentials("c2VjcmV0", realm="x")  # type: ignore[arg-type]  # the point of the test

    def test_keyword_form_of_the_pinned_signature_still_works(self) -> None:
        challenge = Challenge(scheme="Basic", params={"realm": "x"}, token68=None)
        assert challenge == Challenge("Basic", {"realm": "x"})

    def test_frozen(self) -> None:
        challenge = Challenge("Basic", {"realm": "x"})
        with pytest.raises(dataclasses.FrozenInstanceError):
            challenge.scheme = "Bearer"  # type: ignore[misc]  # the point of the test
        parsed = parse_www_authenticate("Basic")[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            parsed.token68 = "abc"  # type: ignore[misc]  # the point of the test

    def test_dataclass_tools(self) -> None:
        challenge = parse_www_authenticate('Basic realm="x"')[0]
        assert dataclasses.is_dataclass(challenge)
        assert [f.name for f in dataclasses.fields(challenge)] == ["scheme", "params", "token68"]
        changed = dataclasses.replace(challenge, scheme="Digest")
        assert changed == Challenge("Digest", {"realm": "x"})
        assert type(changed) is Challenge

    def test_parsed_instances_are_the_public_classes(self) -> None:
        [challenge] = parse_www_authenticate("Basic")
        assert type(challenge) is Challenge

    def test_challenge_repr_shows_everything(self) -> None:
        assert repr(Challenge("Basic", {"realm": "x"})) == (
            "Challenge(scheme='Basic', params=AuthParams([('realm', 'x')]), token68=None)"
        )

    def test_credentials_repr_masks_secrets(self) -> None:
        credentials = Credentials("Digest", [("username", "Mufasa"), ("response", "6629fae4")])
        text = repr(credentials)
        assert text == (
            "Credentials(scheme='Digest', params=AuthParams([('username', '<redacted>'), "
            "('response', '<redacted>')]), token68=None)"
        )
        assert "Mufasa" not in text and "6629fae4" not in text
        token = Credentials("Basic", token68="QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        assert "QWxh" not in repr(token)
        assert repr(token).endswith("token68='<redacted>')")

    def test_pickle(self) -> None:
        for value in (Challenge("Basic", {"realm": "x"}), Credentials("Basic", token68="abc=")):
            copy = pickle.loads(pickle.dumps(value))
            assert copy == value and type(copy) is type(value)

    def test_str_is_cached_and_equals_a_fresh_serialization(self) -> None:
        built = Challenge("Bearer", [("realm", 'a "b" \\c'), ("error", "invalid_token")])
        [parsed] = parse_www_authenticate(str(built))
        credentials = Credentials("Digest", [("username", "Mufasa"), ("nc", "00000001")])
        for value in (built, parsed, credentials, Credentials("Basic", token68="abc=")):
            first = str(value)
            assert str(value) is first  # the second call hands back the kept text
            # The kept text is what serializing the fields afresh gives.
            fresh = type(value)(value.scheme, value.params, value.token68)
            assert str(fresh) == first
        assert str(built) == 'Bearer realm="a \\"b\\" \\\\c", error="invalid_token"'

    def test_cached_str_is_no_field(self) -> None:
        challenge = Challenge("Basic", {"realm": "x"})
        other = Challenge("basic", {"REALM": "x"})
        str(challenge)  # one instance has its text kept, the other not
        assert challenge == other and hash(challenge) == hash(other)
        assert "'Basic realm" not in repr(challenge)
        assert [f.name for f in dataclasses.fields(challenge)] == ["scheme", "params", "token68"]
        # Not assignable like any non-field name (a slotted frozen dataclass raises TypeError).
        with pytest.raises((dataclasses.FrozenInstanceError, TypeError)):
            challenge._text = "Bearer"  # the point of the test
        assert str(dataclasses.replace(challenge, scheme="Bearer")) == 'Bearer realm="x"'
        assert str(pickle.loads(pickle.dumps(challenge))) == 'Basic realm="x"'


def test_dir_of_the_package_lists_the_lazy_scheme_modules() -> None:
    # In a fresh interpreter: here another test may already have imported the modules.
    script = (
        "import sys, wwwauth\n"
        "listed = dir(wwwauth)\n"
        "print(sorted(n for n in sys.modules if n.startswith('wwwauth.')))\n"
        "print(listed == sorted(listed), 'parse_www_authenticate' in listed)\n"
        "print([m for m in ('basic', 'bearer', 'digest', 'dpop', 'ext_value', 'negotiate',"
        " 'schemes') if m not in listed])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    loaded, order, missing = result.stdout.splitlines()
    for module in ("basic", "bearer", "digest", "dpop", "negotiate", "schemes"):
        assert f"'wwwauth.{module}'" not in loaded  # still lazy
    assert order == "True True"
    assert missing == "[]"
