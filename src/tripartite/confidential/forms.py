"""Forms of the confidential channel. The concern form's data is sealed by the view before
anything else sees it; nothing here stores or logs it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_CHARS = 15000


class ConcernForm(forms.Form):
    """What a person writes to the committee. Every field is sealed, none is kept in clear."""

    KINDS = (
        ("concern", _("A concern about how a member runs its open-government process")),
        ("intimidation", _("A report of intimidation, surveillance or reprisal")),
        ("other", _("Something else the Steering Committee should know")),
    )

    kind = forms.ChoiceField(label=_("What is it about?"), choices=KINDS, initial="concern")
    about = forms.CharField(
        label=_("Country, forum or institution concerned"),
        required=False,
        max_length=200,
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What happened, when, who was involved, and what you ask the committee to do."),
    )
    contact = forms.CharField(
        label=_("How the committee can reach you (optional)"),
        required=False,
        max_length=300,
        help_text=_(
            "Only if you want an answer: a safe e-mail address, phone or messaging account. "
            "It is sealed with your message."
        ),
    )

    def sealed_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name, "")
            for name in ("kind", "about", "message", "contact")
        }


class RecipientKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(
        label=_("Role"),
        max_length=200,
        required=False,
        help_text=_("For example: civil-society co-chair, Support Unit case officer."),
    )
    public_key = forms.CharField(
        label=_("Public key"),
        max_length=60,
        help_text=_(
            "The line that `tripartite concerns keygen` printed on the recipient's own machine. "
            "Compare its fingerprint with the recipient before you rely on it."
        ),
    )
