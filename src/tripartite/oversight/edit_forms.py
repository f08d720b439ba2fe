"""Forms of the Steering Committee's staff editing pages (see docs/subsystems/editing.md).

The forms only read and shape input; every write goes through ``oversight.services``,
``oversight.case_services`` or ``oversight.review_services``. The building blocks (date
inputs, keys, selects of records, service errors onto fields) are the forums' and the
plans' (``forums.edit_forms``, ``plans.edit_forms``); what is new here:

- ``StepField``: a select that offers only the steps the rules allow from the current
  state, yet accepts any state of the machine, so that a step sent from a stale page (or
  a forged one) is refused by the service with the rule's own reason;
- ``CaseForm``: filers as a few rows of (organisation, category), and a "filed by a
  person" select whose refusal the service explains (the Response Policy);
- ``VersionForm``: the "new version" form of a record with ``services.EDITABLE_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord
from tripartite.forums.choices import MemberStatus
from tripartite.forums.edit_forms import (
    LetterChoiceField,
    NameChoiceField,
    OrganizationChoiceField,
    blank_choice,
    date_field,
    key_field,
    labelled,
    lines,
    live,
    text_area,
    url_field,
)
from tripartite.forums.models import Letter, Member, Organization, Person, Statement
from tripartite.plans.edit_forms import TextField, _check_dates, _version_formfield
from tripartite.plans.models import ActionPlan, IrmReport

from .choices import (
    RESOLVING_BODIES,
    Body,
    CaseState,
    CaseTrack,
    CoChairRole,
    Constituency,
    ContraryTrigger,
    DecisionMethod,
    FilerCategory,
    FindingSource,
    MeetingLevel,
    MeetingMode,
    ResolutionOutcome,
    ReviewState,
    SeatEnd,
    SelectionMethod,
    TaskStatus,
)
from .models import (
    ConcernCase,
    ProceduralReview,
    Resolution,
    ScAgendaItem,
    ScMeeting,
    ScSeat,
)
from .rules import CASE_TRANSITIONS, CLOSED, REVIEW_TRANSITIONS, STATUS_TRANSITIONS
from .services import EDITABLE_FIELDS

FILER_ROWS = 5
SELECT_SEVERAL = _("Select several with Ctrl (or Cmd) and a click, or Shift for a range.")


# ---------------------------------------------------------------- shared pieces


class StepField(forms.ChoiceField):
    """The next state of a state machine: lists the allowed steps, accepts any state.

    The service is the judge of a step: a state that is not offered (a page left open
    while someone else moved the record on) reaches it, and it answers with its rule.
    """

    def __init__(self, *, valid: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.valid = {str(value) for value in valid}

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.valid


def step_field(label: Any, valid: Iterable[str], help_text: Any) -> StepField:
    return StepField(label=label, valid=valid, choices=(), help_text=help_text)


def offer_steps(field: forms.Field, targets: Iterable[tuple[str, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = blank_choice(_("Choose a state"), targets)


def limit(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Restrict the choices of the model select ``name`` to ``queryset``."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def body_field(
    label: Any = None,
    bodies: Iterable[str] | None = None,
    *,
    required: bool = True,
    help_text: Any = "",
) -> forms.ChoiceField:
    label = label or _("Acting body")
    allowed = list(bodies) if bodies is not None else [str(b) for b in Body]
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=blank_choice(_("Choose a body"), [(b, Body(b).label) for b in allowed]),
        help_text=help_text,
    )


def people_field(label: Any, *, required: bool, help_text: Any = "") -> forms.Field:
    return PersonMultipleChoiceField(
        label=label,
        required=required,
        queryset=live(Person).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=help_text or SELECT_SEVERAL,
    )


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ScSeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return seat_label(obj)


def seat_label(seat: ScSeat) -> str:
    return str(
        _("%(holder)s (%(constituency)s, %(start)s-%(end)s)")
        % {
            "holder": seat.holder_name,
            "constituency": seat.get_constituency_display(),
            "start": seat.term_start.year,
            "end": seat.last_day.year,
        }
    )


class ScMeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.starts_on.isoformat()} — {obj.title}"


class ResolutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.adopted_on.isoformat()} — {obj.title}"


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.received_on.isoformat()} — {obj.title}"


class ReviewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("Opened %(date)s (%(state)s)")
            % {"date": obj.opened_on.isoformat(), "state": obj.get_state_display()}
        )


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(member)s, plan %(number)s: %(title)s (%(start)s-%(end)s)")
            % {
                "member": obj.member.name,
                "number": obj.number,
                "title": obj.title,
                "start": obj.start_on.year,
                "end": obj.end_on.year,
            }
        )


class IrmReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


def member_field(label: Any, *, required: bool = True) -> NameChoiceField:
    return NameChoiceField(
        label=label,
        required=required,
        queryset=live(Member).order_by("name"),
        empty_label=_("Choose a member") if required else _("None"),
    )


def person_field(label: Any, *, required: bool = True, help_text: Any = "") -> NameChoiceField:
    return NameChoiceField(
        label=label,
        required=required,
        queryset=live(Person).order_by("name"),
        empty_label=_("Choose a person") if required else _("None"),
        help_text=help_text,
    )


def letter_field(label: Any, help_text: Any = "") -> LetterChoiceField:
    return LetterChoiceField(
        label=label,
        required=False,
        queryset=live(Letter),
        empty_label=_("No letter"),
        help_text=help_text,
    )


def resolution_field(label: Any = None, help_text: Any = "") -> ResolutionChoiceField:
    return ResolutionChoiceField(
        label=label or _("Resolution"),
        required=False,
        queryset=live(Resolution).order_by("-adopted_on", "title"),
        empty_label=_("No resolution"),
        help_text=help_text,
    )


def case_field() -> CaseChoiceField:
    return CaseChoiceField(
        label=_("Concern case"),
        required=False,
        queryset=live(ConcernCase).order_by("-received_on", "title"),
        empty_label=_("No case"),
    )


def meeting_field() -> ScMeetingChoiceField:
    return ScMeetingChoiceField(
        label=_("Meeting"),
        required=False,
        queryset=live(ScMeeting).order_by("-starts_on"),
        empty_label=_("Not taken at a meeting"),
    )


def for_member(queryset: QuerySet[Any], member: Member) -> QuerySet[Any]:
    """The records of ``queryset`` about ``member`` or about no member in particular."""
    return queryset.filter(Q(member=member) | Q(member__isnull=True))


# ---------------------------------------------------------------- concern cases


class CaseForm(forms.Form):
    """A Response Policy case: what it is about, and who filed it.

    Filers are up to ``FILER_ROWS`` rows of (organisation, category). A person may be
    named as the filer only to have the service refuse it with the Response Policy's
    reason: an individual acting on his or her own behalf cannot file.
    """

    member = member_field(_("Member concerned"))
    track = forms.ChoiceField(
        label=_("Track"), choices=CaseTrack.choices, initial=CaseTrack.RESPONSE_POLICY
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    concerns = TextField(label=_("Concerns raised"), rows=6)
    received_on = date_field(_("Received on"))
    letter = letter_field(
        _("Letter of concern"),
        _("The letter that raised the concerns. Register it first if it is not listed."),
    )
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the case's permanent address. Leave blank to make one from the member "
            "and the year it was received."
        )
    )
    filed_by_person = person_field(
        _("Filed by a person"),
        required=False,
        help_text=_(
            "Only when a person sent the concern on their own behalf. The Response Policy "
            "does not accept it: the case is then not opened, and the reason is shown."
        ),
    )

    BASE_FIELDS = (
        "member",
        "track",
        "title",
        "concerns",
        "received_on",
        "letter",
        "source_url",
        "key",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, FILER_ROWS + 1):
            self.fields[f"filer-{n}-organization"] = OrganizationChoiceField(
                label=_("Organisation"),
                required=False,
                queryset=live(Organization).order_by("name"),
                empty_label=_("None"),
            )
            self.fields[f"filer-{n}-category"] = forms.ChoiceField(
                label=_("Eligible as"),
                required=False,
                choices=blank_choice(_("Choose a category"), FilerCategory.choices),
            )

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BASE_FIELDS]

    def filer_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (n, [self[f"filer-{n}-organization"], self[f"filer-{n}-category"]])
            for n in range(1, FILER_ROWS + 1)
        ]

    def summary_label(self, name: str) -> str:
        """How the error summary names a field: a filer's fields carry their row."""
        if name.startswith("filer-"):
            n = name.split("-")[1]
            return labelled(_("Filer %(n)s") % {"n": n}, self.fields[name].label)
        return str(self.fields[name].label)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[int] = set()
        for n in range(1, FILER_ROWS + 1):
            organization = data.get(f"filer-{n}-organization")
            category = data.get(f"filer-{n}-category")
            if organization is None and category:
                self.add_error(f"filer-{n}-organization", _("Choose the organisation."))
            if organization is not None and not category:
                self.add_error(
                    f"filer-{n}-category", _("Choose the category under which it files.")
                )
            if organization is not None:
                if organization.pk in seen:
                    self.add_error(
                        f"filer-{n}-organization",
                        _("This organisation is already listed as a filer."),
                    )
                seen.add(organization.pk)
        return data

    def filers(self) -> list[tuple[Organization | Person, str]]:
        """The filers as the service takes them; a person first, so that the Response
        Policy's refusal of individuals is the reason shown."""
        data = self.cleaned_data
        found: list[tuple[Organization | Person, str]] = []
        if data.get("filed_by_person") is not None:
            found.append((data["filed_by_person"], FilerCategory.INVOLVED_ENTITY))
        for n in range(1, FILER_ROWS + 1):
            organization = data.get(f"filer-{n}-organization")
            if organization is not None:
                found.append((organization, data[f"filer-{n}-category"]))
        return found

    def filer_field_for(self, message: str) -> str:
        """The field a service error about filers belongs on: the filer it names."""
        person = self.cleaned_data.get("filed_by_person")
        if person is not None and message.startswith(f"{person.name}: "):
            return "filed_by_person"
        for n in range(1, FILER_ROWS + 1):
            organization = self.cleaned_data.get(f"filer-{n}-organization")
            if organization is not None and message.startswith(f"{organization.name}: "):
                return f"filer-{n}-organization"
        return "filer-1-organization"


