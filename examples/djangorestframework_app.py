"""REST framework example: ``python examples/djangorestframework_app.py --port 8000``.

One file: the settings, the API views and the URLconf, served with waitress (add
``--asgi`` for uvicorn). ``/public`` is open; ``/private`` takes Bearer tokens and
Basic credentials; ``/admin`` also needs the ``admin`` scope. The exception handler
sends each challenge on its own field line.
"""

from __future__ import annotations

import argparse

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from wwwauth import Credentials, basic, bearer
from wwwauth.integrations.protect import Protection
from wwwauth.integrations.server import RequestInfo
from wwwauth.integrations.verifiers import BasicVerifier, BearerVerifier, Principal

settings.configure(
    DEBUG=False,
    SECRET_KEY="example-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": [],  # each view names its own below
        "EXCEPTION_HANDLER": "wwwauth.integrations.djangorestframework.exception_handler",
        "UNAUTHENTICATED_USER": None,  # no django.contrib.auth in this example
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    },
)

# REST framework reads the settings when imported: import it after configuring them.
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from wwwauth.integrations.djangorestframework import (
    HasScopes,
    WWWAuthentication,
    principal_of,
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


class ExampleAuthentication(WWWAuthentication[Principal]):
    protection = Protection(
        challenges=[bearer.challenge(realm="example"), basic.challenge("example")],
        verify=verify,
    )


class Public(APIView):
    authentication_classes = (ExampleAuthentication,)
    permission_classes = (AllowAny,)

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse("public", content_type="text/plain")


class Protected(APIView):
    authentication_classes = (ExampleAuthentication,)  # first: REST framework asks it for 401s

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(principal_of(request, Principal).name, content_type="text/plain")


class Private(Protected):
    permission_classes = (IsAuthenticated,)


class Admin(Protected):
    permission_classes = (IsAuthenticated, HasScopes)
    required_scopes = ("admin",)


urlpatterns = [
    path("public", Public.as_view()),
    path("private", Private.as_view()),
    path("admin", Admin.as_view()),
]

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
