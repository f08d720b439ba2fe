"""Forms of the staff editing pages of action plans (see docs/subsystems/editing.md).

The forms only read and shape input; every write goes through ``plans.services``.
The building blocks (date inputs, keys, language codes, organisation selects, service
errors onto fields) are the forums' (``forums.edit_forms``); what is new here are the
fields that turn text into the JSON lists of plans records and back:

- ``LinesField``: one item per line ↔ a list of strings (themes);
- ``EvidenceField``: lines ``label | URL`` ↔ ``[{"label": …, "url": …}]``;
- ``RequirementsField``: lines ``MR1.1 | met`` ↔ ``{"MR1.1": "met"}``;
- ``OgpValuesField``: one checkbox per OGP value ↔ a list of values;
- ``yes_no_unknown``: three radio buttons ↔ ``True`` / ``False`` / ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tripartite.core.models import PublicRecord
from tripartite.forums.edit_forms import (
    OrganizationChoiceField,
    OrganizationMultipleChoiceField,
    _model_formfield,
    blank_choice,
    date_field,
    key_field,
    language_field,
    live,
    text_area,
    url_field,
)
from tripartite.forums.models import Forum, Member, Organization

from .choices import (
    Completion,
    DidItOpenGovernment,
    Methodology,
    MinimumRequirement,
    OgpValue,
    Party,
    PlanLength,
    PlanState,
    PotentialForResults,
    PotentialImpact,
    PublicInfluence,
    ReportState,
    ReportType,
    Specificity,
)
from .models import (
    PRE_2020_FIELDS,
    REFRESH_2020_FIELDS,
    ActionPlan,
    Assessment,
    Commitment,
    IrmReport,
    Milestone,
)
from .rules import TRANSITIONS
from .services import EDITABLE_FIELDS

THEME_MAX_LENGTH = 200
REQUIREMENT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")


# ---------------------------------------------------------------- text ↔ JSON lists


def numbered_lines(text: str | None) -> list[tuple[int, str]]:
    """The non-blank lines of ``text``, stripped, with their line numbers (from 1), so an
    error can name the line as the editor sees it."""
    return [
        (number, line.strip())
        for number, line in enumerate((text or "").splitlines(), start=1)
        if line.strip()
    ]


def _split_pair(line: str) -> tuple[str, str] | None:
    """``left | right`` → (left, right), split at the last bar; None without a bar."""
    if "|" not in line:
        return None
    left, right = line.rsplit("|", 1)
    return left.strip(), right.strip()


class TextListField(forms.Field):
    """A text area whose lines become a Python value (a list or a dict) and back.

    Subclasses implement ``parse`` (text → value, raising ``ValidationError`` with one
    message per bad line) and ``format`` (value → text).
    """

    empty: Any = list

    def __init__(self, *, rows: int = 4, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", text_area(rows))
        super().__init__(**kwargs)

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def format(self, value: Any) -> str:
        raise NotImplementedError

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple | dict):
            return self.format(value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list | tuple | dict):  # initial data, already a value
            return value
        if value in self.empty_values:
            return self.empty()
        return self.parse(str(value))


class LinesField(TextListField):
    """One item per line ↔ a list of strings. Blank lines and repeated items are dropped."""

    def __init__(self, *, max_item_length: int = THEME_MAX_LENGTH, **kwargs: Any) -> None:
        self.max_item_length = max_item_length
        super().__init__(**kwargs)

    def parse(self, text: str) -> list[str]:
        items: list[str] = []
        errors: list[ValidationError] = []
        for number, line in numbered_lines(text):
            if len(line) > self.max_item_length:
                errors.append(
                    ValidationError(
                        _("Line %(n)s is longer than %(limit)s characters."),
                        code="max_length",
                        params={"n": number, "limit": self.max_item_length},
                    )
                )
            elif line not in items:
                items.append(line)
        if errors:
            raise ValidationError(errors)
        return items

    def format(self, value: Any) -> str:
        return "\n".join(str(item) for item in value)


class EvidenceField(TextListField):
    """Lines ``label | URL`` ↔ ``[{"label": …, "url": …}]``; a line with only a URL has
    no label. A URL without its scheme is taken as https, like other URL fields."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Evidence"))
        kwargs.setdefault(
            "help_text",
            _(
                "One link per line: a label, a vertical bar and the web address, for "
                "example “Data portal | https://example.org/data”."
            ),
        )
        super().__init__(**kwargs)

    def parse(self, text: str) -> list[dict[str, str]]:
        url_field_ = forms.URLField(assume_scheme="https")
        items: list[dict[str, str]] = []
        errors: list[ValidationError] = []
        for number, line in numbered_lines(text):
            label, url = _split_pair(line) or ("", line)
            if not url:
                errors.append(
                    ValidationError(
                        _("Line %(n)s: give the web address after the vertical bar."),
                        code="missing_url",
                        params={"n": number},
                    )
                )
                continue
            try:
                url = url_field_.clean(url)
            except ValidationError:
                errors.append(
                    ValidationError(
                        _("Line %(n)s: “%(url)s” is not a valid web address."),
                        code="invalid_url",
                        params={"n": number, "url": url},
                    )
                )
                continue
            items.append({"label": label, "url": url})
        if errors:
            raise ValidationError(errors)
        return items

    def format(self, value: Any) -> str:
        rows = []
        for item in value:
            label = str(item.get("label", "")) if isinstance(item, Mapping) else ""
            url = str(item.get("url", "")) if isinstance(item, Mapping) else str(item)
            rows.append(f"{label} | {url}" if label else url)
        return "\n".join(rows)


