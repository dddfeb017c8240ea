"""Optional integrations: HTTP clients (requests, httpx) and servers (ASGI, WSGI).

Each module imports its framework itself, so ``import wwwauth`` (and this package)
never imports one: ``wwwauth.integrations.requests`` needs requests,
``wwwauth.integrations.httpx`` needs httpx, and ``wwwauth.integrations.asgi``,
``wwwauth.integrations.wsgi`` and ``wwwauth.integrations.server`` need nothing but the
standard library.
"""
