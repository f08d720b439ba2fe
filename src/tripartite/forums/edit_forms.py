"""Forms of the staff editing pages (see docs/subsystems/editing.md).

The forms only read and shape input; every write goes through ``forums.services``.
Service errors come back onto the form through ``attach_service_error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tripartite.core.errors import ServiceError
from tripartite.core.models import PublicRecord

from .choices import (
    Attendance,
    DecisionRule,
    LetterDirection,
    LetterStatus,
    LetterType,
    MeetingMode,
    MeetingStatus,
    MemberKind,
    MemberStatus,
    SeatEndReason,
    SeatRole,
    Sector,
    SignOffPosition,
    VotePosition,
)
from .models import AgendaItem, Forum, Letter, Meeting, Member, Organization, Person, Seat
from .services import EDITABLE_FIELDS

KEY_MAX_LENGTH = 120
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
ISO2_PATTERN = r"^[A-Za-z]{2}$"


# ---------------------------------------------------------------- shared pieces


class DateInput(forms.DateInput):
    """A native date picker; the value is always ISO 8601, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def key_field(help_text: Any) -> forms.SlugField:
    return forms.SlugField(
        label=_("Key"),
        required=False,
        max_length=KEY_MAX_LENGTH,
        help_text=help_text,
    )


def language_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Language"),
        regex=LANGUAGE_PATTERN,
        max_length=10,
        initial="en",
        help_text=_("A language code such as en, es or fr."),
        error_messages={"invalid": _("Enter a language code such as en, es or fr.")},
    )


def url_field(label: Any) -> forms.URLField:
    return forms.URLField(label=label, required=False, assume_scheme="https")


def text_area(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def blank_choice(label: Any, options: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *options]


def unique_key(model: type[PublicRecord], *parts: Any) -> str:
    """A free, readable key from ``parts`` (``mx-stt-2016-04-15``), suffixed ``-2``, ``-3``…
    when taken. The service still refuses a key taken meanwhile (409)."""
    base = slugify("-".join(str(p) for p in parts if p not in (None, "")))[:100].strip("-")
    base = base or model.RECORD_TYPE
    candidate, n = base, 1
    while model._default_manager.filter(key=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def attach_service_error(form: forms.Form, error: ServiceError) -> list[str]:
    """Put a service's field errors on the form's fields; return those the form has no
    field for, so the page can still show them in its error summary."""
    unplaced: list[str] = []
    for name, messages in error.field_errors.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
        else:
            unplaced += [labelled(name, message) for message in messages]
    return unplaced


def labelled(label: Any, message: Any) -> str:
    """``Field: message``, as the error summary lists errors."""
    return str(_("%(label)s: %(message)s") % {"label": label, "message": message})


def seat_label(seat: Seat) -> str:
    return str(
        _("%(organization)s (%(sector)s)")
        % {"organization": seat.organization.display_name, "sector": seat.get_sector_display()}
    )


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return seat_label(obj)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date.isoformat()} — {obj.title}"


class LetterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} — {obj.subject}"


class NameChoiceField(forms.ModelChoiceField):
    """Choices labelled by the record's name, not its public id."""

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", obj))


def organization_label(org: Organization) -> str:
    return str(
        _("%(organization)s (%(sector)s)")
        % {"organization": org.name, "sector": org.get_sector_display()}
    )


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return organization_label(obj)


class OrganizationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return organization_label(obj)


class SeatMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return seat_label(obj)


class ForumChoiceField(forms.ModelChoiceField):
    """Forums labelled with their member, since two members' forums can share a name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(_("%(forum)s (%(member)s)") % {"forum": obj.name, "member": obj.member.name})


def lines(text: str | None) -> list[str]:
    """The non-blank lines of ``text``, stripped, in order."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def live(model: type[models.Model]) -> models.QuerySet[Any]:
    """Records that can still be referred to: not retracted."""
    return model._default_manager.filter(retracted_at__isnull=True)