def _token(text: Any) -> str:
    return re.sub(r"[\s_\-]+", "_", str(text).strip().lower())


class RequirementsField(TextListField):
    """Lines ``MR1.1 | met`` ↔ ``{"MR1.1": "met"}``. A finding is written as its value
    (``not_met``) or its label in the page's language (``Not met``)."""

    empty = dict

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Minimum requirements"))
        kwargs.setdefault(
            "help_text",
            _(
                "One requirement per line: its code, a vertical bar and the finding (met, "
                "not met or not applicable), for example “MR1.1 | met”."
            ),
        )
        super().__init__(**kwargs)

    @staticmethod
    def finding(text: str) -> str | None:
        token = _token(text)
        for value, label in MinimumRequirement.choices:
            if token in (value, _token(label)):
                return str(value)
        return None

    def parse(self, text: str) -> dict[str, str]:
        found: dict[str, str] = {}
        errors: list[ValidationError] = []
        for number, line in numbered_lines(text):
            pair = _split_pair(line)
            if pair is None or not pair[0] or not pair[1]:
                errors.append(
                    ValidationError(
                        _(
                            "Line %(n)s: write the requirement, a vertical bar and its "
                            "finding, for example “MR1.1 | met”."
                        ),
                        code="format",
                        params={"n": number},
                    )
                )
                continue
            code, written = pair
            finding = self.finding(written)
            if not REQUIREMENT_CODE.match(code):
                errors.append(
                    ValidationError(
                        _("Line %(n)s: “%(code)s” is not a requirement code such as MR1.1."),
                        code="code",
                        params={"n": number, "code": code},
                    )
                )
            elif finding is None:
                errors.append(
                    ValidationError(
                        _("Line %(n)s: “%(finding)s” is not a finding; write %(findings)s."),
                        code="finding",
                        params={
                            "n": number,
                            "finding": written,
                            "findings": ", ".join(
                                str(label).lower() for label in MinimumRequirement.labels
                            ),
                        },
                    )
                )
            elif code in found:
                errors.append(
                    ValidationError(
                        _("Line %(n)s: %(code)s is already listed."),
                        code="duplicate",
                        params={"n": number, "code": code},
                    )
                )
            else:
                found[code] = finding
        if errors:
            raise ValidationError(errors)
        return found

    def format(self, value: Any) -> str:
        if not isinstance(value, Mapping):
            return ""
        return "\n".join(f"{code} | {finding}" for code, finding in value.items())


