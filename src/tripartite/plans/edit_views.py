"""Staff editing pages of action plans: server-rendered forms that work without JavaScript.

Each page shows its form on GET and, on POST, calls one function of ``plans.services``
(which checks the permission, validates and versions the record in one transaction).
The loop is the forums' (``forums.edit_views.handle``): a ``ServiceError`` re-renders
the form with the error's status, its message in the alert summary and its field errors
on the fields; success redirects (303) to the record's page with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import PublicRecord
from tripartite.forums.edit_forms import unique_key
from tripartite.forums.edit_views import (
    EditPage,
    Outcome,
    handle,
    posted,
    record_of,
    retract_view,
    retracted_notice,
    staff_only,
)
from tripartite.forums.models import Member

from . import edit_forms as f
from . import services
from .choices import Methodology, PlanState, ReportType
from .models import (
    ActionPlan,
    Assessment,
    Commitment,
    IrmReport,
    Milestone,
    ProgressReport,
    ReasonedResponse,
)

FORM_TEMPLATE = "plans/edit/form.html"

# The record types that have "publish a new version" and "retract" pages: every plans
# record with editable fields (co-creation input is moderated instead).
EDITABLE_MODELS: dict[str, type[PublicRecord]] = {
    model.RECORD_TYPE: model for model in services.EDITABLE_FIELDS
}

ENDED_STATES = (PlanState.ENDED, PlanState.RESULTS_ASSESSED)


# ---------------------------------------------------------------- shared pieces


def label_of(record: PublicRecord) -> str:
    """How the pages name a plans record (titles, the way back)."""
    if isinstance(record, Commitment):
        return f"{record.key} — {record.short_title or record.title}"
    if isinstance(record, Milestone):
        return _("Milestone %(number)s of %(commitment)s") % {
            "number": record.number,
            "commitment": record.commitment.key,
        }
    if isinstance(record, ProgressReport):
        return _("%(commitment)s: progress report of %(date)s, %(party)s") % {
            "party": record.get_party_display(),
            "date": record.reported_on.isoformat(),
            "commitment": record.commitment.key,
        }
    if isinstance(record, Assessment):
        return _("Assessment of %(commitment)s in “%(report)s”") % {
            "commitment": record.commitment.key,
            "report": record.report.title,
        }
    if isinstance(record, ReasonedResponse):
        return _("Reasoned response %(key)s") % {"key": record.key}
    if isinstance(record, Member):
        return record.name
    return str(getattr(record, "title", record.public_id))


def back_to(record: PublicRecord) -> tuple[str, str]:
    return record.get_absolute_url(), label_of(record)


def page(title: str, back: PublicRecord, submit: str, **options: Any) -> EditPage:
    options.setdefault("template", FORM_TEMPLATE)
    return EditPage(title=title, back=back_to(back), submit=submit, **options)


def _closed_notice(*records: PublicRecord | None) -> str:
    """Why nothing new can be added under ``records``, or "" when it can."""
    for record in records:
        if record is not None and record.is_retracted:
            return _("%(id)s has been retracted: nothing new can be added to it.") % {
                "id": record.public_id
            }
    return ""


def _refuse_when(notice: str) -> None:
    """A POST to a page that shows a notice instead of its form is refused (409)."""
    if notice:
        raise Conflict(notice)


def _from_query(request: HttpRequest, queryset: Any, name: str) -> Any:
    """The live record of ``queryset`` named by ``?<name>=<key>`` (pre-fills a form)."""
    key = request.GET.get(name, "")
    if not key:
        return None
    return queryset.filter(key=key, retracted_at__isnull=True).first()


# ---------------------------------------------------------------- member page: a new plan


@staff_only
def create_plan(request: HttpRequest, key: str) -> HttpResponse:
    member = get_object_or_404(Member, key=key)
    notice = _closed_notice(member)
    latest = (
        ActionPlan.objects.filter(member=member, retracted_at__isnull=True)
        .select_related("forum")
        .order_by("-number")
        .first()
    )
    number = ActionPlan.objects.filter(member=member).aggregate(n=Max("number"))["n"] or 0
    form = f.PlanForm(
        posted(request),
        member=member,
        initial={
            "number": number + 1,
            "previous": latest,
            "forum": latest.forum if latest is not None else None,
            "language": latest.language if latest is not None else "en",
        },
    )

    def perform() -> Outcome:
        _refuse_when(notice)
        data = dict(form.cleaned_data)
        plan_key = data.pop("key") or unique_key(ActionPlan, member.key, data["number"])
        plan = services.create_plan(request.user, key=plan_key, member=member, **data)
        return plan.get_absolute_url(), _("The action plan “%(title)s” is on the record.") % {
            "title": plan.title
        }

    return handle(
        request,
        page(
            _("Create an action plan of %(member)s") % {"member": member.name},
            member,
            _("Create the plan"),
            notice=notice,
            intro=_(
                "The plan starts in planning. Its due date comes from the rules in force on "
                "its start date."
            ),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- plan page


def _plan(key: str) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("member"), key=key)


@staff_only
def transition_plan(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan(key)
    current = PlanState(plan.state).label
    targets = f.reachable_states(plan.state)
    notice = _closed_notice(plan) or (
        "" if targets else _("The plan is %(state)s: it has no further state.") % {"state": current}
    )
    form = f.TransitionForm(posted(request), targets=targets, initial={"on": timezone.localdate()})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = form.cleaned_data
        try:
            services.transition_plan(
                request.user, plan, to=data["to"], on=data["on"], note=data["note"]
            )
        except InvalidInput as error:
            # The one refusal without a field: a step dated before the current state began.
            if not error.field_errors:
                error.field_errors["on"] = [error.message]
            raise
        return plan.get_absolute_url(), _("The plan is now %(state)s.") % {
            "state": PlanState(plan.state).label
        }

    return handle(
        request,
        page(
            _("Change the state of %(plan)s") % {"plan": plan.title},
            plan,
            _("Change the state"),
            notice=notice,
            intro=(
                _(
                    "The plan is %(state)s since %(since)s. Each step is kept in the plan's "
                    "record; a step the rules forbid is refused with the rule's reason."
                )
                % {"state": current, "since": date_format(plan.state_since)}
                if plan.state_since
                else _(
                    "The plan is %(state)s. Each step is kept in the plan's record; a step "
                    "the rules forbid is refused with the rule's reason."
                )
                % {"state": current}
            ),
        ),
        form,
        perform,
    )


@staff_only
def add_commitment(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan(key)
    notice = _closed_notice(plan) or (
        _("The plan has ended; its commitments can no longer change.")
        if plan.state in ENDED_STATES
        else ""
    )
    form = f.CommitmentForm(posted(request))

    def perform() -> Outcome:
        _refuse_when(notice)
        data = dict(form.cleaned_data)
        commitment = services.add_commitment(
            request.user,
            key=data.pop("key"),
            plan=plan,
            supporting_institutions=list(data.pop("supporting_institutions")),
            **data,
        )
        return commitment.get_absolute_url(), _("Commitment %(key)s is on the record.") % {
            "key": commitment.key
        }

    return handle(
        request,
        page(
            _("Add a commitment to %(plan)s") % {"plan": plan.title},
            plan,
            _("Add the commitment"),
            notice=notice,
        ),
        form,
        perform,
    )


def _default_methodology(plan: ActionPlan) -> str:
    """The methodology of the plan's latest IRM report, or the one of its time."""
    latest = plan.irm_reports.order_by("-published_on", "-id").first()
    if latest is not None:
        return latest.methodology
    return Methodology.PRE_2020 if plan.start_on.year < 2020 else Methodology.REFRESH_2020


