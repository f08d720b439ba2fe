"""Accounts pages of our own: inviting an editor, accepting an invitation, the session list.

Sign-in, sign-up, e-mail verification, password reset and two-factor authentication are
allauth's views with our templates (``templates/account``, ``templates/mfa``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from tripartite.forums.edit_views import EditPage, SeeOther, handle, posted, staff_only

from . import invitations, services, sessions
from .forms import InviteForm
from .joint_services import propose_change


@staff_only
def invite(request: HttpRequest) -> HttpResponse:
    """Staff invite a person into an editing role by e-mail."""
    form = InviteForm(posted(request))

    def perform() -> tuple[str, str]:
        data = form.cleaned_data
        with transaction.atomic():  # the account and its role proposal, or neither
            user = services.invite_editor(request.user, email=data["email"], name=data["name"])
            if data.get("role"):
                change = propose_change(
                    request.user,
                    operation="grant_role",
                    target=data["scope"],
                    role=data["role"],
                    grantee=user,
                    reason=data.get("reason", ""),
                )
        invitations.send(request, user)
        message = _(
            "Invitation sent to %(email)s. The link works once; the new editor sets a "
            "password, then an authenticator app."
        ) % {"email": user.email}
        if data.get("role"):
            return change.get_absolute_url(), message + " " + _(
                "The role is proposed for joint approval."
            )
        return reverse("accounts-invite"), message

    page = EditPage(
        title=_("Invite an editor"),
        back=(reverse("home"), _("Home")),
        submit=_("Send the invitation"),
        intro=_(
            "The person receives a one-time link to choose a password. Their account can "
            "edit the record once they have also set up two-factor authentication."
        ),
    )
    return handle(request, page, form, perform)


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: choose a password. Following it proves the address."""

    template_name = "accounts/invitation_accept.html"
    token_generator = invitations.invitation_tokens
    success_url = reverse_lazy("account_login")
    reset_url_token = "set-password"  # noqa: S105 (a URL part, not a secret)
    title = gettext_lazy("Choose your password")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
        messages.success(
            self.request,
            _("Your password is set. Sign in, then set up your authenticator app."),
        )
        return response


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's sessions, and signing out of all the others."""
    if request.method == "POST":
        ended = sessions.sign_out_others(request)
        messages.success(
            request,
            ngettext(
                "Signed out of %(count)d other session.",
                "Signed out of %(count)d other sessions.",
                ended,
            )
            % {"count": ended},
        )
        return SeeOther(reverse("accounts-sessions"))
    current = request.session.session_key
    rows = sessions.active(request.user)
    return render(
        request,
        "accounts/sessions.html",
        {
            "rows": [(row, row.session_key == current) for row in rows],
            "others": sum(1 for row in rows if row.session_key != current),
        },
    )