# ---------------------------------------------------------------- home and member pages: creation


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MemberKind.choices, initial=MemberKind.COUNTRY
    )
    iso2 = forms.RegexField(
        label=_("ISO 3166 code"),
        regex=ISO2_PATTERN,
        max_length=2,
        required=False,
        help_text=_(
            "The country's two-letter code, such as MX. A local government takes the "
            "code of its country."
        ),
        error_messages={"invalid": _("Enter two letters, such as MX.")},
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    joined_on = date_field(_("Joined OGP on"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=MemberStatus.choices, initial=MemberStatus.ACTIVE
    )
    status_since = date_field(_("Status since"), required=False)
    key = key_field(
        _(
            "Part of the member's permanent address. Leave blank to make one from "
            "the ISO code (a country) or the code and the name (a local "
            "government)."
        )
    )

    def clean_iso2(self) -> str:
        return str(self.cleaned_data.get("iso2") or "").upper()

    def key_parts(self) -> tuple[str, ...]:
        data = self.cleaned_data
        if data["kind"] == MemberKind.COUNTRY and data["iso2"]:
            return (data["iso2"],)
        return (data["iso2"], data["name"])


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("An acronym or the name people use, if any."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=blank_choice(_("Choose a sector"), Sector.choices)
    )
    member = NameChoiceField(
        label=_("Member"),
        required=False,
        queryset=live(Member).order_by("name"),
        empty_label=_("None"),
        help_text=_("The member it belongs to, if it is national or local."),
    )
    website = url_field(_("Website"))
    description = forms.CharField(label=_("Description"), required=False, widget=text_area(4))
    key = key_field(
        _(
            "Part of the organisation's permanent address. Leave blank to make one "
            "from the member and the short name (or the name)."
        )
    )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role_title = forms.CharField(
        label=_("Public role"),
        max_length=200,
        required=False,
        help_text=_("The public role in which the person acts. Record nothing private."),
    )
    key = key_field(
        _("Part of the person's permanent address. Leave blank to make one from the name.")
    )


class ForumForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    original_name = forms.CharField(
        label=_("Name in the original language"), max_length=300, required=False
    )
    language = language_field()
    description = forms.CharField(label=_("Description"), required=False, widget=text_area(4))
    established_on = date_field(_("Established on"))
    dissolved_on = date_field(
        _("Dissolved on"), required=False, help_text=_("Only for a forum that no longer exists.")
    )
    decision_rule = forms.ChoiceField(
        label=_("Decision rule"),
        choices=DecisionRule.choices,
        initial=DecisionRule.SECTOR_CONSENSUS,
    )
    rules_url = url_field(_("Published participation rules"))
    predecessor = NameChoiceField(
        label=_("Replaces"),
        required=False,
        queryset=Forum.objects.none(),
        empty_label=_("No earlier forum"),
        help_text=_("An earlier forum of the same member that this one replaces."),
    )
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the forum's permanent address. Leave blank to make one from "
            "the member and the name."
        )
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predecessor"].queryset = (  # type: ignore[attr-defined]
            live(Forum).filter(member=member).order_by("established_on", "name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        established, dissolved = data.get("established_on"), data.get("dissolved_on")
        if established and dissolved and dissolved < established:
            self.add_error(
                "dissolved_on", _("A forum cannot be dissolved before it was established.")
            )
        return data


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    issued_on = date_field(_("Issued on"))
    text = forms.CharField(label=_("Text"), widget=text_area(12))
    language = language_field()
    issued_by = OrganizationMultipleChoiceField(
        label=_("Issuing organisations"),
        required=False,
        queryset=live(Organization).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Select several with Ctrl (or Cmd) and a click, or Shift for a range. "
            "Choose at least one organisation, or name the issuer below."
        ),
    )
    issuer_label = forms.CharField(
        label=_("Issuer as named"),
        max_length=300,
        required=False,
        help_text=_(
            "How the statement names who issued it, for example “The civil society "
            "members of the forum”."
        ),
    )
    member = NameChoiceField(
        label=_("Member concerned"),
        required=False,
        queryset=live(Member).order_by("name"),
        empty_label=_("None"),
    )
    forum = ForumChoiceField(
        label=_("Forum concerned"),
        required=False,
        queryset=live(Forum).select_related("member").order_by("member__name", "name"),
        empty_label=_("None"),
        help_text=_("A statement about a forum also concerns the forum's member."),
    )
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the statement's permanent address. Leave blank to make one "
            "from the member, the date and the title."
        )
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        forum, member = data.get("forum"), data.get("member")
        if forum is not None:
            if member is None:
                data["member"] = forum.member
            elif forum.member_id != member.pk:
                self.add_error("forum", _("This forum belongs to another member."))
        return data


