"""What the scheme modules share: reading their input, and errors that point at a parameter.

Scheme modules consume the generic model; when a value is grammatical but breaks the
scheme's own rules (a Bearer ``scope`` with a quote in it, Digest credentials without
``response``), they raise :class:`~wwwauth.ParseError` with the challenge or credentials
in canonical form as ``source`` and the caret on the parameter's value. For
credentials that source is masked with ``*`` like every Authorization echo.

A typed view declares what it reads once, as a :class:`SchemeSpec` (the scheme, its
typed parameters, which are required, how a value is typed). :meth:`SchemeSpec.challenge`
and :meth:`SchemeSpec.credentials` check a value against it (scheme, auth-params form,
required parameters) and :meth:`SchemeParams.build` makes the view; :meth:`SchemeSpec.items`
writes the view back and :meth:`SchemeSpec.check` refuses one the reader would not read back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TypeVar

from ._redact import redact_credentials, shown_scheme
from ._registry import WWW_AUTHENTICATE
from .errors import ParseError
from .formatting import format_authentication_info
from .model import REDACTED, AuthParams, Challenge, Credentials, ascii_lower
from .parsing import parse_authorization, parse_www_authenticate

SchemeValue = Challenge | Credentials
View = TypeVar("View")


def read_credentials(value: Credentials | str | bytes) -> Credentials:
    """``value`` as Credentials, parsing an Authorization field value strictly.

    Raises:
        ParseError: the text is not credentials.
        TypeError: ``value`` is of another type.
    """
    if isinstance(value, Credentials):
        return value
    if isinstance(value, (str, bytes)):
        return parse_authorization(value)
    raise TypeError(f"expected Credentials, str or bytes, not {type(value).__name__}")


def read_challenge(value: Challenge | str | bytes) -> Challenge:
    """``value`` as one Challenge, parsing a WWW-Authenticate field value strictly.

    Raises:
        ParseError: the text is not exactly one challenge.
        TypeError: ``value`` is of another type.
    """
    if isinstance(value, Challenge):
        return value
    if isinstance(value, (str, bytes)):
        challenges = parse_www_authenticate(value)
        if len(challenges) != 1:
            text = value if isinstance(value, str) else value.decode("latin-1")
            raise ParseError(
                f"Expected exactly one challenge, found {len(challenges)}",
                text,
                0,
                span=(0, len(text)),
                field=WWW_AUTHENTICATE,
            )
        return challenges[0]
    raise TypeError(f"expected Challenge, str or bytes, not {type(value).__name__}")


def source_of(value: SchemeValue) -> str:
    """The canonical text of ``value`` to echo in an error; credentials are masked."""
    text = str(value)
    return redact_credentials(text) if isinstance(value, Credentials) else text


def _value_span(value: SchemeValue, name: str) -> tuple[int, int] | None:
    """Where the value of parameter ``name`` sits in ``str(value)``, quotes excluded."""
    key = ascii_lower(name)
    position = len(value.scheme) + 1
    cls = type(value)
    for param_name, param_value in value.params.items():
        # Serialize the parameter alone the way the whole value is serialized (same
        # scheme, same field), so quoting decisions stay the serializer's.
        piece = str(cls(value.scheme, [(param_name, param_value)]))[len(value.scheme) + 1 :]
        if ascii_lower(param_name) == key:
            start = position + len(param_name) + 1
            end = position + len(piece)
            if piece[len(param_name) + 1 :].startswith('"'):
                start, end = start + 1, end - 1
            return start, end
        position += len(piece) + len(", ")
    return None


def param_error(value: SchemeValue, name: str | None, message: str) -> ParseError:
    """A ParseError about parameter ``name`` of ``value`` (or about its scheme when None).

    The caret sits on the first character of the parameter's value (after the end of
    the value when the parameter is missing, on the scheme when ``name`` is None).
    """
    source = source_of(value)
    if name is None:
        return ParseError(message, source, 0, span=(0, len(value.scheme)))
    span = _value_span(value, name)
    if span is None:
        return ParseError(message, source, len(source), span=(len(source), len(source) + 1))
    start, end = span
    return ParseError(message, source, start, span=(start, max(end, start + 1)))


def auth_info_error(params: AuthParams, name: str, message: str) -> ParseError:
    """A ParseError about parameter ``name`` of an Authentication-Info value."""
    source = format_authentication_info(params)
    position = 0
    key = ascii_lower(name)
    for param_name, param_value in params.items():
        piece = format_authentication_info([(param_name, param_value)])
        if ascii_lower(param_name) == key:
            start = position + len(param_name) + 1 + piece[len(param_name) + 1 :].startswith('"')
            return ParseError(message, source, start)
        position += len(piece) + len(", ")
    return ParseError(message, source, len(source))


def scheme_shown(value: SchemeValue) -> str:
    """The scheme of ``value`` as a message may name it: masked in credentials unless it
    has the shape of a scheme (a token sent without its scheme reads as one)."""
    if not isinstance(value, Credentials):
        return value.scheme
    alone = value.token68 is None and not value.params
    return shown_scheme(value.scheme, alone=alone)


def check_scheme(value: SchemeValue, scheme: str) -> None:
    """Raise ParseError unless ``value`` has auth-scheme ``scheme`` (ASCII case ignored)."""
    if ascii_lower(value.scheme) != ascii_lower(scheme):
        raise param_error(value, None, f"Expected the {scheme} scheme, not {scheme_shown(value)!r}")


def token68_of(value: Credentials | str | bytes, scheme: str, message: str) -> str:
    """The token68 of ``scheme`` credentials (read strictly when given as text).

    Raises:
        ParseError: another scheme, or auth-params instead of a token68 (``message``);
            the echo masks the credentials.
    """
    parsed = read_credentials(value)
    check_scheme(parsed, scheme)
    if parsed.token68 is None:
        raise param_error(parsed, None, message)
    return parsed.token68


def check_params_form(value: SchemeValue) -> None:
    """Raise ParseError when ``value`` carries a token68 where auth-params are expected."""
    if value.token68 is not None:
        raise param_error(
            value, None, f"Expected auth-params after {scheme_shown(value)!r}, not a token68"
        )


def extensions(params: Mapping[str, str], known: frozenset[str]) -> AuthParams:
    """The parameters of ``params`` whose lower-cased name is not in ``known``, in order."""
    return AuthParams(
        [(name, value) for name, value in params.items() if ascii_lower(name) not in known]
    )


def redacted_repr(instance: object) -> str:
    """``Name(field='<redacted>', ...)`` for a dataclass view of credentials: no value shown."""
    parts = []
    for field in dataclasses.fields(instance):  # type: ignore[arg-type]  # callers pass dataclasses
        value = getattr(instance, field.name)
        if value is None or isinstance(value, bool):
            shown = repr(value)
        elif isinstance(value, AuthParams):
            shown = value._redacted_repr()
        else:
            shown = repr(REDACTED)
        parts.append(f"{field.name}={shown}")
    return f"{type(instance).__name__}({', '.join(parts)})"


def check_extension_names(view: object, extensions_: AuthParams, known: frozenset[str]) -> None:
    """Raise ValueError when an extension of ``view`` is named like one of its typed parameters.

    The reader would take such a parameter for the typed one (or find it twice), so the
    view would not read back equal; a builder that passes extensions on as keyword
    arguments would get the name twice.
    """
    for name in extensions_:
        if ascii_lower(name) in known:
            raise ValueError(f"extension {name!r} is a parameter of {type(view).__name__}")


ParamReader = Callable[[SchemeValue, str], object]
"""Types parameter ``name`` of a value (present when called); raises ParseError on a bad one."""


@dataclasses.dataclass(frozen=True, slots=True)
class SchemeSpec:
    """What a typed view of a scheme reads from a challenge or credentials, declared once.

    Attributes:
        scheme: the auth-scheme (ASCII case ignored); with ``family``, the prefix every
            scheme of the family starts with (``SCRAM-``).
        params: the typed parameters, in the order the view writes them; parameter
            ``max-age`` is the view's attribute ``max_age``.
        required: the parameters the scheme's RFC requires, checked in this order.
        rfc: the section that defines them, cited in errors.
        readers: how a parameter's value is typed; a parameter without one is the string
            as sent.
        family: ``scheme`` names a family of schemes, and the view keeps the scheme
            as sent in its attribute ``scheme``.
    """

    scheme: str
    params: tuple[str, ...]
    required: tuple[str, ...] = ()
    rfc: str = ""
    readers: Mapping[str, ParamReader] = dataclasses.field(default_factory=dict)
    family: bool = False
    known: frozenset[str] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(map(ascii_lower, self.params)))

    def attributes(self, reader: ParamReader) -> tuple[str, ...]:
        """The attributes of the parameters ``reader`` types, in ``params`` order."""
        return tuple(_attribute(name) for name in self.params if self.readers.get(name) is reader)

    def challenge(self, value: Challenge | str | bytes) -> SchemeParams:
        """:meth:`read` of :func:`read_challenge` of ``value`` (TypeError for another type)."""
        return self.read(read_challenge(value))

    def credentials(self, value: Credentials | str | bytes) -> SchemeParams:
        """:meth:`read` of :func:`read_credentials` of ``value`` (TypeError for another type)."""
        return self.read(read_credentials(value))

    def read(self, value: SchemeValue) -> SchemeParams:
        """Check ``value``: its scheme, auth-params (not a token68), the required ones.

        Raises:
            ParseError: another scheme, a token68, or a required parameter missing
                (``Expected a 'name' parameter (rfc)``); the caret on what is wrong.
        """
        if not self.family:
            check_scheme(value, self.scheme)
        elif not ascii_lower(value.scheme).startswith(ascii_lower(self.scheme)):
            message = f"Expected a {self.scheme}* scheme, not {scheme_shown(value)!r}"
            raise param_error(value, None, message)
        check_params_form(value)
        for name in self.required:
            if name not in value.params:
                raise param_error(value, name, f"Expected a {name!r} parameter ({self.rfc})")
        return SchemeParams(value, self)

    def items(self, view: object) -> list[tuple[str, str]]:
        """The parameters of ``view`` to write: the typed ones not None, then its extensions."""
        typed = [(name, getattr(view, _attribute(name))) for name in self.params]
        return [
            *((name, str(value)) for name, value in typed if value is not None),
            *_extensions_of(view).items(),
        ]

    def check(self, view: object) -> None:
        """Raise ValueError for a view :meth:`read` would not read back as built.

        A scheme outside the family, or an extension named like a typed parameter.
        """
        if self.family:
            scheme: str = getattr(view, "scheme")  # noqa: B009  # a family's view keeps it
            if not ascii_lower(scheme).startswith(ascii_lower(self.scheme)):
                raise ValueError(f"scheme {scheme!r} is not a {self.scheme}* scheme ({self.rfc})")
        check_extension_names(view, _extensions_of(view), self.known)


def _attribute(name: str) -> str:
    return name.replace("-", "_")


def _extensions_of(view: object) -> AuthParams:
    extensions_: AuthParams = getattr(view, "extensions")  # noqa: B009  # every view has it
    return extensions_


@dataclasses.dataclass(frozen=True, slots=True)
class SchemeParams:
    """The parameters of a challenge or credentials that :meth:`SchemeSpec.read` accepted."""

    value: SchemeValue
    spec: SchemeSpec

    def __getitem__(self, name: str) -> str:
        return self.value.params[name]

    def get(self, name: str) -> str | None:
        """Parameter ``name`` as sent, or None."""
        return self.value.params.get(name)

    def error(self, name: str | None, message: str) -> ParseError:
        """:func:`param_error` about parameter ``name`` of the value read."""
        return param_error(self.value, name, message)

    @property
    def extensions(self) -> AuthParams:
        """Every parameter that is not one of the spec's, in order."""
        return extensions(self.value.params, self.spec.known)

    def typed(self) -> dict[str, object]:
        """The typed parameters by attribute name (None when absent), read in ``params`` order.

        Raises:
            ParseError: a reader refuses a value.
        """
        fields: dict[str, object] = {}
        for name in self.spec.params:
            text = self.value.params.get(name)
            reader = self.spec.readers.get(name)
            fields[_attribute(name)] = (
                text if text is None or reader is None else reader(self.value, name)
            )
        return fields

    def build(self, view: Callable[..., View]) -> View:
        """``view(**typed(), extensions=...)``, with ``scheme=`` for a family of schemes.

        Raises:
            ParseError: a reader refuses a value.
        """
        fields = self.typed()
        if self.spec.family:
            fields["scheme"] = self.value.scheme
        return view(**fields, extensions=self.extensions)
