"""The one-time invitation link: Django's password-reset token, with its own salt.

The token is bound to the account's password hash and last sign-in, so it stops working
as soon as a password is set (one use), and after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "tripartite.accounts.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def link(request: HttpRequest, user: Any) -> str:
    path = reverse(
        "accounts-invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send(request: HttpRequest, user: Any) -> None:
    """Mail the invitation link to the account's address."""
    context = {
        "user": user,
        "link": link(request, user),
        "inviter": request.user,
        "site": request.get_host(),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = " ".join(
        render_to_string("accounts/email/invitation_subject.txt", context, request).split()
    )
    body = render_to_string("accounts/email/invitation_message.txt", context, request)
    send_mail(subject, body, None, [user.email])