class OgpValuesField(forms.MultipleChoiceField):
    """One checkbox per OGP value; the values come back in the order of the value set."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("OGP values"))
        kwargs.setdefault("required", False)
        super().__init__(choices=OgpValue.choices, widget=forms.CheckboxSelectMultiple, **kwargs)

    def clean(self, value: Any) -> list[str]:
        chosen = set(super().clean(value))
        return [str(v) for v in OgpValue.values if v in chosen]


class YesNoUnknown(forms.RadioSelect):
    """Three radio buttons for a yes / no / unknown answer (``NullBooleanSelect`` as radios)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs, choices=(("true", _("Yes")), ("false", _("No")), ("unknown", _("Unknown")))
        )

    def format_value(self, value: Any) -> list[str]:
        return [forms.NullBooleanSelect().format_value(value)]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        value = forms.NullBooleanSelect().value_from_datadict(data, files, name)
        return value if isinstance(value, bool) else None


def yes_no_unknown(label: Any, help_text: Any = "") -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=label, required=False, widget=YesNoUnknown(), help_text=help_text
    )


def optional_choice(
    label: Any, choices: Iterable[tuple[Any, Any]], empty_label: Any, help_text: Any = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=blank_choice(empty_label, choices),
        help_text=help_text,
    )


class TextField(forms.CharField):
    """Text from a text area, with the browser's CRLF line ends turned into LF, so the
    same text sent again is the same text (and a new version sees no change)."""

    def __init__(self, *, rows: int = 6, **kwargs: Any) -> None:
        kwargs.setdefault("widget", text_area(rows))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def organization_field(label: Any, **kwargs: Any) -> OrganizationChoiceField:
    return OrganizationChoiceField(
        label=label,
        required=False,
        queryset=live(Organization).order_by("name"),
        empty_label=_("None"),
        **kwargs,
    )


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.key} — {obj.short_title or obj.title}"


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("Milestone %(number)s: %(deliverable)s")
            % {"number": obj.number, "deliverable": obj.deliverable[:120]}
        )


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("Plan %(number)s: %(title)s (%(start)s-%(end)s)")
            % {
                "number": obj.number,
                "title": obj.title,
                "start": obj.start_on.year,
                "end": obj.end_on.year,
            }
        )


class NamedForumChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def limit(form: forms.Form, name: str, queryset: models.QuerySet[Any]) -> None:
    """Restrict the choices of the model select ``name`` to ``queryset``."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _check_dates(
    form: forms.Form, start: str, end: str, message: Any, *, strictly_after: bool = False
) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and (last <= first if strictly_after else last < first):
        form.add_error(end, message)


# ---------------------------------------------------------------- member page: a new plan


class PlanForm(forms.Form):
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=32767,
        help_text=_("The plan's number among the member's action plans (the 4th plan is 4)."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    original_title = forms.CharField(
        label=_("Title in the original language"), max_length=300, required=False
    )
    language = language_field()
    description = TextField(label=_("Description"), required=False, rows=4)
    length = forms.TypedChoiceField(
        label=_("Length"),
        choices=PlanLength.choices,
        coerce=int,
        initial=PlanLength.TWO_YEARS,
        help_text=_("The lengths allowed depend on the rules in force on the start date."),
    )
    start_on = date_field(_("Starts on"))
    end_on = date_field(_("Ends on"))
    co_creation_opens_on = date_field(
        _("Co-creation opens on"),
        required=False,
        help_text=_("When the public may start to submit input."),
    )
    co_creation_closes_on = date_field(_("Co-creation closes on"), required=False)
    forum = NamedForumChoiceField(
        label=_("Forum"),
        required=False,
        queryset=Forum.objects.none(),
        empty_label=_("No forum"),
        help_text=_("The member's multi-stakeholder forum that oversees the plan."),
    )
    previous = PlanChoiceField(
        label=_("Previous plan"),
        required=False,
        queryset=ActionPlan.objects.none(),
        empty_label=_("No earlier plan"),
        help_text=_("The member's plan before this one; the due date may depend on its end."),
    )
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the plan's permanent address. Leave blank to make one from the member "
            "and the number."
        )
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "forum", live(Forum).filter(member=member).order_by("established_on", "name"))
        limit(self, "previous", live(ActionPlan).filter(member=member).order_by("number"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_dates(
            self, "start_on", "end_on", _("A plan must end after it starts."), strictly_after=True
        )
        _check_dates(
            self,
            "co_creation_opens_on",
            "co_creation_closes_on",
            _("Co-creation cannot close before it opens."),
        )
        return data


# ---------------------------------------------------------------- plan page


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("New state"),
        choices=(),
        help_text=_("Only the states the plan can reach from its current state are listed."),
    )
    on = date_field(_("Date"))
    note = TextField(
        label=_("Note"),
        required=False,
        rows=3,
        help_text=_("Shown publicly with the step, for example where the plan was published."),
    )

    def __init__(self, *args: Any, targets: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = blank_choice(  # type: ignore[attr-defined]
            _("Choose a state"), [(t, PlanState(t).label) for t in targets]
        )


def reachable_states(state: str) -> list[str]:
    """The states a plan in ``state`` may move to, in the order of state machine B."""
    return [str(target) for target in PlanState if state in TRANSITIONS.get(target, ())]


class CommitmentForm(forms.Form):
    key = forms.SlugField(
        label=_("OGP id"),
        max_length=120,
        help_text=_(
            "The commitment's id at OGP, such as MX0064; it is the commitment's permanent address."
        ),
    )
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=32767,
        required=False,
        help_text=_("Its number in the plan. Leave blank for the next number."),
    )
    title = forms.CharField(label=_("Title"), max_length=400)
    short_title = forms.CharField(label=_("Short title"), max_length=120, required=False)
    problem = TextField(label=_("Problem"), required=False, rows=4)
    objective = TextField(label=_("Objective"), required=False, rows=4)
    description = TextField(label=_("Description"), required=False, rows=6)
    lead_institution = organization_field(_("Lead institution"))
    supporting_institutions = OrganizationMultipleChoiceField(
        label=_("Supporting institutions"),
        required=False,
        queryset=live(Organization).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Select several with Ctrl (or Cmd) and a click, or Shift for a range."),
    )
    themes = LinesField(
        label=_("Themes"), help_text=_("One theme per line, for example “Access to water”.")
    )
    ogp_values = OgpValuesField(help_text=_("Tick every OGP value the commitment is relevant to."))
    start_on = date_field(_("Starts on"), required=False)
    end_on = date_field(_("Ends on"), required=False)
    source_url = url_field(_("Source"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_dates(self, "start_on", "end_on", _("A commitment cannot end before it starts."))
        return data


class IrmReportForm(forms.Form):
    report_type = forms.ChoiceField(
        label=_("Report"), choices=blank_choice(_("Choose a report"), ReportType.choices)
    )
    methodology = forms.ChoiceField(
        label=_("Methodology"),
        choices=Methodology.choices,
        help_text=_("The indicators of its assessments depend on it."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    researcher = forms.CharField(label=_("Researcher"), max_length=200, required=False)
    state = forms.ChoiceField(label=_("State"), choices=ReportState.choices, initial="final")
    published_on = date_field(_("Published on"), required=False)
    forum_exists = yes_no_unknown(_("A multi-stakeholder forum exists"))
    public_influence = optional_choice(
        _("Level of public influence"),
        PublicInfluence.choices,
        _("Not assessed"),
        help_text=_("On the IAP2 spectrum, as the IRM found it for co-creation."),
    )
    acted_contrary_to_process = yes_no_unknown(_("Acted contrary to OGP process"))
    contrary_reasons = TextField(
        label=_("Why contrary to process"),
        required=False,
        rows=3,
        help_text=_("Only when the member acted contrary to process."),
    )
    minimum_requirements = RequirementsField()
    summary = TextField(label=_("Summary"), required=False, rows=6)
    source_url = url_field(_("Source"))
    key = key_field(
        _(
            "Part of the report's permanent address. Leave blank to make one from the plan "
            "and the report."
        )
    )


# ---------------------------------------------------------------- commitment page


class MilestoneForm(forms.Form):
    deliverable = TextField(label=_("Deliverable"), rows=3)
    responsible = organization_field(_("Responsible organisation"))
    start_on = date_field(_("Starts on"), required=False)
    end_on = date_field(_("Ends on"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Completion.choices, initial=Completion.NOT_STARTED
    )
    evidence = EvidenceField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_dates(self, "start_on", "end_on", _("A milestone cannot end before it starts."))
        return data


class ProgressForm(forms.Form):
    party = forms.ChoiceField(
        label=_("Party"),
        choices=blank_choice(_("Choose a party"), Party.choices),
        help_text=_("Whose view this is. Each party's reports stand beside the others'."),
    )
    milestone = MilestoneChoiceField(
        label=_("Milestone"),
        required=False,
        queryset=Milestone.objects.none(),
        empty_label=_("The whole commitment"),
    )
    author = organization_field(
        _("Reported by"), help_text=_("The organisation that wrote the report, if known.")
    )
    reported_on = date_field(_("Reported on"))
    completion = forms.ChoiceField(
        label=_("Completion"), choices=blank_choice(_("Choose a level"), Completion.choices)
    )
    text = TextField(label=_("Report"), rows=8)
    language = language_field()
    evidence = EvidenceField()

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "milestone", live(Milestone).filter(commitment=commitment).order_by("number"))


# ---------------------------------------------------------------- IRM report page


class AssessmentForm(forms.Form):
    """The IRM's coding of one commitment; subclasses add their methodology's indicators."""

    METHODOLOGY: str = ""
    INDICATORS: tuple[str, ...] = ()

    commitment = CommitmentChoiceField(
        label=_("Commitment"),
        queryset=Commitment.objects.none(),
        empty_label=_("Choose a commitment"),
        help_text=_("Commitments this report already assesses are not listed."),
    )
    completion = optional_choice(_("Completion"), Completion.choices, _("Not assessed"))
    note = TextField(label=_("Note"), required=False, rows=4)

    def __init__(self, *args: Any, report: IrmReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(
            self,
            "commitment",
            live(Commitment)
            .filter(plan_id=report.plan_id)
            .exclude(assessments__report=report)
            .order_by("number"),
        )

    def has_commitments(self) -> bool:
        field = self.fields["commitment"]
        assert isinstance(field, forms.ModelChoiceField)
        return field.queryset is not None and field.queryset.exists()

    def commitment_fields(self) -> list[forms.BoundField]:
        return [self["commitment"], self["completion"]]

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.INDICATORS]

    def indicators(self) -> dict[str, Any]:
        """What ``record_assessment`` takes: the completion, the note and the indicators."""
        names = ("completion", *self.INDICATORS, "note")
        return {name: self.cleaned_data[name] for name in names}


class Pre2020AssessmentForm(AssessmentForm):
    METHODOLOGY = Methodology.PRE_2020
    INDICATORS = PRE_2020_FIELDS

    specificity = optional_choice(_("Specificity"), Specificity.choices, _("Not assessed"))
    relevance = OgpValuesField(
        label=_("Relevance to OGP values"),
        help_text=_("Tick every OGP value the IRM found the commitment relevant to."),
    )
    potential_impact = optional_choice(
        _("Potential impact"), PotentialImpact.choices, _("Not assessed")
    )
    on_time = yes_no_unknown(_("On time"))
    did_it_open_government = optional_choice(
        _("Did it open government?"), DidItOpenGovernment.choices, _("Not assessed")
    )
    starred = yes_no_unknown(
        _("Starred (the IRM's verdict)"),
        help_text=_("As the IRM published it; the page shows beside it what the rules derive."),
    )

    field_order = ["commitment", "completion", *PRE_2020_FIELDS, "note"]


class Refresh2020AssessmentForm(AssessmentForm):
    METHODOLOGY = Methodology.REFRESH_2020
    INDICATORS = REFRESH_2020_FIELDS

    verifiable = yes_no_unknown(_("Verifiable"))
    open_gov_lens = yes_no_unknown(_("Open government lens"))
    potential_for_results = optional_choice(
        _("Potential for results"), PotentialForResults.choices, _("Not assessed")
    )
    promising = yes_no_unknown(_("Promising (the IRM's verdict)"))
    early_results = forms.CharField(
        label=_("Early results"),
        max_length=120,
        required=False,
        help_text=_("As the IRM wrote it."),
    )

    field_order = ["commitment", "completion", *REFRESH_2020_FIELDS, "note"]


ASSESSMENT_FORMS: dict[str, type[AssessmentForm]] = {
    Methodology.PRE_2020: Pre2020AssessmentForm,
    Methodology.REFRESH_2020: Refresh2020AssessmentForm,
}


# ---------------------------------------------------------------- any plans record


def editable_fields(record: PublicRecord) -> tuple[str, ...]:
    """The fields a new version of ``record`` may change (``services.EDITABLE_FIELDS``);
    an assessment shows only the indicators of its report's methodology."""
    names = EDITABLE_FIELDS[type(record)]
    if isinstance(record, Assessment):
        other = (
            REFRESH_2020_FIELDS
            if record.report.methodology == Methodology.PRE_2020
            else PRE_2020_FIELDS
        )
        names = tuple(name for name in names if name not in other)
    return names


