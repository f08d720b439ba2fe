"""The account's privacy pages: what is kept, "Download my data" (JSON) and "Delete my
account" (see ``privacy`` and ``privacy_services``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from tripartite.core.errors import ServiceError
from tripartite.core.ratelimit import rate_limited
from tripartite.forums.edit_views import SeeOther, posted

from . import privacy, privacy_services
from .models import SessionRecord


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """What the platform keeps about the signed-in person, and the two actions."""
    from tripartite.notifications.models import Follow
    from tripartite.plans.models import Input

    user: Any = request.user
    return render(
        request,
        "accounts/privacy/index.html",
        {
            "follows": Follow.objects.filter(user=user).count(),
            "inputs": Input.objects.filter(account=user).count(),
            "sessions": SessionRecord.objects.filter(user=user).count(),
            "refusal": privacy.editing_account_refusal(user),
        },
    )


@login_required
@never_cache  # personal data: no shared or browser cache keeps a copy
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Download my data: one JSON file of everything kept about the account."""
    data = privacy.personal_data(request.user, current_session_key=request.session.session_key)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tripartite-my-data-{day}.json"'
    return response


class DeleteAccountForm(forms.Form):
    """Confirms the deletion: the account's password, or, for an account without one, a
    word typed out, so that neither a stray click nor a borrowed browser deletes it."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(label=gettext_lazy("Confirmation"), max_length=50)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["confirm"]
        else:
            del self.fields["password"]
            self.fields["confirm"].help_text = _("Type the word “%(word)s” to confirm.") % {
                "word": self.confirmation_word()
            }

    @staticmethod
    def confirmation_word() -> str:
        return _("delete")

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not the account's password."))
        return password

    def clean_confirm(self) -> str:
        typed: str = self.cleaned_data["confirm"]
        if typed.strip().casefold() != self.confirmation_word().casefold():
            raise forms.ValidationError(
                _("Type the word “%(word)s” to confirm.") % {"word": self.confirmation_word()}
            )
        return typed


@login_required
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@rate_limited("account_delete")  # slows password guessing through this form
def delete(request: HttpRequest) -> HttpResponse:
    """Delete my account: a public account goes, with its personal data; an editing
    account is refused with the reason."""
    user: Any = request.user
    refusal = privacy.editing_account_refusal(user)
    form = None if refusal else DeleteAccountForm(posted(request), user=user)
    status, error_message = 200, ""
    if request.method == "POST":
        if form is None:
            status = 403
        elif not form.is_valid():
            status = 422
        else:
            try:
                privacy_services.erase_account(user)
            except ServiceError as error:
                status, error_message = error.status, error.message
            else:
                logout(request)  # the session is gone already; this ends the request's
                messages.success(
                    request, _("Your account is deleted, with the personal data it held.")
                )
                return SeeOther(reverse("home"))
    return render(
        request,
        "accounts/privacy/delete.html",
        {"form": form, "refusal": refusal, "error_message": error_message},
        status=status,
    )
