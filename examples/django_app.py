"""Django example: ``python examples/django_app.py --port 8000`` (add ``--asgi`` for uvicorn).

One file: the settings, the views and the URLconf. ``/public`` is open; ``/private``
takes Bearer tokens and Basic credentials; ``/admin`` also needs the ``admin`` scope.
Served with waitress, a production WSGI server in pure Python (Django's ``runserver``
is for development only), or with ``--asgi`` under uvicorn; both send each challenge
on its own field line.
"""

from __future__ import annotations

import argparse

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.django import principal_of, protected
from wwwauth.integrations.protect import Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import BasicVerifier, BearerVerifier, Principal

settings.configure(
    DEBUG=False,
    SECRET_KEY="example-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
)

USERS = BasicVerifier({"aladdin": "open sesame"}, principal=lambda user: Principal(name=user))
TOKENS = BearerVerifier(
    {
        "read-token": Principal(name="read-token", scopes=frozenset({"read"})),
        "admin-token": Principal(name="admin-token", scopes=frozenset({"read", "admin"})),
    }
)


def verify(credentials: Credentials, request: RequestInfo) -> Principal | None:
    """A Bearer token, else Basic credentials: the principal, or None."""
    return TOKENS(credentials) or USERS(credentials)


PROTECTION = Protection[Principal](
    challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
    verify=verify,
)


def public(request: HttpRequest) -> HttpResponse:
    return HttpResponse("public", content_type="text/plain")


@protected(PROTECTION)
def private(request: HttpRequest) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


@protected(PROTECTION, scopes=["admin"])
def admin(request: HttpRequest) -> HttpResponse:
    return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


urlpatterns = [path("public", public), path("private", private), path("admin", admin)]

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--asgi", action="store_true", help="serve with uvicorn (ASGI)")
    arguments = parser.parse_args()
    django.setup()
    if arguments.asgi:
        import uvicorn
        from django.core.asgi import get_asgi_application

        uvicorn.run(get_asgi_application(), host="127.0.0.1", port=arguments.port)
    else:
        import waitress  # type: ignore[import-untyped]  # waitress has no type stubs
        from django.core.wsgi import get_wsgi_application

        waitress.serve(get_wsgi_application(), host="127.0.0.1", port=arguments.port)
