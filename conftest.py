"""Shared pytest set-up for the whole suite."""

import os

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from such a thread unless told otherwise (documented pytest-playwright workaround).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

# Test helper modules imported across apps (the e2e scenario and the oversight tests use
# the plans' factories): registered here, before any test module imports them, so their
# asserts are rewritten wherever they are first imported.
pytest.register_assert_rewrite(
    "tripartite.forums.tests.editing",
    "tripartite.forums.tests.read_world",
    "tripartite.ledger.tests.attacker",
    "tripartite.plans.tests.factories",
)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):  # type: ignore[no-untyped-def]
    """Tests run without collectstatic, so without the hashed-name manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_by_default():  # type: ignore[no-untyped-def]
    """Each test starts in the site's default language: a request in Spanish or French
    activates that language in the thread, and it must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
