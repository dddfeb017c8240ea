"""Django settings for the adapter tests: configured once per test session.

``configure()`` is idempotent (``settings.configured``, ``apps.ready``), so every test
module that needs Django calls it at import, and ``django.setup()`` runs only once.
Each test module sets its own URLconf with ``override_settings(ROOT_URLCONF=...)``.
REST framework is installed in the settings only when it is importable.
"""

from __future__ import annotations

import importlib.util

urlpatterns: list[object] = []


def configure() -> None:
    """Configure Django for the tests (once) and set up the app registry (once)."""
    import django
    from django.apps import apps
    from django.conf import settings

    if not settings.configured:
        apps_installed = ["django.contrib.contenttypes", "django.contrib.auth"]
        if importlib.util.find_spec("rest_framework") is not None:
            apps_installed.append("rest_framework")
        settings.configure(
            DEBUG=False,
            SECRET_KEY="wwwauth-tests-only",
            ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
            INSTALLED_APPS=apps_installed,
            DATABASES={},
            MIDDLEWARE=[],
            ROOT_URLCONF=__name__,  # no routes: each test module sets its own
            USE_TZ=True,
        )
    if not apps.ready:
        django.setup()