# Fields of plans records that need more than the model's own form field.
SPECIAL_FIELDS: dict[str, Any] = {
    "themes": lambda label: LinesField(label=label, help_text=_("One theme per line.")),
    "ogp_values": lambda label: OgpValuesField(label=label),
    "relevance": lambda label: OgpValuesField(label=label),
    "evidence": lambda label: EvidenceField(label=label),
    "minimum_requirements": lambda label: RequirementsField(label=label),
    "language": lambda label: language_field(),
}


def _version_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    label = capfirst(str(field.verbose_name))
    if field.name in SPECIAL_FIELDS:
        special: forms.Field = SPECIAL_FIELDS[field.name](label)
        return special
    if isinstance(field, models.BooleanField) and field.null:
        return yes_no_unknown(label)
    if isinstance(field, models.ForeignKey) and field.related_model is Organization:
        return OrganizationChoiceField(
            label=label,
            required=not field.blank,
            queryset=Organization.objects.order_by("name"),
            empty_label=_("None"),
        )
    if isinstance(field, models.TextField):
        return TextField(label=label, required=not field.blank, rows=6)
    formfield = _model_formfield(field, **kwargs)
    if (
        isinstance(formfield, forms.ChoiceField)
        and not isinstance(formfield, forms.ModelChoiceField)
        and not formfield.required
    ):
        choices = list(formfield.choices)  # type: ignore[arg-type]
        if choices and choices[0][0] in ("", None):
            formfield.choices = blank_choice(_("Not recorded"), choices[1:])
    return formfield


