"""Forms of the accounts pages."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .roles import Role


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The invitation link is sent here; it works once, for three days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=150,
        help_text=_("How the new editor is greeted in the invitation."),
    )
    role = forms.ChoiceField(
        label=_("Role to propose (optional)"),
        required=False,
        choices=[("", _("No role yet")), *Role.choices],
        help_text=_(
            "Proposed as a change for joint approval as soon as the account exists; the role "
            "takes effect once the sectors approve it."
        ),
    )
    scope = forms.CharField(
        label=_("Record the role is bound to"),
        required=False,
        max_length=160,
        help_text=_(
            "The public id of a forum (forum/…), a seat (seat/…), a member (member/…) or a "
            "Steering Committee seat (scseat/…); blank for site-wide roles."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the role"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role"):
            from tripartite.core.errors import InvalidInput

            from .joint import check_grant

            data["scope"] = (data.get("scope") or "").strip().strip("/")
            try:
                check_grant(data["role"], data["scope"])
            except InvalidInput as error:
                self.add_error("scope", error.message)
        return data


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form with a clear label on the first field (it says "Login")
    and the reset link on the page rather than in the password's help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].help_text = ""
