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


def pytest_configure(config: pytest.Config) -> None:
    """Settings for the whole run, before any test (and the session-wide live server, whose
    middleware reads them once) starts: the test client and the live server speak plain
    HTTP, so no redirect to HTTPS; and the suite posts far more than the public forms'
    rate limits allow (core/tests/test_ratelimit.py switches them back on); passwords are
    hashed with Argon2 at its cheapest (tripartite/tests/hashers.py)."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.TRIPARTITE_RATE_LIMITS_ENABLED = False
    # Argon2 with the cheapest parameters: the suite makes thousands of accounts.
    settings.PASSWORD_HASHERS = [
        "tripartite.tests.hashers.TestArgon2PasswordHasher",
        *settings.PASSWORD_HASHERS[1:],
    ]


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


@pytest.fixture(autouse=True)
def _no_role_holder_leaks():  # type: ignore[no-untyped-def]
    """Accounts made to hold every role (editing-page tests) hold them for one test only."""
    yield
    from tripartite.accounts.tests.roles import reset

    reset()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that run only when their marker is asked for (``-m system``, ``-m security``):
    the ``system`` tests start real servers and kill them (minutes each; ``make system``),
    the ``security`` tests run with sqlmap and bandit in ``make security``. ``make test``
    leaves them out, so CI does not run them twice."""
    asked = config.getoption("markexpr", "") or ""
    on_request = [m for m in ("system", "security") if m not in asked]
    kept = [i for i in items if not any(i.get_closest_marker(m) for m in on_request)]
    if len(kept) != len(items):
        kept_ids = {id(i) for i in kept}
        config.hook.pytest_deselected(items=[i for i in items if id(i) not in kept_ids])
        items[:] = kept