class VersionForm(forms.Form):
    """Base of the per-type "new version" forms: the record's editable fields and a reason.

    Selects of other records list the live ones, and the current choice even if it has
    been retracted since, so the form sent back unchanged stays valid.
    """

    record: PublicRecord

    def __init__(self, *args: Any, record: PublicRecord, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(record, fields=editable_fields(record)))
        super().__init__(*args, **kwargs)
        self.record = record
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            current = getattr(record, f"{name}_id", None)
            keep = Q(retracted_at__isnull=True) | Q(pk=current)
            if isinstance(record, ActionPlan) and name == "forum":
                keep = (Q(retracted_at__isnull=True) & Q(member_id=record.member_id)) | Q(
                    pk=current
                )
            field.queryset = field.queryset.filter(keep)

    def changes(self) -> dict[str, Any]:
        """The editable fields as submitted. A set of values in another order is no change
        (the service refuses a version that changes nothing)."""
        changes = {name: self.cleaned_data[name] for name in editable_fields(self.record)}
        for name, value in changes.items():
            current = getattr(self.record, name)
            if (
                isinstance(self.fields[name], OgpValuesField)
                and isinstance(current, list)
                and set(current) == set(value)
            ):
                changes[name] = current
        return changes


def new_version_form_class(record: PublicRecord) -> type[VersionForm]:
    """A form with the editable fields of ``record`` and a required reason."""
    model = type(record)
    fields = fields_for_model(
        model, fields=editable_fields(record), formfield_callback=_version_formfield
    )
    reason = forms.CharField(
        label=_("Reason for the new version"),
        widget=text_area(3),
        help_text=_("Shown publicly in the record's history."),
    )
    return type(f"{model.__name__}VersionForm", (VersionForm,), {**fields, "reason": reason})
