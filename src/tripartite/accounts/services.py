"""Writes of the accounts app: inviting a person into an editing role.

An invitation creates the account (staff, no usable password, the address unverified)
and returns it; the caller mails the one-time link (``invitations.send``). Following the
link and choosing a password verifies the address; the first sign-in then asks for an
authenticator app before anything can be edited.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tripartite.accounts.permissions import ACCOUNTS
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.services import service


def _free_username(email: str) -> str:
    user_model = get_user_model()
    base = slugify(email.split("@", 1)[0])[:120] or "editor"
    candidate, n = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@service(ACCOUNTS)
def invite_editor(actor: Any, *, email: str, name: str = "") -> Any:
    """Create a staff account for ``email`` that can sign in only once its holder has
    set a password through the invitation link."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            _("Enter a valid e-mail address."), {"email": [_("Enter a valid e-mail address.")]}
        ) from None
    user_model = get_user_model()
    if (
        user_model.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise Conflict(
            _("An account with this e-mail address already exists."),
            {"email": [_("An account with this e-mail address already exists.")]},
        )
    user = user_model(
        username=_free_username(email),
        email=email,
        first_name=(name or "").strip()[:150],
        is_staff=True,
        is_active=True,
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user
