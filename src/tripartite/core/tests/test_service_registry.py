"""The meta-test of the write road: every service declares its permission and enforces it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

import tripartite
from tripartite.accounts.permissions import INTERNATIONAL
from tripartite.core import services as core_services
from tripartite.core.actors import system_actor
from tripartite.core.errors import PermissionDenied
from tripartite.core.models import RecordVersion
from tripartite.core.permissions import PUBLIC_CONTRIBUTION, Permission
from tripartite.forums import services as forum_services
from tripartite.forums.models import Member


def _reraise(name: str) -> None:
    """Called by pkgutil inside its except block: a package that fails to import fails."""
    raise


def service_modules() -> list[ModuleType]:
    """Every ``tripartite.<…>.services`` (or ``<…>_services``) module, found by walking the
    package: an app with several families of writes splits them into ``<family>_services``."""
    modules = []
    for info in pkgutil.walk_packages(tripartite.__path__, prefix="tripartite.", onerror=_reraise):
        name = info.name.rsplit(".", 1)[-1]
        if ".tests." in info.name:
            continue
        if name == "services" or name.endswith("_services"):
            modules.append(importlib.import_module(info.name))
    return modules


def public_functions(module: ModuleType) -> list[tuple[str, Callable[..., Any]]]:
    """Public functions defined in ``module`` itself (not imported into it)."""
    return [
        (f"{module.__name__}.{name}", obj)
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and not name.startswith("_")
        and obj.__module__ == module.__name__
        and obj is not core_services.service  # the decorator itself, not a service
    ]


ALL_SERVICES = [entry for module in service_modules() for entry in public_functions(module)]
# The only services open to visitors without an account: the public's own contributions.
PUBLIC_SERVICES = {
    "tripartite.plans.services.submit_input",
    # A sealed submission to the Steering Committee: ciphertext only (confidential/).
    "tripartite.confidential.services.submit_sealed",
}
CLOSED_SERVICES = [(name, func) for name, func in ALL_SERVICES if name not in PUBLIC_SERVICES]


def test_service_modules_are_discovered() -> None:
    names = {module.__name__ for module in service_modules()}
    assert {
        "tripartite.core.services",
        "tripartite.forums.services",
        "tripartite.oversight.services",
        "tripartite.oversight.case_services",
        "tripartite.oversight.review_services",
    } <= names


def test_forum_services_are_among_the_functions_checked() -> None:
    names = {name for name, _func in ALL_SERVICES}
    assert {
        "tripartite.forums.services.create_member",
        "tripartite.forums.services.record_collective_withdrawal",
        "tripartite.forums.services.retract",
    } <= names


def test_meta_test_finds_undecorated_functions_and_skips_imports_and_private_ones() -> None:
    module = ModuleType("tripartite.example.services")
    exec(
        "from os.path import join\ndef publish(actor): pass\ndef _helper(): pass\n", module.__dict__
    )
    [(name, func)] = public_functions(module)
    assert name == "tripartite.example.services.publish"
    assert not hasattr(func, "__service_permission__")


@pytest.mark.parametrize(("name", "func"), ALL_SERVICES, ids=[name for name, _ in ALL_SERVICES])
def test_every_public_service_function_declares_its_permission(
    name: str, func: Callable[..., Any]
) -> None:
    permission = getattr(func, "__service_permission__", None)
    assert isinstance(permission, Permission), (
        f"{name} is a public function of a services module but is not decorated with "
        "@service(permission): make it private (_name) or declare its permission"
    )


@pytest.mark.parametrize(("name", "func"), ALL_SERVICES, ids=[name for name, _ in ALL_SERVICES])
def test_every_service_is_in_the_registry_with_its_permission(
    name: str, func: Callable[..., Any]
) -> None:
    assert core_services.REGISTRY.get(name) is getattr(func, "__service_permission__", None)


@pytest.mark.parametrize(
    "permission",
    sorted(set(core_services.REGISTRY.values()), key=lambda p: p.code),
    ids=lambda p: p.code,
)
def test_every_declared_permission_has_a_code_and_a_description(permission: Permission) -> None:
    assert permission.code.strip()
    assert permission.description.strip()


# ---------------------------------------------------------------- the permission is enforced


def written() -> tuple[int, int]:
    return RecordVersion.objects.count(), Member.objects.count()


def create_member(actor: Any) -> Member:
    return forum_services.create_member(actor, key="xx", name="Exampleland", kind="country")


@pytest.mark.django_db
def test_anonymous_user_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(PermissionDenied):
        create_member(AnonymousUser())
    assert written() == (0, 0)


@pytest.mark.django_db
def test_signed_in_non_staff_user_is_refused_and_nothing_is_written() -> None:
    user = get_user_model().objects.create_user("citizen", password="x" * 16)
    with pytest.raises(PermissionDenied):
        create_member(user)
    assert written() == (0, 0)


@pytest.mark.django_db
def test_inactive_staff_user_is_refused_and_nothing_is_written() -> None:
    user = get_user_model().objects.create_user("former", is_staff=True, is_active=False)
    with pytest.raises(PermissionDenied):
        create_member(user)
    assert written() == (0, 0)


@pytest.mark.django_db
def test_missing_actor_is_refused() -> None:
    with pytest.raises(PermissionDenied):
        create_member(None)
    assert written() == (0, 0)


@pytest.mark.django_db
def test_refusal_names_the_permission() -> None:
    with pytest.raises(PermissionDenied, match=r"accounts\.international"):
        create_member(AnonymousUser())


@pytest.mark.django_db
def test_staff_user_without_a_role_is_refused() -> None:
    user = get_user_model().objects.create_user("editor", is_staff=True)
    with pytest.raises(PermissionDenied):
        create_member(user)
    assert written() == (0, 0)


@pytest.mark.django_db
def test_support_unit_staff_with_mfa_are_allowed() -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tripartite.accounts.roles import Role
    from tripartite.accounts.tests.roles import grant

    user = get_user_model().objects.create_user("editor", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    grant(user, Role.SUPPORT_UNIT)
    before = RecordVersion.objects.count()  # the grant is logged as a change
    create_member(user)
    assert RecordVersion.objects.count() == before + 1 and Member.objects.count() == 1


@pytest.mark.django_db
def test_actor_may_be_passed_by_keyword() -> None:
    with pytest.raises(PermissionDenied):
        forum_services.create_member(actor=AnonymousUser(), key="xx", name="X", kind="country")
    assert written() == (0, 0)


def test_services_open_to_anonymous_visitors_are_exactly_the_declared_public_ones() -> None:
    open_to_anyone = {
        name
        for name, func in ALL_SERVICES
        if getattr(func, "__service_permission__", None) is not None
        and func.__service_permission__.anonymous
    }
    assert open_to_anyone == PUBLIC_SERVICES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "func"), CLOSED_SERVICES, ids=[name for name, _ in CLOSED_SERVICES]
)
def test_every_service_refuses_an_anonymous_user_before_doing_anything(
    name: str, func: Callable[..., Any]
) -> None:
    # The check runs before the body: no other argument is even looked at.
    with pytest.raises(PermissionDenied):
        func(AnonymousUser())
    assert RecordVersion.objects.count() == 0


@pytest.mark.django_db
def test_only_the_sites_own_account_acts_without_a_role() -> None:
    user_model = get_user_model()
    assert INTERNATIONAL.allows(system_actor())
    # Another account that cannot sign in is not the site's own account.
    scripted = user_model.objects.create_user("scripted", is_staff=True)
    assert not INTERNATIONAL.allows(scripted)
    assert not INTERNATIONAL.allows(user_model(is_staff=True, is_active=True, password="x"))
    assert not INTERNATIONAL.allows(user_model(is_staff=False, is_active=True))
    assert not INTERNATIONAL.allows(user_model(is_staff=True, is_active=False))
    assert not INTERNATIONAL.allows(AnonymousUser())
    assert not INTERNATIONAL.allows(None)


def test_public_contribution_permission_admits_anonymous_visitors_and_active_users() -> None:
    user_model = get_user_model()
    assert PUBLIC_CONTRIBUTION.allows(AnonymousUser())
    assert PUBLIC_CONTRIBUTION.allows(None)
    assert PUBLIC_CONTRIBUTION.allows(user_model(is_staff=False, is_active=True))
    assert not PUBLIC_CONTRIBUTION.allows(user_model(is_staff=False, is_active=False))
