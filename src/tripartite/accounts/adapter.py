"""allauth adapters: public sign-up never makes staff; staff keep their second factor."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A public sign-up is for following records and co-creation input: whatever the
        form carried, the account is never staff. Editing roles come by invitation."""
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Setting up the first authenticator right after signing in with the password
        does not ask for the password again (it was typed minutes ago); replacing or
        removing one, or anything later, still does."""
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        if not required or app != "allauth.mfa":
            return required
        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        now = time.time()
        signed_in_at = max(
            (
                float(record.get("at", 0))
                for record in get_authentication_records(request, user)
                if record.get("method") == "password"
            ),
            default=0.0,
        )
        if now - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
            return True
        # Only authenticators set up since that sign-in (the first set-up and its
        # recovery codes): an older one is changed only after typing the password again.
        return Authenticator.objects.filter(
            user=user, created_at__lt=dt.datetime.fromtimestamp(signed_in_at, tz=dt.UTC)
        ).exists()


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff cannot remove their authenticator app: MFA is required before any
        editing role can act (a lost phone: the recovery codes, or another staff member)."""
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff:
            return False
        return super().can_delete_authenticator(authenticator)
