from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tripartite.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import mfa, sessions

        def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            if request is not None and hasattr(request, "session"):
                sessions.signed_in(request, user)

        def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            if request is not None and hasattr(request, "session"):
                sessions.signed_out(request)

        def on_authenticator_change(sender: Any, user: Any, **kwargs: Any) -> None:
            mfa.forget(user)
            request = kwargs.get("request")
            if request is not None:
                mfa.forget(request.user)

        user_logged_in.connect(on_login, dispatch_uid="tripartite.accounts.login", weak=False)
        user_logged_out.connect(on_logout, dispatch_uid="tripartite.accounts.logout", weak=False)
        for signal in (authenticator_added, authenticator_removed):
            signal.connect(
                on_authenticator_change,
                dispatch_uid=f"tripartite.accounts.mfa.{id(signal)}",
                weak=False,
            )