def case_targets(state: str) -> list[tuple[str, Any]]:
    """The states a case may go to next (state machine D), in its order; a government may
    withdraw at any point of an open case."""
    if state in CLOSED:
        return []
    allowed = set(CASE_TRANSITIONS.get(state, frozenset())) | {CaseState.MEMBER_WITHDREW}
    return [(str(s), s.label) for s in CaseState if s in allowed]


class AdvanceCaseForm(forms.Form):
    to = step_field(
        _("Next state"),
        CaseState.values,
        _("Only the steps the Response Policy allows from the current state are listed."),
    )
    on = date_field(_("Date"))
    by = body_field(help_text=_("The body whose step it is: the rules say who takes each step."))
    document = forms.CharField(
        label=_("Document"),
        max_length=200,
        required=False,
        help_text=_("The document behind the step, for example “C&S report”."),
    )
    document_url = url_field(_("Address of the document"))
    note = TextField(
        label=_("Public note"),
        required=False,
        rows=3,
        help_text=_("Shown publicly with the step."),
    )
    resolution = resolution_field(
        help_text=_("Stage two and an extension need the Steering Committee's resolution.")
    )
    confidential_note = TextField(
        label=_("Confidential note (kept out of the public record)"),
        required=False,
        rows=3,
        help_text=_(
            "Kept for the committee only; it is never published. The public record keeps "
            "only a fingerprint of it (a salted SHA-256 commitment), which can later prove "
            "that the note existed and what it said without disclosing it now."
        ),
    )

    def __init__(self, *args: Any, case: ConcernCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_steps(self.fields["to"], case_targets(case.state))
        limit(
            self,
            "resolution",
            live(Resolution)
            .filter(Q(case=case) | Q(case__isnull=True, member__in=[case.member_id, None]))
            .order_by("-adopted_on", "title"),
        )


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Task"),
        max_length=400,
        help_text=_("For example “Reach out to officials and civil society before the meeting”."),
    )
    owner = person_field(_("Owner"))
    due_on = date_field(_("Due on"))


class CloseTaskForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Closed as"),
        choices=[
            (TaskStatus.DONE, TaskStatus.DONE.label),
            (TaskStatus.CANCELLED, TaskStatus.CANCELLED.label),
        ],
        initial=TaskStatus.DONE,
        widget=forms.RadioSelect,
    )
    on = date_field(_("Date"))
    outcome = TextField(
        label=_("Outcome"), required=False, rows=4, help_text=_("What came of it; shown publicly.")
    )


class TitledMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Letters by reference and subject, statements by date and title."""

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Letter):
            return f"{obj.reference} — {obj.subject}"
        return f"{obj.issued_on.isoformat()} — {obj.title}"


class AttachForm(forms.Form):
    letters = TitledMultipleChoiceField(
        label=_("Letters"),
        required=False,
        queryset=live(Letter),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=SELECT_SEVERAL,
    )
    statements = TitledMultipleChoiceField(
        label=_("Statements"),
        required=False,
        queryset=live(Statement).order_by("-issued_on", "title"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=SELECT_SEVERAL,
    )

    def __init__(self, *args: Any, case: ConcernCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        linked = [letter.pk for letter in case.letters.all()]
        limit(self, "letters", live(Letter).exclude(pk__in=linked))
        said = [statement.pk for statement in case.statements.all()]
        limit(
            self,
            "statements",
            live(Statement).exclude(pk__in=said).order_by("-issued_on", "key"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("letters") or data.get("statements")):
            raise forms.ValidationError(_("Choose at least one letter or statement."))
        return data


# ---------------------------------------------------------------- resolutions


class ResolutionForm(forms.Form):
    body = forms.ChoiceField(
        label=_("Decided by"),
        choices=[(b, Body(b).label) for b in RESOLVING_BODIES],
        initial=Body.SC,
    )
    title = forms.CharField(label=_("Title"), max_length=400)
    text = TextField(label=_("Text"), rows=8)
    meeting = meeting_field()
    member = member_field(_("Member concerned"), required=False)
    case = case_field()
    method = forms.ChoiceField(
        label=_("Decided by consensus or by vote"),
        choices=DecisionMethod.choices,
        initial=DecisionMethod.CONSENSUS,
        widget=forms.RadioSelect,
    )
    votes_for = forms.IntegerField(
        label=_("Votes for"),
        required=False,
        min_value=0,
        help_text=_("With a recorded vote only: the votes for, against and abstaining."),
    )
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ResolutionOutcome.choices, initial=ResolutionOutcome.ADOPTED
    )
    adopted_on = date_field(_("Decided on"))
    effective_on = date_field(_("Takes effect on"), required=False)
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the resolution's permanent address. Leave blank to make one from the "
            "member, the date and the title."
        )
    )

    COUNTS = ("votes_for", "votes_against", "abstentions")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == DecisionMethod.CONSENSUS and any(
            data.get(name) is not None for name in self.COUNTS
        ):
            self.add_error("votes_for", _("A decision by consensus has no vote count."))
        _check_dates(
            self,
            "adopted_on",
            "effective_on",
            _("A resolution cannot take effect before it is decided."),
        )
        return data

    def votes(self) -> dict[str, int | None] | None:
        data = self.cleaned_data
        if data["method"] != DecisionMethod.VOTE:
            return None
        return {
            "for": data["votes_for"],
            "against": data["votes_against"],
            "abstain": data["abstentions"],
        }


# ---------------------------------------------------------------- member status


def status_targets(status: str) -> list[tuple[str, Any]]:
    allowed = STATUS_TRANSITIONS.get(status, frozenset())
    return [(str(s), s.label) for s in MemberStatus if s in allowed]


class StatusChangeForm(forms.Form):
    to = step_field(
        _("New status"),
        MemberStatus.values,
        _("Only the statuses the member can reach from its current one are listed."),
    )
    on = date_field(_("On"))
    reason = TextField(label=_("Reason"), rows=4, help_text=_("Shown publicly with the change."))
    resolution = resolution_field(
        help_text=_("Inactive, suspended and a return to active status need a resolution.")
    )
    letter = letter_field(
        _("Letter"),
        _("A withdrawal needs the government's letter or the Support Unit's letter noting it."),
    )
    review = ReviewChoiceField(
        label=_("Procedural review"),
        required=False,
        queryset=ProceduralReview.objects.none(),
        empty_label=_("No review"),
    )
    case = case_field()

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_steps(self.fields["to"], status_targets(member.status))
        limit(self, "resolution", for_member(live(Resolution), member).order_by("-adopted_on"))
        limit(self, "letter", for_member(live(Letter), member))
        limit(self, "review", live(ProceduralReview).filter(member=member).order_by("-opened_on"))
        limit(self, "case", live(ConcernCase).filter(member=member).order_by("-received_on"))


# ---------------------------------------------------------------- SC meetings


class ScMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.ChoiceField(
        label=_("Meeting of"),
        choices=[(b, Body(b).label) for b in RESOLVING_BODIES],
        initial=Body.SC,
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=MeetingLevel.choices, initial=MeetingLevel.WORKING
    )
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(
        _("Ends on"), required=False, help_text=_("Leave blank for a one-day meeting.")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=MeetingMode.choices, initial=MeetingMode.IN_PERSON
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=text_area(),
        help_text=_("One agenda item per line, in order."),
    )
    summary = TextField(label=_("Summary"), required=False, rows=4)
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the meeting's permanent address. Leave blank to make one from the body "
            "and the date."
        )
    )

    def clean_agenda(self) -> list[str]:
        return agenda_lines(self.cleaned_data.get("agenda"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_dates(self, "starts_on", "ends_on", _("A meeting cannot end before it starts."))
        return data


def agenda_lines(text: str | None) -> list[str]:
    """The agenda's items, one per non-blank line; each fits an agenda item's title."""
    items = lines(text)
    longest = ScAgendaItem._meta.get_field("title").max_length or 400
    errors = [
        forms.ValidationError(
            _("Item %(n)s is longer than %(limit)s characters."),
            params={"n": n, "limit": longest},
            code="max_length",
        )
        for n, item in enumerate(items, start=1)
        if len(item) > longest
    ]
    if errors:
        raise forms.ValidationError(errors)
    return items


class ScAgendaForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=text_area(10),
        help_text=_("One agenda item per line, in order. Leave empty to clear the agenda."),
    )

    def clean_agenda(self) -> list[str]:
        return agenda_lines(self.cleaned_data.get("agenda"))


class ScMinutesForm(forms.Form):
    published_on = date_field(_("Published on"))
    url = url_field(_("Address of the minutes"))
    text = TextField(
        label=_("Text of the minutes"),
        required=False,
        rows=12,
        help_text=_("Give the text, the address where the minutes are published, or both."),
    )


class BackgroundDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    url = url_field(_("Address"))
    published_on = date_field(
        _("Published on"),
        help_text=_("The meeting's page shows whether it was published in advance."),
    )


# ---------------------------------------------------------------- seats and co-chairs


class ScSeatForm(forms.Form):
    constituency = forms.ChoiceField(
        label=_("Constituency"), choices=Constituency.choices, widget=forms.RadioSelect
    )
    member = member_field(_("Member government"), required=False)
    person = person_field(
        _("Representative"),
        required=False,
        help_text=_(
            "A government seat is held by a member government; a civil-society seat by a "
            "person, with the organisation they come from."
        ),
    )
    organization = OrganizationChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=live(Organization).order_by("name"),
        empty_label=_("None"),
    )
    term_start = date_field(
        _("Term starts on"),
        help_text=_("A term starts on the day the rule in force says (1 October)."),
    )
    selection = forms.ChoiceField(label=_("Selected by"), choices=SelectionMethod.choices)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the seat's permanent address. Leave blank to make one from the holder "
            "and the year the term starts."
        )
    )


class EndScSeatForm(forms.Form):
    on = date_field(_("Left on"))
    reason = forms.ChoiceField(
        label=_("Reason"), choices=blank_choice(_("Choose a reason"), SeatEnd.choices)
    )


class SubcommitteeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        help_text=_("The short name the committee uses, such as GL, C&S or TLS."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    remit = TextField(label=_("Remit"), rows=4, required=False)
    established_on = date_field(_("Established on"), required=False)
    source_url = url_field(_("Source"))
    key = key_field(
        _("Part of the subcommittee's permanent address. Leave blank to make one from the code.")
    )


class SubcommitteeMembersForm(forms.Form):
    on = date_field(
        _("From"),
        help_text=_("The current members' memberships end the day before."),
    )
    seats = forms.ModelMultipleChoiceField(
        label=_("Members"),
        required=False,
        queryset=live(ScSeat).select_related("member", "person").order_by("-term_start"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "An equal number from each constituency, each holding a seat on that day. Choose "
            "none to end every current membership."
        ),
    )
    co_chairs = forms.ModelMultipleChoiceField(
        label=_("Co-chairs of the subcommittee"),
        required=False,
        queryset=live(ScSeat).select_related("member", "person").order_by("-term_start"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Among the members chosen above."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("seats", "co_chairs"):
            self.fields[name].label_from_instance = seat_label  # type: ignore[attr-defined]


class CoChairForm(forms.Form):
    seat = ScSeatChoiceField(
        label=_("Seat"),
        queryset=live(ScSeat).select_related("member", "person").order_by("-term_start"),
        empty_label=_("Choose a seat"),
        help_text=_("A co-chair holds a Steering Committee seat for the whole year."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=CoChairRole.choices)
    starts_on = date_field(
        _("Starts on"), help_text=_("A co-chair year runs from 1 October to 30 September.")
    )
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the co-chair's permanent address. Leave blank to make one from the "
            "holder, the role and the year."
        )
    )


# ---------------------------------------------------------------- envoy missions


class MissionForm(forms.Form):
    member = member_field(_("Member visited"))
    title = forms.CharField(label=_("Title"), max_length=300)
    mandate = TextField(label=_("Mandate"), rows=5)
    envoys = people_field(_("Envoys"), required=True)
    staff = people_field(_("Support Unit staff"), required=False)
    resolution = resolution_field(_("Mandated by"))
    case = case_field()
    starts_on = date_field(_("Visit starts on"), required=False)
    ends_on = date_field(_("Visit ends on"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the mission's permanent address. Leave blank to make one from the member "
            "and the date of the visit."
        )
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_dates(self, "starts_on", "ends_on", _("A visit cannot end before it starts."))
        member, case = data.get("member"), data.get("case")
        if member is not None and case is not None and case.member_id != member.pk:
            self.add_error("case", _("This case concerns another member."))
        return data


class MissionReportForm(forms.Form):
    reported_on = date_field(_("Reported on"))
    report = TextField(label=_("Report"), required=False, rows=10)
    report_url = url_field(_("Address of the report"))


# ---------------------------------------------------------------- procedural review


class ContraryFindingForm(forms.Form):
    plan = PlanChoiceField(
        label=_("Action plan cycle"),
        queryset=live(ActionPlan).select_related("member").order_by("member__name", "number"),
        empty_label=_("Choose a plan"),
    )
    trigger = forms.ChoiceField(
        label=_("Trigger"), choices=blank_choice(_("Choose a trigger"), ContraryTrigger.choices)
    )
    source = forms.ChoiceField(label=_("Found through"), choices=FindingSource.choices)
    found_on = date_field(_("Found on"))
    explanation = TextField(label=_("Explanation"), rows=5)
    irm_report = IrmReportChoiceField(
        label=_("IRM report"),
        required=False,
        queryset=live(IrmReport).order_by("-published_on", "title"),
        empty_label=_("None"),
        help_text=_("When the IRM found it: the report, which must be about the same plan."),
    )
    letter = letter_field(_("Notification letter"))
    key = key_field(
        _(
            "Part of the finding's permanent address. Leave blank to make one from the plan "
            "and the trigger."
        )
    )


def review_targets(state: str) -> list[tuple[str, Any]]:
    allowed = REVIEW_TRANSITIONS.get(state, frozenset())
    return [(str(s), s.label) for s in ReviewState if s in allowed]


class AdvanceReviewForm(forms.Form):
    to = step_field(
        _("Next state"),
        ReviewState.values,
        _("Only the steps allowed from the current state are listed."),
    )
    on = date_field(_("Date"))
    by = body_field()
    document = forms.CharField(label=_("Document"), max_length=200, required=False)
    note = TextField(
        label=_("Public note"),
        required=False,
        rows=3,
        help_text=_("Shown publicly with the step; closing the review makes it the outcome."),
    )
    resolution = resolution_field(
        help_text=_("Only a Steering Committee resolution makes a member under review inactive.")
    )

    def __init__(self, *args: Any, review: ProceduralReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_steps(self.fields["to"], review_targets(review.state))
        limit(
            self,
            "resolution",
            for_member(live(Resolution), review.member).order_by("-adopted_on"),
        )


# ---------------------------------------------------------------- any record


class VersionForm(forms.Form):
    """Base of the per-type "new version" forms: the record's editable fields and a reason.
    Selects of other records list the live ones, and the current choice even if it has
    been retracted since, so the form sent back unchanged stays valid."""

    record: PublicRecord

    def __init__(self, *args: Any, record: PublicRecord, **kwargs: Any) -> None:
        names = EDITABLE_FIELDS[type(record)]
        kwargs.setdefault("initial", model_to_dict(record, fields=names))
        super().__init__(*args, **kwargs)
        self.record = record
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                current = getattr(record, f"{name}_id", None)
                field.queryset = field.queryset.filter(Q(retracted_at__isnull=True) | Q(pk=current))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS[type(self.record)]}


def new_version_form_class(record: PublicRecord) -> type[VersionForm]:
    """A form with the editable fields of ``record`` and a required reason."""
    model = type(record)
    fields = fields_for_model(
        model, fields=EDITABLE_FIELDS[model], formfield_callback=_version_formfield
    )
    reason = forms.CharField(
        label=_("Reason for the new version"),
        widget=text_area(3),
        help_text=_("Shown publicly in the record's history."),
    )
    return type(f"{model.__name__}VersionForm", (VersionForm,), {**fields, "reason": reason})
