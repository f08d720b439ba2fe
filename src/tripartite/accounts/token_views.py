"""``/accounts/tokens/``: an editing account's API tokens: make one, see them, revoke one.

The secret is shown once, on the page that answers the form (never stored, never in a
redirect's URL or in the session beyond that answer).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.core.errors import ServiceError
from tripartite.forums.edit_views import SeeOther, staff_only

from .models import ApiToken
from .token_services import issue_token, revoke_token
from .tokens import DEFAULT_DAYS, MAX_DAYS, is_live


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, e.g. “ministry progress reporting”."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days until it expires"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
    )


@staff_only
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = issue_token(request.user, user=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            form = TokenForm()
    now = timezone.now()
    mine = ApiToken.objects.filter(user_id=int(request.user.pk or 0))
    tokens = [(t, is_live(t, now)) for t in mine]
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens},
        status=422 if form.errors else 200,
    )


@staff_only
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        revoke_token(request.user, token=token)
        messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return SeeOther(reverse("accounts-tokens"))
