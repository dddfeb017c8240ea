"""What the scheme views of this package share: base64 parameters, integers, checks,
and the two view families, :class:`ChallengeView` and :class:`CredentialsView`.

Reading and writing the parameters themselves is :class:`wwwauth._scheme.SchemeSpec`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Final, TypeVar

from .._abnf import DIGIT
from .._base64 import Base64Error
from .._base64 import decode as decode_base64
from .._base64 import encode as encode_base64
from .._scheme import SchemeParams, SchemeSpec, param_error, redacted_repr
from ..errors import ParseError
from ..model import Challenge, Credentials


def decoded_param(
    text: str, name: str, *, urlsafe: bool, padded: bool | None, secret: bool
) -> bytes:
    """:func:`wwwauth._base64.decode` of parameter ``name``'s value, a failure as a ParseError.

    The error's ``source`` is the value alone, masked with ``*`` when it is a secret
    (a parameter of credentials).
    """
    try:
        return decode_base64(text, urlsafe=urlsafe, padded=padded)
    except Base64Error as exc:
        form = "base64url" if urlsafe else "base64"
        rule = {True: " with padding", False: " without padding", None: ""}[padded]
        raise value_error(
            f"Expected {name} as {form}{rule} (RFC 4648)", text, secret=secret
        ) from exc


def value_error(message: str, text: str, *, secret: bool) -> ParseError:
    """A ParseError about what a parameter's value carries, ``source`` the value alone."""
    source = "*" * len(text) if secret else text
    return ParseError(message, source, 0, span=(0, max(len(text), 1)))


def b64url(data: bytes, *, padded: bool) -> str:
    return encode_base64(data, urlsafe=True, padded=padded)


# Not an RFC limit: RFC 7486, 8120 and 9577 leave their integers unbounded. A signed
# 64-bit integer holds every value that has a meaning (seconds, counters, versions), and
# the bound keeps reading linear: int() of n digits is not, and Python refuses more than
# 4300 of them with a ValueError of its own.
MAX_INTEGER: Final = 2**63 - 1
_MAX_DIGITS: Final = len(str(MAX_INTEGER))


def read_int(value: Challenge | Credentials, name: str) -> int | None:
    """Parameter ``name`` as a non-negative decimal integer up to :data:`MAX_INTEGER`, or None."""
    text = value.params.get(name)
    if text is None:
        return None
    if not text or any(char not in DIGIT for char in text):
        raise param_error(value, name, f"Expected {name} as a non-negative decimal integer")
    digits = text.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > MAX_INTEGER:
        raise param_error(
            value, name, f"Expected {name} as a non-negative decimal integer up to {MAX_INTEGER}"
        )
    return int(digits)


def check_integers(view: object, *names: str) -> None:
    """Raise ValueError unless each attribute ``names`` of ``view`` is None or 0..MAX_INTEGER.

    What a reader refuses, a builder must not write: a negative integer would go out as
    ``-1``, which no reader of the scheme accepts.
    """
    for name in names:
        number = getattr(view, name)
        if number is not None and not 0 <= number <= MAX_INTEGER:
            raise ValueError(f"{name} must be an integer from 0 to {MAX_INTEGER}, not {number}")


def check_fields(view: object, spec: SchemeSpec) -> None:
    """Raise ValueError for a view its reader would not read back as built.

    The integers ``spec`` reads with :func:`read_int` must be None or 0..MAX_INTEGER,
    then :meth:`wwwauth._scheme.SchemeSpec.check`.
    """
    check_integers(view, *spec.attributes(read_int))
    spec.check(view)


# PEP 673's pattern before Python 3.11's typing.Self: the class a classmethod is called on.
Self = TypeVar("Self", bound="_View")


class _View:
    """What both view families share: the spec a view is declared by, its checks, its reader.

    A view class is a frozen slotted dataclass that sets :attr:`_SPEC`; its generic value
    (:meth:`_generic`) is a Challenge or Credentials of the spec's scheme, or of the view's
    own ``scheme`` in a family of schemes.
    """

    __slots__ = ()

    # The parameters the view reads and writes (set by each view class).
    _SPEC: ClassVar[SchemeSpec]

    def __post_init__(self) -> None:
        """Refuse a view its reader would not read back (ValueError).

        An integer outside 0..:data:`MAX_INTEGER`, an extension named like a typed
        parameter, a value the model refuses (building the generic value), a rule
        across parameters (:meth:`_problem`).
        """
        check_fields(self, self._SPEC)
        problem = self._problem(self._generic().params)
        if problem is not None:
            raise ValueError(problem[1])

    @staticmethod
    def _problem(params: Mapping[str, str]) -> tuple[str, str] | None:
        """The parameter that breaks a rule across parameters, and why; or None.

        The scheme's rules beyond what :attr:`_SPEC` declares (RFC 8120 §4's mutually
        exclusive parameters): the reader raises them as ParseError on that parameter,
        the constructor as ValueError.
        """
        return None

    @classmethod
    def _read(cls: type[Self], params: SchemeParams) -> Self:  # noqa: PYI019  # 3.10: no Self
        """The view of what ``_SPEC`` accepted, once :meth:`_problem` finds nothing."""
        problem = cls._problem(params.value.params)
        if problem is not None:
            raise params.error(*problem)
        return params.build(cls)

    def _scheme(self) -> str:
        """The auth-scheme the view writes."""
        if self._SPEC.family:
            scheme: str = getattr(self, "scheme")  # noqa: B009  # a family's view keeps it
            return scheme
        return self._SPEC.scheme

    def _generic(self) -> Challenge | Credentials:
        raise NotImplementedError


class ChallengeView(_View):
    """A view of one scheme's challenge (see :class:`_View`)."""

    __slots__ = ()

    @classmethod
    def from_challenge(cls: type[Self], value: Challenge | str | bytes) -> Self:  # noqa: PYI019
        """Read the scheme's challenge: a Challenge, or a WWW-Authenticate value holding one.

        Raises:
            ParseError: another scheme, a token68, a parameter the scheme's RFC requires
                missing, an integer that is not a non-negative decimal up to
                :data:`MAX_INTEGER`, or (Mutual) a rule across parameters broken; the
                caret on what is wrong.
        """
        return cls._read(cls._SPEC.challenge(value))

    def to_challenge(self) -> Challenge:
        """Build the generic challenge: the typed parameters in the RFC's order, then extensions."""
        return Challenge(self._scheme(), self._SPEC.items(self))

    def _generic(self) -> Challenge:
        return self.to_challenge()


class CredentialsView(_View):
    """A view of one scheme's credentials (see :class:`_View`): ``repr`` shows no value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return redacted_repr(self)

    @classmethod
    def from_credentials(cls: type[Self], value: Credentials | str | bytes) -> Self:  # noqa: PYI019
        """Read the scheme's credentials: Credentials, or an Authorization field value.

        Raises:
            ParseError: another scheme, a token68, a parameter the scheme's RFC requires
                missing, a value its reader refuses, or (Mutual) a rule across
                parameters broken; the echo masks every value.
        """
        return cls._read(cls._SPEC.credentials(value))

    def to_credentials(self) -> Credentials:
        """Build the generic credentials: the typed parameters in the RFC's order, then extensions."""
        return Credentials(self._scheme(), self._SPEC.items(self))

    def _generic(self) -> Credentials:
        return self.to_credentials()
