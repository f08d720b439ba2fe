"""Forms of co-creation: the public input form, the register's filter, and the staff
forms (moderation, reasoned responses, tracing inputs to a commitment).

The forms only read and shape what was sent; every write goes through
``plans.services`` (``submit_input``, ``moderate_input``, ``respond_to_inputs``,
``link_inputs``), whose errors come back onto the fields through
``forums.edit_forms.attach_service_error``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tripartite.forums.edit_forms import date_field, labelled, language_field, text_area

from .choices import Moderation, ResponseDecision
from .cocreation_queries import SHOW_CHOICES, waiting_days
from .models import ActionPlan, Commitment, Input, ReasonedResponse

TEXT_MAX_LENGTH = 20000
HONEYPOT = "website"


def language_choices(*extra: str) -> list[tuple[str, str]]:
    """The site's languages and ``extra`` codes, each named in its own language."""
    codes = [code for code, _name in settings.LANGUAGES]
    codes += [code for code in extra if code and code not in codes]
    return [(code, str(LANG_INFO.get(code, {}).get("name_local", code))) for code in codes]


# ---------------------------------------------------------------- the public input form


class InputForm(forms.Form):
    """Anyone's input to a plan in co-creation, with or without an account.

    Only the title, the text and the language are required. The name is published only
    if the box is ticked; the e-mail never is. ``website`` is a trap for spam robots:
    hidden from sight, skipped by the keyboard, labelled for people to leave empty.
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short summary of your proposal or comment."),
    )
    text = forms.CharField(
        label=_("Your input"),
        max_length=TEXT_MAX_LENGTH,
        widget=text_area(10),
        help_text=_(
            "What should the plan do, and why? It is published once a moderator has checked it."
        ),
    )
    language = forms.ChoiceField(label=_("Language of your input"), choices=())
    submitter_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        help_text=_("Optional. Leave it blank to send your input anonymously."),
    )
    submitter_organization = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        required=False,
        help_text=_(
            "Optional. If you write on behalf of an organisation, its name is published "
            "with your input."
        ),
    )
    publish_name = forms.BooleanField(
        label=_("Publish my name with my input"),
        required=False,
        help_text=_(
            "Not ticked unless you tick it. If you leave it unticked, your name is kept by "
            "the secretariat only and never published."
        ),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for the response"),
        required=False,
        max_length=254,
        help_text=_(
            "Optional. Used only to tell you about the response to your input. It is never "
            "published."
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        help_text=_("It is here to catch automated spam; people do not need it."),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    ABOUT_YOU = ("submitter_name", "submitter_organization", "publish_name", "contact_email")

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = language_choices(plan.language)
        self.fields["language"].choices = choices  # type: ignore[attr-defined]
        if not self.is_bound and self.initial.get("language") not in dict(choices):
            self.initial["language"] = plan.language

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                _(
                    "Your input was not accepted: the field “Leave this field empty”, which "
                    "catches automated spam, was filled in. Empty it and send again."
                ),
                code="honeypot",
            )
        return cleaned

    def your_input(self) -> list[forms.BoundField]:
        return [self["title"], self["text"], self["language"]]

    def about_you(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ABOUT_YOU]

    def submission(self) -> dict[str, Any]:
        """The arguments of ``services.submit_input``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "language": data["language"],
            "submitter_name": data["submitter_name"],
            "submitter_organization": data["submitter_organization"],
            "publish_name": bool(data["publish_name"]),
            "contact_email": data["contact_email"],
        }


class RegisterFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=list(
            zip(
                SHOW_CHOICES,
                (_("All inputs"), _("Inputs with a response"), _("Inputs without a response")),
                strict=True,
            )
        ),
    )

    def shown(self) -> str:
        if self.is_bound and self.is_valid():
            return str(self.cleaned_data.get("show") or "all")
        return "all"


# ---------------------------------------------------------------- staff: moderation


class ModerationForm(forms.Form):
    """One pending input's moderation; the form's prefix is the input's key."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("publish", _("Publish it")),
            (
                "withhold",
                _("Withhold it: on the record as received and withheld, without its words"),
            ),
            ("discard", _("Discard it as spam: never public, deleted")),
        ],
        help_text=_("Publishing puts the input and its version on the public record."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=text_area(3),
        help_text=_("Required to withhold or discard. The reason for withholding is public."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") in ("withhold", "discard")
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason to withhold or discard this input."))
        return cleaned

    def summary_label(self, name: str) -> str:
        """Error summary entries name the input they are about."""
        return str(labelled(self.prefix or "", self.fields[name].label))


# ---------------------------------------------------------------- staff: reasoned responses


def inputs_of(plan: ActionPlan) -> QuerySet[Input]:
    """The plan's published inputs, those still without a response first."""
    answered = ReasonedResponse.objects.filter(retracted_at__isnull=True, inputs=OuterRef("pk"))
    return (
        Input.objects.filter(plan=plan, moderation=Moderation.PUBLISHED, retracted_at__isnull=True)
        .annotate(has_response=Exists(answered))
        .order_by("has_response", "received_at", "id")
    )


class InputChoiceField(forms.ModelMultipleChoiceField):
    """Inputs labelled with their key, title and whether they wait for a response."""

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def label_from_instance(self, obj: Any) -> str:
        base = f"{obj.key} — {obj.title}"
        if getattr(obj, "has_response", False):
            return str(_("%(input)s (already answered)") % {"input": base})
        days = waiting_days(obj, self.today)
        return ngettext(
            "%(input)s (no response yet, waiting %(days)s day)",
            "%(input)s (no response yet, waiting %(days)s days)",
            days,
        ) % {"input": base, "days": days}


class RespondForm(forms.Form):
    inputs = InputChoiceField(
        label=_("Inputs this response answers"),
        queryset=Input.objects.none(),
        to_field_name="key",
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick every input this response answers. Inputs without a response are listed first."
        ),
        error_messages={"required": _("Tick at least one input.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=ResponseDecision.choices,
        help_text=_("What the forum did with the input."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=text_area(8),
        help_text=_("Why: published with the decision, for everyone to read."),
    )
    published_on = date_field(_("Published on"))
    language = language_field()

    GROUPS = ("inputs", "decision")

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = inputs_of(plan)  # type: ignore[attr-defined]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.GROUPS]


# ---------------------------------------------------------------- staff: traceability


class LinkInputsForm(forms.Form):
    inputs = InputChoiceField(
        label=_("Inputs this commitment came from"),
        queryset=Input.objects.none(),
        to_field_name="key",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the published inputs of the plan that led to this commitment."),
        error_messages={"required": _("Tick at least one input.")},
    )
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        widget=text_area(3),
        help_text=_("Optional. Shown publicly in the commitment's history."),
    )

    def __init__(self, *args: Any, commitment: Commitment, linked: Sequence[Input], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["inputs"].queryset = inputs_of(commitment.plan).exclude(  # type: ignore[attr-defined]
            pk__in=[item.pk for item in linked]
        )

    def has_choices(self) -> bool:
        return bool(self.fields["inputs"].queryset.exists())  # type: ignore[attr-defined]
