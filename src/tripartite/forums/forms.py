"""Forms of the forum pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import LetterStatus, LetterType, Sector


def _blank(label: Any, options: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *options]


class LetterFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_blank((_("Any type")), LetterType.choices)
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    sector = forms.ChoiceField(
        label=_("Signatory sector"),
        required=False,
        choices=_blank((_("Any sector")), Sector.choices),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank((_("Any status")), LetterStatus.choices)
    )
    member = forms.SlugField(label=_("Member"), required=False, max_length=40)