# ---------------------------------------------------------------- forum page


class SeatForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("Organisation"),
        queryset=live(Organization).order_by("name"),
        empty_label=_("Choose an organisation"),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=blank_choice(_("The organisation's sector"), Sector.choices),
        help_text=_("Leave as is to use the organisation's own sector."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices, initial=SeatRole.MEMBER)
    representative = NameChoiceField(
        label=_("Representative"),
        required=False,
        queryset=live(Person).order_by("name"),
        empty_label=_("Not recorded"),
    )
    start_on = date_field(_("Start date"))
    key = key_field(
        _(
            "Part of the seat's permanent address. Leave blank to make one from "
            "the forum and the organisation."
        )
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    date = date_field(_("Date"))
    mode = forms.ChoiceField(
        label=_("Mode"), choices=MeetingMode.choices, initial=MeetingMode.IN_PERSON
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=MeetingStatus.choices, initial=MeetingStatus.SCHEDULED
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=text_area(),
        help_text=_("One agenda item per line, in order."),
    )
    key = key_field(
        _(
            "Part of the meeting's permanent address. Leave blank to make one from "
            "the forum and the date."
        )
    )

    def clean_agenda(self) -> list[str]:
        return lines(self.cleaned_data.get("agenda"))


class DecisionForm(forms.Form):
    """A motion and one position (with an optional statement) per seat."""

    title = forms.CharField(label=_("Title"), max_length=300)
    motion_text = forms.CharField(label=_("Motion"), widget=text_area())
    decided_on = date_field(_("Date"))
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        required=False,
        queryset=Meeting.objects.none(),
        empty_label=_("Not taken at a meeting"),
    )
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the decision's permanent address. Leave blank to make one "
            "from the date and the title."
        )
    )

    BASE_FIELDS = ("title", "motion_text", "decided_on", "meeting", "source_url", "key")

    def __init__(self, *args: Any, forum: Forum, seats: Sequence[Seat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        self.fields["meeting"].queryset = live(Meeting).filter(forum=forum).order_by("-date")  # type: ignore[attr-defined]
        for seat in self.seats:
            self.fields[f"seat-{seat.key}-position"] = forms.ChoiceField(
                label=_("Position"),
                choices=blank_choice(_("Choose a position"), VotePosition.choices),
            )
            self.fields[f"seat-{seat.key}-statement"] = forms.CharField(
                label=_("Statement or dissent"), required=False, widget=text_area(3)
            )

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BASE_FIELDS]

    def summary_label(self, name: str) -> str:
        """How the error summary names a field: per-seat fields carry their seat."""
        for seat in self.seats:
            if name.startswith(f"seat-{seat.key}-"):
                return labelled(seat_label(seat), self.fields[name].label)
        return str(self.fields[name].label)

    def seat_groups(self) -> list[tuple[Seat, list[forms.BoundField]]]:
        return [
            (seat, [self[f"seat-{seat.key}-position"], self[f"seat-{seat.key}-statement"]])
            for seat in self.seats
        ]

    def positions(self) -> dict[Seat, tuple[str, str]]:
        data = self.cleaned_data
        return {
            seat: (data[f"seat-{seat.key}-position"], data[f"seat-{seat.key}-statement"])
            for seat in self.seats
        }


# ---------------------------------------------------------------- seat page


class EndSeatForm(forms.Form):
    end_on = date_field(_("End date"))
    end_reason = forms.ChoiceField(
        label=_("Reason"), choices=blank_choice(_("Choose a reason"), SeatEndReason.choices)
    )
    letter = LetterChoiceField(
        label=_("Withdrawal letter"),
        required=False,
        queryset=Letter.objects.none(),
        empty_label=_("No letter"),
        help_text=_("Required when the seat is withdrawn: the public letter that says why."),
    )

    def __init__(self, *args: Any, seat: Seat, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forum = seat.forum
        related = (
            models.Q(forum=forum)
            | models.Q(member_id=forum.member_id)
            | models.Q(signatories=seat.organization)
        )
        self.fields["letter"].queryset = (  # type: ignore[attr-defined]
            live(Letter).filter(related).distinct()
        )


class WithdrawalForm(forms.Form):
    """A collective withdrawal: several current seats leave together, with one letter."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("For example “Civil society leaves the forum”."),
    )
    withdrawn_on = date_field(_("Date of the withdrawal"))
    summary = forms.CharField(label=_("Summary"), required=False, widget=text_area(4))
    letter = LetterChoiceField(
        label=_("Withdrawal letter"),
        queryset=Letter.objects.none(),
        empty_label=_("Choose the letter"),
        help_text=_(
            "The public letter that says why they leave. Register it first if it is not listed."
        ),
    )
    seats = SeatMultipleChoiceField(
        label=_("Seats that withdraw"),
        queryset=Seat.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every seat that leaves the forum in this withdrawal."),
        error_messages={"required": _("Tick at least one seat.")},
    )
    key = key_field(
        _(
            "Part of the withdrawal's permanent address. Leave blank to make one "
            "from the forum and the date."
        )
    )

    BASE_FIELDS = ("title", "withdrawn_on", "summary", "letter")

    def __init__(self, *args: Any, forum: Forum, seats: Sequence[Seat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_seats = list(seats)
        self.fields["seats"].queryset = (  # type: ignore[attr-defined]
            Seat.objects.filter(pk__in=[seat.pk for seat in self.current_seats])
            .select_related("organization")
            .order_by("sector", "start_on", "key")
        )
        organizations = [seat.organization_id for seat in self.current_seats]
        related = (
            models.Q(forum=forum)
            | models.Q(member_id=forum.member_id)
            | models.Q(signatories__in=organizations)
        )
        self.fields["letter"].queryset = (  # type: ignore[attr-defined]
            live(Letter).filter(related).distinct()
        )

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BASE_FIELDS]


# ---------------------------------------------------------------- meeting page


class AttendanceForm(forms.Form):
    """One attendance select per seat held on the meeting date."""

    def __init__(
        self, *args: Any, seats: Sequence[Seat], current: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        for seat in self.seats:
            self.fields[f"seat-{seat.key}"] = forms.ChoiceField(
                label=seat_label(seat),
                initial=current.get(seat.pk, ""),
                choices=blank_choice(_("Choose"), Attendance.choices),
            )

    def seat_groups(self) -> list[tuple[Seat, list[forms.BoundField]]]:
        return [(seat, [self[f"seat-{seat.key}"]]) for seat in self.seats]

    def clean(self) -> dict[str, Any]:
        if not self.seats:
            raise forms.ValidationError(
                _("No seat of the forum was held on the date of the meeting.")
            )
        return self.cleaned_data

    def attendance(self) -> dict[Seat, str]:
        return {seat: self.cleaned_data[f"seat-{seat.key}"] for seat in self.seats}


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Text of the minutes"), widget=text_area(14))
    language = language_field()
    published_on = date_field(_("Published on"))


class SignOffForm(forms.Form):
    seat = SeatChoiceField(
        label=_("Signed by seat"),
        queryset=Seat.objects.none(),
        empty_label=_("Choose a seat"),
        help_text=_("Each sector signs off once, through one of its seats."),
    )
    position = forms.ChoiceField(
        label=_("Position"), choices=blank_choice(_("Choose a position"), SignOffPosition.choices)
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        widget=text_area(4),
        help_text=_("Required with a reservation or a dissent."),
    )
    signed_on = date_field(_("Signed on"))

    def __init__(self, *args: Any, seats: Sequence[Seat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = (  # type: ignore[attr-defined]
            Seat.objects.filter(pk__in=[seat.pk for seat in seats])
            .select_related("organization")
            .order_by("sector", "key")
        )


class AgendaForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=text_area(10),
        help_text=_(
            "One agenda item per line, in order. An item kept with the same title "
            "keeps its description. Leave empty to clear the agenda."
        ),
    )

    def clean_agenda(self) -> list[str]:
        items = lines(self.cleaned_data.get("agenda"))
        limit = AgendaItem._meta.get_field("title").max_length or 400
        errors = [
            forms.ValidationError(
                _("Item %(n)s is longer than %(limit)s characters."),
                params={"n": n, "limit": limit},
                code="max_length",
            )
            for n, item in enumerate(items, start=1)
            if len(item) > limit
        ]
        if errors:
            raise forms.ValidationError(errors)
        return items


# ---------------------------------------------------------------- letters register


class LetterForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=60)
    key = key_field(
        _("Part of the letter's permanent address. Leave blank to make one from the reference.")
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=LetterDirection.choices)
    letter_type = forms.ChoiceField(label=_("Type"), choices=LetterType.choices)
    subject = forms.CharField(label=_("Subject"), max_length=400)
    body = forms.CharField(label=_("Text"), required=False, widget=text_area(10))
    language = language_field()
    signatories = OrganizationMultipleChoiceField(
        label=_("Signatory organisations"),
        required=False,
        queryset=live(Organization).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Select several with Ctrl (or Cmd) and a click, or Shift for a range."),
    )
    addressees = forms.CharField(label=_("Addressed to"), max_length=400, required=False)
    sent_on = date_field(_("Sent on"), required=False)
    received_on = date_field(
        _("Received on"),
        required=False,
        help_text=_("Give the date sent, the date received, or both."),
    )
    response_deadline = date_field(_("Response due"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=LetterStatus.choices, initial=LetterStatus.RECEIVED
    )
    response_to = LetterChoiceField(
        label=_("In response to"),
        required=False,
        queryset=live(Letter),
        empty_label=_("None"),
        help_text=_("Required for a response."),
    )
    member = NameChoiceField(
        label=_("Member"),
        required=False,
        queryset=live(Member).order_by("name"),
        empty_label=_("None"),
    )
    forum = NameChoiceField(
        label=_("Forum"),
        required=False,
        queryset=live(Forum).order_by("member__name", "name"),
        empty_label=_("None"),
    )
    source_url = url_field(_("Source"))


# ---------------------------------------------------------------- any record


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=text_area(3),
        help_text=_("Shown publicly in the record's history."),
    )


def _model_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.DateField):
        kwargs["widget"] = DateInput()
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if isinstance(field, models.TextField):
        kwargs["widget"] = text_area(8)
    if isinstance(field, models.ForeignKey):
        kwargs["form_class"] = NameChoiceField
        kwargs["empty_label"] = _("None")
    return field.formfield(**kwargs)


def new_version_form_class(model: type[PublicRecord]) -> type[forms.Form]:
    """A form with the editable fields of ``model`` (services.EDITABLE_FIELDS) and a reason."""
    names = EDITABLE_FIELDS[model]
    fields = fields_for_model(model, fields=names, formfield_callback=_model_formfield)
    reason = forms.CharField(
        label=_("Reason for the new version"),
        widget=text_area(3),
        help_text=_("Shown publicly in the record's history."),
    )
    return type(f"{model.__name__}VersionForm", (forms.Form,), {**fields, "reason": reason})


def new_version_initial(record: PublicRecord) -> dict[str, Any]:
    return model_to_dict(record, fields=EDITABLE_FIELDS[type(record)])


def changes_from(form: forms.Form, record: PublicRecord) -> dict[str, Any]:
    """The editable fields as submitted (the service refuses a version that changes nothing)."""
    return {name: form.cleaned_data[name] for name in EDITABLE_FIELDS[type(record)]}
