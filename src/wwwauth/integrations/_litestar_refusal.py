"""The refusal of the Litestar adapter: an exception, its handler, a response.

Part of :mod:`wwwauth.integrations.litestar` (which re-exports every name here): a
response that sends each header entry of an :class:`~wwwauth.integrations.protect.Answer`
as its own field line, which Litestar's dict-of-headers ``Response`` cannot.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, TypedDict

from litestar import Request, Response
from litestar.datastructures import State
from litestar.response.base import ASGIResponse

from ..model import ascii_lower
from .protect import Answer

if TYPE_CHECKING:
    from litestar.background_tasks import BackgroundTask, BackgroundTasks
    from litestar.datastructures import Cookie
    from litestar.types import TypeEncodersMap
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; Litestar requires it

    class _ASGIOptions(TypedDict, total=False):
        """The keywords of Litestar's ``Response.to_asgi_response``, passed on as given."""

        background: BackgroundTask | BackgroundTasks | None
        cookies: Iterable[Cookie] | None
        encoded_headers: Iterable[tuple[bytes, bytes]] | None
        headers: dict[str, str] | None
        is_head_response: bool
        media_type: str | None
        status_code: int | None
        type_encoders: TypeEncodersMap | None


__all__ = ["AuthRefused", "RefusalResponse", "handle_refusal"]

_logger = logging.getLogger("wwwauth.integrations")


def _encoded(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


# ----------------------------------------------------------------------- the refusal


class AuthRefused(Exception):
    """A refusal by a :class:`WWWAuthGuard`, carrying the answer to send.

    Not a Litestar ``HTTPException`` on purpose: Litestar looks a status-code handler
    up before a type handler for those, so an app's own ``401`` handler would answer it
    with one challenge. Registered by :class:`WWWAuth` (the plugin), or by hand:
    ``exception_handlers={AuthRefused: handle_refusal}``. Unhandled, it is a 500.

    Attributes:
        answer: the :class:`~wwwauth.integrations.protect.Answer` (never a grant).
    """

    def __init__(self, answer: Answer[object]) -> None:
        # The reason never quotes a credential (wwwauth.decide's promise).
        super().__init__(
            f"{answer.status}: {answer.decision.reason} (answered by "
            "wwwauth.integrations.litestar.handle_refusal: add the WWWAuth plugin)"
        )
        self.answer: Final = answer


class RefusalResponse(Response[bytes]):
    """The response to a refusal: the answer's status, each header on its own field line, body.

    Litestar's ``Response`` holds its headers in a dict, one value per name; this one
    adds the answer's header fields one by one to the ``ASGIResponse`` it makes, so two
    challenges are two ``WWW-Authenticate`` field lines (RFC 9110 §11.6.1).

    Args:
        answer: a refusal (or any answer: a grant's ``Authentication-Info`` is kept too).
    """

    def __init__(self, answer: Answer[object]) -> None:
        content_type = next(
            (value for name, value in answer.headers if ascii_lower(name) == "content-type"),
            "text/plain; charset=utf-8",
        )
        super().__init__(answer.body, status_code=answer.status, media_type=content_type)
        self.content_type: Final = content_type
        self.fields: Final = tuple(
            (name, value) for name, value in answer.headers if ascii_lower(name) != "content-type"
        )

    def to_asgi_response(  # type: ignore[override]
        self, app: None, request: Request[object, object, State], **options: Unpack[_ASGIOptions]
    ) -> ASGIResponse:
        """The ``ASGIResponse``, with one field line per header field of the answer."""
        response = super().to_asgi_response(app, request, **options)
        if "content-type" in response.headers:
            # Litestar appends "; charset=..." to text/* media types: send ours as given.
            response.headers["content-type"] = self.content_type
        for name, value in self.fields:
            response.headers.add(name, value)
        return response


def handle_refusal(request: Request[object, object, State], exc: Exception) -> Response[bytes]:
    """The exception handler of :class:`AuthRefused`: a :class:`RefusalResponse`.

    Any other exception answers a bare 500 (it is never meant to reach this handler).
    """
    if isinstance(exc, AuthRefused):
        return RefusalResponse(exc.answer)
    return Response(b"Internal Server Error\n", status_code=500, media_type="text/plain")