@staff_only
def publish_irm_report(request: HttpRequest, key: str) -> HttpResponse:
    plan = _plan(key)
    notice = _closed_notice(plan)
    form = f.IrmReportForm(posted(request), initial={"methodology": _default_methodology(plan)})

    def perform() -> Outcome:
        _refuse_when(notice)
        data = dict(form.cleaned_data)
        report_key = data.pop("key") or unique_key(
            IrmReport, plan.key, ReportType(data["report_type"]).value.replace("_", "-")
        )
        report = services.publish_irm_report(request.user, key=report_key, plan=plan, **data)
        return report.get_absolute_url(), _("The IRM report “%(title)s” is on the record.") % {
            "title": report.title
        }

    return handle(
        request,
        page(
            _("Publish an IRM report on %(plan)s") % {"plan": plan.title},
            plan,
            _("Publish the report"),
            notice=notice,
            intro=_(
                "The report's findings on the plan. Its assessments of each commitment are "
                "recorded next, from the report's page."
            ),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- commitment page


def _commitment(key: str) -> Commitment:
    return get_object_or_404(Commitment.objects.select_related("plan"), key=key)


@staff_only
def add_milestone(request: HttpRequest, key: str) -> HttpResponse:
    commitment = _commitment(key)
    notice = _closed_notice(commitment)
    form = f.MilestoneForm(posted(request))

    def perform() -> Outcome:
        _refuse_when(notice)
        milestone = services.add_milestone(request.user, commitment=commitment, **form.cleaned_data)
        return milestone.get_absolute_url(), _(
            "Milestone %(number)s of %(commitment)s is on the record."
        ) % {
            "number": milestone.number,
            "commitment": commitment.key,
        }

    return handle(
        request,
        page(
            _("Add a milestone to %(commitment)s") % {"commitment": label_of(commitment)},
            commitment,
            _("Add the milestone"),
            notice=notice,
        ),
        form,
        perform,
    )


@staff_only
def report_progress(request: HttpRequest, key: str) -> HttpResponse:
    commitment = _commitment(key)
    notice = _closed_notice(commitment)
    milestone = _from_query(request, commitment.milestones.all(), "milestone")
    form = f.ProgressForm(
        posted(request),
        commitment=commitment,
        initial={
            "milestone": milestone,
            "reported_on": timezone.localdate(),
            "language": commitment.plan.language,
        },
    )

    def perform() -> Outcome:
        _refuse_when(notice)
        report = services.report_progress(request.user, commitment=commitment, **form.cleaned_data)
        return report.get_absolute_url(), _("Progress report %(key)s is on the record.") % {
            "key": report.key
        }

    return handle(
        request,
        page(
            _("Report progress on %(commitment)s") % {"commitment": label_of(commitment)},
            milestone or commitment,
            _("Publish the report"),
            notice=notice,
            intro=_(
                "One party's dated view of the progress of the commitment or one of its "
                "milestones. It never replaces another party's report."
            ),
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- IRM report page


@staff_only
def record_assessment(request: HttpRequest, key: str) -> HttpResponse:
    report = get_object_or_404(IrmReport.objects.select_related("plan"), key=key)
    form_class = f.ASSESSMENT_FORMS[report.methodology]
    commitment = _from_query(
        request, Commitment.objects.filter(plan_id=report.plan_id), "commitment"
    )
    form = form_class(posted(request), report=report, initial={"commitment": commitment})
    notice = _closed_notice(report) or (
        ""
        if form.has_commitments()
        else _(
            "This report already assesses every commitment of the plan; publish a new "
            "version of an assessment instead."
        )
    )

    def perform() -> Outcome:
        _refuse_when(notice)
        assessment = services.record_assessment(
            request.user,
            report=report,
            commitment=form.cleaned_data["commitment"],
            **form.indicators(),
        )
        return assessment.get_absolute_url(), _(
            "The assessment of %(commitment)s is on the record."
        ) % {"commitment": assessment.commitment.key}

    return handle(
        request,
        page(
            _("Record an assessment in %(report)s") % {"report": report.title},
            report,
            _("Record the assessment"),
            notice=notice,
            template="plans/edit/assessment.html",
            intro=_(
                "The IRM's coding of one commitment, with the indicators of the report's "
                "methodology: %(methodology)s."
            )
            % {"methodology": Methodology(report.methodology).label},
            context={"methodology": Methodology(report.methodology).label},
        ),
        form,
        perform,
    )


# ---------------------------------------------------------------- any plans record


def new_version_view(
    models: Mapping[str, type[PublicRecord]],
    update_service: Callable[..., Any],
    form_class_of: Callable[[PublicRecord], Any],
    page_of: Callable[..., EditPage],
    url_of: Callable[[PublicRecord], str] = lambda record: record.get_absolute_url(),
    name_of: Callable[[PublicRecord], str] = label_of,
) -> Callable[..., HttpResponse]:
    """The new-version page of an app's records: the editable fields of ``form_class_of``
    (a ``VersionForm``), a reason, then ``update_service``. Used by plans and oversight."""

    @staff_only
    def new_version(request: HttpRequest, record_type: str, key: str) -> HttpResponse:
        record = record_of(models, record_type, key)
        form = form_class_of(record)(posted(request), record=record)

        def perform() -> Outcome:
            version = update_service(
                request.user, record, changes=form.changes(), reason=form.cleaned_data["reason"]
            )
            return url_of(record), _("Version %(version)s of %(id)s is published.") % {
                "version": version.version,
                "id": record.public_id,
            }

        return handle(
            request,
            page_of(
                _("Publish a new version of %(record)s") % {"record": name_of(record)},
                record,
                _("Publish the new version"),
                notice=retracted_notice(record),
                intro=_(
                    "The current version stays public in the record's history, next to the new "
                    "one and the reason you give."
                ),
            ),
            form,
            perform,
        )

    return new_version


new_version = new_version_view(
    EDITABLE_MODELS, services.update_record, f.new_version_form_class, page_of=page
)
retract = retract_view(EDITABLE_MODELS, services.retract, page_of=page)
