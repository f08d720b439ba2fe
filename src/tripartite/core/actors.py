"""The system actor: who the CLI and the demo loader act as."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

SYSTEM_USERNAME = "tripartite-system"


def system_actor() -> AbstractBaseUser:
    """A staff account that cannot sign in (no usable password), for scripted writes."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_staff": True, "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
